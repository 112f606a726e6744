"""The dashboard's charts drawn as static SVG for the PDF, in Python (issue 13).

The page draws a chart's Vega-Lite spec with vega-embed; the PDF needs only a picture of the same
chart, and Vega's renderer (vl-convert) took about 0.1 s a chart, more than the rest of a chi bộ
report's work. This module draws the four shapes that ``reports/charts.py`` builds from the spec's
own data and its ``usermeta`` (the shape, the number format, the series and their order), with the
same palette, the same Vietnamese numbers and the PDF's serif font, whose metrics measure the labels.

- ``bar``: a band per label, the bar and its value at its end;
- ``grouped_bar``: a band per label, a bar per series, the series' colours in a legend on top;
- ``pyramid``: a band per age band, the men's bars to the left of the axis and the women's right;
- ``line_by_month``: a point per month and series, joined by the series' line.
"""

import functools
import math
from html import escape
from pathlib import Path

from django.conf import settings
from PIL import ImageFont

FONT_SIZE = 13
TITLE_SIZE = 15
PAD = 5
LABEL_LIMIT = 260  # px: a longer label is cut with "…", as on the page
LINE_HEIGHT = 200  # px: the plot of a line chart, Vega-Lite's default for a continuous axis
GRID = "#dddddd"
AXIS = "#888888"
TEXT = "#000000"


def draw(spec: dict, *, width: int, font_family: str, palette: list[str], bar_step: int) -> str:
    """The chart of ``spec`` (built by ``reports/charts.py``) as an SVG document ``width`` px wide."""
    meta = spec["usermeta"]
    canvas = _Canvas(width, font_family)
    top = canvas.title(spec["title"]["text"])
    kind = meta["kind"]
    values = spec["data"]["values"]
    if kind == "line":
        _line(canvas, top, values, meta, palette)
    else:
        _bars(canvas, top, values, meta, palette, bar_step)
    return canvas.document()


# The shapes -------------------------------------------------------------------------------------------


def _bars(canvas, top, values, meta, palette, bar_step):
    """Horizontal bars (``bar``, ``grouped_bar`` and ``pyramid``): labels on the left in the rows'
    order (the pyramid's youngest band at the bottom), values along the x axis at the bottom."""
    kind, fmt = meta["kind"], meta["format"]
    series = meta.get("series") or []
    colors = meta.get("colors") or {name: palette[i % len(palette)] for i, name in enumerate(series)}
    if series:
        top = canvas.legend(top, [(name, colors[name]) for name in series])
    labels = list(dict.fromkeys(datum["label"] for datum in values))
    if kind == "pyramid":
        labels.reverse()
    signed = [_signed(datum, meta) for datum in values]
    low, high, step = _nice(min([0, *signed]), max([0, *signed]), meta.get("min_step", 1), canvas.width / 80)
    shown = {label: canvas.cut(label) for label in labels}
    left = PAD + max((canvas.measure(text) for text in shown.values()), default=0) + 8
    value_texts = [] if kind == "pyramid" else [_format(datum["value"], fmt) for datum in values]
    right = canvas.width - PAD - (max(map(canvas.measure, value_texts), default=0) + 6)
    right = max(right, left + 40)
    x = _scale(low, high, left, right)
    # A grouped band holds a half-step bar per series and half a step between the groups.
    sub = bar_step // 2 if kind == "grouped" else bar_step
    band = sub * len(series) if kind == "grouped" else bar_step
    group = band + (sub if kind == "grouped" else 0)
    plot_top, plot_bottom = top, top + group * len(labels)
    canvas.x_axis(low, high, step, x, plot_top, plot_bottom, fmt, absolute=kind == "pyramid")
    rows = {label: index for index, label in enumerate(labels)}
    for datum, value in zip(values, signed, strict=True):
        index = rows[datum["label"]]
        y = plot_top + group * index + (group - band) / 2
        height = bar_step - 4
        if kind == "grouped":
            y += series.index(datum["series"]) * sub
            height = sub - 1
        color = colors[datum["series"]] if series else palette[0]
        start, end = sorted((x(0), x(value)))
        canvas.rect(start, y + 1, end - start, height, color)
        if kind != "pyramid":
            canvas.text(end + 3, y + 1 + height / 2, _format(datum["value"], fmt), anchor="start")
    for label, index in rows.items():
        canvas.text(left - 6, plot_top + group * index + group / 2, shown[label], anchor="end")
    canvas.line(x(0), plot_top, x(0), plot_bottom, AXIS)
    canvas.value_title(meta.get("value_title"), (left + right) / 2)


def _line(canvas, top, values, meta, palette):
    """A line per series over the months in calendar order, a point per month that has a value."""
    fmt, series = meta["format"], meta["series"]
    colors = {name: palette[i % len(palette)] for i, name in enumerate(series)}
    top = canvas.legend(top, [(name, colors[name]) for name in series])
    months = meta["table"]["rows"]
    numbers = [datum["value"] for datum in values]
    low, high, step = _nice(min([0, *numbers]), max([0, *numbers]), meta.get("min_step", 1), LINE_HEIGHT / 40)
    ticks = _ticks(low, high, step)
    left = PAD + max(canvas.measure(_format(tick, fmt)) for tick in ticks) + 8
    right = canvas.width - PAD
    plot_top, plot_bottom = top + 6, top + 6 + LINE_HEIGHT
    y = _scale(low, high, plot_bottom, plot_top)
    for tick in ticks:
        canvas.line(left, y(tick), right, y(tick), GRID)
        canvas.text(left - 4, y(tick), _format(tick, fmt), anchor="end")
    canvas.line(left, plot_bottom, right, plot_bottom, AXIS)
    slot = (right - left) / len(months)
    x = {month: left + slot * (index + 0.5) for index, month in enumerate(months)}
    for month in months:
        canvas.text(x[month], plot_bottom + 15, month, anchor="middle")
    canvas.bottom = plot_bottom + 22
    for name in series:
        points = [(x[d["label"]], y(d["value"])) for d in values if d["series"] == name]
        points.sort()
        if len(points) > 1:
            canvas.polyline(points, colors[name])
        for px, py in points:
            canvas.circle(px, py, 4.4, colors[name])
    canvas.value_title(meta.get("value_title"), (left + right) / 2)


