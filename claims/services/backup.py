"""Backups that restore: every record to one versioned JSON document, and back.

The document holds every row of the claims app (articles, experts, aliases,
affiliations, organizations, outlets, topics, claims, predictions, events,
evidence, and their history), plus the user accounts and groups those rows
refer to (accounts with their password hashes: keep backups private). API
tokens are not included; issue new ones after a restore.

Output is deterministic and lossless: models in dependency order, rows by
primary key, timestamps to the microsecond, so that restoring into an empty
database and exporting again gives the same bytes. Rows of the claims app keep
their ids (API addresses stay valid); accounts and groups are matched by
username and name.

A restore trusts nothing in the file: it accepts only the models an export
writes, refuses a key that occurs twice, an account that already exists and
any invalid row (a claim whose span is not in its article text included),
all before writing anything. Accounts come back without staff or superuser
status, groups or permissions unless the operator vouches for the file
(``restore_privileges``, ``import --restore-privileges``).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import IO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DataError, IntegrityError, connection, transaction
from simple_history.models import HistoricalChanges

from claims.models import PublicTrackRecord, TrackRecordCount
from claims.services.errors import ConflictError
from claims.services.track_records import track_records_rebuild

FORMAT = "expert-claims-backup"
VERSION = 1

__all__ = ["FORMAT", "VERSION", "BackupError", "BackupResult", "backup_export", "backup_import", "reset_sequences"]


class BackupError(Exception):
    """The file is not a backup this version can restore."""


@dataclass(frozen=True)
class BackupResult:
    counts: dict[str, int]
    demoted: list[str] = field(default_factory=list)  # accounts restored without their privileges


class LosslessJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but timestamps keep all six digits of their microseconds.

    ``DjangoJSONEncoder`` cuts microseconds to milliseconds and drops the
    fraction when it is zero, so 12:00:00.000400 is written ``12:00:00.000Z``,
    restored as 12:00:00 and written again as ``12:00:00Z``: the backup would
    neither keep the value nor export the same bytes after a restore.
    """

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat(timespec="microseconds").replace("+00:00", "Z")
        if isinstance(o, datetime.time) and o.tzinfo is None:
            return o.isoformat(timespec="microseconds")
        return super().default(o)


def _models() -> list:
    # The track records' counts and the stored public records are derived from the predictions: recounted after a
    # restore (which bumps every revision), never backed up.
    derived = (TrackRecordCount, PublicTrackRecord)
    claims_models = [m for m in apps.get_app_config("claims").get_models() if m not in derived]
    ordered = serializers.sort_dependencies([("claims", claims_models)], allow_cycles=True)
    return [Group, get_user_model(), *ordered]


def _label(model) -> str:
    return model._meta.label_lower


def backup_export(stream: IO[str]) -> dict[str, int]:
    """Write the backup document to ``stream``; return the row count per model."""
    counts: dict[str, int] = {}
    records: list[str] = []
    for model in _models():
        queryset = model._default_manager.order_by("pk")
        natural = model in (Group, get_user_model())
        data = serializers.serialize(
            "json",
            queryset,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=natural,
            cls=LosslessJSONEncoder,
        )
        rows = json.loads(data)
        counts[_label(model)] = len(rows)
        records.extend(json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows)
    header = json.dumps({"format": FORMAT, "version": VERSION, "counts": counts}, sort_keys=True)
    stream.write('{"header": ' + header + ',\n"records": [\n')
    stream.write(",\n".join(records))
    stream.write("\n]}\n")
    return counts


def _read(stream: IO[str]) -> dict:
    try:
        document = json.load(stream)
    except json.JSONDecodeError as exc:
        raise BackupError(f"not a JSON document: {exc}") from None
    header = document.get("header") if isinstance(document, dict) else None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"not an {FORMAT} file (no header with format {FORMAT!r})")
    if header.get("version") != VERSION:
        raise BackupError(f"backup version {header.get('version')!r}; this program restores version {VERSION}")
    if not isinstance(document.get("records"), list):
        raise BackupError("the file has no records list")
    return document


