"""Charts drawn with matplotlib: PNG for HTML and PDF; SVG on request. (Word reports
carry Word charts instead, written by ``docx_chart`` from the same ``Chart`` and with the
same colours, key and axis rules.)

Figures are made with ``matplotlib.figure.Figure`` directly, not pyplot, so no GUI
backend or global figure registry is involved (nothing to close, safe on servers). PNG
charts, the ones every Word, HTML and PDF report carries, are all drawn on one figure kept
per process (``_Canvas``): making the figure, axes and ticks was half of a chart's cost.
The legend is laid out from the labels' measured widths and the PNG is written by
``png_rgb``; a province's annual reports draw some 14 charts each.
The PNG is rendered at print resolution because the page scales it to the column; the SVG
keeps its text as glyph outlines so it looks the same on a machine without CJK fonts.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import math
import os
import struct
import zlib
from collections import OrderedDict
from typing import Any, Literal

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from planwatch.report.chart_cache import shared_cache
from planwatch.report.chart_cache import use_shared_cache as use_shared_cache
from planwatch.report.chart_rules import (
    COLOURS,
    HEIGHT_IN,
    PENDING,
    TARGET_COLOUR,
    VALUE_DECIMALS,
    WIDTH_IN,
    is_count,
    target_label,
)
from planwatch.report.fonts import chart_font
from planwatch.report.formatting import number
from planwatch.report.model import Chart

PNG_DPI = 150


_LABEL_GROUND = {"facecolor": "white", "edgecolor": "none", "pad": 0.4}
"""The ground under a point's label (its padding in points)."""


def _values(values: list[float | None]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def _count_axis(ax: Any, chart: Chart) -> None:
    values = [v for s in chart.series for v in s.values if v is not None and not math.isnan(v)]
    if chart.target is not None:
        values.append(chart.target)
    top = max(values, default=1.0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=2))
    ax.set_ylim(0, max(top * 1.2, top + 1))


def _pending(ax: Any, chart: Chart, x: list[int], family: str) -> list[str]:
    """Write 待审定 in the slot of each year whose figures await approval; returns the
    x tick labels with the note under those years."""
    labels = []
    bottom, top = ax.get_ylim()
    for xi, year in zip(x, chart.years, strict=True):
        if year in chart.pending_years:
            labels.append(f"{year}年\n（{PENDING}）")
            ax.axvspan(xi - 0.4, xi + 0.4, color="#f2f2f2", zorder=0)
            ax.text(xi, bottom + (top - bottom) * 0.5, PENDING, ha="center", va="center",
                    fontsize=8, family=family, color="#555555", rotation=90)
        else:
            labels.append(f"{year}年")
    return labels


def _frame(fig: Figure) -> Any:
    """The parts every chart shares, set once on a new figure: one axes at fixed margins,
    no top or right spine, a light horizontal grid and 8 pt CJK tick labels (set as tick
    parameters, so ticks made later carry them too)."""
    family = chart_font()
    ax = fig.add_subplot(1, 1, 1)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.tick_params(labelfontfamily=family)
    # Whole values on the y axis, never an offset or power ("+1.2e6") above it: readers
    # of a statistical report expect the figures themselves, and with nothing above the
    # axes the title has a fixed place (``_plot``) instead of one measured per chart.
    ax.ticklabel_format(axis="y", useOffset=False, style="plain")
    # The y labels get their 8 pt per chart (``_plot``): a tick parameter would also make
    # the automatic locator fit more ticks, as it sizes them by the tick parameters.
    ax.xaxis.set_tick_params(labelsize=8)
    # Fixed margins instead of tight_layout(): it would draw the whole figure once more
    # just to measure it, doubling the cost of every chart.
    fig.subplots_adjust(left=0.1, right=0.96, top=0.9, bottom=0.26)
    return ax


