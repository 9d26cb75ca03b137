"""Drive `accord serve` from Debian's headless Chromium, as a trainee would.

The page's terminal is drawn on a canvas; what the game sends it is recorded in the page (the
WebSocket is wrapped before the page's own script runs) so that a test can read the screen's
words. Waits poll for words on that screen, never for a fixed time.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT = 60.0
ESCAPE, CONTROL = "\ue00c", "\ue009"  # WebDriver's keys
RECORD = r"""
window.__accord = [];
const Native = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
  const decoder = new TextDecoder();
  socket.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') {
      window.__accord.push(decoder.decode(event.data, {stream: true}));
    }
  });
  return socket;
};
window.WebSocket.prototype = Native.prototype;
"""
_ESCAPES = re.compile(
    r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]"
)


def need_browser() -> None:
    """Skip where no Chromium is installed; in CI (where `make test` installs it) fail."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if missing:
        message = f"the browser test needs {', '.join(missing)} (make test installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(class_dir: Path, code: str, *words: str) -> Iterator[str]:
    """`accord serve` on a free loopback port; yields its address once it says it listens."""
    port = free_port()
    command = [sys.executable, "-m", "game", "serve", *words, "--port", str(port),
               "--class-dir", str(class_dir), "--code", code]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Class code:"):
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not ready.wait(WAIT):
            pytest.fail("accord serve did not start:\n" + "".join(lines))
        assert f"Class code: {code}\n" in lines
        # The banner comes as the server starts listening: wait for the port to answer.
        deadline = time.monotonic() + WAIT
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                pytest.fail("accord serve never listened:\n" + "".join(lines))
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)


class Trainee:
    """One browser (its own profile) on the class page."""

    def __init__(self, url: str) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="accord-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in ("--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--window-size=1280,900",
                     f"--user-data-dir={self.profile}"):  # fmt: skip
            options.add_argument(flag)
        self.driver: Any = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD})
        self.driver.get(url)

    def close(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)

    def give_code(self, code: str) -> None:
        from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.wait import WebDriverWait

        field = self.driver.find_element(By.ID, "code")
        field.clear()
        field.send_keys(code)
        self.driver.find_element(By.ID, "join").click()

        # The next page is there once the old field has left the document. Chromium says so
        # as a stale element or, while it swaps the pages, as "Node with given id does not
        # belong to the document" (a WebDriverException of another class): both mean gone.
        def gone(_driver: object) -> bool:
            try:
                field.is_enabled()
            except StaleElementReferenceException:
                return True
            except WebDriverException as exc:
                if "does not belong to the document" in str(exc):
                    return True
                raise
            return False

        WebDriverWait(self.driver, WAIT).until(gone)

    def page_error(self) -> str:
        from selenium.webdriver.common.by import By

        found = self.driver.find_elements(By.ID, "error")
        return str(found[0].text) if found else ""

    def screen(self) -> str:
        """Every word the game has sent this page since the last `forget`."""
        chunks = self.driver.execute_script("return window.__accord || []")
        return _ESCAPES.sub("", "".join(chunks))

    def layout(self) -> dict[str, Any]:
        """How the page lays the terminal out: the helper textarea's computed position and
        opacity (xterm.css hides it), and whether the page is taller than the window."""
        found = self.driver.execute_script(
            """
            const helper = document.querySelector('.xterm-helper-textarea');
            const style = helper ? getComputedStyle(helper) : null;
            const page = document.scrollingElement;
            return {
              position: style ? style.position : null,
              opacity: style ? style.opacity : null,
              scrolls: page.scrollHeight > window.innerHeight,
            };
            """
        )
        return dict(found)

    def forget(self) -> None:
        self.driver.execute_script("window.__accord = []")

    def wait_for(self, words: str) -> str:
        deadline = time.monotonic() + WAIT
        while words not in (text := self.screen()):
            if time.monotonic() > deadline:
                self.driver.save_screenshot(f"{self.profile}.png")
                pytest.fail(f"{words!r} never showed; the screen held:\n{text[-3000:]}")
            time.sleep(0.1)
        return text

    def keys(self, *keys: str) -> None:
        from selenium.webdriver.common.by import By

        terminal = self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        for key in keys:
            terminal.send_keys(key)

    def ctrl(self, key: str) -> None:
        """Control and `key` together (released at the end of the same call)."""
        self.keys(CONTROL + key)
