"""Writes for experts, their aliases and affiliations, and organizations."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_update_with_history

from claims.choices import AliasOrigin, ExpertKind, OrganizationKind
from claims.domain.names import name_match_key, normalize_name, strip_honorifics
from claims.domain.names import sort_name as default_sort_name
from claims.domain.people import kind_after_ingestion
from claims.models import Affiliation, Alias, Claim, Expert, Organization
from claims.services.errors import ConflictError
from claims.services.track_records import track_records_refresh
from claims.services.versioning import lock_for_update, versioned_save


def _validate(instance, *, by_database: bool = False) -> None:
    """Validate a row before it is saved.

    By default everything (``full_clean``): a curator's or an API client's input gets its field errors and
    the model's unique and check constraints as ValidationErrors. ``by_database`` checks the fields only
    and leaves the constraints, and the existence of the related rows passed in, to the database: for rows
    that ingestion builds from extraction's output, in a transaction that is retried on IntegrityError.
    ``full_clean`` asks the database about every constraint (a savepoint, a query and a release per check,
    a query per unique constraint and per foreign key): about 40 of the 75 statements storing an article
    took before.
    """
    if by_database:
        relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
        instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    else:
        instance.full_clean()


MERGE_INTO_ITSELF = "An expert cannot be merged into itself."
MERGE_NOTHING = "Choose at least one duplicate to merge."


def unique_slug(model, base: str, *, max_length: int = 200, exclude_pk=None) -> str:
    """A slug for ``base`` that no other row of ``model`` has ("kim-seung", "kim-seung-2")."""
    root = (slugify(base) or "item")[: max_length - 6]
    candidate, n = root, 1
    queryset = model.objects.all()
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    while queryset.filter(slug=candidate).exists():
        n += 1
        candidate = f"{root}-{n}"
    return candidate


def alias_add(
    *,
    expert: Expert,
    name: str,
    origin: str = AliasOrigin.CURATED,
    match_key: str | None = None,
    constraints_by_database: bool = False,
) -> Alias:
    """Record a spelling of ``expert``'s name; an existing alias with the same normalized form is reused.

    ``match_key`` is the name's identity key when the caller has it already
    (ingestion carries extraction's); otherwise it is worked out here.
    ``constraints_by_database``: see ``_validate``.
    """
    name = " ".join(name.split())
    normalized = normalize_name(name)
    existing = Alias.objects.filter(expert=expert, normalized=normalized).first()
    if existing is not None:
        return existing
    alias = Alias(expert=expert, name=name, origin=origin)
    alias.normalized, alias.match_key = normalized, match_key or name_match_key(name)
    _validate(alias, by_database=constraints_by_database)
    alias.save()
    return alias


@transaction.atomic
def expert_create(
    *,
    name: str,
    aliases: Iterable[str] = (),
    sort_name: str = "",
    wikidata_id: str = "",
    bio: str = "",
    origin: str = AliasOrigin.CURATED,
    match_key: str | None = None,
    kind: str = "",
    constraints_by_database: bool = False,
) -> Expert:
    """Create an expert with an alias for the display name and each extra spelling.

    ``match_key``, when given, is the display name's identity key (see alias_add). ``kind`` is the
    expert's kind; one given by a curator (``origin`` "curated") is marked as the curator's, which
    ingestion never changes (``expert_kind_observe``). Without one it is "other".
    ``constraints_by_database``: see ``_validate``.
    """
    name = strip_honorifics(" ".join(name.split()))
    expert = Expert(
        name=name,
        sort_name=sort_name or default_sort_name(name),
        slug=unique_slug(Expert, name, max_length=220),
        wikidata_id=wikidata_id,
        bio=bio,
        kind=kind or ExpertKind.OTHER,
        kind_curated=bool(kind) and origin == AliasOrigin.CURATED,
    )
    _validate(expert, by_database=constraints_by_database)
    expert.save()
    alias_add(
        expert=expert, name=name, origin=origin, match_key=match_key, constraints_by_database=constraints_by_database
    )
    for spelling in aliases:
        alias_add(expert=expert, name=spelling, origin=origin, constraints_by_database=constraints_by_database)
    return expert


@transaction.atomic
def expert_update(
    *, expert: Expert, data: dict, aliases: Iterable[str] = (), expected_version: int | None = None, user=None
) -> Expert:
    """Change an expert's display fields and add spellings; a new display name is also kept as an alias.

    A ``kind`` given here is a curator's choice: ingestion never changes it afterwards.
    """
    expert = lock_for_update(expert, expected_version)
    allowed = {"name", "sort_name", "wikidata_id", "bio", "kind"}
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"expert_update cannot change {sorted(unknown)}")
    for field, value in data.items():
        setattr(expert, field, value)
    if "name" in data and "sort_name" not in data:
        expert.sort_name = default_sort_name(expert.name)
    if "kind" in data:
        expert.kind_curated = True
    versioned_save(expert, user=user)
    for spelling in ([expert.name] if "name" in data else []) + list(aliases):
        alias_add(expert=expert, name=spelling, origin=AliasOrigin.CURATED)
    return expert


def expert_kind_observe(*, expert: Expert, kind: str | None, reason: str = "") -> Expert:
    """Record that an article printed ``expert`` as ``kind`` (claims.extraction.kinds.PERSON_KINDS).

    The rule is claims.domain.people.kind_after_ingestion: a curator's kind is never changed, an
    automatic "other" is upgraded by a specific kind, an automatic specific kind stays. Saves (with a
    history record and a new version) only when the kind changes.
    """
    if kind not in ExpertKind.values:
        return expert
    if kind_after_ingestion(expert.kind, curated=expert.kind_curated, seen=kind) == expert.kind:
        return expert  # nothing to change, judged on the copy in hand: no lock, no query
    with transaction.atomic():
        # Re-read under a lock: a curator's choice saved meanwhile wins.
        current = lock_for_update(expert, None)
        new = kind_after_ingestion(current.kind, curated=current.kind_curated, seen=kind)
        if new != current.kind:
            current.kind = new
            current.version += 1
            current._change_reason = (reason or "kind printed in an ingested article")[:100]
            current.save(update_fields=["kind", "version", "updated_at"])
        expert.kind, expert.kind_curated, expert.version = current.kind, current.kind_curated, current.version
    return expert


_KIND_WORDS = (
    (OrganizationKind.UNIVERSITY, ("university", "college", "school of")),
    (OrganizationKind.GOVERNMENT, ("ministry", "embassy", "government", "army", "party", "assembly", "office of")),
    (OrganizationKind.MEDIA, ("news", "times", "herald", "ilbo", "broadcasting", "press", "agency")),
    (OrganizationKind.THINK_TANK, ("institute", "center", "centre", "foundation", "council", "forum")),
)


def guess_organization_kind(name: str) -> str:
    """University, government, media or think tank from the words of a name; "other" otherwise."""
    words = name.casefold()
    for kind, markers in _KIND_WORDS:
        if any(marker in words for marker in markers):
            return kind
    return OrganizationKind.OTHER


def organization_get_or_create(
    *, name: str, acronym: str = "", kind: str = "", country: str = "", constraints_by_database: bool = False
) -> Organization:
    """Find an organization by name (any case) or acronym, or create it (kind guessed from the name if not given).

    ``constraints_by_database``: see ``_validate``.
    """
    name = " ".join(name.split())
    found = Organization.objects.filter(name__iexact=name).first()
    if found is None and acronym:
        found = Organization.objects.filter(acronym__iexact=acronym).first()
    if found is not None:
        if acronym and not found.acronym:
            found.acronym = acronym
            found.save(update_fields=["acronym", "updated_at"])
        return found
    organization = Organization(
        name=name,
        slug=unique_slug(Organization, name, max_length=255),
        acronym=acronym,
        kind=kind or guess_organization_kind(name),
        country=country,
    )
    _validate(organization, by_database=constraints_by_database)
    organization.save()
    return organization


def affiliation_get_or_create(
    *,
    expert: Expert,
    organization: Organization | None,
    role: str,
    is_former: bool = False,
    constraints_by_database: bool = False,
) -> Affiliation:
    """The expert's affiliation with this organization and role, created if new (``constraints_by_database``:
    see ``_validate``)."""
    role = " ".join(role.split())
    affiliation = Affiliation.objects.filter(expert=expert, organization=organization, role=role).first()
    if affiliation is not None:
        return affiliation
    affiliation = Affiliation(expert=expert, organization=organization, role=role, is_former=is_former)
    _validate(affiliation, by_database=constraints_by_database)
    affiliation.save()
    return affiliation


def _locked_claims(**where) -> list[Claim]:
    """The claims matching ``where``, read under a row lock (in key order, so two writers never deadlock).

    A review or edit running at the same time either finishes first (and the merge reads its
    version) or waits for the merge to commit (and then reads the merge's): no increment is lost.
    """
    return list(Claim.objects.select_for_update().filter(**where).order_by("pk"))


@transaction.atomic
def expert_merge(*, target: Expert, duplicates: Iterable[Expert], user=None) -> Expert:
    """Fold each duplicate into ``target`` in one transaction.

    Every claim, alias and affiliation moves to ``target``; the duplicates'
    names are kept as aliases (origin "merged"); an affiliation the target
    already has (same organization and role) absorbs the duplicate's, and the
    claims citing it follow. Claim moves are recorded in their history.
    """
    duplicates = [d for d in duplicates]
    if not duplicates:
        raise ConflictError(MERGE_NOTHING)
    if any(d.pk == target.pk for d in duplicates):
        raise ConflictError(MERGE_INTO_ITSELF)
    target = Expert.objects.select_for_update().get(pk=target.pk)
    duplicate_ids = [d.pk for d in duplicates]
    duplicates = list(Expert.objects.select_for_update().filter(pk__in=duplicate_ids).order_by("pk"))

    moved = {"claims": 0, "affiliations": 0}
    aliases_before = Alias.objects.filter(expert=target).count()
    into = f"merged into {target.name} (id {target.pk})"[:100]
    for duplicate in duplicates:
        # Affiliations first, so that claims can be pointed at surviving ones.
        for affiliation in list(duplicate.affiliations.all()):
            twin = Affiliation.objects.filter(
                expert=target, organization=affiliation.organization, role=affiliation.role
            ).first()
            if twin is None:
                affiliation.expert = target
                affiliation._change_reason = into
                affiliation.save()
                moved["affiliations"] += 1
            else:
                claims = _locked_claims(affiliation=affiliation)
                for claim in claims:
                    claim.affiliation = twin
                    claim.version += 1
                bulk_update_with_history(
                    claims,
                    Claim,
                    ["affiliation", "version"],
                    batch_size=500,
                    default_user=user,
                    default_change_reason=into,
                )
                affiliation.delete()

        claims = _locked_claims(expert=duplicate)
        for claim in claims:
            claim.expert = target
            claim.version += 1
        bulk_update_with_history(
            claims, Claim, ["expert", "version"], batch_size=500, default_user=user, default_change_reason=into
        )
        moved["claims"] += len(claims)

        spellings = {alias.name for alias in duplicate.aliases.all()} | {duplicate.name}
        for spelling in sorted(spellings):
            alias_add(expert=target, name=spelling, origin=AliasOrigin.MERGED)

        if not target.wikidata_id and duplicate.wikidata_id:
            target.wikidata_id = duplicate.wikidata_id
            duplicate.wikidata_id = ""
            duplicate.save(update_fields=["wikidata_id"])
        if not target.bio and duplicate.bio:
            target.bio = duplicate.bio
        if not target.kind_curated and (
            duplicate.kind_curated or (target.kind == ExpertKind.OTHER and duplicate.kind != ExpertKind.OTHER)
        ):
            # A curator's kind, else a specific one, survives the merge.
            target.kind, target.kind_curated = duplicate.kind, duplicate.kind_curated
        for other in duplicate.possible_duplicates.exclude(pk__in=[target.pk, *duplicate_ids]):
            target.possible_duplicates.add(other)
        duplicate.possible_duplicates.clear()
        duplicate.delete()

    track_records_refresh(expert_ids={target.pk})  # the duplicates' rows went with them
    target.possible_duplicates.remove(*duplicate_ids)
    new_aliases = Alias.objects.filter(expert=target).count() - aliases_before
    target._change_reason = merge_summary([d.name for d in duplicates], **moved, aliases=new_aliases)
    return versioned_save(target, user=user)


def merge_summary(names: list[str], *, claims: int, aliases: int, affiliations: int) -> str:
    """What a merge moved, as the kept expert's history record says it (at most 100 characters)."""
    words = (
        ("claim", "claims", claims),
        ("affiliation", "affiliations", affiliations),
        ("new alias", "new aliases", aliases),
    )
    counts = ", ".join(f"{n} {one if n == 1 else many}" for one, many, n in words)
    merged = ", ".join(names)
    text = f"merged {merged}: {counts} moved here"
    if len(text) > 100:
        text = f"merged {len(names)} experts: {counts} moved here"
    return text[:100]
