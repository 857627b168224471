"""The parts of a run's report that every area shares: the machine facts, the table of ratios and goals, the charts,
and the results file itself.

The goals are listed here once, each with the issue that set it, so that the table names every goal in every run:
one that was not measured says why (the area was not run, or a peer that its ratio needs is missing). Each area
fills in what it measured with `SUMMARY.goal(key, measured, met)` and adds its other headline figures with
`SUMMARY.row(...)`; `SUMMARY.panel(area, Panel)` adds a panel to the area's chart.
"""
import io
import os
import platform
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Optional

import charts


@dataclass(frozen=True)
class Goal:
    key: str
    area: str
    text: str
    source: str


ISSUE = {2: "#2 walking skeleton", 4: "#4 farm-process", 5: "#5 farm-watch", 6: "#6 farm-proxy", 7: "#7 farm-codegen",
         8: "#8 farm-cli"}
NOTES_WATCH = "#5, figures from shared/notes/proxy-and-watch.md §4"
NOTES_PROXY = "#6, shared/notes/proxy-and-watch.md §2.4"

GOALS = [
    Goal("ready-latency", "supervisor", "readiness detected after the port opens: median ≤ 30 ms", ISSUE[4]),
    Goal("stop-50", "supervisor", "stop 50 services (75 processes): median ≤ 1 s, no survivor", ISSUE[4]),
    Goal("log-throughput", "supervisor", "log throughput to the file sink ≥ 300,000 lines/s, no line lost", ISSUE[4]),
    Goal("watch-window", "watch", "write → batch, default window (100 ms quiet): p50 ≤ 120 ms, p99 ≤ 200 ms, none "
         "missed", ISSUE[5]),
    Goal("watch-raw", "watch", "write → raw event (window 0): p50 ≤ 2 ms, p99 ≤ 20 ms, none missed", NOTES_WATCH),
    Goal("watch-storm", "watch", "1,000 files in 50 new folders in one burst (a checkout): exactly 1 batch, no path "
         "missing", ISSUE[5]),
    Goal("watch-node-modules", "watch", "0 inotify watches under node_modules; watches ≤ non-ignored folders",
         ISSUE[5]),
    Goal("proxy-nginx", "proxy", "throughput ≥ 0.8× nginx (keep-alive), c=32", ISSUE[6]),
    Goal("proxy-hpm", "proxy", "throughput ≥ 5× http-proxy-middleware, c=32", ISSUE[6]),
    Goal("proxy-latency", "proxy", "added median latency at one connection ≤ 100 µs", ISSUE[6]),
    Goal("proxy-cpu", "proxy", "proxy CPU per request ≤ 50 µs, c=32", ISSUE[6]),
    Goal("proxy-errors", "proxy", "0 socket errors and 0 non-2xx under load", NOTES_PROXY),
    Goal("proxy-conns", "proxy", "≤ 1 new upstream connection per 1,000 requests", NOTES_PROXY),
    Goal("codegen-warm", "codegen", "Stripe (4.2 MB) warm in-process ≤ 1.0× openapi-typescript's own reported time",
         ISSUE[7]),
    Goal("codegen-cold", "codegen", "Stripe cold, JVM start included, ≤ 1.5× openapi-typescript's wall time",
         ISSUE[7]),
    Goal("codegen-fastapi", "codegen", "each FastAPI corpus spec warm ≤ 100 ms", ISSUE[7]),
    Goal("cli-version", "cli", "`farm --version` ≤ 250 ms (median of 10), with and without the CDS archive",
         ISSUE[8]),
    Goal("cli-ps", "cli", "`farm ps` against a running stack ≤ 250 ms (median of 10), with and without the CDS "
         "archive", ISSUE[8]),
    Goal("hello-ready", "cli", "`farm dev -C examples/hello`: every service ready within 15 s", ISSUE[2]),
]
GOAL_BY_KEY = {g.key: g for g in GOALS}
AREAS = ["supervisor", "watch", "codegen", "proxy", "cli"]


