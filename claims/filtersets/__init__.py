"""FilterSets: the whole query-string grammar of every list, one module per context.

Shared by the API, the pages and the selectors. Each parameter is documented in the OpenAPI schema
(from ``help_text``) and in the README. Unknown parameters and malformed values answer 400
(see claims.api.backends).
"""

from claims.filtersets.articles import (
    INGEST_JOB_ORDERINGS,
    ArticleFilterSet,
    IngestJobFilterSet,
    OutletFilterSet,
)
from claims.filtersets.base import (
    IdFilter,
    KeysetFilterSetMixin,
    KeysetOrdering,
    KeysetOrderingFilter,
    LeanFilterSet,
    UnavailableOrdering,
    ordering_choices,
    organization_condition,
    outlet_condition,
)
from claims.filtersets.claims import (
    ClaimFilterSet,
    TopicFilterSet,
)
from claims.filtersets.people import (
    ExpertFilterSet,
    OrganizationFilterSet,
)
from claims.filtersets.predictions import (
    EVENT_ORDERINGS,
    EventFilterSet,
    PredictionFilterSet,
)

__all__ = [
    "EVENT_ORDERINGS",
    "INGEST_JOB_ORDERINGS",
    "ArticleFilterSet",
    "ClaimFilterSet",
    "EventFilterSet",
    "ExpertFilterSet",
    "IdFilter",
    "IngestJobFilterSet",
    "KeysetFilterSetMixin",
    "KeysetOrdering",
    "KeysetOrderingFilter",
    "LeanFilterSet",
    "OrganizationFilterSet",
    "OutletFilterSet",
    "PredictionFilterSet",
    "TopicFilterSet",
    "UnavailableOrdering",
    "ordering_choices",
    "organization_condition",
    "outlet_condition",
]
