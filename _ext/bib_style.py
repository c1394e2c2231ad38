"""The references page in the author-year style of the citations.

pybtex's stock styles label entries ``[BZL+23]`` (alpha) or ``[1]`` (plain) and lower-case every title
after its first word. The style registered here as ``authoryear``

* labels each entry as its in-text citation reads: ``Vincent, 2011``, ``Zhang and Chen, 2023``,
  ``Bruno et al., 2023`` (a letter is appended when two entries would share a label);
* sorts by first author, year and title;
* prints titles exactly as they stand in ``references.bib`` (as published), and an arXiv identifier
  (``eprint`` field) as a link to its abstract page.
"""
from __future__ import annotations

from collections import Counter

from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle
from pybtex.style.template import field, sentence
from sphinx.application import Sphinx


def _surname(person) -> str:
    return " ".join(person.prelast_names + person.last_names).replace("{", "").replace("}", "")


def author_year_label(entry) -> str:
    """``Surname, year`` / ``A and B, year`` / ``A et al., year`` of one entry."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_surname(p) for p in people]
    if not names:
        who = entry.fields.get("key", entry.key)
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        labels = [author_year_label(e) for e in sorted_entries]
        counts, seen = Counter(labels), Counter()
        for label in labels:
            if counts[label] > 1:
                seen[label] += 1
                yield label + "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            else:
                yield label


class AuthorYearStyle(UnsrtStyle):
    default_label_style = AuthorYearLabels
    default_sorting_style = SortingStyle

    def format_title(self, e, which_field, as_sentence=True):
        title = field(which_field)  # as published: no change of case
        return sentence[title] if as_sentence else title


def setup(app: Sphinx) -> dict:
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
