"""Kept for old imports: the contents moved to :mod:`sgmbook.experiments.local_lipschitz`."""
from .experiments.local_lipschitz import *  # noqa: F401,F403
from .experiments.local_lipschitz import __all__  # noqa: F401
