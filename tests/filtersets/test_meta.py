"""Every filter of every FilterSet has a strict-subset case in tests/filtersets/ (NetBox's missing-filter test).

Each ``tests/filtersets/test_<context>.py`` declares ``CASES = {FilterSetClass: {case_name: ...}}``; a
case named after a filter (or ``<filter>_<variant>``) covers it. Control parameters are exempt.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import django_filters
import pytest

import claims.filtersets

CONTROL_PARAMETERS = frozenset({"ordering"})
HERE = Path(__file__).resolve().parent


def all_filtersets() -> list[type]:
    """Every concrete FilterSet declared in a module of claims/filtersets/."""
    found = set()
    for path in Path(claims.filtersets.__file__).parent.glob("*.py"):
        module_name = "claims.filtersets" if path.stem == "__init__" else f"claims.filtersets.{path.stem}"
        module = importlib.import_module(module_name)
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, django_filters.FilterSet)
                and obj._meta.model is not None
                and obj.__module__.startswith("claims.filtersets")
            ):
                found.add(obj)
    return sorted(found, key=lambda cls: cls.__name__)


def case_tables() -> dict[type, set[str]]:
    tables: dict[type, set[str]] = {}
    for path in sorted(HERE.glob("test_*.py")):
        if path.stem == "test_meta":
            continue
        module = importlib.import_module(f"tests.filtersets.{path.stem}")
        for filterset_class, cases in getattr(module, "CASES", {}).items():
            tables.setdefault(filterset_class, set()).update(cases)
    return tables


@pytest.mark.parametrize("filterset_class", all_filtersets(), ids=lambda cls: cls.__name__)
def test_every_filter_has_a_strict_subset_case(filterset_class):
    cases = case_tables().get(filterset_class, set())
    missing = [
        name
        for name in filterset_class.base_filters
        if name not in CONTROL_PARAMETERS and not any(case == name or case.startswith(f"{name}_") for case in cases)
    ]
    assert not missing, f"{filterset_class.__name__}: no strict-subset case for {missing} in tests/filtersets/"


def test_the_meta_test_sees_every_list():
    names = {cls.__name__ for cls in all_filtersets()}
    assert names >= {
        "ArticleFilterSet",
        "ClaimFilterSet",
        "EventFilterSet",
        "ExpertFilterSet",
        "OrganizationFilterSet",
        "OutletFilterSet",
        "PredictionFilterSet",
        "TopicFilterSet",
    }
