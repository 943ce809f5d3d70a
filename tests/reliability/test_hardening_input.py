"""Input hardening: ingestion reads regular files only, never more than the size limit, and names every
entry of a folder it cannot ingest with the reason; invisible trailing whitespace does not make a new article."""

from __future__ import annotations

import io
import os
import signal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.domain import textfiles
from claims.domain.textfiles import MAX_ARTICLE_BYTES, NotAnArticle, read_article, read_bounded

SEED = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))[0]


@pytest.fixture
def deadline():
    """Fail (instead of hanging the run) if the test blocks for two minutes (loading spaCy on a busy machine
    takes a good part of that)."""

    def expired(signum, frame):
        raise TimeoutError("blocked for 120 s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


class EndlessStream:
    """A stream that never ends (like /dev/zero or `yes | ingest -`), counting what was read from it."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        if size is None or size < 0:
            raise MemoryError("read everything of an endless stream")
        self.read_bytes += size
        return b"x" * size


class TestBoundedReads:
    def test_a_stream_is_read_up_to_the_limit_plus_one_byte(self):
        stream = EndlessStream()
        assert len(read_bounded(stream)) == MAX_ARTICLE_BYTES + 1
        assert stream.read_bytes == MAX_ARTICLE_BYTES + 1

    def test_a_device_is_refused_without_reading_it(self, deadline):
        with pytest.raises(NotAnArticle, match="not a regular file: a character device"):
            read_article(Path("/dev/zero"))

    def test_a_fifo_is_refused_without_blocking(self, tmp_path, deadline):
        fifo = tmp_path / "pipe.txt"
        os.mkfifo(fifo)
        with pytest.raises(NotAnArticle, match="not a regular file: a named pipe"):
            read_article(fifo)

    def test_a_file_growing_past_the_limit_after_stat_is_still_refused(self, tmp_path, monkeypatch):
        path = tmp_path / "a.txt"
        path.write_bytes(b"word " * 100)
        monkeypatch.setattr(textfiles, "MAX_ARTICLE_BYTES", 100)
        real_stat = Path.stat

        def small_stat(self, **kwargs):  # what stat() said before the file grew
            info = real_stat(self, **kwargs)
            return os.stat_result((info.st_mode, *info[1:6], 10, *info[7:]))

        monkeypatch.setattr(Path, "stat", small_stat)
        with pytest.raises(NotAnArticle, match="file too large: more than 100 bytes"):
            read_article(path)

    @pytest.mark.django_db
    def test_endless_standard_input_is_refused_as_too_large(self, monkeypatch):
        stream = EndlessStream()
        monkeypatch.setattr("sys.stdin", type("Stdin", (), {"buffer": stream})())
        out = io.StringIO()
        with pytest.raises(CommandError):
            call_command("ingest", "-", "--no-progress", stdout=out)
        assert "<stdin>: file too large: more than" in out.getvalue()
        assert stream.read_bytes == MAX_ARTICLE_BYTES + 1


@pytest.mark.django_db
class TestFolderEntries:
    def test_every_entry_that_cannot_be_ingested_is_reported_with_its_reason(self, tmp_path, monkeypatch, deadline):
        folder = tmp_path / "batch"
        (folder / "locked").mkdir(parents=True)
        (folder / "elsewhere").mkdir()
        (folder / "good.txt").write_bytes(SEED.read_bytes())
        os.mkfifo(folder / "pipe.txt")
        (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
        (folder / "linked-folder").symlink_to(folder / "elsewhere")
        (folder / ".hidden").write_text("ignored on purpose")
        locked = str(folder / "locked")
        real_scandir, real_listdir = os.scandir, os.listdir

        def refuse(path):  # chmod 000 does not stop root, so the refusal is simulated
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(os, "scandir", lambda p=".": refuse(p) if str(p) == locked else real_scandir(p))
        monkeypatch.setattr(os, "listdir", lambda p=".": refuse(p) if str(p) == locked else real_listdir(p))

        out = io.StringIO()
        with pytest.raises(CommandError, match="4 of 5 inputs failed"):
            call_command("ingest", str(folder), "--no-progress", stdout=out)
        text = out.getvalue()
        assert "new        good.txt:" in text
        assert f"{folder / 'pipe.txt'}: not a regular file: a named pipe (FIFO)" in text
        assert f"{folder / 'dangling.txt'}: a broken symbolic link (to {tmp_path / 'gone.txt'}" in text
        assert f"{folder / 'linked-folder'}: a symbolic link to a folder (not followed)" in text
        assert f"{locked}: cannot read the folder: Permission denied" in text
        assert ".hidden" not in text


class TestTrailingWhitespace:
    def test_normalization_strips_the_end_of_every_line(self):
        text = "Title  \r\n\r\nA line.\t \nAnother.\u00a0\n\n"
        assert textfiles.normalize_text(text) == "Title\n\nA line.\nAnother.\n"

    @pytest.mark.django_db
    def test_an_article_with_trailing_spaces_is_the_article_already_stored(self, tmp_path):
        from claims.models import Article, Claim

        spaced = tmp_path / "spaced.txt"
        spaced.write_text("\n".join(line + "  " for line in SEED.read_text().split("\n")))
        call_command("ingest", str(SEED), "--no-progress", stdout=io.StringIO())
        claims = Claim.objects.count()
        out = io.StringIO()
        call_command("ingest", str(spaced), "--no-progress", stdout=out)
        assert "Articles: 0 new, 1 unchanged, 0 failed." in out.getvalue()
        assert (Article.objects.count(), Claim.objects.count()) == (1, claims)
