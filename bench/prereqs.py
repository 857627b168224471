"""What the benchmarks need besides farm, how to tell whether it is here, and how to install it.

usage: python3 bench/prereqs.py check      names what is missing and the exact commands that install it; exit 0
       python3 bench/prereqs.py install    installs what is missing, naming each (apt-get needs root or sudo)
       python3 bench/prereqs.py missing    prints the missing peers' keys, one a line (for bench.py)

Nothing is installed unless asked (`bench/run --install`). A missing peer is left out of the comparisons, and the
report names it; a missing prerequisite of a whole area (wrk or nginx for the proxy area) skips that area.
npm peers are pinned and go into bench/.peers (gitignored); a different version there counts as missing, since the
figures of a run are only comparable with the version they were taken with.
"""
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import Optional

BENCH = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(BENCH, ".peers")


@dataclass(frozen=True)
class Peer:
    key: str            # what bench.py calls it
    kind: str           # "debian" or "npm"
    package: str        # the Debian package or the npm package
    version: Optional[str]  # npm pin
    command: Optional[str]  # a Debian package's program, looked up on PATH (and /usr/sbin)
    used_for: str       # what is left out without it


PEER_LIST = [
    Peer("foreman", "debian", "ruby-foreman", None, "foreman", "supervisor and cli areas: foreman's figures"),
    Peer("supervisord", "debian", "supervisor", None, "supervisord",
         "supervisor and cli areas: supervisord's figures (and supervisorctl)"),
    Peer("inotifywait", "debian", "inotify-tools", None, "inotifywait", "watch area: inotifywait's figures"),
    Peer("nginx", "debian", "nginx", None, "nginx",
         "proxy area: it is the upstream of every target, so the whole area is skipped"),
    Peer("wrk", "debian", "wrk", None, "wrk", "proxy area: it is the load generator, so the whole area is skipped"),
    Peer("gnuplot", "debian", "gnuplot-nox", None, "gnuplot", "the PNG charts (the Markdown report is written anyway)"),
    Peer("pm2", "npm", "pm2", "7.0.4", None, "supervisor and cli areas: pm2's figures"),
    Peer("concurrently", "npm", "concurrently", "9.2.5", None,
         "supervisor and cli areas: concurrently's figures (10.x needs Node 22; Debian 12 has Node 18/20)"),
    Peer("chokidar", "npm", "chokidar", "4.0.3", None,
         "watch area: chokidar's figures (5.x is ESM-only and needs Node 20.19)"),
    Peer("openapi-typescript", "npm", "openapi-typescript", "7.13.0", None,
         "codegen area: every ratio (farm's own figures are still taken); the same pin as farm-codegen's tests"),
    Peer("typescript", "npm", "typescript", "5.9.3", None, "codegen area: openapi-typescript's peer dependency"),
    Peer("express", "npm", "express", "4.22.3", None,
         "proxy area: the http-proxy-middleware target (Express 4, as in the pilot)"),
    Peer("http-proxy-middleware", "npm", "http-proxy-middleware", "3.0.11", None,
         "proxy area: the http-proxy-middleware target (4.x needs Node 22.15)"),
]
BY_KEY = {p.key: p for p in PEER_LIST}


def npm_version(name):
    try:
        with open(os.path.join(PEERS, "node_modules", name, "package.json")) as f:
            return json.load(f)["version"]
    except (OSError, ValueError, KeyError):
        return None


def which(command):
    return shutil.which(command) or next((p for p in (f"/usr/sbin/{command}", f"/sbin/{command}")
                                          if os.access(p, os.X_OK)), None)


def status(peer):
    """None when the peer is usable, else why not (a short phrase)."""
    if peer.kind == "debian":
        return None if which(peer.command) else f"`{peer.command}` not found"
    if not shutil.which("node"):
        return "node not found"
    found = npm_version(peer.package)
    if found is None:
        return "not in bench/.peers"
    return None if found == peer.version else f"bench/.peers has {found}, the benchmark pins {peer.version}"