# Scales and numbers -----------------------------------------------------------------------------------


def _signed(datum: dict, meta: dict) -> float:
    """A pyramid's left series counts leftwards."""
    value = datum["value"] or 0
    return -value if meta["kind"] == "pyramid" and datum.get("series") == meta["series"][0] else value


def _nice(low: float, high: float, min_step: float, count: float) -> tuple[float, float, float]:
    """The axis' domain widened to whole ticks, and the tick step: 1, 2 or 5 times a power of ten for
    about ``count`` ticks (d3's rule), never under ``min_step`` (a count has no half tick)."""
    if high == low:
        high = low + max(min_step, 1)
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    error = raw / power
    factor = (
        10 if error >= math.sqrt(50) else 5 if error >= math.sqrt(10) else 2 if error >= math.sqrt(2) else 1
    )
    step = max(factor * power, min_step)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _ticks(low: float, high: float, step: float) -> list[float]:
    count = round((high - low) / step)
    return [low + step * index for index in range(count + 1)]


def _scale(low, high, start, end):
    span = (high - low) or 1
    return lambda value: start + (value - low) / span * (end - start)


def _format(value, fmt: str) -> str:
    """A number the Vietnamese way, by the d3 format of the spec: ",d" (2.020), ",.1~f" (76,5 and 100)
    or ",.1f" (32,0)."""
    value = value or 0
    if fmt.endswith("d"):
        text = f"{round(value):,}"
    else:
        decimals = int(fmt.split(".")[1].rstrip("f~"))
        text = f"{value:,.{decimals}f}"
        if "~" in fmt and "." in text:
            text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@functools.cache
def _font(size: int, bold: bool):
    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    path = Path(settings.REPORT_FONT_DIR) / name
    return ImageFont.truetype(str(path), size) if path.exists() else None


# Drawing ----------------------------------------------------------------------------------------------


class _Canvas:
    def __init__(self, width: int, font_family: str):
        self.width = width
        self.font_family = font_family
        self.parts: list[str] = []
        self.bottom = 0.0

    def measure(self, text: str, size: int = FONT_SIZE, bold: bool = False) -> float:
        font = _font(size, bold)
        return font.getlength(text) if font else 0.55 * size * len(text)

    def cut(self, text: str) -> str:
        if self.measure(text) <= LABEL_LIMIT:
            return text
        while text and self.measure(text + "…") > LABEL_LIMIT:
            text = text[:-1]
        return text.rstrip() + "…"

    def title(self, text: str) -> float:
        self.parts.append(
            f'<text x="{PAD}" y="{PAD + TITLE_SIZE}" font-size="{TITLE_SIZE}" font-weight="bold" '
            f'fill="{TEXT}">{escape(text)}</text>'
        )
        return PAD + TITLE_SIZE + 10

    def legend(self, top: float, entries: list[tuple[str, str]]) -> float:
        """The series' colours in a row (wrapped when it is full); returns the y below it."""
        x, y = PAD, top
        for name, color in entries:
            width = 14 + self.measure(name) + 16
            if x > PAD and x + width > self.width - PAD:
                x, y = PAD, y + 18
            self.rect(x, y + 2, 10, 10, color)
            self.text(x + 14, y + 7, name, anchor="start")
            x += width
        return y + 24

    def x_axis(self, low, high, step, x, plot_top, plot_bottom, fmt, *, absolute=False):
        for tick in _ticks(low, high, step):
            self.line(x(tick), plot_top, x(tick), plot_bottom, GRID)
            self.line(x(tick), plot_bottom, x(tick), plot_bottom + 4, AXIS)
            self.text(
                x(tick), plot_bottom + 16, _format(abs(tick) if absolute else tick, fmt), anchor="middle"
            )
        self.line(x(low), plot_bottom, x(high), plot_bottom, AXIS)
        self.bottom = plot_bottom + 22

    def value_title(self, text: str | None, center: float) -> None:
        if text:
            self.text(center, self.bottom + 8, text, anchor="middle")
            self.bottom += 18

    def text(self, x, y, text, *, anchor):
        self.parts.append(
            f'<text x="{x:.1f}" y="{y + FONT_SIZE * 0.35:.1f}" font-size="{FONT_SIZE}" '
            f'text-anchor="{anchor}" fill="{TEXT}">{escape(str(text))}</text>'
        )

    def rect(self, x, y, width, height, color):
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{height:.1f}" '
            f'fill="{color}"/>'
        )

    def line(self, x1, y1, x2, y2, color):
        self.parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" '
            'stroke-width="1"/>'
        )

    def polyline(self, points, color):
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        self.parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')

    def circle(self, x, y, radius, color):
        self.parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{color}"/>')

    def document(self) -> str:
        height = math.ceil(self.bottom + PAD)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{height}" '
            f'viewBox="0 0 {self.width} {height}" font-family="{escape(self.font_family)}">'
            + "".join(self.parts)
            + "</svg>"
        )
