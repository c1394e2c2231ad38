"""Kept for old imports: the contents moved to :mod:`sgmbook.experiments.blowup`."""
from .experiments.blowup import *  # noqa: F401,F403
from .experiments.blowup import __all__  # noqa: F401
