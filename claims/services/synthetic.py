"""Synthetic data at scale, for benchmarks and performance tests.

``synthetic_generate`` fills the claims tables with realistic, deterministic
rows (the same seed gives the same rows): experts whose claim counts follow a
Zipf law (the most quoted, "Andrei Lankov", has about 1% of all claims),
organizations and affiliations, aliases normalized exactly as ``Alias.save``
does, outlets, topics, ~3 KB article bodies whose claims are real spans of
the text, predictions on about 10% of claims, and mostly approved claims.
Every row satisfies the model's check constraints.

Rows go in by bulk: ``COPY`` through psycopg on PostgreSQL, ``executemany``
on SQLite (small sizes, for tests). Ids are assigned here, so foreign keys
need no round trip; sequences are reset at the end.

It refuses a database that holds curated data (an article it did not
generate, an expert it did not create, a claim reviewed or a prediction
resolved by a real user) unless ``force`` is given; without ``force`` it
replaces synthetic data generated earlier.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.text import slugify

from claims.choices import (
    AliasOrigin,
    ClaimKind,
    DatePrecision,
    HedgeCategory,
    OrganizationKind,
    Outcome,
    QuoteType,
    ReviewStatus,
)
from claims.domain.forecasts import BANDS, hedge_fields
from claims.domain.names import name_match_key, normalize_name, sort_name
from claims.domain.textfiles import content_hash
from claims.models import (
    UNKNOWN_SORT_DATE,
    Affiliation,
    Alias,
    Article,
    Claim,
    Expert,
    Organization,
    Outlet,
    Prediction,
    Topic,
    TrackRecordCount,
)
from claims.services.backup import reset_sequences
from claims.services.track_records import track_records_rebuild

__all__ = [
    "POPULAR_EXPERT",
    "RARE_EXPERT",
    "SYNTHETIC_BIO",
    "SYNTHETIC_SOURCE_PREFIX",
    "SYNTHETIC_USERNAME",
    "CuratedDataError",
    "SyntheticResult",
    "SyntheticSpec",
    "curated_data_reasons",
    "synthetic_generate",
]

# Markers that tell generated rows from curated ones.
SYNTHETIC_SOURCE_PREFIX = "synthetic/"
SYNTHETIC_BIO = "Synthetic expert (generate_synthetic)."
SYNTHETIC_USERNAME = "synthetic-generator"

# The most quoted expert, and one quoted a handful of times, for benchmarks.
POPULAR_EXPERT = "Andrei Lankov"
RARE_EXPERT = "Wilhelmina Quorrington"

EPOCH = datetime.date(2005, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)
UTC = datetime.UTC


class CuratedDataError(Exception):
    """The database holds data this generator did not make."""


@dataclass(frozen=True)
class SyntheticSpec:
    experts: int = 20_000
    organizations: int = 2_000
    articles: int = 200_000
    claims: int = 1_000_000
    seed: int = 42
    outlets: int = 60
    # Share of claims by the most quoted expert; the Zipf exponent is fitted to it.
    top_share: float = 0.01
    prediction_share: float = 0.10
    approved_share: float = 0.90
    rejected_share: float = 0.03
    undated_share: float = 0.02
    body_chars: int = 3_000


@dataclass
class SyntheticResult:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    replaced: bool = False


# Vocabulary -------------------------------------------------------------------

KOREAN_SURNAMES = (
    "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Jeon Hong Ko Moon Yang Son "
    "Bae Baek Heo Yoo Nam Sim Noh Ha Kwak Sung Cha Joo Woo Koo Min Ryu Na Jin Ji Eom Chae Won Cheon Bang Gong Hyun"
).split()
# Weighted as in South Korea: Kim, Lee and Park are almost half of the population.
KOREAN_SURNAME_WEIGHTS = [21, 15, 8, 5, 4, 4, 4, 3, 3, 3] + [1] * (len(KOREAN_SURNAMES) - 10)
KOREAN_SYLLABLES = (
    "min seo ji hyun jun woo young soo jin hee sung ho jae kyung eun hye yeon dong han seung chul tae il sang "
    "hoon gyu won bin na ra mi ae ok joon yong hwan sik kwang"
).split()
WESTERN_FIRST = (
    "James John Robert Michael William David Richard Joseph Thomas Charles Daniel Matthew Anthony Mark Paul Steven "
    "Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Jason Edward Jeffrey Ryan Jacob Gary Nicholas Eric "
    "Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack "
    "Dennis Jerry Tyler Aaron Henry Peter Adam Nathan Zachary Douglas Kyle Mary Patricia Jennifer Linda Elizabeth "
    "Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra Margaret Ashley Kimberly Emily Donna Michelle Carol "
    "Amanda Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Amy Kathleen Angela Shirley Anna Ruth Brenda "
    "Pamela Nicole Katherine Samantha Christine Emma Catherine Rachel Victoria Olga Irina Sergei Dmitri Alexei "
    "Nikolai Yuri Mikhail Ivan Tatiana Natalia Hiroshi Takeshi Yuki Kenji Akiko Haruki Wei Li Ming Hakim Joakim "
    "Fatima Omar Ahmed Leila Pierre Sophie Jean Marie Hans Klaus Ingrid Lars Sven Astrid Giovanni Marco Chiara "
    "Elena Pablo Carmen Diego Lucia"
).split()
WESTERN_LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker "
    "Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell "
    "Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales "
    "Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Cox Ward Richardson "
    "Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers "
    "Long Ross Foster Jimenez Ivanov Petrov Sokolov Volkov Kuznetsov Popov Morozov Novikov Fedorov Orlov Tanaka "
    "Suzuki Takahashi Watanabe Yamamoto Nakamura Kobayashi Sato Zhang Wang Chen Liu Yang Huang Zhao Wu Zhou "
    "Muller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Dubois Laurent Bernard Moreau "
    "Rossi Russo Ferrari Esposito Bianchi Romano Kimball Hakimi Kimura Akimov Larsen Nilsson Berg Lindqvist"
).split()
ROLES = (
    "professor",
    "senior research fellow",
    "research fellow",
    "director",
    "senior analyst",
    "analyst",
    "visiting scholar",
    "former ambassador",
    "associate professor",
    "program director",
    "nonresident fellow",
    "editor",
)
ORG_PATTERNS = (
    ("{place} University", OrganizationKind.UNIVERSITY),
    ("University of {place}", OrganizationKind.UNIVERSITY),
    ("{place} Institute for {field}", OrganizationKind.THINK_TANK),
    ("Center for {field} Studies, {place}", OrganizationKind.THINK_TANK),
    ("{place} Foundation for {field}", OrganizationKind.THINK_TANK),
    ("{place} Ministry of {field}", OrganizationKind.GOVERNMENT),
    ("{place} Daily News", OrganizationKind.MEDIA),
    ("{place} Council on {field}", OrganizationKind.OTHER),
)
PLACES = (
    "Seoul Busan Incheon Daegu Gwangju Daejeon Ulsan Suwon Jeju Tokyo Osaka Kyoto Beijing Shanghai Vladivostok "
    "Moscow Washington Boston Chicago Stanford Berkeley London Oxford Cambridge Paris Berlin Geneva Vienna "
    "Canberra Sydney Singapore Taipei Hanoi Ulaanbaatar Stockholm Helsinki Warsaw Prague Toronto Ottawa"
).split()
FIELDS = (
    "National Unification",
    "Security Policy",
    "Asian Affairs",
    "Korean Peninsula Affairs",
    "Strategic Studies",
    "International Relations",
    "Defense Analysis",
    "Economic Policy",
    "Northeast Asian Peace",
    "Nonproliferation",
    "Energy Security",
    "Human Rights",
    "Maritime Strategy",
    "Trade and Development",
    "Foreign Affairs",
)
COUNTRIES = ("South Korea", "Japan", "China", "Russia", "United States", "United Kingdom", "Germany", "Australia")
OUTLET_NAMES = (
    "NK News",
    "BBC",
    "The Hankyoreh",
    "Yonhap",
    "The Korea Herald",
    "The Korea Times",
    "JoongAng Daily",
    "Chosun Ilbo",
    "Reuters",
    "Associated Press",
    "The Guardian",
    "The New York Times",
    "The Washington Post",
    "Nikkei Asia",
    "South China Morning Post",
    "Radio Free Asia",
    "Voice of America",
    "The Diplomat",
    "38 North",
    "Daily NK",
)
TOPICS = (
    "Sanctions",
    "Nuclear programme",
    "Missile tests",
    "Summit diplomacy",
    "Inter-Korean relations",
    "Human rights",
    "Economy",
    "Trade with China",
    "Russia relations",
    "Military cooperation",
    "Cyber operations",
    "Food security",
    "Succession",
    "Energy",
    "Defectors",
    "Tourism",
    "Maritime disputes",
    "Elections",
    "US alliance",
    "Japan relations",
)
SUBJECTS = (
    "Pyongyang",
    "North Korea",
    "The regime",
    "Kim Jong Un",
    "Seoul",
    "The South Korean government",
    "Beijing",
    "Moscow",
    "Washington",
    "The leadership",
    "The military",
    "Tokyo",
    "The new administration",
    "The ruling party",
    "The opposition",
    "China",
    "The United Nations",
    "The alliance",
    "The market",
    "The North Korean economy",
)
VERBS = (
    "will not give up",
    "is unlikely to abandon",
    "wants",
    "is seeking",
    "will resume",
    "cannot afford to ignore",
    "is preparing",
    "will probably test",
    "has little interest in",
    "is trying to expand",
    "is very likely to continue",
    "may reconsider",
    "is pushing for",
    "will quietly support",
    "is unlikely to accept",
    "will almost certainly reject",
    "has long opposed",
    "might welcome",
    "is betting on",
    "has become dependent on",
)
OBJECTS = (
    "its nuclear programme",
    "talks with Washington",
    "economic reforms",
    "a summit with Moscow",
    "missile tests",
    "trade with China",
    "food aid",
    "the inter-Korean liaison office",
    "cryptocurrency theft",
    "military cooperation with Russia",
    "tourism revenue",
    "a new round of negotiations",
    "the joint military exercises",
    "labour exports",
    "closer ties with Beijing",
    "a freeze on enrichment",
    "family reunions",
    "satellite launches",
    "the hereditary succession",
    "a peace declaration",
    "its coal exports",
    "the six-party framework",
    "humanitarian access",
    "a nonaggression pledge",
)
TAILS = (
    "this year",
    "before the election",
    "in the coming months",
    "any time soon",
    "for now",
    "over the next decade",
    "as long as the current leadership stays",
    "without concessions from Seoul",
    "unless the pressure eases",
    "despite the pressure",
    "whatever the summit produces",
    "in the short term",
    "once the pandemic restrictions end",
    "after the party congress",
    "by the end of the decade",
    "if the talks collapse",
    "while the border stays closed",
    "given the harvest",
    "under the current framework",
    "regardless of what Tokyo does",
)
FILLER = (
    "Officials declined to comment on the report.",
    "The announcement came after weeks of speculation in the region.",
    "State media carried a brief statement late on Tuesday.",
    "Satellite imagery reviewed by analysts showed new construction at the site.",
    "The ministry said it was monitoring the situation closely.",
    "Trade figures released this month pointed to a sharp decline in exports.",
    "Diplomats in the capital said the meeting had been planned for months.",
    "The two sides have not held formal talks since the last summit collapsed.",
    "Prices of rice and corn in the markets rose for the third month in a row.",
    "A spokesperson for the foreign ministry repeated the government's position.",
    "The exercises are scheduled to last two weeks and involve thousands of troops.",
    "Observers noted that the official newspaper did not mention the visit.",
    "The border city has seen increased truck traffic since the spring.",
    "Several delegations arrived in the capital ahead of the anniversary.",
    "The United Nations panel of experts is expected to publish its report soon.",
    "Local officials reported heavy rain and flooding in the northern provinces.",
    "The statement did not say when the talks would resume.",
    "Analysts have long debated the significance of such gestures.",
    "The government has denied the reports, calling them fabricated.",
    "Exports of seafood and textiles remain officially banned.",
)
CUES = ("said", "told reporters", "said in an interview", "wrote", "argued", "noted", "told NK News", "said on Monday")
HEDGES = {
    "almost_no_chance": "there is almost no chance",
    "very_unlikely": "it is very unlikely",
    "unlikely": "it is unlikely",
    "roughly_even": "there is a roughly even chance",
    "likely": "it is likely",
    "very_likely": "it is very likely",
    "almost_certain": "it is almost certain",
}
# What each category's phrase stores (claims.domain.forecasts.hedge_fields), worked out once.
_HEDGE_FIELDS = {category: hedge_fields(HEDGES.get(category, ""), inverted=False) for category in (*BANDS, "unhedged")}
HORIZONS = (("this year", 365), ("within months", 180), ("by next spring", 270), ("", 0), ("in the long run", 3650))


ORGANIZATION_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "name",
    "slug",
    "acronym",
    "kind",
    "country",
    "website",
    "wikidata_id",
)
EXPERT_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "name",
    "sort_name",
    "slug",
    "wikidata_id",
    "bio",
    "kind",
    "kind_curated",
    "version",
)
# How often each kind of person is quoted (claims.choices.ExpertKind): mostly analysts, then officials.
KIND_WEIGHTS = {"analyst": 40, "academic": 18, "official": 22, "politician": 7, "journalist": 4, "other": 9}
ARTICLE_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "title",
    "authors",
    "url",
    "published_on",
    "date_precision",
    "language",
    "body",
    "content_hash",
    "source_file",
    "ingested_at",
    "version",
    "outlet",
)
CLAIM_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "text",
    "start",
    "end",
    "quote_type",
    "cue",
    "speaker_mention",
    "kind",
    "status",
    "reviewed_at",
    "confidence",
    "notes",
    "sort_date",
    "version",
    "affiliation",
    "article",
    "reviewed_by",
    "expert",
)
PREDICTION_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "proposition",
    "hedge",
    "hedge_category",
    "hedge_inverted",
    "scale",
    "probability_low",
    "probability_high",
    "probability",
    "low_confidence",
    "horizon_text",
    "horizon_start",
    "horizon_end",
    "outcome",
    "resolved_at",
    "resolution_note",
    "version",
    "claim",
    "resolved_by",
)


# Helpers ----------------------------------------------------------------------


def _zipf_counts(total: int, n: int, top_share: float) -> list[int]:
    """``n`` counts summing to ``total``, Zipf-distributed, the largest about ``top_share * total``."""
    if n <= 0:
        return []
    if n == 1:
        return [total]

    def share(s: float) -> float:
        return 1.0 / sum(k**-s for k in range(1, n + 1))

    low, high = 0.0, 3.0
    target = max(top_share, min(0.5, 5.0 / n))  # skewed even when there are few experts
    for _ in range(40):  # the top share grows with the exponent
        mid = (low + high) / 2
        if share(mid) < target:
            low = mid
        else:
            high = mid
    s = (low + high) / 2
    weights = [k**-s for k in range(1, n + 1)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for k in range(total - sum(counts)):  # the remainder, one each, most quoted first
        counts[k % n] += 1
    if counts[-1] == 0 and counts[0] > 1:  # the rare expert is quoted at least once
        counts[0] -= 1
        counts[-1] = 1
    return counts


def _day(rng: random.Random) -> datetime.date:
    # Coverage grows over time: later years hold more articles.
    span = (LAST_DAY - EPOCH).days
    return EPOCH + datetime.timedelta(days=int(span * rng.random() ** 0.7))


def _at(day: datetime.date, seconds: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=UTC) + datetime.timedelta(seconds=seconds)


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def _expert_names(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct names, the popular and the rare expert first and last."""
    names = [POPULAR_EXPERT]
    seen = {normalize_name(POPULAR_EXPERT), normalize_name(RARE_EXPERT)}
    attempts = 0
    while len(names) < n - 1:
        attempts += 1
        if rng.random() < 0.5:
            surname = rng.choices(KOREAN_SURNAMES, KOREAN_SURNAME_WEIGHTS)[0]
            given = f"{rng.choice(KOREAN_SYLLABLES).capitalize()}-{rng.choice(KOREAN_SYLLABLES)}"
            name = f"{surname} {given}"
        else:
            name = f"{rng.choice(WESTERN_FIRST)} {rng.choice(WESTERN_LAST)}"
            if attempts > 4 * n or rng.random() < 0.15:
                name = f"{rng.choice(WESTERN_FIRST)} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(WESTERN_LAST)}"
        key = normalize_name(name)
        if key in seen:
            continue
        seen.add(key)
        names.append(name)
    if n > 1:
        names.append(RARE_EXPERT)
    return names[:n]


