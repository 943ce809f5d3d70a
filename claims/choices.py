"""Choice sets. Every field that uses one is backed by a CheckConstraint in models.py.

The labels of the forecast vocabulary (hedge bands, outcomes) are declared once,
in claims.domain, where the pure code that needs them can read them too.
"""

from django.db import models

from claims.domain.forecasts import BAND_LABELS
from claims.domain.resolutions import OUTCOME_LABELS, OUTCOME_SHORT_LABELS

__all__ = [
    "AliasOrigin",
    "ClaimKind",
    "DatePrecision",
    "ExpertKind",
    "HedgeCategory",
    "HedgeScale",
    "IngestInputKind",
    "IngestJobState",
    "OrganizationKind",
    "Outcome",
    "QuoteType",
    "ReviewStatus",
    "SourceKind",
]


class OrganizationKind(models.TextChoices):
    UNIVERSITY = "university", "University"
    THINK_TANK = "think_tank", "Think tank"
    GOVERNMENT = "government", "Government"
    MEDIA = "media", "Media"
    OTHER = "other", "Other"


class ExpertKind(models.TextChoices):
    """What kind of person an expert is (claims.extraction.kinds.PERSON_KINDS: the same values)."""

    ANALYST = "analyst", "Analyst"
    ACADEMIC = "academic", "Academic"
    OFFICIAL = "official", "Official"
    POLITICIAN = "politician", "Politician"
    JOURNALIST = "journalist", "Journalist"
    OTHER = "other", "Other"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


class QuoteType(models.TextChoices):
    DIRECT = "direct", "Direct"
    INDIRECT = "indirect", "Indirect"
    MIXED = "mixed", "Mixed"


class ClaimKind(models.TextChoices):
    PREDICTION = "prediction", "Prediction"
    ASSESSMENT = "assessment", "Assessment"
    FACTUAL = "factual", "Factual statement"
    RECOMMENDATION = "recommendation", "Recommendation"


class ReviewStatus(models.TextChoices):
    EXTRACTED = "extracted", "Extracted (awaiting review)"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class AliasOrigin(models.TextChoices):
    EXTRACTED = "extracted", "Seen in an ingested article"
    CURATED = "curated", "Added by a curator"
    MERGED = "merged", "Kept from a merged duplicate"


class HedgeScale(models.TextChoices):
    """Which mapping turned the printed hedge into a probability."""

    ICD203 = "icd203", "ICD 203 (US Intelligence Community Directive 203)"
    EXTENDED = "extended", "Project mapping for phrases outside ICD 203 (low confidence)"
    NONE = "none", "No probability implied"


class HedgeCategory(models.TextChoices):
    """The ICD 203 expressions of likelihood, plus 'unhedged'."""

    ALMOST_NO_CHANCE = "almost_no_chance", BAND_LABELS["almost_no_chance"]
    VERY_UNLIKELY = "very_unlikely", BAND_LABELS["very_unlikely"]
    UNLIKELY = "unlikely", BAND_LABELS["unlikely"]
    ROUGHLY_EVEN = "roughly_even", BAND_LABELS["roughly_even"]
    LIKELY = "likely", BAND_LABELS["likely"]
    VERY_LIKELY = "very_likely", BAND_LABELS["very_likely"]
    ALMOST_CERTAIN = "almost_certain", BAND_LABELS["almost_certain"]
    UNHEDGED = "unhedged", "No hedge printed"


class Outcome(models.TextChoices):
    """How a forecast turned out (claims.domain.resolutions: the labels, short labels and resolution rules)."""

    PENDING = "pending", OUTCOME_LABELS["pending"]
    CAME_TRUE = "came_true", OUTCOME_LABELS["came_true"]
    CAME_TRUE_LATE = "came_true_late", OUTCOME_LABELS["came_true_late"]
    PARTLY = "partly", OUTCOME_LABELS["partly"]
    DID_NOT_HAPPEN = "did_not_happen", OUTCOME_LABELS["did_not_happen"]
    CANNOT_JUDGE = "cannot_judge", OUTCOME_LABELS["cannot_judge"]

    @property
    def short_label(self) -> str:
        """The label drawn on the timeline, in the legend and in the admin's badges."""
        return OUTCOME_SHORT_LABELS[self.value]


class SourceKind(models.TextChoices):
    """How an article's bytes reached us."""

    TEXT = "text", "Plain text"
    PAGE = "page", "Saved web page"
    URL = "url", "Fetched address"
    FEED = "feed", "Feed entry"
    WARC = "warc", "Web archive record"


class IngestJobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class IngestInputKind(models.TextChoices):
    """What one ingestion job reads: a file on the workers' shared storage, a text sent with it, a URL, a
    followed feed to poll, one entry of a feed, or one record of a web archive.

    A file or URL that holds several articles (a web archive, a feed) and a feed poll expand into one
    job per article (kind ``record`` or ``entry``), the children of the job that found them.
    """

    FILE = "file", "File"
    TEXT = "text", "Text"
    URL = "url", "URL"
    FEED = "feed", "Feed poll"
    ENTRY = "entry", "Feed entry"
    RECORD = "record", "Web archive record"
