"""Every filter of the experts and organizations lists selects a strict subset."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from claims.filtersets import ExpertFilterSet, OrganizationFilterSet
from claims.models import Expert, Organization
from tests import factories
from tests.conftest import assert_strict_subset, filtered_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = SimpleNamespace()
    make_org = factories.OrganizationFactory
    w.orgs = [
        make_org(name="Korea Institute for National Unification", acronym="KINU", country="South Korea"),
        make_org(name="Sejong Institute", country="South Korea"),
        make_org(name="Asan Institute for Policy Studies", country="South Korea"),
        make_org(name="Kookmin University", kind="university", country="South Korea"),
        make_org(name="Korea University", kind="university", country="South Korea"),
        make_org(name="Far Eastern Federal University", kind="university", country="Russia"),
        make_org(name="Carnegie Moscow Center", country="Russia"),
        make_org(name="IMEMO", country="Russia"),
    ]
    w.experts = [
        factories.ExpertFactory(
            name="Andrei Lankov", slug="andrei-lankov", aliases=["Professor Lankov"], kind="academic"
        ),
        factories.ExpertFactory(name="Kim Dong-yub", slug="kim-dong-yub", kind="analyst"),
        factories.ExpertFactory(name="Kim Yong-hyun", slug="kim-yong-hyun", kind="analyst"),
        factories.ExpertFactory(name="Kim Jae-chun", slug="kim-jae-chun", aliases=["Jae-chun Kim"]),
        factories.ExpertFactory(name="Cho Han-bum", slug="cho-han-bum", kind="analyst"),
        factories.ExpertFactory(name="Alexander Zhebin", slug="alexander-zhebin", kind="official"),
    ]
    for expert_index, org_index in ((1, 0), (2, 0), (4, 0), (4, 1), (0, 3), (5, 7)):
        factories.AffiliationFactory(expert=w.experts[expert_index], organization=w.orgs[org_index])
    return w


def experts(w, *indexes):
    return {w.experts[i].pk for i in indexes}


def orgs(w, *indexes):
    return {w.orgs[i].pk for i in indexes}


CASES = {
    ExpertFilterSet: {
        "name": (lambda w: {"name": "kim"}, lambda w: experts(w, 1, 2, 3)),
        "organization": (lambda w: {"organization": "KINU"}, lambda w: experts(w, 1, 2, 4)),
        "slug": (lambda w: {"slug": "alexander-zhebin"}, lambda w: experts(w, 5)),
        "kind": (lambda w: {"kind": "analyst"}, lambda w: experts(w, 1, 2, 4)),
        "kind_official": (lambda w: {"kind": "official"}, lambda w: experts(w, 5)),
    },
    OrganizationFilterSet: {
        "name": (lambda w: {"name": "institute"}, lambda w: orgs(w, 0, 1, 2)),
        "kind": (lambda w: {"kind": "university"}, lambda w: orgs(w, 3, 4, 5)),
        "country": (lambda w: {"country": "russia"}, lambda w: orgs(w, 5, 6, 7)),
    },
}
QUERYSETS = {ExpertFilterSet: Expert.objects.all, OrganizationFilterSet: Organization.objects.all}


def selected(filterset_class, params) -> list[int]:
    return filtered_ids(filterset_class, params, QUERYSETS[filterset_class]())


@pytest.mark.parametrize(
    ("filterset_class", "name"), [(cls, name) for cls, cases in CASES.items() for name in sorted(cases)]
)
def test_each_filter_selects_a_strict_subset(world, filterset_class, name):
    params, expected = CASES[filterset_class][name]
    found = selected(filterset_class, params(world))
    assert_strict_subset(found, expected(world), QUERYSETS[filterset_class]().count())


@pytest.mark.parametrize("spelling", ["jae-chun kim", "Kim, Jae-chun", "KIM JAE CHUN"])
def test_expert_name_ignores_case_hyphens_and_order(world, spelling):
    assert set(selected(ExpertFilterSet, {"name": spelling})) == experts(world, 3)


def test_organization_acronym_is_exact_and_name_is_a_part(world):
    assert set(selected(OrganizationFilterSet, {"name": "kinu"})) == orgs(world, 0)
    assert set(selected(OrganizationFilterSet, {"name": "Moscow"})) == orgs(world, 6)
