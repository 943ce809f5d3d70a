"""Reads of claims: the querysets of the detail views and the flat rows of the list pages.

List pages load rows in bulk for the ids of one page, one query per table (no model instances,
no article bodies): the row fields of CLAIM_SHAPE (claims.selectors.shapes), which also gives
their representation.
"""

from __future__ import annotations

from django.db import connection, router
from django.db.models import F, OuterRef, Q, QuerySet

from claims.choices import ReviewStatus
from claims.models import Claim, Topic
from claims.selectors.base import (
    IsoDateTimeUTC,
    can_see_unreviewed,
    fetch_compiled,
    fetch_json_records,
    utc_output,
    visible_claims,
)
from claims.selectors.search import public_search_ids
from claims.selectors.shapes import (
    ARTICLE_BRIEF,
    CLAIM_AFFILIATION,
    EXPERT_BRIEF,
    Link,
    Loaded,
    One,
    Shape,
    Value,
    as_float,
    iso_datetime,
)

__all__ = ["CLAIM_SHAPE", "claim_json_rows", "claim_queryset", "claim_rows"]


def claim_queryset(*, user) -> QuerySet[Claim]:
    """Claims ``user`` may see, with what a claim's representation needs loaded."""
    # Claim lists never load article bodies: a body is ~3 KB and a page has 50 claims.
    return (
        visible_claims(user)
        .select_related("expert", "affiliation__organization", "article__outlet")
        .defer("article__body", "article__content_hash", "article__source_file")
        .prefetch_related("topics")
    )


# The claims list's record (ClaimSerializer documents it; claims.api.serializers.ShapeRepresentation builds it).
CLAIM_SHAPE = Shape(
    Value("id"),
    Link("url", "api:claim-detail"),
    Value("text"),
    Value("quote_type"),
    Value("kind"),
    Value("status"),
    Value("cue"),
    Value("speaker_mention"),
    Value("start"),
    Value("end"),
    Loaded("topics"),
    One("expert", EXPERT_BRIEF),
    One("affiliation", CLAIM_AFFILIATION),
    One("article", ARTICLE_BRIEF, nullable=False),
    Value("confidence", convert=as_float),
    Value("reviewed_at", convert=iso_datetime),
    Value("created_at", convert=iso_datetime),
    Value("updated_at", convert=iso_datetime),
    Value("version"),
)


def claim_rows(
    ids: list[int], *, user=None, claims: QuerySet[Claim] | None = None, shape: Shape = CLAIM_SHAPE
) -> list[dict]:
    """The claims ``ids`` that ``user`` may see, as flat dicts in the order of ``ids``.

    Each row has the row fields of ``shape`` plus "topics" (slugs in the
    topics' own order, as a prefetch gives them). Ids that are gone, or that
    ``user`` may no longer see, are skipped. On PostgreSQL it is one statement,
    compiled once per process; elsewhere one query for the claims and one for topics.
    """
    if not ids:
        return []
    claims = visible_claims(user) if claims is None else claims
    if connection.vendor == "postgresql":
        found = _claim_rows_postgres(ids, claims, shape)
    else:
        found = _claim_rows_portable(ids, claims, shape)
    return [found[pk] for pk in ids if pk in found]


def _claim_rows_portable(ids, claims, shape) -> dict[int, dict]:
    rows = {row["id"]: row for row in claims.filter(pk__in=ids).order_by().values(*shape.row_fields)}
    for row in rows.values():
        row["topics"] = []
    links = (
        Claim.topics.through.objects.filter(claim_id__in=list(rows))
        .order_by("topic__name", "topic_id")  # Topic's own ordering, as a prefetch would use
        .values_list("claim_id", "topic__slug")
    )
    for claim_id, slug in links:
        rows[claim_id]["topics"].append(slug)
    return rows


