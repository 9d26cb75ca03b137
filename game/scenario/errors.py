"""Problems found in a scenario file, each with its place, and the error that carries them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem: `file:line:col: severity: message`; line 0 when it has no place
    in a file (a scenario id found nowhere): `name: severity: message`."""

    file: str
    line: int
    col: int
    severity: Severity
    message: str

    def format(self) -> str:
        if not self.line:
            return f"{self.file}: {self.severity}: {self.message}"
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
        }


def sort_problems(problems: list[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: (p.file, p.line, p.col, p.severity, p.message)))


class ScenarioError(Exception):
    """Raised when a scenario cannot be loaded; `problems` holds every located problem."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = sort_problems(list(problems))
        errors = [p for p in self.problems if p.severity == "error"]
        first = (errors or list(self.problems))[0].format() if self.problems else "invalid"
        more = len(errors) - 1
        suffix = f" (and {more} more error{'s' if more > 1 else ''})" if more > 0 else ""
        super().__init__(first + suffix)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


def describe_value(value: Any) -> str:
    """Name a YAML value the way an instructor would read it."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return (
            f"the boolean {str(value).lower()} (YAML reads yes/no/on/off/true/false as "
            "booleans; put quotes around text)"
        )
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"
