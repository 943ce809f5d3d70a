"""Expert services: creation with aliases, updates with versions, merging duplicates."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext

from claims.models import Affiliation, Alias, Claim, Expert
from claims.services.errors import ConflictError, StaleVersionError
from claims.services.people import (
    affiliation_get_or_create,
    alias_add,
    expert_create,
    expert_merge,
    expert_update,
    organization_get_or_create,
)
from tests import factories

pytestmark = pytest.mark.django_db


class TestExpertCreate:
    def test_creates_aliases_slug_and_sort_name(self):
        expert = expert_create(name="Professor Andrei Lankov", aliases=["Andrei N. Lankov"])
        assert expert.name == "Andrei Lankov" and expert.slug == "andrei-lankov"
        assert expert.sort_name == "Lankov, Andrei"
        assert set(expert.aliases.values_list("name", flat=True)) == {"Andrei Lankov", "Andrei N. Lankov"}

    def test_slugs_stay_unique(self):
        assert expert_create(name="Kim Seung").slug == "kim-seung"
        assert expert_create(name="Kim Seung").slug == "kim-seung-2"

    def test_invalid_wikidata_id(self):
        with pytest.raises(ValidationError):
            expert_create(name="A B", wikidata_id="42")
        assert not Expert.objects.exists()


class TestConstraintsByDatabase:
    """Ingestion's writes check the fields in Python and leave the constraints to the database."""

    def test_fields_are_still_checked(self):
        with pytest.raises(ValidationError):
            expert_create(name="A B", wikidata_id="42", constraints_by_database=True)

    def test_the_database_still_refuses_what_a_constraint_forbids(self):
        expert = expert_create(name="Lee Sang-hyun", constraints_by_database=True)
        with pytest.raises(ValidationError):  # the curator's path: a ValidationError before any write
            affiliation_get_or_create(expert=expert, organization=None, role="")
        with pytest.raises(IntegrityError), transaction.atomic():  # ingestion's: the database's refusal
            affiliation_get_or_create(expert=expert, organization=None, role="", constraints_by_database=True)
        assert not Affiliation.objects.filter(expert=expert).exists()

    def test_no_question_to_the_database_per_constraint(self):
        from django.db import connection

        def statements(**options):
            with CaptureQueriesContext(connection) as captured:
                expert = expert_create(name=f"Hong Min {len(options)}", **options)
                organization = organization_get_or_create(name=f"Institute {len(options)}", **options)
                affiliation_get_or_create(expert=expert, organization=organization, role="researcher", **options)
            return [query["sql"] for query in captured.captured_queries]

        checked, trusted = statements(), statements(constraints_by_database=True)
        # full_clean asks about each check constraint with a SELECT that reads no table
        assert [sql for sql in checked if sql.startswith("SELECT") and " FROM " not in sql]
        assert not [sql for sql in trusted if sql.startswith("SELECT") and " FROM " not in sql]
        assert len(trusted) < len(checked)


class TestAliasAdd:
    def test_same_normalized_form_is_reused(self):
        expert = expert_create(name="Choi Ryong-hae")
        assert alias_add(expert=expert, name="Ryong-Hae Choi").pk == expert.aliases.get().pk
        assert alias_add(expert=expert, name="Choe Ryong Hae").name == "Choe Ryong Hae"
        assert expert.aliases.count() == 2


class TestExpertUpdate:
    def test_new_name_becomes_an_alias_and_version_increments(self):
        expert = expert_create(name="Seung Kim")
        updated = expert_update(expert=expert, data={"name": "Kim Seung-hoon"}, expected_version=1)
        assert updated.version == 2
        assert set(updated.aliases.values_list("name", flat=True)) == {"Seung Kim", "Kim Seung-hoon"}
        same = expert_update(expert=updated, data={"name": "Seung-Hoon Kim"})  # same normalized form
        assert same.aliases.count() == 2

    def test_stale_version_is_refused(self):
        expert = expert_create(name="Seung Kim")
        expert_update(expert=expert, data={"bio": "one"}, expected_version=1)
        with pytest.raises(StaleVersionError):
            expert_update(expert=expert, data={"bio": "two"}, expected_version=1)
        expert.refresh_from_db()
        assert expert.bio == "one"


