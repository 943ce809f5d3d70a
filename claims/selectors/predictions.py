"""Reads for predictions, events and track records, for the API, the public page and the admin.

Visibility follows the claims (claims.selectors.base): a user who may not see a
claim may not see its prediction either, so anonymous users see the
predictions of approved claims only, in every format.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import orjson
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from claims.choices import Outcome, ReviewStatus
from claims.domain.track_record import (
    OBSERVED,
    Forecast,
    Standing,
    TopicRecord,
    TrackRecord,
    standing_of_counts,
    standing_of_sums,
    track_record_of_counts,
)
from claims.filtersets.predictions import PredictionFilterSet
from claims.models import Event, EvidenceLink, Expert, Prediction, PublicTrackRecord, Topic
from claims.selectors.base import (
    IdLiteral,
    can_see_unreviewed,
    visible_expert,
    visible_predictions,
    visible_track_record_counts,
)
from claims.selectors.shapes import EXPERT_BRIEF

__all__ = [
    "ExpertTrackRecord",
    "event_queryset",
    "expert_track_record",
    "forecasts_of",
    "prediction_list",
    "prediction_queryset",
    "public_track_record",
]


def event_queryset() -> QuerySet[Event]:
    """Events with their topics and evidence links loaded."""
    return Event.objects.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name", "id")),
        Prefetch("evidence", queryset=EvidenceLink.objects.order_by("id")),
    )


def prediction_queryset(*, user) -> QuerySet[Prediction]:
    """Predictions ``user`` may see, with their claim, expert, article and deciding events loaded.

    A constant number of queries whatever the number of rows: one for the
    rows and one per prefetched relation. Article bodies stay in the database.
    """
    return (
        visible_predictions(user)
        .select_related(
            "claim__expert",
            "claim__affiliation__organization",
            "claim__article__outlet",
            "resolved_by",
        )
        .defer("claim__article__body", "claim__article__content_hash", "claim__article__source_file")
        .prefetch_related(
            Prefetch("claim__topics", queryset=Topic.objects.order_by("name", "id")),
            Prefetch("events", queryset=event_queryset().order_by("occurred_on", "id")),
        )
    )


def prediction_list(*, user, filters: dict | None = None) -> QuerySet[Prediction]:
    """Predictions ``user`` may see, filtered with the API's grammar (PredictionFilterSet)."""
    filterset = PredictionFilterSet(filters or {}, queryset=prediction_queryset(user=user))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def forecasts_of(predictions) -> list[Forecast]:
    """The track-record math's view of predictions (their claim's topics must be loaded or prefetched)."""
    return [
        Forecast(
            outcome=prediction.outcome,
            probability=prediction.probability,
            topics=tuple(topic.slug for topic in prediction.claim.topics.all()),
        )
        for prediction in predictions
    ]


@dataclass(frozen=True)
class ExpertTrackRecord:
    expert: Expert
    overall: TrackRecord
    topics: tuple[TopicRecord, ...]
    topic_names: dict[str, str]
    # The stored rows it was computed from, as read (a text on PostgreSQL): equal keys, equal records. Callers may
    # keep what they derive from a record under it (the API keeps its serialized form).
    key: object = None


# The expert's stored counts that ``user`` may see, as one JSON text in a fixed order (rows are unique per topic,
# status, outcome and probability): [[topic slug, topic name, outcome, probability, count], ...], or NULL for none.
_COUNTS_JSON_SQL = (
    "SELECT json_agg(json_build_array(t.slug, t.name, r.outcome, r.probability, r.count)"
    " ORDER BY r.topic_id NULLS FIRST, r.status, r.outcome, r.probability NULLS FIRST)::text"
    ' FROM "claims_trackrecordcount" r LEFT JOIN "claims_topic" t ON t.id = r.topic_id'
    " WHERE r.expert_id = %s{status}"
)

# Track records computed per process, keyed by the stored rows they come from (the whole of their input): a
# writer changes the rows, so a changed record has a new key and a stale one is never served. Bounded; the
# oldest entry goes first.
_RECORDS: dict[object, tuple[TrackRecord, tuple[TopicRecord, ...], dict[str, str]]] = {}
RECORDS_KEPT = 64


