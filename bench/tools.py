"""One adapter per tool: writes the tool's config for a set of services, starts the tool, asks it to stop, cleans up.

Every orchestrator is started in its own session (setsid), with stdin from /dev/null (farm: a pipe for commands)
and stdout+stderr to RUNDIR/out.log, and with BENCH_TAG=<run tag> in its environment. Every process it starts
inherits the tag, so cleanup can find and kill exactly what this run started, and nothing else.
"""
import json
import os
import re
import shlex
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from typing import List, Optional

import procs

BENCH = os.path.dirname(os.path.abspath(__file__))
SVC = os.path.join(BENCH, "svc.py")
PEERS_BIN = os.path.join(BENCH, ".peers", "node_modules", ".bin")
FARM_CP = os.path.join(BENCH, "target", "farm-bench.jar") + ":" + os.path.join(BENCH, "target", "lib", "*")
PYTHON = "/usr/bin/python3"

RUNNING = re.compile(r"success: (?:bench:)?(\S+) entered RUNNING state")

# Every run started and not yet cleaned up, so an interrupted benchmark still cleans up.
ACTIVE = []


def svc(*args):
    """The argv of the common service program."""
    return [PYTHON, "-S", SVC, *[str(a) for a in args]]


@dataclass
class Service:
    name: str
    argv: List[str]
    port: Optional[int] = None      # farm probes it with Probes.tcp(port)
    restart: bool = False           # restart on failure, zero backoff
    startsecs: int = 1              # supervisord only: how long it must stay up to count as RUNNING


class Run:
    """One start of one tool with a set of services."""

    tool = "?"

    def __init__(self, rundir, tag, services, logs=None):
        self.rundir = rundir
        self.tag = tag
        self.services = services
        self.logs = logs  # folder for per-service log files, where the tool writes them
        self.proc = None
        self.cleaned = False
        os.makedirs(rundir, exist_ok=True)
        if logs:
            os.makedirs(logs, exist_ok=True)
        env = dict(os.environ)
        for var in ("FORCE_COLOR", "NO_COLOR", "PM2_HOME"):
            env.pop(var, None)
        env[procs.TAG_VAR] = tag
        self.env = env

    # -- to override
    def argv(self):
        raise NotImplementedError

    def request_stop(self):
        """Asks the tool to stop everything, the way a user would; returns the request's time (epoch ns)."""
        t = time.time_ns()
        os.kill(self.proc.pid, signal.SIGINT)
        return t

    def output_files(self):
        """Where the services' output lands."""
        return [os.path.join(self.rundir, "out.log")]

    def tool_cleanup(self):
        pass

    # -- common
    def start(self):
        ACTIVE.append(self)
        self.out = open(os.path.join(self.rundir, "out.log"), "wb")
        self.proc = subprocess.Popen(self.argv(), cwd=self.rundir, env=self.env, stdin=subprocess.DEVNULL,
                                     stdout=self.out, stderr=subprocess.STDOUT, start_new_session=True)
        self._watch_exit()
        return self

    def _watch_exit(self):
        """Records when the orchestrator exits, on a thread blocked in waitpid()."""
        self.exited = threading.Event()
        self.exited_at = None

        def wait():
            self.proc.wait()
            self.exited_at = time.time_ns()
            self.exited.set()
        threading.Thread(target=wait, daemon=True).start()

    def orchestrator_pids(self):
        """The tool's own processes: everything tagged that is not a service process."""
        return [p for p in procs.tagged(self.tag) if not procs.is_service_process(p)]

    def service_pids(self):
        return [p for p in procs.tagged(self.tag) if procs.is_service_process(p)]

    def wait_exit(self, timeout):
        """When the orchestrator exited (epoch ns), waiting up to timeout seconds; None if it still runs."""
        self.exited.wait(timeout)
        return self.exited_at

    def cleanup(self):
        if self.cleaned:
            return
        self.cleaned = True
        try:
            self.tool_cleanup()
        finally:
            for _ in range(5):  # bounded: kill whatever carries this run's tag
                left = procs.tagged(self.tag)
                if self.proc and self.proc.poll() is None:
                    left.append(self.proc.pid)
                if not left:
                    break
                procs.kill_all(left)
                time.sleep(0.2)
            if self.proc:
                self.wait_exit(5)
            self.out.close()
            if self in ACTIVE:
                ACTIVE.remove(self)


