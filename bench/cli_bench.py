"""The cli area: how long `farm --version` and `farm ps` take from exec to exit, next to the peers' nearest commands.

`farm ps` needs a running farm with its control API: `./farm dev -C DIR` runs examples/hello (copied, on free ports,
so a hello stack someone else runs on this machine is never in the way), which also times the walking skeleton's
goal (every service ready within 15 s). The peers' status commands ask a stack of theirs with as many services:
`supervisorctl status` a supervisord, `pm2 ls` a pm2-runtime. foreman and concurrently have no way to ask a running
stack anything. farm is timed three ways: the `./farm` launcher as users run it (its staleness check, the CDS archive
it keeps itself, C1 only for client commands), `java -jar farm.jar` with the JVM's defaults (no archive of farm's
classes), and the same with a dynamic CDS archive made first from the same arguments (-XX:ArchiveClassesAtExit),
which is what bench/cli-start.sh does. Rounds run every command once, in an order rotated each round.
"""
import os
import re
import resource
import shutil
import signal
import subprocess
import threading
import time

import procs
import tools
from charts import Panel
from report import SUMMARY, peers_cell, ratio_text

ROOT = os.path.dirname(tools.BENCH)
FARM = os.path.join(ROOT, "farm")
JAR = os.path.join(ROOT, "farm-cli", "target", "farm.jar")
HELLO = os.path.join(ROOT, "examples", "hello")
QUIET = ["-Xlog:cds=off", "-Xlog:cds+dynamic=off"]
ALL_READY = re.compile(r"all (\d+) services ready in ([\d.]+)s")


