"""Shared helpers of the browser tests: the two screen sizes, visiting a page with a screenshot, and measuring
click targets."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
PASSWORD = "correct horse battery staple"  # tests/factories.py UserFactory

# WCAG 2.2, 2.5.8 Target Size (Minimum): at least 24 x 24 CSS pixels.
MIN_TARGET = 24


def visit(page, url: str, *, shot: str | None = None, viewport: str = "desktop", status: int = 200) -> None:
    """Open ``url``, check its status and that nothing is wider than the screen; with ``shot``, save a full-page
    screenshot as artifacts/screenshots/<shot>-<viewport>.png."""
    response = page.goto(url)
    assert response.status == status, (url, response.status)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"], f"{url} is {width}px wide on {viewport}: {sticking_out(page)}"
    if shot:
        screenshot(page, f"{shot}-{viewport}")


STICKING_OUT = """
() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.right > width + 0.5 && box.width > 0) {
      const classes = typeof element.className === "string" ? element.className.trim().replace(/\\s+/g, ".") : "";
      out.push(`${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}${classes ? "." + classes : ""}`
        + ` right=${box.right.toFixed(1)}`);
    }
  }
  return out.slice(0, 12);
}
"""


def sticking_out(page) -> list[str]:
    """The elements whose right edge is past the screen's (the first 12)."""
    return page.evaluate(STICKING_OUT)


SCROLLING_SIDEWAYS = """
() => [...document.querySelectorAll("main *")]
  .filter((element) => ["auto", "scroll"].includes(getComputedStyle(element).overflowX))
  .filter((element) => element.scrollWidth > element.clientWidth + 1)
  .map((element) => `${element.tagName.toLowerCase()}.${String(element.className).trim().split(/\\s+/).join(".")}`
    + ` ${element.scrollWidth} > ${element.clientWidth}`)
"""


def scrolling_sideways(page) -> list[str]:
    """The boxes of the page's main content that scroll sideways (wider inside than they are)."""
    return page.evaluate(SCROLLING_SIDEWAYS)


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# target_sizes.js: every link, button, form control and <details> toggle in the page's <main>, with its box, except:
# - those not drawn (display: none, zero size, or clipped to 1 px by .visually-hidden);
# - select2's search field inside the admin's autocomplete box (the box, as tall as a field, takes the click);
# - links inside the SVG charts: each timeline dot leads to the page the table row's link leads to (WCAG's
#   "equivalent" exception);
# - inline links in running text (WCAG's "inline" exception): a link laid out inline (computed display "inline",
#   so not a flex or grid item, not inline-block) whose block holds at least three words of its own outside any
#   link or control, i.e. a link inside a sentence, whose height is the line's. A link alone in a table cell,
#   a list item, a pager, a legend or a form has no such words around it and is measured.
MEASURE_TARGETS = (Path(__file__).parent / "target_sizes.js").read_text()


def small_targets(page, *, spacing: bool = False) -> list[str]:
    """The click targets of the page's main content lower or narrower than MIN_TARGET px (see MEASURE_TARGETS);
    opens every <details> of <main> to measure what it folds away. With ``spacing`` (the admin's pages, whose lists
    are dense by design), a smaller target passes under WCAG's spacing exception: a circle MIN_TARGET px across
    centred on it meets no other target and no other small target's circle (the checkbox of a queue row, say)."""
    return page.evaluate(MEASURE_TARGETS, [MIN_TARGET, spacing])
