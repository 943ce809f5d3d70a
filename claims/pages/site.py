"""The public pages analysts read: home, claims search, one expert, one article.

Server-rendered and read-only; the only script fills the expert name suggestions.
Visitors see approved claims only (claims.selectors.base); a curator also sees the
rest, each marked "awaiting review" or "rejected". Every page runs a constant
number of queries, whatever the size of the database: see docs in the README,
"Pages", and tests/pages/.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from claims.choices import ClaimKind, ExpertKind, QuoteType, ReviewStatus
from claims.domain.resolutions import OUTCOME_SHORT_LABELS
from claims.domain.track_record import MIN_JUDGED, VERDICT_LABELS, verdict
from claims.filtersets.claims import ClaimFilterSet
from claims.models import Topic
from claims.pages.charts import calibration_chart, year_chart
from claims.pages.text import MarkedSpan, marked_article, quote_in_context
from claims.pages.views import TopicLine, article_date_display
from claims.selectors.articles import article_page_get
from claims.selectors.base import can_see_unreviewed, visible_claims
from claims.selectors.claims import (
    claim_facets,
    claim_ids_up_to,
    claim_page,
    claim_page_of_ids,
    claim_search,
    claim_years,
    claims_with_ids,
    database_counts,
    newest_claims,
)
from claims.selectors.people import (
    CO_QUOTED_ARTICLES,
    co_quoted_experts,
    expert_name_suggestions,
    expert_page_get,
    most_quoted_experts,
)
from claims.selectors.predictions import expert_forecasts, expert_track_record, forecasts_due

__all__ = ["article_detail", "claim_search_page", "expert_detail", "expert_names", "home"]

PAGE_SIZE = 20
# Offset paging stops here: past page 50 the offset scan costs more than it is worth; narrow the filters instead.
MAX_PAGE = 50
# Facets are counted only on a filtered set of at most this many claims (four GROUP BY queries over their ids):
# at a million claims on PostgreSQL they cost 150 to 300 ms for 2,000 to 5,000 claims (README, "Pages").
FACET_LIMIT = 5_000
# A quote in a list is shown in its sentence, at most this many characters a side; the body is read
# WINDOW characters a side (further than CONTEXT, so that a cut falls on a word boundary, with an ellipsis).
CONTEXT = 200
WINDOW = CONTEXT + 80
QUOTED_DAYS = 30
# Forecasts due for judgement on the home page (the longest overdue; the predictions page has them all): about as
# tall as the newest claims beside them.
HOME_DUE = 5
HOME_CACHE_SECONDS = 300
# The public's home page is the same for every visitor: its HTML is kept this long (newest claims and forecasts
# due appear up to a minute late; the counts and the most quoted lag five minutes anyway). Curators' is live.
HOME_PAGE_SECONDS = 60
# An expert page's aggregates over all their claims (claims per year, the experts quoted beside them: 10 to 50 ms of
# PostgreSQL for the most quoted experts) are cached this long for the public; curators read them live.
EXPERT_CACHE_SECONDS = 300

STATUS_LABELS = {ReviewStatus.EXTRACTED: "awaiting review", ReviewStatus.REJECTED: "rejected"}


def _status_label(status: str) -> str:
    return STATUS_LABELS.get(status, "")


def _decorate_claims(claims, *, context: int = CONTEXT) -> None:
    """Adds what the claim list template shows: the quote in its paragraph, the date, the review mark."""
    for claim in claims:
        offset = claim.window_start
        claim.in_context = quote_in_context(
            claim.body_window, claim.start - offset, claim.end - offset, context=context
        )
        claim.date_display = article_date_display(claim.article)
        claim.status_label = _status_label(claim.status)


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise ValidationError({"page": [f"A page number from 1 to {MAX_PAGE}."]})
    return int(raw)


def _page_links(request, page: int, has_next: bool) -> dict:
    params = request.GET.copy()
    links = {}
    if page > 1:
        params["page"] = page - 1
        links["previous"] = "?" + params.urlencode()
    if has_next and page < MAX_PAGE:
        params["page"] = page + 1
        links["next"] = "?" + params.urlencode()
    links["capped"] = has_next and page >= MAX_PAGE
    return links


# Home ------------------------------------------------------------------------------------------------------------


@require_safe
def home(request):
    """What the database holds, the newest claims, forecasts due for judgement and who is quoted most."""
    user = request.user
    today = timezone.localdate()
    curator = can_see_unreviewed(user)
    if not curator:
        key = home_page_key(today)
        body = cache.get(key)
        if body is None:
            response = _home(request, user, today)
            cache.set(key, response.content, HOME_PAGE_SECONDS)
            return response
        return HttpResponse(body)
    return _home(request, user, today)


def home_page_key(today: datetime.date) -> str:
    """The cache key of the public's home page on ``today`` (under this script prefix)."""
    return f"pages:home:{today.isoformat()}:{get_script_prefix()}"