def _variant(name: str) -> str | None:
    """Another spelling of ``name`` with a different normalized form, or None."""
    parts = name.split()
    if "-" in parts[-1]:  # "Kim Min-jun" -> "Kim Minjun"
        return " ".join([*parts[:-1], parts[-1].replace("-", "").capitalize()])
    if len(parts) == 2:  # "Andrei Lankov" -> "A. Lankov"
        return f"{parts[0][0]}. {parts[1]}"
    return None


# About 2% of claims mention sanctions (the benchmark's full-text query).
SANCTIONS_SHARE = 0.0075


def _claim_text(rng: random.Random) -> str:
    thing = "sanctions relief" if rng.random() < SANCTIONS_SHARE else rng.choice(OBJECTS)
    when = "despite the sanctions" if rng.random() < SANCTIONS_SHARE else rng.choice(TAILS)
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {thing} {when}"


# Curated-data check -------------------------------------------------------------


def curated_data_reasons() -> list[str]:
    """Why the database holds data the generator did not make (empty when it does not)."""
    reasons = []
    foreign_articles = Article.objects.exclude(source_file__startswith=SYNTHETIC_SOURCE_PREFIX).count()
    if foreign_articles:
        reasons.append(f"{foreign_articles} article(s) were not generated by this command")
    foreign_experts = Expert.objects.exclude(bio=SYNTHETIC_BIO).count()
    if foreign_experts:
        reasons.append(f"{foreign_experts} expert(s) were not generated by this command")
    reviewed = Claim.objects.filter(reviewed_by__isnull=False).exclude(reviewed_by__username=SYNTHETIC_USERNAME)
    if reviewed.exists():
        reasons.append(f"{reviewed.count()} claim(s) were reviewed by a real user")
    resolved = Prediction.objects.filter(resolved_by__isnull=False).exclude(resolved_by__username=SYNTHETIC_USERNAME)
    if resolved.exists():
        reasons.append(f"{resolved.count()} prediction(s) were resolved by a real user")
    return reasons


