"""The articles admin: text read-only with claims marked, claims inline, filters, saving through article_update."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.choices import ReviewStatus
from claims.models import FollowedFeed, IngestJob
from tests import factories, webpages
from tests.conftest import filter_choices, form_data
from tests.factories import extracted_claim

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:claims_article_changelist")


def change_url(article):
    return reverse("admin:claims_article_change", args=[article.pk])


def test_the_text_is_read_only_and_shows_each_claim_marked_and_linked(admin_ui):
    claim = extracted_claim()
    response = admin_ui.get(change_url(claim.article))
    assert "body" not in response.context["adminform"].form.fields
    html = response.content.decode()
    claim_url = reverse("admin:claims_claim_change", args=[claim.pk])
    assert f'<a class="claim-span" href="{claim_url}"' in html
    assert f'<mark class="claim-status-extracted">{claim.text}</mark>' in html


def test_a_posted_body_is_ignored(admin_ui):
    article = factories.ArticleFactory()
    original = article.body
    page = admin_ui.get(change_url(article))
    response = admin_ui.post(change_url(article), form_data(page, body="Rewritten.", title="New title"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.body, article.title, article.version) == (original, "New title", 2)


def test_claims_inline_is_a_read_only_summary_with_links(admin_ui):
    claim = extracted_claim(expert=None, speaker_mention="he")
    response = admin_ui.get(change_url(claim.article))
    inline = response.context["inline_admin_formsets"][0]
    assert not inline.has_change_permission and not inline.has_add_permission and not inline.has_delete_permission
    html = response.content.decode()
    assert "Unknown (he)" in html
    assert reverse("admin:claims_claim_change", args=[claim.pk]) in html


def test_changing_the_date_moves_the_claims_sort_date(admin_ui, curator):
    claim = extracted_claim()
    page = admin_ui.get(change_url(claim.article))
    response = admin_ui.post(change_url(claim.article), form_data(page, published_on="2021-03-04"))
    assert response.status_code == 302, response.context["errors"]
    claim.refresh_from_db()
    assert claim.sort_date == datetime.date(2021, 3, 4)
    assert claim.article.history.first().history_user == curator


def test_a_stale_copy_of_an_article_is_refused(admin_ui):
    article = factories.ArticleFactory(title="First")
    page = admin_ui.get(change_url(article))
    assert admin_ui.post(change_url(article), form_data(page, title="Second")).status_code == 302
    second = admin_ui.post(change_url(article), form_data(page, title="Third"))
    assert second.status_code == 200
    assert "This article was changed by someone else since you loaded it" in second.content.decode()
    article.refresh_from_db()
    assert (article.title, article.version) == ("Second", 2)


def test_a_date_without_precision_is_refused_on_the_form(admin_ui):
    article = factories.ArticleFactory()
    page = admin_ui.get(change_url(article))
    response = admin_ui.post(change_url(article), form_data(page, date_precision="unknown"))
    assert response.status_code == 200
    assert "A published date needs a precision" in response.content.decode()


def test_filters_by_outlet_date_and_review_state(admin_ui):
    outlet = factories.OutletFactory(name="NK News")
    pending = extracted_claim(article=factories.ArticleFactory(outlet=outlet, published_on=datetime.date(2019, 2, 27)))
    reviewed = factories.ClaimFactory(article=factories.ArticleFactory(published_on=datetime.date(2023, 1, 1)))
    empty = factories.ArticleFactory(published_on=datetime.date(2023, 5, 1))

    def listed(**params):
        return list(admin_ui.get(CHANGELIST, params).context["cl"].result_list)

    assert listed(outlet__id__exact=outlet.pk) == [pending.article]
    assert listed(review="pending") == [pending.article]
    assert listed(review="done") == [reviewed.article]
    assert listed(review="none") == [empty]
    assert listed(published_on__year=2023) == [empty, reviewed.article]


def test_counts_link_to_the_claims_awaiting_review(admin_ui):
    claim = extracted_claim()
    factories.ClaimFactory(article=claim.article, start=0, end=8, text=claim.article.body[:8])
    response = admin_ui.get(CHANGELIST)
    row = response.context["cl"].result_list[0]
    assert (row.claim_count, row.awaiting_count) == (2, 1)
    assert (
        f"status__exact={ReviewStatus.EXTRACTED}&amp;article__id__exact={claim.article.pk}" in response.content.decode()
    )


def test_search_by_title_and_byline(admin_ui):
    wanted = factories.ArticleFactory(title="Kim Jong Un to visit Russia", authors="Chad O'Carroll")
    factories.ArticleFactory()
    for term in ("visit russia", "O'Carroll"):
        assert list(admin_ui.get(CHANGELIST, {"q": term}).context["cl"].result_list) == [wanted]


JOBS = reverse("admin:claims_ingestjob_changelist")


def test_the_jobs_list_filters_by_state(admin_ui):
    failed = factories.IngestJobFactory(state="failed", label="/in/broken.txt")
    factories.IngestJobFactory(state="done", label="/in/fine.txt")
    response = admin_ui.get(JOBS, {"state__exact": "failed"})
    assert response.status_code == 200
    assert [job.pk for job in response.context["cl"].result_list] == [failed.pk]


def test_a_job_page_is_read_only_and_there_is_no_add_page(admin_ui):
    job = factories.IngestJobFactory(kind="text", spec={"kind": "text", "text": "x" * 500, "label": "pasted"})
    response = admin_ui.get(reverse("admin:claims_ingestjob_change", args=[job.pk]))
    assert response.status_code == 200
    assert not response.context["adminform"].form.fields  # everything shown read-only
    assert "500 characters" in response.content.decode()
    assert admin_ui.get(reverse("admin:claims_ingestjob_add")).status_code == 403


def test_retry_sends_failed_jobs_back_and_leaves_the_others(admin_ui, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "late.txt"
    failed = factories.IngestJobFactory(
        state="failed", label=str(path), spec={"kind": "file", "path": str(path), "label": str(path)}
    )
    done = factories.IngestJobFactory(state="done")
    path.write_text(webpages.ARTICLE_TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_ui.post(JOBS, {"action": "retry_jobs", "_selected_action": [failed.pk, done.pk]}, follow=True)
    assert "Sent 1 failed job(s) back to the queue. 1 not failed" in response.content.decode()
    failed.refresh_from_db()
    assert (failed.state, failed.created_article, failed.attempts) == ("done", True, 1)
    assert failed.article.body.startswith(webpages.PARAGRAPHS[0][:40])


def test_requeue_sends_the_selected_stuck_jobs_back_and_leaves_the_others(
    admin_ui, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.INGEST_STUCK_AFTER_SECONDS, settings.INGEST_QUEUED_RESEND_AFTER_SECONDS = 600, 3600
    path = tmp_path / "stuck.txt"
    path.write_text(webpages.ARTICLE_TEXT)
    spec = {"kind": "file", "path": str(path), "label": str(path)}
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    stuck = factories.IngestJobFactory(state="running", attempts=1, started_at=long_ago, label=str(path), spec=spec)
    recent = factories.IngestJobFactory(state="running", attempts=1, started_at=timezone.now())
    also_stuck = factories.IngestJobFactory(state="running", attempts=1, started_at=long_ago)  # not selected
    other = webpages.ARTICLE_TEXT + "\nA closing paragraph makes this a second article, with a hash of its own.\n"
    text = {"kind": "text", "text": other, "label": "t"}
    lost = factories.IngestJobFactory(state="queued", due_at=long_ago, kind="text", label="t", spec=text)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_ui.post(
            JOBS, {"action": "requeue_stuck_jobs", "_selected_action": [stuck.pk, recent.pk, lost.pk]}, follow=True
        )
    assert (
        "Stuck jobs: 1 requeued, 0 failed after too many attempts. Jobs left queued: 1 sent again. "
        "1 neither running for 600 s nor queued for 3600 s, left as they were."
    ) in response.content.decode()
    stuck.refresh_from_db()
    assert (stuck.state, stuck.attempts, stuck.created_article) == ("done", 2, True)
    assert IngestJob.objects.get(pk=lost.pk).created_article
    assert IngestJob.objects.get(pk=recent.pk).state == IngestJob.objects.get(pk=also_stuck.pk).state == "running"


def test_a_job_page_links_to_the_job_that_queued_it(admin_ui):
    poll = factories.IngestJobFactory(kind="feed", state="done")
    entry = factories.IngestJobFactory(kind="entry", parent=poll)
    page = admin_ui.get(reverse("admin:claims_ingestjob_change", args=[entry.pk])).content.decode()
    assert reverse("admin:claims_ingestjob_change", args=[poll.pk]) in page


def test_poll_now_queues_a_poll_per_selected_active_feed(admin_ui, django_capture_on_commit_callbacks):
    active = FollowedFeed.objects.create(url="https://news.example/a.rss")
    stopped = FollowedFeed.objects.create(url="https://news.example/b.rss", active=False)
    url = reverse("admin:claims_followedfeed_changelist")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_ui.post(url, {"action": "poll_now", "_selected_action": [active.pk, stopped.pk]}, follow=True)
    assert "Queued 1 feed poll(s). 1 stopped or already waiting for a poll" in response.content.decode()
    (poll,) = IngestJob.objects.all()
    assert (poll.kind, poll.state, poll.spec["feed_id"]) == ("feed", "queued", active.pk) and len(callbacks) == 1


def test_the_outlet_filter_names_articles_without_one_in_words(admin_ui):
    factories.ArticleFactory(outlet=None)
    factories.ArticleFactory()
    choices = filter_choices(admin_ui.get(CHANGELIST), "outlet")
    assert choices[-1] == "No outlet" and "-" not in choices
