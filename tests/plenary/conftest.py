from collections.abc import Iterator

import pytest

from app.plenary.grouping import forget_recent_groupings
from tests.reports.consultation import consultation

__all__ = ["consultation"]


@pytest.fixture(autouse=True)
def fresh_groupings() -> Iterator[None]:
    """Some tests change the grouping's tuning constants: every test groups from scratch."""
    forget_recent_groupings()
    yield
    forget_recent_groupings()
