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
import random
import re
import shutil
import signal
import subprocess
import sys
import time

import cli_bench
import codegen_bench
import prereqs
import procs
import proxy
import report
import tools
from report import AREAS
from charts import Panel
from report import SUMMARY, peers_cell, ratio_text
from tools import Service, svc

WORK = os.path.join(tools.BENCH, ".work")
BENCHMARKS = ["readiness", "restart", "stop", "throughput", "memory", "watch", "codegen", "proxy", "cli"]
PROCESS_TOOLS = ["farm", "foreman", "supervisord", "pm2", "concurrently"]


def service_ports(n):
    """n ports for listening services, below the kernel's ephemeral port range (ip_local_port_range) and free now.
    Inside that range, a client that connects to a loopback port nobody listens on yet can be given that very port
    as its own and connect to itself (TCP self-connect): a probe then passes before the service listens, and the
    service cannot bind. farm's `Probes.tcp` is fooled by this (seen here with 20 services probed every 5 ms), so
    the benchmark keeps its services out of the range, as a user's fixed ports usually are."""
    return procs.low_ports(n)


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
        self.missing = set()

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
        codegen_bench.run(self.quick, fmt, table, ratio, with_peer="openapi-typescript" not in self.missing
                          and "typescript" not in self.missing)

    # ------------------------------------------------------------------------------------------------------ cli
    def cli(self):
        cli_bench.CliBench(self, [t for t in PROCESS_TOOLS if t in self.tool_names and t != "farm"],
                           self.quick).run(table)

    # ------------------------------------------------------------------------------------------------ readiness
    def readiness(self):
        """20 services with a TCP readiness each: start -> all ready -> stop -> all gone, every tool in turn."""
        print("## 1. 20 services with a TCP readiness each: time to all ready, detection latency, time to all "
              "stopped\n")
        n = 20
        rounds = 2 if self.quick else 4
        rng = random.Random(20)
        delays = [round(rng.uniform(200, 1000)) for _ in range(n)]
        ports = service_ports(n)
        cap = 15
        print(f"{n} services (`svc.py listen`): service i sleeps a fixed delay (the same {min(delays)}-{max(delays)} ms "
              "for every tool and round, seeded), then listens on 127.0.0.1 and records `time.time_ns()`. Each tool "
              "is started with all 20, configured as closely as it can express \"ready when the port accepts\"; "
              f"{rounds} rounds, the tools in an order rotated each round. Measured from the tool's spawn (`Popen`): "
              "**all ports open** (the last service's own stamp: what the stack really needs), **all ready as the "
              "tool reports it**, and, once everything listened and 0.5 s passed, the stop request -> **all 20 "
              f"service processes gone** (/proc polled every 5 ms; {cap} s cap, or 1 s after the tool exited, "
              "whichever comes first: past that nobody is left to stop them). Detection latency = the tool's ready "
              "time for a service minus that service's own listen stamp (same wall clock); negative = the tool "
              "called it ready before its port was open.\n")
        how = {"farm": "`Probes.tcp(port)` per service: the READY event",
               "supervisord": "cannot probe a port; nearest: `startsecs=1` (RUNNING once the process stayed up 1 s), "
                              "from supervisord.log (ms resolution)",
               "pm2": "cannot probe a port (`wait_ready` needs the app to call `process.send('ready')`); nearest: "
                      "`online` (`pm2 jlist` pm_uptime), which it sets at spawn",
               "foreman": "no readiness at all: it prints `started with pid` at spawn",
               "concurrently": "no readiness at all"}
        data = {t: {"ports": [], "ready": [], "lat": [], "before": 0, "stopped": [], "exited": [], "survivors": [],
                    "hwm": [], "split": []} for t in self.tool_names}
        for rnd in range(rounds):
            for tool in rotated(self.tool_names, rnd):
                services = [Service(f"w{i:02d}", [], port=ports[i]) for i in range(n)]
                run = self.new_run(tool, "ready", services)
                stampfile = os.path.join(run.rundir, "stamps")
                for i, s in enumerate(services):
                    s.argv = svc("listen", ports[i], stampfile, delays[i], delays[i])
                d = data[tool]
                try:
                    t0 = time.time_ns()
                    run.start()
                    if not procs.wait_until(lambda: len(listens(stampfile)) >= n, 30):
                        print(f"{tool}, round {rnd + 1}: only {len(listens(stampfile))} of {n} services listened "
                              "within 30 s; round skipped\n")
                        continue
                    listen_at = {int(detail.split()[1]): t for w, t, detail in procs.read_stamps(stampfile)
                                 if w == "listen"}
                    d["ports"].append(ms(max(listen_at.values()) - t0))
                    ready = self.ready_times(run, [s.name for s in services])
                    if ready:
                        lat = [ms(ready[s.name] - listen_at[s.port]) for s in services if s.name in ready]
                        d["lat"] += lat
                        d["before"] += sum(1 for v in lat if v < 0)
                        if len(ready) == n:
                            d["ready"].append(ms(max(ready.values()) - t0))
                        if tool == "farm":
                            d["split"] += [x for x in (probe_split(run, s.name, listen_at[s.port], ready[s.name])
                                                       for s in services if s.name in ready) if x]
                    time.sleep(0.5)
                    d["hwm"].append(sum(procs.hwm_kib(p) for p in run.orchestrator_pids()) / 1024)
                    pids = run.service_pids()
                    t_stop = run.request_stop()
                    gone, left = procs.wait_gone(pids, cap, until=lambda: run.exited_at and
                                                 time.time_ns() - run.exited_at > 1e9)
                    exited = run.wait_exit(max(0.1, cap - (time.time_ns() - t_stop) / 1e9))
                    d["stopped"].append(ms(gone - t_stop) if gone else None)
                    d["exited"].append(ms(exited - t_stop) if exited else None)
                    d["survivors"].append(len(left))
                finally:
                    run.cleanup()

        farm = data.get("farm")
        f_ports, f_ready, f_stop = (median_of(farm[k]) if farm else None for k in ("ports", "ready", "stopped"))
        rows = []
        for tool in self.tool_names:
            d = data[tool]
            stopped = [v for v in d["stopped"] if v is not None]
            timeouts = len(d["stopped"]) - len(stopped)
            ready_med = median_of(d["ready"])
            lat_med = median_of(d["lat"])
            rows.append([tool, len(d["ports"]), fmt(median_of(d["ports"])),
                         "-" if tool == "farm" else ratio(median_of(d["ports"]), f_ports),
                         fmt(ready_med) if d["ready"] else "n/a",
                         "-" if tool == "farm" else (ratio(ready_med, f_ready) if d["ready"] and d["before"] == 0
                                                     else "n/a"),
                         f"{fmt(lat_med)} / {fmt(procs.p90(d['lat']))}" if d["lat"] else "n/a",
                         f"{d['before']}/{len(d['lat'])}" if d["lat"] else "-",
                         (fmt(median_of(stopped)) if not timeouts else
                          f"> {cap} s or left orphans in {timeouts} of {len(d['stopped'])}"),
                         "-" if tool == "farm" else (ratio(median_of(stopped), f_stop) if not timeouts else "n/a"),
                         "/".join(str(s) for s in d["survivors"]), fmt(median_of(d["hwm"]), "MiB"), how[tool]])
        table(["tool", "rounds", "all ports open (median)", "peer/farm", "all ready, as the tool says (median)",
               "peer/farm", "detection latency median / p90", "said ready before the port opened",
               "stop -> all gone (median)", "peer/farm", "survivors per round", "peak RSS of the tool",
               "readiness it can express"], rows)
        early = {t: f"{data[t]['before']} of {len(data[t]['lat'])}" for t in ("supervisord", "pm2") if t in data}
        print("What the comparison means: only farm waits for the ports. supervisord's RUNNING comes a fixed second "
              "after spawn whether the port is open or not, so it is late for a fast service and early for a slow one"
              + (f" (early here for {early['supervisord']})" if "supervisord" in early else "") + "; pm2's `online` "
              "comes at spawn, before the port opened" + (f" ({early['pm2']})" if "pm2" in early else "")
              + "; foreman and concurrently cannot tell at all. With them, a service that depends on another starts "
              "at once and must retry on its own, and the user learns that the stack works by trying it. Their "
              "\"all ports open\" column is how fast they spawn; farm's includes its JVM start. The chart shows the "
              "peers' \"ready\" times with how often they came before the port opened, and no ratio.\n")
        if farm and farm["lat"]:
            med = procs.median(farm["lat"])
            met = med <= 30 and len(farm["lat"]) == n * len(farm["ports"])
            print(f"farm: detection latency median {fmt(med)} over {len(farm['lat'])} services "
                  f"({'meets' if met else 'MISSES'} the goal: median <= 30 ms).\n")
            SUMMARY.goal("ready-latency", f"{fmt(med)} (p90 {fmt(procs.p90(farm['lat']))}, {len(farm['lat'])} "
                         "services)", met)
        if farm and farm["split"]:
            waits = [w for w, _, _ in farm["split"]]
            paths = [p for _, p, _ in farm["split"]]
            gaps = [g for _, _, g in farm["split"]]
            print("Where farm's time goes, from farm's own probe attempts (FarmRunner wraps `Probes.tcp` to record "
                  f"when each attempt begins): port open -> the first attempt after it: median {fmt(procs.median(waits))} "
                  f"(p90 {fmt(procs.p90(waits))}); that attempt -> READY event: median {fmt(procs.median(paths))} "
                  f"(p90 {fmt(procs.p90(paths))}). The pause between the last failed attempt and the passing one was "
                  f"median {fmt(procs.median(gaps))} (max {fmt(max(gaps))}): while nothing listens, ProbeSchedule tries "
                  "again every 5 ms.\n")
        self.readiness_summary(data, f_ports, f_ready, f_stop)

    def readiness_summary(self, data, f_ports, f_ready, f_stop):
        peers = [t for t in self.tool_names if t != "farm"]
        lat = data.get("farm", {}).get("lat", [])
        SUMMARY.row("supervisor", "readiness detected after the port opens, median (20 services × rounds)",
                    fmt(procs.median(lat)) if lat else "n/a",
                    peers_cell([(t, "no port readiness", "") for t in peers]), "ready-latency")
        cells = []
        for t in peers:
            d = data[t]
            if not d["ready"]:
                cells.append((t, "n/a", "cannot tell"))
            elif d["before"]:
                cells.append((t, fmt(median_of(d["ready"])), f"said ready before {d['before']} of {len(d['lat'])} "
                                                             "ports opened"))
            else:
                cells.append((t, fmt(median_of(d["ready"])), ratio_text(median_of(d["ready"]), f_ready)
                              + ", not a port check"))
        SUMMARY.row("supervisor", "20 services: all ready, as the tool reports it", fmt(f_ready), peers_cell(cells))
        SUMMARY.row("supervisor", "20 services: all ports open (spawn speed)", fmt(f_ports),
                    peers_cell([(t, fmt(median_of(data[t]["ports"])), ratio_text(median_of(data[t]["ports"]), f_ports))
                                for t in peers if data[t]["ports"]]))
        cells = []
        for t in peers:
            d = data[t]
            if d["stopped"] and all(v is not None for v in d["stopped"]):
                cells.append((t, fmt(median_of(d["stopped"])), ratio_text(median_of(d["stopped"]), f_stop)))
            elif d["stopped"]:
                cells.append((t, "n/a", f"left {max(d['survivors'])} processes running"))
        SUMMARY.row("supervisor", "20 services: stop -> all gone", fmt(f_stop), peers_cell(cells))
        tools_ = self.tool_names
        p = Panel("20 services: start -> all ready", "ms after the tool's spawn (median)",
                  ["all ports open", "all ready (tool's word)"], tools_,
                  note="lower is better; only farm checks ports: see the report")
        for t in tools_:
            d = data[t]
            p.set("all ports open", t, median_of(d["ports"]))
            if d["ready"] and d["before"]:  # a time, but not readiness: say so where the ratio would be
                p.set("all ready (tool's word)", t, median_of(d["ready"]),
                      sub=f"early for {d['before']}/{len(d['lat'])}")
            else:
                p.set("all ready (tool's word)", t, median_of(d["ready"]) if d["ready"] else None)
        SUMMARY.panel("supervisor", p)
        p = Panel("20 services: stop -> all gone", "ms after the stop request (median)", ["stop"], tools_,
                  note="lower is better; n/a: processes left running")
        for t in tools_:
            d = data[t]
            ok = d["stopped"] and all(v is not None for v in d["stopped"])
            p.set("stop", t, median_of(d["stopped"]) if ok else None)
        SUMMARY.panel("supervisor", p)

    def ready_times(self, run, names):
        """When the tool called each service ready, running or online (epoch ns), by name; {} if it cannot say."""
        if run.tool == "farm":
            events = procs.wait_until(lambda: (lambda ev: ev if len(ev) >= len(names) else None)(
                {w[2]: int(w[1]) for w in run.events("READY")}), 15)
            return events or {w[2]: int(w[1]) for w in run.events("READY")}
        if run.tool == "supervisord":
            got = procs.wait_until(lambda: (lambda r: r if len(r) >= len(names) else None)(run.running_all()), 15)
            return {k: v[0] for k, v in (got or run.running_all()).items()}
        if run.tool == "pm2":
            return {a["name"]: int(a["pm2_env"]["pm_uptime"]) * 1_000_000 for a in run.jlist()
                    if a.get("pm2_env", {}).get("status") == "online"}
        return {}

    # ---------------------------------------------------------------------------------------------------- proxy
    def proxy(self):
        """Direct, nginx, http-proxy-middleware and farm-proxy in front of one nginx upstream, loaded with wrk."""
        proxy.ProxyBench(self, self.proxy_targets, self.quick).run(table)

    # -------------------------------------------------------------------------------------------------- restart
    def restart(self):
        """svc.py records `exit`, exits 1; the tool restarts it; the new process records `start`."""
        print("## 2. Crash-to-restart latency, zero backoff\n")
        rounds, per = (1, 6) if self.quick else (3, 5)
        samples = rounds * per
        run_ms = 200
        print(f"The service records `start`, runs {run_ms} ms, records `exit` and exits with code 1. "
              "Latency = next `start` minus previous `exit`, so it includes the service's own startup "
              f"(see the plain respawn loop row). {rounds} round(s) of {per} restarts per tool, the tools in an order "
              "rotated each round.\n")
        config = {"farm": "RestartPolicy.onFailure(1000, 0, 0)",
                  "supervisord": "autorestart=true, startsecs=0, startretries=1000",
                  "pm2": "autorestart, restart_delay=0, max_restarts=1000",
                  "concurrently": "--restart-tries 1000 --restart-after 0",
                  "foreman": "n/a (no restarts: foreman stops everything when one process exits)"}
        results = {}
        breakdown = {}
        for rnd in range(rounds):
            for tool in rotated(self.tools("farm", "supervisord", "pm2", "concurrently"), rnd):
                run = self.new_run(tool, "restart", [Service("crash", [], restart=True)])
                stampfile = os.path.join(run.rundir, "stamps")
                run.services[0].argv = svc("crash", stampfile, run_ms, 1)
                try:
                    run.start()
                    procs.wait_until(lambda: count(stampfile, "start") > per, 30 + per * 2)
                finally:
                    run.cleanup()
                results.setdefault(tool, []).extend(restart_latencies(stampfile)[:per])
                if tool == "farm":
                    for k, v in (farm_restart_breakdown(run, stampfile, per) or {}).items():
                        breakdown.setdefault(k, []).extend(v)
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
        peers = [t for t in self.tool_names if t != "farm"] + ["plain respawn loop"]
        SUMMARY.row("supervisor", "crash -> restarted, zero backoff (median)", fmt(farm_med), peers_cell(
            [(t, fmt(procs.median(results[t])), ratio_text(procs.median(results[t]), farm_med)) if results.get(t)
             else (t, "n/a", "no restarts" if t == "foreman" else "") for t in peers]))
        p = Panel("Crash -> restarted, zero backoff", "ms (median, log scale)", ["restart"],
                  self.tool_names + ["floor"], log=True, note="lower is better; floor: a plain respawn loop, no tool")
        for t in self.tool_names + ["plain respawn loop"]:
            p.set("restart", "floor" if t == "plain respawn loop" else t, procs.median(results.get(t) or []))
        SUMMARY.panel("supervisor", p)

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
        reps = 1 if self.quick else 3
        cap = 15
        print(f"{n} services (`svc.py idle`), every second one with a child `sleep 86400`, so {n + n // 2} service "
              "processes (plus concurrently's `sh -c` wrappers). Once all recorded `ready` and 1 s has passed: "
              f"the stop request, then /proc is polled every 5 ms until no service process is alive ({cap} s cap, or "
              "1 s after the tool exited, whichever comes first). Survivors = service processes still alive then. "
              f"{reps} repetition(s), the tools in an order rotated each time.\n")
        how = {"farm": "`ProcessSupervisor.close()`", "foreman": "SIGINT to foreman",
               "supervisord": "SIGTERM to supervisord (stopasgroup/killasgroup=true, one group)",
               "pm2": "SIGINT to pm2-runtime", "concurrently": "SIGINT to concurrently"}
        data = {t: {"gone": [], "exit": [], "survivors": [], "procs": []} for t in self.tool_names}
        farm_detail = {"cpu": [], "stopping": [], "stopped": []}
        for rep in range(reps):
            for tool in rotated(self.tool_names, rep):
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
                    gone, left = procs.wait_gone(pids, cap, until=lambda: run.exited_at and
                                                 time.time_ns() - run.exited_at > 1e9)
                    exited = run.wait_exit(max(0.1, cap - (time.time_ns() - t0) / 1e9))
                    time.sleep(0.2)
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
                         fmt(med) if timeouts == 0 else
                         f"never: {max(d['survivors'])} left running in {timeouts} of {len(d['gone'])}",
                         fmt(procs.p90(gone)) if timeouts == 0 else "n/a",
                         fmt(median_of(d["exit"])),
                         "/".join(str(s) for s in d["survivors"]),
                         "-" if tool == "farm" else ratio(med, farm_med), how[tool]])
        table(["tool", "reps", "service processes", "median: all gone", "p90", "median: tool exited",
               "survivors per rep", "peer/farm (median)", "stop request"], rows)
        f = data.get("farm")
        met = farm_med is not None and farm_med <= 1000 and f and not any(f["survivors"]) and None not in f["gone"]
        print(f"farm median {fmt(farm_med)} {'meets' if met else 'MISSES'} the goal (<= 1 s, no survivor).\n")
        if f:
            SUMMARY.goal("stop-50", f"{fmt(farm_med)} (p90 {fmt(procs.p90([v for v in f['gone'] if v is not None]))}, "
                         f"survivors {'/'.join(map(str, f['survivors']))})", bool(met))
        cells = []
        for t in self.tool_names:
            d = data[t]
            if t == "farm" or not d["gone"]:
                continue
            if None in d["gone"]:
                cells.append((t, "n/a", f"left {max(d['survivors'])} of {max(d['procs'])} processes running"))
            else:
                cells.append((t, fmt(median_of(d["gone"])), ratio_text(median_of(d["gone"]), farm_med)))
        SUMMARY.row("supervisor", "stop 50 services (75 processes) -> all gone (median)", fmt(farm_med),
                    peers_cell(cells), "stop-50")
        p = Panel("Stop 50 services (75 processes) -> all gone", "ms after the stop request (median)", ["stop"],
                  self.tool_names, goal=(1000, "goal ≤ 1 s (#4)"), note="lower is better; n/a: processes left running")
        for t in self.tool_names:
            d = data[t]
            p.set("stop", t, median_of(d["gone"]) if d["gone"] and None not in d["gone"] else None)
        SUMMARY.panel("supervisor", p)
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
              "(polled every 5 ms, done once every service stamped `done` and nothing changed for 1 s). Then every "
              "line is parsed back: lost = expected minus distinct (service, seq) found; out of order = a seq lower "
              "than its predecessor within the service. Peak RSS = VmHWM summed over the tool's own processes at the "
              f"end. {reps} repetition(s), the tools in an order rotated each time.\n")
        where = {"farm": "`LogSinks.files(dir)`: DIR/NAME.log (+ rotated .1..3 at 10 MiB), timestamp-prefixed",
                 "supervisord": "stdout_logfile per program (maxbytes=0, no rotation)",
                 "pm2": "out_file per app",
                 "foreman": "foreman's stdout (prefixed, merged) redirected to a file",
                 "concurrently": "concurrently's stdout (prefixed, merged) redirected to a file"}
        data = {t: [] for t in self.tool_names}
        for rep in range(reps):
            for tool in rotated(self.tool_names, rep):
                services = []
                run = self.new_run(tool, "tput", services, logs=tool in ("farm", "supervisord", "pm2"))
                stampfile = os.path.join(run.rundir, "stamps")
                for i in range(n_svc):
                    services.append(Service(f"t{i}", svc("spew", f"t{i}", lines, stampfile)))
                try:
                    run.start()
                    measured = measure_output(run, stampfile, n_svc, lines)
                    measured["hwm"] = sum(procs.hwm_kib(p) for p in run.orchestrator_pids()) / 1024
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
                         "-" if tool == "farm" else ratio(med, farm_med),
                         fmt(median_of([m["hwm"] for m in ms_]), "MiB"), where[tool]])
        table(["tool", "reps", "median", "p90", "min", "lines lost per rep", "out of order per rep",
               "services' own write time (median)", "peer/farm (median)", "peak RSS of the tool", "where the lines go"],
              rows)
        farm = data.get("farm", [])
        lost = sum(m["lost"] for m in farm)
        met = farm_med is not None and farm_med >= 300_000 and lost == 0
        print(f"farm median {fmt(farm_med, 'lines/s', 0)} {'meets' if met else 'MISSES'} the goal (>= 300,000 "
              "lines/s, none lost). Higher is better here, so peer/farm < 1 means farm is faster.\n")
        if farm:
            SUMMARY.goal("log-throughput", f"{fmt(farm_med, 'lines/s', 0)}, {lost} lost", met)
        peers = [t for t in self.tool_names if t != "farm" and data[t]]
        total = n_svc * lines
        SUMMARY.row("supervisor", f"log throughput, {total:,} lines from 4 services (median; higher is better)",
                    fmt(farm_med, "lines/s", 0),
                    peers_cell([(t, fmt(procs.median([m["rate"] for m in data[t]]), "lines/s", 0),
                                 ratio_text(procs.median([m["rate"] for m in data[t]]), farm_med)) for t in peers]),
                    "log-throughput")
        f_hwm = median_of([m["hwm"] for m in farm])
        SUMMARY.row("supervisor", f"peak RSS of the tool while {total:,} lines pass", fmt(f_hwm, "MiB"),
                    peers_cell([(t, fmt(median_of([m["hwm"] for m in data[t]]), "MiB"),
                                 ratio_text(median_of([m["hwm"] for m in data[t]]), f_hwm)) for t in peers]))
        p = Panel(f"Log throughput, {total / 1e6:g}M lines from 4 services", "M lines/s (median)", ["throughput"],
                  self.tool_names, goal=(0.3, "goal ≥ 0.3 M lines/s (#4)"), note="higher is better")
        for t in self.tool_names:
            p.set("throughput", t, None if not data[t] else procs.median([m["rate"] for m in data[t]]) / 1e6)
        SUMMARY.panel("supervisor", p)
        self.tput_hwm = {t: median_of([m["hwm"] for m in data[t]]) for t in self.tool_names}

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
            for tool in rotated(self.tool_names + (["farm0"] if "farm" in self.tool_names else []), rep):
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
                    m["hwm"] = sum(procs.hwm_kib(p) for p in orch) / 1024
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
            rows.append([tool, len(ms_), fmt(rss, "MiB"), fmt(median_of([m["hwm"] for m in ms_]), "MiB"),
                         fmt(median_of([m["main"] for m in ms_]), "MiB"),
                         fmt(heap, "MiB", 2), "-" if tool == "farm" else ratio(rss, farm_rss),
                         (", ".join(ms_[0]["names"]) if ms_ else "") + extra])
        if baseline:
            b = baseline[0]
            rows.append(["farm, 0 services (JVM floor)", len(baseline), fmt(median_of([m["rss"] for m in baseline]), "MiB"),
                         fmt(median_of([m["hwm"] for m in baseline]), "MiB"),
                         fmt(median_of([m["main"] for m in baseline]), "MiB"),
                         fmt(median_of([m["heapUsed"] / 2 ** 20 for m in baseline]), "MiB", 2), "-",
                         f"{b['threads']} JVM threads"])
        table(["tool", "reps", "RSS of the tool's processes (median)", "peak RSS (VmHWM)", "RSS of the main process",
               "heap used after GC", "peer/farm (RSS)", "processes counted"], rows)
        peers = [t for t in self.tool_names if t != "farm" and data[t]]
        heap = median_of([m["heapUsed"] / 2 ** 20 for m in farm]) if farm else None
        SUMMARY.row("supervisor", "RSS of the tool with 100 idle services (median)",
                    fmt(farm_rss, "MiB") + (f" (heap after GC {heap:.1f} MiB)" if heap is not None else ""),
                    peers_cell([(t, fmt(median_of([m["rss"] for m in data[t]]), "MiB"),
                                 ratio_text(median_of([m["rss"] for m in data[t]]), farm_rss)) for t in peers]))
        p = Panel("Memory of the tool with 100 idle services", "MiB (median)", ["RSS", "peak RSS"], self.tool_names,
                  note="lower is better; RSS 3 s after all started, peak = VmHWM")
        for t in self.tool_names:
            p.set("RSS", t, median_of([m["rss"] for m in data[t]]))
            p.set("peak RSS", t, median_of([m["hwm"] for m in data[t]]))
        SUMMARY.panel("supervisor", p)


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
                if key == "farm-window":
                    SUMMARY.goal("watch-node-modules", f"{nm} under node_modules, {total} for {tree['src_dirs']} "
                                 "folders", goal == "meets")
        self.storm_report(data, configs)
        self.watch_summary(data, configs, tree)

    def storm_report(self, data, configs):
        keys = [c for c in configs if c[0] in STORM_CONFIGS and data[c[0]]["storms"]]
        if not keys:
            return
        print(f"### 6d. A checkout: {STORM_DIRS * STORM_FILES:,} new files in {STORM_DIRS} new folders at once\n")
        print(f"After the timed writes, with the tool still watching: `writer.py` makes {STORM_DIRS} new folders "
              f"under `apps/` and writes {STORM_FILES} new `.py` files of ~2 KB into each, as fast as one process can "
              "(each folder made right before its first file, as git does). Then the harness waits until every file "
              "was named or 5 s passed, and until no notification came for 1.5 s. Notifications = what a user's "
              "action would run on: farm's batches, chokidar's `add`/`change` events, inotifywait's lines. Settle = "
              "the last notification naming a file minus the end of the last write. Once per round; the folders are "
              "removed after each tool.\n")
        rows = []
        for key, _, label, _ in keys:
            storms = data[key]["storms"]
            rows.append([label, len(storms), storms[0]["files"],
                         "/".join(str(x["notifications"]) for x in storms),
                         "/".join(str(x["files"] - x["named"]) for x in storms),
                         fmt(median_of([x["settle_ms"] for x in storms])),
                         fmt(median_of([x["writing_ms"] for x in storms]))])
        table(["tool", "rounds", "files written", "notifications per round", "files never named per round",
               "settle (median)", "writing took (median)"], rows)
        farm = data.get("farm-window", {}).get("storms")
        if farm:
            met = all(x["notifications"] == 1 and x["named"] == x["files"] for x in farm)
            print(f"farm, default window: {'/'.join(str(x['notifications']) for x in farm)} batch(es), "
                  f"{'/'.join(str(x['files'] - x['named']) for x in farm)} file(s) missing: "
                  f"{'meets' if met else 'MISSES'} the goal (exactly 1 batch, none missing).\n")
            SUMMARY.goal("watch-storm", f"{'/'.join(str(x['notifications']) for x in farm)} batch(es) per round, "
                         f"{sum(x['files'] - x['named'] for x in farm)} missing", met)

    def watch_summary(self, data, configs, tree):
        have = {c[0] for c in configs}

        def stat(key, q):
            st = data.get(key)
            if not st or not st["lat"]:
                return None
            return procs.median(st["lat"]) if q == 50 else procs.percentile(st["lat"], 0.99)
        raw50, raw99 = stat("farm-raw", 50), stat("farm-raw", 99)
        if "farm-raw" in have and data["farm-raw"]["lat"]:
            st = data["farm-raw"]
            met = raw50 <= 2 and raw99 <= 20 and st["missed"] == 0
            SUMMARY.goal("watch-raw", f"p50 {fmt(raw50, digits=2)}, p99 {fmt(raw99, digits=2)}, {st['missed']} missed",
                         met)
        peers = [("chokidar", "chokidar"), ("inotifywait", "inotifywait")]
        cells = []
        for key, name in peers:
            if key in have and data[key]["lat"]:
                p50, p99 = stat(key, 50), stat(key, 99)
                cells.append((name, f"{fmt(p50, digits=2)} / {fmt(p99, digits=2)}",
                              f"{ratio_text(p50, raw50)} / {ratio_text(p99, raw99)}"))
        SUMMARY.row("watch", "write -> first notification, no debounce (p50 / p99)",
                    f"{fmt(raw50, digits=2)} / {fmt(raw99, digits=2)}", peers_cell(cells), "watch-raw")
        w50, w99 = stat("farm-window", 50), stat("farm-window", 99)
        if "farm-window" in have and data["farm-window"]["lat"]:
            st = data["farm-window"]
            met = w50 <= 120 and w99 <= 200 and st["missed"] == 0
            SUMMARY.goal("watch-window", f"p50 {fmt(w50, digits=1)}, p99 {fmt(w99, digits=1)}, {st['missed']} missed",
                         met)
        SUMMARY.row("watch", "write -> batch with farm's default window (p50 / p99)",
                    f"{fmt(w50, digits=1)} / {fmt(w99, digits=1)}",
                    ", ".join(k for k in ("chokidar", "inotifywait") if k in have) + ": no quiet window (a user adds a "
                    "debounce of their own)" if any(k in have for k in ("chokidar", "inotifywait")) else "",
                    "watch-window")
        storm = {k: data[k]["storms"] for k in STORM_CONFIGS if k in have and data[k]["storms"]}
        if storm:
            def cell(k):
                xs = storm[k]
                missing = sum(x["files"] - x["named"] for x in xs)
                n = median_of([x['notifications'] for x in xs])
                return (f"{n:,.0f} notification{'' if n == 1 else 's'}"
                        + (f", {missing} files never named" if missing else ""))
            SUMMARY.row("watch", f"checkout of {STORM_DIRS * STORM_FILES:,} files: notifications (= runs of the "
                        "action; median)", cell("farm-window") if "farm-window" in storm else "n/a",
                        peers_cell([(k, cell(k), "") for k in ("chokidar", "inotifywait") if k in storm]),
                        "watch-storm")
        start = {k: median_of(data[k]["startup"]) for k in have}
        SUMMARY.row("watch", "spawn -> watching the tree (median)", fmt(start.get("farm-window")),
                    peers_cell([(k, fmt(start[k]), ratio_text(start[k], start.get("farm-window")))
                                for k in ("chokidar", "inotifywait") if k in have and start[k] is not None]))
        watches = {k: data[k]["watches"][-1] for k in have if data[k]["watches"]}
        if watches:
            def wcell(k):
                w = watches[k]
                return f"{w['total']} ({w['nm_dir'] + w['nm_file']} under node_modules)"
            SUMMARY.row("watch", f"inotify watches on the tree ({tree['src_dirs']} non-ignored folders)",
                        wcell("farm-window") if "farm-window" in watches else "n/a",
                        peers_cell([(k, wcell(k), "") for k in ("chokidar", "inotifywait") if k in watches]),
                        "watch-node-modules")
        # the chart
        names = {"farm-raw": "farm", "chokidar": "chokidar", "inotifywait": "inotifywait"}
        series = [names[k] for k in names if k in have]
        p = Panel("Write -> first notification, no debounce", "ms (log scale)", ["p50", "p99"], series, log=True,
                  goal=(20, "p99 goal ≤ 20 ms (p50 ≤ 2 ms)"), note="lower is better; farm with window 0")
        for k, name in names.items():
            if k in have:
                p.set("p50", name, stat(k, 50))
                p.set("p99", name, stat(k, 99))
        SUMMARY.panel("watch", p)
        if "farm-window" in have:
            p = Panel("Write -> batch, farm's default window", "ms", ["p50", "p99"], ["farm"],
                      goal=(200, "p99 goal ≤ 200 ms (p50 ≤ 120 ms)"),
                      note="100 ms quiet window; chokidar, inotifywait have none")
            p.set("p50", "farm", w50)
            p.set("p99", "farm", w99)
            SUMMARY.panel("watch", p)
        if storm:
            series = [names.get(k, k) if k != "farm-window" else "farm" for k in STORM_CONFIGS if k in storm]
            p = Panel(f"Checkout of {STORM_DIRS * STORM_FILES:,} files: notifications", "count (log scale)",
                      ["notifications"], series, log=True, goal=(1, "goal: exactly 1 batch"),
                      note="each one runs the user's action once")
            farm_n = median_of([x["notifications"] for x in storm["farm-window"]]) if "farm-window" in storm else None
            for k in storm:
                n = median_of([x["notifications"] for x in storm[k]])
                missing = sum(x["files"] - x["named"] for x in storm[k])
                sub = None
                if missing:
                    sub = (f"{n / farm_n:.0f}× farm, " if farm_n and k != "farm-window" else "") + \
                        f"{missing} files missed"
                p.set("notifications", "farm" if k == "farm-window" else k, n, sub=sub)
            SUMMARY.panel("watch", p)
        series = [("farm-window", "farm"), ("chokidar", "chokidar"), ("inotifywait", "inotifywait")]
        p = Panel("Spawn -> watching the tree", "ms (median)", ["startup"], [n for k, n in series if k in have],
                  note="lower is better; farm's includes its JVM start")
        for k, n in series:
            if k in have:
                p.set("startup", n, start.get(k))
        SUMMARY.panel("watch", p)
        if watches:
            p = Panel("inotify watches held", "watches", ["in all", "under node_modules"],
                      [n for k, n in series if k in watches], base=None,
                      note=f"the tree: {tree['src_dirs']} folders outside node_modules, {tree['nm_dirs']} inside")
            for k, n in series:
                if k in watches:
                    w = watches[k]
                    p.set("in all", n, w["total"])
                    p.set("under node_modules", n, w["nm_dir"] + w["nm_file"])
            SUMMARY.panel("watch", p)

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
            if key in STORM_CONFIGS:
                time.sleep(0.3)
                st["storms"].append(self.storm(run, root, rnd))
        finally:
            run.cleanup()
            shutil.rmtree(rundir, ignore_errors=True)
            shutil.rmtree(os.path.join(root, "apps", f"checkout-{rnd}"), ignore_errors=True)


    def storm(self, run, root, rnd):
        """1,000 new files in 50 new folders, written as fast as one process can: how many notifications the tool
        gives (a user's action runs once per notification unless they add a debounce of their own), how many of the
        files it names, and when its last notification came."""
        base = f"apps/checkout-{rnd}"
        writes = [(f"{base}/pkg{d:02d}/mod_{f:02d}.py", payload(f"{base}/pkg{d:02d}/mod_{f:02d}.py", "checkout"), 0)
                  for d in range(STORM_DIRS) for f in range(STORM_FILES)]
        since = time.time_ns()
        stamps = run_writer(run, root, writes, makedirs=True)
        paths = {w["path"] for w in stamps}
        last_write = max(w["wall"][1] for w in stamps)
        first_write = min(w["wall"][0] for w in stamps)

        def seen():
            return {p for _, p in run.notifications(since) if p in paths}
        procs.wait_until(lambda: len(seen()) >= len(paths), 5, 0.05)
        quiet_until = time.monotonic() + 10
        n = len(run.notifications(since))
        while time.monotonic() < quiet_until:  # bounded: then 1.5 s without a new notification
            time.sleep(1.5)
            m = len(run.notifications(since))
            if m == n:
                break
            n = m
        notes = run.notifications(since)
        times = [t for t, p in notes if p in paths]
        clock_end = last_write if run.clock == "wall" else max(w["mono"][1] for w in stamps)
        return {"files": len(paths), "named": len(seen()), "notifications": run.notification_count(since),
                "writing_ms": ms(last_write - first_write),
                "settle_ms": ms(max(times) - clock_end) if times else None}


