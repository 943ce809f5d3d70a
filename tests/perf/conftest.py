"""Small synthetic worlds for the performance tests (claims.services.synthetic, the generator the benchmark uses)."""

from __future__ import annotations

import pytest

from claims.services.synthetic import SyntheticSpec, synthetic_generate
from tests.api.conftest import world  # noqa: F401 - the API tests' small world, as a fixture here too

SMALL = SyntheticSpec(experts=60, organizations=12, articles=150, claims=600, outlets=8, seed=7)


@pytest.fixture
def synthetic(db):
    """600 claims by 60 experts in 150 articles."""
    return synthetic_generate(spec=SMALL)
