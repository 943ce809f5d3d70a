"""People: experts, the spellings of their names, their affiliations and the organizations behind them."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from claims.choices import AliasOrigin, ExpertKind, OrganizationKind
from claims.domain.names import name_match_key, normalize_name
from claims.models.base import TimestampedModel, choice_constraint, wikidata_validator

__all__ = ["Affiliation", "Alias", "Expert", "Organization"]


class Organization(TimestampedModel):
    """A university, think tank, government body or outlet an expert is affiliated with."""

    name = models.CharField(max_length=255, unique=True)
    slug = models.SlugField(max_length=255, unique=True)
    acronym = models.CharField(max_length=32, blank=True, db_index=True)
    kind = models.CharField(max_length=16, choices=OrganizationKind.choices, default=OrganizationKind.OTHER)
    country = models.CharField(max_length=80, blank=True)
    website = models.URLField(max_length=500, blank=True)
    wikidata_id = models.CharField(max_length=16, blank=True, validators=[wikidata_validator])

    history = HistoricalRecords()

    class Meta:
        ordering = ("name", "id")
        constraints = [
            choice_constraint("kind", OrganizationKind, "organization"),
            models.CheckConstraint(condition=~Q(name=""), name="claims_organization_name_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_api_url(self) -> str:
        return reverse("api:organization-detail", args=[self.pk])


class Expert(TimestampedModel):
    """A person quoted in articles: one record per person, whatever the spelling."""

    name = models.CharField("display name", max_length=200)
    sort_name = models.CharField(max_length=200, db_index=True)
    slug = models.SlugField(max_length=220, unique=True)
    wikidata_id = models.CharField(max_length=16, blank=True, validators=[wikidata_validator])
    bio = models.TextField(blank=True)
    kind = models.CharField(
        max_length=16,
        choices=ExpertKind.choices,
        default=ExpertKind.OTHER,
        db_index=True,
        help_text="Analyst, academic, official, politician, journalist or other: set by ingestion from the titles "
        "and affiliation printed, unless a curator chose it.",
    )
    kind_curated = models.BooleanField(
        "kind set by a curator",
        default=False,
        help_text="A curator chose the kind: ingestion never changes it.",
    )
    possible_duplicates = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        help_text="Experts whose names resemble this one's; flagged at ingestion for a curator to merge or dismiss.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ("sort_name", "id")
        constraints = [
            choice_constraint("kind", ExpertKind, "expert"),
            models.CheckConstraint(condition=~Q(name=""), name="claims_expert_name_not_blank"),
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="claims_expert_wikidata_id_unique",
                violation_error_message="Another expert already has this Wikidata id.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_api_url(self) -> str:
        return reverse("api:expert-detail", args=[self.pk])


class Alias(models.Model):
    """A spelling of an expert's name as seen in print, with its normalized forms."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, db_index=True, editable=False)
    match_key = models.CharField(max_length=200, db_index=True, editable=False)
    origin = models.CharField(max_length=16, choices=AliasOrigin.choices, default=AliasOrigin.CURATED)

    class Meta:
        ordering = ("expert_id", "name", "id")
        verbose_name_plural = "aliases"
        constraints = [
            choice_constraint("origin", AliasOrigin, "alias"),
            models.CheckConstraint(condition=~Q(normalized=""), name="claims_alias_normalized_not_blank"),
            models.UniqueConstraint(
                fields=["expert", "normalized"],
                name="claims_alias_unique_per_expert",
                violation_error_message="This expert already has an alias with the same normalized form.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = normalize_name(self.name)
        self.match_key = name_match_key(self.name)
        super().save(*args, **kwargs)


class Affiliation(models.Model):
    """An expert's role at an organization, as printed ("senior research fellow at KINU")."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="affiliations", null=True, blank=True
    )
    role = models.CharField(max_length=300, blank=True)
    is_former = models.BooleanField(default=False, help_text="The role is printed as a former one.")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("expert_id", "-is_former", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="claims_affiliation_end_not_before_start",
                violation_error_message="An affiliation cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(role="") | Q(organization__isnull=False),
                name="claims_affiliation_role_or_organization",
                violation_error_message="An affiliation needs a role, an organization, or both.",
            ),
            models.UniqueConstraint(
                fields=["expert", "organization", "role"],
                condition=Q(organization__isnull=False),
                name="claims_affiliation_unique_with_organization",
                violation_error_message="This expert already has this role at this organization.",
            ),
            models.UniqueConstraint(
                fields=["expert", "role"],
                condition=Q(organization__isnull=True),
                name="claims_affiliation_unique_without_organization",
                violation_error_message="This expert already has this role.",
            ),
        ]

    def __str__(self) -> str:
        role = f"former {self.role}" if self.is_former and self.role and "former" not in self.role else self.role
        if self.organization_id and role:
            return f"{role}, {self.organization.name}"
        return role or self.organization.name