class Summary:
    def __init__(self):
        self.rows = []        # (area, measurement, farm, peers, goal key or None)
        self.goals = {}       # key -> (measured, met: True/False/None, note)
        self.panels = {}      # area -> [Panel]
        self.skipped = {}     # area -> why it was not run or not complete
        self.missing = []     # (peer key, why, what is left out)

    def row(self, area, measurement, farm, peers="", goal=None):
        self.rows.append((area, measurement, farm, peers, goal))

    def goal(self, key, measured, met, note=""):
        assert key in GOAL_BY_KEY, key
        self.goals[key] = (measured, met, note)

    def panel(self, area, panel):
        self.panels.setdefault(area, []).append(panel)

    def skip(self, area, why):
        self.skipped[area] = why

    def verdict(self, key, areas_run):
        g = GOAL_BY_KEY[key]
        if key in self.goals:
            measured, met, note = self.goals[key]
            word = {True: "met", False: "**not met**", None: "n/a"}[met]
            return measured, f"{word}: {measured}" + (f" ({note})" if note else "")
        if g.area not in areas_run:
            return "not measured", "not run: the area was not in this run"
        why = self.skipped.get(g.area)
        return "not measured", f"not measured: {why}" if why else "not measured"

    def markdown(self, areas_run):
        """The table of ratios and goals: every headline figure, and every goal with its verdict."""
        out = ["| area | measurement | farm | peers (peer ÷ farm) | goal | set by | verdict |",
               "| --- | --- | --- | --- | --- | --- | --- |"]
        shown = set()
        for area in AREAS:
            for a, measurement, farm, peers, key in self.rows:
                if a != area:
                    continue
                goal_text, source, verdict = "-", "-", "-"
                if key:
                    shown.add(key)
                    g = GOAL_BY_KEY[key]
                    goal_text, source = g.text, g.source
                    _, verdict = self.verdict(key, areas_run)
                out.append(f"| {area} | {measurement} | {farm} | {peers or '-'} | {goal_text} | {source} | {verdict} |")
            for g in GOALS:
                if g.area == area and g.key not in shown:
                    measured, verdict = self.verdict(g.key, areas_run)
                    out.append(f"| {area} | (goal) | {measured} | - | {g.text} | {g.source} | {verdict} |")
        return "\n".join(out) + "\n"

    def goal_counts(self, areas_run):
        met = sum(1 for k, (_, m, _) in self.goals.items() if m is True)
        not_met = [GOAL_BY_KEY[k].text for k, (_, m, _) in self.goals.items() if m is False]
        unmeasured = [g.text for g in GOALS if g.key not in self.goals or self.goals[g.key][1] is None]
        return met, not_met, unmeasured


SUMMARY = Summary()


# ----------------------------------------------------------------------------------------------- machine facts
def first_line(cmd):
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=20)
        return r.stdout.strip().splitlines()[0]
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return "not found"


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def machine_facts():
    cpuinfo = read("/proc/cpuinfo")
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    flags = re.search(r"^flags\s*:\s*(.+)$", cpuinfo, re.M)
    mem = re.search(r"^MemTotal:\s*(\d+)", read("/proc/meminfo"), re.M)
    avail = re.search(r"^MemAvailable:\s*(\d+)", read("/proc/meminfo"), re.M)
    osname = re.search(r'^PRETTY_NAME="?([^"\n]+)', read("/etc/os-release"), re.M)
    governor = read("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor").strip() or "n/a (no cpufreq)"
    virt = "yes (the CPU flags name a hypervisor)" if flags and " hypervisor" in f" {flags.group(1)}" else "no"
    load = " ".join(read("/proc/loadavg").split()[:3])
    return [
        ("CPU", f"{model.group(1) if model else platform.processor() or '?'}, {os.cpu_count()} CPUs online"),
        ("virtual machine", virt),
        ("CPU frequency governor", governor),
        ("memory", f"{int(mem.group(1)) / 2 ** 20:.1f} GiB, {int(avail.group(1)) / 2 ** 20:.1f} GiB available at the "
                   "start" if mem and avail else "?"),
        ("OS, kernel", f"{osname.group(1) if osname else '?'}, Linux {platform.release()}"),
        ("load average at the start (1, 5, 15 min)", load),
    ]


