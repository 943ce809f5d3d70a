"""The curated fixtures (fixtures/curated.json): they load, they agree with the seeds, and they say what the docs say.

Runs on SQLite and PostgreSQL alike (``make test`` with either DATABASE_URL).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from claims.choices import ClaimKind, Outcome, ReviewStatus
from claims.domain.names import name_match_key, normalize_name
from claims.domain.textfiles import normalize_text, read_article
from claims.extraction.types import ArticleExtraction, ArticleMeta
from claims.models import Affiliation, Alias, Article, Claim, Event, EvidenceLink, Expert, Outlet, Prediction
from claims.services.claims import claim_validate
from claims.services.ingestion import article_ingest, content_hash

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "curated.json"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
D = datetime.date


@pytest.fixture
def curated(db):
    call_command("loaddata", str(FIXTURE), verbosity=0)
    call_command("track_records", "--rebuild", verbosity=0)  # as bootstrap does after loaddata


def prediction_of(expert: str, text: str) -> Prediction:
    return Prediction.objects.select_related("claim").get(claim__expert__name=expert, claim__text__contains=text)


def test_the_committed_fixture_is_what_the_builder_makes():
    from scripts.build_fixtures import main

    assert main(["--check"]) == 0, "fixtures/curated.json is out of date: run scripts/build_fixtures.py"


def test_the_fixture_loads_and_every_row_validates(curated):
    assert Article.objects.count() == len(SEEDS) == 5
    for model in (Outlet, Expert, Alias, Affiliation, Event, EvidenceLink):
        for row in model.objects.all():
            row.full_clean()
    for claim in Claim.objects.select_related("article"):
        claim_validate(claim)
    for prediction in Prediction.objects.all():
        prediction.full_clean()


def test_loading_twice_changes_nothing(curated):
    counts = (Article.objects.count(), Claim.objects.count(), Prediction.objects.count(), Event.objects.count())
    call_command("loaddata", str(FIXTURE), verbosity=0)
    assert counts == (Article.objects.count(), Claim.objects.count(), Prediction.objects.count(), Event.objects.count())
    assert get_user_model().objects.filter(username="editorial").count() == 1


def test_articles_are_the_seeds_as_ingestion_stores_them(curated):
    for path in SEEDS:
        body = normalize_text(path.read_text(encoding="utf-8"))
        article = Article.objects.get(source_file=path.name)
        assert article.body == body == read_article(path)
        assert article.content_hash == content_hash(body)


def test_every_claim_points_at_its_text(curated):
    claims = list(Claim.objects.select_related("article"))
    assert len(claims) >= 20
    for claim in claims:
        assert claim.article.body[claim.start : claim.end] == claim.text, claim.pk
        assert claim.status == ReviewStatus.APPROVED and claim.reviewed_at is not None
        assert claim.expert_id is not None and claim.quote_type and claim.kind
        if claim.affiliation_id:
            assert claim.affiliation.expert_id == claim.expert_id


def test_aliases_are_stored_in_their_derived_forms(curated):
    for alias in Alias.objects.all():
        assert alias.normalized == normalize_name(alias.name)
        assert alias.match_key == name_match_key(alias.name)


def test_outlets_and_articles_as_printed(curated):
    segye = Outlet.objects.get(name="Segye Ilbo")
    assert segye.domain == "segye.com" and segye.alternate_names == ["World Ilbo"]
    expected = {
        "000_5516c7b38db440ae.txt": ("NK News", "Leo Byrne", D(2015, 2, 13), "day"),
        "001_8a840d987bf18cb5.txt": ("BBC", "", D(2019, 4, 1), "month"),
        "002_360f085add26d301.txt": (None, "", D(2014, 11, 1), "month"),
        "003_1ddc493ec9b58cb5.txt": (None, "", D(2024, 3, 1), "month"),
        "004_ec7bb5bb060c0059.txt": ("The Hankyoreh", "Yi Yong-in", D(2014, 11, 15), "day"),
    }
    for source, (outlet, authors, published, precision) in expected.items():
        article = Article.objects.select_related("outlet").get(source_file=source)
        assert (article.outlet.name if article.outlet else None) == outlet
        assert (article.authors, article.published_on, article.date_precision) == (authors, published, precision)


def test_matsegora_is_one_expert_across_two_articles(curated):
    matsegora = Expert.objects.get(name="Alexander Matsegora")
    sources = set(matsegora.claims.values_list("article__source_file", flat=True))
    assert sources == {"000_5516c7b38db440ae.txt", "003_1ddc493ec9b58cb5.txt"}
    assert Expert.objects.filter(aliases__match_key__contains="matsegora").distinct().count() == 1


def test_affiliations_as_printed(curated):
    jung = Expert.objects.get(name="Sang-Jang Jung")
    assert [(a.organization.name, a.role) for a in jung.affiliations.all()] == [("Sejong Institute", "lead researcher")]
    cho = Claim.objects.get(text__startswith="I expect it is hard")
    assert cho.affiliation.organization.acronym == "KINU" and cho.affiliation.role == "senior research fellow"


def test_every_predictive_claim_has_a_resolved_prediction(curated):
    predictive = Claim.objects.filter(kind=ClaimKind.PREDICTION)
    assert predictive.count() == Prediction.objects.count() == 9
    editorial = get_user_model().objects.get(username="editorial")
    assert not editorial.is_active and not editorial.has_usable_password() and not editorial.is_staff
    for prediction in Prediction.objects.all():
        assert prediction.outcome != Outcome.PENDING
        assert prediction.resolved_by == editorial and prediction.resolved_at and prediction.resolution_note
        assert prediction.events.exists()


def test_events_are_dated_as_stated(curated):
    dates = set(Event.objects.values_list("occurred_on", flat=True))
    assert {
        D(2014, 11, 18),
        D(2015, 4, 30),
        D(2015, 5, 9),
        D(2019, 4, 25),
        D(2023, 9, 13),
        D(2024, 3, 28),
        D(2024, 6, 19),
        D(2024, 12, 4),
    } <= dates
    assert max(dates) <= D(2024, 12, 31)  # the fixture's cut-off date
    for link in EvidenceLink.objects.all():
        assert link.url.startswith("https://") and link.publisher and link.title


def test_the_predictions_are_resolved_as_stated(curated):
    cho = prediction_of("Cho Han-bum", "hard for Kim Jong Un to visit Russia in May")
    assert cho.outcome == Outcome.CAME_TRUE
    assert (cho.hedge, cho.hedge_category, cho.probability, cho.low_confidence) == ("I expect", "likely", 0.675, True)
    assert (cho.horizon_start, cho.horizon_end) == (D(2015, 5, 1), D(2015, 5, 31))
    assert {e.occurred_on for e in cho.events.all()} == {D(2015, 4, 30), D(2015, 5, 9)}

    chang = prediction_of("Chang Yong-seok", "culmination")
    assert chang.outcome == Outcome.CAME_TRUE_LATE
    assert D(2019, 4, 25) in {e.occurred_on for e in chang.events.all()}
    assert chang.hedge == "Naturally" and chang.probability == 0.97

    jung = prediction_of("Sang-Jang Jung", "high possibility of a military cooperation")
    assert jung.outcome == Outcome.CAME_TRUE_LATE and jung.hedge == "high possibility"

    lankov = prediction_of("Andrei Lankov", "very unlikely")
    assert lankov.outcome == Outcome.CAME_TRUE
    assert (lankov.hedge_inverted, lankov.probability, lankov.scale) == (True, 0.875, "icd203")
    assert "31 December 2024" in lankov.resolution_note  # the cut-off date is stated

    travel = prediction_of("Alexander Matsegora", "agreement on mutual travel")
    assert travel.outcome == Outcome.PARTLY
    more = prediction_of("Alexander Matsegora", "More will be achieved this year")
    assert more.outcome == Outcome.CAME_TRUE and (more.horizon_start, more.horizon_end) == (
        D(2024, 1, 1),
        D(2024, 12, 31),
    )
    park = prediction_of("Park Byung Hwan", "equidistant diplomacy")
    assert park.outcome == Outcome.DID_NOT_HAPPEN and park.probability is None
    strategic = prediction_of("Chang Yong-seok", "to a strategic level")
    assert strategic.outcome == Outcome.PARTLY and strategic.hedge == "probably"


def test_ingesting_the_seeds_after_the_fixtures_finds_every_one_unchanged(curated):
    before = (Article.objects.count(), Claim.objects.count())
    for path in SEEDS:
        result = article_ingest(
            text=read_article(path), source=str(path), extraction=ArticleExtraction(meta=ArticleMeta(title="unused"))
        )
        assert result.status == "unchanged", path.name
        assert result.article_id == Article.objects.get(source_file=path.name).pk
    assert (Article.objects.count(), Claim.objects.count()) == before


def test_the_curated_data_serves_the_api_and_the_page(curated, client):
    cho = prediction_of("Cho Han-bum", "hard for Kim Jong Un")
    api = client.get(f"/api/predictions/{cho.pk}").json()
    assert api["outcome"] == "came_true" and api["expert"]["name"] == "Cho Han-bum"
    page = client.get("/predictions/", {"expert": "cho-han-bum"})
    assert page.status_code == 200 and "Kim Jong Un will not visit Russia in May 2015." in page.content.decode()
    record = client.get(f"/api/experts/{cho.claim.expert_id}/track-record").json()["overall"]
    assert (record["came_true"], record["caution"]) == (1, True)
