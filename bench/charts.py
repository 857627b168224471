"""PNG charts of a run's medians, drawn by gnuplot (Debian `gnuplot-nox`), one file per area.

A chart is a grid of panels. A panel is one measurement in one unit: its groups (for example the concurrency of a
proxy run, or p50 and p99) along the x axis, one bar per tool in each group, the median printed on every bar and,
on every bar but farm's, that bar's value divided by farm's in the same group ("2.14× farm"). A goal is a dashed
line. A tool without a figure gets "n/a" where its bar would be. Every tool has one colour in every chart.
"""
import math
import os
import shutil
import subprocess
import textwrap
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

FARM_COLOUR = "#d95f02"
PALETTE = {
    "farm": FARM_COLOUR,
    "supervisord": "#1f78b4", "foreman": "#6a3d9a", "pm2": "#33a02c", "concurrently": "#a6761d",
    "chokidar": "#33a02c", "inotifywait": "#1f78b4",
    "direct": "#7f7f7f", "nginx": "#1f78b4", "http-proxy-middleware": "#33a02c",
    "openapi-typescript": "#1f78b4",
    "floor": "#bdbdbd",
}
OTHERS = ["#1f78b4", "#33a02c", "#6a3d9a", "#a6761d", "#e7298a", "#66a61e", "#7f7f7f"]


@dataclass
class Panel:
    title: str
    unit: str                       # y axis label, with the unit
    groups: List[str]               # along x
    series: List[str]               # one bar per series in each group
    values: Dict[Tuple[str, str], Optional[float]] = field(default_factory=dict)  # (group, series) -> median
    text: Dict[Tuple[str, str], str] = field(default_factory=dict)  # the printed value, when not fmt(value)
    log: bool = False
    goal: Optional[Tuple[float, str]] = None   # (value, label): a dashed line
    base: str = "farm"              # ratios are against this series in the same group; None for no ratios
    colours: Dict[str, str] = field(default_factory=dict)  # series -> colour, overriding the palette
    note: str = ""                  # one short line under the panel's title
    wide: bool = False              # a row of its own (many bars)
    names: Dict[str, str] = field(default_factory=dict)  # series -> what the legend and the x axis call it
    sub: Dict[Tuple[str, str], str] = field(default_factory=dict)  # (group, series) -> small print instead of a ratio

    def set(self, group, series, value, text=None, sub=None):
        self.values[(group, series)] = value
        if text is not None:
            self.text[(group, series)] = text
        if sub is not None:
            self.sub[(group, series)] = sub


def available():
    return shutil.which("gnuplot") is not None


def fmt(v, unit):
    if v is None:
        return "n/a"
    a = abs(v)
    if v == int(v) and a < 1e6 and not unit.startswith(("M ", "k ")):  # a count
        return f"{int(v):,}"
    if unit.endswith("/s)") or unit.startswith("requests") or unit.startswith("lines"):
        if a >= 1e6:
            return f"{v / 1e6:.2f} M"
        if a >= 1e3:
            return f"{v / 1e3:.1f} k"
        return f"{v:.0f}"
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.2g}"


def esc(s):
    """A string for a gnuplot double-quoted literal (the terminal is noenhanced: no other specials)."""
    return s.replace("\\", "\\\\").replace('"', '\\"')


def colour_of(panel, series, i):
    return panel.colours.get(series) or PALETTE.get(series) or OTHERS[i % len(OTHERS)]


