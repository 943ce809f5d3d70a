"""Every filter of the articles and outlets lists selects a strict subset."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from claims.filtersets import ArticleFilterSet, IngestJobFilterSet, OutletFilterSet
from claims.models import Article, IngestJob, Outlet
from tests import factories
from tests.conftest import assert_strict_subset, filtered_ids

pytestmark = pytest.mark.django_db

d = datetime.date


@pytest.fixture
def world():
    w = SimpleNamespace()
    w.outlets = [
        factories.OutletFactory(name="NK News", slug="nk-news", domain="nknews.org"),
        factories.OutletFactory(name="Yonhap News Agency", slug="yonhap", domain="yna.co.kr"),
        factories.OutletFactory(name="BBC News", slug="bbc", domain="bbc.co.uk"),
        factories.OutletFactory(name="The Hankyoreh", slug="hankyoreh", domain="hani.co.kr"),
        factories.OutletFactory(name="TASS", slug="tass", domain="tass.com"),
    ]
    article = factories.article_with_quote
    nk, yonhap, bbc, hani, tass = w.outlets
    w.articles = [
        article("Sanctions are biting hard", outlet=nk, published_on=d(2014, 5, 1)),
        article("The summit will be short", outlet=nk, published_on=d(2016, 5, 1)),
        article("Sanctions evasion is growing", outlet=nk, published_on=d(2019, 5, 1)),
        article("Trade with China fell", outlet=yonhap, published_on=d(2021, 5, 1)),
        article("Troops were seen near Kursk", outlet=bbc, published_on=d(2024, 11, 1)),
        article("The rail link reopened", outlet=hani, published_on=d(2025, 2, 1)),
        article("Moscow welcomed the delegation", outlet=tass, published_on=None),
    ]
    for i in (4, 5, 6):
        Article.objects.filter(pk=w.articles[i].pk).update(language="ru" if i == 6 else "en")
    Article.objects.filter(pk__in=[w.articles[i].pk for i in (0, 1, 3)]).update(language="ko")
    return w


def articles(w, *indexes):
    return {w.articles[i].pk for i in indexes}


def outlets(w, *indexes):
    return {w.outlets[i].pk for i in indexes}


CASES = {
    ArticleFilterSet: {
        "outlet": (lambda w: {"outlet": "nk-news"}, lambda w: articles(w, 0, 1, 2)),
        "published_after": (lambda w: {"published_after": "2021-01-01"}, lambda w: articles(w, 3, 4, 5)),
        "published_before": (lambda w: {"published_before": "2016-12-31"}, lambda w: articles(w, 0, 1)),
        "language": (lambda w: {"language": "ko"}, lambda w: articles(w, 0, 1, 3)),
        "q": (lambda w: {"q": "sanctions"}, lambda w: articles(w, 0, 2)),
    },
    OutletFilterSet: {
        "name": (lambda w: {"name": "news"}, lambda w: outlets(w, 0, 1, 2)),
        "domain": (lambda w: {"domain": "TASS.com"}, lambda w: outlets(w, 4)),
    },
}
QUERYSETS = {ArticleFilterSet: Article.objects.all, OutletFilterSet: Outlet.objects.all}


def selected(filterset_class, params) -> list[int]:
    return filtered_ids(filterset_class, params, QUERYSETS[filterset_class]())


@pytest.mark.parametrize(
    ("filterset_class", "name"), [(cls, name) for cls, cases in CASES.items() for name in sorted(cases)]
)
def test_each_filter_selects_a_strict_subset(world, filterset_class, name):
    params, expected = CASES[filterset_class][name]
    found = selected(filterset_class, params(world))
    assert_strict_subset(found, expected(world), QUERYSETS[filterset_class]().count())


def test_outlet_by_part_of_its_name(world):
    assert set(selected(ArticleFilterSet, {"outlet": "hankyoreh"})) == articles(world, 5)
    assert set(selected(ArticleFilterSet, {"outlet": "Yonhap"})) == articles(world, 3)


@pytest.fixture
def jobs(db):
    """Six jobs: two done (one with its article), two failed (queued by the second), one queued after a retry,
    one running."""
    make = factories.IngestJobFactory
    stored = factories.ArticleFactory()
    at = [datetime.datetime(2026, 1, day, tzinfo=datetime.UTC) for day in range(1, 7)]
    rows = [
        make(state="done", article=stored, created_article=True, created_at=at[0]),
        make(state="done", article=stored, created_at=at[1], label="https://news.example/a", kind="url"),
        make(state="failed", created_at=at[2], attempts=1),
        make(state="failed", created_at=at[3], kind="url", label="https://news.example/b", retries=2, attempts=3),
        make(state="queued", created_at=at[4], retries=1, attempts=1, reason="429"),
        make(state="running", created_at=at[5], kind="text", label="pasted"),
    ]
    IngestJob.objects.filter(pk__in=[rows[2].pk, rows[3].pk]).update(parent=rows[1])  # what rows[1] expanded into
    return SimpleNamespace(rows=rows, article=stored)


def job_ids(jobs, *indexes):
    return {jobs.rows[i].pk for i in indexes}


JOB_CASES = {
    "state": (lambda j: {"state": "failed"}, lambda j: job_ids(j, 2, 3)),
    "kind": (lambda j: {"kind": "url"}, lambda j: job_ids(j, 1, 3)),
    "article_id": (lambda j: {"article_id": j.article.pk}, lambda j: job_ids(j, 0, 1)),
    "label": (lambda j: {"label": "NEWS.example"}, lambda j: job_ids(j, 1, 3)),
    "parent_id": (lambda j: {"parent_id": j.rows[1].pk}, lambda j: job_ids(j, 2, 3)),
    "retried": (lambda j: {"retried": "true"}, lambda j: job_ids(j, 3, 4)),
    "retried_false": (lambda j: {"retried": "false"}, lambda j: job_ids(j, 0, 1, 2, 5)),
    "created_after": (lambda j: {"created_after": "2026-01-04T00:00:00Z"}, lambda j: job_ids(j, 3, 4, 5)),
    "created_before": (lambda j: {"created_before": "2026-01-02T00:00:00Z"}, lambda j: job_ids(j, 0, 1)),
}
CASES[IngestJobFilterSet] = JOB_CASES


@pytest.mark.parametrize("name", sorted(JOB_CASES))
def test_each_ingest_job_filter_selects_a_strict_subset(jobs, name):
    params, expected = JOB_CASES[name]
    found = filtered_ids(IngestJobFilterSet, params(jobs), IngestJob.objects.all())
    assert_strict_subset(found, expected(jobs), IngestJob.objects.count())
