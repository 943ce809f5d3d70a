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
"""

from __future__ import annotations

import datetime
import json
from typing import IO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from claims.services.errors import ConflictError

FORMAT = "expert-claims-backup"
VERSION = 1

__all__ = ["FORMAT", "VERSION", "BackupError", "backup_export", "backup_import", "reset_sequences"]


class BackupError(Exception):
    """The file is not a backup this version can restore."""


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
    claims_models = list(apps.get_app_config("claims").get_models())
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


@transaction.atomic
def backup_import(stream: IO[str]) -> dict[str, int]:
    """Restore a backup into a database that holds no claims data; all or nothing."""
    document = _read(stream)
    claims_models = [m for m in _models() if m._meta.app_label == "claims"]
    occupied = [_label(m) for m in claims_models if m._default_manager.exists()]
    if occupied:
        raise ConflictError(f"The database already holds data ({', '.join(occupied[:5])}); restore into an empty one.")
    counts: dict[str, int] = {}
    try:
        objects = serializers.deserialize("json", json.dumps(document["records"]), handle_forward_references=True)
        deferred = []
        for obj in objects:
            # The history is restored from the backup; saving must not add to it.
            obj.object.skip_history_when_saving = True
            obj.save()
            if obj.deferred_fields:
                deferred.append(obj)
            label = _label(type(obj.object))
            counts[label] = counts.get(label, 0) + 1
        for obj in deferred:
            obj.save_deferred_fields()
    except DeserializationError as exc:
        raise BackupError(f"a record could not be restored: {exc}") from None
    expected = document["header"].get("counts", {})
    mismatched = {k: (v, counts.get(k, 0)) for k, v in expected.items() if counts.get(k, 0) != v}
    if mismatched:
        raise BackupError(f"record counts differ from the header: {mismatched}")
    reset_sequences(claims_models)
    return counts


def reset_sequences(models) -> None:
    """Move the id sequences (PostgreSQL) past the highest id of each model, after inserting rows with ids."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