def _home(request, user, today: datetime.date):
    since = today - datetime.timedelta(days=QUOTED_DAYS)
    key = f"pages:most-quoted:{int(can_see_unreviewed(user))}:{since.isoformat()}"
    quoted = cache.get(key)
    if quoted is None:
        recent = most_quoted_experts(user=user, since=since)
        # A quiet month (or an archive of old articles): fall back to all time, and say so.
        quoted = (
            {"rows": recent, "all_time": False}
            if recent
            else {"rows": most_quoted_experts(user=user), "all_time": True}
        )
        cache.set(key, quoted, HOME_CACHE_SECONDS)
    newest = newest_claims(user=user)
    for claim in newest:
        claim.date_display = article_date_display(claim.article)
        claim.status_label = _status_label(claim.status)
    due = forecasts_due(user=user, today=today, limit=HOME_DUE)
    context = {
        "counts": database_counts(user=user),
        "newest": newest,
        "due": due,
        "quoted": quoted["rows"],
        "quoted_all_time": quoted["all_time"],
        "quoted_days": QUOTED_DAYS,
        "curator": can_see_unreviewed(user),
        "nav": "home",
    }
    return render(request, "claims/home.html", context)


# Claims search ---------------------------------------------------------------------------------------------------


class ClaimSearchForm(forms.Form):
    """The fields of the search form: rendering only; ClaimFilterSet parses and validates the same names."""

    q = forms.CharField(label="Words in the quote", required=False)
    expert = forms.CharField(label="Expert", required=False, help_text="A name or part of one, in any order.")
    expert_kind = forms.ChoiceField(
        label="Speaker is",
        required=False,
        choices=[("", "Anyone"), *ExpertKind.choices],
        help_text="Analysts and academics apart from officials and politicians.",
    )
    organization = forms.CharField(label="Organization", required=False, help_text="Acronym or part of the name.")
    outlet = forms.CharField(label="Outlet", required=False)
    topic = forms.ChoiceField(label="Topic", required=False)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any kind"), *ClaimKind.choices])
    quote_type = forms.ChoiceField(label="Quote", required=False, choices=[("", "Any quote"), *QuoteType.choices])
    published_after = forms.DateField(
        label="Published on or after", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    published_before = forms.DateField(
        label="Published on or before", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expert_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    article = forms.IntegerField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label="Review status", required=False, choices=[("", "Any status"), *ReviewStatus.choices]
    )

    def __init__(self, *args, topics, curator: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "Any topic"), *topics]
        self.fields["expert"].widget.attrs.update({"list": "expert-names", "autocomplete": "off"})
        self.fields["q"].widget.attrs.update({"type": "search"})
        if not curator:
            del self.fields["status"]
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-help"

    MAIN_FIELDS = ("q", "expert")

    def main_fields(self):
        return [self[name] for name in self.MAIN_FIELDS]

    def more_fields(self):
        return [field for field in self.visible_fields() if field.name not in self.MAIN_FIELDS]


# The page's own control parameter; every other parameter is a ClaimFilterSet filter (ordering excepted:
# the page always lists newest first).
PAGE_PARAMETERS = frozenset(ClaimFilterSet.base_filters) - {"ordering"}


