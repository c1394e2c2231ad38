"""Kept for old imports: the contents moved to :mod:`sgmbook.experiments.gaussian_mean`."""
from .experiments.gaussian_mean import *  # noqa: F401,F403
from .experiments.gaussian_mean import __all__  # noqa: F401
