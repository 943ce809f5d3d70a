"""The claims admin: review queue, bulk review, the change page, saving through the services, search."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.choices import ClaimKind, ReviewStatus
from claims.models import Claim, TopicRemoval
from claims.services.claims import AFFILIATION_OF_ANOTHER_EXPERT
from tests import factories
from tests.conftest import filter_choices, form_data, messages_of
from tests.factories import dated_article, extracted_claim

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:claims_claim_changelist")


def change_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


def run_action(client, action, claims, **params):
    return client.post(
        CHANGELIST + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""),
        {"action": action, "_selected_action": [c.pk for c in claims], "index": 0},
        follow=True,
    )


# -- review queue -----------------------------------------------------------------------------------------------


def test_changelist_links_to_the_review_queue_with_its_size(admin_ui):
    extracted_claim()
    extracted_claim()
    factories.ClaimFactory()  # approved
    response = admin_ui.get(CHANGELIST, {"status__exact": "all"})
    html = response.content.decode()
    assert "Review queue (2 awaiting)" in html
    assert "?status__exact=extracted" in html


def test_an_empty_review_queue_says_so_and_an_empty_search_says_the_queue_size(admin_ui):
    factories.ClaimFactory()  # approved
    page = admin_ui.get(CHANGELIST).content.decode()
    assert "The review queue is empty" in page and 'name="action"' not in page
    extracted_claim()
    page = admin_ui.get(CHANGELIST, {"q": "no such words"}).content.decode()
    assert "No claim matches these filters; the review queue has 1." in page


def test_review_queue_lists_extracted_claims_newest_article_first_undated_last(admin_ui):
    undated = extracted_claim(article=factories.ArticleFactory(published_on=None, date_precision="unknown"))
    newer = extracted_claim(article=dated_article(2023))
    older = extracted_claim(article=dated_article(2019))
    factories.ClaimFactory(article=dated_article(2010))  # approved: not in the queue
    response = admin_ui.get(CHANGELIST, {"status__exact": ReviewStatus.EXTRACTED})
    assert list(response.context["cl"].result_list) == [newer, older, undated]


def test_the_claim_list_opens_on_the_review_queue_and_all_claims_is_one_click_away(admin_ui):
    waiting = extracted_claim(article=dated_article(2023))
    approved = factories.ClaimFactory(article=dated_article(2010))
    response = admin_ui.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [waiting]
    html = response.content.decode()
    assert "Awaiting review (the queue)" in html and "?status__exact=all" in html
    assert "field-status_badge" not in html  # every row of the queue awaits review: no status column
    everything = admin_ui.get(CHANGELIST, {"status__exact": "all"})
    assert set(everything.context["cl"].result_list) == {waiting, approved}
    assert "field-status_badge" in everything.content.decode()
    approved_only = admin_ui.get(CHANGELIST, {"status__exact": "approved"})
    assert list(approved_only.context["cl"].result_list) == [approved]


def test_the_list_shows_the_whole_quote_speaker_and_confidence(admin_ui):
    article = dated_article(2020)
    long_quote = article.body[: article.body.index(".") + 1]
    claim = extracted_claim(article=article, start=0, end=len(long_quote), text=long_quote, confidence=0.42)
    html = admin_ui.get(CHANGELIST).content.decode()
    assert " ".join(long_quote.split()) in html
    assert claim.expert.name in html and "0.42" in html


def test_triage_by_article_lists_one_articles_claims_in_reading_order(admin_ui):
    article = dated_article(2020)
    second = extracted_claim(article=article)
    body = article.body
    first = extracted_claim(article=article, start=0, end=body.index(","), text=body[: body.index(",")])
    extracted_claim(article=dated_article(2021))
    html = admin_ui.get(CHANGELIST).content.decode()
    assert f"article__id__exact={article.pk}" in html  # each row's article title leads there
    response = admin_ui.get(CHANGELIST, {"article__id__exact": article.pk})
    assert list(response.context["cl"].result_list) == [first, second]
    assert article.title in response.content.decode()  # the sidebar names the article


def test_claims_of_one_article_appear_in_reading_order_in_the_queue(admin_ui):
    article = dated_article(2020)
    second = extracted_claim(article=article)
    body = article.body
    first = extracted_claim(article=article, start=0, end=body.index(","), text=body[: body.index(",")])
    response = admin_ui.get(CHANGELIST, {"status__exact": ReviewStatus.EXTRACTED})
    assert list(response.context["cl"].result_list) == [first, second]


def test_changelist_shows_unknown_speakers_with_the_printed_mention(admin_ui):
    extracted_claim(expert=None, speaker_mention="the professor")
    html = admin_ui.get(CHANGELIST).content.decode()
    assert "Unknown (printed: \u201cthe professor\u201d)" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"speaker": "unknown"}, "unknown"),
        ({"confidence": "low"}, "low"),
        ({"kind__exact": ClaimKind.PREDICTION}, "prediction"),
    ],
)
def test_list_filters(admin_ui, params, expected):
    claims = {
        "unknown": extracted_claim(expert=None, confidence=0.9),
        "low": extracted_claim(confidence=0.2),
        "prediction": extracted_claim(kind=ClaimKind.PREDICTION, confidence=0.9),
    }
    response = admin_ui.get(CHANGELIST, params)
    assert list(response.context["cl"].result_list) == [claims[expected]]


def test_filter_by_outlet_and_topic(admin_ui):
    topic = factories.TopicFactory(name="Sanctions")
    outlet = factories.OutletFactory(name="NK News")
    wanted = extracted_claim(article=factories.ArticleFactory(outlet=outlet), topics=[topic])
    extracted_claim()
    extracted_claim(topics=[topic])
    response = admin_ui.get(CHANGELIST, {"article__outlet__id__exact": outlet.pk, "topics__id__exact": topic.pk})
    assert list(response.context["cl"].result_list) == [wanted]


def test_the_outlet_and_topic_filters_name_their_empty_choice_in_words(admin_ui):
    topic = factories.TopicFactory(name="Sanctions")
    filed = extracted_claim(article=factories.ArticleFactory(outlet=factories.OutletFactory(name="NK News")))
    filed.topics.set([topic])
    nowhere = extracted_claim(article=factories.ArticleFactory(outlet=None))
    response = admin_ui.get(CHANGELIST)
    assert filter_choices(response, "outlet")[-1] == "No outlet"
    assert filter_choices(response, "topics")[-1] == "No topic"
    assert "-" not in filter_choices(response, "outlet") + filter_choices(response, "topics")
    # The choices still select what they did: the claims of no outlet, the claims of no topic.
    assert list(admin_ui.get(CHANGELIST, {"article__outlet__isnull": "True"}).context["cl"].result_list) == [nowhere]
    assert list(admin_ui.get(CHANGELIST, {"topics__isnull": "True"}).context["cl"].result_list) == [nowhere]


# -- bulk review --------------------------------------------------------------------------------------------------


def test_approve_selected_records_reviewer_and_time_and_skips_unknown_speakers(admin_ui, curator):
    known = [extracted_claim(), extracted_claim()]
    unknown = extracted_claim(expert=None)
    before = timezone.now()
    response = run_action(admin_ui, "approve_selected", [*known, unknown])
    assert response.status_code == 200
    assert "Approved 2 claims." in messages_of(response)
    assert "Skipped 1 claim whose speaker is unknown: set the expert on it first." in messages_of(response)
    for claim in known:
        claim.refresh_from_db()
        assert claim.status == ReviewStatus.APPROVED
        assert claim.reviewed_by == curator
        assert claim.reviewed_at >= before
        assert claim.version == 2
        assert claim.history.first().history_user == curator
    unknown.refresh_from_db()
    assert (unknown.status, unknown.reviewed_by, unknown.version) == (ReviewStatus.EXTRACTED, None, 1)


def test_reject_selected_records_reviewer_and_time(admin_ui, curator):
    claims = [extracted_claim(expert=None), extracted_claim()]
    response = run_action(admin_ui, "reject_selected", claims)
    assert "Rejected 2 claims." in messages_of(response)
    for claim in claims:
        claim.refresh_from_db()
        assert claim.status == ReviewStatus.REJECTED
        assert claim.reviewed_by == curator
        assert claim.reviewed_at is not None


def test_reviewing_leaves_claims_already_in_that_status_alone(admin_ui):
    reviewed_at = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    done = factories.ClaimFactory(status=ReviewStatus.APPROVED, reviewed_at=reviewed_at)
    pending = extracted_claim()
    response = run_action(admin_ui, "approve_selected", [done, pending], status__exact="all")
    assert messages_of(response) == ["Approved 1 claim.", "1 claim was already approved: left unchanged."]
    done.refresh_from_db()
    assert (done.reviewed_at, done.version) == (reviewed_at, 1)


def test_send_back_to_queue_clears_the_review(admin_ui):
    claim = factories.ClaimFactory(status=ReviewStatus.APPROVED)
    response = run_action(admin_ui, "send_back_to_queue", [claim], status__exact="all")
    assert "Sent back to the queue 1 claim." in messages_of(response)
    claim.refresh_from_db()
    assert (claim.status, claim.reviewed_by, claim.reviewed_at) == (ReviewStatus.EXTRACTED, None, None)


def test_bulk_action_from_the_filtered_queue_keeps_the_filter(admin_ui):
    claim = extracted_claim()
    response = run_action(admin_ui, "approve_selected", [claim], status__exact="extracted")
    assert response.redirect_chain[-1][0].endswith("?status__exact=extracted")
    assert list(response.context["cl"].result_list) == []


# -- change page --------------------------------------------------------------------------------------------------


def test_change_page_marks_the_claim_inside_its_paragraph(admin_ui):
    body = "A first paragraph about something else.\nShe said the talks will resume in May, officials added.\nEnd."
    article = factories.ArticleFactory(body=body)
    start = body.index("the talks")
    end = body.index(", officials")
    claim = extracted_claim(article=article, start=start, end=end, text=body[start:end])
    html = admin_ui.get(change_url(claim)).content.decode()
    assert (
        '<div class="claim-context">She said <mark>the talks will resume in May</mark>, officials added.</div>' in html
    )
    assert "A first paragraph" not in html.split('class="claim-context"')[1].split("</div>")[0]
    assert f"characters {start} to {end} of the article" in html


def test_change_page_escapes_the_article_text(admin_ui):
    body = 'Intro <script>alert(1)</script> "We will see," said <b>Kim</b>.'
    article = factories.ArticleFactory(body=body)
    start, end = body.index("We"), body.index(",")
    claim = extracted_claim(article=article, start=start, end=end, text=body[start:end])
    html = admin_ui.get(change_url(claim)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>We will see</mark>" in html


def test_a_long_paragraph_is_clipped_around_the_claim(admin_ui):
    filler = "word " * 400
    body = f"{filler}He said it is over.{filler}"
    start = body.index("it is over")
    article = factories.ArticleFactory(body=body)
    claim = extracted_claim(article=article, start=start, end=start + 10, text=body[start : start + 10])
    context = admin_ui.get(change_url(claim)).content.decode().split('class="claim-context">')[1].split("</div>")[0]
    assert "<mark>it is over</mark>" in context
    assert context.startswith("\u2026") and context.endswith("\u2026")
    assert len(context) < 1400


def test_change_page_links_to_the_api_address(admin_ui, settings):
    settings.ROOT_URLCONF = "tests.admin.urls_with_api"
    claim = extracted_claim()
    html = admin_ui.get(change_url(claim)).content.decode()
    assert f'<a href="/api/claims/{claim.pk}/">/api/claims/{claim.pk}/</a>' in html


def test_change_page_survives_missing_api_routes(admin_ui, settings):
    settings.ROOT_URLCONF = "tests.admin.urls_without_api"
    claim = extracted_claim()
    response = admin_ui.get(change_url(claim))
    assert response.status_code == 200
    assert "Not available: the API routes are not installed." in response.content.decode()


def test_the_real_api_route_is_linked_once_installed(admin_ui):
    """Against the project's own URLconf: a link when the API routes exist, the note until then."""
    from django.urls import NoReverseMatch

    claim = extracted_claim()
    html = admin_ui.get(change_url(claim)).content.decode()
    try:
        url = claim.get_api_url()
    except NoReverseMatch:
        assert "Not available: the API routes are not installed." in html
    else:
        assert f'<a href="{url}">' in html