@require_safe
def claim_search_page(request):
    """The claims list with the API's filters as a form, paged, with facets when the filtered set is small."""
    user = request.user
    curator = can_see_unreviewed(user)
    topics = list(Topic.objects.order_by("name", "id").values_list("slug", "name"))
    form = ClaimSearchForm(request.GET, topics=topics, curator=curator)
    filters = {k: v for k, v in request.GET.items() if k in PAGE_PARAMETERS and v.strip()}
    unknown = sorted(set(request.GET) - PAGE_PARAMETERS - {"page"})
    context = {
        "form": form,
        "main_fields": form.main_fields(),
        "more_fields": form.more_fields(),
        "more_open": any(name not in form.MAIN_FIELDS for name in filters),
        "nav": "claims",
        "curator": curator,
        "errors": {},
        "claims": [],
    }
    try:
        if unknown:
            raise ValidationError({name: ["Not a filter of this page."] for name in unknown})
        page = _page_number(request)
        claims, public_words = claim_search(user=user, filters=filters, request=request)
    except ValidationError as error:
        context["errors"] = error.message_dict
        return render(request, "claims/claim_search.html", context, status=400)
    ids = claim_ids_up_to(claims, FACET_LIMIT, public_words=public_words)
    total = len(ids)
    offset = (page - 1) * PAGE_SIZE
    if public_words is not None and total <= FACET_LIMIT:
        # A visitor's search by words with few enough matches: their ids came newest first, so the page is read by id.
        rows, has_next = claim_page_of_ids(user, ids, offset=offset, limit=PAGE_SIZE, context=WINDOW)
    else:
        rows, has_next = claim_page(claims, offset=offset, limit=PAGE_SIZE, context=WINDOW)
    _decorate_claims(rows)
    api_query = urlencode(sorted(filters.items()))
    context.update(
        {
            "claims": rows,
            "page": page,
            "first_number": (page - 1) * PAGE_SIZE + 1,
            "links": _page_links(request, page, has_next),
            "total": total,
            "total_capped": total > FACET_LIMIT,
            "facet_limit": FACET_LIMIT,
            "facets": _facets(request, claims_with_ids(ids)) if 0 < total <= FACET_LIMIT else None,
            "filtered": bool(filters),
            "csv_url": f"/api/claims?{api_query}&format=csv" if api_query else "/api/claims?format=csv",
            "json_url": f"/api/claims?{api_query}" if api_query else "/api/claims",
        }
    )
    return render(request, "claims/claim_search.html", context)


def _facet_url(request, **values) -> str:
    """The current search with ``values`` set, from its first page."""
    params = request.GET.copy()
    params.pop("page", None)
    for name, value in values.items():
        params[name] = value
    return "?" + params.urlencode()


def _facets(request, claims) -> list[dict]:
    """The facets of ``claims`` as the template lists them: a title, and rows of label, count and link."""
    facets = claim_facets(claims)
    kinds = dict(ClaimKind.choices)
    groups = [
        (
            "Expert",
            [
                {"label": r["expert__name"], "n": r["n"], "url": _facet_url(request, expert_id=r["expert_id"])}
                if r["expert_id"]
                else {"label": "unknown speaker", "n": r["n"], "url": ""}
                for r in facets["expert"]
            ],
        ),
        (
            "Outlet",
            [
                {
                    "label": r["article__outlet__name"],
                    "n": r["n"],
                    "url": _facet_url(request, outlet=r["article__outlet__slug"]),
                }
                if r["article__outlet__slug"]
                else {"label": "no outlet", "n": r["n"], "url": ""}
                for r in facets["outlet"]
            ],
        ),
        (
            "Kind",
            [
                {"label": kinds.get(r["kind"], r["kind"]), "n": r["n"], "url": _facet_url(request, kind=r["kind"])}
                for r in facets["kind"]
            ],
        ),
        (
            "Year",
            [
                {
                    "label": str(r["year"]),
                    "n": r["n"],
                    "url": _facet_url(
                        request, published_after=f"{r['year']}-01-01", published_before=f"{r['year']}-12-31"
                    ),
                }
                if r["year"]
                else {"label": "undated", "n": r["n"], "url": ""}
                # The largest years, listed newest first.
                for r in sorted(facets["year"], key=lambda r: r["year"] or 0, reverse=True)
            ],
        ),
    ]
    return [{"title": title, "rows": rows} for title, rows in groups if rows]


@require_safe
def expert_names(request):
    """Name suggestions for the expert field: ``?q=`` (two characters at least), ten at most, as JSON."""
    query = request.GET.get("q", "").strip()
    if len(query) > 200:
        return JsonResponse({"error": "q is at most 200 characters."}, status=400)
    names = expert_name_suggestions(user=request.user, query=query) if len(query) >= 2 else []
    return JsonResponse({"results": names})


# One expert ------------------------------------------------------------------------------------------------------