class FarmRun(Run):
    """farm-process's ProcessSupervisor, driven by bench/src/main/java/dev/farm/bench/FarmRunner.java."""

    tool = "farm"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        self.cond = threading.Condition()

    def argv(self):
        spec = os.path.join(self.rundir, "services.tsv")
        with open(spec, "w") as f:
            for s in self.services:
                opts = []
                if s.port:
                    opts.append(f"tcp={s.port}")
                if s.restart:
                    opts.append("restart=1000")
                f.write("\t".join([s.name, ",".join(opts) or "-", *s.argv]) + "\n")
        cmd = ["java", "-cp", FARM_CP, "dev.farm.bench.FarmRunner", spec]
        return cmd + (["--logs", self.logs] if self.logs else [])

    def start(self):
        ACTIVE.append(self)
        self.out = open(os.path.join(self.rundir, "out.log"), "wb")
        self.proc = subprocess.Popen(self.argv(), cwd=self.rundir, env=self.env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.out, start_new_session=True, text=True)
        self._watch_exit()
        threading.Thread(target=self._read, daemon=True).start()
        return self

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.split())
                self.cond.notify_all()

    def wait_line(self, predicate, timeout):
        """The first line (a list of words) that matches, waiting up to timeout seconds."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for words in self.lines:
                    if predicate(words):
                        return words
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def lines_of(self, kind):
        with self.cond:
            return [w for w in self.lines if w[0] == kind]

    def events(self, state):
        with self.cond:
            return [w for w in self.lines if w[0] == "event" and w[3] == state]

    def wait_started(self, timeout=60):
        words = self.wait_line(lambda w: w[0] in ("started", "error"), timeout)
        if not words or words[0] == "error":
            raise RuntimeError(f"farm did not start: {words}")

    def command(self, text):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def request_stop(self):
        self.command("close")
        words = self.wait_line(lambda w: w[0] == "closing", 10)
        return int(words[1])

    def stats(self):
        self.command("stats")
        words = self.wait_line(lambda w: w[0] == "stats", 30)
        return {k: int(v) for k, v in (w.split("=") for w in words[1:])}

    def tool_cleanup(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # end of input: FarmRunner closes the supervisor
            except OSError:
                pass
            self.wait_exit(15)


class ForemanRun(Run):
    """foreman start with a Procfile; stopped with SIGINT (Ctrl-C)."""

    tool = "foreman"

    def argv(self):
        procfile = os.path.join(self.rundir, "Procfile")
        with open(procfile, "w") as f:
            for s in self.services:
                f.write(f"{s.name}: {shlex.join(s.argv)}\n")
        return ["foreman", "start", "-f", procfile, "-d", self.rundir]


class SupervisordRun(Run):
    """supervisord -n with one [program] per service, all in one [group], stopasgroup/killasgroup on (its best
    settings for process trees); stopped with SIGTERM, its documented shutdown signal."""

    tool = "supervisord"

    def conf_path(self):
        return os.path.join(self.rundir, "supervisord.conf")

    def argv(self):
        d = self.rundir
        logs = self.logs or os.path.join(d, "logs")
        os.makedirs(logs, exist_ok=True)
        parts = [f"""[unix_http_server]
file={d}/supervisor.sock

[supervisord]
nodaemon=true
logfile={d}/supervisord.log
pidfile={d}/supervisord.pid
childlogdir={logs}
loglevel=info

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{d}/supervisor.sock
"""]
        for s in self.services:
            parts.append(f"""