# ---------------------------------------------------------------------------------------------------- helpers
def probe_split(run, name, listen_ns, ready_ns):
    """For one service: (port open -> first probe attempt after it, that attempt -> READY, the pause before that
    attempt: 0 when the first attempt already passed), in ms."""
    attempts = [int(w[1]) for w in run.lines_of("probe") if w[2] == name and int(w[1]) <= ready_ns]
    after = [t for t in attempts if t >= listen_ns]
    before = [t for t in attempts if t < listen_ns]
    if not after:
        return None
    return ms(after[0] - listen_ns), ms(ready_ns - after[0]), ms(after[0] - before[-1]) if before else 0.0


def rotated(items, k):
    """items rotated left by k: round k of an interleaved run starts with a different tool (A B C, B C A, ...)."""
    items = list(items)
    if not items:
        return items
    k %= len(items)
    return items[k:] + items[:k]


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
WATCH_CONFIGS = [  # (key, tool, label, adapter options). farm: its default window, and none (raw events). The runs
    # with the feedback-loop guard raised (`loop_runs`) were dropped once the guard stopped tripping on these writes
    # (0 pauses in results/2026-12-01-4f8628d.md); the adapter still takes the option.
    ("farm-window", "farm", "farm, window 100 ms / 1 s", {"quiet_ms": 100, "max_wait_ms": 1000, "globs": GLOBS}),
    ("farm-raw", "farm", "farm, window 0", {"quiet_ms": 0, "max_wait_ms": 0, "globs": GLOBS}),
    ("chokidar", "chokidar", "chokidar (defaults)", {}),
    ("inotifywait", "inotifywait", "inotifywait", {}),
]
STORM_CONFIGS = ("farm-window", "chokidar", "inotifywait")  # a burst through the raw config would trip the loop guard
STORM_DIRS, STORM_FILES = 50, 20  # 1,000 files in 50 new folders: a branch switch or a checkout


