"""`accord serve`: the game in the trainees' browsers, through textual-serve, behind a class code.

textual-serve starts one game process per browser connection (a websocket) and relays the
terminal between them. This server adds what a class needs around it:

- a join page: nothing but the page itself is served until the browser has given the class code
  (then a cookie, valid while this server runs, lets it in); wrong codes are counted per address
  and refused for a while past a limit;
- at most `max_sessions` games at once (each is a process);
- page URLs built from the request (or from `public_url`), so it works behind a reverse proxy.
"""

from __future__ import annotations

import asyncio
import hmac
import html
import re
import secrets
import signal
import time
from collections.abc import Awaitable, Callable, Collection
from contextlib import suppress
from hashlib import sha256
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

COOKIE = "accord_class"
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed
CODE_LENGTH = 6
WRONG_CODES_ALLOWED = 30  # per address ...
WRONG_CODES_WINDOW = 600.0  # ... in ten minutes
TRACKED_ADDRESSES = 10_000

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def plain_code(typed: str) -> str:
    """A class code as typed, made comparable: spaces and dashes dropped, upper case."""
    return "".join(c for c in typed.upper() if c not in " -")[:64]


JOIN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accord: join the class</title>
<style>
body {{ background: #1C232B; color: #DCE3EA; font-family: system-ui, sans-serif;
       display: flex; justify-content: center; padding-top: 12vh; }}
form {{ background: #232B35; padding: 2em 2.5em; border-radius: 6px; max-width: 26em; }}
h1 {{ font-size: 1.4em; margin-top: 0; }}
input {{ font-size: 1.3em; letter-spacing: .2em; width: 9em; padding: .3em; }}
button {{ font-size: 1.1em; padding: .4em 1.2em; margin-left: .5em; background: #7FA7C9;
         border: 0; border-radius: 4px; }}
.error {{ color: #D9796C; }}
</style></head>
<body><form method="post" action="join">
<h1>Accord: join the class</h1>
<p>Type the class code your instructor gave you.</p>
<p class="error" id="error">{error}</p>
<label for="code">Class code</label><br>
<input id="code" name="code" autocomplete="off" autocapitalize="characters" autofocus
 maxlength="32"><button type="submit" id="join">Join</button>
</form></body></html>
"""


# textual-serve's page asks Google for a font: a trainee's browser is to talk to the class
# server alone (a classroom may be offline, and who plays when is nobody else's business). The
# page's own fallback fonts (menlo, monospace) are used instead. Its own stylesheet and script
# (xterm.css, textual.js) are linked by the class server's absolute address: those stay, or the
# terminal loses its layout (the key bar falls below the window and the page scrolls).
_FETCHED = re.compile(
    r"<(?P<tag>link|script)\b[^>]*?\b(?:href|src)=\"(?P<url>(?:https?:)?//[^\"]*)\"[^>]*>"
    r"(?:\s*</script>)?",
    re.IGNORECASE,
)


def _local_only(page: str, hosts: Collection[str]) -> str:
    """The page without the stylesheets and scripts it would fetch from another site than
    `hosts` (the class server's own addresses, as `host[:port]`)."""
    own = {host.lower() for host in hosts}

    def keep_own(found: re.Match[str]) -> str:
        return found[0] if urlsplit(found["url"]).netloc.lower() in own else ""

    return _FETCHED.sub(keep_own, page)


class ClassServer(Server):
    """textual-serve's server, with the class code at the door and a cap on games."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        code: str,
        public_url: str | None = None,
        max_sessions: int = 60,
        banner: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(command, host=host, port=port, title="Accord", public_url=public_url)
        self.given_public_url = public_url
        self.code = plain_code(code)
        self._secret = secrets.token_bytes(32)
        self.token = hmac.new(self._secret, self.code.encode(), sha256).hexdigest()
        self.max_sessions = max_sessions
        self.sessions = 0
        self.wrong: dict[str, list[float]] = {}
        self.banner = banner

    # ---- the door ------------------------------------------------------------------

    def joined(self, request: web.Request) -> bool:
        return hmac.compare_digest(request.cookies.get(COOKIE, ""), self.token)

    @web.middleware
    async def door(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith("/static/") or request.path == "/join":
            return await handler(request)
        if self.joined(request):
            return await handler(request)
        if request.path == "/" and request.method == "GET":
            return self.join_page("")
        raise web.HTTPForbidden(text="Join the class first: open the page and type the code.")

    def join_page(self, error: str, status: int = 200) -> web.Response:
        body = JOIN_PAGE.format(error=html.escape(error))
        response = web.Response(text=body, content_type="text/html", status=status)
        response.headers["Cache-Control"] = "no-store"
        return response

    def _too_many(self, address: str) -> bool:
        now = time.monotonic()
        times = [t for t in self.wrong.get(address, []) if now - t < WRONG_CODES_WINDOW]
        self.wrong[address] = times
        return len(times) >= WRONG_CODES_ALLOWED

    def _count_wrong(self, address: str) -> None:
        if len(self.wrong) >= TRACKED_ADDRESSES and address not in self.wrong:
            self.wrong.pop(next(iter(self.wrong)))  # the oldest address first
        self.wrong.setdefault(address, []).append(time.monotonic())

    async def handle_join(self, request: web.Request) -> web.StreamResponse:
        address = request.remote or "?"
        if self._too_many(address):
            return self.join_page("Too many wrong codes from this computer: wait ten minutes.", 429)
        form = await request.post()
        typed = form.get("code", "")
        typed = typed if isinstance(typed, str) else ""
        if not hmac.compare_digest(plain_code(typed).encode(), self.code.encode()):
            self._count_wrong(address)
            return self.join_page("That is not this class's code: check it and try again.", 403)
        response = web.HTTPSeeOther(location="./")
        secure = self._scheme(request) == "https"
        response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", secure=secure)
        raise response

    # ---- the game pages ----------------------------------------------------------------

    def _scheme(self, request: web.Request) -> str:
        forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip()
        return forwarded if forwarded in ("http", "https") else request.scheme

    def _base(self, request: web.Request) -> str:
        if self.given_public_url:
            return self.given_public_url.rstrip("/")
        return f"{self._scheme(request)}://{request.host}"

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        base = self._base(request)
        websocket = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1]
        context = {
            "font_size": 16,
            "app_websocket_url": f"{websocket}/ws",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        own = {urlsplit(base).netloc, request.host, f"{self.host}:{self.port}"}
        response.text = _local_only(response.text or "", own)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.sessions >= self.max_sessions:
            raise web.HTTPServiceUnavailable(
                text=f"The class is full ({self.max_sessions} games at once): try again later."
            )
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.door], client_max_size=16 * 1024)
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.post("/join", self.handle_join, name="join"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve prints its logo here; the banner waits for the socket."""

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C (or SIGTERM); the banner is printed once the port is bound, so
        a port in use is an error without a misleading 'served at' before it."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError):
                loop.add_signal_handler(sig, self.request_exit)

        def listening(_: str) -> None:
            if self.banner is not None:
                self.banner()

        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=listening,
        )

    def initialize_logging(self) -> None:
        """Warnings only: a line per request would bury the class code in the terminal."""
        import logging

        logging.basicConfig(level="WARNING", format="%(message)s")