def test_offsets_and_text_are_read_only_on_the_change_page(admin_ui):
    claim = extracted_claim()
    form = admin_ui.get(change_url(claim)).context["adminform"].form
    assert not {"start", "end", "text", "article", "confidence", "reviewed_by", "version"} & set(form.fields)
    assert form.fields["expected_version"].widget.is_hidden


def test_the_offsets_say_the_quote_s_length_not_a_length_one_could_take_for_the_article_s(admin_ui):
    claim = extracted_claim()
    html = admin_ui.get(change_url(claim)).content.decode()
    length = claim.end - claim.start
    assert f"characters {claim.start} to {claim.end} of the article (the quote is {length} characters long)" in html
    assert f"({length} long)" not in html


# -- saving -------------------------------------------------------------------------------------------------------


def test_saving_the_form_goes_through_claim_update_and_records_the_curator(admin_ui, curator):
    claim = extracted_claim()
    other = factories.ExpertFactory(name="Andrei Lankov")
    page = admin_ui.get(change_url(claim))
    response = admin_ui.post(change_url(claim), form_data(page, expert=other.pk, notes="Speaker fixed."))
    assert response.status_code == 302, response.context["errors"]
    claim.refresh_from_db()
    assert (claim.expert, claim.notes, claim.version) == (other, "Speaker fixed.", 2)
    latest = claim.history.first()
    assert latest.history_user == curator
    assert latest.expert_id == other.pk