def _plot(ax: Any, chart: Chart) -> None:
    """What one chart shows, drawn on a framed axes that holds nothing else."""
    family = chart_font()
    x = list(range(len(chart.years)))
    n = max(len(chart.series), 1)
    bar_width = 0.8 / n
    above = ScaledTranslation(0, 5 / 72, ax.figure.dpi_scale_trans)
    entries: list[tuple[str, str, str]] = []
    for i, s in enumerate(chart.series):
        ys = _values(list(s.values))
        colour = COLOURS[i % len(COLOURS)]
        if chart.kind == "bar":
            offsets = [xi - 0.4 + bar_width * (i + 0.5) for xi in x]
            ax.bar(offsets, ys, width=bar_width, color=colour)
            entries.append(("bar", colour, s.name))
        else:
            ax.plot(x, ys, marker="o", color=colour, linewidth=1.8)
            entries.append(("line", colour, s.name))
            for xi, yi in zip(x, ys, strict=True):
                # Values are written on the first (main) series only: labels of
                # breakdown series would overlap it.
                if i == 0 and not math.isnan(yi):
                    # A plain text 5 pt above the point: an annotation would do the
                    # same with an arrow machinery and a clip test on every draw. On a
                    # white ground, so that the target's dashed line (or the series' own
                    # line) passing behind a label does not strike its digits through.
                    ax.text(xi, yi, number(yi, VALUE_DECIMALS), transform=ax.transData + above,
                            ha="center", fontsize=7, family=family, color=colour,
                            bbox=_LABEL_GROUND)
    if chart.target is not None:
        label = target_label(chart)
        ax.axhline(chart.target, color=TARGET_COLOUR, linestyle="--", linewidth=1.2)
        entries.append(("target", TARGET_COLOUR, label))
    if is_count(chart):
        _count_axis(ax, chart)
    else:
        ax.margins(y=0.2)
    # Every year of the chart keeps its place even without a value (a missing report), and
    # the last year's label ("2024年") is not cut at the figure's edge.
    ax.set_xlim(-0.4, len(x) - 0.6)
    ax.set_xticks(x, _pending(ax, chart, x, family))
    for label in ax.get_yticklabels():
        label.set_fontsize(8)
    ax.set_title(chart.title, fontfamily=family, fontsize=10, y=1.0)
    ax.set_ylabel(f"单位：{chart.unit}" if chart.unit else "", fontfamily=family, fontsize=8)
    _legend(ax, entries, family)


LEGEND_PT = 8
_HANDLE_PT = 16  # a line or swatch two characters long, as matplotlib's legend draws it
_GAP_PT = 6.4  # between a handle and its label
_COLUMN_PT = 16  # between one entry and the next in a row
_ROW_PT = 12
_PER_ROW = 4


@functools.lru_cache(maxsize=4096)
def _width_pt(text: str, family: str, size: float) -> float:
    """How wide ``text`` is set in ``family`` at ``size`` pt (for the legend's layout)."""
    font: Any = get_font(findfont(FontProperties(family=family, size=size)))
    font.set_size(size, 72)
    font.set_text(text, 0.0)
    width: float = font.get_width_height()[0] / 64
    return width


