"""Serializers: explicit fields, brief serializers for nesting, input serializers for writes.

One module per context; ``brief`` holds the nested forms every context shares.
"""

from claims.api.serializers.articles import (
    ArticleClaimSerializer,
    ArticleDetailSerializer,
    ArticleSerializer,
    ArticleUpdateSerializer,
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

__all__ = [
    "AffiliationSerializer",
    "ArticleBriefSerializer",
    "ArticleClaimSerializer",
    "ArticleDetailSerializer",
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
    "TopicSerializer",
    "TopicTrackRecordSerializer",
    "TrackRecordSerializer",
]
