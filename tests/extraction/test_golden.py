"""Golden files: the full extraction of every seed article, compared exactly.

Rewrite them with ``UPDATE_GOLDEN=1`` after a deliberate change, and review the diff by hand.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from claims.extraction.serialize import extraction_to_dict

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = ROOT / "tests" / "golden"


def _read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as f:
        return f.read()


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_matches_golden(seed, extract):
    text = _read(seed)
    got = extraction_to_dict(extract(text))
    for q in got["quotes"]:
        assert text[q["start"] : q["end"]] == q["text"]
    golden = GOLDEN / f"{seed.stem}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden file for {seed.name}; run with UPDATE_GOLDEN=1"
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def test_every_seed_has_a_golden_file():
    assert {p.stem for p in SEEDS} == {p.stem for p in GOLDEN.glob("*.json")}
