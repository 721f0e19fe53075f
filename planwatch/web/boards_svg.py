"""A small line chart drawn as inline SVG: the page needs no script (the CSP forbids inline
ones) and no image request per indicator. Every text is escaped here, since the result goes
into the page as markup."""

from __future__ import annotations

from functools import lru_cache
from html import escape

from markupsafe import Markup

from planwatch.web.boards_data import Chart

WIDTH, HEIGHT = 360, 170
LEFT, RIGHT, TOP, BOTTOM = 46, 12, 14, 30


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def chart_svg(chart: Chart) -> Markup:
    """The approved yearly values, the target as a dashed line, 待审定 years as shaded bands.

    Drawn once per distinct chart: a board's charts come from an assessment that is kept until
    the data changes, so the same SVG was formatted again on every view of every target board
    (a third of the page's time). The key is the chart's whole content, so a new figure, target
    or 待审定 year draws it anew.
    """
    return _svg(chart.code, chart.name, chart.unit, tuple((p.year, p.value) for p in chart.points), chart.target,
                chart.target_year, tuple(chart.pending_years))


@lru_cache(maxsize=4096)
def _svg(code: str, name: str, unit: str, points: tuple[tuple[int, float | None], ...], target: float | None,
         target_year: int | None, pending_years: tuple[int, ...]) -> Markup:
    values = [v for _, v in points if v is not None]
    years = [yr for yr, _ in points] + list(pending_years)
    if target_year is not None:
        years.append(target_year)
    title = f"{code} {name}"
    if not years:
        return Markup(f'<p class="hint">{escape(title)}：暂无已审定数据</p>')
    lo_year, hi_year = min(years), max(years)
    span_year = max(hi_year - lo_year, 1)
    scale_values = values + ([target] if target is not None else [])
    lo, hi = (min(scale_values), max(scale_values)) if scale_values else (0.0, 1.0)
    pad = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1.0
    lo, hi = lo - pad, hi + pad

    def x(year: float) -> float:
        return LEFT + (year - lo_year) / span_year * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return TOP + (hi - value) / (hi - lo) * (HEIGHT - TOP - BOTTOM)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="chart" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" class="axis"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" class="axis"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" class="tick" text-anchor="end">{_num(hi)}</text>',
        f'<text x="{LEFT - 4}" y="{HEIGHT - BOTTOM}" class="tick" text-anchor="end">{_num(lo)}</text>',
    ]
    step = 1 if span_year <= 8 else 2
    for year in range(lo_year, hi_year + 1, step):
        anchor = "start" if year == lo_year else "end" if year == hi_year else "middle"
        parts.append(f'<text x="{x(year):.1f}" y="{HEIGHT - 10}" class="tick" text-anchor="{anchor}">{year}</text>')
    band = (WIDTH - LEFT - RIGHT) / span_year / 2
    for year in pending_years:
        parts.append(
            f'<rect x="{x(year) - band / 2:.1f}" y="{TOP}" width="{band:.1f}" height="{HEIGHT - TOP - BOTTOM}" '
            f'class="pending"><title>{year}年 待审定</title></rect>'
            f'<text x="{x(year):.1f}" y="{TOP + 10}" class="tick pending-label" text-anchor="middle">'
            f"{year} 待审定</text>"
        )
    if target is not None:
        ty = y(target)
        label = f"目标 {_num(target)}" + (f"（{target_year}年）" if target_year else "")
        parts.append(f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" class="target"/>'
                     f'<text x="{WIDTH - RIGHT}" y="{ty - 3:.1f}" class="tick target-label" text-anchor="end">'
                     f"{escape(label)}</text>")
    known = [(yr, v) for yr, v in points if v is not None]
    if len(known) > 1:
        path = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in known)
        parts.append(f'<polyline points="{path}" class="line"/>')
    for yr, v in known:
        parts.append(f'<circle cx="{x(yr):.1f}" cy="{y(v):.1f}" r="3" class="dot">'
                     f"<title>{yr}年：{_num(v)}{escape(unit)}</title></circle>")
    parts.append("</svg>")
    return Markup("".join(parts))
