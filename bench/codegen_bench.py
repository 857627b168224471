"""Benchmark 7: farm-codegen next to openapi-typescript on the same specs, in one run, interleaved rounds.

Cold: one CLI run each on Stripe's 4 MB YAML, wall time including JVM / Node start-up
(`java -jar farm-cli/target/farm.jar codegen --spec S --out F` vs `openapi-typescript S -o F --default-non-nullable=false`,
whose own reported time is its "[2.4s]"). Warm: in-process, after warm-ups (bench/CodegenBench.java on farm's jar,
bench/ots-warm.mjs for openapi-typescript), on Stripe and the two FastAPI corpus specs. Each round runs every
measurement once, in alternating order; the tables give the median over rounds (warm: of each round's median).
"""
import os
import re
import shutil
import subprocess
import time

import procs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
PEERS = os.path.join(BENCH, ".peers")
CORPUS = os.path.join(ROOT, "farm-codegen", "src", "test", "resources", "openapi-corpus")
FARM_JAR = os.path.join(ROOT, "farm-cli", "target", "farm.jar")
OTS_CLI = os.path.join(PEERS, "node_modules", "openapi-typescript", "bin", "cli.js")
STRIPE = os.path.join(CORPUS, "stripe-api-2023-08-16.yaml")
FASTAPI = [os.path.join(CORPUS, "fastapi-fullstack-template.json"), os.path.join(CORPUS, "fastapi-prefect-server.json")]
OWN_TIME = re.compile(r"\[(\d+(?:\.\d+)?)(ms|s)\]")


def wall(cmd, cwd):
    start = time.monotonic_ns()
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    elapsed = (time.monotonic_ns() - start) / 1e6
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stdout}")
    return elapsed, r.stdout


def samples(stdout):
    """SPEC<TAB>ms,ms<TAB>chars lines -> {basename: (median ms, chars)}."""
    out = {}
    for line in stdout.splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            out[os.path.basename(parts[0])] = (procs.median([float(x) for x in parts[1].split(",")]), int(parts[2]))
    return out


def run(quick, fmt, table, ratio):
    print("## 7. Code generation: farm-codegen vs openapi-typescript\n")
    for needed in (FARM_JAR, OTS_CLI):
        if not os.path.exists(needed):
            print(f"Skipped: {needed} is missing (run.sh builds farm and installs openapi-typescript).\n")
            return
    rounds, warmups, reps = (2, 2, 3) if quick else (5, 3, 5)
    work = os.path.join(BENCH, ".work", f"codegen-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    shutil.copy(os.path.join(BENCH, "ots-warm.mjs"), os.path.join(PEERS, "ots-warm.mjs"))
    specs = [STRIPE] + FASTAPI
    cold = {"farm": [], "ots": [], "ots_own": []}
    warm = {"farm": {}, "ots": {}}
    sizes = {}
    for r in range(rounds):
        steps = ["farm-cold", "ots-cold", "farm-warm", "ots-warm"]
        if r % 2:
            steps.reverse()
        for step in steps:
            if step == "farm-cold":
                ms, _ = wall(["java", "-jar", FARM_JAR, "codegen", "--spec", STRIPE, "--out",
                              os.path.join(work, f"farm-{r}.ts")], ROOT)
                cold["farm"].append(ms)
            elif step == "ots-cold":
                ms, out = wall(["node", OTS_CLI, STRIPE, "-o", os.path.join(work, f"ots-{r}.ts"),
                                "--default-non-nullable=false"], ROOT)
                cold["ots"].append(ms)
                m = OWN_TIME.search(out)
                if m:
                    cold["ots_own"].append(float(m.group(1)) * (1000 if m.group(2) == "s" else 1))
            elif step == "farm-warm":
                _, out = wall(["java", "-cp", FARM_JAR, os.path.join(BENCH, "CodegenBench.java"), str(warmups),
                               str(reps)] + specs, ROOT)
                for name, (ms, chars) in samples(out).items():
                    warm["farm"].setdefault(name, []).append(ms)
                    sizes[("farm", name)] = chars
            else:
                _, out = wall(["node", os.path.join(PEERS, "ots-warm.mjs"), str(warmups), str(reps)] + specs, PEERS)
                for name, (ms, chars) in samples(out).items():
                    warm["ots"].setdefault(name, []).append(ms)
                    sizes[("ots", name)] = chars
    print(f"{rounds} interleaved rounds; warm: {warmups} warm-ups then the median of {reps} runs in one process per "
          f"round. Ratio = farm / openapi-typescript (below 1.00: farm is faster). openapi-typescript runs with "
          f"`--default-non-nullable=false`; farm emits types and its fetch client.\n")
    f_cold, o_cold, o_own = (procs.median(cold[k]) for k in ("farm", "ots", "ots_own"))
    table(["Stripe 4.2 MB YAML, cold", "farm", "openapi-typescript", "ratio", "goal"], [
        ["wall time incl. JVM / Node start", fmt(f_cold), fmt(o_cold), ratio(f_cold, o_cold), "<= 1.5"],
        ["farm warm vs openapi-typescript's own reported time", fmt(procs.median(warm["farm"].get(os.path.basename(STRIPE), []))),
         fmt(o_own), ratio(procs.median(warm["farm"].get(os.path.basename(STRIPE), [])), o_own), "<= 1.0"],
    ])
    rows = []
    for spec in specs:
        name = os.path.basename(spec)
        f, o = procs.median(warm["farm"].get(name, [])), procs.median(warm["ots"].get(name, []))
        goal = "<= 1.0" if spec == STRIPE else "farm <= 100 ms"
        rows.append([f"{name} ({os.path.getsize(spec) / 1e6:.2f} MB)", fmt(f), fmt(o), ratio(f, o), goal,
                     f"{sizes.get(('farm', name), 0) / 1e6:.2f} / {sizes.get(('ots', name), 0) / 1e6:.2f} MB"])
    table(["warm, in-process", "farm", "openapi-typescript", "ratio", "goal", "output farm / ots"], rows)
    print("Raw cold samples (ms): farm " + ", ".join(f"{x:.0f}" for x in cold["farm"]) + "; openapi-typescript "
          + ", ".join(f"{x:.0f}" for x in cold["ots"]) + " (own " + ", ".join(f"{x:.0f}" for x in cold["ots_own"])
          + ").\n")
    shutil.rmtree(work, ignore_errors=True)