class FarmDevRun(tools.Run):
    """`./farm dev -C DIR` in its own session, its output read line by line with each line's arrival time."""

    tool = "farm dev"

    def __init__(self, rundir, tag, project):
        super().__init__(rundir, tag, [])
        self.project = project
        self.lines = []
        self.cond = threading.Condition()

    def argv(self):
        return [FARM, "dev", "-C", self.project]

    def start(self):
        tools.ACTIVE.append(self)
        self.out = open(os.path.join(self.rundir, "out.log"), "wb")
        self.spawned = time.monotonic_ns()
        self.proc = subprocess.Popen(self.argv(), cwd=self.rundir, env=self.env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self._watch_exit()
        threading.Thread(target=self._read, daemon=True).start()
        return self

    def _read(self):
        for raw in iter(self.proc.stdout.readline, b""):
            with self.cond:
                self.lines.append((time.monotonic_ns(), raw.decode(errors="replace").rstrip("\n")))
                self.out.write(raw)
                self.cond.notify_all()

    def wait_line(self, pattern, timeout):
        """(arrival ns, match) of the first line matching the regex, or None after timeout or once farm exited."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for t, line in self.lines:
                    m = pattern.search(line)
                    if m:
                        return t, m
                left = deadline - time.monotonic()
                if left <= 0 or self.exited.is_set():
                    return None
                self.cond.wait(min(left, 0.2))

    def tail(self):
        with self.cond:
            return " | ".join(line for _, line in self.lines[-6:]) or "no output"


def hello_copy(dest):
    """examples/hello under dest, its fixed ports (7000, 7080, 7081) replaced by free ones below the ephemeral range
    (see bench.service_ports); returns the folder."""
    project = os.path.join(dest, "hello")
    shutil.copytree(HELLO, project, ignore=shutil.ignore_patterns(".farm"))
    conf = os.path.join(project, "farm.yaml")
    with open(conf) as f:
        text = f.read()
    for old, new in zip(("7081", "7080", "7000"), procs.low_ports(3, start=procs.ephemeral_range()[0] - 100)):
        text = text.replace(old, str(new))
    with open(conf, "w") as f:
        f.write(text)
    return project


def timed(argv, env, cwd):
    """(wall ms, CPU ms of the command, exit code, output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic_ns()
    r = subprocess.run(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=60)
    wall = (time.monotonic_ns() - t) / 1e6
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000
    return wall, cpu, r.returncode, r.stdout.decode(errors="replace")


def wait_for_launcher_archive(timeout=60):
    """The ./farm launcher makes its CDS archive in the background: wait until no .lock is left under target/cds."""
    cds = os.path.join(ROOT, "farm-cli", "target", "cds")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:  # bounded
        if not os.path.isdir(cds) or not any(n.endswith(".lock") for n in os.listdir(cds)):
            return True
        time.sleep(0.2)
    return False


class CliBench:
    def __init__(self, bench, peers, quick):
        self.bench = bench
        self.peers = peers  # foreman, supervisord, pm2, concurrently: those installed and asked for
        self.quick = quick
        self.rounds, self.warmups = (3, 1) if quick else (10, 2)

    def new_run(self, name, make):
        self.bench.run_id += 1
        tag = f"cli-{name}-{self.bench.run_id}-{os.getpid()}"
        rundir = os.path.join(tools.BENCH, ".work", tag)
        shutil.rmtree(rundir, ignore_errors=True)
        os.makedirs(rundir)
        return make(rundir, tag)

    def run(self, table):
        print("## 9. CLI start-up: `farm --version` and `farm ps`, and the peers' nearest commands\n")
        if not os.path.exists(JAR):
            print(f"Skipped: {JAR} is missing (bench/run builds it).\n")
            SUMMARY.skip("cli", "farm.jar missing")
            return
        runs = []
        try:
            self.measure(table, runs)
        finally:
            for r in runs:
                r.cleanup()

    def measure(self, table, runs):
        dev = self.new_run("farm-dev", lambda d, t: FarmDevRun(d, t, hello_copy(d)))
        runs.append(dev)
        dev.start()
        got = dev.wait_line(ALL_READY, 60)
        hello = None
        if got:
            t, m = got
            hello = {"wall": (t - dev.spawned) / 1e6, "own": float(m.group(2)) * 1000, "n": int(m.group(1))}
        else:
            print(f"`farm dev` on examples/hello did not get ready within 60 s: {dev.tail()}\n")
            SUMMARY.goal("hello-ready", "not ready within 60 s", False)
        project = dev.project
        env = dict(dev.env)

        # the peers' stacks, as many services as hello has, for their status commands
        peer_runs = {}
        ports = iter(procs.low_ports(4, start=procs.ephemeral_range()[0] - 200))
        stamp_services = lambda run: [tools.Service(n, tools.svc("listen", next(ports),
                                                                 os.path.join(run.rundir, "stamps"), 0, 0))
                                      for n in ("api", "web")]
        for tool in ("supervisord", "pm2"):
            if tool not in self.peers:
                continue
            r = self.bench.new_run(tool, "cli", [])
            r.services.extend(stamp_services(r))
            runs.append(r)
            r.start()
            peer_runs[tool] = r
        for tool, r in peer_runs.items():
            procs.wait_until(lambda: sum(1 for w, _, _ in procs.read_stamps(os.path.join(r.rundir, "stamps"))
                                         if w == "listen") >= 2, 30)
        if "supervisord" in peer_runs:  # RUNNING after startsecs=1
            procs.wait_until(lambda: len(peer_runs["supervisord"].running_all()) >= 2, 15)
        if "pm2" in peer_runs:
            procs.wait_until(lambda: len(peer_runs["pm2"].jlist()) >= 2, 30)

        # archives: one per argument list for the CDS variant; the launcher's own, made in the background
        archives = {}
        for key, args in (("version", ["--version"]), ("ps", ["ps", "-C", project])):
            path = os.path.join(dev.rundir, f"farm-{key}.jsa")
            subprocess.run(["java", f"-XX:ArchiveClassesAtExit={path}", *QUIET, "-jar", JAR, *args], env=env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
            archives[key] = path if os.path.exists(path) and os.path.getsize(path) > 0 else None
        for args in (["--help"], ["ps", "-C", project]):
            subprocess.run([FARM, *args], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=120)
            wait_for_launcher_archive()

        commands = []  # (group, label, series, argv, env, cwd)
        for group, args in (("--version", ["--version"]), ("ps", ["ps", "-C", project])):
            key = "version" if group == "--version" else "ps"
            commands.append((group, "farm: ./farm (launcher, its CDS archive, C1)", "farm", [FARM, *args]))
            commands.append((group, "farm: java -jar, no CDS archive of farm's", "farm, no CDS archive",
                             ["java", "-Xshare:auto", "-jar", JAR, *args]))
            if archives[key]:
                commands.append((group, "farm: java -jar with a CDS archive", "farm, CDS archive",
                                 ["java", f"-XX:SharedArchiveFile={archives[key]}", "-Xshare:auto", *QUIET, "-jar",
                                  JAR, *args]))
        pm2 = os.path.join(tools.PEERS_BIN, "pm2")
        peer_cmds = {"--version": {"foreman": ("foreman version", ["foreman", "version"]),
                                   "supervisord": ("supervisord --version", ["supervisord", "--version"]),
                                   "pm2": ("pm2 --version", [pm2, "--version"]),
                                   "concurrently": ("concurrently --version",
                                                    [os.path.join(tools.PEERS_BIN, "concurrently"), "--version"])},
                     "ps": {}}
        if "supervisord" in peer_runs:
            peer_cmds["ps"]["supervisord"] = ("supervisorctl status", ["supervisorctl", "-c",
                                                                       peer_runs["supervisord"].conf_path(), "status"])
        if "pm2" in peer_runs:
            peer_cmds["ps"]["pm2"] = ("pm2 ls", [pm2, "ls"])
        for group in ("--version", "ps"):
            for tool in self.peers:
                if tool in peer_cmds[group]:
                    label, argv = peer_cmds[group][tool]
                    commands.append((group, f"{tool}: {label}", tool, argv))
        envs = {}
        for c in commands:
            e = dict(env)
            if c[2] == "pm2":
                e["PM2_HOME"] = peer_runs["pm2"].home if "pm2" in peer_runs else os.path.join(dev.rundir, "pm2home")
            envs[c[1] + c[0]] = e

        results = {(c[0], c[1]): {"wall": [], "cpu": [], "codes": set(), "out": ""} for c in commands}
        for rnd in range(self.warmups + self.rounds):
            k = rnd % len(commands)
            for group, label, series, argv in commands[k:] + commands[:k]:
                wall, cpu, code, text = timed(argv, envs[label + group], dev.rundir)
                r = results[(group, label)]
                r["codes"].add(code)
                r["out"] = text
                if argv[0] == FARM and "building farm.jar" in text:
                    r["rebuilt"] = r.get("rebuilt", 0) + 1
                if rnd >= self.warmups:
                    r["wall"].append(wall)
                    r["cpu"].append(cpu)

        # farm dev's stop (the walking skeleton: SIGINT stops everything, exit 0)
        t = time.time_ns()
        os.kill(dev.proc.pid, signal.SIGINT)
        exited = dev.wait_exit(30)
        time.sleep(0.3)
        left = procs.tagged(dev.tag)
        stop = {"ms": (exited - t) / 1e6 if exited else None, "code": dev.proc.poll(), "left": len(left)}
        self.report(table, commands, results, hello, stop, peer_runs)

    def report(self, table, commands, results, hello, stop, peer_runs):
        print(f"{self.warmups} warm-up round(s), then {self.rounds} measured; every command once per round, in an "
              "order rotated each round. Wall = exec to exit, seen from the harness; CPU = user + system time of "
              "the command and its children. `farm ps` asks a running `farm dev -C examples/hello` (a copy on free "
              "ports, 2 services); `supervisorctl status` and `pm2 ls` ask a supervisord and a pm2-runtime running "
              "2 services each. foreman and concurrently have no status command: a running foreman or concurrently "
              "cannot be asked what runs (n/a).\n")
        rows = []
        med = {}
        for group, label, series, _ in commands:
            r = results[(group, label)]
            w, c = procs.median(r["wall"]), procs.median(r["cpu"])
            med[(group, series)] = w
            codes = ",".join(str(x) for x in sorted(r["codes"]))
            rows.append([f"`{group}`", label, len(r["wall"]), fmt_ms(w), fmt_ms(min(r["wall"], default=None)),
                         fmt_ms(max(r["wall"], default=None)), fmt_ms(c), codes,
                         "-" if series.startswith("farm") else ratio_text(w, med.get((group, "farm")))])
        table(["command", "how", "n", "wall median", "min", "max", "CPU median", "exit codes",
               "peer ÷ farm (./farm)"], rows)
        rebuilt = sum(r.get("rebuilt", 0) for r in results.values())
        if rebuilt:
            print(f"**`./farm` ran Maven to rebuild farm.jar in {rebuilt} of its runs** (it printed `building farm.jar`): "
                  "some pom.xml or src/main file of the repository is newer than the jar, and Maven, finding the jar up "
                  "to date, leaves its time alone, so every call rebuilds. Its figures here time Maven; `bench/run` "
                  "without `--no-build` marks the jar as built after its own build.\n")
        for group in ("--version", "ps"):
            farm = [(label, procs.median(results[(g, label)]["wall"]), results[(g, label)]["codes"])
                    for g, label, series, _ in commands if g == group and series.startswith("farm")]
            if not farm:
                continue
            ok = all(w is not None and w <= 250 and codes == {0} for _, w, codes in farm)
            text = "; ".join(f"{label.split(': ', 1)[1].split(' (')[0]} {fmt_ms(w)}" for label, w, _ in farm)
            bad = [label for label, _, codes in farm if codes != {0}]
            SUMMARY.goal("cli-version" if group == "--version" else "cli-ps",
                         text + (f" (exit code not 0: {', '.join(bad)})" if bad else ""), ok)
            print(f"`farm {group}`: {text}: {'meets' if ok else 'MISSES'} the goal (<= 250 ms, median, each way).\n")
        if "ps" in [c[0] for c in commands]:
            sample = results[("ps", commands[[c[0] for c in commands].index("ps")][1])]["out"].strip()
            print("What `farm ps` printed (last round):\n\n```\n" + sample[:1500] + "\n```\n")
        if hello:
            met = hello["wall"] <= 15000
            print(f"`farm dev -C examples/hello`: spawn -> `all {hello['n']} services ready` line "
                  f"{fmt_ms(hello['wall'])} (farm's own count from its start: {fmt_ms(hello['own'])}); "
                  f"{'meets' if met else 'MISSES'} the walking skeleton's goal (within 15 s). SIGINT then stopped it "
                  f"in {fmt_ms(stop['ms'])}, exit code {stop['code']}, {stop['left']} of its processes left.\n")
            SUMMARY.goal("hello-ready", f"{fmt_ms(hello['wall'])} (SIGINT: exit {stop['code']} after "
                         f"{fmt_ms(stop['ms'])}, {stop['left']} left)", met and stop["code"] == 0 and not stop["left"])
        for group, what in (("--version", "`farm --version`, wall (median)"), ("ps", "`farm ps`, wall (median)")):
            f = med.get((group, "farm"))
            cells = [(label if series.startswith("farm") else label.split(": ", 1)[1], fmt_ms(med[(group, series)]),
                      ratio_text(med[(group, series)], f))
                     for g, label, series, _ in commands if g == group and series != "farm"]
            if group == "ps":
                cells += [(t, "n/a", "no status command") for t in ("foreman", "concurrently") if t in self.peers]
            SUMMARY.row("cli", what + " (./farm; other ways, and the peers' nearest)", fmt_ms(f), peers_cell(cells),
                        "cli-version" if group == "--version" else "cli-ps")
        if hello:
            SUMMARY.row("cli", "`farm dev -C examples/hello`: spawn -> all ready", fmt_ms(hello["wall"]),
                        "no peer runs this stack", "hello-ready")
        series = []
        for _, _, s, _ in commands:
            if s not in series:
                series.append(s)
        colours = {"farm, no CDS archive": "#fdb863", "farm, CDS archive": "#e08214"}
        p = Panel("CLI wall time, exec to exit", "ms (median)", ["--version", "ps / status"], series,
                  goal=(250, "goal ≤ 250 ms (#8)"), colours=colours, wide=True,
                  names={"farm": "farm (./farm)", "farm, no CDS archive": "farm (java -jar)",
                         "farm, CDS archive": "farm (java -jar, CDS)"},
                  note="lower is better; ps: farm ps, supervisorctl status, pm2 ls; foreman, concurrently have none")
        for (group, s), w in med.items():
            p.set("--version" if group == "--version" else "ps / status", s, w)
        SUMMARY.panel("cli", p)


def fmt_ms(v):
    return "n/a" if v is None else f"{v:,.0f} ms" if v >= 100 else f"{v:,.1f} ms"
