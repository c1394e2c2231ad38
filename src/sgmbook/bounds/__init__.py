"""The papers' inequalities as functions, one module per paper.

* :mod:`sgmbook.bounds.bruno` -- Bruno, Zhang, Lim, Akyildiz, Sabanis, arXiv 2311.13584 (W2 bounds,
  strongly log-concave data).
* :mod:`sgmbook.bounds.mooney` -- Mooney, Wang, Xin, Yu, arXiv 2405.16104 (Hessian bounds of
  :math:`\\log p_t`).

Each docstring says whether the formula is the paper's or reconstructed in the book.
"""
from . import bruno, mooney

__all__ = ["bruno", "mooney"]
