"""Trainee names: what may be typed, what counts as the same name, and the folder it maps to.

Two names are the same trainee when they are equal after Unicode NFKC normalisation, case folding
and collapsing spaces ("ALICE", "alice" and the full-width "ａｌｉｃｅ" are one trainee). A name
mixing alphabets ("Аlice" with a Cyrillic А) is refused: it would look like another trainee's.
The folder is a short ASCII slug of the name, with a hash of the canonical name appended whenever
the slug alone would lose something, so two different names never share a folder and no name
can leave the class folder.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 40
SLUG_LENGTH = 32
_PUNCTUATION = set(" -'.")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class NameError_(ValueError):
    """A name that cannot be a trainee's, with the sentence that says why."""


@dataclass(frozen=True)
class Trainee:
    name: str  # as shown: NFKC, spaces collapsed, typographic apostrophes made plain
    key: str  # what makes two names the same: name, case-folded
    slug: str  # the trainee's folder in the class folder


def _script(char: str) -> str:
    """The alphabet of a letter, from its Unicode name ('LATIN', 'CYRILLIC', 'CJK', ...)."""
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "?"


def trainee(typed: str) -> Trainee:
    """The trainee a typed name means; NameError_ with one sentence when it cannot be a name."""
    name = " ".join(unicodedata.normalize("NFKC", typed).replace("’", "'").split())
    if not name:
        raise NameError_("Type your name to join the class.")
    if len(name) > MAX_LENGTH:
        raise NameError_(f"A name is at most {MAX_LENGTH} characters.")
    scripts: set[str] = set()
    for char in name:
        kind = unicodedata.category(char)
        if kind[0] == "L":
            scripts.add(_script(char))
        elif kind[0] == "M" or kind == "Nd" or char in _PUNCTUATION:
            continue
        else:
            raise NameError_(
                f"A name holds letters, digits, spaces, '-', '.' and apostrophes, not {char!r}."
            )
    if not scripts:
        raise NameError_("A name needs at least one letter.")
    if len(scripts) > 1:
        raise NameError_("Write your name in one alphabet: mixed alphabets look like other names.")
    key = name.casefold()
    return Trainee(name=name, key=key, slug=slug(key))


def slug(key: str) -> str:
    """A folder name for a canonical (case-folded) name: lowercase ASCII letters, digits and
    '-', never empty, never starting with '.', with a hash when the ASCII form loses anything."""
    plain = unicodedata.normalize("NFKD", key)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    ascii_form = _NOT_SLUG.sub("-", plain.encode("ascii", "ignore").decode()).strip("-")
    ascii_form = ascii_form[:SLUG_LENGTH].strip("-")
    if ascii_form == key:
        return ascii_form
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    return f"{ascii_form or 'trainee'}-{digest}"
