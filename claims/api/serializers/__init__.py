"""Serializers: explicit fields, brief serializers for nesting, input serializers for writes.

One module per context; ``brief`` holds the nested forms every context shares; ``representations``
builds the big lists' records from the rows of their shapes (claims.selectors.shapes), whose field
names the output serializers take.
"""

from claims.api.serializers.articles import (
    ArticleClaimSerializer,
    ArticleDetailSerializer,
    ArticleIngestSerializer,
    ArticleSerializer,
    ArticleUpdateSerializer,
    IngestJobSerializer,
    OutletSerializer,
)
from claims.api.serializers.base import (
    OptionalURLField,
)
from claims.api.serializers.brief import (
    ArticleBriefSerializer,
    ClaimAffiliationSerializer,
    ExpertBriefSerializer,
    OrganizationBriefSerializer,
)
from claims.api.serializers.claims import (
    ClaimInputSerializer,
    ClaimSerializer,
    ClaimUpdateSerializer,
    ReviewSerializer,
    TopicSerializer,
)
from claims.api.serializers.people import (
    AffiliationSerializer,
    ExpertInputSerializer,
    ExpertSerializer,
    OrganizationSerializer,
)
from claims.api.serializers.predictions import (
    CalibrationBinSerializer,
    EventInputSerializer,
    EventSerializer,
    EvidenceLinkSerializer,
    ExpertTrackRecordSerializer,
    PredictionClaimSerializer,
    PredictionInputSerializer,
    PredictionSerializer,
    PredictionUpdateSerializer,
    ResolveSerializer,
    TopicTrackRecordSerializer,
    TrackRecordSerializer,
)
from claims.api.serializers.representations import ShapeRepresentation, url_parts

__all__ = [
    "AffiliationSerializer",
    "ArticleBriefSerializer",
    "ArticleClaimSerializer",
    "ArticleDetailSerializer",
    "ArticleIngestSerializer",
    "ArticleSerializer",
    "ArticleUpdateSerializer",
    "CalibrationBinSerializer",
    "ClaimAffiliationSerializer",
    "ClaimInputSerializer",
    "ClaimSerializer",
    "ClaimUpdateSerializer",
    "EventInputSerializer",
    "EventSerializer",
    "EvidenceLinkSerializer",
    "ExpertBriefSerializer",
    "ExpertInputSerializer",
    "ExpertSerializer",
    "ExpertTrackRecordSerializer",
    "IngestJobSerializer",
    "OptionalURLField",
    "OrganizationBriefSerializer",
    "OrganizationSerializer",
    "OutletSerializer",
    "PredictionClaimSerializer",
    "PredictionInputSerializer",
    "PredictionSerializer",
    "PredictionUpdateSerializer",
    "ResolveSerializer",
    "ReviewSerializer",
    "ShapeRepresentation",
    "TopicSerializer",
    "TopicTrackRecordSerializer",
    "TrackRecordSerializer",
    "url_parts",
]
