"""The experts admin: claim counts, possible duplicates, merging, inline aliases and affiliations, stale copies."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.choices import AliasOrigin
from claims.models import Affiliation, Alias, Claim, Expert
from tests import factories
from tests.conftest import form_data, merge, messages_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:claims_expert_changelist")


def change_url(expert):
    return reverse("admin:claims_expert_change", args=[expert.pk])


@pytest.fixture
def two_spellings():
    """One person ingested twice: "Choe Ryong Hae" (2 claims) and "Choi Ryong-hae" (1 claim), flagged as duplicates."""
    kept = factories.ExpertFactory(name="Choe Ryong Hae")
    duplicate = factories.ExpertFactory(name="Choi Ryong-hae", aliases=["R. H. Choi"])
    kept.possible_duplicates.add(duplicate)
    factories.ClaimFactory.create_batch(2, expert=kept)
    kinu = factories.OrganizationFactory(name="Korea Institute for National Unification")
    shared = factories.AffiliationFactory(expert=kept, organization=kinu, role="senior fellow")
    twin = factories.AffiliationFactory(expert=duplicate, organization=kinu, role="senior fellow")
    own = factories.AffiliationFactory(expert=duplicate, organization=None, role="former vice minister")
    moved_claims = [
        factories.ClaimFactory(expert=duplicate, affiliation=twin),
        factories.ClaimFactory(expert=duplicate),
    ]
    return {"kept": kept, "duplicate": duplicate, "shared": shared, "own": own, "moved_claims": moved_claims}


# -- list ---------------------------------------------------------------------------------------------------------


def test_claim_count_column_is_annotated_and_sortable(admin_ui, two_spellings):
    factories.ExpertFactory(name="Nobody Quoted")
    factories.ClaimFactory(expert=two_spellings["kept"])
    response = admin_ui.get(CHANGELIST, {"o": "-4"})  # the claims column, descending
    rows = list(response.context["cl"].result_list)
    assert [(e.name, e.claim_count) for e in rows] == [
        ("Choe Ryong Hae", 3),
        ("Choi Ryong-hae", 2),
        ("Nobody Quoted", 0),
    ]


def test_possible_duplicates_filter_and_column(admin_ui, two_spellings):
    factories.ExpertFactory(name="Andrei Lankov")
    response = admin_ui.get(CHANGELIST, {"has_duplicates": "yes"})
    assert {e.name for e in response.context["cl"].result_list} == {"Choe Ryong Hae", "Choi Ryong-hae"}
    response = admin_ui.get(CHANGELIST, {"has_duplicates": "no"})
    assert [e.name for e in response.context["cl"].result_list] == ["Andrei Lankov"]


def test_duplicates_of_lists_an_expert_with_its_possible_duplicates(admin_ui, two_spellings):
    factories.ExpertFactory(name="Andrei Lankov")
    response = admin_ui.get(CHANGELIST, {"duplicates_of": two_spellings["kept"].pk})
    assert {e.name for e in response.context["cl"].result_list} == {"Choe Ryong Hae", "Choi Ryong-hae"}


@pytest.mark.parametrize("term", ["Choe", "ryong-hae choi", "Choi Ryong Hae"])
def test_search_finds_both_spellings_through_romanization_variants(admin_ui, two_spellings, term):
    factories.ExpertFactory(name="Kim Jong Un")
    response = admin_ui.get(CHANGELIST, {"q": term})
    assert {e.name for e in response.context["cl"].result_list} == {"Choe Ryong Hae", "Choi Ryong-hae"}


# -- change page --------------------------------------------------------------------------------------------------


def test_change_page_lists_possible_duplicates_with_a_way_to_merge_them(admin_ui, two_spellings):
    kept, duplicate = two_spellings["kept"], two_spellings["duplicate"]
    html = admin_ui.get(change_url(kept)).content.decode()
    assert f'<a href="{change_url(duplicate)}">Choi Ryong-hae</a> (2 claims)' in html
    assert f"?duplicates_of={kept.pk}" in html


def test_an_expert_without_flags_has_nothing_to_dismiss(admin_ui):
    expert = factories.ExpertFactory()
    html = admin_ui.get(change_url(expert)).content.decode()
    assert 'name="dismiss_duplicates"' not in html
    assert "Not the same person" not in html


def test_dismissing_a_possible_duplicate_clears_the_flag_both_ways(admin_ui, two_spellings):
    kept, duplicate = two_spellings["kept"], two_spellings["duplicate"]
    page = admin_ui.get(change_url(kept))
    response = admin_ui.post(change_url(kept), form_data(page, dismiss_duplicates=[duplicate.pk]))
    assert response.status_code == 302
    assert not kept.possible_duplicates.exists()
    assert not duplicate.possible_duplicates.exists()


def test_editing_an_expert_goes_through_expert_update_and_keeps_the_old_name_as_alias(admin_ui, curator):
    expert = factories.ExpertFactory(name="Andrei Lankov")
    page = admin_ui.get(change_url(expert))
    response = admin_ui.post(change_url(expert), form_data(page, name="Andrei N. Lankov"))
    assert response.status_code == 302, response.context["errors"]
    expert.refresh_from_db()
    assert (expert.name, expert.sort_name, expert.version) == ("Andrei N. Lankov", "Lankov, Andrei N.", 2)
    assert set(expert.aliases.values_list("name", flat=True)) == {"Andrei Lankov", "Andrei N. Lankov"}
    assert expert.history.first().history_user == curator


def test_adding_an_expert_goes_through_expert_create(admin_ui):
    data = {"name": "Professor Park Won-gon", "wikidata_id": "", "bio": ""}
    for prefix in ("aliases", "affiliations"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = admin_ui.post(reverse("admin:claims_expert_add"), data)
    assert response.status_code == 302, response.context["errors"]
    expert = Expert.objects.get()
    assert (expert.name, expert.sort_name, expert.slug) == ("Park Won-gon", "Park Won-gon", "park-won-gon")
    assert list(expert.aliases.values_list("name", flat=True)) == ["Park Won-gon"]


def test_adding_an_expert_offers_a_sort_name_worked_out_when_left_empty(admin_ui):
    page = admin_ui.get(reverse("admin:claims_expert_add")).content.decode()
    assert 'name="sort_name"' in page and "sorts under Go" in page
    data = {"name": "Go Myong-hyun", "sort_name": "", "wikidata_id": "", "bio": ""}
    for prefix in ("aliases", "affiliations"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    assert admin_ui.post(reverse("admin:claims_expert_add"), data).status_code == 302
    assert Expert.objects.get(name="Go Myong-hyun").sort_name == "Go Myong-hyun"
    data.update({"name": "Kim Jong Il Junior", "sort_name": "Kim Jong Il (junior)"})
    assert admin_ui.post(reverse("admin:claims_expert_add"), data).status_code == 302
    assert Expert.objects.get(name="Kim Jong Il Junior").sort_name == "Kim Jong Il (junior)"


def test_aliases_and_affiliations_are_edited_inline(admin_ui):
    expert = factories.ExpertFactory(name="Andrei Lankov")
    organization = factories.OrganizationFactory(name="Kookmin University")
    page = admin_ui.get(change_url(expert))
    data = form_data(page)
    data.update(
        {
            "aliases-TOTAL_FORMS": "2",
            "aliases-1-name": "  Andrey   Lankov ",
            "aliases-1-origin": AliasOrigin.CURATED,
            "aliases-1-expert": str(expert.pk),
            "affiliations-TOTAL_FORMS": "1",
            "affiliations-0-organization": str(organization.pk),
            "affiliations-0-role": "professor",
            "affiliations-0-expert": str(expert.pk),
        }
    )
    response = admin_ui.post(change_url(expert), data)
    assert response.status_code == 302, response.context["errors"]
    alias = expert.aliases.get(name="Andrey Lankov")
    assert (alias.normalized, alias.match_key) == ("andrey lankov", "andrey lankov")
    assert str(expert.affiliations.get()) == "professor, Kookmin University"


def test_a_second_alias_with_the_same_normalized_form_is_refused_on_the_form(admin_ui):
    expert = factories.ExpertFactory(name="Choi Ryong Hae")
    page = admin_ui.get(change_url(expert))
    data = form_data(page)
    data.update(
        {
            "aliases-TOTAL_FORMS": "2",
            "aliases-1-name": "Ryong-hae Choi",
            "aliases-1-origin": AliasOrigin.CURATED,
            "aliases-1-expert": str(expert.pk),
        }
    )
    response = admin_ui.post(change_url(expert), data)
    assert response.status_code == 200
    assert "Two spellings have the same normalized form" in response.content.decode()
    assert expert.aliases.count() == 1


def test_a_stale_copy_of_an_expert_is_refused(admin_ui):
    expert = factories.ExpertFactory(name="Andrei Lankov", bio="")
    page = admin_ui.get(change_url(expert))
    assert admin_ui.post(change_url(expert), form_data(page, bio="Historian.")).status_code == 302
    second = admin_ui.post(change_url(expert), form_data(page, bio="Professor."))
    assert second.status_code == 200
    assert "This expert was changed by someone else since you loaded it" in second.content.decode()
    expert.refresh_from_db()
    assert (expert.bio, expert.version) == ("Historian.", 2)


def test_a_stale_copy_cannot_change_inline_rows_either(admin_ui):
    expert = factories.ExpertFactory(name="Andrei Lankov")
    page = admin_ui.get(change_url(expert))
    admin_ui.post(change_url(expert), form_data(page, bio="Historian."))
    data = form_data(page)
    data.update({"aliases-0-DELETE": "on"})
    second = admin_ui.post(change_url(expert), data)
    assert "changed by someone else" in second.content.decode()
    assert expert.aliases.count() == 1


# -- merge --------------------------------------------------------------------------------------------------------


def test_merge_action_asks_which_expert_to_keep(admin_ui, two_spellings):
    kept, duplicate = two_spellings["kept"], two_spellings["duplicate"]
    response = admin_ui.post(CHANGELIST, {"action": "merge_experts", "_selected_action": [kept.pk, duplicate.pk]})
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "admin/claims/expert/merge_confirmation.html"
    html = response.content.decode()
    assert "Choose the expert to keep" in html
    assert html.count('name="target"') == 2
    # The suggestion: most claims, then the oldest record.
    assert response.context["chosen"] == str(kept.pk)
    assert Expert.objects.count() == 2


def test_merge_moves_claims_aliases_and_affiliations_and_keeps_the_names(admin_ui, two_spellings, curator):
    kept, duplicate = two_spellings["kept"], two_spellings["duplicate"]
    response = merge(admin_ui, [kept, duplicate], target=kept)
    assert messages_of(response) == [
        "Merged \u201cChoi Ryong-hae\u201d into \u201cChoe Ryong Hae\u201d: moved 2 claims, 1 affiliation "
        "(1 more was already on the kept expert) and 2 new aliases; the merged names are kept as aliases."
    ]
    assert not Expert.objects.filter(pk=duplicate.pk).exists()
    assert Claim.objects.filter(expert=kept).count() == 4
    assert set(kept.aliases.values_list("name", flat=True)) == {"Choe Ryong Hae", "Choi Ryong-hae", "R. H. Choi"}
    assert set(kept.aliases.exclude(name="Choe Ryong Hae").values_list("origin", flat=True)) == {AliasOrigin.MERGED}
    # The twin affiliation was absorbed by the kept one, and its claim follows; the other one moved.
    assert set(Affiliation.objects.filter(expert=kept)) == {two_spellings["shared"], two_spellings["own"]}
    claim = two_spellings["moved_claims"][0]
    claim.refresh_from_db()
    assert claim.affiliation == two_spellings["shared"]
    assert not kept.possible_duplicates.exists()
    assert claim.history.first().expert_id == kept.pk
    # The histories say what moved, and who did it; no record is left with an empty "Changes" cell.
    history = admin_ui.get(reverse("admin:claims_expert_history", args=[kept.pk])).content.decode()
    history = " ".join(history.split())
    assert "merged Choi Ryong-hae: 2 claims, 1 affiliation, 2 new aliases moved here" in history
    assert "<td> </td>" not in history.split('id="change-history"')[1]
    claim_history = admin_ui.get(reverse("admin:claims_claim_history", args=[claim.pk])).content.decode()
    assert f"merged into Choe Ryong Hae (id {kept.pk})" in claim_history


def test_merge_keeps_the_expert_chosen_on_the_confirmation_page(admin_ui, two_spellings):
    kept, duplicate = two_spellings["kept"], two_spellings["duplicate"]
    merge(admin_ui, [kept, duplicate], target=duplicate)
    assert list(Expert.objects.values_list("name", flat=True)) == ["Choi Ryong-hae"]
    assert Claim.objects.filter(expert=duplicate).count() == 4


def test_merge_refuses_a_single_expert(admin_ui, two_spellings):
    kept = two_spellings["kept"]
    response = merge(admin_ui, [kept, kept], target=kept)
    assert messages_of(response) == ["Select at least two experts to merge: the one to keep and its duplicates."]
    assert Expert.objects.count() == 2


def test_merge_refuses_a_target_outside_the_selection(admin_ui, two_spellings):
    kept, duplicate = two_spellings["kept"], two_spellings["duplicate"]
    outsider = factories.ExpertFactory(name="Someone Else")
    response = merge(admin_ui, [kept, duplicate], target=outsider)
    assert response.status_code == 200
    assert "Keep one of the selected experts." in response.content.decode()
    assert Expert.objects.count() == 3


def test_merge_service_refusal_is_reported(admin_ui, two_spellings, monkeypatch):
    from claims.services.errors import ConflictError
    from claims.services.people import MERGE_INTO_ITSELF

    def refuse(**kwargs):
        raise ConflictError(MERGE_INTO_ITSELF)

    monkeypatch.setattr("claims.admin.actions.expert_merge", refuse)
    kept, duplicate = two_spellings["kept"], two_spellings["duplicate"]
    response = merge(admin_ui, [kept, duplicate], target=kept)
    assert messages_of(response) == [MERGE_INTO_ITSELF]
    assert Expert.objects.count() == 2


def test_merging_an_expert_into_itself_is_refused_by_the_service(two_spellings):
    from claims.services.errors import ConflictError
    from claims.services.people import expert_merge

    kept = two_spellings["kept"]
    with pytest.raises(ConflictError, match="cannot be merged into itself"):
        expert_merge(target=kept, duplicates=[kept])


def test_alias_admin_derives_the_normalized_forms(admin_ui):
    expert = factories.ExpertFactory(name="Kim Yo Jong")
    response = admin_ui.post(
        reverse("admin:claims_alias_add"), {"expert": expert.pk, "name": "Kim Yo-jong", "origin": AliasOrigin.CURATED}
    )
    assert response.status_code == 200  # same normalized form as the display name
    assert "already has an alias with the same normalized form" in response.content.decode()
    response = admin_ui.post(
        reverse("admin:claims_alias_add"), {"expert": expert.pk, "name": "Kim Yeo-jeong", "origin": AliasOrigin.CURATED}
    )
    assert response.status_code == 302
    assert Alias.objects.get(name="Kim Yeo-jeong").normalized == "jeong kim yeo"


def test_inline_affiliation_rows_show_their_organization_selected(admin_ui):
    affiliation = factories.AffiliationFactory(organization=factories.OrganizationFactory(name="Kookmin University"))
    html = admin_ui.get(change_url(affiliation.expert)).content.decode()
    assert f'<option value="{affiliation.organization_id}" selected>Kookmin University</option>' in html


def test_filter_by_organization_type(admin_ui):
    university = factories.AffiliationFactory(organization=factories.OrganizationFactory(kind="university"))
    factories.AffiliationFactory(organization=factories.OrganizationFactory(kind="think_tank"))
    response = admin_ui.get(CHANGELIST, {"affiliations__organization__kind": "university"})
    assert list(response.context["cl"].result_list) == [university.expert]
    assert "By organization type" in response.content.decode()


def test_an_expert_without_claims_can_be_deleted_and_one_with_claims_cannot(admin_ui):
    unquoted = factories.ExpertFactory()
    quoted = factories.ClaimFactory().expert
    response = admin_ui.post(reverse("admin:claims_expert_delete", args=[unquoted.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Expert.objects.filter(pk=unquoted.pk).exists()
    page = admin_ui.get(reverse("admin:claims_expert_delete", args=[quoted.pk]))
    assert page.context["title"] == "Cannot delete expert"
    assert page.context["protected"]
    assert Expert.objects.filter(pk=quoted.pk).exists()
