"""The class server's door, without a browser: the code, its cookie, the limits, the URLs."""

from __future__ import annotations

import re
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from game.classroom.server import (
    WRONG_CODES_ALLOWED,
    ClassServer,
    _local_only,
    new_code,
    plain_code,
)
from game.cli import main

Pair = tuple[ClassServer, TestClient]


@pytest.fixture
async def client() -> AsyncIterator[Pair]:
    server = ClassServer("true", host="127.0.0.1", port=8000, code="KX7P2Q", max_sessions=2)
    async with TestClient(TestServer(await server._make_app())) as test_client:
        yield server, test_client


async def test_nothing_but_the_join_page_before_the_code(client: Pair) -> None:
    _, http = client
    page = await http.get("/")
    assert page.status == 200 and 'name="code"' in await page.text()
    assert "data-session-websocket-url" not in await page.text()
    for path in ("/ws", "/download/x"):
        assert (await http.get(path)).status == 403


async def test_a_wrong_code_is_refused_and_the_right_one_lets_in(client: Pair) -> None:
    _, http = client
    wrong = await http.post("/join", data={"code": "KX7P2R"})
    assert wrong.status == 403 and "not this class&#x27;s code" in await wrong.text()
    assert (await http.get("/ws")).status == 403
    right = await http.post("/join", data={"code": " kx7-p2q "}, allow_redirects=False)
    assert right.status == 303
    cookie = right.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    page = await (await http.get("/")).text()
    assert 'data-session-websocket-url="ws://127.0.0.1:' in page
    # Nothing fetched from another site (textual-serve's page asks Google for a font).
    fetched = re.findall(r"(?:href|src)=\"(https?://[^\"]+)\"", page)
    hosts = {url.split("/")[2] for url in fetched}
    assert "googleapis" not in page and hosts == {f"127.0.0.1:{http.port}"}, hosts
    # ... but the terminal's own stylesheet and script, linked by the server's own address, stay.
    own = f"http://127.0.0.1:{http.port}/static/"
    assert re.search(rf'<link rel="stylesheet" href="{own}css/xterm.css"', page), page[:400]
    assert f'<script src="{own}js/textual.js"></script>' in page
    behind_tls = await (await http.get("/", headers={"X-Forwarded-Proto": "https"})).text()
    assert 'data-session-websocket-url="wss://127.0.0.1:' in behind_tls


async def test_too_many_wrong_codes_from_one_address_wait(client: Pair) -> None:
    _, http = client
    for _ in range(WRONG_CODES_ALLOWED):
        assert (await http.post("/join", data={"code": "nope"})).status == 403
    refused = await http.post("/join", data={"code": "KX7P2Q"}, allow_redirects=False)
    assert refused.status == 429 and "wait ten minutes" in await refused.text()


async def test_a_full_class_says_so(client: Pair) -> None:
    server, http = client
    await http.post("/join", data={"code": "KX7P2Q"}, allow_redirects=False)
    server.sessions = server.max_sessions
    full = await http.get("/ws")
    assert full.status == 503 and "The class is full (2 games at once)" in await full.text()


def test_only_other_sites_links_and_scripts_leave_the_page() -> None:
    """Behind a proxy the page links the public address: kept, as any of the server's own;
    a stylesheet or script from any other site (or protocol-relative) goes."""
    page = (
        '<link rel="stylesheet" href="https://accord.example.org/static/css/xterm.css" />'
        '<link\n  rel="stylesheet"\n  href="https://fonts.googleapis.com/css?family=Roboto" />'
        '<script src="//cdn.example.com/x.js"></script>'
        '<script src="https://accord.example.org/static/js/textual.js"></script>'
        '<link rel="icon" href="static/favicon.png">'
    )
    kept = _local_only(page, {"accord.example.org", "127.0.0.1:8000"})
    assert kept == (
        '<link rel="stylesheet" href="https://accord.example.org/static/css/xterm.css" />'
        '<script src="https://accord.example.org/static/js/textual.js"></script>'
        '<link rel="icon" href="static/favicon.png">'
    )


def test_codes_are_read_aloud_easily() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) > 190
    assert all(len(c) == 6 and not set(c) & set("01OIL") for c in codes)
    assert plain_code("ab-c d") == "ABCD"


def test_serve_without_the_serve_extra_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # not installed
    monkeypatch.delitem(sys.modules, "game.classroom.server", raising=False)
    assert main(["serve", "--class-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("accord serve: the browser game needs textual-serve")
    assert "pip install 'accord[serve]'" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["serve", "--class-dir", "{file}"], 2, "is a file, not a class folder"),
        (["serve", "--code", "ab", "--class-dir", "{dir}"], 2, "at least 4 letters"),
        (["serve", "--code", "", "--class-dir", "{dir}"], 2, "at least 4 letters"),
        (["serve", "nosuch", "--class-dir", "{dir}"], 1, "no scenario with this id"),
        (["serve", "--port", "70000"], 2, "must be from 1 to 65,535"),
        (["class", "{dir}/nowhere"], 2, "no such folder"),
        (["class", "{file}"], 2, "is not a folder"),
    ],
)
def test_class_commands_refuse_bad_input_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: int, words: str
) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    words_in = [a.replace("{file}", str(tmp_path / "file")).replace("{dir}", str(tmp_path))
                for a in argv]  # fmt: skip
    try:
        got = main(words_in)
    except SystemExit as exc:
        got = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert (got, out) == (code, "") and words in err and "Traceback" not in err
