"""Choice sets. Every field that uses one is backed by a CheckConstraint in models.py."""

from django.db import models

__all__ = [
    "AliasOrigin",
    "ClaimKind",
    "DatePrecision",
    "HedgeCategory",
    "HedgeScale",
    "OrganizationKind",
    "Outcome",
    "QuoteType",
    "ReviewStatus",
]


class OrganizationKind(models.TextChoices):
    UNIVERSITY = "university", "University"
    THINK_TANK = "think_tank", "Think tank"
    GOVERNMENT = "government", "Government"
    MEDIA = "media", "Media"
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

    ALMOST_NO_CHANCE = "almost_no_chance", "Almost no chance"
    VERY_UNLIKELY = "very_unlikely", "Very unlikely"
    UNLIKELY = "unlikely", "Unlikely"
    ROUGHLY_EVEN = "roughly_even", "Roughly even chance"
    LIKELY = "likely", "Likely"
    VERY_LIKELY = "very_likely", "Very likely"
    ALMOST_CERTAIN = "almost_certain", "Almost certain"
    UNHEDGED = "unhedged", "No hedge printed"


class Outcome(models.TextChoices):
    PENDING = "pending", "Pending"
    CAME_TRUE = "came_true", "Came true"
    CAME_TRUE_LATE = "came_true_late", "Came true late (after the horizon)"
    PARTLY = "partly", "Partly came true"
    DID_NOT_HAPPEN = "did_not_happen", "Did not happen"
    CANNOT_JUDGE = "cannot_judge", "Cannot be judged"
