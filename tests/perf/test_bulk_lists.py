"""The bulk-built lists give exactly what the serializers give, page like before, and stream CSV in constant memory."""

from __future__ import annotations

import datetime
import gc
import json
import math
import random
import struct
import tracemalloc

import orjson
import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIRequestFactory

from claims.api.serializers import ClaimSerializer, ExpertSerializer, ShapeRepresentation
from claims.models import Claim, Expert
from claims.selectors.base import fetch_rows
from claims.selectors.claims import CLAIM_SHAPE, claim_queryset, claim_rows
from claims.selectors.people import EXPERT_SHAPE, expert_queryset, expert_rows
from claims.services.synthetic import SyntheticSpec, synthetic_generate
from tests import factories
from tests.factories import claim_with_text

pytestmark = pytest.mark.django_db


def request_for(user=None, path="/api/claims"):
    request = APIRequestFactory().get(path, HTTP_HOST="127.0.0.1:8000")
    request.user = user
    return request


def ClaimRepresentation(request):  # noqa: N802 - reads as the class it stands for
    return ShapeRepresentation(CLAIM_SHAPE, request)


def ExpertRepresentation(request):  # noqa: N802
    return ShapeRepresentation(EXPERT_SHAPE, request)


def as_json(data):
    """What goes over the wire: JSON text parsed back, so only the bytes' meaning is compared."""
    return json.loads(json.dumps(data))


class TestSameAsSerializer:
    @pytest.mark.parametrize("as_curator", [False, True])
    def test_claims_equal_the_serializer_output(self, world, curator, as_curator):
        user = curator if as_curator else factories.UserFactory()
        ids = list(Claim.objects.order_by("-id").values_list("id", flat=True))
        request = request_for(user)
        expected = ClaimSerializer(
            claim_queryset(user=user).filter(pk__in=ids).order_by("-id"), many=True, context={"request": request}
        ).data
        got = ClaimRepresentation(request).many(claim_rows(ids, user=user))
        assert got == as_json(expected)
        assert len(got) == (len(world.claims) if as_curator else len(world.approved))

    def test_claims_of_synthetic_data_equal_the_serializer_output(self, db):
        synthetic_generate(spec=SyntheticSpec(experts=20, organizations=4, articles=40, claims=160, outlets=4))
        curator = factories.UserFactory(is_superuser=True)
        ids = list(Claim.objects.order_by("sort_date", "id").values_list("id", flat=True))
        request = request_for(curator)
        expected = ClaimSerializer(
            claim_queryset(user=curator).filter(pk__in=ids).order_by("sort_date", "id"),
            many=True,
            context={"request": request},
        ).data
        assert ClaimRepresentation(request).many(claim_rows(ids, user=curator)) == as_json(expected)

    def test_experts_equal_the_serializer_output(self, world):
        factories.AffiliationFactory(expert=world.choi, organization=None, role="commentator")
        ids = list(Expert.objects.order_by("id").values_list("id", flat=True))
        request = request_for(None, "/api/experts")
        from django.contrib.auth.models import AnonymousUser

        anonymous = AnonymousUser()
        expected = ExpertSerializer(
            expert_queryset(user=anonymous).filter(pk__in=ids).order_by("id"), many=True, context={"request": request}
        ).data
        got = ExpertRepresentation(request).many(expert_rows(ids, user=anonymous))
        assert got == as_json(expected)

    def test_api_page_equals_the_serializer_output(self, api_client, world):
        body = api_client.get("/api/claims", HTTP_HOST="testserver").json()
        ids = [item["id"] for item in body["results"]]
        request = request_for(None)
        request.META["HTTP_HOST"] = "testserver"
        expected = ClaimSerializer(
            [claim_queryset(user=None).get(pk=pk) for pk in ids], many=True, context={"request": request}
        ).data
        assert body["results"] == as_json(expected)

    def test_rows_skip_claims_the_user_may_not_see(self, world):
        hidden = [c.pk for c in world.claims if c.status != "approved"]
        assert claim_rows(hidden, user=None) == []


