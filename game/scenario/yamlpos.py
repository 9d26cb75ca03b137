"""Read untrusted scenario YAML into plain data and the line and column of every key and value."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import BaseConstructor
from yaml.error import Mark as YMark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

Path = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_MIB = 1_048_576
# The characters YAML 1.1 allows (the pure-Python reader's rule). Checking them up front gives the
# same message and position whichever loader runs, and keeps surrogates away from libyaml.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_KINDS = {"seq": "a list", "omap": "a list", "pairs": "a list", "set": "a set", "str": "a string"}
_KINDS |= {"int": "a number", "float": "a number", "bool": "a true/false value", "null": "null"}
_KINDS |= {"timestamp": "a date", "binary": "binary data"}
_SCALAR_KINDS = ("str", "int", "float", "bool", "null", "timestamp", "binary")
_SCALAR_TAGS = {_TAG + kind for kind in _SCALAR_KINDS}
EMPTY = "the file is empty; a scenario is a YAML mapping that starts with 'format: accord/1'"


@dataclass(frozen=True, slots=True)
class Mark:
    line: int  # 1-based
    col: int  # 1-based


class YamlProblem(Exception):
    """The text cannot be read as a YAML mapping; one clear sentence with a position."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message, line, col)  # all three in args, so the error pickles whole
        self.message = message
        self.line = line
        self.col = col

    def __str__(self) -> str:
        return f"line {self.line}, column {self.col}: {self.message}"


@dataclass(frozen=True)
class Positions:
    """Where each key and value of a loaded document was written.

    `marks` maps a path (keys as loaded, list indexes as ints) to PyYAML's 0-based marks of the
    key and the value, turned into `Mark`s only when asked for (most never are); a list item's
    key is its value, and () is the start of the top-level mapping. A value reached through an
    alias, or a key brought in by `<<: *defaults`, is reported where the anchored node was
    written, since that is where an instructor has to fix it.
    """

    marks: Mapping[Path, tuple[YMark, YMark]] = field(repr=False)

    def _nearest(self, path: Sequence[str | int]) -> tuple[YMark, YMark] | None:
        whole = tuple(path)
        for end in range(len(whole), -1, -1):
            found = self.marks.get(whole[:end])
            if found is not None:
                return found if end == len(whole) else (found[1], found[1])
        return None

    def value(self, path: Sequence[str | int]) -> Mark:
        found = self._nearest(path)
        return Mark(found[1].line + 1, found[1].column + 1) if found else Mark(1, 1)

    def key(self, path: Sequence[str | int]) -> Mark:
        found = self._nearest(path)
        return Mark(found[0].line + 1, found[0].column + 1) if found else Mark(1, 1)

    def exact(self, path: Sequence[str | int]) -> bool:
        return tuple(path) in self.marks


def _where(node: Node | None) -> tuple[int, int]:
    mark = node.start_mark if node is not None else None
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _too_deep(max_depth: int) -> str:
    return f"the document is nested more than {max_depth} levels deep"


class _Guards(BaseConstructor, BaseResolver):
    """Limits enforced while composing, and positions for PyYAML's bare construction errors."""

    max_nodes = 100_000
    max_depth = 200
    depth = 0
    composed = 0

    if TYPE_CHECKING:  # supplied by the loader each concrete class below mixes this into

        def __init__(self, stream: str) -> None: ...
        def get_single_node(self) -> Node | None: ...
        def dispose(self) -> None: ...

    # Both composers (libyaml's and the pure one) call these around every node they build, so
    # this is where a deep or huge document stops before recursion or memory runs out. They
    # replace PyYAML's path resolvers, which the safe loader never has (and they cost ~20%).
    def descend_resolver(self, current_node: Node | None, current_index: object) -> None:
        self.depth += 1
        self.composed += 1
        if self.depth > self.max_depth:
            raise YamlProblem(_too_deep(self.max_depth), *_where(current_node))
        if self.composed > self.max_nodes:
            message = f"the document has more than {self.max_nodes} nodes, the limit for a scenario"
            raise YamlProblem(message, *_where(current_node))

    def ascend_resolver(self) -> None:
        self.depth -= 1

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        # `!!int abc`, `!!bool maybe`, a 5000-digit int or `2024-13-45` raise plain
        # ValueError/KeyError/IndexError without a position; give them one.
        try:
            return super().construct_object(node, deep)
        except (ValueError, LookupError, TypeError, AttributeError, ArithmeticError) as exc:
            kind = node.tag.removeprefix(_TAG)
            shown = repr(node.value)[:60] if isinstance(node, ScalarNode) else "this value"
            message = f"{shown} is not a valid {kind} ({exc})"
            raise YamlProblem(message, *_where(node)) from exc

    def construct_yaml_int(self, node: ScalarNode) -> int:
        # A whole number past the format's limits is refused here, located: a 310-digit
        # number cannot become a float, and a 5,000-digit hexadecimal one (which Python
        # reads without its digit limit) cannot even be printed.
        digits = node.value.replace("_", "").lstrip("+-")
        if len(digits) > _MAX_INT_TEXT:
            raise YamlProblem(_too_large(node.value), *_where(node))
        value: int = super().construct_yaml_int(node)  # type: ignore[misc]
        if not -LARGEST_NUMBER <= value <= LARGEST_NUMBER:
            raise YamlProblem(_too_large(node.value), *_where(node))
        return value


