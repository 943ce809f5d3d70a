"""The data model: who said what, where, wearing which hat, and whether it came true.

One module per bounded context (people, articles, claims, predictions), re-exported
here so that ``from claims.models import Claim`` keeps working. The database enforces
what it can: every choice field is backed by a check constraint, offsets and
probabilities are range-checked, identities are unique constraints. Writes go
through ``claims.services``; these classes hold no business logic beyond deriving
stored forms of their own fields.
"""

from claims.models.articles import Article, ArticleSource, FeedEntry, FollowedFeed, IngestJob, Outlet
from claims.models.base import UNKNOWN_SORT_DATE
from claims.models.claims import Claim, Topic, TopicRemoval
from claims.models.people import Affiliation, Alias, Expert, Organization
from claims.models.predictions import Event, EvidenceLink, Prediction, PublicTrackRecord, TrackRecordCount

__all__ = [
    "UNKNOWN_SORT_DATE",
    "Affiliation",
    "Alias",
    "Article",
    "ArticleSource",
    "Claim",
    "Event",
    "EvidenceLink",
    "Expert",
    "FeedEntry",
    "FollowedFeed",
    "IngestJob",
    "Organization",
    "Outlet",
    "Prediction",
    "PublicTrackRecord",
    "Topic",
    "TopicRemoval",
    "TrackRecordCount",
]