def _check_records(records: list, *, restore_privileges: bool) -> tuple[list[dict], dict[str, int], list[str]]:
    """Refuse what an export never writes; return the records to restore, the counts and the demoted accounts.

    Only the models the export writes are accepted (never a token, a session or another app's rows);
    a key may occur once per model; accounts must be new to this database. Without
    ``restore_privileges`` accounts come back without staff or superuser status, groups or
    permissions, and groups that exist already keep their permissions.
    """
    allowed = {_label(m) for m in _models()}
    user_label, group_label = _label(get_user_model()), _label(Group)
    username_field = get_user_model().USERNAME_FIELD
    seen: set[tuple[str, object]] = set()
    counts: dict[str, int] = {}
    kept: list[dict] = []
    demoted: list[str] = []
    existing_groups = set(Group.objects.values_list("name", flat=True))
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
            raise BackupError(f"record {number} is not a serialized row")
        label = str(record.get("model", "")).lower()
        if label not in allowed:
            raise BackupError(f"record {number} is a {label or 'model-less'} row, which a backup never holds")
        fields = record["fields"]
        if label == user_label:
            key = fields.get(username_field)
        elif label == group_label:
            key = fields.get("name")
        else:
            key = record.get("pk")
        if key is None or (label, key) in seen:
            raise BackupError(f"record {number}: {label} {key!r} occurs twice (or has no key)")
        seen.add((label, key))
        counts[label] = counts.get(label, 0) + 1
        if label == user_label:
            if get_user_model()._default_manager.filter(**{username_field: key}).exists():
                raise BackupError(f"the account {key!r} already exists in this database; accounts are never replaced")
            privileged = fields.get("is_staff") or fields.get("is_superuser") or fields.get("groups")
            if not restore_privileges and (privileged or fields.get("user_permissions")):
                fields.update(is_staff=False, is_superuser=False, groups=[], user_permissions=[])
                demoted.append(str(key))
        if label == group_label and not restore_privileges:
            if key in existing_groups:
                continue  # this database's group keeps its own permissions
            fields["permissions"] = []
        kept.append(record)
    return kept, counts, demoted


def _validate(objects: list) -> None:
    """Every row's own validation, and each claim's span inside its article, before anything is written."""
    from claims.models import Article, Claim
    from claims.services.claims import check_span

    articles = {o.object.pk: o.object for o in objects if type(o.object) is Article}
    for obj in objects:
        instance = obj.object
        if isinstance(instance, HistoricalChanges):
            continue  # a record of the past, valid by the rules of its day
        deferred = [field.name for field in (obj.deferred_fields or {})]
        references = [f.name for f in instance._meta.concrete_fields if f.is_relation]
        try:
            instance.full_clean(exclude=[*deferred, *references], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
            raise ValidationError(f"{_label(type(instance))} {instance.pk}: {problems}") from None
        if type(instance) is Claim:
            article = articles.get(instance.article_id) or Article.objects.filter(pk=instance.article_id).first()
            if article is None:
                raise ValidationError(f"claim {instance.pk}: its article {instance.article_id} is not in the backup")
            try:
                check_span(instance, article)
            except ValidationError as exc:
                raise ValidationError(f"claim {instance.pk}: {' '.join(exc.messages)}") from None


def backup_import(stream: IO[str], *, restore_privileges: bool = False) -> BackupResult:
    """Restore a backup into a database that holds no claims data; all or nothing.

    Every record is checked before the first is written (see ``_check_records`` and ``_validate``),
    and everything is written in one transaction; any refusal raises BackupError or ConflictError
    and leaves the database as it was.
    """
    document = _read(stream)
    with transaction.atomic():
        claims_models = [m for m in _models() if m._meta.app_label == "claims"]
        occupied = [_label(m) for m in claims_models if m._default_manager.exists()]
        if occupied:
            raise ConflictError(
                f"The database already holds data ({', '.join(occupied[:5])}); restore into an empty one."
            )
        records, counts, demoted = _check_records(document["records"], restore_privileges=restore_privileges)
        expected = document["header"].get("counts", {})
        if not isinstance(expected, dict):
            raise BackupError("the header's counts are not a mapping of model to number")
        mismatched = {k: (v, counts.get(k, 0)) for k, v in expected.items() if counts.get(k, 0) != v}
        mismatched.update({k: (expected.get(k, 0), v) for k, v in counts.items() if k not in expected})
        if mismatched:
            raise BackupError(f"record counts differ from the header (header, file): {mismatched}")
        text = json.dumps(records)
        try:
            # Validate everything first; then read again while saving, so that references by natural key
            # (accounts by username) resolve to the rows saved just before.
            _validate(list(serializers.deserialize("json", text, handle_forward_references=True)))
            deferred = []
            for obj in serializers.deserialize("json", text, handle_forward_references=True):
                # The history is restored from the backup; saving must not add to it.
                obj.object.skip_history_when_saving = True
                obj.save()
                if obj.deferred_fields:
                    deferred.append(obj)
            for obj in deferred:
                obj.save_deferred_fields()
            connection.check_constraints()
        except ValidationError as exc:
            raise BackupError(f"a record is invalid: {' '.join(exc.messages)}") from None
        except (DeserializationError, IntegrityError, DataError, ValueError, TypeError, LookupError) as exc:
            raise BackupError(f"a record could not be restored: {exc}") from None
        reset_sequences(claims_models)
        track_records_rebuild()
    return BackupResult(counts=counts, demoted=demoted)


def reset_sequences(models) -> None:
    """Move the id sequences (PostgreSQL) past the highest id of each model, after inserting rows with ids."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