class TestExpertMerge:
    def test_moves_claims_aliases_affiliations_and_keeps_names(self):
        org = factories.OrganizationFactory()
        target = expert_create(name="Choi Ryong-hae")
        duplicate = expert_create(name="Choe Ryong Hae", aliases=["Ryong-Hae Choi"])
        other = expert_create(name="Ri Su-yong")
        shared_role = affiliation_get_or_create(expert=target, organization=org, role="secretary")
        dup_same_role = affiliation_get_or_create(expert=duplicate, organization=org, role="secretary")
        dup_other_role = affiliation_get_or_create(expert=duplicate, organization=None, role="special envoy")
        claims = [
            factories.ClaimFactory(expert=duplicate, affiliation=dup_same_role),
            factories.ClaimFactory(expert=duplicate, affiliation=dup_other_role),
            factories.ClaimFactory(expert=target),
        ]
        untouched = factories.ClaimFactory(expert=other)
        target.possible_duplicates.add(duplicate)

        merged = expert_merge(target=target, duplicates=[duplicate])

        assert not Expert.objects.filter(pk=duplicate.pk).exists()
        assert set(Claim.objects.filter(expert=merged).values_list("pk", flat=True)) == {c.pk for c in claims}
        assert Claim.objects.get(pk=claims[0].pk).affiliation == shared_role
        assert Claim.objects.get(pk=claims[1].pk).affiliation_id == dup_other_role.pk
        assert set(Affiliation.objects.filter(expert=merged).values_list("role", flat=True)) == {
            "secretary",
            "special envoy",
        }
        names = set(Alias.objects.filter(expert=merged).values_list("name", flat=True))
        assert names == {"Choi Ryong-hae", "Choe Ryong Hae"}  # "Ryong-Hae Choi" normalizes like the first
        assert Alias.objects.filter(expert=merged, origin="merged").exists()
        assert not merged.possible_duplicates.exists()
        assert Claim.objects.get(pk=untouched.pk).expert == other
        assert Claim.objects.get(pk=claims[0].pk).history.first().expert_id == merged.pk

    def test_merge_records_the_curator_in_the_history(self):
        curator = factories.UserFactory()
        target, duplicate = expert_create(name="Jane Roe"), expert_create(name="J. Roe")
        claim = factories.ClaimFactory(expert=duplicate)
        merged = expert_merge(target=target, duplicates=[duplicate], user=curator)
        assert claim.history.first().history_user == curator
        assert merged.history.first().history_user == curator

    def test_merge_says_what_moved_in_the_histories(self):
        target, duplicate = expert_create(name="Jane Roe"), expert_create(name="J. Roe", aliases=["Janet Roe"])
        affiliation_get_or_create(expert=duplicate, organization=None, role="envoy")
        claims = [factories.ClaimFactory(expert=duplicate), factories.ClaimFactory(expert=duplicate)]
        merged = expert_merge(target=target, duplicates=[duplicate])
        reason = merged.history.first().history_change_reason
        assert reason == "merged J. Roe: 2 claims, 1 affiliation, 2 new aliases moved here"
        assert claims[0].history.first().history_change_reason == f"merged into Jane Roe (id {target.pk})"

    def test_merge_is_all_or_nothing(self, monkeypatch):
        target = expert_create(name="A Target")
        duplicate = expert_create(name="A Duplicate")
        claim = factories.ClaimFactory(expert=duplicate)

        def boom(**kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr("claims.services.people.alias_add", boom)
        with pytest.raises(RuntimeError):
            expert_merge(target=target, duplicates=[duplicate])
        assert Expert.objects.filter(pk=duplicate.pk).exists()
        assert Claim.objects.get(pk=claim.pk).expert_id == duplicate.pk

    def test_refuses_merging_into_itself_or_nothing(self):
        expert = expert_create(name="A B")
        with pytest.raises(ConflictError):
            expert_merge(target=expert, duplicates=[expert])
        with pytest.raises(ConflictError):
            expert_merge(target=expert, duplicates=[])


class TestOrganizations:
    def test_found_by_name_any_case_or_acronym(self):
        org = organization_get_or_create(name="Korea Institute for National Unification", acronym="KINU")
        assert organization_get_or_create(name="korea institute for national unification") == org
        assert organization_get_or_create(name="K.I.N.U. (full name unknown)", acronym="kinu") == org
        assert org.slug == "korea-institute-for-national-unification"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Kookmin University", "university"),
        ("Korea Institute for National Unification", "think_tank"),
        ("Sejong Research Center", "think_tank"),
        ("South Korean Embassy in Moscow", "government"),
        ("Yonhap News Agency", "media"),
        ("Curtin", "other"),
    ],
)
def test_organization_kind_is_guessed_from_the_name(name, kind):
    assert organization_get_or_create(name=name).kind == kind
