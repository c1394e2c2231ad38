"""Apply the corrections of issue 17 (step counts, item 4; labels, item 7) to chapters 2, 4, 5 and 8.

Each correction is an exact string replacement in one named cell of one notebook. The cell is named by
its id; the anchor must occur exactly once in that cell, else the script stops with an error and writes
nothing. Run from the repository root (or pass the book directory):

    python tools/patch_issue17.py [BOOK_DIR]

Only sources change: re-execute the patched notebooks afterwards (their outputs are stale).
Standard library only.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

CH2 = "02_gaussian_unknown_mean.ipynb"
CH4 = "04_sharp_hessian_bounds.ipynb"
CH5 = "05_blowup_counterexample.ipynb"
CH8 = "08_comparison.ipynb"

# (notebook, cell id, old, new, reason)
PATCHES: list[tuple[str, str, str, str, str]] = [
    # --- item 4: step counts (epochs are numbered from 0; 391 minibatches an epoch) ---
    (CH2, "0634f754",
     "$\\theta_0 = 0$, and $200$ epochs over $5\\times 10^4$ training points, that is "
     "{glue:text}`ch2-ncode`\niterations of $128$ samples.",
     "$\\theta_0 = 0$, and $200$ epochs over $5\\times 10^4$ training points in minibatches of "
     "$128$: $391$ minibatches\nan epoch (the last of $80$ points), that is {glue:text}`ch2-ncode` "
     "iterations. Epochs are numbered from\n$0$, so the parameter printed at epoch $k$ comes after "
     "$(k+1)\\times 391$ iterations (the authors' runs are\nrecomputed epoch by epoch in "
     "[the next chapter](02b_authors_experiment.ipynb)).",
     "item 4: 200 x 391 iterations, epochs numbered from 0"),
    (CH2, "7f16f0f9",
     "n_code = 200 * 50_000 // 128\n",
     "n_code = 200 * 391  # 200 epochs of 391 minibatches (the last of 80 points)\n",
     "item 4: the full run is 200 x 391 = 78,200 steps, not 200 x 50000 // 128 = 78,125"),
    (CH2, "7f16f0f9",
     "# (391 minibatches per epoch)\n",
     "# (391 minibatches per epoch; epochs are numbered from 0, so epoch 192 ends after 193 x 391 steps)\n",
     "item 4: comment"),
    (CH2, "7f16f0f9",
     "np.array([192 * 391])",
     "np.array([193 * 391])",
     "item 4: the parameter printed at epoch 192 comes after 193 x 391 = 75,463 steps"),
    (CH2, "7f16f0f9",
     'print(f"exact E theta after 192 epochs = ',
     'print(f"exact E theta at the end of epoch 192 (193 x 391 steps) = ',
     "item 4: say which iteration is compared"),
    # --- item 7: label corrections ---
    (CH4, "2673929d",
     "d2 log p at tau = 1: exact",
     "d2 log p at tau = 18/19: exact",
     "item 7: entry 3 of linspace(0, 6, 20) is tau = 18/19, not tau = 1"),
    (CH4, "ffdc804b",
     ":::{prf:remark} What the paper proves (from the paper: Mooney et al., Theorem 3.1)",
     ":::{prf:remark} What the paper proves (from the paper, as quoted in reviews: Mooney et al., "
     "Theorem 3.1)",
     "item 7: the statement rests on reviews of the paper"),
    (CH5, "28819638",
     ":::{prf:remark} The paper's version (from the paper: Mooney et al., Section 3, counterexample)",
     ":::{prf:remark} The paper's version (from the paper, as quoted in reviews: Mooney et al., "
     "Section 3, counterexample)",
     "item 7: (log h_M)_xx(1/2, 0) > M^2/3 rests on reviews of the paper"),
    (CH8, "2b97e07f",
     "order one in the Gaussian example (abstract)",
     "order one in the Gaussian example (third-party summary: \"optimal rate of order one\")",
     "item 7: 'order one' is from a third-party summary, not the abstract"),
    (CH8, "2b97e07f",
     "$\\sqrt d$ in the Gaussian example (abstract)",
     "$\\sqrt d$ in the Gaussian example (third-party summary); the abstract: \"best known upper "
     "bound estimates in terms of ... the dimension and rates of convergence\"",
     "item 7: 'sqrt(d)' is from a third-party summary"),
    (CH8, "2b97e07f",
     "$L^2$ accuracy $\\varepsilon_{SN}$ in expectation over the optimiser and an auxiliary process "
     "(abstract)",
     "$L^2$ accuracy in expectation over the optimiser and an auxiliary process (abstract); the "
     "symbol $\\varepsilon_{SN}$ (third-party summary)",
     "item 7: the symbol eps_SN is from a third-party summary"),
    (CH8, "2b97e07f",
     "get a $W_2$ bound of order one in the step with a $\\sqrt d$\ndimension factor in their example.",
     "get a $W_2$ bound of order one in the step with a $\\sqrt d$\ndimension factor in their example "
     "(according to a third-party summary of the paper).",
     "item 7: attribute order one / sqrt(d) to the third-party summary"),
    (CH8, "36b07c16",
     "scaling, as Bruno et al. state;",
     "scaling, as a third-party summary of Bruno et al. reports (\"optimal rate of order one\" with a "
     "$\\sqrt d$\ndependence; the abstract itself speaks of best known bounds in the dimension and "
     "rates of convergence);",
     "item 7: attribute to the third-party summary"),
]

#: Notebooks whose stored outputs the patches make stale (re-execute them after patching).
REEXECUTE = (CH2, CH4, CH5, CH8)


def _cell(nb: dict, cell_id: str, name: str) -> dict:
    hits = [c for c in nb["cells"] if c.get("id") == cell_id]
    if len(hits) != 1:
        raise SystemExit(f"{name}: cell id {cell_id!r} found {len(hits)} times (expected once)")
    return hits[0]


def apply(book: Path) -> list[str]:
    """Apply every patch in memory first; write only if all anchors were found exactly once."""
    books: dict[str, dict] = {}
    for name, cell_id, old, new, why in PATCHES:
        nb = books.setdefault(name, json.loads((book / name).read_text(encoding="utf-8")))
        cell = _cell(nb, cell_id, name)
        src = "".join(cell["source"])
        count = src.count(old)
        if count != 1:
            raise SystemExit(f"{name}, cell {cell_id}: anchor found {count} times (expected once) "
                             f"[{why}]:\n{old!r}")
        src = src.replace(old, new)
        cell["source"] = src.splitlines(keepends=True)
        print(f"{name} [{cell_id}]: {why}")
    for name, nb in books.items():
        (book / name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return sorted(books)


def main(argv: list[str]) -> int:
    book = Path(argv[1]) if len(argv) > 1 else Path("book")
    if not book.is_dir():
        raise SystemExit(f"book directory {book} not found")
    changed = apply(book)
    print("patched:", ", ".join(changed))
    print("re-execute:", ", ".join(f"{book / n}" for n in REEXECUTE))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