def _stored_counts(expert: Expert, user) -> tuple[object, list]:
    """(key, rows): the expert's visible stored counts as (slug, name, outcome, probability, count) rows, and a
    hashable value equal for equal rows; on PostgreSQL the rows come as one JSON text, the key, decoded only when
    the record is not kept yet (then the rows are None until asked for)."""
    counts = visible_track_record_counts(user).filter(expert=expert).order_by()
    connection = connections[counts.db]
    if connection.vendor == "postgresql":
        status = "" if can_see_unreviewed(user) else " AND r.status = %s"
        params = [expert.pk] if not status else [expert.pk, ReviewStatus.APPROVED]
        with connection.cursor() as cursor:
            cursor.execute(_COUNTS_JSON_SQL.format(status=status), params)
            text = cursor.fetchone()[0]
        return text, None
    rows = sorted(
        counts.values_list("topic__slug", "topic__name", "outcome", "probability", "count"),
        key=lambda row: (row[0] or "", row[2], row[3] is not None, row[3] or 0.0, row[4]),
    )
    return tuple(rows), rows


def expert_track_record(*, expert: Expert, user) -> ExpertTrackRecord:
    """How ``expert``'s forecasts that ``user`` may see turned out, overall and per topic (one query).

    Read from the stored counts (TrackRecordCount: how many forecasts share an
    outcome and a probability, per topic and claim status), never from the
    predictions themselves: a few dozen rows whatever the number of forecasts.
    The math runs once per process for the same rows (``_RECORDS``).
    """
    key, rows = _stored_counts(expert, user)
    return _record_of(expert, key, rows)


@dataclass(frozen=True)
class StoredTrackRecord:
    """An expert's public track record as stored (``claims.models.PublicTrackRecord``), or computed when it is not."""

    brief: dict  # the expert's brief (EXPERT_BRIEF's fields)
    revision: int  # of the counts the record is of
    overall: str | None = None  # the stored JSON texts, or None: not stored at this revision
    topics: str | None = None
    computed: ExpertTrackRecord | None = None  # when not stored: computed from the counts read at ``revision``


# The statement of public_track_record per database alias and code fingerprint: (SQL, parameters, the index of the
# expert's id in them).
_PUBLIC_STATEMENTS: dict[tuple[str, str], tuple[str, list, int]] = {}
_NO_EXPERT = -2_000_000_001  # the expert id the statement is compiled with, replaced by the one asked for


def _public_statement(computed_by: str) -> tuple[str, str, list, int]:
    """The one statement of a public track-record read, built from the public's visibility (visible_expert) and
    compiled once per process: the expert's brief, the revision, the stored record and the code it was written by,
    and when none is stored by ``computed_by``, the public's counts of the same snapshot as one JSON text
    (PostgreSQL; elsewhere read after, see below)."""
    alias = router.db_for_read(Expert)
    compiled = _PUBLIC_STATEMENTS.get((alias, computed_by))
    if compiled is None:
        experts = visible_expert(AnonymousUser(), _NO_EXPERT).using(alias).order_by()
        record = PublicTrackRecord._meta.db_table
        if connections[alias].vendor == "postgresql":
            counts_sql = _COUNTS_JSON_SQL.replace("%s", f'"{Expert._meta.db_table}"."id"').format(
                status=" AND r.status = %s"
            )
            counts = RawSQL(
                f'CASE WHEN "{record}"."overall" IS NULL OR "{record}"."computed_by" <> %s THEN ({counts_sql}) END',
                [computed_by, ReviewStatus.APPROVED],
                output_field=TextField(),
            )
        else:
            counts = Value(None, output_field=TextField())
        query = experts.annotate(counts=counts).values_list(
            *EXPERT_BRIEF.names,
            "public_track_record__revision",
            "public_track_record__overall",
            "public_track_record__topics",
            "public_track_record__computed_by",
            "counts",
        )
        sql, params = query.query.sql_with_params()
        params = list(params)
        compiled = _PUBLIC_STATEMENTS[alias, computed_by] = (sql, params, params.index(_NO_EXPERT))
    return (alias, *compiled)


