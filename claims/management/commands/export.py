"""Write every record (claims data, history, the accounts they refer to) to a versioned JSON backup."""

from pathlib import Path

from django.core.management.base import BaseCommand

from claims.services.backup import backup_export


class _Raw:
    """The command's stdout without the newline OutputWrapper adds to every write."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("output", nargs="?", default="-", help="File to write (default: standard output).")

    def handle(self, *args, output, **options):
        if output == "-":
            counts = backup_export(_Raw(self.stdout))
        else:
            with Path(output).open("w", encoding="utf-8", newline="\n") as stream:
                counts = backup_export(stream)
        total = sum(counts.values())
        self.stderr.write(f"Exported {total} records from {sum(1 for c in counts.values() if c)} tables to {output}.")
