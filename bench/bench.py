"""Runs every benchmark for farm and each peer in one go and prints one Markdown table per benchmark.

usage: python3 bench/bench.py [--only NAME[,NAME...]] [--tools TOOL[,TOOL...]] [--quick]
       benchmarks: readiness, restart, stop, throughput, memory (process supervision), watch (file watching),
       codegen (farm-codegen vs openapi-typescript), proxy (reverse proxies)
       tools: farm, foreman, supervisord, pm2, concurrently (supervision); farm, chokidar, inotifywait (watching);
              direct, nginx, hpm, farm (proxies)

Expects farm's bench jar (bench/target) and the peers (bench/.peers, foreman, supervisord, inotifywait) in place:
run.sh does that. Every waiting loop is bounded; every process a run started carries its tag and is killed at the end.
"""
import argparse
import atexit
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time

import codegen_bench
import procs
import proxy
import tools
from tools import Service, svc

WORK = os.path.join(tools.BENCH, ".work")
BENCHMARKS = ["readiness", "restart", "stop", "throughput", "memory", "watch", "codegen", "proxy"]
PROCESS_TOOLS = ["farm", "foreman", "supervisord", "pm2", "concurrently"]
PORT_BASE = 39100


def ms(ns):
    return ns / 1e6


def fmt(v, unit="ms", digits=1):
    if v is None:
        return "n/a"
    return f"{v:,.{digits}f} {unit}".strip()


def ratio(peer, farm):
    if peer is None or farm is None or farm == 0:
        return "n/a"
    return f"{peer / farm:.2f}"