def new_watch_stats():
    return {"lat": [], "writes": 0, "missed": 0, "dupes": 0, "spurious": 0, "batches": 0, "merged": 0, "rescans": 0,
            "pauses": 0, "paused_paths": 0, "write_ms": [],
            "startup": [], "own": [], "watches": [], "errors": [], "notes": [], "storms": []}


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


def run_writer(run, root, writes, makedirs=False):
    """Runs bench/writer.py (a process of its own, see there) with the run's tag; returns its stamps."""
    plan, stamps = os.path.join(run.rundir, "writes.json"), os.path.join(run.rundir, "writes.stamps")
    with open(plan, "w") as f:
        json.dump({"root": root, "writes": writes, "makedirs": makedirs}, f)
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
        elif now - last_change > 1e9:
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

    return [("java", out("java", "-version")), ("python3", out(tools.PYTHON, "-V")), ("node", out("node", "-v")),
            ("foreman", out("foreman", "version")), ("supervisord", out("supervisord", "-v")),
            ("pm2", npm_version("pm2")), ("concurrently", npm_version("concurrently")),
            ("chokidar", npm_version("chokidar")), ("inotifywait", out("inotifywait", "--help")),
            ("openapi-typescript", npm_version("openapi-typescript")), ("typescript", npm_version("typescript")),
            ("nginx", out(proxy.NGINX, "-v")), ("wrk", out("wrk", "-v")), ("express", npm_version("express")),
            ("http-proxy-middleware", npm_version("http-proxy-middleware"))]