def public_track_record(*, expert_id: int, computed_by: str) -> StoredTrackRecord | None:
    """The public's track record of a visible expert (None: not visible), in one statement when it is stored.

    ``computed_by``: the fingerprint of the caller's code that writes records; one written by other code is not
    served. When no record is stored at the current revision, it is computed from the counts read in the same
    statement as the revision (on SQLite, read after it: counts newer than the revision make a record the
    revision guard refuses to store, never a stale one served), through the same per-process table as
    ``expert_track_record``; the caller may store it with ``claims.services.track_records.public_track_record_keep``.
    """
    if not 0 < expert_id < 2**63:  # no such expert (the ORM answers an id out of range as none found, too)
        return None
    alias, sql, params, at = _public_statement(computed_by)
    params = params.copy()
    params[at] = expert_id
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    names = EXPERT_BRIEF.names
    brief = dict(zip(names, row, strict=False))
    revision, overall, topics, stored_by, counts = row[len(names) :]
    revision = revision or 0
    if overall is not None and stored_by == computed_by:
        return StoredTrackRecord(brief=brief, revision=revision, overall=overall, topics=topics)
    expert = Expert(**brief)
    if connections[alias].vendor == "postgresql":
        key, rows = counts, None
    else:
        key, rows = _stored_counts(expert, AnonymousUser())
    return StoredTrackRecord(brief=brief, revision=revision, computed=_record_of(expert, key, rows))


def _record_of(expert: Expert, key, rows) -> ExpertTrackRecord:
    """The track record of the stored rows ``key`` stands for (``_stored_counts``), computed once per process."""
    kept = _RECORDS.get(key)
    if kept is None:
        if rows is None:
            # JSON writes a probability of 1.0 as 1: read back as the float it is stored as.
            rows = [
                (slug, name, outcome, None if p is None else float(p), n)
                for slug, name, outcome, p, n in (orjson.loads(key) if key else ())
            ]
        kept = _track_record_of_rows(rows)
        if len(_RECORDS) >= RECORDS_KEPT:
            _RECORDS.pop(next(iter(_RECORDS), None), None)
        _RECORDS[key] = kept
    overall, topics, names = kept
    return ExpertTrackRecord(expert=expert, overall=overall, topics=topics, topic_names=names, key=key)


def _track_record_of_rows(rows) -> tuple[TrackRecord, tuple[TopicRecord, ...], dict[str, str]]:
    overall: list[tuple[str, float | None, int]] = []
    by_topic: dict[str, list[tuple[str, float | None, int]]] = {}
    names: dict[str, str] = {}
    for slug, name, outcome, probability, n in rows:
        if slug is None:
            overall.append((outcome, probability, n))
        else:
            by_topic.setdefault(slug, []).append((outcome, probability, n))
            names[slug] = name
    topics = tuple(TopicRecord(slug, track_record_of_counts(by_topic[slug])) for slug in sorted(by_topic))
    return track_record_of_counts(overall), topics, names


def forecasts_due(*, user, today, limit: int = 10) -> list[Prediction]:
    """Pending forecasts ``user`` may see whose horizon ended before ``today``, longest overdue first."""
    return list(
        visible_predictions(user)
        .filter(outcome=Outcome.PENDING, horizon_end__lt=today)
        .select_related("claim__expert", "claim__article__outlet")
        .defer("claim__article__body", "claim__article__content_hash", "claim__article__source_file")
        .order_by("horizon_end", "id")[:limit]
    )


def expert_forecasts(*, user, expert: Expert, limit: int = 50) -> list[Prediction]:
    """The ``limit`` newest forecasts of ``expert`` that ``user`` may see, with their claim's status and article's
    date (one query): the fields the expert page lists (FORECAST_LIST_FIELDS), no others.

    The expert's id is part of the statement's text (IdLiteral): planned for any expert, the statement read
    every claim of the most quoted ones.
    """
    return list(
        visible_predictions(user)
        .filter(claim__expert_id=IdLiteral(expert.pk))
        .select_related("claim__article")
        .only(*FORECAST_LIST_FIELDS)
        .order_by("-claim__sort_date", "-id")[:limit]
    )


# What a forecast in an expert's list shows (claims/templates/claims/expert_detail.html, pages.site.expert_detail):
# its proposition, probability, outcome and horizon, its claim's review status and its article's date. Building the
# 50 forecasts with every column of their claim, article and outlet (the article's JSON lists parsed) cost the page
# about a third of its Python.
FORECAST_LIST_FIELDS = (
    "proposition",
    "probability",
    "outcome",
    "horizon_end",
    "claim__status",
    "claim__article__published_on",
    "claim__article__date_precision",
)


__all__ += ["expert_forecasts", "forecasts_due"]


# (outcome, probability, how many): the track-record math's grouped input (track_record_of_counts).
Counts = list[tuple[str, float | None, int]]