def test_taking_a_topic_off_on_the_form_is_remembered_and_shown(admin_ui, curator):
    claim = extracted_claim()
    sanctions = factories.TopicFactory(slug="sanctions", name="Sanctions")
    summits = factories.TopicFactory(slug="summit-diplomacy", name="Summit diplomacy")
    claim.topics.set([sanctions, summits])
    page = admin_ui.get(change_url(claim))
    assert "topics taken off" in page.content.decode().lower()
    response = admin_ui.post(change_url(claim), form_data(page, topics=[summits.pk]))
    assert response.status_code == 302, response.context["errors"]
    removal = TopicRemoval.objects.get()
    assert (removal.claim, removal.topic, removal.removed_by) == (claim, sanctions, curator)
    html = " ".join(admin_ui.get(change_url(claim)).content.decode().split())
    assert f"Sanctions (by {curator.username}," in html


def test_history_shows_who_changed_what_in_a_curators_words(admin_ui, curator):
    claim = extracted_claim(expert=None)
    expert = factories.ExpertFactory(name="Andrei Lankov")
    page = admin_ui.get(change_url(claim))
    admin_ui.post(change_url(claim), form_data(page, expert=expert.pk, status=ReviewStatus.APPROVED))
    response = admin_ui.get(reverse("admin:claims_claim_history", args=[claim.pk]))
    html = " ".join(response.content.decode().split())
    assert html.count(f">{curator.username}</a>") == 2  # the edit and the approval
    assert "<strong>Expert:</strong> \u2014 &nbsp;&rarr;&nbsp;&nbsp;Andrei Lankov" in html
    assert "<strong>Status:</strong> Extracted (awaiting review) &nbsp;&rarr;&nbsp;&nbsp;Approved" in html
    assert "pk=None" not in html


