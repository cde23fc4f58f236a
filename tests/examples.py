"""How many examples a hypothesis property test runs, by profile.

``tests/conftest.py`` registers two hypothesis profiles and loads the one ``HYPOTHESIS_PROFILE``
names: "ci" (``make test`` and ``.ci/run``) and "quick" (the default: the inner loop). A test
module states the count it runs in CI, ``settings(max_examples=examples(500))``; under "quick" it
runs the same share of that count as the profile's ``max_examples`` is of the ci one.
"""

from __future__ import annotations

from hypothesis import settings


def examples(ci: int) -> int:
    """``ci`` under the "ci" profile; under another profile ``ci`` scaled by that profile's
    ``max_examples`` over the ci profile's, and never fewer than ``min(ci, 10)``."""
    share = settings.default.max_examples / settings.get_profile("ci").max_examples
    return max(min(ci, 10), round(ci * share))
