"""Topics from cue phrases: assigned to every new claim at ingestion, and added to existing claims on demand.

The texts are the ingestion tests' own made-up article.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from claims.models import Claim, TopicRemoval, TrackRecordCount
from claims.services.claims import claim_update, claims_topics_add, claims_topics_assign, topic_matcher_load
from claims.services.ingestion import article_ingest, articles_ingest
from tests import factories
from tests.services.test_ingestion import TEXT, extraction

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    return {
        "summits": factories.TopicFactory(slug="summit-diplomacy", name="Summit diplomacy", cues="visit\nsummit"),
        "economy": factories.TopicFactory(slug="economic-cooperation", name="Economy", cues="economic tie"),
        "sanctions": factories.TopicFactory(slug="sanctions", name="Sanctions", cues="sanction"),
        "silent": factories.TopicFactory(slug="no-cues", name="No cues"),
    }


def slugs(claim: Claim) -> set[str]:
    return set(claim.topics.values_list("slug", flat=True))


def ingested_claims() -> list[Claim]:
    article_ingest(text=TEXT, source="t.txt", extraction=extraction())
    return list(Claim.objects.order_by("start"))


def test_ingestion_files_each_claim_under_the_topics_its_sentence_names(topics):
    forecast, indirect = ingested_claims()
    # "... to visit Russia in May": a visit, and nothing about sanctions in its sentence.
    assert slugs(forecast) == {"summit-diplomacy"}
    # "Choe Ryong Hae explained that the visit is about economic ties."
    assert slugs(indirect) == {"summit-diplomacy", "economic-cooperation"}


def test_the_topics_are_in_the_claims_creation_history(topics):
    _, indirect = ingested_claims()
    record = indirect.history.get()
    assert {link.topic.slug for link in record.topics.all()} == {"summit-diplomacy", "economic-cooperation"}


def test_without_cues_no_topic_is_assigned():
    factories.TopicFactory(slug="sanctions", name="Sanctions")
    assert all(not slugs(claim) for claim in ingested_claims())


def test_cues_are_read_once_per_batch_not_per_claim_or_article(topics):
    texts = [TEXT, TEXT.replace("Moscow and", "Seoul and")]
    items = [(f"{n}.txt", None, text.encode()) for n, text in enumerate(texts)]

    def extract(batch):
        return [(extraction(text), None) for text in batch]

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        results = list(articles_ingest(items=items, extract=extract))
    assert [r.status for r in results] == ["new", "new"]
    topic_reads = [q for q in captured.captured_queries if 'FROM "claims_topic"' in q["sql"]]
    assert len(topic_reads) == 1
    assert Claim.topics.through.objects.count() == 6


def test_assign_adds_to_existing_claims_and_never_removes_a_curators_topic(topics):
    forecast, indirect = ingested_claims()
    Claim.topics.through.objects.all().delete()  # as if stored before the cues were written
    curated = factories.TopicFactory(slug="curated", name="Chosen by a curator")
    claim_update(claim=forecast, data={"topics": [curated]})
    version = Claim.objects.get(pk=forecast.pk).version
    counts = claims_topics_assign()
    assert counts == {"claims": 2, "claims_changed": 2, "links": 3}
    assert slugs(forecast) == {"curated", "summit-diplomacy"}
    assert slugs(indirect) == {"summit-diplomacy", "economic-cooperation"}
    forecast.refresh_from_db()
    assert forecast.version == version + 1
    latest = forecast.history.first()
    assert latest.history_change_reason == "topics from cue phrases"
    assert {link.topic.slug for link in latest.topics.all()} == {"curated", "summit-diplomacy"}
    # A second run finds nothing new.
    assert claims_topics_assign() == {"claims": 2, "claims_changed": 0, "links": 0}


def test_assign_can_be_limited_to_some_topics_and_dry_run(topics):
    ingested_claims()
    Claim.topics.through.objects.all().delete()
    assert claims_topics_assign(dry_run=True)["links"] == 3
    assert Claim.topics.through.objects.count() == 0
    assert claims_topics_assign(topic_ids=[topics["economy"].pk]) == {"claims": 2, "claims_changed": 1, "links": 1}
    assert set(Claim.topics.through.objects.values_list("topic__slug", flat=True)) == {"economic-cooperation"}


def test_the_matcher_holds_only_topics_with_cues(topics):
    matcher = topic_matcher_load()
    assert [key for key, _ in matcher.patterns] == sorted(t.pk for k, t in topics.items() if k != "silent")


def test_assign_topics_command(topics):
    ingested_claims()
    Claim.topics.through.objects.all().delete()
    from io import StringIO

    out = StringIO()
    call_command("assign_topics", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "2 claims examined; 2 would gain 3 topic link(s)."
    assert Claim.topics.through.objects.count() == 0
    out = StringIO()
    call_command("assign_topics", "--status", "approved", stdout=out)
    assert out.getvalue().startswith("0 claims examined")
    out = StringIO()
    call_command("assign_topics", stdout=out)
    assert out.getvalue().strip() == "2 claims examined; 2 gained 3 topic link(s)."
    assert Claim.topics.through.objects.count() == 3


class TestATopicACuratorTookOff:
    """A topic a curator removes from a claim stays off: the cue matcher does not file the claim under it again."""

    def test_is_remembered_with_who_and_is_not_added_back(self, topics):
        _, indirect = ingested_claims()  # summit-diplomacy and economic-cooperation, from its sentence
        curator = factories.UserFactory(username="topic-curator")
        claim_update(claim=indirect, data={"topics": [topics["summits"]]}, user=curator)
        removal = TopicRemoval.objects.get()
        assert (removal.claim_id, removal.topic.slug, removal.removed_by) == (
            indirect.pk,
            "economic-cooperation",
            curator,
        )
        assert claims_topics_assign(dry_run=True) == {"claims": 2, "claims_changed": 0, "links": 0}
        assert claims_topics_assign() == {"claims": 2, "claims_changed": 0, "links": 0}
        assert slugs(indirect) == {"summit-diplomacy"}
        # Only that claim and that topic: the other claim still gains a topic its sentence names.
        Claim.topics.through.objects.exclude(claim=indirect).delete()
        assert claims_topics_assign() == {"claims": 2, "claims_changed": 1, "links": 1}

    def test_putting_it_back_by_hand_forgets_the_removal(self, topics):
        _, indirect = ingested_claims()
        claim_update(claim=indirect, data={"topics": [topics["summits"]]})
        claim_update(claim=indirect, data={"topics": [topics["summits"], topics["economy"]]})
        assert not TopicRemoval.objects.exists()
        # Taken off again later, the matcher finds it off for good.
        claim_update(claim=indirect, data={"topics": []})
        assert set(TopicRemoval.objects.values_list("topic__slug", flat=True)) == {
            "summit-diplomacy",
            "economic-cooperation",
        }
        assert claims_topics_assign()["links"] == 0 and slugs(indirect) == set()

    def test_claims_topics_add_skips_it_too(self, topics):
        _, indirect = ingested_claims()
        claim_update(claim=indirect, data={"topics": []})
        links = {indirect.pk: [topics["economy"].pk, topics["sanctions"].pk]}
        assert claims_topics_add(links=links) == 1  # sanctions: never on it, never removed
        assert slugs(indirect) == {"sanctions"}

    def test_one_row_per_claim_and_topic(self, topics):
        _, indirect = ingested_claims()
        TopicRemoval.objects.create(claim=indirect, topic=topics["economy"])
        with pytest.raises(IntegrityError), transaction.atomic():
            TopicRemoval.objects.create(claim=indirect, topic=topics["economy"])


def _counts() -> dict[tuple, int]:
    return {
        (r.expert_id, r.topic_id, r.status, r.outcome, r.probability): r.count for r in TrackRecordCount.objects.all()
    }


def _recounted() -> dict[tuple, int]:
    call_command("track_records", "--rebuild", stdout=io.StringIO())
    return _counts()


def test_an_ingested_forecast_is_counted_under_its_topics_too(topics):
    forecast, _ = ingested_claims()
    assert forecast.kind == "prediction" and slugs(forecast) == {"summit-diplomacy"}
    counted = _counts()
    assert {topic for _expert, topic, *_ in counted} == {None, topics["summits"].pk}
    assert counted == _recounted()


def test_topics_assigned_later_count_the_forecasts_under_them(topics):
    ingested_claims()
    Claim.topics.through.objects.all().delete()  # as if stored before the cues were written
    call_command("track_records", "--rebuild", stdout=io.StringIO())
    claims_topics_assign()
    counted = _counts()
    assert topics["summits"].pk in {topic for _expert, topic, *_ in counted}
    assert counted == _recounted()
