"""FilterSets: the whole query-string grammar of every list, one module per context.

Shared by the API, the pages and the selectors. Each parameter is documented in the OpenAPI schema
(from ``help_text``) and in the README. Unknown parameters and malformed values answer 400
(see claims.api.backends).
"""

from claims.filtersets.articles import (
    ARTICLE_ORDERINGS,
    ArticleFilterSet,
    OutletFilterSet,
)
from claims.filtersets.base import (
    IdFilter,
    KeysetOrderingFilter,
    LeanFilterSet,
    ordering_choices,
    organization_condition,
    outlet_condition,
)
from claims.filtersets.claims import (
    CLAIM_ORDERINGS,
    ClaimFilterSet,
    TopicFilterSet,
)
from claims.filtersets.people import (
    EXPERT_ORDERINGS,
    ExpertFilterSet,
    OrganizationFilterSet,
)
from claims.filtersets.predictions import (
    EVENT_ORDERINGS,
    PREDICTION_ORDERINGS,
    EventFilterSet,
    PredictionFilterSet,
)

__all__ = [
    "ARTICLE_ORDERINGS",
    "CLAIM_ORDERINGS",
    "EVENT_ORDERINGS",
    "EXPERT_ORDERINGS",
    "PREDICTION_ORDERINGS",
    "ArticleFilterSet",
    "ClaimFilterSet",
    "EventFilterSet",
    "ExpertFilterSet",
    "IdFilter",
    "KeysetOrderingFilter",
    "LeanFilterSet",
    "OrganizationFilterSet",
    "OutletFilterSet",
    "PredictionFilterSet",
    "TopicFilterSet",
    "ordering_choices",
    "organization_condition",
    "outlet_condition",
]