@dataclass
class ExpertForecasts:
    """One expert's resolved forecasts (counted by outcome and probability) and how many are still pending."""

    expert: Expert
    resolved: Counts = field(default_factory=list)
    pending: int = 0
    topics: dict[str, Counts] | None = None  # the resolved ones per topic slug; None until loaded (load_topics)


@dataclass
class ForecastsByExpert:
    experts: list[ExpertForecasts]  # experts with a resolved forecast (or the ones asked for), in no particular order
    resolved: Counts  # every resolved forecast, the unattributed ones included
    pending: int
    topics: dict[str, Counts]  # every resolved forecast per topic slug
    topic_names: dict[str, str]
    user: object = None  # whose stored counts to read the experts' topics from (stored_forecasts_by_expert)
    # The resolved predictions to read the experts' topics from instead (forecasts_by_expert).
    resolved_predictions: QuerySet[Prediction] | None = None

    @property
    def made(self) -> int:
        """How many forecasts, resolved or pending, the unattributed ones included."""
        return sum(n for _outcome, _probability, n in self.resolved) + self.pending

    def load_topics(self, experts: list[ExpertForecasts]) -> None:
        """Read the per-topic counts of ``experts`` when they are not loaded yet (one query, or none)."""
        missing = {g.expert.pk: g for g in experts if g.topics is None}
        if not missing:
            return
        for g in missing.values():
            g.topics = {}
        if self.resolved_predictions is not None:
            rows = (
                self.resolved_predictions.filter(claim__expert_id__in=list(missing), claim__topics__isnull=False)
                .order_by()
                .values_list("claim__expert_id", "claim__topics__slug", "outcome", "probability")
                .annotate(n=Count("id"))
            )
        else:
            rows = (
                visible_track_record_counts(self.user)
                .filter(expert_id__in=list(missing), topic__isnull=False)
                .exclude(outcome=Outcome.PENDING)
                .order_by()
                .values_list("expert_id", "topic__slug", "outcome", "probability", "count")
            )
        for expert_id, slug, outcome, probability, n in rows:
            missing[expert_id].topics.setdefault(slug, []).append((outcome, probability, n))


def forecasts_by_expert(predictions: QuerySet[Prediction]) -> ForecastsByExpert:
    """The resolved forecasts among ``predictions``, counted by expert, outcome and probability, with the pending
    ones counted (three queries; the experts' per-topic counts are read when asked for, ``load_topics``).

    For a filtered set of predictions, which the stored counts do not follow (stored_forecasts_by_expert
    serves the unfiltered ones). The database groups and counts them: however many forecasts match, what comes
    back is a few rows per expert and per topic.
    """
    predictions = predictions.prefetch_related(None).order_by()
    grouped = predictions.values_list("claim__expert_id", "outcome", "probability").annotate(n=Count("id"))
    experts: dict[int, ExpertForecasts] = {}
    everyone: Counts = []
    pending_of: dict[int | None, int] = {}
    for expert_id, outcome, probability, n in grouped:
        if outcome == Outcome.PENDING:
            pending_of[expert_id] = pending_of.get(expert_id, 0) + n
            continue
        everyone.append((outcome, probability, n))
        if expert_id is not None:
            experts.setdefault(expert_id, ExpertForecasts(expert=expert_id)).resolved.append((outcome, probability, n))
    resolved = Prediction.objects.filter(pk__in=predictions.exclude(outcome=Outcome.PENDING).values("pk"))
    every_topic: dict[str, Counts] = {}
    names: dict[str, str] = {}
    per_topic = (
        resolved.filter(claim__topics__isnull=False)
        .order_by()
        .values_list("claim__topics__slug", "claim__topics__name", "outcome", "probability")
        .annotate(n=Count("id"))
    )
    for slug, name, outcome, probability, n in per_topic:
        every_topic.setdefault(slug, []).append((outcome, probability, n))
        names[slug] = name
    for expert in Expert.objects.filter(pk__in=list(experts)).only("name", "slug", "sort_name") if experts else ():
        experts[expert.pk].expert = expert
        experts[expert.pk].pending = pending_of.get(expert.pk, 0)
    return ForecastsByExpert(
        experts=list(experts.values()),
        resolved=everyone,
        pending=sum(pending_of.values()),
        topics=every_topic,
        topic_names=names,
        resolved_predictions=resolved,
    )