class TestExpertFilterOverSeveralExperts:
    """An expert name matching several people pages each one's claims from its own index, merged in order."""

    def test_pages_walk_every_claim_once_in_order(self, api_client, world):
        kims = [factories.ExpertFactory(name=f"Kim Test{n}") for n in range(3)]
        for n, kim in enumerate(kims * 3):
            claim_with_text(f"Remark number {n} on trade", expert=kim, published_on=None if n == 4 else None)
        full = [r["id"] for r in api_client.get("/api/claims", {"expert": "kim test", "limit": 50}).json()["results"]]
        assert len(full) == 9
        paged, url = [], "/api/claims?expert=kim+test&limit=2"
        while url:
            body = api_client.get(url).json()
            paged += [r["id"] for r in body["results"]]
            url = body["next"]
        assert paged == full
        ordered = Claim.objects.filter(expert__in=kims).order_by("-sort_date", "-id").values_list("id", flat=True)
        assert full == list(ordered)

    def test_name_is_looked_up_once(self, api_client, world):
        with CaptureQueriesContext(connection) as queries:
            api_client.get("/api/claims", {"expert": "lankov"})
        alias_lookups = [q for q in queries.captured_queries if 'FROM "claims_alias"' in q["sql"]]
        assert len(alias_lookups) == 1


class TestExpertList:
    def test_keyset_pages_without_a_total(self, api_client, world):
        for n in range(5):
            factories.public_expert(name=f"Paged Person{n}")
        factories.ExpertFactory(name="Not Public")  # no approved claim: not listed
        names, url = [], "/api/experts?limit=2"
        while url:
            body = api_client.get(url).json()
            assert "count" not in body
            names += [e["sort_name"] for e in body["results"]]
            url = body["next"]
        assert names == sorted(names) and len(names) == Expert.objects.count() - 1

    def test_ordering_by_claim_count_pages_consistently(self, api_client, world):
        full = [e["id"] for e in api_client.get("/api/experts", {"ordering": "-claim_count"}).json()["results"]]
        paged, url = [], "/api/experts?ordering=-claim_count&limit=1"
        while url:
            body = api_client.get(url).json()
            paged += [e["id"] for e in body["results"]]
            url = body["next"]
        assert paged == full


def _stream_peak(client, url) -> tuple[int, int]:
    """(rows, peak bytes allocated while streaming ``url``)."""
    gc.collect()
    tracemalloc.start()
    response = client.get(url)
    rows = 0
    for chunk in response.streaming_content:
        rows += chunk.count(b"\n")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return rows - 1, peak


@pytest.mark.slow
def test_csv_streams_in_constant_memory(api_client, db, monkeypatch):
    """Streaming 4x more rows takes no more memory: rows go out in batches of ids, one batch in memory at a time."""
    from claims.api.views.claims import ClaimViewSet

    monkeypatch.setattr(ClaimViewSet, "csv_chunk_size", 100)
    synthetic_generate(spec=SyntheticSpec(experts=40, organizations=5, articles=400, claims=2400, outlets=4))
    day = Claim.objects.filter(status="approved").order_by("-sort_date", "-id")[499].sort_date
    _stream_peak(api_client, "/api/claims?format=csv&limit=1")  # warm: first-use allocations are not the rows'
    few, few_peak = _stream_peak(api_client, f"/api/claims?format=csv&published_after={day}")
    many, many_peak = _stream_peak(api_client, "/api/claims?format=csv")
    assert many >= 4 * few >= 2000
    assert many_peak < 1.25 * few_peak, (few, few_peak, many, many_peak)


