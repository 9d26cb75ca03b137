"""Text from outside the program (save files, file names) made safe to show: no control
character reaches a terminal raw.

A save's name, its player, its file name and the paths it records come from outside the
program: a hand-edited file can hold escape sequences, newlines, bidirectional overrides or
(in a file name that is not UTF-8) lone surrogates that cannot even be printed.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

# C0 and C1 controls and DEL, the bidirectional controls, the line and paragraph
# separators, and lone surrogates (a file name that is not UTF-8, or a JSON "\ud800").
_CONTROLS = r"\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(rf"[\x00-\x1f{_CONTROLS}]")
# What json.dumps(ensure_ascii=False) leaves raw (it escapes C0 itself, and the newlines
# of its indentation must stay).
_UNSAFE_IN_JSON = re.compile(rf"[{_CONTROLS}]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """`text` with every control character written as an escape (ESC as `\\x1b`, a newline
    as `\\x0a`): safe to print on one line of a terminal, and encodable as UTF-8."""
    return _UNSAFE.sub(_escape, str(text))


def cut(text: str, most: int) -> str:
    """`text` cut to `most` characters, its last one a "…" when it was longer: one long name
    must not push a table's other columns out of sight."""
    return text if len(text) <= most else text[: most - 1] + "…"


def printable_lines(text: object) -> str:
    """`text` as `printable` gives it, but with its line breaks kept: for a screen that
    shows several lines (a briefing, an event's text)."""
    return "\n".join(printable(line) for line in str(text).split("\n"))


def json_printable(document: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) with the characters that
    json.dumps leaves raw but a terminal must not see (C1 and bidirectional controls,
    separators, lone surrogates) written as \\u escapes; JSON reads them back unchanged."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def has_lone_surrogate(text: str) -> bool:
    """Whether `text` holds a surrogate code point, which UTF-8 cannot encode."""
    return _SURROGATE.search(text) is not None


def encodable(text: str) -> str:
    """`text` with lone surrogates replaced by U+FFFD, so that it can be written as UTF-8."""
    return _SURROGATE.sub("\ufffd", text)


# What a command's output may hold raw: line ends and tabs. Everything else that moves a
# terminal (C0, DEL, C1, bidirectional controls, separators, lone surrogates) is escaped.
_UNSAFE_OUTPUT = re.compile(rf"[\x00-\x08\x0b-\x1f{_CONTROLS}]")


def _escape_output(match: re.Match[str]) -> str:
    code = ord(match.group())
    # \x1b for C0 (never raw in JSON: json.dumps escapes it); \u escapes above, which are
    # also valid inside a JSON string, so `--json` output stays JSON.
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """`text` with every control character but the line end and the tab written as an escape:
    what every command prints passes through here (see EscapedStream)."""
    return _UNSAFE_OUTPUT.sub(_escape_output, text)


class EscapedStream:
    """A text stream that writes `terminal_safe` text to the stream it wraps: a title with ESC
    or BEL, a file name with a bidirectional override, a script's text with C1 controls reach
    the terminal escaped, whichever command prints them. The program's own controls (the
    progress bar's carriage return) go to `terminal`, the wrapped stream."""

    def __init__(self, stream: TextIO) -> None:
        self.terminal = stream

    def write(self, text: str) -> int:
        self.terminal.write(terminal_safe(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.terminal, name)


def escaped(stream: TextIO) -> TextIO:
    """`stream` wrapped in an EscapedStream (once)."""
    if isinstance(stream, EscapedStream):
        return stream
    return EscapedStream(stream)  # type: ignore[return-value]


def unescaped(stream: TextIO) -> TextIO:
    """The stream an EscapedStream wraps, for the program's own control characters."""
    return stream.terminal if isinstance(stream, EscapedStream) else stream