def stored_forecasts_by_expert(
    *, user, expert_id: int | None = None, experts: Collection[int] | None = None
) -> ForecastsByExpert:
    """What forecasts_by_expert gives for every prediction ``user`` may see (or ``expert_id``'s), from the stored
    counts (TrackRecordCount), never the predictions themselves: the counts of everyone's forecasts (and per topic)
    summed in the database, and the rows of each expert in ``experts`` (every expert when None; a page passes
    the few it shows, chosen by expert_standings). The experts' per-topic counts are read when asked for
    (``load_topics``)."""
    counts = visible_track_record_counts(user)
    if expert_id is not None:
        counts = counts.filter(expert_id=expert_id)
    overall = counts.filter(topic__isnull=True).order_by()
    everyone: Counts = []
    pending = 0
    for outcome, probability, n in overall.values_list("outcome", "probability").annotate(n=Sum("count")):
        if outcome == Outcome.PENDING:
            pending += n
        else:
            everyone.append((outcome, probability, n))
    every_topic: dict[str, Counts] = {}
    names: dict[str, str] = {}
    per_topic = (
        counts.filter(topic__isnull=False)
        .exclude(outcome=Outcome.PENDING)
        .order_by()
        .values_list("topic__slug", "topic__name", "outcome", "probability")
        .annotate(n=Sum("count"))
    )
    for slug, name, outcome, probability, n in per_topic:
        every_topic.setdefault(slug, []).append((outcome, probability, n))
        names[slug] = name
    rows = overall.filter(expert__isnull=False)
    if experts is not None:
        rows = rows.filter(expert_id__in=list(experts))
    found: dict[int, ExpertForecasts] = {}
    for expert_id_, outcome, probability, n in rows.values_list("expert_id", "outcome", "probability", "count"):
        group = found.setdefault(expert_id_, ExpertForecasts(expert=expert_id_))
        if outcome == Outcome.PENDING:
            group.pending += n
        else:
            group.resolved.append((outcome, probability, n))
    # Experts with at least one resolved forecast, as forecasts_by_expert gives them.
    found = {pk: group for pk, group in found.items() if group.resolved}
    for expert in Expert.objects.filter(pk__in=list(found)).only("name", "slug", "sort_name") if found else ():
        found[expert.pk].expert = expert
    return ForecastsByExpert(
        experts=list(found.values()),
        resolved=everyone,
        pending=pending,
        topics=every_topic,
        topic_names=names,
        user=user,
    )


@dataclass(frozen=True)
class ExpertStanding:
    """One expert's place on a leaderboard: the expert's id and sort name (the tie-break) and their Standing."""

    expert_id: int
    sort_name: str
    standing: Standing


def expert_standings(*, user, expert_id: int | None = None) -> list[ExpertStanding]:
    """Every expert with a judged forecast ``user`` may see (or ``expert_id``, if they have one), with their
    Standing, summed by the database from the stored counts in one grouped query: a few numbers per expert,
    however many forecasts and experts there are. The observed values are claims.domain.track_record.OBSERVED's."""
    observed = Case(*(When(outcome=o, then=Value(v)) for o, v in OBSERVED.items()), output_field=FloatField())
    error = F("probability") - observed
    with_probability = Q(probability__isnull=False)
    counts = visible_track_record_counts(user).filter(topic__isnull=True, expert__isnull=False, outcome__in=OBSERVED)
    if expert_id is not None:
        counts = counts.filter(expert_id=expert_id)
    rows = (
        counts.order_by()
        .values("expert_id", "expert__sort_name")
        .annotate(
            judged=Sum("count"),
            scored=Sum("count", filter=with_probability),
            squared=Sum(
                ExpressionWrapper(F("count") * error * error, output_field=FloatField()), filter=with_probability
            ),
        )
        .values_list("expert_id", "expert__sort_name", "judged", "scored", "squared")
    )
    return [
        ExpertStanding(pk, sort_name, standing_of_sums(judged, scored or 0, squared))
        for pk, sort_name, judged, scored, squared in rows
    ]


def standings_of(groups: ForecastsByExpert) -> list[ExpertStanding]:
    """expert_standings for forecasts already read (forecasts_by_expert): the experts with a judged forecast."""
    standings = (
        ExpertStanding(g.expert.pk, g.expert.sort_name, standing_of_counts(g.resolved)) for g in groups.experts
    )
    return [s for s in standings if s.standing.judged]


__all__ += [
    "Counts",
    "ExpertForecasts",
    "ExpertStanding",
    "ForecastsByExpert",
    "expert_standings",
    "forecasts_by_expert",
    "standings_of",
    "stored_forecasts_by_expert",
]