def _legend(ax: Any, entries: list[tuple[str, str, str]], family: str) -> None:
    """The key under the axes (so it never covers a series or the target line): up to
    four entries a row, each row centred, in reading order.

    Drawn as plain lines, swatches and texts at positions worked out here from the
    labels' widths, with matplotlib's legend spacing (handle two characters long, 0.8
    character to the label, two between entries): its ``Legend`` packs the same key
    through nested offset boxes measured several times per draw, about a tenth of a
    chart's time when measured.
    """
    if not entries:
        return
    fig = ax.figure
    width_pt, height_pt = (float(v) * 72 for v in fig.get_size_inches())
    box = ax.get_position()
    # The top of the key: 10 % of the axes' height under it, as the legend's anchor was,
    # less the legend's own padding (0.5 + 0.4 character of 8 pt).
    top = box.y0 * height_pt - 0.1 * box.height * height_pt - 7.2
    to_fig = fig.transFigure

    def fx(pt: float) -> float:
        return pt / width_pt

    def fy(pt: float) -> float:
        return pt / height_pt

    centre = (box.x0 + box.width / 2) * width_pt
    for start in range(0, len(entries), _PER_ROW):
        row = entries[start:start + _PER_ROW]
        widths = [_HANDLE_PT + _GAP_PT + _width_pt(label, family, LEGEND_PT)
                  for _, _, label in row]
        x = centre - (sum(widths) + _COLUMN_PT * (len(row) - 1)) / 2
        y = top - _ROW_PT * (start // _PER_ROW) - _ROW_PT / 2
        for (kind, colour, label), w in zip(row, widths, strict=True):
            if kind == "bar":
                ax.add_artist(Rectangle((fx(x), fy(y - 2.8)), fx(_HANDLE_PT), fy(5.6),
                                        transform=to_fig, color=colour, clip_on=False))
            else:
                line = Line2D([fx(x), fx(x + _HANDLE_PT)], [fy(y), fy(y)], transform=to_fig,
                              color=colour, clip_on=False,
                              linewidth=1.2 if kind == "target" else 1.8,
                              linestyle="--" if kind == "target" else "-")
                ax.add_artist(line)
                if kind == "line":
                    ax.add_artist(Line2D([fx(x + _HANDLE_PT / 2)], [fy(y)], transform=to_fig,
                                         marker="o", color=colour, clip_on=False))
            ax.text(fx(x + _HANDLE_PT + _GAP_PT), fy(y), label, transform=to_fig,
                    ha="left", va="center", fontsize=LEGEND_PT, family=family, clip_on=False)
            x += w + _COLUMN_PT


def figure(chart: Chart) -> Figure:
    """The chart as a new matplotlib figure (callers close it)."""
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN))
    _plot(_frame(fig), chart)
    return fig


class _Canvas:
    """One figure, axes and Agg canvas kept for the life of the process and redrawn for
    every PNG chart.

    Making a figure is most of a chart's cost: a new axes builds its spines, axis, ticks
    (each two lines and two texts) and a renderer whose text measurements start empty.
    Kept, only what a chart adds (lines, labels, the target, the legend) is made and
    removed again, and the texts every chart repeats ("2020年", tick values) are measured
    once. ``reset`` returns the axes to what ``_frame`` made, so the pixels are those of a
    new figure whatever was drawn before (tests compare both).
    """

    def __init__(self) -> None:
        self.fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=PNG_DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self.ax = _frame(self.fig)
        self.y_locator = self.ax.yaxis.get_major_locator()
        self.y_margin = self.ax.get_ymargin()

    def reset(self) -> None:
        ax = self.ax
        for container in list(ax.containers):
            container.remove()
        for artist in [*ax.lines, *ax.patches, *ax.texts, *ax.collections]:
            artist.remove()
        if ax.legend_ is not None:
            ax.legend_.remove()
        ax.relim()
        # A chart without a single value keeps the limits it starts with: a new axes's.
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_autoscale_on(True)
        ax.set_ymargin(self.y_margin)
        ax.yaxis.set_major_locator(self.y_locator)

    def png(self, chart: Chart) -> bytes:
        self.reset()
        _plot(self.ax, chart)
        buffer = io.BytesIO()
        _png_bytes(self.fig, self.canvas, buffer)
        return buffer.getvalue()


_canvas: _Canvas | None = None


def _png(chart: Chart) -> bytes:
    global _canvas
    if _canvas is None:
        _canvas = _Canvas()
    try:
        return _canvas.png(chart)
    except BaseException:
        _canvas = None  # half drawn: the next chart starts on a new figure
        raise


_CACHE_SIZE = 256
_cache: OrderedDict[tuple[str, str], bytes] = OrderedDict()


