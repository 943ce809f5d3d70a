"""Restore a backup written by `manage.py export` into a database that holds no claims data."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.services.backup import BackupError, backup_import
from claims.services.errors import ConflictError


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("input", help="Backup file, or - for standard input.")
        parser.add_argument(
            "--restore-privileges",
            action="store_true",
            help="Restore staff and superuser status, groups and permissions as the file has them "
            "(only for a backup you made yourself). Without it accounts come back without them.",
        )

    def handle(self, *args, input, restore_privileges, **options):
        try:
            if input == "-":
                result = backup_import(sys.stdin, restore_privileges=restore_privileges)
            else:
                with Path(input).open(encoding="utf-8") as stream:
                    result = backup_import(stream, restore_privileges=restore_privileges)
        except FileNotFoundError:
            raise CommandError(f"Nothing restored: no such file: {input}") from None
        except OSError as exc:
            raise CommandError(f"Nothing restored: cannot read {input}: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"Nothing restored: {input} is not UTF-8 text ({exc.reason} at {exc.start})") from None
        except (BackupError, ConflictError) as exc:
            raise CommandError(f"Nothing restored: {exc}") from None
        counts = result.counts
        self.stdout.write(f"Restored {sum(counts.values())} records into {len(counts)} tables from {input}.")
        if result.demoted:
            self.stdout.write(
                f"{len(result.demoted)} account(s) restored without staff/superuser status, groups or permissions: "
                f"{', '.join(result.demoted)}. Grant them again in the admin, or restore with --restore-privileges "
                "a backup you made yourself."
            )
