#!/usr/bin/env bash
# Runs every benchmark for farm and its peers in one go and saves the report as bench/results/<date>-<commit>.md.
#   bench/run.sh                 the whole run (about 10 minutes on 2 cores)
#   bench/run.sh --quick         fewer samples, to try the harness (not a result)
#   bench/run.sh --only stop --tools farm,pm2
#   bench/run.sh --only watch    the file-watcher latency benchmark alone (farm, chokidar, inotifywait)
#   bench/run.sh --only proxy    the reverse-proxy benchmark alone (direct, nginx, http-proxy-middleware, farm-proxy)
# Installs what is missing: foreman, supervisord, inotifywait, nginx and wrk from Debian (apt-get, needs root), pm2,
# concurrently, chokidar, express and http-proxy-middleware from npm into bench/.peers (gitignored). Builds farm (mvn
# install, offline when it can) and bench/'s FarmRunner, WatchRunner and ProxyRunner (ProxyRunner only once
# farm-proxy has its ProxyServer: until then the proxy benchmark measures the peers alone).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd -P)"

PM2_VERSION=7.0.4
CONCURRENTLY_VERSION=9.2.5   # 10.x needs Node 22; Debian 12 has Node 18/20
CHOKIDAR_VERSION=4.0.3       # 5.x needs Node >= 20.19 and is ESM-only; 4.x runs on Node >= 14.16
OPENAPI_TS_VERSION=7.13.0    # the codegen benchmark's peer; the same pin as farm-codegen/src/test/node
TYPESCRIPT_VERSION=5.9.3
EXPRESS_VERSION=4.22.3       # the proxy benchmark's http-proxy-middleware host, as in the pilot (Express 4.22)
HPM_VERSION=3.0.11           # http-proxy-middleware 4 needs Node >= 22.15; Debian 12 has Node 18/20

say() { echo "run.sh: $*" >&2; }

for tool in python3 java mvn node npm setsid; do
  command -v "$tool" >/dev/null 2>&1 || { say "$tool is missing (Debian: apt-get install python3 openjdk-17-jdk-headless maven nodejs npm util-linux)"; exit 1; }
done

# --- peers from Debian
missing=()
command -v foreman >/dev/null 2>&1 || missing+=(ruby-foreman)
command -v supervisord >/dev/null 2>&1 || missing+=(supervisor)
command -v inotifywait >/dev/null 2>&1 || missing+=(inotify-tools)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { say "installing ${missing[*]} needs root: sudo apt-get install -y ${missing[*]}"; exit 1; }
  say "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- peers from npm, pinned, into bench/.peers
peers="$root/bench/.peers"
have() { node -p "require('$peers/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [ "$(have pm2)" != "$PM2_VERSION" ] || [ "$(have concurrently)" != "$CONCURRENTLY_VERSION" ] \
    || [ "$(have chokidar)" != "$CHOKIDAR_VERSION" ] || [ "$(have openapi-typescript)" != "$OPENAPI_TS_VERSION" ] \
    || [ "$(have typescript)" != "$TYPESCRIPT_VERSION" ] || [ "$(have express)" != "$EXPRESS_VERSION" ] \
    || [ "$(have http-proxy-middleware)" != "$HPM_VERSION" ]; then
  say "installing pm2@$PM2_VERSION concurrently@$CONCURRENTLY_VERSION chokidar@$CHOKIDAR_VERSION" \
    "openapi-typescript@$OPENAPI_TS_VERSION typescript@$TYPESCRIPT_VERSION express@$EXPRESS_VERSION" \
    "http-proxy-middleware@$HPM_VERSION into bench/.peers (npm)"
  mkdir -p "$peers"
  [ -f "$peers/package.json" ] || printf '{ "name": "farm-bench-peers", "private": true }\n' >"$peers/package.json"
  (cd "$peers" && npm install --no-audit --no-fund --save-exact --loglevel=error \
      "pm2@$PM2_VERSION" "concurrently@$CONCURRENTLY_VERSION" "chokidar@$CHOKIDAR_VERSION" \
      "openapi-typescript@$OPENAPI_TS_VERSION" "typescript@$TYPESCRIPT_VERSION" \
      "express@$EXPRESS_VERSION" "http-proxy-middleware@$HPM_VERSION" >/dev/null)
fi

# --- farm, then the bench programs that drive farm-process and farm-watch
build() { mvn -B -q -o "$@" || { say "offline build failed; retrying online"; mvn -B -q "$@"; }; }
say "building farm (mvn -B -q -o install -DskipTests)"
build install -DskipTests
say "building bench/ (mvn -B -q -o -f bench/pom.xml package)"
if ! build -f bench/pom.xml package; then
  # ProxyRunner is the one program here written ahead of the API it drives (farm-proxy's ProxyServer): when it is
  # what breaks, build the rest without it, so every other benchmark still runs and the proxy one measures its peers.
  say "bench/ did not build; building it without ProxyRunner (-Dbench.noProxyRunner): the proxy benchmark will" \
      "measure the peers alone"
  build -f bench/pom.xml package -Dbench.noProxyRunner
fi

# --- run
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty=""
[ -z "$(git status --porcelain -- . ':!bench/results' 2>/dev/null)" ] || dirty=" (with uncommitted changes)"
mkdir -p bench/results
out="bench/results/$(date +%Y-%m-%d)-$commit.md"
case " $* " in *" --quick "*) out="bench/.work/quick-$(date +%Y%m%d-%H%M%S).md"; mkdir -p bench/.work ;; esac
say "running the benchmarks; report: $out"
BENCH_COMMAND="bench/run.sh${*:+ $*}" BENCH_COMMIT="$commit$dirty" python3 -u bench/bench.py "$@" 2>&1 | tee "$out"