def panel_script(p, index, px):
    n = len(p.series)
    gap = 1.0 if n > 1 else 0.6
    width = 1.0
    lines = []
    xs = {}
    for gi, g in enumerate(p.groups):
        for si, s in enumerate(p.series):
            xs[(g, s)] = gi * (n + gap) + si
    centres = [(gi * (n + gap) + (n - 1) / 2, g) for gi, g in enumerate(p.groups)]
    present = [v for v in p.values.values() if v is not None and (not p.log or v > 0)]
    top = max(present + ([p.goal[0]] if p.goal else []), default=1.0)
    bottom_pos = min([v for v in present if v > 0] + ([p.goal[0]] if p.goal else []), default=1.0)
    if p.log:
        ymin = 10 ** math.floor(math.log10(bottom_pos / 2)) if bottom_pos > 0 else 0.1
        ymax = 10 ** (math.log10(top) + (math.log10(top) - math.log10(ymin)) * 0.35)
        lines.append("set logscale y")
        lines.append(f"set yrange [{ymin:g}:{ymax:g}]")
        base_y = ymin
    else:
        lines.append("unset logscale y")
        ymin = min(0.0, min(present, default=0.0) * 1.25)
        lines.append(f"set yrange [{ymin:g}:{top * 1.32 if top > 0 else 1:g}]")
        base_y = 0.0
    lines.append(f"set xrange [-0.8:{(len(p.groups) - 1) * (n + gap) + n - 0.2}]")
    ratios = p.base and p.base in p.series and len(p.series) > 1
    note = "; ".join(x for x in (p.note, f"dashed line: {p.goal[1]}" if p.goal else "",
                                  "small print: bar ÷ farm's" if ratios and len(p.series) * len(p.groups) > 5 else "")
                     if x)
    lines_of_note = textwrap.wrap(note, max(30, int(px / 8.5))) if note else []
    title = "\\n".join(esc(x) for x in [p.title] + lines_of_note)
    lines.append(f'set title "{title}" font ",12"')
    lines.append(f'set ylabel "{esc(p.unit)}"')
    if len(p.groups) > 1:
        lines.append("set xtics (" + ", ".join(f'"{esc(g)}" {x:g}' for x, g in centres) + ") scale 0 font \",10\"")
    else:
        size = 10 if px / max(n, 1) >= 100 else 8
        lines.append("set xtics (" + ", ".join(f'"{esc(p.names.get(s, s))}" {xs[(p.groups[0], s)]:g}' for s in p.series)
                     + f") scale 0 font \",{size}\"")
    lines.append("unset label")
    lines.append("unset arrow")
    # value and ratio labels
    for (g, s), x in xs.items():
        v = p.values.get((g, s))
        if v is None or (p.log and v <= 0):
            lines.append(f'set label "n/a" at first {x:g}, graph 0.05 center font ",9" tc rgb "#555555" front')
            continue
        txt = p.text.get((g, s), fmt(v, p.unit))
        b = p.values.get((g, p.base)) if p.base else None
        ratio = None
        if p.base and s != p.base and b not in (None, 0) and v is not None:
            ratio = v / b
        small = p.sub.get((g, s))
        y = v if v >= 0 else 0
        lines.append(f'set label "{esc(txt)}" at first {x:g}, first {max(y, base_y) if not p.log else v:g} '
                     f'center offset 0,{1.9 if ratio is not None or small else 0.8} font ",9" front')
        if small:
            lines.append(f'set label "{esc(small)}" at first {x:g}, first {max(y, base_y) if not p.log else v:g} '
                         f'center offset 0,0.8 font ",8" tc rgb "#444444" front')
        elif ratio is not None:
            dense = len(p.series) * len(p.groups) > 5
            rt = (f"{ratio:.2f}×" if ratio < 100 else f"{ratio:.0f}×") + ("" if dense else " farm")
            lines.append(f'set label "{esc(rt)}" at first {x:g}, first {max(y, base_y) if not p.log else v:g} '
                         f'center offset 0,0.8 font ",8" tc rgb "#444444" front')
    if p.goal:
        gv, gl = p.goal
        lines.append(f'set arrow from graph 0, first {gv:g} to graph 1, first {gv:g} nohead dt 2 lw 1.5 '
                     f'lc rgb "#c00000" front')
    # data: one block per series so each gets its colour
    plots = []
    blocks = []
    for si, s in enumerate(p.series):
        name = f"$p{index}s{si}"
        rows = []
        for g in p.groups:
            v = p.values.get((g, s))
            if v is not None and (not p.log or v > 0):
                rows.append(f"{xs[(g, s)]:g} {v:g}")
        if not rows:
            rows.append("NaN NaN")
        blocks.append(f"{name} << EOD\n" + "\n".join(rows) + "\nEOD")
        title = f'title "{esc(p.names.get(s, s))}"' if len(p.groups) > 1 else "notitle"
        plots.append(f'{name} using 1:2:({width * 0.9}) with boxes fs solid 0.9 border lc rgb "#333333" '
                     f'lc rgb "{colour_of(p, s, si)}" {title}')
    lines.append("set key below horizontal font \",9\" samplen 1.5" if len(p.groups) > 1 else "unset key")
    return blocks, lines, "plot " + ", \\\n     ".join(plots)


def render(path, title, panels, cols=2, width=1000, row_height=380):
    """Writes a PNG of the panels to path; returns None, or why it could not."""
    if not panels:
        return "no figures"
    if not available():
        return "gnuplot is missing (Debian: apt-get install gnuplot-nox)"
    layout = []  # rows of panels
    for p in panels:
        if p.wide or not layout or len(layout[-1]) >= cols or layout[-1][0].wide:
            layout.append([p])
        else:
            layout[-1].append(p)
    height = len(layout) * row_height + 50
    script = [f'set terminal pngcairo size {width},{height} font "DejaVu Sans,10" noenhanced',
              f'set output "{esc(path)}"',
              "set style fill solid 0.9 border",
              "set boxwidth 0.9 absolute",
              "set grid ytics lc rgb '#dddddd'",
              "set border 3",
              "set ytics nomirror",
              "set xtics nomirror",
              "set format y '%g'",
              ]
    body = []
    datablocks = []
    top = 1 - 50 / height
    h = top / len(layout)
    i = 0
    for r, row in enumerate(layout):
        w = 1.0 if row[0].wide else 1.0 / cols
        for c, p in enumerate(row):
            blocks, settings, plot = panel_script(p, i, width * w)
            i += 1
            datablocks += blocks
            body.append(f"set origin {c * w:g},{top - (r + 1) * h:g}")
            body.append(f"set size {w:g},{h:g}")
            body += settings
            body.append(plot)
    script += datablocks
    script.append("set multiplot")
    script.append(f'set label 1000 "{esc(title)}" at screen 0.5, screen {1 - 22 / height:g} center font ",14"')
    script.append("set origin 0,0\nset size 1,1\nunset border\nunset tics\nunset key\nplot [0:1][0:1] NaN notitle")
    script.append("unset label 1000\nset border 3\nset tics\nset ytics nomirror\nset xtics nomirror")
    script += body
    script.append("unset multiplot")
    text = "\n".join(script) + "\n"
    gp = os.path.splitext(path)[0] + ".gp"
    with open(gp, "w") as f:
        f.write(text)
    try:
        r = subprocess.run(["gnuplot", gp], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"gnuplot failed: {e}"
    if r.returncode != 0 or not os.path.exists(path):
        return f"gnuplot failed: {r.stdout[-400:]}"
    os.remove(gp)
    return None