def leaves(record, path="") -> dict[str, object]:
    """Every value of a record by its path ("article.outlet"); list items share their list's path + "[]"."""
    found: dict[str, list] = {}
    if isinstance(record, dict):
        if path:
            found[path] = [record]
        for key, value in record.items():
            for leaf, values in leaves(value, f"{path}.{key}" if path else key).items():
                found.setdefault(leaf, []).extend(values)
    elif isinstance(record, list):
        found[path] = [record]
        for item in record:
            for leaf, values in leaves(item, f"{path}[]").items():
                found.setdefault(leaf, []).extend(values)
    else:
        found[path] = [record]
    return found


def assert_covers(records, nullable: set[str]):
    """Each field of ``records`` has a value somewhere (a non-empty list for lists), and each nullable one a null."""
    seen: dict[str, list] = {}
    for record in records:
        for leaf, values in leaves(record).items():
            seen.setdefault(leaf, []).extend(values)
    empty = sorted(leaf for leaf, values in seen.items() if all(v is None or v == [] for v in values))
    assert not empty, f"never given a value: {empty}"
    missing_null = sorted(leaf for leaf in nullable if None not in seen.get(leaf, []))
    assert not missing_null, f"never null: {missing_null}"


class TestEveryField:
    """The representation equals the serializer on rows where every field has a value and every nullable one is null."""

    def test_claims(self, db, curator):
        topic = factories.TopicFactory(name="Sanctions")
        kinu = factories.OrganizationFactory(name="Korea Institute for National Unification", acronym="KINU")
        expert = factories.ExpertFactory(name="Cho Han-bum")
        full = claim_with_text(
            "Sanctions will bite",
            expert=expert,
            affiliation=factories.AffiliationFactory(expert=expert, organization=kinu),
            confidence=0.75,
            cue="said",
            speaker_mention="Mr Cho",
        )
        full.article.url = "https://example.org/a"
        full.article.save()
        full.topics.add(topic)
        bare = claim_with_text("Nothing will change", expert=None, published_on=None, status="extracted")
        bare.article.outlet = None
        bare.article.save()
        claim_with_text(
            "Talks may resume",
            expert=expert,
            affiliation=factories.AffiliationFactory(expert=expert, organization=None, role="commentator"),
        )
        ids = list(Claim.objects.order_by("id").values_list("id", flat=True))
        request = request_for(curator)
        expected = as_json(
            ClaimSerializer(
                claim_queryset(user=curator).filter(pk__in=ids).order_by("id"), many=True, context={"request": request}
            ).data
        )
        got = ClaimRepresentation(request).many(claim_rows(ids, user=curator))
        assert got == expected
        assert_covers(
            got,
            nullable={
                "expert",
                "affiliation",
                "affiliation.organization",
                "article.outlet",
                "article.published_on",
                "article.source_url",
                "confidence",
                "reviewed_at",
            },
        )
        assert set(got[0]) == set(CLAIM_SHAPE.names)

    def test_experts(self, curator):

        kinu = factories.OrganizationFactory(name="Korea Institute for National Unification", acronym="KINU")
        full = factories.ExpertFactory(name="Andrei Lankov", wikidata_id="Q4756427", bio="Historian.")
        factories.AffiliationFactory(
            expert=full,
            organization=kinu,
            start_date=datetime.date(2010, 3, 1),
            end_date=datetime.date(2020, 2, 1),
            is_former=True,
        )
        factories.AffiliationFactory(expert=full, organization=None, role="commentator")
        claim_with_text("Kim will stay", expert=full)
        factories.ExpertFactory(name="Nobody Special")  # no claim: only curators see them
        ids = list(Expert.objects.order_by("id").values_list("id", flat=True))
        request = request_for(None, "/api/experts")
        expected = as_json(
            ExpertSerializer(
                expert_queryset(user=curator).filter(pk__in=ids).order_by("id"),
                many=True,
                context={"request": request},
            ).data
        )
        assert len(expected) == 2
        got = ExpertRepresentation(request).many(expert_rows(ids, user=curator))
        assert got == expected
        assert_covers(
            got,
            nullable={"affiliations[].organization", "affiliations[].start_date", "affiliations[].end_date"},
        )