def _claim_values(claims, shape, ids_filter) -> QuerySet:
    """The rows of ``claims`` with ids in ``ids_filter``: ``shape``'s row fields, then the topics' slugs."""
    from django.contrib.postgres.expressions import ArraySubquery

    # Topic's own ordering, as a prefetch would use.
    slugs = Topic.objects.filter(claims=OuterRef("pk")).order_by("name", "id").values("slug")
    # Timestamps come back as the text DRF would make of them (when it
    # makes UTC ones): parsing and formatting them in Python is a third of
    # the page's row handling.
    as_text = {f"{name}_text": IsoDateTimeUTC(name) for name in shape.converted_by(iso_datetime)}
    as_text = as_text if utc_output() else {}
    fields = [f"{name}_text" if f"{name}_text" in as_text else name for name in shape.row_fields]
    return (
        claims.filter(pk__in=ids_filter)
        .order_by()
        .annotate(topic_slugs=ArraySubquery(slugs), **as_text)
        .values(*fields, "topic_slugs")
    )


def _claim_rows_postgres(ids, claims, shape) -> dict[int, dict]:
    # The statement depends only on the visibility filter and the shape.
    def build(ids_filter):
        return _claim_values(claims, shape, ids_filter)

    fetched = fetch_compiled((str(claims.query.where), shape), build, ids, using=claims.db)
    names = (*shape.row_fields, "topics")
    return {row[0]: dict(zip(names, row, strict=True)) for row in fetched}


def claim_json_rows(ids: list[int], *, user=None, shape: Shape = CLAIM_SHAPE, link_parts) -> list[str] | None:
    """The claims ``ids`` that ``user`` may see, each as the JSON text of its record, in the order of ``ids``.

    The text is byte for byte what orjson writes for ``shape``'s representation of ``claim_rows``
    (tests/perf/test_bulk_lists.py), written by PostgreSQL: no column reaches Python. ``link_parts(view_name)``
    gives the text before and after the pk of that view's URLs. None where it cannot be done (not
    PostgreSQL, or timestamps not written in UTC): use ``claim_rows``. One statement, compiled once per process.
    """
    if connection.vendor != "postgresql" or not utc_output():
        return None
    # The statement depends on the visibility and the shape alone: the queryset is built only to compile it.
    return fetch_json_records(
        ("claims", can_see_unreviewed(user), shape),
        lambda ids_filter: _claim_values(visible_claims(user), shape, ids_filter),
        (*shape.row_fields, "topics"),
        shape,
        ids,
        using=router.db_for_read(Claim),
        link_parts=link_parts,
    )


# The public pages (claims.pages) ------------------------------------------------------------------------------


def claim_search(*, user, filters, request=None) -> tuple[QuerySet[Claim], str | None]:
    """Claims ``user`` may see, filtered with the API's grammar (ClaimFilterSet), newest first; and the words
    when the search is a visitor's by words alone (``ClaimFilterSet.public_words``: ``claim_ids_up_to`` then
    reads the public search table).

    Raises ValidationError (with the FilterSet's errors) for malformed values.
    """
    from django.core.exceptions import ValidationError

    from claims.filtersets.claims import ClaimFilterSet

    filterset = ClaimFilterSet(filters, queryset=visible_claims(user), request=request)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs.order_by("-sort_date", "-id"), filterset.public_words()


def claim_ids_up_to(claims: QuerySet, cap: int, *, public_words: str | None = None) -> list[int]:
    """The ids of ``claims``, ``cap`` + 1 at most (one bounded query): as many as there are, or "more than cap".

    Facets are then counted over these ids (``claims_with_ids``), by primary key, so that an expensive
    filter (full text joined to an outlet) is evaluated once, not once per facet. ``public_words``: the
    claims are the approved ones matching these words (claim_search), read from the public search table,
    newest first (``public_search_ids``; when at most ``cap`` match, ``claim_page_of_ids`` reads a page of them).
    """
    if public_words is not None:
        return public_search_ids(public_words, limit=cap + 1)
    return list(claims.order_by().values_list("id", flat=True)[: cap + 1])