def chart_key(chart: Chart, fmt: str) -> str:
    """The chart's identity: a digest of everything it shows, and the output format."""
    return hashlib.sha256(f"{fmt}\0{chart!r}".encode()).hexdigest()


def render(chart: Chart, fmt: Literal["png", "svg"]) -> bytes:
    """The chart as PNG or SVG bytes; the same chart drawn again comes from a cache
    (a report written as Word and PDF draws each chart once), and with a shared folder
    (``use_shared_cache``) from the chart another process drew."""
    key = (repr(chart), fmt)
    cached = _cache.get(key)
    if cached is not None:
        _cache.move_to_end(key)
        return cached
    data = _from_shared(chart, fmt)
    if data is None:
        data = _draw(chart, fmt)
        _to_shared(chart, fmt, data)
    _cache[key] = data
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return data


def _from_shared(chart: Chart, fmt: str) -> bytes | None:
    folder = shared_cache()
    if folder is None:
        return None
    try:
        return (folder / f"{chart_key(chart, fmt)}.{fmt}").read_bytes()
    except FileNotFoundError:
        return None


def _to_shared(chart: Chart, fmt: str, data: bytes) -> None:
    """Written under a temporary name and renamed: a reader never sees half a chart."""
    folder = shared_cache()
    if folder is None:
        return
    target = folder / f"{chart_key(chart, fmt)}.{fmt}"
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def _draw(chart: Chart, fmt: Literal["png", "svg"]) -> bytes:
    if fmt == "png":
        return _png(chart)
    fig = figure(chart)
    try:
        buffer = io.BytesIO()
        with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "planwatch"}):
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()
    finally:
        fig.clear()


def _png_bytes(fig: Figure, canvas: FigureCanvasAgg, buffer: io.BytesIO) -> None:
    """Draw on Agg and write the pixels as a PNG file: the pixels ``savefig(dpi=PNG_DPI)``
    gives, as RGB since the background is opaque white."""
    canvas.draw()  # type: ignore[no-untyped-call]
    width, height = canvas.get_width_height()
    rgba = np.frombuffer(canvas.buffer_rgba(), dtype=np.uint8).reshape(height, width, 4)  # type: ignore[no-untyped-call]
    buffer.write(png_rgb(rgba[:, :, :3], PNG_DPI))


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body)))


def png_rgb(pixels: np.ndarray[Any, Any], dpi: int) -> bytes:
    """An 8-bit RGB PNG (ISO/IEC 15948) of ``pixels`` (height × width × 3), written here
    rather than by Pillow: Pillow tries the five PNG row filters on every row and keeps
    the best, which took longer than drawing the chart's texts. Charts are mostly flat
    white with lines and glyphs, so unfiltered rows at zlib level 3 come out no larger,
    in less than half the time. The resolution goes into pHYs (pixels per metre) so
    Word and LibreOffice show the chart at its print size."""
    height, width, _ = pixels.shape
    rows = np.empty((height, width * 3 + 1), dtype=np.uint8)
    rows[:, 0] = 0  # filter type None
    # Splitting the last axis is always a view, so the pixels are copied once, in place.
    rows[:, 1:].reshape(height, width, 3)[...] = pixels
    per_metre = int(dpi / 0.0254 + 0.5)
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
        _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        _chunk(b"IDAT", zlib.compress(rows.data, 3)),
        _chunk(b"IEND", b""),
    ))


def png(chart: Chart) -> bytes:
    return render(chart, "png")


def svg(chart: Chart) -> str:
    """SVG markup without the XML prolog, ready to inline in HTML."""
    text = render(chart, "svg").decode("utf-8")
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def png_data_uri(chart: Chart) -> str:
    return "data:image/png;base64," + base64.b64encode(png(chart)).decode("ascii")


def clear_cache() -> None:
    """Forget drawn charts (benchmarks measure the cost of drawing them)."""
    _cache.clear()
