"""The papers' inequalities as functions, one module per paper.

* :mod:`sgmbook.bounds.bruno` -- Bruno, Zhang, Lim, Akyildiz, Sabanis, arXiv 2311.13584 (W2 bounds,
  strongly log-concave data).
* :mod:`sgmbook.bounds.bruno_models` -- the regularity constants of the book's score models for them;
* :mod:`sgmbook.bounds.bruno_gaussian` -- the book's bounds for their Gaussian-with-unknown-mean example;
* :mod:`sgmbook.bounds.mooney` -- Mooney, Wang, Xin, Yu, arXiv 2405.16104 (Hessian bounds of
  :math:`\\log p_t`, the crude bound on compact sets, the convergence-bound shapes).

Each docstring says whether the formula is the paper's or reconstructed in the book.
"""
from . import bruno, bruno_gaussian, bruno_models, mooney

__all__ = ["bruno", "bruno_gaussian", "bruno_models", "mooney"]
