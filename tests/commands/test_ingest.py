"""`manage.py ingest` with the real extractor: seeds in, who-said-what out; bad input reported, never lost."""

from __future__ import annotations

import io
import json
import shutil
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Article, Claim, Expert, Prediction
from tests.webpages import ARTICLE_TEXT, TITLE, Server, feed_of, home_page, html, json_ld_page, story_page

pytestmark = pytest.mark.django_db


def ingest(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class TestSeeds:
    def test_seeds_become_articles_experts_and_claims(self, seeds_dir):
        out, _ = ingest(str(seeds_dir))
        assert out.count("\nnew ") + out.startswith("new ") == 5
        assert "Articles: 5 new, 0 unchanged, 0 failed." in out
        assert Article.objects.count() == 5
        for claim in Claim.objects.select_related("article"):
            assert claim.article.body[claim.start : claim.end] == claim.text
            assert claim.status == "extracted"

        lankov = Expert.objects.get(name="Andrei Lankov")
        relief = Claim.objects.get(expert=lankov, text__contains="sanctions relief")
        assert relief.kind == "prediction" and relief.quote_type == "direct"
        assert relief.affiliation.organization.name == "Kookmin University"
        assert relief.prediction.hedge == "very unlikely"
        assert relief.prediction.hedge_category == "very_unlikely"

        cho = Expert.objects.get(name="Cho Han-bum")
        assert cho.claims.count() == 2
        assert {c.affiliation.organization.acronym for c in cho.claims.all()} == {"KINU"}
        matsegora = Expert.objects.get(name="Alexander Matsegora")
        assert matsegora.claims.values("article").distinct().count() == 2  # one expert across seeds 000 and 003
        continued = Claim.objects.get(cue="continued")
        assert continued.expert == matsegora  # "the Russian diplomat continued"

        assert Prediction.objects.filter(claim__expert__name="Sang-Jang Jung", hedge="high possibility").exists()
        assert Article.objects.get(source_file="004_ec7bb5bb060c0059.txt").outlet.name == "The Hankyoreh"

    def test_second_run_creates_nothing(self, seeds_dir):
        ingest(str(seeds_dir))
        counts = (Article.objects.count(), Claim.objects.count(), Expert.objects.count())
        out, _ = ingest(str(seeds_dir))
        assert "Articles: 0 new, 5 unchanged, 0 failed." in out
        assert (Article.objects.count(), Claim.objects.count(), Expert.objects.count()) == counts

    def test_second_run_extracts_nothing(self, seeds_dir, tmp_path, monkeypatch):
        from claims.services import ingest_worker

        ingest(str(seeds_dir))
        calls = []

        def extract(text):
            calls.append(text)
            return None, "extraction failed: a stub"

        monkeypatch.setattr(ingest_worker, "init", lambda model_name: calls.append(f"init {model_name}"))
        monkeypatch.setattr(ingest_worker, "extract", extract)
        out, _ = ingest(str(seeds_dir))
        assert "Articles: 0 new, 5 unchanged, 0 failed." in out
        assert calls == []  # not even the pipeline was loaded

        folder = tmp_path / "more"
        shutil.copytree(seeds_dir, folder)
        (folder / "new.txt").write_text("A new article\n\n" + "Words of a new story. " * 10, encoding="utf-8")
        with pytest.raises(CommandError):
            ingest(str(folder))
        assert len(calls) == 2 and calls[0].startswith("init ") and calls[1].startswith("A new article")

    def test_json_summary(self, seeds_dir):
        out, _ = ingest(str(seeds_dir), "--json")
        summary = json.loads(out)
        assert summary["articles"] == {"new": 5, "unchanged": 0, "failed": 0}
        assert summary["claims"] == Claim.objects.count() > 20
        assert summary["experts"]["new"] == Expert.objects.count()
        assert len(summary["results"]) == 5 and summary["articles_per_second"] > 0

    def test_dry_run_stores_nothing(self, seeds_dir):
        out, _ = ingest(str(seeds_dir), "--dry-run")
        assert "Dry run, nothing stored." in out and "Articles: 5 new" in out
        assert not Article.objects.exists() and not Expert.objects.exists()

    def test_standard_input(self, seeds_dir, monkeypatch):
        data = (seeds_dir / "004_ec7bb5bb060c0059.txt").read_bytes()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        out, _ = ingest("-")
        assert "new        <stdin>" in out
        assert Article.objects.get().title == "North Korea sends special envoy to Russia"

    def test_two_workers(self, seeds_dir):
        out, _ = ingest(str(seeds_dir), "--workers", "2")
        assert "Articles: 5 new" in out and "with 2 worker(s)" in out
        assert Article.objects.count() == 5


class TestBadInput:
    @pytest.fixture
    def batch(self, tmp_path, seeds_dir):
        folder = tmp_path / "batch"
        folder.mkdir()
        for seed in sorted(seeds_dir.glob("*.txt"))[:2]:
            shutil.copy(seed, folder / seed.name)
        (folder / "binary.bin").write_bytes(bytes(range(256)) * 40)
        (folder / "empty.txt").write_bytes(b"")
        (folder / "latin1.txt").write_bytes("Un caf\u00e9 \u00e0 Pyongyang, ".encode("latin-1") * 30)
        (folder / "short.txt").write_text("Just a headline\n")
        with (folder / "huge.txt").open("wb") as f:
            f.truncate(50 * 1024 * 1024)  # 50 MB (sparse)
        (folder / ".hidden").write_text("ignored")
        return folder

    def test_bad_files_are_reported_and_skipped_the_rest_goes_in(self, batch):
        with pytest.raises(CommandError) as error:
            ingest(str(batch))
        assert error.value.returncode == 1
        assert Article.objects.count() == 2
        assert "5 of 7 inputs failed" in str(error.value)

    def test_each_bad_file_is_named_with_its_reason(self, batch):
        out = io.StringIO()
        with pytest.raises(CommandError):
            call_command("ingest", str(batch), "--no-progress", stdout=out)
        text = out.getvalue()
        assert "binary.bin: binary file" in text
        assert "empty.txt: empty file" in text
        assert "latin1.txt: not UTF-8 text" in text
        assert "short.txt: no article in it" in text
        assert "huge.txt: file too large: 52,428,800 bytes" in text
        assert ".hidden" not in text

    def test_missing_path_fails_the_run(self, tmp_path):
        with pytest.raises(CommandError):
            ingest(str(tmp_path / "nope.txt"))


class TestSavedWebPages:
    """A saved web page is read as one: its main text and its own metadata, never its markup."""

    def test_a_saved_page_gives_its_text_title_date_and_outlet(self, tmp_path, db):
        page = tmp_path / "rates.html"
        page.write_text(json_ld_page(), encoding="utf-8")
        call_command("ingest", str(page), "--no-progress", stdout=io.StringIO())
        article = Article.objects.get()
        assert article.title == TITLE
        assert "<" not in article.body and ARTICLE_TEXT.split("\n\n")[0] in article.body
        assert article.published_on is not None and article.outlet is not None
        assert all("<" not in claim.text for claim in Claim.objects.all())

    def test_a_page_is_recognized_by_its_content_whatever_its_name(self, tmp_path, db):
        page = tmp_path / "saved.txt"
        page.write_text(json_ld_page(), encoding="utf-8")
        call_command("ingest", str(page), "--no-progress", stdout=io.StringIO())
        assert Article.objects.get().title == TITLE

    def test_a_page_with_no_article_is_reported_and_the_rest_goes_in(self, tmp_path, db, seeds_dir):
        (tmp_path / "home.html").write_text(home_page(), encoding="utf-8")
        seed = sorted(seeds_dir.glob("*.txt"))[0]
        (tmp_path / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
        out = io.StringIO()
        with pytest.raises(CommandError):
            call_command("ingest", str(tmp_path), "--no-progress", stdout=out)
        assert "failed     " in out.getvalue() and "home.html" in out.getvalue()
        assert Article.objects.count() == 1


class TestInputKinds:
    """Addresses, files of addresses, stated metadata and followed feeds (a local server, never the internet)."""

    @pytest.fixture(autouse=True)
    def no_delay(self, settings):
        settings.INGEST_FETCHER = {"host_delay": 0, "read_timeout": 2}

    def test_addresses_and_a_file_of_addresses(self, tmp_path):
        routes = {f"/story/{n}": html(story_page(n)) for n in (1, 2, 3)}
        with Server(routes) as server:
            urls = tmp_path / "urls.txt"
            urls.write_text(f"# to read\n{server.url('/story/2')}\n\n{server.url('/missing')}\n", encoding="utf-8")
            out = io.StringIO()
            with pytest.raises(CommandError):
                call_command("ingest", server.url("/story/1"), "--urls", str(urls), "--no-progress", stdout=out)
        text = out.getvalue()
        assert "Articles: 2 new, 0 unchanged, 1 failed." in text
        assert f"failed     {server.url('/missing')}: 404 Not Found" in text
        assert set(Article.objects.values_list("url", flat=True)) == {server.url("/story/1"), server.url("/story/2")}

    def test_stated_metadata_beats_the_text(self, tmp_path, seeds_dir):
        seed = sorted(seeds_dir.glob("*.txt"))[0]
        ingest(
            str(seed),
            "--outlet",
            "Stated",
            "--date",
            "2019-05",
            "--author",
            "A One",
            "--author",
            "B Two",
            "--title",
            "Stated title",
            "--url",
            "https://stated.example/1",
            "--language",
            "en",
        )
        article = Article.objects.get()
        assert (article.outlet.name, article.title, article.authors) == ("Stated", "Stated title", "A One; B Two")
        assert (str(article.published_on), article.date_precision) == ("2019-05-01", "month")
        assert article.url == "https://stated.example/1" and article.metadata_sources["outlet"] == "explicit"

    def test_bad_stated_metadata_stops_before_anything(self, seeds_dir):
        with pytest.raises(CommandError, match="not a date"):
            ingest(str(seeds_dir), "--date", "yesterday")
        assert not Article.objects.exists()

    def test_follow_then_poll_twice(self):
        routes = {f"/story/{n}": html(story_page(n)) for n in (1, 2)}
        with Server(routes) as server:
            server.routes["/feed"] = (200, feed_of(server.base, ["/story/1", "/story/2"]).encode(), "text/xml")
            out = io.StringIO()
            call_command("follow", server.url("/feed"), stdout=out)
            assert out.getvalue().startswith("following")
            first, _ = ingest("--feeds")
            second, _ = ingest("--feeds")
            listed = io.StringIO()
            call_command("follow", "--list", stdout=listed)
        assert "Articles: 2 new, 0 unchanged, 0 failed." in first
        assert "Articles: 0 new, 0 unchanged, 0 failed." in second
        assert server.hits["/story/1"] == 1 and Article.objects.count() == 2
        assert "active" in listed.getvalue() and server.url("/feed") in listed.getvalue()

    def test_nothing_to_ingest(self):
        with pytest.raises(CommandError, match="nothing to ingest"):
            ingest()


def test_queue_wait_follows_the_jobs_it_queued_and_their_children_only():
    """What ``ingest --queue --wait`` asks twice a second: any of its jobs, or a job they expanded into, unfinished."""
    from django.utils import timezone

    from claims.management.commands.ingest import _pending
    from tests.factories import IngestJobFactory

    other = IngestJobFactory(state="queued")  # queued by someone else, before: not waited for
    first, second = IngestJobFactory(state="running"), IngestJobFactory(state="done", finished_at=timezone.now())
    ids = [first.pk, second.pk]
    assert _pending(ids) and not _pending([second.pk])
    first.state, first.finished_at = "done", timezone.now()
    first.save()
    assert not _pending(ids)
    child = IngestJobFactory(state="queued", parent=second)  # a record or entry job of one of them
    assert _pending(ids)
    child.state, child.finished_at = "failed", timezone.now()
    child.reason = "404"
    child.save()
    assert not _pending(ids) and not _pending([]) and other.state == "queued"
