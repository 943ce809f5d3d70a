"""Run quote extraction on text files and print one JSON object per quote per line; nothing is stored.

    python manage.py extract [--format jsonl] FILE...

Each line: {"file", "start", "end", "text", "kind", "speaker", "speaker_start", "speaker_end", "cue",
"affiliation"}, offsets into the file's exact text (UTF-8, no newline translation). A file that is
missing, empty, binary or not UTF-8 is reported on stderr and skipped; the command then exits
non-zero after processing the others.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.extraction import extract_article, load_nlp


def read_article(path: str) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason)."""
    p = Path(path)
    try:
        if not p.exists():
            return None, "no such file"
        if p.is_dir():
            return None, "is a directory"
        data = p.read_bytes()
    except OSError as exc:
        return None, exc.strerror or str(exc)
    if not data.strip():
        return None, "empty file"
    if b"\x00" in data:
        return None, "binary file (NUL bytes)"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"


class Command(BaseCommand):
    help = "Extract quotes from article text files and print them as JSON lines (stores nothing)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="article text files (UTF-8)")
        parser.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (jsonl)")

    def handle(self, *args, **options):
        nlp = None
        skipped: list[str] = []
        for name in options["files"]:
            text, reason = read_article(name)
            if reason is not None:
                self.stderr.write(f"{name}: {reason}; skipped")
                skipped.append(name)
                continue
            if nlp is None:
                nlp = load_nlp(settings.SPACY_MODEL)
            result = extract_article(text, nlp=nlp)
            for q in result.quotes:
                row = {
                    "file": name,
                    "start": q.start,
                    "end": q.end,
                    "text": q.text,
                    "kind": q.kind,
                    "speaker": q.speaker,
                    "speaker_start": q.speaker_start,
                    "speaker_end": q.speaker_end,
                    "cue": q.cue,
                    "affiliation": q.affiliation.text if q.affiliation else None,
                }
                self.stdout.write(json.dumps(row, ensure_ascii=False))
        if skipped:
            raise CommandError(f"{len(skipped)} file(s) skipped: {', '.join(skipped)}")