def _has_synthetic_data() -> bool:
    return Article.objects.filter(source_file__startswith=SYNTHETIC_SOURCE_PREFIX).exists() or (
        Expert.objects.filter(bio=SYNTHETIC_BIO).exists()
    )


# Writing ----------------------------------------------------------------------------


class _Writer:
    """Bulk inserts in the model's column order: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def write(self, model, names: tuple[str, ...], rows: Iterable[tuple]) -> int:
        """Insert ``rows``, tuples of the values of the fields ``names``, in that order."""
        fields = [model._meta.get_field(name) for name in names]
        table = model._meta.db_table
        qn = connection.ops.quote_name
        names = ", ".join(qn(f.column) for f in fields)
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                return count
            sql = f"INSERT INTO {qn(table)} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
            batch = []
            for row in rows:
                batch.append(tuple(f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)))
                if len(batch) >= 2000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count


def _delete_everything() -> None:
    """Remove earlier synthetic rows (the database holds nothing else: checked before)."""
    models = [
        Prediction,
        Claim,
        Article,
        Affiliation,
        Alias,
        Expert,
        Organization,
        Outlet,
        Topic,
        Prediction.history.model,
        Claim.history.model,
        Article.history.model,
        Affiliation.history.model,
        Expert.history.model,
        Organization.history.model,
    ]
    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            # Deferred foreign-key checks still pending in this transaction would block TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {names} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    for model in models:  # small databases only: the ORM follows the foreign keys
        model.objects.all().delete()


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


# The generator ---------------------------------------------------------------------------


def synthetic_generate(
    *, spec: SyntheticSpec, force: bool = False, log: Callable[[str], None] | None = None
) -> SyntheticResult:
    """Fill the database with ``spec``'s rows; deterministic for ``spec.seed``.

    Raises CuratedDataError when the database holds curated data and ``force``
    is not given. Without ``force``, synthetic rows from an earlier run are
    replaced; with it, new rows are added beside whatever is there.
    """
    log = log or (lambda message: None)
    started = time.perf_counter()
    result = SyntheticResult()
    reasons = curated_data_reasons()
    if reasons and not force:
        raise CuratedDataError(
            "The database holds curated data: " + "; ".join(reasons) + ". Use an empty database, or --force to "
            "add synthetic rows beside it."
        )
    if force and _has_synthetic_data():
        raise CuratedDataError("The database already holds synthetic data; --force adds to curated data only once.")
    with transaction.atomic():
        if not reasons and _has_synthetic_data():
            log("Removing the synthetic data of an earlier run")
            _delete_everything()
            result.replaced = True
        counts = _generate(spec, _Writer(), log)
        log("Counting the track records")
        track_records_rebuild()
        reset_sequences(
            [Topic, Outlet, Organization, Expert, Alias, Affiliation, Article, Claim, Claim.topics.through, Prediction]
        )
    if connection.vendor == "postgresql":
        log("ANALYZE")
        with connection.cursor() as cursor:
            for model in (
                Topic,
                Outlet,
                Organization,
                Expert,
                Alias,
                Affiliation,
                Article,
                Claim,
                Prediction,
                TrackRecordCount,
            ):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Claim.topics.through._meta.db_table)}")
    result.counts = counts
    result.seconds = round(time.perf_counter() - started, 1)
    return result


def _synthetic_user():
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=SYNTHETIC_USERNAME, defaults={"is_active": False, "email": "", "first_name": "Synthetic"}
    )
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _generate(spec: SyntheticSpec, writer: _Writer, log: Callable[[str], None]) -> dict[str, int]:
    rng = random.Random(spec.seed)
    resolver = _synthetic_user()
    counts: dict[str, int] = {}
    created = datetime.datetime(2026, 1, 1, tzinfo=UTC)

    # Topics and outlets ------------------------------------------------------------
    topic_slugs = set(Topic.objects.values_list("slug", flat=True))
    topic_names = set(Topic.objects.values_list("name", flat=True))
    first = _next_id(Topic)
    topics = []
    for name in TOPICS:
        if name in topic_names:
            continue
        topics.append((first + len(topics), _unique(slugify(name), topic_slugs), name, "", ""))
    counts["topics"] = writer.write(Topic, ("id", "slug", "name", "description", "cues"), topics)
    topic_ids = [row[0] for row in topics] or list(Topic.objects.values_list("pk", flat=True))
    # "sanctions" is the first topic: claims that mention sanctions are filed under it.
    sanctions_topic = topics[0][0] if topics else None

    outlet_names = set(Outlet.objects.values_list("name", flat=True))
    outlet_slugs = set(Outlet.objects.values_list("slug", flat=True))
    first = _next_id(Outlet)
    outlets = []
    for i in range(spec.outlets):
        name = OUTLET_NAMES[i] if i < len(OUTLET_NAMES) else f"{rng.choice(PLACES)} Gazette {i}"
        if name in outlet_names:
            continue
        outlet_names.add(name)
        slug = _unique(slugify(name), outlet_slugs)
        outlets.append((first + len(outlets), name, slug, f"{slug}.example", "[]"))
    counts["outlets"] = writer.write(Outlet, ("id", "name", "slug", "domain", "alternate_names"), outlets)
    outlet_ids = [row[0] for row in outlets]
    outlet_weights = [1.0 / (k + 1) for k in range(len(outlet_ids))]

    # Organizations --------------------------------------------------------------------
    org_names = set(Organization.objects.values_list("name", flat=True))
    org_slugs = set(Organization.objects.values_list("slug", flat=True))
    first = _next_id(Organization)
    orgs = []
    n = 0
    while len(orgs) < spec.organizations:
        n += 1
        pattern, kind = rng.choice(ORG_PATTERNS)
        name = pattern.format(place=rng.choice(PLACES), field=rng.choice(FIELDS))
        if name in org_names:
            name = f"{name} ({n})"
            if name in org_names:
                continue
        org_names.add(name)
        words = [w for w in name.replace(",", "").split() if w[0].isupper()]
        acronym = "".join(w[0] for w in words)[:8] if rng.random() < 0.6 else ""
        orgs.append(
            (
                first + len(orgs),
                created,
                created,
                name,
                _unique(slugify(name)[:240], org_slugs),
                acronym,
                kind,
                rng.choice(COUNTRIES),
                "",
                "",
            )
        )
    counts["organizations"] = writer.write(Organization, ORGANIZATION_FIELDS, orgs)
    org_ids = [row[0] for row in orgs] or list(Organization.objects.values_list("pk", flat=True))

    # Experts, aliases, affiliations ------------------------------------------------------
    names = _expert_names(rng, spec.experts)
    # Kinds from a generator of their own, so that every other row stays what the same seed always gave.
    kind_rng = random.Random(spec.seed * 7919 + 1)
    kinds = kind_rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=len(names))
    expert_slugs = set(Expert.objects.values_list("slug", flat=True))
    first_expert = _next_id(Expert)
    first_alias = _next_id(Alias)
    first_affiliation = _next_id(Affiliation)
    experts, aliases, affiliations = [], [], []
    expert_affiliations: list[list[int]] = []
    for i, name in enumerate(names):
        expert_id = first_expert + i
        experts.append(
            (
                expert_id,
                created,
                created,
                name,
                sort_name(name),
                _unique(slugify(name)[:200] or "expert", expert_slugs),
                "",
                SYNTHETIC_BIO,
                kinds[i],
                False,
                1,
            )
        )
        spellings = [name]
        variant = _variant(name)
        if variant and rng.random() < 0.3 and normalize_name(variant) != normalize_name(name):
            spellings.append(variant)
        for spelling in spellings:
            origin = AliasOrigin.CURATED if spelling == name else AliasOrigin.EXTRACTED
            aliases.append(
                (
                    first_alias + len(aliases),
                    expert_id,
                    spelling,
                    normalize_name(spelling),
                    name_match_key(spelling),
                    origin,
                )
            )
        mine = []
        used = set()
        for _ in range(1 if rng.random() < 0.7 else 2):
            org = rng.choice(org_ids)
            role = rng.choice(ROLES)
            if (org, role) in used:
                continue
            used.add((org, role))
            affiliation_id = first_affiliation + len(affiliations)
            is_former = rng.random() < 0.15
            affiliations.append((affiliation_id, expert_id, org, role, is_former, None, None))
            mine.append(affiliation_id)
        expert_affiliations.append(mine)
    counts["experts"] = writer.write(Expert, EXPERT_FIELDS, experts)
    counts["aliases"] = writer.write(Alias, ("id", "expert", "name", "normalized", "match_key", "origin"), aliases)
    counts["affiliations"] = writer.write(
        Affiliation, ("id", "expert", "organization", "role", "is_former", "start_date", "end_date"), affiliations
    )
    log(f"{len(experts)} experts, {len(aliases)} aliases, {len(affiliations)} affiliations, {len(orgs)} organizations")
    expert_names = names
    del experts, aliases, affiliations

    # Who says each claim: Zipf counts, shuffled over the claims.
    per_expert = _zipf_counts(spec.claims, len(names), spec.top_share)
    speakers = [i for i, count in enumerate(per_expert) for _ in range(count)]
    rng.shuffle(speakers)
    # How many claims each article has: every claim lands in a random article.
    per_article = [0] * spec.articles
    for _ in range(spec.claims if spec.articles else 0):
        per_article[rng.randrange(spec.articles)] += 1

    # Articles, claims, topics, predictions, in chunks -----------------------------------------
    first_article = _next_id(Article)
    first_claim = _next_id(Claim)
    through = Claim.topics.through
    first_link = _next_id(through)
    first_prediction = _next_id(Prediction)
    state = {"claim": first_claim, "link": first_link, "prediction": first_prediction, "speaker": 0}
    totals = {"articles": 0, "claims": 0, "claim_topics": 0, "predictions": 0}
    chunk = 2000
    for start in range(0, spec.articles, chunk):
        articles, claims, links, predictions = [], [], [], []
        for index in range(start, min(start + chunk, spec.articles)):
            _article(
                spec,
                rng,
                first_article + index,
                per_article[index],
                speakers,
                expert_names,
                first_expert,
                expert_affiliations,
                outlet_ids,
                outlet_weights,
                topic_ids,
                sanctions_topic,
                resolver.pk,
                state,
                articles,
                claims,
                links,
                predictions,
            )
        totals["articles"] += writer.write(Article, ARTICLE_FIELDS, articles)
        totals["claims"] += writer.write(Claim, CLAIM_FIELDS, claims)
        totals["claim_topics"] += writer.write(through, ("id", "claim", "topic"), links)
        totals["predictions"] += writer.write(Prediction, PREDICTION_FIELDS, predictions)
        if (start // chunk) % 10 == 9:
            log(f"{totals['articles']} articles, {totals['claims']} claims")
    counts.update(totals)
    return counts


def _article(
    spec,
    rng,
    article_id,
    n_claims,
    speakers,
    expert_names,
    first_expert,
    expert_affiliations,
    outlet_ids,
    outlet_weights,
    topic_ids,
    sanctions_topic,
    resolver_id,
    state,
    articles,
    claims,
    links,
    predictions,
) -> None:
    undated = rng.random() < spec.undated_share
    day = None if undated else _day(rng)
    precision = DatePrecision.UNKNOWN if undated else (DatePrecision.DAY if rng.random() < 0.95 else "month")
    stamp = _at(day or LAST_DAY, rng.randrange(86_400))
    sort_date = day or UNKNOWN_SORT_DATE
    title_claim = _claim_text(rng)
    title = title_claim[0].upper() + title_claim[1:] + ", analysts say"

    # The body: filler sentences with the claims' quotes spread through them.
    pieces: list[str] = []
    length = 0
    spans = []
    quotes = []
    for _ in range(n_claims):
        index = state["speaker"] % len(speakers)
        state["speaker"] += 1
        quotes.append(speakers[index])
    # Filler sentences average about 63 characters, a quote with its cue about 190.
    filler_per_quote = max(1, (spec.body_chars - 190 * n_claims) // 63 // (n_claims + 1))
    for expert_index in [*quotes, None]:
        for _ in range(filler_per_quote):
            sentence = rng.choice(FILLER) + " "
            pieces.append(sentence)
            length += len(sentence)
        if expert_index is None:
            break
        text = _claim_text(rng)
        if rng.random() < 0.4:
            second = _claim_text(rng)
            second = "the" + second[3:] if second.startswith("The ") else second
            text = f"{text}, and {second}"
        opening = '"'
        pieces.append(opening)
        length += len(opening)
        cue = rng.choice(CUES)
        spans.append((length, length + len(text), text, expert_index, cue))
        closing = f'," {expert_names[expert_index]} {cue}. '
        pieces.append(text)
        pieces.append(closing)
        length += len(text) + len(closing)
    body = "".join(pieces).strip()
    body_hash = hashlib.sha256(f"{article_id}:{body}".encode()).hexdigest()
    # Make the text unique per article (content_hash is unique and must be the text's hash).
    body = f"{body}\n\n[synthetic {body_hash[:12]}]"
    outlet = rng.choices(outlet_ids, outlet_weights)[0] if outlet_ids else None
    articles.append(
        (
            article_id,
            stamp,
            stamp,
            title[:500],
            f"{rng.choice(WESTERN_FIRST)} {rng.choice(WESTERN_LAST)}",
            f"https://news.example/{article_id}",
            day,
            precision,
            "en",
            body,
            content_hash(body),
            f"{SYNTHETIC_SOURCE_PREFIX}{spec.seed}/{article_id}",
            stamp,
            1,
            outlet,
        )
    )
    for start, end, text, expert_index, cue in spans:
        claim_id = state["claim"]
        state["claim"] += 1
        roll = rng.random()
        if roll < spec.approved_share:
            status = ReviewStatus.APPROVED
        elif roll < spec.approved_share + spec.rejected_share:
            status = ReviewStatus.REJECTED
        else:
            status = ReviewStatus.EXTRACTED
        reviewed_at = None if status == ReviewStatus.EXTRACTED else stamp + datetime.timedelta(days=rng.randrange(60))
        is_prediction = rng.random() < spec.prediction_share
        kind = (
            ClaimKind.PREDICTION
            if is_prediction
            else rng.choice((ClaimKind.ASSESSMENT, ClaimKind.ASSESSMENT, ClaimKind.FACTUAL, ClaimKind.RECOMMENDATION))
        )
        mine = expert_affiliations[expert_index]
        affiliation = rng.choice(mine) if mine and rng.random() < 0.8 else None
        confidence = round(rng.uniform(0.5, 1.0), 2) if rng.random() < 0.9 else None
        name = expert_names[expert_index]
        claims.append(
            (
                claim_id,
                stamp,
                stamp,
                text,
                start,
                end,
                rng.choice((QuoteType.DIRECT, QuoteType.DIRECT, QuoteType.INDIRECT, QuoteType.MIXED)),
                cue,
                name.split()[-1] if rng.random() < 0.5 else name,
                kind,
                status,
                reviewed_at,
                confidence,
                "",
                sort_date,
                1,
                affiliation,
                article_id,
                None,
                first_expert + expert_index,
            )
        )
        chosen = set()
        if sanctions_topic is not None and "sanction" in text:
            chosen.add(sanctions_topic)
        for _ in range(rng.choice((0, 1, 1, 2))):
            chosen.add(rng.choice(topic_ids))
        for topic in sorted(chosen):
            links.append((state["link"], claim_id, topic))
            state["link"] += 1
        if is_prediction:
            predictions.append(_prediction(rng, state, claim_id, text, day, stamp, resolver_id))


def _prediction(rng, state, claim_id, text, day, stamp, resolver_id) -> tuple:
    prediction_id = state["prediction"]
    state["prediction"] += 1
    category = rng.choice((*BANDS, HedgeCategory.UNHEDGED))
    hedge = HEDGES.get(category, "")
    probability = _HEDGE_FIELDS[category]
    horizon_text, horizon_days = rng.choice(HORIZONS)
    horizon_start = day if (day and horizon_days) else None
    horizon_end = day + datetime.timedelta(days=horizon_days) if horizon_start else None
    resolved = horizon_end is not None and horizon_end < datetime.date(2025, 6, 1) and rng.random() < 0.6
    outcome = (
        rng.choice((Outcome.CAME_TRUE, Outcome.DID_NOT_HAPPEN, Outcome.DID_NOT_HAPPEN, Outcome.PARTLY))
        if resolved
        else Outcome.PENDING
    )
    resolved_at = stamp + datetime.timedelta(days=horizon_days + 30) if resolved else None
    return (
        prediction_id,
        stamp,
        stamp,
        text[0].upper() + text[1:],
        hedge,
        probability["hedge_category"],
        False,
        probability["scale"],
        probability["probability_low"],
        probability["probability_high"],
        probability["probability"],
        probability["low_confidence"],
        horizon_text,
        horizon_start,
        horizon_end,
        outcome,
        resolved_at,
        "Synthetic resolution." if resolved else "",
        1,
        claim_id,
        resolver_id if resolved else None,
    )
