"""Text from outside the program (save files, file names) made safe to show: no control
character reaches a terminal raw.

A save's name, its player, its file name and the paths it records come from outside the
program: a hand-edited file can hold escape sequences, newlines, bidirectional overrides or
(in a file name that is not UTF-8) lone surrogates that cannot even be printed.
"""

from __future__ import annotations

import re

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
