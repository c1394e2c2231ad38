"""Kept for old imports: the contents moved to :mod:`sgmbook.experiments.log_concave`."""
from .experiments.log_concave import *  # noqa: F401,F403
from .experiments.log_concave import __all__  # noqa: F401
