"""``manage.py extract``: JSON lines on stdout, bad files on stderr and a non-zero exit."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
SEED = next((ROOT / "seeds").glob("001_*.txt"))

KEYS = {"file", "start", "end", "text", "kind", "speaker", "speaker_start", "speaker_end", "cue", "affiliation"}


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("extract", *args, stdout=out, stderr=err)
    except CommandError as exc:
        error = exc
    return out.getvalue(), err.getvalue(), error


def test_prints_one_json_object_per_quote(nlp):
    out, err, error = run("--format", "jsonl", str(SEED))
    assert error is None and err == ""
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows
    with SEED.open(encoding="utf-8", newline="") as f:
        text = f.read()
    for row in rows:
        assert set(row) == KEYS
        assert text[row["start"] : row["end"]] == row["text"]
        assert row["kind"] in ("direct", "mixed", "indirect")
        if row["speaker_start"] is not None:
            assert 0 <= row["speaker_start"] < row["speaker_end"] <= len(text)
    lankov = next(r for r in rows if r["speaker"] == "Andrei Lankov")
    assert lankov["affiliation"] == "Professor Andrei Lankov of Seoul’s Kookmin University"


def test_offsets_are_into_the_exact_text_with_crlf(tmp_path, nlp):
    path = tmp_path / "crlf.txt"
    text = "Title\r\n\r\nAnalyst John Smith spoke.\r\n\r\n“The deal is dead,” Smith said.\r\n"
    path.write_bytes(text.encode("utf-8"))
    out, _, error = run(str(path))
    assert error is None
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert text[row["start"] : row["end"]] == row["text"] == "The deal is dead"
    assert row["speaker"] == "John Smith"


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), (b"abc\x00def", "binary"), (b"caf\xe9 au lait", "not UTF-8")],
)
def test_bad_files_are_reported_and_skipped(tmp_path, nlp, content, reason):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    out, err, error = run(str(bad), str(SEED))
    assert error is not None
    assert str(bad) in err and reason in err
    assert out.strip()  # the good file after it was still processed
    assert all(json.loads(line)["file"] == str(SEED) for line in out.splitlines())


def test_missing_file(nlp):
    out, err, error = run("/nonexistent/article.txt")
    assert error is not None
    assert "/nonexistent/article.txt" in err and "no such file" in err
    assert out == ""


def test_articles_format_prints_one_object_per_article_with_everything_found(tmp_path, nlp):
    article = tmp_path / "envoy.txt"
    article.write_text(
        "Envoy in Pyongyang\n\n"
        "Russian President Vladimir Putin said the talks would resume next month, according to the Kremlin.\n\n"
        "“Sanctions could be eased,” Ivan Petrov, a senior fellow at the Example Institute, told reporters.\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("extract", "--format", "articles", str(article), stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["file"] == str(article) and record["meta"]["title"] == "Envoy in Pyongyang"
    people = {p["name"]: p for p in record["people"]}
    assert people["Vladimir Putin"]["affiliation"]["organization"] == "Russia"
    assert people["Vladimir Putin"]["kind"] == "official"
    quote = next(q for q in record["quotes"] if "Sanctions could be eased" in q["text"])
    assert quote["speaker"] == "Ivan Petrov" and quote["claim_kind"] == "prediction" and quote["hedge"] == "could"
    assert {"confidence", "rule", "speaker_kind", "claim_reason"} <= set(quote)


def test_a_fifo_is_refused_without_blocking(tmp_path, nlp):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("extract", str(fifo), stdout=io.StringIO(), stderr=err)
    assert "pipe.txt" in err.getvalue()
