"""Small server-side SVG charts for the public pages: geometry here, drawing in the templates."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Bar", "YearChart", "build_year_chart"]

WIDTH = 640
HEIGHT = 180
TOP = 18
BOTTOM = 150  # the baseline; year labels go under it
LEFT = 24
RIGHT = WIDTH - 24


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    count: int
    show_label: bool

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def count_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass
class YearChart:
    bars: list[Bar]
    total: int
    undated: int
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = BOTTOM
    left: int = LEFT
    right: int = RIGHT

    @property
    def label_y(self) -> int:
        return self.baseline + 18


def build_year_chart(rows: list[tuple[int | None, int]]) -> YearChart:
    """One bar per year from the first to the last (empty years included); undated claims are counted apart."""
    undated = sum(n for year, n in rows if year is None)
    counts = {year: n for year, n in rows if year is not None}
    if not counts:
        return YearChart(bars=[], total=undated, undated=undated)
    years = list(range(min(counts), max(counts) + 1))
    slot = (RIGHT - LEFT) / len(years)
    width = max(min(slot * 0.7, 48), 2)
    tallest = max(counts.values())
    # Few enough labels to stay apart when the chart is drawn phone-wide (see site.css).
    label_every = 1 if len(years) <= 6 else 2 if len(years) <= 12 else 5 if len(years) <= 30 else 10
    bars = []
    for index, year in enumerate(years):
        n = counts.get(year, 0)
        height = round((BOTTOM - TOP - 14) * n / tallest, 1)
        x = round(LEFT + index * slot + (slot - width) / 2, 1)
        bars.append(
            Bar(
                x=x,
                y=round(BOTTOM - height, 1),
                width=round(width, 1),
                height=height,
                label=str(year),
                count=n,
                show_label=index % label_every == 0,
            )
        )
    return YearChart(bars=bars, total=sum(counts.values()) + undated, undated=undated)