class Noise:
    """CPU the rest of the machine used while an area ran: the machine's busy time (/proc/stat) less this process's
    and its reaped children's (every tool, service and load generator the harness started and waited for). A service
    killed after its parent tool died is reaped by init, so its CPU counts as other load: these figures are an upper
    bound, good for telling a quiet run from a busy one."""

    def __init__(self):
        self.t0 = time.monotonic()
        self.busy0, self.steal0 = self.machine()
        self.own0 = self.own()

    @staticmethod
    def machine():
        fields = [int(v) for v in read("/proc/stat").splitlines()[0].split()[1:]]
        user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
        return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK"), steal / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def own():
        s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime

    def result(self):
        """(other load, steal), each in % of one CPU, over the time since construction."""
        busy, steal = self.machine()
        secs = max(time.monotonic() - self.t0, 1e-3)
        other = max(0.0, (busy - self.busy0) - (self.own() - self.own0))
        return other / secs * 100, (steal - self.steal0) / secs * 100


# ------------------------------------------------------------------------------------------------ output file
class Tee(io.TextIOBase):
    """Standard output, also kept in memory so the results file can be put together at the end."""

    def __init__(self, stream):
        self.stream = stream
        self.buffer_ = io.StringIO()

    def write(self, s):
        self.stream.write(s)
        self.buffer_.write(s)
        return len(s)

    def flush(self):
        self.stream.flush()

    def text(self):
        return self.buffer_.getvalue()

    def mark(self):
        return self.buffer_.tell()


def render_charts(prefix, title_of, rel_to):
    """One PNG per area with panels; returns (markdown lines, problems)."""
    lines, problems = [], []
    for area in AREAS:
        panels = SUMMARY.panels.get(area)
        if not panels:
            continue
        path = f"{prefix}-{area}.png"
        why = charts.render(path, title_of(area), panels)
        if why:
            problems.append(f"{area}: {why}")
        else:
            lines.append(f"![{area}]({os.path.relpath(path, rel_to)})")
    return lines, problems


README_BEGIN = "<!-- latest full run: begin (written by bench/run after a full run; edit outside these lines) -->"
README_END = "<!-- latest full run: end -->"


def update_readme(readme, results_file, summary_md, chart_lines, facts_md, command):
    """Replaces the README's block between the markers with this full run's table, charts and machine facts."""
    try:
        with open(readme) as f:
            text = f.read()
    except OSError:
        return "no README"
    if README_BEGIN not in text or README_END not in text:
        return "the README has no block markers"
    here = os.path.dirname(readme)
    rel = os.path.relpath(results_file, here)
    block = [README_BEGIN, "",
             f"From [`{rel}`]({rel}), made by `{command}`.", "",
             facts_md.rstrip(), "", summary_md.rstrip(), ""]
    for line in chart_lines:
        m = re.match(r"!\[(.*)\]\((.*)\)", line)
        if m:
            path = os.path.relpath(os.path.join(os.path.dirname(results_file), m.group(2)), here)
            block.append(f"![{m.group(1)}]({path})")
    block += ["", README_END]
    start, end = text.index(README_BEGIN), text.index(README_END) + len(README_END)
    with open(readme, "w") as f:
        f.write(text[:start] + "\n".join(block) + text[end:])
    return None


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def say(msg):
    print(f"bench: {msg}", file=sys.__stderr__)


def fmt_ms(v, digits=None):
    """A duration in ms for a table: µs below 1 ms, s from 10 s."""
    if v is None:
        return "n/a"
    if abs(v) >= 10_000:
        return f"{v / 1000:,.1f} s"
    if abs(v) < 1:
        return f"{v * 1000:,.0f} µs"
    d = digits if digits is not None else (1 if abs(v) < 100 else 0)
    return f"{v:,.{d}f} ms"


def ratio_text(peer, farm, digits=2):
    if peer is None or farm in (None, 0):
        return "n/a"
    return f"{peer / farm:.{digits}f}×"


def peers_cell(items):
    """'pm2 3.55 s (7.83×), supervisord 971 ms (2.14×)' from (name, text, ratio or reason)."""
    return ", ".join(f"{name} {text}" + (f" ({extra})" if extra else "") for name, text, extra in items)


def optional(v: Optional[float], f):
    return "n/a" if v is None else f(v)