@require_safe
def expert_detail(request, slug: str):
    """An expert: names, affiliations, claims (paged), claims per year, forecasts and track record, co-quoted."""
    user = request.user
    expert = expert_page_get(user=user, slug=slug)
    if expert is None:
        raise Http404("No such expert.")
    try:
        page = _page_number(request)
    except ValidationError as error:
        return render(request, "claims/error.html", {"errors": error.message_dict, "nav": "none"}, status=400)
    curator = can_see_unreviewed(user)
    claims = visible_claims(user).filter(expert=expert).order_by("-sort_date", "-id")
    rows, has_next = claim_page(claims, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE, context=WINDOW)
    _decorate_claims(rows)
    forecasts = expert_forecasts(user=user, expert=expert)
    for prediction in forecasts:
        prediction.outcome_short = OUTCOME_SHORT_LABELS[prediction.outcome]
        prediction.verdict = verdict(prediction.probability, prediction.outcome)
        prediction.verdict_label = VERDICT_LABELS[prediction.verdict]
        prediction.status_label = _status_label(prediction.claim.status)
        prediction.made_display = article_date_display(prediction.claim.article)
    record = expert_track_record(expert=expert, user=user) if forecasts else None
    years = _public_cached(curator, f"pages:expert-years:{expert.pk}", lambda: claim_years(user=user, expert=expert))
    co_quoted = _public_cached(
        curator, f"pages:co-quoted:{expert.pk}", lambda: co_quoted_experts(user=user, expert=expert)
    )
    context = {
        "expert": expert,
        "not_public": curator and not visible_claims(None).filter(expert=expert).exists(),
        "claims": rows,
        "page": page,
        "first_number": (page - 1) * PAGE_SIZE + 1,
        "links": _page_links(request, page, has_next),
        "years": _year_chart(years),
        "forecasts": forecasts,
        "record": record.overall if record else None,
        "calibration": _calibration_chart(record) if record else None,
        "record_topics": [TopicLine(record.topic_names.get(t.topic, t.topic), t.record) for t in record.topics]
        if record
        else [],
        "min_judged": MIN_JUDGED,
        "co_quoted": co_quoted,
        "co_quoted_articles": CO_QUOTED_ARTICLES,
        "curator": curator,
        "nav": "none",
    }
    return render(request, "claims/expert_detail.html", context)


def _public_cached(curator: bool, key: str, compute):
    """``compute()``, kept EXPERT_CACHE_SECONDS in the cache for the public; live for curators."""
    if curator:
        return compute()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, EXPERT_CACHE_SECONDS)
    return value


# Charts drawn per process, keyed by everything they are drawn from (pygal takes a few milliseconds a chart).
_CHARTS: dict[object, object] = {}
CHARTS_KEPT = 128


def _drawn(key, draw):
    chart = _CHARTS.get(key)
    if chart is None:
        chart = draw()
        if len(_CHARTS) >= CHARTS_KEPT:
            _CHARTS.pop(next(iter(_CHARTS), None), None)
        _CHARTS[key] = chart
    return chart


def _year_chart(rows):
    rows = tuple(rows)
    return _drawn(("years", rows), lambda: year_chart(rows))


def _calibration_chart(record):
    """The calibration chart of the record's overall figures; the record's key (its stored rows) names it."""
    if record.key is None:
        return calibration_chart(record.overall, anchor="expert-cal")
    return _drawn(("calibration", record.key), lambda: calibration_chart(record.overall, anchor="expert-cal"))


# One article -----------------------------------------------------------------------------------------------------


@require_safe
def article_detail(request, pk: int):
    """An article's text with each claim ``request.user`` may see marked and attributed."""
    article, claims = article_page_get(user=request.user, pk=pk)
    if article is None:
        raise Http404("No such article.")
    spans = []
    for number, claim in enumerate(claims, start=1):
        claim.number = number
        claim.status_label = _status_label(claim.status)
        who = claim.expert.name if claim.expert else "unknown speaker"
        title = f"{who}{', ' + str(claim.affiliation) if claim.affiliation else ''}"
        if claim.status_label:
            title += f" ({claim.status_label})"
        spans.append(MarkedSpan(claim.start, claim.end, number, claim.pk, claim.status, title))
    context = {
        "article": article,
        "date_display": article_date_display(article),
        "text": marked_article(article.body, spans),
        "claims": claims,
        "curator": can_see_unreviewed(request.user),
        "nav": "none",
    }
    return render(request, "claims/article_detail.html", context)
