"""The examples on the contract pages (module docstrings) run as doctests."""
import doctest

import pytest

import sgmbook.schedules
import sgmbook.targets


@pytest.mark.parametrize("module", [sgmbook.targets, sgmbook.schedules])
def test_module_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
