"""Kept for old imports: the contents moved to :mod:`sgmbook.experiments.manifold_heat`."""
from .experiments.manifold_heat import *  # noqa: F401,F403
from .experiments.manifold_heat import __all__  # noqa: F401