@pytest.mark.postgres
class TestRecordsWrittenByPostgres:
    """On PostgreSQL a JSON page's records are written by the database: the bytes orjson writes for the dict path."""

    @staticmethod
    def both_paths(ids, user, request):
        from claims.api.serializers import url_parts
        from claims.selectors.claims import claim_json_rows

        dicts = [orjson.dumps(record) for record in ClaimRepresentation(request).many(claim_rows(ids, user=user))]
        texts = claim_json_rows(ids, user=user, link_parts=lambda view_name, r=request: url_parts(view_name, r))
        return dicts, [text.encode() for text in texts]

    def test_every_kind_of_value_is_written_alike(self, db, curator):
        sanctions = factories.TopicFactory(name="Sanctions")
        trade = factories.TopicFactory(name="Trade \u00e9changes")
        kinu = factories.OrganizationFactory(name='The "Korea" Institute \\ \u0416', acronym="KI\u00d1U")
        expert = factories.ExpertFactory(name="Cho Han-bum \u6731 'O\u2019Neil'")
        texts = [
            'He said "enough" \\ then left',
            "Tabs\tand\nnewlines and \u2028 and \x01\x1f control and \x7f",
            "Plain words, emoji \U0001f600 and \u00fcml\u00e4uts",
            "Nothing will change at all",
            "Talks may resume in spring",
        ]
        confidences = [1.0, 0.0, 1e-05, 0.1 + 0.2, 3.5e-07]
        former = factories.AffiliationFactory(expert=expert, organization=kinu, is_former=True, role='chair "ret."')
        unaffiliated = factories.AffiliationFactory(expert=expert, organization=None, role="commentator")
        claims = []
        for n, (text, confidence) in enumerate(zip(texts, confidences, strict=True)):
            claims.append(
                claim_with_text(
                    text,
                    expert=expert,
                    affiliation=(None, former, unaffiliated)[n % 3],
                    confidence=confidence,
                    cue="said" if n else "",
                    speaker_mention="Mr Cho\u00a0" if n == 2 else "",
                    reviewed_at=datetime.datetime(2024, 5, 1, 12, 0, n, 123450 * n, tzinfo=datetime.UTC),
                )
            )
        claims.append(claim_with_text("Unattributed words here", expert=None, published_on=None, status="extracted"))
        claims.append(claim_with_text("No confidence given", expert=expert, confidence=None))
        claims[0].topics.add(sanctions, trade)
        claims[1].topics.add(trade)
        claims[0].article.url = "https://example.org/a?x=1&y=\u00e9"
        claims[0].article.title = 'A "quoted" title \\ \u041f\u0440\u0438\u0432\u0435\u0442'
        claims[0].article.save()
        claims[5].article.outlet = None
        claims[5].article.save()
        Claim.objects.filter(pk=claims[1].pk).update(
            created_at=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
            updated_at=datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=datetime.UTC),
        )
        ids = [claim.pk for claim in reversed(claims)]
        for user in (None, curator):
            dicts, texts = self.both_paths(ids, user, request_for(user))
            assert texts == dicts
            assert len(texts) == (len(claims) if user else len(claims) - 1)
        records = [orjson.loads(text) for text in texts]  # the curator's: every claim
        assert_covers(
            records,
            nullable={"affiliation", "affiliation.organization", "article.outlet", "article.source_url", "confidence"},
        )

    def test_experts_are_written_alike(self, db, curator):
        from claims.api.serializers import url_parts
        from claims.selectors.people import expert_json_rows

        kinu = factories.OrganizationFactory(name='Korea "Institute" \\ \u0416', acronym="")
        full = factories.ExpertFactory(
            name="Andrei Lankov \u6731", wikidata_id="Q4756427", bio='Historian; "Korea" \\ expert.\n\u2028'
        )
        factories.AffiliationFactory(
            expert=full,
            organization=kinu,
            start_date=datetime.date(2010, 3, 1),
            end_date=datetime.date(2020, 2, 1),
            is_former=True,
            role='Professor "emeritus"',
        )
        factories.AffiliationFactory(expert=full, organization=None, role="commentator")
        factories.AliasFactory(expert=full, name="Professor \u00c9lan")
        claim_with_text("Kim will stay", expert=full)
        claim_with_text("Kim will not stay", expert=full, status="extracted")
        bare = factories.ExpertFactory(name="Nobody Special", wikidata_id="", bio="")
        ids = [bare.pk, full.pk]
        for user in (None, curator):
            request = request_for(user, "/api/experts")
            dicts = [orjson.dumps(r) for r in ExpertRepresentation(request).many(expert_rows(ids, user=user))]
            texts = expert_json_rows(ids, user=user, link_parts=lambda view_name, r=request: url_parts(view_name, r))
            assert [text.encode() for text in texts] == dicts
        records = [orjson.loads(text) for text in texts]
        assert_covers(
            records, nullable={"affiliations[].organization", "affiliations[].start_date", "affiliations[].end_date"}
        )

    def test_generated_data_is_written_alike(self, db, curator):
        synthetic_generate(spec=SyntheticSpec(experts=20, organizations=4, articles=40, claims=160, outlets=4))
        ids = list(Claim.objects.order_by("-sort_date", "-id").values_list("id", flat=True))
        dicts, texts = self.both_paths(ids, curator, request_for(curator))
        assert texts == dicts and len(texts) == len(ids)

    def test_floats_are_written_as_orjson_writes_them(self, db):
        from claims.selectors.shapes import sql_float_json

        rng = random.Random(17)
        values = [0.0, -0.0, 1.0, 2.0, 0.5, 0.85, 1e-04, 1e-05, 1.5e-05, 1e-06, 5e-324, 1e15, 1.5e15, 1e16, 1e300]
        values += [1.2345678901234567 * 10.0**e for e in range(-20, 20)]
        values += [rng.random() for _ in range(200)] + [
            rng.random() * 10.0 ** rng.randint(-330, 16) for _ in range(2000)
        ]
        values += [struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0] for _ in range(4000)]
        # Below 1e16 (confidences are 0 to 1, a database constraint): above it PostgreSQL writes some integral
        # doubles with a needless 17th digit (the same double, other bytes).
        values = [v for v in values if math.isfinite(v) and abs(v) < 1e16] + [None]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {sql_float_json('v')} FROM unnest(%s::float8[]) WITH ORDINALITY AS f(v, n) ORDER BY n",
                [values],
            )
            written = [row[0] for row in cursor.fetchall()]
        assert written == [orjson.dumps(v).decode() for v in values]

    def test_api_pages_are_the_dict_paths_bytes(self, api_client, curator_client, world, monkeypatch):
        from claims.api.views.claims import ClaimViewSet
        from claims.api.views.people import ExpertViewSet

        urls = ["/api/claims", "/api/claims?limit=2", "/api/claims?expert=Lankov", "/api/claims?format=json"]
        urls += ["/api/experts", "/api/experts?name=lankov", "/api/experts?ordering=-claim_count&limit=2"]
        embedded = {url: api_client.get(url).content for url in urls}
        embedded["curator"] = curator_client.get("/api/claims").content
        monkeypatch.setattr(ClaimViewSet, "json_row_selector", None)
        monkeypatch.setattr(ExpertViewSet, "json_row_selector", None)
        for url in urls:
            assert api_client.get(url).content == embedded[url], url
        assert curator_client.get("/api/claims").content == embedded["curator"]
        assert len(orjson.loads(embedded["curator"])["results"]) == len(world.claims)
        assert orjson.loads(embedded["/api/experts?name=lankov"])["results"][0]["affiliations"]

    def test_other_formats_keep_the_dict_path(self, api_client, world):
        indented = api_client.get("/api/claims", HTTP_ACCEPT="application/json; indent=2")
        assert indented.content.startswith(b"{\n") and indented.json()["results"]
        browsable = api_client.get("/api/claims", HTTP_ACCEPT="text/html")
        assert browsable.status_code == 200 and b"results" in browsable.content


