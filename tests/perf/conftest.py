"""Small synthetic worlds for the performance tests (claims.services.synthetic, the generator the benchmark uses)."""

from __future__ import annotations

import pytest

from claims.services.synthetic import synthetic_generate
from tests.factories import SMALL


@pytest.fixture
def synthetic(db):
    """600 claims by 60 experts in 150 articles."""
    return synthetic_generate(spec=SMALL)
