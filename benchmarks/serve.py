"""`accord serve` under a class: memory and CPU per served session, and 30 sessions at once.

Starts `accord serve tutorial` on a free loopback port with a fresh class folder, then plays
as browsers would, over the same websocket the page uses (no browser): each session gives the
class code, types a name, starts the mission and ends the first turn. A turn counts as ended when
its autosave appears in the trainee's folder. Memory is the resident set (RSS, and PSS where the
kernel gives it: shared library pages counted once) of each session's processes; CPU is user +
system time from /proc. Loopback only; every wait is bounded.

    python benchmarks/serve.py [--sessions 30] [--timeout 300]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

CODE = "BENCH7"
ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()=>].?")
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def descendants(pid: int) -> list[int]:
    out: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                out.append(child)
                todo.append(child)
    return out


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def memory_mib(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MiB; PSS is 0 where smaps_rollup cannot be read."""
    rss = pss = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, pss


def sessions_of(server: int) -> list[int]:
    """The game processes (Python) under the server; their `sh -c` parents are not counted."""
    return [p for p in descendants(server) if "python" in Path(f"/proc/{p}/comm").read_text()]


async def play(url: str, name: str, class_dir: Path, deadline: float) -> float:
    """One trainee: join, name, start, end a turn; the seconds from connecting to the autosave."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.post(f"{url}join", data={"code": CODE}, allow_redirects=False) as reply:
            assert reply.status == 303, reply.status
        started = time.monotonic()
        ws_url = url.replace("http", "ws") + "ws?width=120&height=40"
        async with http.ws_connect(ws_url, max_msg_size=0) as ws:
            screen = [""]  # what the game sent since the last key, escapes removed

            async def drain() -> None:
                async for message in ws:
                    if message.type == aiohttp.WSMsgType.BINARY:
                        text = message.data.decode("utf-8", "replace")
                        screen[0] = (screen[0] + ESCAPES.sub("", text))[-200_000:]

            reader = asyncio.create_task(drain())
            folder = class_dir / name.lower()
            # Each key once the screen it is meant for shows, as a person would; a single key
            # that changed nothing (it came while the screen was still being set up) is
            # pressed again after a while, as a person would too.
            steps = [("Join the class", name + "\r"), ("Start the mission", "\r"),
                     ("End turn", "e"), ("Cancel", "\r")]  # fmt: skip
            sent, at = "", time.monotonic()
            for words, keys in steps:
                while words not in screen[0]:
                    assert time.monotonic() < deadline, (
                        f"{name}: {words!r} never showed:\n" + (screen[0][-2000:])
                    )
                    if len(sent) == 1 and time.monotonic() - at > 3.0:
                        await ws.send_json(["stdin", sent])
                        at = time.monotonic()
                    await asyncio.sleep(0.05)
                screen[0] = ""
                await ws.send_json(["stdin", keys])
                sent, at = keys, time.monotonic()
            while not any(folder.glob("*.json")):
                assert time.monotonic() < deadline, f"{name}'s turn never ended"
                await asyncio.sleep(0.05)
            took = time.monotonic() - started
            await ws.close()
            reader.cancel()
            return took


def measure(server: int) -> tuple[list[int], float, float, float]:
    games = sessions_of(server)
    rss = [memory_mib(p)[0] for p in games]
    pss = [memory_mib(p)[1] for p in games]
    cpu = sum(cpu_seconds(p) for p in games)
    return games, statistics.mean(rss) if rss else 0.0, statistics.mean(pss) if pss else 0.0, cpu


async def phase(url: str, server: int, class_dir: Path, names: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    before_server = cpu_seconds(server)
    started = time.monotonic()
    tasks = [asyncio.create_task(play(url, n, class_dir, deadline)) for n in names]
    # Measure while every session is alive: just after the last autosave appears.
    while not all(any((class_dir / n.lower()).glob("*.json")) for n in names):
        assert time.monotonic() < deadline + 10, "sessions did not all end their turn in time"
        failed = next((t for t in tasks if t.done() and t.exception()), None)
        if failed is not None:
            raise failed.exception()  # type: ignore[misc]
        await asyncio.sleep(0.05)
    wall = time.monotonic() - started
    games, rss, pss, cpu = measure(server)
    server_cpu = cpu_seconds(server) - before_server
    server_rss = memory_mib(server)[0]
    times = await asyncio.gather(*tasks)
    print(f"  {len(names)} session(s): all turns ended in {wall:.1f} s wall "
          f"(each {min(times):.1f}-{max(times):.1f} s from connecting)")  # fmt: skip
    print(f"  game processes: {len(games)}, each RSS {rss:.0f} MiB, PSS {pss:.0f} MiB; "
          f"CPU {cpu / max(len(games), 1):.2f} s each (start, join, one turn)")  # fmt: skip
    print(f"  server: RSS {server_rss:.0f} MiB, CPU {server_cpu:.2f} s in this phase; "
          f"machine cores: {os.cpu_count()}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30, choices=range(1, 61), metavar="1-60")
    parser.add_argument("--timeout", type=float, default=300.0)
    options = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        class_dir = Path(tmp) / "class"
        command = [sys.executable, "-m", "game", "serve", "tutorial", "--port", str(port),
                   "--class-dir", str(class_dir), "--code", CODE]  # fmt: skip
        server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            assert server.stdout is not None
            banner = [server.stdout.readline().decode() for _ in range(2)]
            assert banner[1].startswith("Class code:"), banner
            deadline = time.monotonic() + 30
            while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
                assert time.monotonic() < deadline, "the server never listened"
                time.sleep(0.05)
            url = f"http://127.0.0.1:{port}/"
            print(f"accord serve tutorial on 127.0.0.1:{port}, Python {sys.version.split()[0]}")
            print("One session alone:")
            asyncio.run(phase(url, server.pid, class_dir, ["solo"], options.timeout))
            time.sleep(2)  # its process ends
            print(f"{options.sessions} sessions at once:")
            names = [f"trainee{i:02d}" for i in range(options.sessions)]
            asyncio.run(phase(url, server.pid, class_dir, names, options.timeout))
            saves = sum(1 for _ in class_dir.glob("*/*.json"))
            print(f"  autosaves written: {saves} (one per session)")
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