@pytest.mark.postgres
class TestKeyStatementsCompiledOnce:
    """The keys statement of a list is compiled once per structure and re-run with each request's values."""

    @staticmethod
    def reused(first, second):
        """Rows of ``first`` then ``second`` (same structure, other values) through fetch_rows, and the kept SQL."""
        from claims.selectors import base

        base._by_structure.clear()
        rows = fetch_rows(first), fetch_rows(second)
        (compiled,) = base._by_structure.values()
        return rows, compiled

    def test_values_are_bound_to_the_kept_statement(self, world):
        from claims.filtersets.base import KeysetOrdering
        from claims.selectors.base import visible_claims, visible_experts
        from claims.selectors.search import alias_expert_ids

        claims = visible_claims(None).order_by("-sort_date", "-id").values_list("sort_date", "id")
        newest = KeysetOrdering("-published_on", "sort_date", True, False)
        walked = list(claims)
        pairs = [
            (claims.filter(expert_id__in=[world.lankov.pk])[:3], claims.filter(expert_id__in=[world.cho.pk])[:3]),
            (
                claims.filter(newest.after(*walked[0], reverse=False))[:2],
                claims.filter(newest.after(*walked[2], reverse=False))[:2],
            ),
            (
                visible_experts(None)
                .filter(pk__in=alias_expert_ids("lankov"))
                .order_by("sort_name", "id")
                .values_list("sort_name", "id")[:5],
                visible_experts(None)
                .filter(pk__in=alias_expert_ids("cho"))
                .order_by("sort_name", "id")
                .values_list("sort_name", "id")[:5],
            ),
        ]
        for first, second in pairs:
            (first_rows, second_rows), compiled = self.reused(first, second)
            assert first_rows == list(first) and second_rows == list(second)
            assert first_rows and second_rows and first_rows != second_rows
            assert compiled is not None and compiled[0] == second.query.get_compiler(second.db).as_sql()[0]

    def test_patterns_are_bound_as_the_lookup_binds_them(self, world):
        from claims.selectors.base import visible_claims

        claims = visible_claims(None).order_by("id").values_list("id", "text")
        (first, second), compiled = self.reused(
            claims.filter(text__icontains="KIM"), claims.filter(text__icontains="%")
        )
        assert first == list(claims.filter(text__icontains="KIM")) and first
        assert second == [] and compiled is not None  # "%" is escaped, as the ORM escapes it

    def test_what_cannot_be_kept_is_compiled_each_time(self, world):
        from claims.selectors import base

        base._by_structure.clear()
        annotated = base.visible_claims(None).annotate(n=F("start") + 1).order_by("id").values_list("n", "id")
        assert fetch_rows(annotated) == list(annotated) and list(annotated)
        transformed = base.visible_claims(None).filter(sort_date__year=2020).values_list("id")
        assert fetch_rows(transformed) == list(transformed)
        assert base._by_structure == {}

    def test_pages_walked_through_the_api_use_kept_statements(self, api_client, world):
        from claims.selectors import base

        base._by_structure.clear()
        for url in ("/api/claims?limit=1", "/api/experts?limit=1"):
            paged = []
            while url:
                body = api_client.get(url).json()
                paged += [record["id"] for record in body["results"]]
                url = body["next"]
            assert paged and len(paged) == len(set(paged))
        assert base._by_structure and all(compiled is not None for compiled in base._by_structure.values())
        assert len(base._by_structure) == 4  # the first page and the pages after a cursor, of each list
