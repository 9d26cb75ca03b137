"""Schema stage: validate a loaded document section by section, entry by entry.

Each entry of a section (one metric, one event, ...) is validated on its own, so a
mistake in one entry neither hides mistakes elsewhere nor makes references to that
entry look like unknown ids: every problem of a file is reported in one run.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from game.scenario.errors import Problem, describe_value
from game.scenario.models import (
    LARGEST,
    Disagreement,
    Ending,
    Event,
    Id,
    LineOfEffort,
    Metric,
    Resource,
    ScenarioModel,
    Scoring,
    Stakeholder,
    Strategy,
)
from game.scenario.yamlpos import Positions

Path = tuple[str | int, ...]

# Sections that map ids to entries, with the model of one entry.
ID_SECTIONS: dict[str, type[BaseModel]] = {
    "metrics": Metric,
    "resources": Resource,
    "stakeholders": Stakeholder,
    "lines_of_effort": LineOfEffort,
    "strategies": Strategy,
    "disagreements": Disagreement,
    "events": Event,
    "endings": Ending,
}

_ID_ADAPTER: TypeAdapter[str] = TypeAdapter(Id)


class Reporter:
    """Collects problems, locating each by its path in the document."""

    def __init__(self, file: str, positions: Positions) -> None:
        self.file = file
        self.positions = positions
        self.problems: list[Problem] = []

    def at(self, path: Path, message: str, *, key: bool = False, warning: bool = False) -> None:
        mark = self.positions.key(path) if key else self.positions.value(path)
        self.problems.append(
            Problem(self.file, mark.line, mark.col, "warning" if warning else "error", message)
        )

    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


def _dotted(path: Path) -> str:
    return ".".join(str(p) for p in path)


def _field_names(model: type[BaseModel] | None) -> list[str]:
    return list(model.model_fields) if model else []


def _model_at(root: type[BaseModel], loc: Path) -> type[BaseModel] | None:
    """The model class that owns the last element of `loc`, for 'did you mean' hints."""
    current: Any = root
    for part in loc[:-1]:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        # Walk through containers and unions to the first model inside.
        current = _first_model(current, part)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _first_model(annotation: Any, part: str | int) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _first_model(arg, part)
        if found is not None:
            return found
    meta = getattr(annotation, "__origin__", None)
    if meta is not None and isinstance(meta, type) and issubclass(meta, BaseModel):
        return meta
    return None


def _message(err: ErrorDetails, owner: type[BaseModel] | None) -> str:
    kind = err["type"]
    loc = err["loc"]
    value = err.get("input")
    name = str(loc[-1]) if loc else ""
    if kind == "missing":
        return f"missing required key '{name}'"
    if kind == "extra_forbidden":
        hint = difflib.get_close_matches(name, _field_names(owner), n=1)
        allowed = ", ".join(_field_names(owner))
        if hint:
            suggestion = f" (did you mean '{hint[0]}'?)"
        elif any(c in name for c in "()+-*/<>=") or name.count(".") > 0:
            # `{add: min(a, b)}` splits at the comma inside YAML's braces.
            suggestion = " (an expression with a comma inside { } must be in quotes)"
        else:
            suggestion = f"; allowed keys: {allowed}" if allowed else ""
        return f"unknown key '{name}'{suggestion}"
    if kind == "string_pattern_mismatch":
        return (
            f"{describe_value(value)} is not a valid id: use lowercase letters, digits and "
            "'_', starting with a letter"
        )
    if kind in {"string_type", "str_type"}:
        return f"expected text, found {describe_value(value)}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"expected a whole number, found {describe_value(value)}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"expected true or false, found {describe_value(value)}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        message = f"expected a mapping of keys and values, found {describe_value(value)}"
        if name in _WHOLE_HINT and isinstance(value, int) and not isinstance(value, bool):
            key = _WHOLE_HINT[name]
            message += f"; write {name}: {{{key}: {value}}}"
        return message
    if kind == "list_type":
        return f"expected a list, found {describe_value(value)}"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"expected one of {expected}, found {describe_value(value)}"
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err["msg"]))
    if kind in {"string_too_long", "string_too_short"}:
        ctx = err.get("ctx", {})
        if kind == "string_too_long":
            return f"{describe_value(value)} is too long: at most {ctx['max_length']} characters"
        least = ctx["min_length"]
        return f"{describe_value(value)} is too short: at least {least} {_chars(least)}"
    if kind in {"too_short", "too_long"}:
        ctx = err.get("ctx", {})
        what = "mapping" if isinstance(value, dict) else "list"
        found = ctx.get("actual_length", len(value) if isinstance(value, list | dict) else "")
        if kind == "too_short":
            need = ctx.get("min_length")
            return f"the {what} needs at least {need} {_items(need)}, found {found}"
        most = ctx.get("max_length")
        return f"the {what} can have at most {most} {_items(most)}, found {found}"
    if kind.startswith(("greater_than", "less_than")):
        ctx = err.get("ctx", {})
        words = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"}
        for bound, word in words.items():
            if bound in ctx:
                limit = "10^15" if ctx[bound] == LARGEST else ctx[bound]
                return f"must be {word} {limit}, found {describe_value(value)}"
        return f"{err['msg'].replace('Input should be', 'must be')}, found {describe_value(value)}"
    return str(err["msg"])


# Mappings an instructor may write as a bare number, with the key that number belongs to.
_WHOLE_HINT = {"opens": "turn", "agreement": "needs"}


def _items(count: Any) -> str:
    return "item" if count == 1 else "items"


def _chars(count: Any) -> str:
    return "character" if count == 1 else "characters"


def _clean_loc(loc: tuple[int | str, ...], data: Any) -> Path:
    """Drop pydantic's union and validator tags that are not part of the document path."""
    out: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            out.append(part)
            node = node[part]
        elif (isinstance(node, dict | None) or not isinstance(node, list)) and (
            # A missing or unknown key is still a path element (the key itself); pydantic's
            # tags for union members and validators ("literal[...]", "function-plain[...]",
            # "[key]") are not.
            isinstance(part, str) and "[" not in part and not part.startswith("function-")
        ):
            out.append(part)
            node = None
    return tuple(out)


