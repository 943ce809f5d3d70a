"""`manage.py import` trusts nothing in the file: every refusal restores nothing and says why."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Article, Claim, Expert
from claims.services.backup import _models
from tests import factories

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def document():
    """A backup of one claim reviewed by a staff curator, then a database emptied as after `migrate`."""
    reviewer = factories.UserFactory(username="reviewer", is_staff=True, is_superuser=True)
    factories.ClaimFactory(reviewed_by=reviewer)
    factories.ClaimFactory(expert=Expert.objects.get())
    out = io.StringIO()
    call_command("export", stdout=out, stderr=io.StringIO())
    for model in reversed([m for m in _models() if m._meta.app_label == "claims"]):
        model._base_manager.all()._raw_delete(using="default")
    User.objects.all().delete()
    return json.loads(out.getvalue())


def restore(document, tmp_path, *args) -> str:
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    out = io.StringIO()
    call_command("import", str(path), *args, stdout=out)
    return out.getvalue()


def refused(document, tmp_path, match, *args):
    with pytest.raises(CommandError, match=f"^Nothing restored: .*{match}"):
        restore(document, tmp_path, *args)
    assert not Claim.objects.exists() and not Article.objects.exists() and not User.objects.exists()


def add(document, record):
    document["records"].append(record)
    label = record["model"]
    document["header"]["counts"][label] = document["header"]["counts"].get(label, 0) + 1


def records_of(document, label):
    return [r for r in document["records"] if r["model"] == label]


def test_the_backup_restores(document, tmp_path):
    out = restore(document, tmp_path)
    assert Claim.objects.count() == 2 and "Restored" in out


@pytest.mark.parametrize(
    "record",
    [
        {"model": "authtoken.token", "pk": "f" * 40, "fields": {"user": ["reviewer"], "created": "2024-01-01T00:00Z"}},
        {
            "model": "sessions.session",
            "pk": "x" * 32,
            "fields": {"session_data": "e30", "expire_date": "2099-01-01T00:00Z"},
        },
        {"model": "auth.permission", "pk": 9999, "fields": {"name": "x", "content_type": 1, "codename": "x"}},
    ],
)
def test_a_model_the_export_never_writes_is_refused(document, tmp_path, record):
    add(document, record)
    refused(document, tmp_path, "which a backup never holds")


def test_accounts_come_back_without_privileges_unless_vouched_for(document, tmp_path):
    out = restore(document, tmp_path)
    reviewer = User.objects.get(username="reviewer")
    assert not reviewer.is_superuser and not reviewer.is_staff
    assert "restored without staff/superuser status" in out and "reviewer" in out
    assert Claim.objects.filter(reviewed_by=reviewer).exists()


def test_with_restore_privileges_accounts_keep_them(document, tmp_path):
    restore(document, tmp_path, "--restore-privileges")
    assert User.objects.get(username="reviewer").is_superuser


def test_an_existing_account_is_never_replaced(document, tmp_path):
    existing = User.objects.create_user(username="reviewer", password="kept-password-123")
    with pytest.raises(CommandError, match="Nothing restored: the account 'reviewer' already exists"):
        restore(document, tmp_path, "--restore-privileges")
    existing.refresh_from_db()
    assert existing.check_password("kept-password-123") and not existing.is_superuser
    assert not Claim.objects.exists()


def test_a_duplicate_key_is_refused(document, tmp_path):
    first, second = records_of(document, "claims.claim")
    second["pk"] = first["pk"]
    refused(document, tmp_path, "claims.claim .* occurs twice")


def test_a_duplicate_account_is_refused(document, tmp_path):
    add(document, json.loads(json.dumps(records_of(document, "auth.user")[0])))
    refused(document, tmp_path, "auth.user 'reviewer' occurs twice")


def test_a_claim_outside_its_article_is_refused(document, tmp_path):
    claim = records_of(document, "claims.claim")[0]
    claim["fields"]["end"] = 10**6
    refused(document, tmp_path, "a record is invalid: claim .*outside")


def test_a_claim_whose_text_is_not_at_its_offsets_is_refused(document, tmp_path):
    claim = records_of(document, "claims.claim")[0]
    claim["fields"]["text"] = "words the article never printed"
    refused(document, tmp_path, "a record is invalid: claim")


def test_an_invalid_field_is_refused(document, tmp_path):
    records_of(document, "claims.claim")[0]["fields"]["status"] = "published"
    refused(document, tmp_path, "a record is invalid: claims.claim .*status")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d["records"].append("not a row"), "is not a serialized row"),
        (lambda d: d["header"].update(counts=[1, 2]), "counts are not a mapping"),
        (lambda d: records_of(d, "claims.alias")[0]["fields"].update(expert=424242), "could not be restored"),
    ],
)
def test_malformed_files_get_a_reason_not_a_traceback(document, tmp_path, change, match):
    change(document)
    refused(document, tmp_path, match)


def test_a_file_that_is_not_utf8_gets_a_reason(tmp_path):
    path = tmp_path / "backup.json"
    path.write_bytes(b'{"header": "\xff"}')
    with pytest.raises(CommandError, match="Nothing restored: .* is not UTF-8"):
        call_command("import", str(path))
