"""Score the web-page reader on saved news pages (default: ../shared/data/html-news).

For each page listed in the folder's expected.json, read_webpage runs on the saved bytes
with the page's address, and the page counts as good when its main text holds every
``with`` snippet and no ``without`` snippet, and it has a title, a date and an outlet.
The pages themselves stay where they are: never copy them into the repository.

    python scripts/eval_html_news.py [--data DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extraction.webpage import NotAnArticle, read_webpage  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "html-news"


def score_page(data: bytes, url: str, expected: dict) -> dict:
    """One page's verdict: which checks passed, and why the others did not."""
    try:
        page = read_webpage(data, url=url)
    except NotAnArticle as exc:
        return {"ok": False, "error": str(exc), "missing": expected.get("with", []), "unwanted": []}
    text = page.text
    nfc = unicodedata.normalize("NFC", text)
    missing = [s for s in expected.get("with", []) if unicodedata.normalize("NFC", s) not in nfc]
    unwanted = [s for s in expected.get("without", []) if unicodedata.normalize("NFC", s) in nfc]
    checks = {
        "text": not missing and not unwanted,
        "title": bool(page.title),
        "date": page.published is not None,
        "outlet": bool(page.outlet),
    }
    date_right = None
    if expected.get("date") and page.published is not None:
        date_right = page.published.isoformat() == expected["date"]
    return {
        "ok": all(checks.values()),
        "checks": checks,
        "missing": missing,
        "unwanted": unwanted,
        "date_right": date_right,
        "page": page,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with expected.json and the pages")
    parser.add_argument("--verbose", "-v", action="store_true", help="print the snippets missed or unwanted")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # trafilatura logs each page it discards as a warning
    expected_file = args.data / "expected.json"
    if not expected_file.exists():
        print(f"no {expected_file}: pass --data", file=sys.stderr)
        return 2
    expected = json.loads(expected_file.read_text())

    totals = {"ok": 0, "text": 0, "title": 0, "date": 0, "outlet": 0, "date_right": 0, "dated_expected": 0}
    started = time.perf_counter()
    for url, spec in sorted(expected.items(), key=lambda item: item[1]["file"]):
        result = score_page((args.data / spec["file"]).read_bytes(), url, spec)
        totals["ok"] += result["ok"]
        if "error" in result:
            print(f"FAIL {spec['file']}: {result['error']}")
            continue
        for name, passed in result["checks"].items():
            totals[name] += passed
        if result["date_right"] is not None:
            totals["dated_expected"] += 1
            totals["date_right"] += result["date_right"]
        page = result["page"]
        flags = " ".join(name if passed else name.upper() + "?" for name, passed in result["checks"].items())
        print(
            f"{'ok  ' if result['ok'] else 'FAIL'} {spec['file']:<45} {flags:<24} "
            f"date={page.published} ({page.sources.get('published', '-')}) outlet={page.outlet!r}"
        )
        if args.verbose and (result["missing"] or result["unwanted"]):
            for snippet in result["missing"]:
                print(f"      missing: {snippet!r}")
            for snippet in result["unwanted"]:
                print(f"      unwanted: {snippet!r}")
    n = len(expected)
    elapsed = time.perf_counter() - started
    print(
        f"\n{totals['ok']}/{n} pages fully right; text {totals['text']}/{n}, title {totals['title']}/{n}, "
        f"date {totals['date']}/{n} (the expected day for {totals['date_right']}/{totals['dated_expected']}), "
        f"outlet {totals['outlet']}/{n}; {elapsed:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