def report_validation(
    rep: Reporter,
    error: ValidationError,
    prefix: Path,
    data: Any,
    root: type[BaseModel],
) -> None:
    seen: set[Path] = set()
    errors = error.errors(include_url=False)
    # A misspelt key ("strat" for "start") is one mistake: its "did you mean" message says it
    # all, so the "missing required key" for the same mapping is left out.
    misspelt: set[Path] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = _clean_loc(err["loc"], data)
            owner = _model_at(root, loc) if loc else root
            hint = difflib.get_close_matches(str(loc[-1]), _field_names(owner), n=1)
            if hint:
                misspelt.add(loc[:-1] + (hint[0],))
    for err in errors:
        if err["loc"] and err["loc"][-1] == "[key]":
            # A mapping key of the wrong type, such as an option id `yes` read as true.
            loc = _clean_loc(err["loc"][:-1], data)
            where = _dotted(prefix + loc[:-1])
            found = describe_value(err.get("input"))
            if err["type"] == "literal_error":  # a key from a fixed set, such as a grade
                expected = err.get("ctx", {}).get("expected", "")
                message = f"{where}: unknown key {found[len('the text ') :]}; use {expected}"
                if not isinstance(err.get("input"), str):
                    message = f"{where}: a key must be one of {expected}, found {found}"
            elif err["type"] in ("string_pattern_mismatch", "string_too_long"):  # a bad id
                message = f"{where}: {_message(err, None)}"
            else:
                message = f"{where}: a key must be text, found {found}"
            rep.at(prefix + loc, message, key=True)
            continue
        loc = _clean_loc(err["loc"], data)
        if loc in seen or (err["type"] == "missing" and loc in misspelt):
            continue  # one message per place, even when several union members complain
        seen.add(loc)
        owner = _model_at(root, loc) if loc else root
        message = _message(err, owner)
        key = err["type"] in {"extra_forbidden", "missing"}
        where = _dotted(prefix + (loc[:-1] if key else loc))
        full = f"{where}: {message}" if where else message
        rep.at(prefix + loc, full, key=key)


