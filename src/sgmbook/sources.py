"""Where a statement of the book comes from: the one vocabulary of source labels.

Every labelled statement of the book (assumption, definition, theorem, lemma, remark, ...) names its
source in its title with one of these phrases; the notebook meta-tests check it, and the results pages
group statements by them. The order matters only for matching: a longer phrase that contains a shorter
one ("from the paper, as quoted in reviews" contains "from the paper") is tried first.
"""
from __future__ import annotations

import re
from typing import NamedTuple


class Source(NamedTuple):
    key: str
    phrase: str
    meaning: str


VOCABULARY: tuple[Source, ...] = (
    Source("reviews", "from the paper, as quoted in reviews",
           "a statement of the paper known to the book only through public reviews of it"),
    Source("summary", "from a third-party summary",
           "wording taken from a third-party summary of the paper, not from the paper itself"),
    Source("code", "from the authors' code",
           "read off the authors' public code or the numbers it printed"),
    Source("paper", "from the paper",
           "stated in the paper (its abstract or a section the book names)"),
    Source("derived", "derived here",
           "the book's own statement, with a proof in the chapter"),
    Source("illustration", "illustration",
           "computed to show a behaviour; not a proof and not a test of a statement"),
)

_ALIASES = {
    # wordings in use that mean one of the phrases above
    "as quoted in reviews": "reviews",
    "as quoted in a review": "reviews",
    "third-party summary": "summary",
    "authors' code": "code",
    "from the paper's abstract": "paper",
}


def sources_in(title: str) -> list[str]:
    """The keys of every vocabulary phrase named in a statement's title, in order of appearance.

    >>> sources_in("Full bound (derived here)")
    ['derived']
    >>> sources_in("Theorem 3.10 (from the paper, as quoted in reviews: Mooney et al.)")
    ['reviews']
    """
    text = title.lower().replace("\u2019", "'")
    found: list[tuple[int, str]] = []
    taken = [False] * len(text)
    patterns = [(s.phrase, s.key) for s in VOCABULARY] + list(_ALIASES.items())
    for phrase, key in sorted(patterns, key=lambda p: -len(p[0])):
        for m in re.finditer(re.escape(phrase), text):
            if any(taken[m.start():m.end()]):
                continue
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            found.append((m.start(), key))
    keys: list[str] = []
    for _, key in sorted(found):
        if key not in keys:
            keys.append(key)
    return keys


def primary_source(title: str) -> str:
    """The first source a title names; ``ValueError`` when it names none of the vocabulary."""
    keys = sources_in(title)
    if not keys:
        phrases = "; ".join(s.phrase for s in VOCABULARY)
        raise ValueError(f"title {title!r} names no source from the vocabulary ({phrases})")
    return keys[0]
