"""One declaration per list shape: the serializer's fields, the row fields and the representation follow it."""

from __future__ import annotations

import json

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from claims.api.serializers import (
    AffiliationSerializer,
    ArticleBriefSerializer,
    ClaimAffiliationSerializer,
    ClaimSerializer,
    ExpertBriefSerializer,
    ExpertSerializer,
    OrganizationBriefSerializer,
    ShapeRepresentation,
)
from claims.models import Claim
from claims.selectors.claims import CLAIM_SHAPE, claim_queryset, claim_rows
from claims.selectors.people import AFFILIATION_SHAPE, EXPERT_SHAPE
from claims.selectors.shapes import (
    ARTICLE_BRIEF,
    CLAIM_AFFILIATION,
    EXPERT_BRIEF,
    ORGANIZATION_BRIEF,
    Link,
    Loaded,
    One,
    Shape,
    Value,
    iso_date,
)


@pytest.mark.parametrize(
    ("serializer_class", "shape"),
    [
        (ClaimSerializer, CLAIM_SHAPE),
        (ExpertSerializer, EXPERT_SHAPE),
        (AffiliationSerializer, AFFILIATION_SHAPE),
        (ArticleBriefSerializer, ARTICLE_BRIEF),
        (ClaimAffiliationSerializer, CLAIM_AFFILIATION),
        (ExpertBriefSerializer, EXPERT_BRIEF),
        (OrganizationBriefSerializer, ORGANIZATION_BRIEF),
    ],
)
def test_serializers_take_their_fields_from_the_shape(serializer_class, shape):
    assert tuple(serializer_class().fields) == shape.names


def test_row_fields_read_nested_records_through_their_foreign_keys():
    assert CLAIM_SHAPE.row_fields[:2] == ("id", "text")
    assert {"expert_id", "expert__name", "affiliation__organization_id", "affiliation__organization__acronym"} <= set(
        CLAIM_SHAPE.row_fields
    )
    assert {"article_id", "article__outlet__name", "article__url"} <= set(CLAIM_SHAPE.row_fields)
    assert "topics" not in CLAIM_SHAPE.row_fields and "url" not in CLAIM_SHAPE.row_fields
    assert "affiliations" not in EXPERT_SHAPE.row_fields
    assert CLAIM_SHAPE.converted_by(iso_date) == ()
    assert AFFILIATION_SHAPE.converted_by(iso_date) == ("start_date", "end_date")


def test_the_representation_is_generated_from_the_declaration():
    organization = Shape(Value("id"), Value("name"))
    shape = Shape(
        Value("id"),
        Link("url", "thing-detail"),
        Value("label", source="title", convert=str.upper),
        One("owner", organization),
        One("home", organization, source="place", nullable=False),
        Loaded("tags"),
        Loaded("parts", Shape(Value("id"), One("organization", organization))),
    )
    assert shape.row_fields == ("id", "title", "owner_id", "owner__name", "place_id", "place__name")
    one = shape.representation(lambda view_name: lambda pk: f"/{view_name}/{pk}")
    row = {
        "id": 7,
        "title": "seven",
        "owner_id": None,
        "owner__name": None,
        "place_id": 3,
        "place__name": "Seoul",
        "tags": ["a"],
        "parts": [{"id": 1, "organization_id": 2, "organization__name": "KINU"}, {"id": 4, "organization_id": None}],
    }
    assert one(row) == {
        "id": 7,
        "url": "/thing-detail/7",
        "label": "SEVEN",
        "owner": None,
        "home": {"id": 3, "name": "Seoul"},
        "tags": ["a"],
        "parts": [{"id": 1, "organization": {"id": 2, "name": "KINU"}}, {"id": 4, "organization": None}],
    }


def test_duplicate_names_are_refused():
    with pytest.raises(ValueError, match="duplicate"):
        Shape(Value("id"), Value("id", source="pk"))


@pytest.mark.django_db
def test_adding_a_field_changes_serializer_rows_and_representation_together(world, curator):
    extended = CLAIM_SHAPE.extended(Value("notes"), Value("language", source="article__language"))

    class ExtendedSerializer(ClaimSerializer):
        language = serializers.CharField(source="article.language", read_only=True)

        class Meta(ClaimSerializer.Meta):
            fields = extended.names

    Claim.objects.filter(pk=world.claims[0].pk).update(notes="Checked against the recording.")
    ids = list(Claim.objects.order_by("id").values_list("id", flat=True))
    request = APIRequestFactory().get("/api/claims", HTTP_HOST="127.0.0.1:8000")
    request.user = curator

    rows = claim_rows(ids, user=curator, shape=extended)
    assert {"notes", "article__language"} <= set(rows[0]) and "notes" not in claim_rows(ids, user=curator)[0]
    got = ShapeRepresentation(extended, request).many(rows)
    expected = ExtendedSerializer(
        claim_queryset(user=curator).filter(pk__in=ids).order_by("id"), many=True, context={"request": request}
    ).data
    assert got == json.loads(json.dumps(expected))
    assert tuple(got[0])[-2:] == ("notes", "language")
    assert "Checked against the recording." in {claim["notes"] for claim in got}