def test_changing_the_status_on_the_form_records_the_review(admin_ui, curator):
    claim = extracted_claim()
    page = admin_ui.get(change_url(claim))
    response = admin_ui.post(change_url(claim), form_data(page, status=ReviewStatus.APPROVED))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.reviewed_by) == (ReviewStatus.APPROVED, curator)
    assert claim.reviewed_at is not None


def test_fixing_the_speaker_and_approving_in_one_save(admin_ui, curator):
    claim = extracted_claim(expert=None)
    expert = factories.ExpertFactory()
    page = admin_ui.get(change_url(claim))
    response = admin_ui.post(change_url(claim), form_data(page, expert=expert.pk, status=ReviewStatus.APPROVED))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.expert, claim.status, claim.reviewed_by, claim.version) == (
        expert,
        ReviewStatus.APPROVED,
        curator,
        3,
    )


def test_approving_without_a_speaker_is_refused_on_the_form(admin_ui):
    claim = extracted_claim(expert=None)
    page = admin_ui.get(change_url(claim))
    response = admin_ui.post(change_url(claim), form_data(page, status=ReviewStatus.APPROVED))
    assert response.status_code == 200
    assert "A claim cannot be approved while its speaker is unknown" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (ReviewStatus.EXTRACTED, 1)


def test_a_service_refusal_is_shown_on_the_field_and_nothing_is_written(admin_ui):
    claim = extracted_claim()
    someone_elses = factories.AffiliationFactory()
    page = admin_ui.get(change_url(claim))
    response = admin_ui.post(change_url(claim), form_data(page, affiliation=someone_elses.pk, notes="changed"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["affiliation"] == [AFFILIATION_OF_ANOTHER_EXPERT]
    claim.refresh_from_db()
    assert (claim.affiliation, claim.notes, claim.version) == (None, "", 1)


def test_a_new_speaker_drops_the_previous_speakers_affiliation(admin_ui):
    affiliation = factories.AffiliationFactory()
    claim = extracted_claim(expert=affiliation.expert, affiliation=affiliation)
    other = factories.ExpertFactory()
    page = admin_ui.get(change_url(claim))
    response = admin_ui.post(change_url(claim), form_data(page, expert=other.pk))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.expert, claim.affiliation) == (other, None)


def test_adding_a_claim_by_hand_reads_its_text_from_the_article(admin_ui, curator):
    article = factories.ArticleFactory()
    start = article.body.index("talks")
    end = article.body.index(" in the spring")
    expert = factories.ExpertFactory()
    response = admin_ui.post(
        reverse("admin:claims_claim_add"),
        {
            "article": article.pk,
            "start": start,
            "end": end,
            "text": "",
            "expert": expert.pk,
            "quote_type": "indirect",
            "kind": ClaimKind.PREDICTION,
            "status": ReviewStatus.APPROVED,
            "cue": "added",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    claim = Claim.objects.get(article=article)
    assert claim.text == "talks could resume"
    assert (claim.reviewed_by, claim.confidence) == (curator, None)


def test_the_add_form_is_prefilled_from_an_article_link(admin_ui):
    article = factories.ArticleFactory()
    response = admin_ui.get(reverse("admin:claims_claim_add"), {"article": article.pk})
    assert response.context["adminform"].form.initial["article"] == str(article.pk)


# -- concurrency --------------------------------------------------------------------------------------------------


def test_a_save_from_a_stale_copy_is_refused_and_overwrites_nothing(admin_ui):
    claim = extracted_claim()
    page = admin_ui.get(change_url(claim))  # both curators load version 1

    first = admin_ui.post(change_url(claim), form_data(page, notes="Checked against the recording."))
    assert first.status_code == 302

    second = admin_ui.post(change_url(claim), form_data(page, kind=ClaimKind.PREDICTION, notes="Mine."))
    assert second.status_code == 200
    html = second.content.decode()
    assert "This claim was changed by someone else since you loaded it" in html
    assert "(your copy is version 1, the current one is 2)" in html
    claim.refresh_from_db()
    assert (claim.notes, claim.kind, claim.version) == ("Checked against the recording.", ClaimKind.ASSESSMENT, 2)
    # The refused form keeps what the curator typed.
    assert second.context["adminform"].form["notes"].value() == "Mine."


def test_a_stale_copy_is_refused_even_when_only_the_status_changes(admin_ui):
    claim = extracted_claim()
    page = admin_ui.get(change_url(claim))
    admin_ui.post(change_url(claim), form_data(page, notes="first"))
    second = admin_ui.post(change_url(claim), form_data(page, status=ReviewStatus.REJECTED))
    assert "changed by someone else" in second.content.decode()
    claim.refresh_from_db()
    assert claim.status == ReviewStatus.EXTRACTED


def test_a_form_without_its_version_is_refused(admin_ui):
    claim = extracted_claim()
    page = admin_ui.get(change_url(claim))
    response = admin_ui.post(change_url(claim), form_data(page, expected_version="", notes="x"))
    assert response.status_code == 200
    assert "lost track of the version" in response.content.decode()


# -- search and autocomplete --------------------------------------------------------------------------------------


@pytest.fixture
def choi_claim():
    expert = factories.ExpertFactory(name="Choi Ryong-hae", aliases=["Ryong-hae Choi"])
    factories.ClaimFactory()  # someone else's claim
    return factories.ClaimFactory(expert=expert)


@pytest.mark.parametrize("term", ["Ryong-hae Choi", "choi hae ryong", "Choe Ryong Hae", "ryong", "sanctions will"])
def test_search_finds_the_claim_by_alias_spelling_and_text(admin_ui, choi_claim, term):
    response = admin_ui.get(CHANGELIST, {"q": term})
    results = list(response.context["cl"].result_list)
    if term == "sanctions will":
        assert choi_claim in results
    else:
        assert results == [choi_claim]


def test_search_help_text_is_shown(admin_ui):
    assert "every alias" in admin_ui.get(CHANGELIST).content.decode()


def test_affiliation_autocomplete_offers_only_the_chosen_experts_affiliations(admin_ui):
    mine = factories.AffiliationFactory(role="senior fellow")
    factories.AffiliationFactory(role="senior fellow")
    params = {"app_label": "claims", "model_name": "claim", "field_name": "affiliation", "term": "fellow"}
    everyone = admin_ui.get(reverse("admin:autocomplete"), params).json()["results"]
    assert len(everyone) == 2
    only_mine = admin_ui.get(reverse("admin:autocomplete"), {**params, "expert": mine.expert_id}).json()["results"]
    assert only_mine == [{"id": str(mine.pk), "text": str(mine)}]


# -- visibility -----------------------------------------------------------------------------------------------


@pytest.fixture
def viewer_ui():
    """Staff holding only the view permissions of claims and articles: the admin shows what the API shows them."""
    from django.contrib.auth.models import Permission
    from django.test import Client

    user = factories.UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="claims",
            codename__in=["view_claim", "view_article", "view_expert", "view_prediction"],
        )
    )
    client = Client()
    client.force_login(user)
    return client


def test_staff_with_only_view_permission_see_approved_claims_only(viewer_ui):
    hidden = extracted_claim(notes="An unreviewed remark")
    approved = factories.ClaimFactory(article=hidden.article, start=0, end=5, text=hidden.article.body[:5])
    listed = viewer_ui.get(CHANGELIST)
    assert listed.status_code == 200
    assert list(listed.context["cl"].result_list) == [approved]
    assert viewer_ui.get(change_url(approved)).status_code == 200
    detail = viewer_ui.get(change_url(hidden), follow=True)
    assert detail.redirect_chain and "An unreviewed remark" not in detail.content.decode()
    article_page = viewer_ui.get(reverse("admin:claims_article_change", args=[hidden.article_id]))
    assert article_page.status_code == 200
    inline = article_page.context["inline_admin_formsets"][0].formset.queryset
    assert list(inline) == [approved]


def test_staff_with_only_view_permission_see_public_experts_and_predictions_only(viewer_ui):
    hidden = extracted_claim(kind="prediction")
    hidden_forecast = factories.PredictionFactory(claim=hidden)
    public = factories.ClaimFactory(kind="prediction")
    public_forecast = factories.PredictionFactory(claim=public)
    experts = viewer_ui.get(reverse("admin:claims_expert_changelist")).context["cl"].result_list
    assert list(experts) == [public.expert]
    assert viewer_ui.get(reverse("admin:claims_expert_change", args=[hidden.expert_id]), follow=True).redirect_chain
    forecasts = viewer_ui.get(reverse("admin:claims_prediction_changelist")).context["cl"].result_list
    assert list(forecasts) == [public_forecast]
    assert hidden_forecast.pk != public_forecast.pk


def test_curators_still_see_every_claim(admin_ui):
    hidden = extracted_claim()
    approved = factories.ClaimFactory(article=hidden.article, start=0, end=5, text=hidden.article.body[:5])
    assert set(admin_ui.get(CHANGELIST, {"status__exact": "all"}).context["cl"].result_list) == {hidden, approved}
    assert admin_ui.get(change_url(hidden)).status_code == 200


# -- approve / reject / next from the claim page ------------------------------------------------------------------


def review_url(claim):
    return reverse("admin:claims_claim_review", args=[claim.pk])


def queue_of_three():
    newer, older = dated_article(2023), dated_article(2019)
    body = newer.body
    first = extracted_claim(article=newer, start=0, end=body.index(","), text=body[: body.index(",")])
    second = extracted_claim(article=newer)
    third = extracted_claim(article=older)
    return first, second, third


def test_the_claim_page_has_a_review_bar_with_keys_and_the_next_claim(admin_ui):
    first, second, _ = queue_of_three()
    html = admin_ui.get(change_url(first)).content.decode()
    assert f'formaction="{review_url(first)}"' in html
    assert 'aria-keyshortcuts="a"' in html and 'aria-keyshortcuts="r"' in html
    assert f'id="review-next" href="{change_url(second)}"' in html


def review_bar_of(client, claim) -> str:
    html = client.get(change_url(claim)).content.decode()
    return html[html.index('id="review-bar"') : html.index("</div>", html.index('id="review-bar"'))]


def test_the_review_bar_offers_only_the_decisions_that_change_the_claim_and_names_only_their_keys(admin_ui):
    waiting, second, _ = queue_of_three()
    bar = review_bar_of(admin_ui, waiting)
    assert ">Awaiting review<" in bar
    assert 'id="review-approve"' in bar and 'id="review-reject"' in bar
    assert "Keys: A, R, N (outside text fields)." in bar

    approved = factories.ClaimFactory(article=dated_article(2025))  # the queue's claims come after it
    bar = review_bar_of(admin_ui, approved)
    assert ">Approved<" in bar
    assert 'id="review-approve"' not in bar and 'aria-keyshortcuts="a"' not in bar
    assert 'id="review-reject"' in bar and 'aria-keyshortcuts="r"' in bar
    assert "Reject saves the review" in bar and "Keys: R, N (outside text fields)." in bar

    rejected = factories.ClaimFactory(article=dated_article(2026), status=ReviewStatus.REJECTED)
    bar = review_bar_of(admin_ui, rejected)
    assert ">Rejected<" in bar
    assert 'id="review-reject"' not in bar and 'aria-keyshortcuts="r"' not in bar
    assert 'id="review-approve"' in bar and 'aria-keyshortcuts="a"' in bar
    assert "Approve saves the review" in bar and "Keys: A, N (outside text fields)." in bar


def test_without_a_speaker_approve_is_shown_disabled_without_its_key_and_the_last_claim_has_no_next(admin_ui):
    nobody = extracted_claim(expert=None, article=dated_article(2024))
    bar = review_bar_of(admin_ui, nobody)
    assert 'id="review-approve"' in bar and "disabled" in bar and 'aria-keyshortcuts="a"' not in bar
    assert 'id="review-next"' not in bar  # the only claim of the queue
    assert "Approving needs the speaker" in bar and "Keys: R (outside text fields)." in bar


def test_a_decision_the_claim_already_has_is_refused_and_changes_nothing(admin_ui):
    approved = factories.ClaimFactory()
    reviewed_at = approved.reviewed_at
    data = {"decision": "approve", "expected_version": approved.version}
    response = admin_ui.post(review_url(approved), data, follow=True)
    assert response.redirect_chain[-1][0] == change_url(approved)
    assert "Not saved: the claim is already approved." in messages_of(response)
    approved.refresh_from_db()
    assert (approved.reviewed_at, approved.version) == (reviewed_at, data["expected_version"])


def test_approve_saves_the_review_and_opens_the_next_claim_of_the_queue(admin_ui, curator):
    first, second, third = queue_of_three()
    response = admin_ui.post(review_url(first), {"decision": "approve", "expected_version": first.version})
    assert response.status_code == 302 and response["Location"] == change_url(second)
    first.refresh_from_db()
    assert first.status == ReviewStatus.APPROVED and first.reviewed_by == curator
    response = admin_ui.post(review_url(second), {"decision": "reject", "expected_version": second.version})
    assert response["Location"] == change_url(third)  # the next article, older
    second.refresh_from_db()
    assert second.status == ReviewStatus.REJECTED
    response = admin_ui.post(review_url(third), {"decision": "approve", "expected_version": third.version}, follow=True)
    assert response.redirect_chain[-1][0].endswith("?status__exact=extracted")
    assert any("The review queue is empty" in m for m in messages_of(response))


def test_approve_from_a_stale_page_or_without_a_speaker_is_refused(admin_ui):
    first, second, _ = queue_of_three()
    response = admin_ui.post(review_url(first), {"decision": "approve", "expected_version": first.version + 5})
    assert response["Location"] == change_url(first)
    first.refresh_from_db()
    assert first.status == ReviewStatus.EXTRACTED
    nobody = extracted_claim(expert=None, article=dated_article(2024))
    data = {"decision": "approve", "expected_version": nobody.version}
    response = admin_ui.post(review_url(nobody), data, follow=True)
    assert any(m.startswith("Not saved:") for m in messages_of(response))
    nobody.refresh_from_db()
    assert nobody.status == ReviewStatus.EXTRACTED


def test_review_needs_post_and_the_change_permission(admin_ui, client, db):
    first, _, _ = queue_of_three()
    assert admin_ui.get(review_url(first)).status_code == 405
    viewer = factories.UserFactory(username="viewer", is_staff=True)
    client.force_login(viewer)
    response = client.post(review_url(first), {"decision": "approve", "expected_version": first.version})
    assert response.status_code == 403
    first.refresh_from_db()
    assert first.status == ReviewStatus.EXTRACTED


def test_a_claim_links_to_its_prediction_and_the_prediction_back(admin_ui, forecasts):
    prediction = forecasts.p[3]
    html = admin_ui.get(change_url(prediction.claim)).content.decode()
    assert reverse("admin:claims_prediction_change", args=[prediction.pk]) in html
    back = admin_ui.get(reverse("admin:claims_prediction_change", args=[prediction.pk])).content.decode()
    assert change_url(prediction.claim) in back
