import pytest

from khizmat.monitoring.tests.helpers import Clock, at


@pytest.fixture
def clock():
    """Thursday 20 March 2031, noon in Tashkent (a year without seeded holidays: the tests add their own)."""
    with Clock(at(20, 12)) as fixed:
        yield fixed