def validate_document(
    data: dict[str, Any], rep: Reporter
) -> tuple[ScenarioModel, dict[str, set[str]], set[str]]:
    """Validate every section; return a model of the valid parts, every id written, and the
    top-level keys that failed."""
    fields = ScenarioModel.model_fields
    failed: set[str] = set()
    valid: dict[str, Any] = {}
    written_ids: dict[str, set[str]] = {name: set() for name in ID_SECTIONS}

    fmt = data.get("format")
    missing = [n for n, f in fields.items() if f.is_required() and n not in data]
    if (fmt is None and len(missing) >= 3) or (
        fmt is not None and not (isinstance(fmt, str) and fmt.startswith("accord/"))
    ):
        # Not a scenario at all (another YAML file given by mistake): one sentence, not a list
        # of every key it lacks.
        where: Path = ("format",) if "format" in data else ()
        rep.at(where, "this is not an Accord scenario: it should start with 'format: accord/1'")
        return _construct({}, Reporter(rep.file, rep.positions), {}, failed), written_ids, {"*"}
    for key in data:
        if not isinstance(key, str) or key not in fields:
            hint = difflib.get_close_matches(str(key), list(fields), n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            rep.at((key,), f"unknown top-level key '{key}'{suggestion}", key=True)

    for name, field in fields.items():
        if name not in data:
            if field.is_required():
                rep.at((), f"missing required top-level key '{name}'")
                failed.add(name)
            continue
        value = data[name]
        if name == "format" and isinstance(value, str) and value != "accord/1":
            message = f"format: this file is written for {value}; this Accord reads accord/1"
            rep.at(("format",), message)
            failed.add(name)
            continue
        if name in ID_SECTIONS and isinstance(value, dict):
            valid[name] = _validate_id_section(name, value, rep, written_ids[name])
            if not valid[name] and field.is_required():
                pass  # the entries' own errors say why
            continue
        annotated: Any = (
            Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
        )
        adapter: TypeAdapter[Any] = TypeAdapter(annotated)
        result = validate_pruned(
            partial(adapter.validate_python, strict=True),
            value,
            rep,
            (name,),
            ScenarioModel,
        )
        if result is not None:
            valid[name] = result
        else:
            failed.add(name)
        # Field-level constraints (ge/le/min_length) live on the field, checked below.
    model = _construct(valid, rep, data, failed)
    return model, written_ids, failed


def _validate_id_section(
    section: str, entries: dict[Any, Any], rep: Reporter, written: set[str]
) -> dict[str, Any]:
    model = ID_SECTIONS[section]
    out: dict[str, Any] = {}
    for key, value in entries.items():
        try:
            _ID_ADAPTER.validate_python(key, strict=True)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            rep.at((section, key), f"{section}: {_message(err, None)}", key=True)
            continue
        written.add(key)
        result = validate_pruned(
            partial(model.model_validate, strict=True),
            value,
            rep,
            (section, key),
            model,
        )
        if result is not None:
            out[key] = result
    return out


def _prune(data: Any, loc: tuple[int | str, ...]) -> bool:
    """Remove the deepest list item (or optional key) on `loc` from `data`; False if impossible."""
    path: list[tuple[Any, int | str]] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append((node, part))
            node = node[part]  # type: ignore[index]
        elif not isinstance(node, dict | list):
            break
    for container, part in reversed(path):
        if isinstance(container, list):
            assert isinstance(part, int)
            del container[part]
            return True
    if path:
        container, part = path[-1]
        del container[part]
        return True
    return False


def validate_pruned(
    validate: Callable[[Any], Any],
    value: Any,
    rep: Reporter,
    prefix: Path,
    model: type[BaseModel],
) -> Any:
    """Validate, report every error once, then retry without the faulty parts so the valid
    rest (other effects of the same line, say) is still checked by the later stages."""
    try:
        return validate(value)
    except ValidationError as exc:
        report_validation(rep, exc, prefix, value, model)
        errors = exc.errors(include_url=False)
    data = copy.deepcopy(value)
    for _ in range(20):
        if any(e["type"] == "missing" for e in errors):
            return None
        # Prune from the last error backwards so earlier list indices stay valid.
        if not all(_prune(data, e["loc"]) for e in reversed(errors)):
            return None
        try:
            return validate(data)
        except ValidationError as again:
            errors = again.errors(include_url=False)
    return None


def _construct(
    valid: dict[str, Any], rep: Reporter, data: dict[str, Any], failed: set[str]
) -> ScenarioModel:
    """Build the model from valid parts, checking the top-level field constraints once."""
    try:
        return ScenarioModel.model_validate(valid, strict=True)
    except ValidationError as exc:
        # Only constraint errors on sections that passed alone remain (e.g. too few metrics),
        # plus missing required keys already reported above.
        for err in exc.errors(include_url=False):
            loc = err["loc"]
            if err["type"] == "missing":
                continue
            if loc and loc[0] in valid:
                failed.add(str(loc[0]))
                rep.at(
                    (loc[0],),
                    f"{_dotted(tuple(loc))}: {_message(err, ScenarioModel)}",
                )
        # Placeholders for required parts that failed, so later checks can still run.
        parts: dict[str, Any] = {
            "format": "accord/1",
            "id": "scenario",
            "title": "",
            "turns": 1,
            "metrics": {},
            "endings": {},
            "scoring": Scoring(score="0"),
        }
        parts.update(valid)
        return ScenarioModel.model_construct(**parts)
