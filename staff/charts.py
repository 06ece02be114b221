"""Charts drawn on the server as SVG: no script and no inline style, so they
show under the admin's Content-Security-Policy (staff.middleware). Colours are
SVG presentation attributes, which style-src does not govern. Every chart is
shown beside a table of the same numbers (staff/sends.html).
"""

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 160
LABEL_WIDTH = 120


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str  # what a pointer over the bar shows: the number itself


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[tuple[float, float, str]]  # (x, y, text)
    anchor: str  # the labels' text-anchor: "middle" under columns, "end" before bars


def _scale(top: int, room: float) -> float:
    return room / top if top else 0.0


def columns(groups: list[tuple[str, list[tuple[int, str, str]]]]) -> Chart:
    """Grouped columns: one group per label (a day), one column per (value,
    colour, name) in it, all on one scale."""
    top = max((v for _, series in groups for v, _, _ in series), default=0)
    room = HEIGHT - 20
    per = _scale(top, room)
    slot = WIDTH / max(1, len(groups))
    bars, labels = [], []
    for i, (label, series) in enumerate(groups):
        width = slot * 0.8 / max(1, len(series))
        for j, (value, fill, name) in enumerate(series):
            height = value * per
            x = i * slot + slot * 0.1 + j * width
            bars.append(Bar(x, room - height, width, height, fill, f"{label} {name}: {value}"))
        if len(groups) <= 10 or i % max(1, len(groups) // 10) == 0:
            labels.append((i * slot + slot / 2, HEIGHT - 6, label))
    return Chart(WIDTH, HEIGHT, bars, labels, "middle")


def bars(rows: list[tuple[str, int]], *, fill: str, name: str) -> Chart:
    """Horizontal bars, one per (label, value), longest first as given."""
    row_height = 18
    top = max((v for _, v in rows), default=0)
    per = _scale(top, WIDTH - LABEL_WIDTH - 10)
    out, labels = [], []
    for i, (label, value) in enumerate(rows):
        y = i * row_height
        out.append(
            Bar(LABEL_WIDTH, y + 2, value * per, row_height - 4, fill, f"{label} {name}: {value}")
        )
        labels.append((LABEL_WIDTH - 6, y + row_height - 5, label))
    return Chart(WIDTH, max(row_height, row_height * len(rows)), out, labels, "end")