def table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(" --- " for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")
    print()


class Bench:
    def __init__(self, tool_names, watch_tools, quick, proxy_targets=()):
        self.tool_names = tool_names  # the process supervisors, benchmarks 1-5
        self.watch_tools = watch_tools  # the file watchers, benchmark 6
        self.proxy_targets = list(proxy_targets)  # the proxies, benchmark 8
        self.quick = quick
        self.run_id = 0

    def new_run(self, tool, bench, services, logs=False):
        self.run_id += 1
        tag = f"{bench}-{tool}-{self.run_id}-{os.getpid()}"
        rundir = os.path.join(WORK, tag)
        shutil.rmtree(rundir, ignore_errors=True)
        return tools.TOOLS[tool](rundir, tag, services, os.path.join(rundir, "logs") if logs else None)

    def tools(self, *wanted):
        return [t for t in wanted if t in self.tool_names]

    # ------------------------------------------------------------------------------------------------ codegen
    def codegen(self):
        codegen_bench.run(self.quick, fmt, table, ratio)

    # ------------------------------------------------------------------------------------------------ readiness
    def readiness(self):
        """Port opens (svc.py's own timestamp) -> the tool says the service is ready."""
        print("## 1. Readiness detection latency after the port opens\n")
        lo, hi = 100, 1500
        n_farm, n_peer = (6, 4) if self.quick else (20, 10)
        print(f"The service sleeps a random {lo}-{hi} ms, then listens on 127.0.0.1 and records `time.time_ns()`. "
              "Latency = the tool's ready/running/online time minus that timestamp (same wall clock). "
              "Negative = the tool called it ready before the port was open.\n")
        results = {}
        notes = {}
        port = PORT_BASE + 1
        for tool in self.tools("farm", "supervisord", "pm2"):
            samples = n_farm if tool == "farm" else n_peer
            run = self.new_run(tool, "ready", [Service("web", [], port=port)])
            stampfile = os.path.join(run.rundir, "stamps")
            run.services[0].argv = svc("listen", port, stampfile, lo, hi)
            lat = []
            predicted = []
            try:
                run.start()
                for i in range(samples):
                    if i > 0:
                        self.restart_one(run)
                    got = procs.wait_until(lambda: len(listens(stampfile)) > i, 15)
                    if not got:
                        break
                    listen_ns = listens(stampfile)[i]
                    ready_ns = self.ready_time(run, i)
                    if ready_ns is None:
                        break
                    lat.append(ms(ready_ns - listen_ns))
                    if tool == "farm":
                        starting_ns = int(run.events("STARTING")[i][1])
                        predicted.append(probe_split(run, starting_ns, listen_ns, ready_ns))
            finally:
                run.cleanup()
            results[tool] = lat
            if tool == "farm":
                self.farm_predicted = predicted
        notes["farm"] = "READY event of `Probes.tcp(port)`; sample 1 is the cold JVM's `start()`, the rest `restart(web)`"
        notes["supervisord"] = ("nearest equivalent: `entered RUNNING state` (startsecs=1: the process stayed up 1 s; "
                                "the port is never checked), from supervisord.log, ms resolution")
        notes["pm2"] = "nearest equivalent: `online` (pm2 jlist pm_uptime, ms), set at spawn; the port is never checked"
        notes["foreman"] = "n/a (no port readiness): foreman only prints `started with pid` at spawn"
        notes["concurrently"] = "n/a (no port readiness): no readiness concept at all"
        farm_med = procs.median(results.get("farm", []))
        rows = []
        for tool in self.tool_names:
            lat = results.get(tool)
            if lat:
                before = sum(1 for v in lat if v < 0)
                rows.append([tool, len(lat), fmt(procs.median(lat)), fmt(procs.p90(lat)),
                             fmt(min(lat)), fmt(max(lat)),
                             "-" if tool == "farm" else f"{before}/{len(lat)}",
                             "-" if tool == "farm" else "n/a (not a port probe)", notes[tool]])
            else:
                rows.append([tool, 0, "n/a", "n/a", "n/a", "n/a", "-", "n/a", notes[tool]])
        table(["tool", "n", "median", "p90", "min", "max", "ready before port open", "peer/farm", "what is measured"],
              rows)
        goal = "meets" if farm_med is not None and farm_med <= 30 else "MISSES"
        print(f"farm median {fmt(farm_med)} {goal} the goal (<= 30 ms).\n")
        split = [x for x in getattr(self, "farm_predicted", []) if x]
        if split:
            waits = [w for w, _, _ in split]
            paths = [p for _, p, _ in split]
            gaps = [g for _, _, g in split]
            print("Where farm's time goes, from farm's own probe attempts (FarmRunner wraps `Probes.tcp` to record "
                  f"when each attempt begins): port open -> the first attempt after it: median {fmt(procs.median(waits))} "
                  f"(p90 {fmt(procs.p90(waits))}); that attempt -> READY event: median {fmt(procs.median(paths))} "
                  f"(p90 {fmt(procs.p90(paths))}). The pause between the last failed attempt and the passing one was "
                  f"median {fmt(procs.median(gaps))} (max {fmt(max(gaps))}): while nothing listens, ProbeSchedule tries "
                  "again every 5 ms; its backoff (20 ms up to 250 ms) applies only to attempts that reached the "
                  "service.\n")

    # ---------------------------------------------------------------------------------------------------- proxy
    def proxy(self):
        """Direct, nginx, http-proxy-middleware and farm-proxy in front of one nginx upstream, loaded with wrk."""
        proxy.ProxyBench(self, self.proxy_targets, self.quick).run(table)

    def restart_one(self, run):
        if run.tool == "farm":
            run.command("restart web")
        elif run.tool == "supervisord":
            run.ctl("restart", "bench:web")
        elif run.tool == "pm2":
            run.cli("restart", "web")

    def ready_time(self, run, i):
        """The time (epoch ns) the tool reported the i-th incarnation ready, running or online."""
        if run.tool == "farm":
            words = procs.wait_until(lambda: len(run.events("READY")) > i and run.events("READY")[i], 15)
            return int(words[1]) if words else None
        if run.tool == "supervisord":
            times = procs.wait_until(lambda: len(run.running_times("web")) > i and run.running_times("web"), 15)
            return times[i] if times else None
        if run.tool == "pm2":
            apps = run.jlist()
            return int(apps[0]["pm2_env"]["pm_uptime"]) * 1_000_000 if apps else None
        return None

    # -------------------------------------------------------------------------------------------------- restart
    def restart(self):
        """svc.py records `exit`, exits 1; the tool restarts it; the new process records `start`."""
        print("## 2. Crash-to-restart latency, zero backoff\n")
        samples = 8 if self.quick else 25
        run_ms = 200
        print(f"The service records `start`, runs {run_ms} ms, records `exit` and exits with code 1. "
              "Latency = next `start` minus previous `exit`, so it includes the service's own startup "
              "(see the plain respawn loop row).\n")
        config = {"farm": "RestartPolicy.onFailure(1000, 0, 0)",
                  "supervisord": "autorestart=true, startsecs=0, startretries=1000",
                  "pm2": "autorestart, restart_delay=0, max_restarts=1000",
                  "concurrently": "--restart-tries 1000 --restart-after 0",
                  "foreman": "n/a (no restarts: foreman stops everything when one process exits)"}
        results = {}
        breakdown = None
        for tool in self.tools("farm", "supervisord", "pm2", "concurrently"):
            run = self.new_run(tool, "restart", [Service("crash", [], restart=True)])
            stampfile = os.path.join(run.rundir, "stamps")
            run.services[0].argv = svc("crash", stampfile, run_ms, 1)
            try:
                run.start()
                procs.wait_until(lambda: count(stampfile, "start") > samples, 30 + samples * 2)
            finally:
                run.cleanup()
            results[tool] = restart_latencies(stampfile)[:samples]
            if tool == "farm":
                breakdown = farm_restart_breakdown(run, stampfile, samples)
        results["plain respawn loop"], startup = self.respawn_loop(samples, run_ms)
        config["plain respawn loop"] = "reference floor: Python `subprocess.Popen` + `wait()` in a loop, no tool"
        farm_med = procs.median(results.get("farm", []))
        rows = []
        for tool in self.tool_names + ["plain respawn loop"]:
            lat = results.get(tool)
            if lat:
                med = procs.median(lat)
                rows.append([tool, len(lat), fmt(med), fmt(procs.p90(lat)), fmt(min(lat)), fmt(max(lat)),
                             "-" if tool == "farm" else ratio(med, farm_med), config[tool]])
            else:
                rows.append([tool, 0, "n/a", "n/a", "n/a", "n/a", "n/a", config.get(tool, "")])
        table(["tool", "n", "median", "p90", "min", "max", "peer/farm (median)", "configuration"], rows)
        print(f"The service's own startup (spawn by the respawn loop -> its `start` stamp) was median "
              f"{fmt(procs.median(startup))}: that much of every row is python3, not the tool.\n")
        if "farm" in results and breakdown:
            print("Where farm's time goes (medians over the same samples, from farm's own events): "
                  + "; ".join(f"{k} {fmt(procs.median(v))} (p90 {fmt(procs.p90(v))})" for k, v in breakdown.items())
                  + ".\n")

    def respawn_loop(self, samples, run_ms):
        rundir = os.path.join(WORK, f"restart-loop-{os.getpid()}")
        shutil.rmtree(rundir, ignore_errors=True)
        os.makedirs(rundir)
        stampfile = os.path.join(rundir, "stamps")
        spawned = []
        for _ in range(samples + 1):
            spawned.append(time.time_ns())
            # wait() without a timeout is a blocking waitpid(); with one, Python polls with sleeps
            subprocess.Popen(svc("crash", stampfile, run_ms, 1), stdin=subprocess.DEVNULL).wait()
        starts = [t for w, t, _ in procs.read_stamps(stampfile) if w == "start"]
        return restart_latencies(stampfile)[:samples], [ms(s - p) for s, p in zip(starts, spawned)]

    # ----------------------------------------------------------------------------------------------------- stop
    def stop(self):
        """50 idle services, half with a child; stop request -> no service process alive."""
        print("## 3. Time to stop 50 services\n")
        n = 50
        reps = 1 if self.quick else 5
        cap = 15
        print(f"{n} services (`svc.py idle`), every second one with a child `sleep 86400`, so {n + n // 2} service "
              "processes (plus concurrently's `sh -c` wrappers). Once all recorded `ready` and 1 s has passed: "
              f"the stop request, then /proc is polled every 5 ms until no service process is alive ({cap} s cap). "
              f"Survivors = service processes still alive {cap} s after the request, or after the tool exited.\n")
        how = {"farm": "`ProcessSupervisor.close()`", "foreman": "SIGINT to foreman",
               "supervisord": "SIGTERM to supervisord (stopasgroup/killasgroup=true, one group)",
               "pm2": "SIGINT to pm2-runtime", "concurrently": "SIGINT to concurrently"}
        data = {t: {"gone": [], "exit": [], "survivors": [], "procs": []} for t in self.tool_names}
        farm_detail = {"cpu": [], "stopping": [], "stopped": []}
        for rep in range(reps):
            for tool in self.tool_names:
                services = []
                run = self.new_run(tool, "stop", services)
                stampfile = os.path.join(run.rundir, "stamps")
                for i in range(n):
                    services.append(Service(f"s{i}", svc("idle", stampfile, *(["child"] if i % 2 == 0 else []))))
                try:
                    run.start()
                    if tool == "farm":
                        run.wait_started(60)
                    if not procs.wait_until(lambda: count(stampfile, "ready") >= n, 60):
                        print(f"{tool}: only {count(stampfile, 'ready')} of {n} services got ready; skipped\n")
                        continue
                    time.sleep(1.0)
                    pids = run.service_pids()
                    t0 = run.request_stop()
                    gone, left = procs.wait_gone(pids, cap)
                    exited = run.wait_exit(max(1, cap - (time.time_ns() - t0) / 1e9))
                    time.sleep(0.5)
                    survivors = set(left) | set(p for p in run.service_pids())
                    d = data[tool]
                    d["procs"].append(len(pids))
                    d["gone"].append(ms(gone - t0) if gone else None)
                    d["exit"].append(ms(exited - t0) if exited else None)
                    d["survivors"].append(len(survivors))
                    if tool == "farm":
                        closing = run.wait_line(lambda w: w[0] == "closing", 5)
                        closed = run.wait_line(lambda w: w[0] == "closed", 5)
                        if closing and closed:
                            farm_detail["cpu"].append((int(closed[2]) - int(closing[2])) / 1e9)
                        farm_detail["stopping"] += [ms(int(w[1]) - t0) for w in run.events("STOPPING")]
                        farm_detail["stopped"] += [ms(int(w[1]) - t0) for w in run.events("STOPPED")]
                finally:
                    run.cleanup()
        farm_med = median_of(data.get("farm", {}).get("gone", []))
        rows = []
        for tool in self.tool_names:
            d = data[tool]
            gone = [v for v in d["gone"] if v is not None]
            med = procs.median(gone) if len(gone) == len(d["gone"]) and gone else None
            timeouts = len(d["gone"]) - len(gone)
            rows.append([tool, len(d["gone"]), max(d["procs"], default=0),
                         fmt(med) if timeouts == 0 else f"> {cap} s in {timeouts} of {len(d['gone'])}",
                         fmt(procs.p90(gone)) if timeouts == 0 else "n/a",
                         fmt(median_of(d["exit"])),
                         "/".join(str(s) for s in d["survivors"]),
                         "-" if tool == "farm" else ratio(med, farm_med), how[tool]])
        table(["tool", "reps", "service processes", "median: all gone", "p90", "median: tool exited",
               "survivors per rep", "peer/farm (median)", "stop request"], rows)
        goal = "meets" if farm_med is not None and farm_med <= 1000 else "MISSES"
        print(f"farm median {fmt(farm_med)} {goal} the goal (<= 1 s).\n")
        if farm_detail["cpu"]:
            f = farm_detail
            print(f"Where farm's time goes: after the request, services reach STOPPING at median "
                  f"{fmt(procs.median(f['stopping']))} (max {fmt(max(f['stopping']))}) and STOPPED at median "
                  f"{fmt(procs.median(f['stopped']))} (min {fmt(min(f['stopped']))}), although every service process "
                  f"dies on its first SIGTERM (none waited out the 10 s stop timeout for SIGKILL). Meanwhile the farm JVM used median {procs.median(f['cpu']):.2f} "
                  "CPU-seconds (`getProcessCpuTime`, user + system) of the 2 cores: the trees are picked from /proc "
                  "readings shared by every stopping service, and group signals go through the reaper's built-in "
                  "`kill`.\n")

    # ----------------------------------------------------------------------------------------------- throughput
    def throughput(self):
        """4 services print 250k lines each as fast as they can; lines/s from the first `begin` to the last byte."""
        print("## 4. Aggregate log throughput to files\n")
        n_svc, lines = 4, (50_000 if self.quick else 250_000)
        reps = 1 if self.quick else 3
        print(f"{n_svc} services each print {lines:,} lines (`NAME SEQ payload`, 38 bytes) in 1000-line writes, "
              "then idle. Time = first service's `begin` stamp to the last change of the output files' total size "
              "(polled every 5 ms, done once every service stamped `done` and nothing changed for 2 s). Then every "
              "line is parsed back: lost = expected minus distinct (service, seq) found; out of order = a seq lower "
              "than its predecessor within the service.\n")
        where = {"farm": "`LogSinks.files(dir)`: DIR/NAME.log (+ rotated .1..3 at 10 MiB), timestamp-prefixed",
                 "supervisord": "stdout_logfile per program (maxbytes=0, no rotation)",
                 "pm2": "out_file per app",
                 "foreman": "foreman's stdout (prefixed, merged) redirected to a file",
                 "concurrently": "concurrently's stdout (prefixed, merged) redirected to a file"}
        data = {t: [] for t in self.tool_names}
        for rep in range(reps):
            for tool in self.tool_names:
                services = []
                run = self.new_run(tool, "tput", services, logs=tool in ("farm", "supervisord", "pm2"))
                stampfile = os.path.join(run.rundir, "stamps")
                for i in range(n_svc):
                    services.append(Service(f"t{i}", svc("spew", f"t{i}", lines, stampfile)))
                try:
                    run.start()
                    measured = measure_output(run, stampfile, n_svc, lines)
                finally:
                    run.cleanup()
                if measured:
                    data[tool].append(measured)
                shutil.rmtree(run.rundir, ignore_errors=True)  # tens of MB each
        farm_rates = [m["rate"] for m in data.get("farm", [])]
        farm_med = procs.median(farm_rates)
        rows = []
        for tool in self.tool_names:
            ms_ = data[tool]
            rates = [m["rate"] for m in ms_]
            med = procs.median(rates)
            rows.append([tool, len(ms_), fmt(med, "lines/s", 0), fmt(procs.p90(rates), "lines/s", 0),
                         fmt(min(rates, default=None), "lines/s", 0),
                         "/".join(str(m["lost"]) for m in ms_), "/".join(str(m["disorder"]) for m in ms_),
                         fmt(procs.median([m["write_ms"] for m in ms_])),
                         "-" if tool == "farm" else ratio(med, farm_med), where[tool]])
        table(["tool", "reps", "median", "p90", "min", "lines lost per rep", "out of order per rep",
               "services' own write time (median)", "peer/farm (median)", "where the lines go"], rows)
        goal = "meets" if farm_med is not None and farm_med >= 300_000 else "MISSES"
        print(f"farm median {fmt(farm_med, 'lines/s', 0)} {goal} the goal (>= 300,000 lines/s). "
              "Higher is better here, so peer/farm < 1 means farm is faster.\n")

    # --------------------------------------------------------------------------------------------------- memory
    def memory(self):
        """100 idle services; the orchestrator's own RSS (and farm's heap after a full GC)."""
        print("## 5. Memory with 100 idle services\n")
        n = 100
        reps = 1 if self.quick else 2
        print(f"{n} services (`svc.py idle`, no child). Once all recorded `ready` and 3 s have passed: RSS (VmRSS) of "
              "the tool's own processes (every tagged process that is not a service process), summed. farm: the "
              "JVM's heap used after `System.gc()` (MemoryMXBean), default JVM flags as `./farm` uses them.\n")
        data = {t: [] for t in self.tool_names}
        baseline = []
        for rep in range(reps):
            for tool in self.tool_names + (["farm0"] if "farm" in self.tool_names else []):
                services = []
                count_n = 0 if tool == "farm0" else n
                run = self.new_run("farm" if tool == "farm0" else tool, "mem", services)
                stampfile = os.path.join(run.rundir, "stamps")
                for i in range(count_n):
                    services.append(Service(f"m{i}", svc("idle", stampfile)))
                try:
                    run.start()
                    if run.tool == "farm":
                        run.wait_started(120)
                    if not procs.wait_until(lambda: count(stampfile, "ready") >= count_n, 120):
                        print(f"{tool}: only {count(stampfile, 'ready')} of {count_n} ready; skipped\n")
                        continue
                    time.sleep(3.0)
                    m = {}
                    if run.tool == "farm":
                        m.update(run.stats())
                    orch = run.orchestrator_pids()
                    m["rss"] = sum(procs.rss_kib(p) for p in orch) / 1024
                    m["main"] = procs.rss_kib(run.proc.pid) / 1024
                    m["names"] = sorted(set(short_name(p) for p in orch))
                    m["norch"] = len(orch)
                    wrappers = [p for p in run.service_pids() if procs.argv(p)[:1] in (["sh"], ["/bin/sh"])]
                    m["wrappers"] = sum(procs.pss_kib(p) for p in wrappers) / 1024
                    m["nwrappers"] = len(wrappers)
                    (baseline if tool == "farm0" else data[tool]).append(m)
                finally:
                    run.cleanup()
        farm = data.get("farm", [])
        farm_rss = median_of([m["rss"] for m in farm])
        rows = []
        for tool in self.tool_names:
            ms_ = data[tool]
            rss = median_of([m["rss"] for m in ms_])
            heap = median_of([m["heapUsed"] / 2 ** 20 for m in ms_]) if tool == "farm" and ms_ else None
            extra = ""
            if ms_ and ms_[0]["nwrappers"]:
                extra = (f"; not counted: the {ms_[0]['nwrappers']} `sh -c` wrappers it puts around the services, "
                         f"{ms_[0]['wrappers']:.0f} MiB PSS together")
            if tool == "farm" and ms_:
                extra = (f"; heap committed {median_of([m['heapCommitted'] / 2 ** 20 for m in ms_]):.0f} MiB, "
                         f"non-heap {median_of([m['nonHeapUsed'] / 2 ** 20 for m in ms_]):.0f} MiB, "
                         f"{ms_[0]['threads']} JVM threads")
            rows.append([tool, len(ms_), fmt(rss, "MiB"), fmt(median_of([m["main"] for m in ms_]), "MiB"),
                         fmt(heap, "MiB", 2), "-" if tool == "farm" else ratio(rss, farm_rss),
                         (", ".join(ms_[0]["names"]) if ms_ else "") + extra])
        if baseline:
            b = baseline[0]
            rows.append(["farm, 0 services (JVM floor)", len(baseline), fmt(median_of([m["rss"] for m in baseline]), "MiB"),
                         fmt(median_of([m["main"] for m in baseline]), "MiB"),
                         fmt(median_of([m["heapUsed"] / 2 ** 20 for m in baseline]), "MiB", 2), "-",
                         f"{b['threads']} JVM threads"])
        table(["tool", "reps", "RSS of the tool's processes (median)", "RSS of the main process", "heap used after GC",
               "peer/farm (RSS)", "processes counted"], rows)


    # ---------------------------------------------------------------------------------------------------- watch
    def watch(self):
        """One ~2 KB write of a watched .py file every 150-200 ms; write returned -> the watcher's notification."""
        print("## 6. File-change detection latency\n")
        rounds, per_round = (1, 20) if self.quick else (2, 50)
        work = os.path.join(WORK, f"watch-{os.getpid()}")
        shutil.rmtree(work, ignore_errors=True)
        root = os.path.join(work, "tree")
        tree = make_tree(root)
        configs = [c for c in WATCH_CONFIGS if c[1] in self.watch_tools]
        print(f"One tree for every tool: {len(tree['py'])} `.py` files in {tree['leaf_dirs']} folders under `apps/` "
              f"({tree['src_dirs']} folders in all, root included), and {tree['nm_files']:,} files in "
              f"{tree['nm_dirs']} folders under two `node_modules` (the root's and `apps/web/`'s), which every tool "
              "is told to ignore. Each tool is started on it alone, and once it says it is watching (and 0.5 s more), "
              f"the harness writes {per_round} files in each of {rounds} rounds: one `.py` file at a time, chosen "
              "without repeats, ~2 KB of new content with `open(path, 'w').write(...)` (truncate, write, close), "
              "then a pause of 150-200 ms (seeded per round, so every tool gets the same files, contents' sizes and "
              "pauses; tools take turns, in a rotated order each round). Latency = the first notification naming the "
              "file minus `time.time_ns()` taken right after the write returned; negative = the tool reported it "
              "before the writer read the clock after `close()`: the writer (a process of its own) was scheduled out "
              "between the truncate and the clock read while the tool ran, as the writer's open -> close column shows. "
              "Missed = no notification within 2.5 s; duplicates = further notifications "
              "for the same write. Every sample is kept in `bench/.work/watch-samples-PID.tsv`.\n")
        data = {c[0]: new_watch_stats() for c in configs}
        for r in range(rounds):
            plan = write_plan(tree["py"], per_round, seed=r)
            k = r % len(configs) if configs else 0
            for config in configs[k:] + configs[:k]:
                self.watch_once(config, root, tree, plan, r, data[config[0]])
        shutil.rmtree(work, ignore_errors=True)
        for key, st in data.items():
            for e in st["errors"]:
                print(f"**{key}: {e}**\n")

        def row(key, label, base, what):
            st = data.get(key)
            if st is None:
                return None
            lat = st["lat"]
            n = st["writes"]
            wr = st["write_ms"]
            writer = f"{fmt(procs.median(wr), digits=2)} / {fmt(max(wr), digits=2)}" if wr else "n/a"
            if not lat:
                return [label, 0, "n/a", "n/a", "n/a", "n/a", "n/a", f"{n}/{n}" if n else "n/a", "n/a", writer, "n/a",
                        what]
            p50, p99 = procs.median(lat), procs.percentile(lat, 0.99)
            b = data.get(base)
            bp50 = procs.median(b["lat"]) if b and b["lat"] else None
            bp99 = procs.percentile(b["lat"], 0.99) if b and b["lat"] else None
            same = key == base
            return [label, len(lat), fmt(p50, digits=2), fmt(procs.p90(lat), digits=2), fmt(p99, digits=2),
                    fmt(max(lat), digits=2), fmt(min(lat), digits=2), f"{st['missed']}/{n}",
                    f"{st['dupes']}" + (f" (+{st['spurious']} for unwritten paths)" if st["spurious"] else ""),
                    writer, "-" if same else f"{ratio(p50, bp50)} / {ratio(p99, bp99)}", what]

        header = ["tool", "n", "p50", "p90", "p99", "max", "min", "missed", "duplicates",
                  "writer's open -> close (p50 / max)", "peer/farm (p50 / p99)", "what is timed"]
        print("### 6a. Raw event latency: write returned -> first notification\n")
        rows = [row("farm-raw", "farm, window 0 (`debounce(ZERO, ZERO)`)", "farm-raw",
                    "`ChangeBatch` on entry to the listener (WatchRunner, `Instant.now()`); one rule `apps/**/*.py`, "
                    "default ignores"),
                row("farm-raw-noguard", "farm, window 0, loop guard raised", "farm-raw",
                    "the same with `feedbackLoop(100000, 10s)` instead of the default 10 runs in 10 s"),
                row("chokidar", "chokidar (defaults)", "farm-raw",
                    "`'change'` event (`process.hrtime`, CLOCK_MONOTONIC, against the writer's `time.monotonic_ns()`); "
                    "`ignored` = any path with a `node_modules` segment"),
                row("inotifywait", "inotifywait (no debounce)", "farm-raw",
                    "`close_write`/`moved_to` line arriving in the harness (inotifywait prints no sub-second time); "
                    "`--exclude node_modules`")]
        table(header, [x for x in rows if x])
        for key in ("farm-raw", "farm-raw-noguard"):
            print(farm_watch_goal(data.get(key), key, 2, 20, "the notes' goal for raw events"))
        print("### 6b. Debounced delivery: write returned -> batch delivered, farm's default window\n")
        rows = [row("farm-window", "farm, window 100 ms quiet / 1 s max (default)", "farm-window",
                    "`ChangeBatch` on entry to the listener, as in 6a"),
                row("farm-window-noguard", "farm, default window, loop guard raised", "farm-window",
                    "the same with `feedbackLoop(100000, 10s)` instead of the default 10 runs in 10 s")]
        for key, label in (("chokidar", "chokidar"), ("inotifywait", "inotifywait")):
            if key in data:
                rows.append([label, "-", "n/a", "n/a", "n/a", "n/a", "n/a", "-", "-", "-", "n/a",
                             "no quiet window: it notifies at once (see 6a); a user adds a debounce of their own"])
        table(header, [x for x in rows if x])
        for key in ("farm-window", "farm-window-noguard"):
            print(farm_watch_goal(data.get(key), key, 120, 200, "the issue's goal", window=100))
        print("### 6c. Startup on the tree and inotify watches\n")
        print("Spawn -> watching: from the harness's `Popen` to the line that says the tool is watching: farm's "
              "`start()` returned (JVM start included), chokidar's `'ready'` (initial scan done, `add` events "
              "emitted), inotifywait's `Watches established.`. In-process: farm's `start()` alone, chokidar's "
              "`watch()` -> `'ready'`, inotifywait's `Setting up watches` -> `Watches established.` (arrival times). "
              "Watches: the `inotify wd:` lines in `/proc/PID/fdinfo/FD` of every inotify fd of the tool's "
              "processes, 0.5 s after it said it was watching; each watch's inode is looked up in the tree. The tree "
              f"has {tree['src_dirs']} folders and {tree['src_files']} files outside `node_modules`, "
              f"{tree['nm_dirs']} folders and {tree['nm_files']:,} files inside.\n")
        base_start = procs.median(data["farm-window"]["startup"]) if data.get("farm-window", {}).get("startup") \
            else None
        rows = []
        for key, _, label, _ in configs:
            st = data[key]
            if not st["startup"]:
                rows.append([label, 0, "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"])
                continue
            w = st["watches"][-1]
            spread = sorted(set(x["total"] for x in st["watches"]))
            start_med = procs.median(st["startup"])
            own = [x for x in st["own"] if x is not None]
            rows.append([label, len(st["startup"]), fmt(start_med), fmt(procs.median(own)) if own else "n/a",
                         "-" if key == "farm-window" else ratio(start_med, base_start),
                         "/".join(str(x) for x in spread) + f" ({w['src_dir']} folders, {w['src_file']} files"
                         + (f", {w['other']} outside the tree" if w["other"] else "") + ")",
                         f"{w['nm_dir'] + w['nm_file']} ({w['nm_dir']} folders, {w['nm_file']} files)",
                         "; ".join(sorted(set(st["notes"]))) or "-"])
        table(["tool", "starts", "spawn -> watching (median)", "in-process (median)", "peer/farm (spawn -> watching)",
               "inotify watches", "of them under node_modules", "notes"], rows)
        for key in ("farm-window", "farm-raw"):
            st = data.get(key)
            if st and st["watches"]:
                nm = max(x["nm_dir"] + x["nm_file"] for x in st["watches"])
                total = max(x["total"] for x in st["watches"])
                goal = "meets" if nm == 0 and total <= tree["src_dirs"] else "MISSES"
                print(f"{key}: {nm} watches under node_modules, {total} in all for {tree['src_dirs']} non-ignored "
                      f"folders: {goal} the goal (0 under ignored folders; watches <= non-ignored folders).\n")

    def watch_once(self, config, root, tree, plan, rnd, st):
        key, tool, label, opts = config
        self.run_id += 1
        tag = f"watch-{key}-{self.run_id}-{os.getpid()}"
        rundir = os.path.join(WORK, tag)
        shutil.rmtree(rundir, ignore_errors=True)
        run = tools.WATCH_TOOLS[tool](rundir, tag, root, **opts)
        try:
            run.start()
            try:
                startup, own = run.wait_watching(60)
            except RuntimeError as e:
                st["errors"].append(f"round {rnd + 1}: {e}")
                return
            st["startup"].append(startup)
            st["own"].append(own)
            time.sleep(0.5)  # chokidar's initial `add` events, farm's first scan: not part of any sample
            st["watches"].append(classify_watches(run.inotify_watches(), tree))
            writes = run_writer(run, root, [(rel, payload(rel, f"{key} round {rnd + 1} write {i + 1}"), gap)
                                            for i, (rel, gap) in enumerate(plan)])
            written = {w["path"] for w in writes}
            procs.wait_until(lambda: written <= {p for _, p in run.events()}, 2.5, 0.05)
            time.sleep(0.3)  # late duplicates
            matched = match_events(run.events(), writes, run.clock)
            with open(os.path.join(WORK, f"watch-samples-{os.getpid()}.tsv"), "a") as f:  # for a closer look
                for i, (rel, write_ms, lat) in enumerate(matched["samples"]):
                    f.write(f"{key}\t{rnd + 1}\t{i + 1}\t{rel}\t{write_ms:.3f}\t{lat}\n")
                if tool == "farm":
                    for w in run.pauses():
                        f.write(f"{key}\t{rnd + 1}\tpaused\t{' '.join(w[3:])}\n")
            st["writes"] += len(writes)
            st["write_ms"] += [ms(w["wall"][1] - w["wall"][0]) for w in writes]
            st["lat"] += matched["lat"]
            st["missed"] += matched["missed"]
            st["dupes"] += matched["dupes"]
            st["spurious"] += matched["spurious"]
            if tool == "farm":
                batches = run.batches()
                st["batches"] += len(batches)
                st["merged"] += sum(1 for b in batches if len(b) > 5)
                st["rescans"] += sum(1 for b in batches if b[3] == "true")
                pauses = run.pauses()
                st["pauses"] += len(pauses)
                st["paused_paths"] += sum(len(w) - 3 for w in pauses)
            if tool == "chokidar":
                ready = run.wait_line(lambda s, w: w[0] == "ready", 0)
                if ready and len(ready[3]) > 2:
                    st["notes"].append(f"{ready[3][2]} initial `add` events before 'ready'")
        finally:
            run.cleanup()
            shutil.rmtree(rundir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------- helpers
def probe_split(run, starting_ns, listen_ns, ready_ns):
    """For one incarnation: (port open -> first attempt after it, that attempt -> READY, the pause before that
    attempt: 0 when the first attempt already passed), in ms."""
    attempts = [int(w[1]) for w in run.lines_of("probe") if int(w[1]) >= starting_ns]
    after = [t for t in attempts if t >= listen_ns]
    before = [t for t in attempts if t < listen_ns]
    if not after:
        return None
    return ms(after[0] - listen_ns), ms(ready_ns - after[0]), ms(after[0] - before[-1]) if before else 0.0


def listens(stampfile):
    return [t for what, t, _ in procs.read_stamps(stampfile) if what == "listen"]


def count(stampfile, what):
    return sum(1 for w, _, _ in procs.read_stamps(stampfile) if w == what)


def restart_latencies(stampfile):
    """Next `start` minus previous `exit`, in ms, in order."""
    records = procs.read_stamps(stampfile)
    starts = [t for w, t, _ in records if w == "start"]
    exits = [t for w, t, _ in records if w == "exit"]
    return [ms(starts[i + 1] - exits[i]) for i in range(min(len(exits), len(starts) - 1))]


def farm_restart_breakdown(run, stampfile, samples):
    """Splits farm's exit -> start into: exit -> RESTARTING event, RESTARTING -> STARTING event (the new process
    was spawned), STARTING -> the new process's first stamp (setsid exec and python startup)."""
    records = procs.read_stamps(stampfile)
    starts = [t for w, t, _ in records if w == "start"]
    exits = [t for w, t, _ in records if w == "exit"]
    restarting = {int(w[4]): int(w[1]) for w in run.events("RESTARTING")}
    starting = {int(w[4]): int(w[1]) for w in run.events("STARTING")}
    parts = {"exit -> RESTARTING event (exit noticed, output drained, tree checked)": [],
             "RESTARTING -> STARTING event (new process spawned)": [],
             "STARTING -> service's first stamp (setsid exec, python3 -S start)": []}
    keys = list(parts)
    for i in range(min(samples, len(exits), len(starts) - 1)):
        inc = i + 1  # incarnations count from 1
        if inc in restarting and inc + 1 in starting:
            parts[keys[0]].append(ms(restarting[inc] - exits[i]))
            parts[keys[1]].append(ms(starting[inc + 1] - restarting[inc]))
            parts[keys[2]].append(ms(starts[i + 1] - starting[inc + 1]))
    return parts if parts[keys[0]] else None


GLOBS = ["apps/**/*.py"]
WATCH_CONFIGS = [  # (key, tool, label, adapter options). farm: its default window and none, each also with the
    # feedback-loop guard raised from 10 to 100,000 runs in 10 s, since the benchmark's writes trip the default guard
    ("farm-window", "farm", "farm, window 100 ms / 1 s", {"quiet_ms": 100, "max_wait_ms": 1000, "globs": GLOBS}),
    ("farm-window-noguard", "farm", "farm, window 100 ms / 1 s, guard raised",
     {"quiet_ms": 100, "max_wait_ms": 1000, "globs": GLOBS, "loop_runs": 100_000}),
    ("farm-raw", "farm", "farm, window 0", {"quiet_ms": 0, "max_wait_ms": 0, "globs": GLOBS}),
    ("farm-raw-noguard", "farm", "farm, window 0, guard raised",
     {"quiet_ms": 0, "max_wait_ms": 0, "globs": GLOBS, "loop_runs": 100_000}),
    ("chokidar", "chokidar", "chokidar (defaults)", {}),
    ("inotifywait", "inotifywait", "inotifywait", {}),
]


def new_watch_stats():
    return {"lat": [], "writes": 0, "missed": 0, "dupes": 0, "spurious": 0, "batches": 0, "merged": 0, "rescans": 0,
            "pauses": 0, "paused_paths": 0, "write_ms": [],
            "startup": [], "own": [], "watches": [], "errors": [], "notes": []}


TREE_APPS = ["api", "web", "worker", "admin"]
TREE_KINDS = ["models", "routes", "services", "schemas", "utils"]


def make_tree(root):
    """The project every watcher gets: 4 apps x 5 source folders x 10 .py files, and two node_modules (120 packages
    at the root, 30 under apps/web) of 20 files each. Returns the .py paths (relative) and every inode, classified."""
    py = []
    for app in TREE_APPS:
        for kind in TREE_KINDS:
            folder = os.path.join(root, "apps", app, "src", kind)
            os.makedirs(folder)
            for j in range(10):
                rel = f"apps/{app}/src/{kind}/{kind[:-1]}_{j}.py"
                with open(os.path.join(root, rel), "w") as f:
                    f.write(payload(rel, "initial"))
                py.append(rel)
    for name, text in (("README.md", "# bench tree\n"), ("pyproject.toml", "[project]\nname = 'tree'\n")):
        with open(os.path.join(root, name), "w") as f:
            f.write(text)
    for base, count in (("node_modules", 120), ("apps/web/node_modules", 30)):
        for i in range(count):
            pkg = os.path.join(root, base, f"pkg-{i:03d}")
            os.makedirs(os.path.join(pkg, "lib"))
            files = {"package.json": f'{{"name": "pkg-{i:03d}", "version": "1.0.{i}", "main": "index.js"}}\n',
                     "index.js": "module.exports = require('./lib/m0');\n", "README.md": f"# pkg-{i:03d}\n"}
            files.update({f"lib/m{k}.js": f"exports.f{k} = (x) => x + {k};\n" * 8 for k in range(17)})
            for rel, text in files.items():
                with open(os.path.join(pkg, rel), "w") as f:
                    f.write(text)
    inodes = {}
    counts = {"src_dirs": 0, "src_files": 0, "nm_dirs": 0, "nm_files": 0}
    for folder, dirs, files in os.walk(root):
        in_nm = "node_modules" in os.path.relpath(folder, root).split(os.sep)
        inodes[os.stat(folder).st_ino] = ("nm_dir" if in_nm else "src_dir")
        counts["nm_dirs" if in_nm else "src_dirs"] += 1
        for name in files:
            inodes[os.stat(os.path.join(folder, name)).st_ino] = "nm_file" if in_nm else "src_file"
            counts["nm_files" if in_nm else "src_files"] += 1
    return dict(counts, root=root, py=py, inodes=inodes, leaf_dirs=len(TREE_APPS) * len(TREE_KINDS))


def payload(rel, what):
    """About 2 KB of Python, new each time (its first line names the write), so content checks see a change."""
    head = f"# {rel}: {what}\n"
    body = "".join(f"def handler_{k}(request):\n    return {{'status': 'ok', 'handler': {k}, 'items': []}}\n\n"
                   for k in range(24))
    return head + body[:2048 - len(head)]


def write_plan(py, n, seed):
    """n distinct .py files and the pause after each write (150-200 ms), the same for every tool in a round."""
    import random
    rng = random.Random(seed)
    return [(rel, rng.uniform(0.150, 0.200)) for rel in rng.sample(py, min(n, len(py)))]


def farm_watch_goal(st, key, p50_goal, p99_goal, whose, window=None):
    """One paragraph: a farm configuration's figures against its goal, and what its batches looked like."""
    if not st or not st["lat"]:
        return ""
    p50, p99 = procs.median(st["lat"]), procs.percentile(st["lat"], 0.99)
    goal = "meets" if p50 <= p50_goal and p99 <= p99_goal and st["missed"] == 0 else "MISSES"
    text = (f"{key}: p50 {fmt(p50, digits=2)}, p99 {fmt(p99, digits=2)}, {st['missed']} of {st['writes']} writes "
            f"missed: {goal} {whose} (p50 <= {p50_goal} ms, p99 <= {p99_goal} ms, none missed). ")
    if window:
        text += (f"Beyond the {window} ms quiet window itself: p50 {fmt(p50 - window, digits=1)}, "
                 f"p99 {fmt(p99 - window, digits=1)}. ")
    text += (f"{st['batches']} batches; {st['merged']} named more than one file; {st['rescans']} were rescans; "
             f"the feedback-loop guard paused the rule {st['pauses']} times")
    if st["pauses"]:
        text += (f" (`paused` named {st['paused_paths']} paths in all; the write that tripped the guard is never "
                 "delivered as a batch)")
    return text + ".\n"


def run_writer(run, root, writes):
    """Runs bench/writer.py (a process of its own, see there) with the run's tag; returns its stamps."""
    plan, stamps = os.path.join(run.rundir, "writes.json"), os.path.join(run.rundir, "writes.stamps")
    with open(plan, "w") as f:
        json.dump({"root": root, "writes": writes}, f)
    subprocess.run([tools.PYTHON, "-S", os.path.join(tools.BENCH, "writer.py"), plan, stamps], env=run.env,
                   stdin=subprocess.DEVNULL, check=True, timeout=30 + sum(gap for _, _, gap in writes) * 2)
    out = []
    with open(stamps) as f:
        for line in f:
            rel, bw, bm, ew, em = line.split()
            out.append({"path": rel, "wall": (int(bw), int(ew)), "mono": (int(bm), int(em))})
    return out


def match_events(events, writes, clock):
    """Each write (to a file written once in the run) against the tool's notifications naming that file."""
    by_path = {}
    for t, rel in sorted(events):
        by_path.setdefault(rel, []).append(t)
    written = {w["path"] for w in writes}
    out = {"lat": [], "missed": 0, "dupes": 0, "samples": [],
           "spurious": sum(len(ts) for rel, ts in by_path.items() if rel not in written)}
    for w in writes:
        begin, end = w[clock]
        times = [t for t in by_path.get(w["path"], []) if t >= begin]
        out["samples"].append((w["path"], ms(end - begin), [round(ms(t - end), 3) for t in times]))
        if not times:
            out["missed"] += 1
            continue
        out["lat"].append(ms(times[0] - end))
        out["dupes"] += len(times) - 1
    return out


def classify_watches(inodes, tree):
    kinds = {"src_dir": 0, "src_file": 0, "nm_dir": 0, "nm_file": 0, "other": 0}
    for ino in inodes:
        kinds[tree["inodes"].get(ino, "other")] += 1
    return dict(kinds, total=len(inodes))


def median_of(values):
    values = [v for v in values if v is not None]
    return procs.median(values) if values else None


def short_name(pid):
    words = procs.argv(pid)
    if not words:
        return "?"
    text = " ".join(words)
    if "farm-reaper" in text:
        return "farm reaper (sh)"
    if "FarmRunner" in text:
        return "farm JVM"
    return " ".join(os.path.basename(w) for w in words[:2])[:40]


LINE = re.compile(rb"(t\d) (\d{7}) x{24}$", re.M)


def measure_output(run, stampfile, n_svc, lines):
    """Waits until the services are done and the output files stop growing; then checks every line."""
    if run.tool == "farm":
        run.wait_started(60)
    ok = procs.wait_until(lambda: count(stampfile, "done") >= n_svc, 120)
    if not ok:
        print(f"{run.tool}: the services did not finish printing within 120 s\n")
    files = lambda: output_files(run)
    last_size, last_change = -1, time.time_ns()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # bounded: 2 min
        size = sum(os.path.getsize(f) for f in files() if os.path.exists(f))
        now = time.time_ns()
        if size != last_size:
            last_size, last_change = size, now
        elif now - last_change > 2e9:
            break
        time.sleep(0.005)
    records = procs.read_stamps(stampfile)
    begin = min(t for w, t, _ in records if w == "begin")
    write_ms = max(ms(t) for w, t, _ in records if w == "done") - ms(begin)
    seen = {f"t{i}".encode(): [] for i in range(n_svc)}
    for f in ordered(files()):
        with open(f, "rb") as fh:
            for name, seq in LINE.findall(fh.read()):
                seen[name].append(int(seq))
    found = sum(len(set(s)) for s in seen.values())
    disorder = sum(sum(1 for a, b in zip(s, s[1:]) if b < a) for s in seen.values())
    return {"rate": found / ((last_change - begin) / 1e9), "lost": n_svc * lines - found, "disorder": disorder,
            "write_ms": write_ms}


def output_files(run):
    if run.logs:
        return [os.path.join(run.logs, f) for f in os.listdir(run.logs)] if os.path.isdir(run.logs) else []
    return run.output_files()


def ordered(files):
    """Oldest first: NAME.log.3, .2, .1, then NAME.log."""
    def key(path):
        base, ext = os.path.splitext(path)
        return (base, -int(ext[1:])) if ext[1:].isdigit() else (path, 0)
    return sorted(files, key=key)


def versions():
    def out(*cmd):
        try:
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=20)
            return r.stdout.strip().splitlines()[0]
        except (OSError, subprocess.TimeoutExpired, IndexError):
            return "not found"

    def npm_version(name):
        path = os.path.join(tools.BENCH, ".peers", "node_modules", name, "package.json")
        try:
            return json.load(open(path))["version"]
        except OSError:
            return "not installed"

    return [("machine", f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs"),
            ("java", out("java", "-version")), ("python3", out(tools.PYTHON, "-V")), ("node", out("node", "-v")),
            ("foreman", out("foreman", "version")), ("supervisord", out("supervisord", "-v")),
            ("pm2", npm_version("pm2")), ("concurrently", npm_version("concurrently")),
            ("chokidar", npm_version("chokidar")), ("inotifywait", out("inotifywait", "--help")),
            ("openapi-typescript", npm_version("openapi-typescript")), ("typescript", npm_version("typescript")),
            ("nginx", out(proxy.NGINX, "-v")), ("wrk", out("wrk", "-v")), ("express", npm_version("express")),
            ("http-proxy-middleware", npm_version("http-proxy-middleware"))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default=",".join(BENCHMARKS))
    parser.add_argument("--tools", default=None, help="default: every tool each benchmark knows")
    parser.add_argument("--quick", action="store_true", help="fewer samples and reps, to try the harness")
    args = parser.parse_args()
    only = args.only.split(",")
    wanted = args.tools.split(",") if args.tools else PROCESS_TOOLS + list(tools.WATCH_TOOLS) + proxy.TARGETS
    unknown = [b for b in only if b not in BENCHMARKS] + \
        [t for t in wanted if t not in PROCESS_TOOLS and t not in tools.WATCH_TOOLS and t not in proxy.TARGETS]
    if unknown:
        parser.error(f"unknown: {', '.join(unknown)} (benchmarks: {', '.join(BENCHMARKS)}; tools: "
                     f"{', '.join(PROCESS_TOOLS)}, {', '.join(tools.WATCH_TOOLS)}, {', '.join(proxy.TARGETS)})")
    os.makedirs(WORK, exist_ok=True)
    atexit.register(tools.cleanup_all)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: sys.exit(130))

    started = time.monotonic()
    print(f"# farm vs peers: benchmark run {time.strftime('%Y-%m-%d %H:%M:%S %Z')}\n")
    command = os.environ.get("BENCH_COMMAND", "python3 bench/bench.py " + " ".join(sys.argv[1:]))
    print(f"Command: `{command.strip()}`, commit {os.environ.get('BENCH_COMMIT', 'unknown')}. "
          "All times are wall-clock; all services are real processes on 127.0.0.1. See bench/README.md.\n")
    if only != BENCHMARKS:
        print(f"**This run is limited to `{','.join(only)}`; it is not a full run.** Figures of the other benchmarks "
              "are in earlier results files.\n")
    table(["", "version"], versions())
    bench = Bench([t for t in wanted if t in PROCESS_TOOLS], [t for t in wanted if t in tools.WATCH_TOOLS],
                  args.quick, [t for t in proxy.TARGETS if t in wanted])
    for name in only:
        t = time.monotonic()
        getattr(bench, name)()
        print(f"_({name}: {time.monotonic() - t:.0f} s)_\n")
        sys.stdout.flush()
    tools.cleanup_all()
    left = procs.tagged_suffix(f"-{os.getpid()}")
    print(f"Total time {time.monotonic() - started:.0f} s. Processes left by this run after cleanup: {len(left)}.")


if __name__ == "__main__":
    main()