def _too_large(text: str) -> str:
    shown = text if len(text) <= 24 else f"{text[:20]}… ({len(text)} characters)"
    return f"the number {shown} is too large: numbers are at most 10^15 either way"


# Loaded whole numbers: at most the format's limit (models.LARGEST) either way; text longer
# than any such number (with '_' separators, a sign, a 0x or 0b prefix) is refused unread.
LARGEST_NUMBER = 10**15
_MAX_INT_TEXT = 80


class _PureLoader(_Guards, yaml.SafeLoader):
    # At every `[` the pure scanner looks up to 1024 characters ahead for a possible key on each
    # open flow level, which is quadratic on `[[[[...`; stop at the depth limit instead.
    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        if self.flow_level >= self.max_depth:
            raise YamlProblem(_too_deep(self.max_depth), self.line + 1, self.column + 1)
        super().fetch_flow_collection_start(TokenClass)


_LOADER: type[_Guards] = _PureLoader
if yaml.__with_libyaml__:  # wheels ship libyaml; its nodes carry the same marks and it is faster

    class _CLoader(_Guards, yaml.CSafeLoader):
        pass

    _LOADER = _CLoader
# PyYAML keeps constructors by tag, as functions: register the guarded one on each loader.
_loader: type[_Guards]
for _loader in (_PureLoader, _LOADER):
    _loader.add_constructor(_TAG + "int", _Guards.construct_yaml_int)  # type: ignore[type-var]


