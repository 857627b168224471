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
from charts import Panel
from report import SUMMARY, peers_cell, ratio_text

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


def run(quick, fmt, table, ratio, with_peer=True):
    print("## 7. Code generation: farm-codegen vs openapi-typescript\n")
    if not os.path.exists(FARM_JAR):
        print(f"Skipped: {FARM_JAR} is missing (bench/run builds it).\n")
        SUMMARY.skip("codegen", "farm.jar missing")
        return
    if with_peer and not os.path.exists(OTS_CLI):
        with_peer = False
    if not with_peer:
        print("openapi-typescript is not installed (see the missing peers above): farm's own times are taken, and "
              "every ratio is n/a.\n")
    rounds, warmups, reps = (2, 2, 3) if quick else (3, 3, 3)
    work = os.path.join(BENCH, ".work", f"codegen-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    if with_peer:
        shutil.copy(os.path.join(BENCH, "ots-warm.mjs"), os.path.join(PEERS, "ots-warm.mjs"))
    specs = [STRIPE] + FASTAPI
    cold = {"farm": [], "ots": [], "ots_own": []}
    warm = {"farm": {}, "ots": {}}
    sizes = {}
    for r in range(rounds):
        steps = ["farm-cold", "ots-cold", "farm-warm", "ots-warm"] if with_peer else ["farm-cold", "farm-warm"]
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
    print(f"{rounds} interleaved rounds (the order reversed every other round); warm: {warmups} warm-ups then the "
          f"median of {reps} runs in one process per round. Ratio = farm / openapi-typescript (below 1.00: farm is "
          f"faster). openapi-typescript runs with `--default-non-nullable=false`; farm emits types and its fetch "
          f"client.\n")
    f_cold, o_cold, o_own = (procs.median(cold[k]) for k in ("farm", "ots", "ots_own"))
    stripe = os.path.basename(STRIPE)
    f_stripe = procs.median(warm["farm"].get(stripe, []))
    table(["Stripe 4.2 MB YAML, cold", "farm", "openapi-typescript", "ratio", "goal"], [
        ["wall time incl. JVM / Node start", fmt(f_cold), fmt(o_cold), ratio(f_cold, o_cold), "<= 1.5"],
        ["farm warm vs openapi-typescript's own reported time", fmt(f_stripe), fmt(o_own), ratio(f_stripe, o_own),
         "<= 1.0"],
    ])
    rows = []
    fastapi = []
    for spec in specs:
        name = os.path.basename(spec)
        f, o = procs.median(warm["farm"].get(name, [])), procs.median(warm["ots"].get(name, []))
        goal = "<= 1.0" if spec == STRIPE else "farm <= 100 ms"
        rows.append([f"{name} ({os.path.getsize(spec) / 1e6:.2f} MB)", fmt(f), fmt(o), ratio(f, o), goal,
                     f"{sizes.get(('farm', name), 0) / 1e6:.2f} / {sizes.get(('ots', name), 0) / 1e6:.2f} MB"])
        if spec != STRIPE:
            fastapi.append((name, f, o))
    table(["warm, in-process", "farm", "openapi-typescript", "ratio", "goal", "output farm / ots"], rows)
    print("Raw cold samples (ms): farm " + ", ".join(f"{x:.0f}" for x in cold["farm"]) + "; openapi-typescript "
          + ", ".join(f"{x:.0f}" for x in cold["ots"]) + " (own " + ", ".join(f"{x:.0f}" for x in cold["ots_own"])
          + ").\n")
    shutil.rmtree(work, ignore_errors=True)

    # the summary and the chart
    def r(a, b):
        return None if a is None or b in (None, 0) else a / b
    cold_r, warm_r = r(f_cold, o_cold), r(f_stripe, o_own)
    if cold_r is not None:
        SUMMARY.goal("codegen-cold", f"{cold_r:.2f}× ({fmt(f_cold)} vs {fmt(o_cold)})", cold_r <= 1.5)
    elif f_cold is not None:
        SUMMARY.goal("codegen-cold", f"farm {fmt(f_cold)}; openapi-typescript not measured", None)
    if warm_r is not None:
        SUMMARY.goal("codegen-warm", f"{warm_r:.2f}× ({fmt(f_stripe)} vs its own {fmt(o_own)})", warm_r <= 1.0)
    elif f_stripe is not None:
        SUMMARY.goal("codegen-warm", f"farm {fmt(f_stripe)}; openapi-typescript not measured", None)
    if fastapi and all(f is not None for _, f, _ in fastapi):
        SUMMARY.goal("codegen-fastapi", ", ".join(f"{short(n)} {fmt(f)}" for n, f, _ in fastapi),
                     all(f <= 100 for _, f, _ in fastapi))

    def peer(v, f):
        return [("openapi-typescript", fmt(v), ratio_text(v, f))] if v else []
    SUMMARY.row("codegen", "Stripe 4.2 MB, cold CLI run incl. JVM / Node start (median)", fmt(f_cold),
                peers_cell(peer(o_cold, f_cold)), "codegen-cold")
    SUMMARY.row("codegen", "Stripe, warm in-process (median)", fmt(f_stripe),
                peers_cell([("openapi-typescript, its own reported time", fmt(o_own), ratio_text(o_own, f_stripe))]
                           + [("openapi-typescript warm in-process", fmt(procs.median(warm["ots"][stripe])),
                               ratio_text(procs.median(warm["ots"][stripe]), f_stripe))]
                           if o_own and warm["ots"].get(stripe) else []), "codegen-warm")
    for n, f, o in fastapi:
        SUMMARY.row("codegen", f"{short(n)}, warm in-process (median)", fmt(f), peers_cell(peer(o, f)),
                    "codegen-fastapi")
    series = ["farm", "openapi-typescript"] if with_peer else ["farm"]
    p = Panel("Stripe 4.2 MB YAML", "ms (median)", ["cold CLI (wall)", "warm, in-process"], series,
              note="lower is better; openapi-typescript warm = its own reported time")
    p.set("cold CLI (wall)", "farm", f_cold)
    p.set("warm, in-process", "farm", f_stripe)
    if with_peer:
        p.set("cold CLI (wall)", "openapi-typescript", o_cold)
        p.set("warm, in-process", "openapi-typescript", o_own)
    SUMMARY.panel("codegen", p)
    p = Panel("FastAPI corpus specs, warm in-process", "ms (median)", [short(n) for n, _, _ in fastapi], series,
              goal=(100, "goal ≤ 100 ms each (#7)"), note="lower is better")
    for n, f, o in fastapi:
        p.set(short(n), "farm", f)
        if with_peer:
            p.set(short(n), "openapi-typescript", o)
    SUMMARY.panel("codegen", p)


def short(name):
    return {"fastapi-fullstack-template.json": "FastAPI full-stack template (34 KB)",
            "fastapi-prefect-server.json": "Prefect server (1.3 MB)"}.get(name, name)