[program:{s.name}]
command={shlex.join(s.argv)}
directory={d}
startsecs={0 if s.restart else s.startsecs}
startretries=1000
autorestart={"true" if s.restart else "false"}
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile={logs}/{s.name}.log
stdout_logfile_maxbytes=0
""")
        parts.append(f"\n[group:bench]\nprograms={','.join(s.name for s in self.services)}\n")
        with open(self.conf_path(), "w") as f:
            f.write("".join(parts))
        return ["supervisord", "-n", "-c", self.conf_path()]

    def request_stop(self):
        t = time.time_ns()
        os.kill(self.proc.pid, signal.SIGTERM)
        return t

    def output_files(self):
        return [os.path.join(self.logs, f"{s.name}.log") for s in self.services]

    def ctl(self, *args):
        return subprocess.run(["supervisorctl", "-c", self.conf_path(), *args], env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30).stdout

    def running_all(self):
        """Every `NAME entered RUNNING state` in supervisord.log: {name: [epoch ns, ...]} (ms resolution)."""
        found = {}
        try:
            with open(os.path.join(self.rundir, "supervisord.log")) as f:
                for line in f:
                    m = RUNNING.search(line)
                    if m:
                        stamp, millis = line[:23].split(",")
                        secs = time.mktime(time.strptime(stamp, "%Y-%m-%d %H:%M:%S"))
                        found.setdefault(m.group(1), []).append(int(secs) * 1_000_000_000 + int(millis) * 1_000_000)
        except FileNotFoundError:
            pass
        return found

    def tool_cleanup(self):
        pidfile = os.path.join(self.rundir, "supervisord.pid")
        if os.path.exists(pidfile):
            try:
                pid = int(open(pidfile).read().strip())
                if procs.alive(pid) and pid in procs.tagged(self.tag):
                    os.kill(pid, signal.SIGTERM)
                    procs.wait_gone([pid], 15)
            except (ValueError, ProcessLookupError):
                pass


class Pm2Run(Run):
    """pm2-runtime (pm2 in the foreground, as in a container) with an ecosystem file; stopped with SIGINT."""

    tool = "pm2"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.home = os.path.join(self.rundir, "pm2home")
        self.env["PM2_HOME"] = self.home

    def argv(self):
        logs = self.logs or os.path.join(self.rundir, "logs")
        os.makedirs(logs, exist_ok=True)
        apps = []
        for s in self.services:
            app = {"name": s.name, "script": s.argv[0], "args": s.argv[1:], "interpreter": "none",
                   "cwd": self.rundir, "autorestart": s.restart,
                   "out_file": os.path.join(logs, f"{s.name}.log"),
                   "error_file": os.path.join(logs, f"{s.name}.err")}
            if s.restart:
                app.update(restart_delay=0, max_restarts=1000)
            apps.append(app)
        eco = os.path.join(self.rundir, "ecosystem.config.js")
        with open(eco, "w") as f:
            f.write("module.exports = " + json.dumps({"apps": apps}, indent=1) + ";\n")
        return [os.path.join(PEERS_BIN, "pm2-runtime"), "start", eco]

    def output_files(self):
        return [os.path.join(self.logs, f"{s.name}.log") for s in self.services]

    def cli(self, *args):
        return subprocess.run([os.path.join(PEERS_BIN, "pm2"), *args], env=self.env, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, timeout=30).stdout

    def jlist(self):
        text = self.cli("jlist")
        start = text.find("[")
        return json.loads(text[start:]) if start >= 0 else []

    def tool_cleanup(self):
        # pm2-runtime runs its God daemon in-process; a daemon left in PM2_HOME (for example by a pm2 CLI call)
        # is stopped with `pm2 kill` against that PM2_HOME.
        pidfile = os.path.join(self.home, "pm2.pid")
        if os.path.exists(pidfile):
            try:
                pid = int(open(pidfile).read().strip())
            except ValueError:
                pid = None
            if pid and procs.alive(pid) and pid != self.proc.pid:
                try:
                    self.cli("kill")
                except subprocess.TimeoutExpired:
                    pass


class ConcurrentlyRun(Run):
    """concurrently with one command per service; stopped with SIGINT (Ctrl-C)."""

    tool = "concurrently"

    def argv(self):
        cmd = [os.path.join(PEERS_BIN, "concurrently"), "--names", ",".join(s.name for s in self.services)]
        if any(s.restart for s in self.services):
            cmd += ["--restart-tries", "1000", "--restart-after", "0"]
        return cmd + [shlex.join(s.argv) for s in self.services]


TOOLS = {"farm": FarmRun, "foreman": ForemanRun, "supervisord": SupervisordRun, "pm2": Pm2Run,
         "concurrently": ConcurrentlyRun}


# ------------------------------------------------------------------------------------------------ file watchers
class WatchRun(Run):
    """A file watcher on a project tree (benchmark 6). Its stdout and stderr lines are kept, each with the time it
    arrived on both clocks; `events()` gives the changes it reported, on the clock named by `clock`."""

    tool = "?"
    clock = "wall"  # the clock of the times events() returns: "wall" (time.time_ns) or "mono" (time.monotonic_ns)

    def __init__(self, rundir, tag, root):
        super().__init__(rundir, tag, [])
        self.root = root
        self.lines = []  # (arrival wall ns, arrival monotonic ns, "out" or "err", words)
        self.cond = threading.Condition()

    def start(self):
        ACTIVE.append(self)
        self.out = open(os.path.join(self.rundir, "out.log"), "wb")
        self.spawned = (time.time_ns(), time.monotonic_ns())
        self.proc = subprocess.Popen(self.argv(), cwd=self.rundir, env=self.env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        self._watch_exit()
        for stream, name in ((self.proc.stdout, "out"), (self.proc.stderr, "err")):
            threading.Thread(target=self._read, args=(stream, name), daemon=True).start()
        return self

    def _read(self, stream, name):
        for raw in iter(stream.readline, b""):  # one blocking read per line: the arrival time is taken at once
            wall, mono = time.time_ns(), time.monotonic_ns()
            with self.cond:
                self.lines.append((wall, mono, name, raw.decode(errors="replace").split()))
                self.out.write(raw)
                self.cond.notify_all()

    def wait_line(self, predicate, timeout):
        """The first (arrival wall, arrival mono, stream, words) whose words match, waiting up to timeout s."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for line in self.lines:
                    if line[3] and predicate(line[2], line[3]):
                        return line
                if self.exited.is_set():  # the tool is gone: give the readers half a second for its last lines
                    deadline = min(deadline, (self.exited_at - time.time_ns()) / 1e9 + time.monotonic() + 0.5)
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(min(left, 0.2))

    def text(self):
        with self.cond:
            return " | ".join(" ".join(w) for _, _, _, w in self.lines[-5:])

    def wait_watching(self, timeout):
        """Waits until the tool says it is watching; returns (spawn -> that line's arrival, the tool's own start ->
        watching or None), both in ms. Raises RuntimeError with the tool's last lines when it does not get there."""
        raise NotImplementedError

    def events(self):
        """The changes reported so far: a list of (time ns on self.clock, path relative to root)."""
        raise NotImplementedError

    def inotify_watches(self):
        """The inode numbers of every inotify watch the tool's processes hold (from /proc/PID/fdinfo)."""
        pids = set(procs.tagged(self.tag)) | {self.proc.pid}
        return [ino for pid in sorted(pids) for ino in procs.inotify_watches(pid)]

    def tool_cleanup(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # end of input: the watcher closes and the tool exits
            except OSError:
                pass
            self.wait_exit(10)

    def _watching(self, timeout, predicate, what):
        line = self.wait_line(predicate, timeout)
        if line is None or line[3][0] in ("error", "end"):
            why = "failed" if line else ("exited" if self.exited.is_set() else f"timed out after {timeout} s")
            raise RuntimeError(f"{self.tool} {why} before {what}; its last lines: {self.text() or 'none'}")
        return line


class FarmWatchRun(WatchRun):
    """farm-watch's ChangeWatcher with one rule, driven by bench/src/main/java/dev/farm/bench/WatchRunner.java."""

    tool = "farm"
    clock = "wall"

    def __init__(self, rundir, tag, root, quiet_ms, max_wait_ms, globs, loop_runs=None):
        super().__init__(rundir, tag, root)
        self.quiet_ms, self.max_wait_ms, self.globs, self.loop_runs = quiet_ms, max_wait_ms, globs, loop_runs

    def argv(self):
        loop = ["--loop-runs", str(self.loop_runs)] if self.loop_runs else []
        return ["java", "-cp", FARM_CP, "dev.farm.bench.WatchRunner", *loop, self.root, str(self.quiet_ms),
                str(self.max_wait_ms), *self.globs]

    def pauses(self):
        """The `paused` lines: the feedback-loop guard stopped the rule (words: paused WALL MONO PATH...)."""
        with self.cond:
            return [w for _, _, s, w in self.lines if s == "out" and w[0] == "paused"]

    def wait_watching(self, timeout):
        line = self._watching(timeout, lambda s, w: s == "out" and w[0] in ("watching", "error", "end"),
                              "`watching` (start() returned)")
        starting = self.wait_line(lambda s, w: w[0] == "starting", 1)
        own = (int(line[3][2]) - int(starting[3][2])) / 1e6 if starting else None
        return (line[1] - self.spawned[1]) / 1e6, own

    def events(self):
        with self.cond:
            batches = [w for _, _, s, w in self.lines if s == "out" and w[0] == "batch"]
        return [(int(w[1]), p) for w in batches for p in w[4:]]

    def batches(self):
        with self.cond:
            return [w for _, _, s, w in self.lines if s == "out" and w[0] == "batch"]

    def notifications(self, since):
        """(wall ns, path) for every path of every batch delivered since the given wall time."""
        return [(int(w[1]), p) for w in self.batches() if int(w[1]) >= since for p in w[4:]]

    def notification_count(self, since):
        """Batches since the given wall time: one run of the user's action each."""
        return sum(1 for w in self.batches() if int(w[1]) >= since)


class ChokidarRun(WatchRun):
    """chokidar with its default options and node_modules ignored, driven by bench/chokidar-watch.js."""

    tool = "chokidar"
    clock = "mono"  # process.hrtime: CLOCK_MONOTONIC

    def argv(self):
        return ["node", os.path.join(BENCH, "chokidar-watch.js"), self.root]

    def wait_watching(self, timeout):
        line = self._watching(timeout, lambda s, w: s == "out" and w[0] in ("ready", "error"), "'ready'")
        watch = self.wait_line(lambda s, w: w[0] == "watch", 1)
        own = (int(line[3][1]) - int(watch[3][1])) / 1e6 if watch else None
        return (line[1] - self.spawned[1]) / 1e6, own

    def events(self):
        with self.cond:
            return [(int(w[1]), w[2]) for _, _, s, w in self.lines if s == "out" and w[0] == "change" and len(w) > 2]

    def notifications(self, since):
        """(monotonic ns, path) for every add, change and unlink event that arrived since the given wall time."""
        with self.cond:
            return [(int(w[1]), w[2]) for wall, _, s, w in self.lines
                    if s == "out" and wall >= since and w[0] in ("add", "change", "unlink") and len(w) > 2]

    def notification_count(self, since):
        return len(self.notifications(since))


class InotifywaitRun(WatchRun):
    """inotifywait -m -r on close_write and moved_to, node_modules excluded; it has no sub-second time format, so
    an event's time is when its line arrived here (a pipe and a blocked reader thread: well under 0.1 ms)."""

    tool = "inotifywait"
    clock = "wall"

    def argv(self):
        return ["inotifywait", "-m", "-r", "-e", "close_write,moved_to", "--exclude", "node_modules",
                "--format", "%w%f", self.root]

    def wait_watching(self, timeout):
        line = self._watching(timeout, lambda s, w: s == "err" and w[:2] == ["Watches", "established."],
                              "`Watches established.`")
        setting = self.wait_line(lambda s, w: s == "err" and w[:2] == ["Setting", "up"], 1)
        own = (line[1] - setting[1]) / 1e6 if setting else None
        return (line[1] - self.spawned[1]) / 1e6, own

    def events(self):
        prefix = self.root.rstrip("/") + "/"
        with self.cond:
            return [(wall, w[0][len(prefix):]) for wall, _, s, w in self.lines
                    if s == "out" and w and w[0].startswith(prefix)]

    def notifications(self, since):
        return [(t, p) for t, p in self.events() if t >= since]

    def notification_count(self, since):
        return len(self.notifications(since))


WATCH_TOOLS = {"farm": FarmWatchRun, "chokidar": ChokidarRun, "inotifywait": InotifywaitRun}


def cleanup_all():
    for run in list(ACTIVE):
        try:
            run.cleanup()
        except Exception as e:  # keep cleaning the others
            print(f"cleanup of {run.tag} failed: {e}")