def claims_with_ids(ids: list[int]) -> QuerySet[Claim]:
    """The claims ``ids``; on PostgreSQL the ids travel as one array parameter (thousands of them plan fast)."""
    if connection.vendor == "postgresql":
        from django.db.models.expressions import RawSQL

        return Claim.objects.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [list(ids)]))
    return Claim.objects.filter(pk__in=ids)


def claim_page_of_ids(user, ids: list[int], *, offset: int, limit: int, context: int) -> tuple[list[Claim], bool]:
    """``claim_page`` of the claims ``ids``, which are in the page's order (newest first), by primary key.

    For a visitor's search by words with at most FACET_LIMIT matches (``claim_ids_up_to`` read them newest first
    from the public search table): the page no longer walks every claim by date testing each one's vector, which
    read the whole date index for a word that matches nothing.
    """
    window = ids[offset : offset + limit + 1]
    claims = visible_claims(user).filter(pk__in=window).order_by("-sort_date", "-id")
    return claim_page(claims, offset=0, limit=limit, context=context)


# What a claim in the pages' lists shows (claims/templates/claims/_claim_item.html, pages.site._decorate_claims): the
# quote in its paragraph (the body window, from start and end), kind, quote type and review status, the speaker's
# name and page, the affiliation as it reads (role, former, organization), the article's title, link, date and
# outlet. Every other column of the claim and the five tables joined to it cost the pages' Python without being
# shown (the article's JSON lists parsed for each row among them).
CLAIM_ITEM_FIELDS = (
    "kind",
    "quote_type",
    "status",
    "start",
    "end",
    "sort_date",
    "expert",
    "expert__name",
    "expert__slug",
    "affiliation",
    "affiliation__role",
    "affiliation__is_former",
    "affiliation__organization",
    "affiliation__organization__name",
    "article",
    "article__title",
    "article__url",
    "article__published_on",
    "article__date_precision",
    "article__outlet",
    "article__outlet__name",
)


def claim_page(claims: QuerySet[Claim], *, offset: int, limit: int, context: int) -> tuple[list[Claim], bool]:
    """One page of ``claims`` with speaker, affiliation and article loaded, and whether more follow.

    Article bodies stay in the database: each claim carries ``body_window``, the
    text from ``window_start`` to ``context`` characters past its end (and as
    many before its start), enough to show the claim in its paragraph.
    """
    from django.db.models import F, Value
    from django.db.models.functions import Greatest, Substr

    window_start = Greatest(F("start") - context, Value(0))
    rows = list(
        claims.select_related("expert", "affiliation__organization", "article__outlet")
        .only(*CLAIM_ITEM_FIELDS)
        .annotate(
            window_start=window_start,
            body_window=Substr("article__body", window_start + 1, F("end") - window_start + context),
        )[offset : offset + limit + 1]
    )
    return rows[:limit], len(rows) > limit


def claim_facets(claims: QuerySet[Claim], *, top: int = 10) -> dict[str, list[dict]]:
    """The ``top`` experts, outlets, kinds and years of ``claims`` by number of claims (four grouped queries)."""
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from claims.models import UNKNOWN_SORT_DATE

    claims = claims.order_by()

    def grouped(*fields, **annotations):
        values = claims.annotate(**annotations).values(*fields).annotate(n=Count("id"))
        return list(values.order_by("-n", *fields)[:top])

    return {
        "expert": grouped("expert_id", "expert__name"),
        "outlet": grouped("article__outlet__name", "article__outlet__slug"),
        "kind": grouped("kind"),
        # Undated claims sort under UNKNOWN_SORT_DATE: their "year" is None here.
        "year": [
            {**row, "year": None if row["year"] == UNKNOWN_SORT_DATE.year else row["year"]}
            for row in grouped("year", year=ExtractYear("sort_date"))
        ],
    }