def _line_col(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _decode_bytes(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem("the file is not UTF-8 text (it looks like UTF-16); save it as UTF-8")
    bad = raw.find(b"\x00")  # valid UTF-8, but no text file has one: it is binary
    reason = "it contains NUL bytes, so it looks binary"
    if bad < 0:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad, reason = exc.start, f"byte 0x{raw[exc.start]:02x} is not valid UTF-8"
    head = raw[:bad].decode("utf-8", "replace")
    message = f"the file is not UTF-8 text ({reason}); save it as UTF-8"
    raise YamlProblem(message, *_line_col(head, len(head)))


def _decode(text: str | bytes, max_bytes: int) -> str:
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        limit = f"{max_bytes // _MIB} MiB" if max_bytes % _MIB == 0 else f"{max_bytes} bytes"
        raise YamlProblem(f"the file is {size} bytes; scenarios are limited to {limit}")
    if isinstance(text, bytes):
        text = _decode_bytes(text)
    text = text.removeprefix("\ufeff")
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        code = f"U+{ord(bad.group()):04X}"
        message = f"the file contains the control character {code}, which YAML does not allow"
        raise YamlProblem(message, *_line_col(text, bad.start()))
    return text


def _check_graph(loader: _Guards, root: Node) -> dict[int, Any]:
    """Refuse cycles, unknown tags, duplicate keys and documents that expand past the limits.

    Each distinct node is visited once, iteratively (an alias chain can nest far deeper than the
    text does), memoising (expanded size, height) by node identity, so an alias bomb is measured
    without being expanded. Returns the loaded key of every scalar key node, by node id.
    """
    allowed = {tag for tag in loader.yaml_constructors if tag} | {_TAG + "merge"}
    sizes: dict[int, tuple[int, int]] = {}
    open_ids: set[int] = set()  # the collections on the current path: meeting one is a cycle
    keys: dict[int, Any] = {}
    stack: list[tuple[Node, list[Node] | None]] = [(root, None)]
    while stack:
        node, children = stack.pop()
        if children is not None:  # every child is measured: finish this collection
            open_ids.discard(id(node))
            size, height = 1, 0
            for child in children:
                child_size, child_height = sizes[id(child)]
                size, height = size + child_size, max(height, child_height)
            if size > loader.max_nodes:
                message = f"the document expands to more than {loader.max_nodes} nodes"
                raise YamlProblem(f"{message} (an alias bomb?)", *_where(node))
            if height >= loader.max_depth:
                raise YamlProblem(_too_deep(loader.max_depth), *_where(node))
            sizes[id(node)] = (size, height + 1)
            continue
        if id(node) in open_ids:
            message = "an alias here refers to a collection that contains it, so it never ends"
            raise YamlProblem(message, *_where(node))
        if id(node) in sizes:
            continue
        _check_tag(node, allowed)
        if isinstance(node, MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            children = list(node.value)
        open_ids.add(id(node))
        stack.append((node, children))
        for child in children:  # scalars are leaves: measure them here rather than stack them
            if isinstance(child, ScalarNode):
                _check_tag(child, allowed)
                sizes[id(child)] = (1, 1)
            elif id(child) not in sizes:
                stack.append((child, None))
        if isinstance(node, MappingNode):  # after its scalar keys' tags are checked
            _check_keys(loader, node, keys)
    return keys


def _check_tag(node: Node, allowed: set[str]) -> None:
    if node.tag == _TAG + "value":  # a bare `=`: PyYAML has no constructor for it; it is text
        node.tag = _TAG + "str"
    if node.tag not in allowed:
        tag = node.tag.replace(_TAG, "!!")
        raise YamlProblem(f"the tag '{tag}' is not allowed in a scenario", *_where(node))


def _check_keys(loader: _Guards, node: MappingNode, keys: dict[int, Any]) -> None:
    seen: dict[Any, Node] = {}
    for key_node, _ in node.value:
        # Merge keys may repeat (PyYAML merges each); a key that is (or is tagged as) a collection
        # is unhashable, and construction refuses it with its position.
        if not isinstance(key_node, ScalarNode) or key_node.tag not in _SCALAR_TAGS:
            continue
        # Compare loaded keys, as the dict will: `yes` and `true` are the same key.
        key = key_node.value if key_node.tag == _TAG + "str" else loader.construct_object(key_node)
        if key in seen:
            first = seen[key].start_mark.line + 1
            message = f"duplicate key '{str(key)[:60]}' (first written at line {first})"
            raise YamlProblem(message, *_where(key_node))
        seen[key] = key_node
        keys[id(key_node)] = key


def _record(root: Node, keys: dict[int, Any]) -> dict[Path, tuple[YMark, YMark]]:
    """Walk the constructed (merge-flattened) graph and note where each path was written."""
    entries: dict[Path, tuple[YMark, YMark]] = {(): (root.start_mark, root.start_mark)}
    stack: list[tuple[Node, Path]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, MappingNode):
            # Flattening put merged pairs first; a later pair wins, exactly as in the dict.
            latest = {keys[id(key_node)]: (key_node, value) for key_node, value in node.value}
            for key, (key_node, value) in latest.items():
                child_path = (*path, key)
                entries[child_path] = (key_node.start_mark, value.start_mark)
                if not isinstance(value, ScalarNode):
                    stack.append((value, child_path))
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                child_path = (*path, index)
                entries[child_path] = (item.start_mark, item.start_mark)
                if not isinstance(item, ScalarNode):
                    stack.append((item, child_path))
    return entries


def parse_yaml(
    text: str | bytes,
    *,
    max_bytes: int = _MIB,
    max_nodes: int = 100_000,
    max_depth: int = 200,
) -> tuple[dict[str, Any], Positions]:
    """Load one YAML mapping from untrusted text, or raise YamlProblem saying where and why.

    Keys are kept as YAML 1.1 loads them (`1:` is an int key); the caller's model rejects them.
    """
    source = _decode(text, max_bytes)
    loader = _LOADER(source)
    loader.max_nodes, loader.max_depth = max_nodes, max_depth
    try:
        root = loader.get_single_node()
        if root is None or (root.tag == _TAG + "null" and root.value == ""):
            raise YamlProblem(EMPTY)
        if not isinstance(root, MappingNode) or root.tag != _TAG + "map":
            kind = root.tag.removeprefix(_TAG)
            found = _KINDS.get(kind, f"a value tagged '{kind}'")
            message = f"the top level must be a mapping of keys to values, found {found}"
            raise YamlProblem(message, *_where(root))
        keys = _check_graph(loader, root)
        data: dict[str, Any] = loader.construct_document(root)
        return data, Positions(_record(root, keys))
    except yaml.MarkedYAMLError as exc:
        raise _from_yaml_error(exc, source) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(f"could not parse YAML: {exc}") from exc
    except RecursionError:
        raise YamlProblem("the document is nested too deeply") from None
    except MemoryError:
        raise YamlProblem("the document is too large to read") from None
    finally:
        loader.dispose()


def _from_yaml_error(exc: yaml.MarkedYAMLError, source: str = "") -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    hint = explain_yaml_slip(source.splitlines(), exc.problem or "", line, col)
    if hint is not None:
        message, line, col = hint
        return YamlProblem(f"could not parse YAML: {message}", line, col)
    if exc.context == "expected a single document in the stream":
        message = "a second YAML document starts here; a scenario is one mapping, remove the '---'"
        return YamlProblem(message, line, col)
    if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own limit, at 1000 levels
        return YamlProblem("the document is nested too deeply", line, col)
    message = f"could not parse YAML: {exc.problem or exc.context}"
    if exc.problem and exc.context and exc.context_mark is not None:
        message += f" ({exc.context} started at line {exc.context_mark.line + 1})"
    return YamlProblem(message, line, col)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _content(lines: Sequence[str], row: int, step: int) -> int | None:
    """The nearest line from `row` (0-based, moving by `step`) holding more than a comment."""
    while 0 <= row < len(lines):
        if lines[row].strip() and not lines[row].lstrip().startswith("#"):
            return row
        row += step
    return None


def _key_of(text: str) -> str:
    stripped = text.strip().removeprefix("- ")
    return stripped.split(":", 1)[0].strip() + ":" if ":" in stripped else stripped[:20]


def _opens_block(text: str) -> bool:
    """Whether a line leaves its value for the lines below (`key:`, `- `, `key: |`)."""
    body = text.split(" #", 1)[0].rstrip()
    return body.endswith((":", "|", ">", "-", "|-", ">-", "|+", ">+")) or body.lstrip() == "-"


def explain_yaml_slip(
    lines: Sequence[str], problem: str, line: int, col: int
) -> tuple[str, int, int] | None:
    """What an instructor did, for PyYAML's commonest complaints: a line indented unlike its
    neighbours (named at that line), a colon inside unquoted text, a Tab. None when unsure."""
    row = line - 1
    if not 0 <= row < len(lines):
        return None
    text = lines[row]
    lead = text[: len(text) - len(text.lstrip(" \t"))]
    if "\t" in lead and ("cannot start any token" in problem or "tab character" in problem):
        return "a Tab character indents this line; indent with spaces only", line, 1
    if "mapping values are not allowed" in problem and text[col - 1 : col] == ":":
        before = text[: col - 1]
        above = _content(lines, row - 1, -1)
        if (
            above is not None
            and ": " not in before.lstrip("- ")
            and not _opens_block(lines[above])
            and _indent(text) > _indent(lines[above])
        ):
            # `key: value` indented under a plain text value: YAML reads it as more text.
            orphan = _not_under(lines, above, _indent(text))
            if orphan is not None:
                return orphan
            higher = _content(lines, above - 1, -1)
            if higher is not None and _indent(lines[higher]) == _indent(text):
                # The line above is the odd one out between two lines that agree.
                message = _misaligned(lines, above, higher, "unlike")
                return message, above + 1, _indent(lines[above]) + 1
            first = _first_child(lines, above, row)
            if first is not None:
                return first
            return _misaligned(lines, row, above, "more than"), line, _indent(text) + 1
        if ": " in before.lstrip(" -") and "{" not in before and "[" not in before:
            key, _, value = text.lstrip(" -").partition(": ")
            quoted = value.strip().replace("\\", "\\\\").replace('"', '\\"')
            if len(quoted) > 60:  # a long text: its start says enough
                quoted = quoted[:57].rsplit(" ", 1)[0].rstrip("\\") + " ..."
            return (
                "a colon followed by a space inside text that is not in quotes; put the whole "
                f'text in double quotes: {key}: "{quoted}"',
                line,
                col,
            )
    if problem.startswith(("did not find expected key", "expected <block end>")) or (
        problem.startswith("did not find expected '-'")
    ):
        if _indent(text) != col - 1:
            return None  # the token is inside the line: not an indentation slip
        above = _content(lines, row - 1, -1)
        if above is None:
            return None
        higher = _content(lines, above - 1, -1)
        orphan = _not_under(lines, above, _indent(text))
        if orphan is not None:
            return orphan
        if (
            higher is not None
            and _indent(lines[higher]) == _indent(text) != _indent(lines[above])
            and not _opens_block(lines[higher])
        ):
            # The line above is the odd one out between two lines that agree.
            return _misaligned(lines, above, higher, "unlike"), above + 1, _indent(lines[above]) + 1
        first = _first_child(lines, above, row)
        if first is not None:
            return first
        if _indent(text) != _indent(lines[above]):
            return _misaligned(lines, row, above, "unlike"), line, _indent(text) + 1
    return None


def _first_child(lines: Sequence[str], above: int, row: int) -> tuple[str, int, int] | None:
    """The line at `above` is the first under its key and sets the column its siblings must
    keep; when the next two lines agree with each other and not with it, it is the odd one."""
    higher = _content(lines, above - 1, -1)
    after = _content(lines, row + 1, 1)
    mine, theirs = _indent(lines[above]), _indent(lines[row])
    if (
        higher is None
        or after is None
        or not _opens_block(lines[higher])
        or _indent(lines[after]) != theirs
        or not _indent(lines[higher]) < theirs != mine
    ):
        return None
    return _misaligned(lines, above, row, "unlike"), above + 1, mine + 1


def _not_under(lines: Sequence[str], row: int, below: int) -> tuple[str, int, int] | None:
    """The line at `row` should belong to the key just above it (which leaves its value for
    the lines below), but is not indented under it, while the line after it is."""
    higher = _content(lines, row - 1, -1)
    if higher is None or not _opens_block(lines[higher]):
        return None
    mine, theirs = _indent(lines[row]), _indent(lines[higher])
    if not mine <= theirs < below:
        return None
    message = (
        f"wrong indentation: '{_key_of(lines[row])}' is indented {mine} spaces, no more than "
        f"'{_key_of(lines[higher])}' on line {higher + 1} ({theirs}); indent what belongs to "
        f"'{_key_of(lines[higher])}' further"
    )
    return message, row + 1, mine + 1


def _misaligned(lines: Sequence[str], row: int, other: int, how: str) -> str:
    mine, theirs = _indent(lines[row]), _indent(lines[other])
    spaces = f"{mine} space{'s' * (mine != 1)}"
    relation = f"{how} '{_key_of(lines[other])}' on line {other + 1} ({theirs})"
    return (
        f"wrong indentation: '{_key_of(lines[row])}' is indented {spaces}, {relation}; "
        "line up keys that belong together in the same column"
    )


# Double-quoted escapes: the one character each stands for (YAML 1.1, section 5.7).
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "\\": "\\", "/": "/", "N": "\x85",
    "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX = {"x": 2, "u": 4, "U": 8}


def locate_in_scalar(lines: Sequence[str], start: Mark, value: str, offset: int) -> Mark:
    """Where the character at `offset` of a loaded string was written, for a string scalar whose
    value starts at `start`, in any style: plain, quoted or a block (`|`, `>`), on one line or
    several, with escapes. Folding and indentation change only white space, so the character is
    found by counting the other characters; one that is white space (or the end) is placed just
    after the last character before it."""
    offset = max(0, min(offset, len(value)))
    wanted = sum(not ch.isspace() for ch in value[:offset])
    total = sum(not ch.isspace() for ch in value)
    row, col = start.line - 1, start.col - 1
    if not 0 <= row < len(lines):
        return start
    style = lines[row][col : col + 1]
    if style in ("|", ">"):
        row, col = row + 1, 0  # the text starts on the line after the indicator
    elif style in ("'", '"'):
        col += 1
    else:
        style = ""
    seen, after = 0, start
    while row < len(lines):
        text = lines[row]
        while col < len(text):
            ch, width = text[col], 1
            if style == '"' and ch == "\\":
                code = text[col + 1 : col + 2]
                digits = _HEX.get(code, 0)
                width += (1 + digits) if code else 0
                try:
                    hexa = text[col + 2 : col + 2 + digits]
                    ch = chr(int(hexa, 16)) if digits else _ESCAPES[code]
                except (KeyError, ValueError):
                    ch = " " if not code else "?"  # an escaped line break, or a bad escape
            elif ch == style and style in ("'", '"'):
                if style == "'" and text[col + 1 : col + 2] == "'":
                    width = 2  # '' stands for one quote
                else:
                    return after  # the closing quote
            if not ch.isspace():
                if seen == wanted and wanted < total:
                    return Mark(row + 1, col + 1)
                seen += 1
                after = Mark(row + 1, col + width + 1)
                if seen == total and wanted >= total:
                    return after
            col += width
        row, col = row + 1, 0
    return after
