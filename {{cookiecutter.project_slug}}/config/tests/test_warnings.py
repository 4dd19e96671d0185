import warnings

import pytest


@pytest.mark.parametrize("module", ["accounts.views", "config.settings.base"])
def test_a_deprecation_raised_from_our_code_fails_the_tests(module):
    # pyproject.toml turns these into errors, so they are fixed rather than ignored.
    with pytest.raises(DeprecationWarning):
        warnings.warn_explicit("old API", DeprecationWarning, f"{module.replace('.', '/')}.py", 1, module=module)