AREA_BENCHMARKS = {"supervisor": ["readiness", "restart", "stop", "throughput", "memory"], "watch": ["watch"],
                   "codegen": ["codegen"], "proxy": ["proxy"], "cli": ["cli"]}
# what each missing peer takes out: tools of the supervision benchmarks, watchers, proxy targets, a whole area
LEFT_OUT = {"foreman": ("process", "foreman"), "supervisord": ("process", "supervisord"), "pm2": ("process", "pm2"),
            "concurrently": ("process", "concurrently"), "chokidar": ("watch", "chokidar"),
            "inotifywait": ("watch", "inotifywait"), "express": ("proxy", "hpm"),
            "http-proxy-middleware": ("proxy", "hpm"), "nginx": ("area", "proxy"), "wrk": ("area", "proxy")}


def main():
    parser = argparse.ArgumentParser(description="farm next to its peers; see bench/README.md")
    parser.add_argument("areas", nargs="*", metavar="AREA", help=f"any of {', '.join(AREAS)} (default: all)")
    parser.add_argument("--only", default=None, help="benchmarks instead of areas: " + ", ".join(BENCHMARKS))
    parser.add_argument("--tools", default=None, help="default: every tool each benchmark knows")
    parser.add_argument("--quick", action="store_true", help="fewer samples and reps, to try the harness")
    parser.add_argument("--out", default=None, help="the results file (Markdown); charts go beside it")
    parser.add_argument("--update-readme", action="store_true",
                        help="after a full run, copy its table, charts and machine facts into bench/README.md")
    args = parser.parse_args()
    unknown_areas = [a for a in args.areas if a not in AREAS]
    if unknown_areas:
        parser.error(f"unknown area: {', '.join(unknown_areas)} (areas: {', '.join(AREAS)})")
    areas = [a for a in AREAS if a in args.areas] if args.areas else list(AREAS)
    only = args.only.split(",") if args.only else [b for a in areas for b in AREA_BENCHMARKS[a]]
    if args.only:
        areas = [a for a in AREAS if any(b in only for b in AREA_BENCHMARKS[a])]
    wanted = args.tools.split(",") if args.tools else PROCESS_TOOLS + list(tools.WATCH_TOOLS) + proxy.TARGETS
    unknown = [b for b in only if b not in BENCHMARKS] + \
        [t for t in wanted if t not in PROCESS_TOOLS and t not in tools.WATCH_TOOLS and t not in proxy.TARGETS]
    if unknown:
        parser.error(f"unknown: {', '.join(unknown)} (benchmarks: {', '.join(BENCHMARKS)}; tools: "
                     f"{', '.join(PROCESS_TOOLS)}, {', '.join(tools.WATCH_TOOLS)}, {', '.join(proxy.TARGETS)})")
    full = not args.quick and not args.only and not args.tools and areas == AREAS
    os.makedirs(WORK, exist_ok=True)
    atexit.register(tools.cleanup_all)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: sys.exit(130))
    out = report.Tee(sys.stdout)
    sys.stdout = out

    gone = prereqs.missing()
    missing_keys = {p.key for p, _ in gone}
    left_out = {"process": set(), "watch": set(), "proxy": set(), "area": set()}
    for key in missing_keys:
        if key in LEFT_OUT:
            kind, what = LEFT_OUT[key]
            left_out[kind].add(what)
    started = time.monotonic()
    print(f"# farm vs peers: benchmark run {time.strftime('%Y-%m-%d %H:%M:%S %Z')}\n")
    command = os.environ.get("BENCH_COMMAND", "python3 bench/bench.py " + " ".join(sys.argv[1:]))
    print(f"Command: `{command.strip()}`, commit {os.environ.get('BENCH_COMMIT', 'unknown')}. "
          "All times are wall-clock; all services are real processes on 127.0.0.1. The method is in "
          "bench/README.md.\n")
    if args.quick:
        print("**A quick run** (`--quick`): fewer samples and rounds, to try the harness. Its figures are not "
              "results.\n")
    if not full and not args.quick:
        print(f"**This run is limited to {', '.join(areas) if not args.only else '`' + args.only + '`'}"
              f"{' with the tools ' + args.tools if args.tools else ''}; it is not a full run.** Figures of the rest "
              "are in earlier results files.\n")
    if gone:
        print("**Peers missing on this machine, left out of this run** (nothing is installed unless asked: "
              "`bench/run --install` installs them):\n")
        for p, why in gone:
            print(f"- {p.key} ({p.package}{'@' + p.version if p.version else ''}, "
                  f"{'Debian' if p.kind == 'debian' else 'npm'}): {why}. Left out: {p.used_for}.")
        print("\nTo install them: " + "; ".join(f"`{c}`" for c in prereqs.commands(gone)) + "\n")
    facts = report.machine_facts()
    table(["machine", ""], facts)
    table(["", "version"], versions())
    mark = out.mark()
    wanted = list(dict.fromkeys(wanted))  # "farm" is a process tool, a watcher and a proxy target: once each
    bench = Bench([t for t in PROCESS_TOOLS if t in wanted and t not in left_out["process"]],
                  [t for t in tools.WATCH_TOOLS if t in wanted and t not in left_out["watch"]],
                  args.quick, [t for t in proxy.TARGETS if t in wanted and t not in left_out["proxy"]])
    bench.missing = missing_keys
    noise = {}
    for name in only:
        area = next(a for a in AREAS if name in AREA_BENCHMARKS[a])
        if area in left_out["area"]:
            why = " and ".join(sorted(k for k in ("nginx", "wrk") if k in missing_keys))
            print(f"## {name}: skipped\n\n{why} missing: the {area} area cannot run without it.\n")
            SUMMARY.skip(area, f"{why} missing")
            continue
        t, n = time.monotonic(), report.Noise()
        getattr(bench, name)()
        other, steal = n.result()
        noise.setdefault(area, []).append((name, time.monotonic() - t, other, steal))
        print(f"_({name}: {time.monotonic() - t:.0f} s; other load on the machine meanwhile {other:.0f}% of a CPU, "
              f"steal {steal:.0f}%)_\n")
        sys.stdout.flush()
    tools.cleanup_all()
    left = procs.tagged_suffix(f"-{os.getpid()}")
    total = time.monotonic() - started
    load_end = " ".join(report.read("/proc/loadavg").split()[:3])

    # the summary, the charts and the file
    summary_md = SUMMARY.markdown(areas)
    met, not_met, unmeasured = SUMMARY.goal_counts(areas)
    base = os.path.splitext(args.out)[0] if args.out else os.path.join(WORK, f"run-{os.getpid()}")
    kind = "quick run" if args.quick else ("full run" if full else "partial run")
    stamp = time.strftime("%Y-%m-%d")
    chart_lines, chart_problems = report.render_charts(
        base, lambda area: f"farm vs peers: {area} ({kind}, {stamp}, {os.cpu_count()} CPUs; medians)",
        os.path.dirname(args.out) if args.out else WORK)
    head = ["## Summary: ratios and goals\n",
            f"{met} goal(s) met, {len(not_met)} not met" + (": " + "; ".join(not_met) if not_met else "")
            + (f", {len(unmeasured)} not measured in this run" if unmeasured else "") + ". Ratios are peer ÷ farm on "
            "the medians of this run (for times and memory, above 1 means farm is better; for throughput, below 1). "
            "Goals are those of the module issues; bench/README.md says, for each one not met, what limits it.\n",
            summary_md]
    if chart_lines:
        head += ["### Charts\n", "\n\n".join(chart_lines) + "\n"]
    if chart_problems:
        head += ["Charts not drawn: " + "; ".join(chart_problems) + ".\n"]
    times = [f"{area} {sum(x[1] for x in rows):.0f} s (other load up to "
             f"{max(x[2] for x in rows):.0f}% of a CPU)" for area, rows in noise.items()]
    tail = (f"Total time {total:.0f} s: " + ", ".join(times) + f". Load average at the end: {load_end}. "
            f"Processes left by this run after cleanup: {len(left)}.\n")
    print("\n".join(head))
    print(tail)
    text = out.text()
    body = text[mark:]
    body = body[:body.rfind("## Summary: ratios and goals")] if "## Summary: ratios and goals" in body else body
    final = text[:mark] + "\n".join(head) + "\n" + body + tail
    if args.out:
        with open(args.out, "w") as f:
            f.write(final)
        report.say(f"wrote {args.out}" + (" and " + ", ".join(f"{base}-{a}.png" for a in AREAS
                                                              if SUMMARY.panels.get(a)) if chart_lines else ""))
        if args.update_readme and full:
            facts_md = report.md_table(["machine (of that run)", ""], facts + [("load average at the end", load_end)])
            why = report.update_readme(os.path.join(tools.BENCH, "README.md"), args.out, summary_md, chart_lines,
                                       facts_md, command.strip())
            report.say("bench/README.md: " + (why or "its latest-run block now shows this run"))


if __name__ == "__main__":
    main()