def newest_claims(*, user, limit: int = 8) -> list[Claim]:
    """The newest claims ``user`` may see, with speaker, affiliation and article (one query, the date index)."""
    return list(
        visible_claims(user)
        .select_related("expert", "affiliation__organization", "article__outlet")
        .defer("article__body", "article__content_hash", "article__source_file", "notes")
        .order_by("-sort_date", "-id")[:limit]
    )


def claim_years(*, user, expert) -> list[tuple[int | None, int]]:
    """How many claims of ``expert`` ``user`` may see, per year of publication (None: undated), oldest first."""
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from claims.models import UNKNOWN_SORT_DATE

    rows = (
        visible_claims(user)
        .filter(expert=expert)
        .order_by()
        .annotate(year=ExtractYear("sort_date"))
        .values("year")
        .annotate(n=Count("id"))
        .values_list("year", "n")
    )
    undated = UNKNOWN_SORT_DATE.year
    counts = [(None if year == undated else year, n) for year, n in rows]
    return sorted(counts, key=lambda row: (row[0] is not None, row[0] or 0))


def database_counts(*, user) -> dict[str, int]:
    """What the database holds, as the public sees it: approved claims, their experts, articles, outlets, forecasts.

    Counting a million claims takes a while, so the figures are cached for
    ``PAGE_COUNTS_SECONDS``; curators also get the number awaiting review.
    """
    from django.core.cache import cache
    from django.db.models import Count

    from claims.choices import ReviewStatus
    from claims.models import Article, Outlet, Prediction

    curator = can_see_unreviewed(user)
    key = f"pages:database-counts:{int(curator)}"
    counts = cache.get(key)
    if counts is None:
        approved = Claim.objects.filter(status=ReviewStatus.APPROVED).order_by()
        counts = approved.aggregate(claims=Count("id"), experts=Count("expert_id", distinct=True))
        counts["articles"] = Article.objects.count()
        counts["outlets"] = Outlet.objects.count()
        counts["forecasts"] = Prediction.objects.filter(claim__status=ReviewStatus.APPROVED).count()
        if curator:
            counts["awaiting_review"] = Claim.objects.filter(status=ReviewStatus.EXTRACTED).count()
        cache.set(key, counts, PAGE_COUNTS_SECONDS)
    return counts


PAGE_COUNTS_SECONDS = 300


__all__ += [
    "claim_facets",
    "claim_ids_up_to",
    "claim_page",
    "claim_page_of_ids",
    "claim_search",
    "claim_years",
    "claims_with_ids",
    "database_counts",
    "newest_claims",
]


# The review queue: newest article first (undated last), each article's claims in reading order.
REVIEW_QUEUE_ORDER = (F("article__published_on").desc(nulls_last=True), "-article_id", "start", "id")


def review_queue() -> QuerySet[Claim]:
    """Claims awaiting review, in the order curators work through them."""
    return Claim.objects.filter(status=ReviewStatus.EXTRACTED).order_by(*REVIEW_QUEUE_ORDER)


def review_queue_next(*, after: Claim) -> Claim | None:
    """The claim that follows ``after`` in the review queue (whether or not ``after`` is still in it); one query.

    The rest of its article first, then the articles after it in queue order (older, then undated ones).
    """
    article = after.article
    same_article_later = Q(article_id=article.pk, start__gt=after.start) | Q(
        article_id=article.pk, start=after.start, pk__gt=after.pk
    )
    if article.published_on is None:
        later_articles = Q(article__published_on__isnull=True, article_id__lt=article.pk)
    else:
        later_articles = (
            Q(article__published_on__lt=article.published_on)
            | Q(article__published_on=article.published_on, article_id__lt=article.pk)
            | Q(article__published_on__isnull=True)
        )
    return review_queue().filter(same_article_later | later_articles).exclude(pk=after.pk).first()


__all__ += ["REVIEW_QUEUE_ORDER", "review_queue", "review_queue_next"]