def missing():
    return [(p, why) for p in PEER_LIST for why in [status(p)] if why]


def apt_command(packages):
    return "apt-get install -y " + " ".join(packages)


def npm_command(peers):
    return ("npm install --prefix bench/.peers --no-audit --no-fund --save-exact "
            + " ".join(f"{p.package}@{p.version}" for p in peers))


def commands(gone):
    """The commands that install the missing peers, as a user would type them (from the repository root)."""
    debs = [p.package for p, _ in gone if p.kind == "debian"]
    npms = [p for p, _ in gone if p.kind == "npm"]
    out = []
    if debs:
        out.append(("" if os.geteuid() == 0 else "sudo ") + "apt-get update && " + ("" if os.geteuid() == 0 else "sudo ")
                   + apt_command(debs))
    if npms:
        if not shutil.which("npm"):
            out.append("apt-get install -y nodejs npm   # then: " + npm_command(npms))
        else:
            out.append(npm_command(npms))
    return out


def check(stream=sys.stderr):
    gone = missing()
    if not gone:
        print("bench: every peer is installed (" + ", ".join(p.key for p in PEER_LIST) + ")", file=stream)
        return gone
    print("bench: missing, left out of this run:", file=stream)
    for p, why in gone:
        what = p.package if p.kind == "debian" else f"{p.package}@{p.version} (npm)"
        print(f"  - {p.key}: {why}; package {what}. Without it: {p.used_for}", file=stream)
    print("bench: to install them, run `bench/run --install`, or:", file=stream)
    for c in commands(gone):
        print(f"    {c}", file=stream)
    return gone


def install():
    gone = missing()
    if not gone:
        print("bench: nothing to install", file=sys.stderr)
        return 0
    debs = [p.package for p, _ in gone if p.kind == "debian"]
    npms = [p for p, _ in gone if p.kind == "npm"]
    if debs:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        if sudo and not shutil.which("sudo"):
            print(f"bench: installing {', '.join(debs)} needs root: as root, {apt_command(debs)}", file=sys.stderr)
            return 1
        print(f"bench: installing from Debian (apt-get): {', '.join(debs)}"
              + (" (on a machine whose init starts services, installing nginx also starts the system's nginx on port "
                 "80; the benchmark never uses it, it runs its own)" if "nginx" in debs else ""), file=sys.stderr)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for cmd in (sudo + ["apt-get", "update", "-qq"], sudo + ["apt-get", "install", "-y", "-qq", *debs]):
            if subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode != 0:
                print(f"bench: `{' '.join(cmd)}` failed", file=sys.stderr)
                return 1
    if npms:
        if not shutil.which("npm"):
            print("bench: npm is missing (Debian: apt-get install -y nodejs npm)", file=sys.stderr)
            return 1
        names = " ".join(f"{p.package}@{p.version}" for p in npms)
        print(f"bench: installing from npm into bench/.peers: {names}", file=sys.stderr)
        os.makedirs(PEERS, exist_ok=True)
        pkg = os.path.join(PEERS, "package.json")
        if not os.path.exists(pkg):
            with open(pkg, "w") as f:
                f.write('{ "name": "farm-bench-peers", "private": true }\n')
        cmd = ["npm", "install", "--prefix", PEERS, "--no-audit", "--no-fund", "--save-exact", "--loglevel=error",
               *[f"{p.package}@{p.version}" for p in npms]]
        if subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode != 0:
            print(f"bench: `{' '.join(cmd)}` failed", file=sys.stderr)
            return 1
    left = missing()
    if left:
        print("bench: still missing after the install: " + ", ".join(p.key for p, _ in left), file=sys.stderr)
        return 1
    return 0


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else "check"
    if what == "check":
        check()
    elif what == "install":
        sys.exit(install())
    elif what == "missing":
        for p, _ in missing():
            print(p.key)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
