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

    def handle(self, *args, input, **options):
        try:
            if input == "-":
                counts = backup_import(sys.stdin)
            else:
                with Path(input).open(encoding="utf-8") as stream:
                    counts = backup_import(stream)
        except FileNotFoundError:
            raise CommandError(f"No such file: {input}") from None
        except (BackupError, ConflictError) as exc:
            raise CommandError(f"Nothing restored: {exc}") from None
        self.stdout.write(f"Restored {sum(counts.values())} records into {len(counts)} tables from {input}.")
