"""Run quote extraction on text files and print JSON lines; nothing is stored.

    python manage.py extract [--format jsonl|articles] FILE...

``--format jsonl`` (the default) prints one object per quote: {"file", "start", "end", "text", "kind",
"speaker", "speaker_start", "speaker_end", "cue", "affiliation"}. ``--format articles`` prints one object per
article with everything the extractor found: {"file", "meta", "people", "quotes"}, where people carry their
kind (analyst, academic, official, politician, journalist, other), mentions and affiliation as printed, and
quotes their claim kind, hedge, confidence, rule and speaker kind (``claims.extraction.serialize``). Offsets
are into the file's exact text (UTF-8, no newline translation). A file that is missing, not a regular file,
over the size limit, empty, binary or not UTF-8 is reported on stderr and skipped; the command then exits
non-zero after processing the others.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.domain.textfiles import NotAnArticle, read_file
from claims.extraction import extract_article, load_nlp
from claims.extraction.serialize import extraction_to_dict


def read_article(path: str) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason)."""
    p = Path(path)
    if not p.exists() and not p.is_symlink():
        return None, "no such file"
    try:
        data = read_file(p)  # a regular file, at most the size limit: never a FIFO or a device
    except NotAnArticle as exc:
        return None, str(exc)
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
        parser.add_argument(
            "--format",
            choices=["jsonl", "articles"],
            default="jsonl",
            help="jsonl: one object per quote (default); articles: one object per article with everything found",
        )

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
            if options["format"] == "articles":
                self.stdout.write(json.dumps({"file": name, **extraction_to_dict(result)}, ensure_ascii=False))
                continue
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
