#!/usr/bin/env bash
# Times how long `farm ARGS` takes from exec to exit, with and without a CDS archive, on the JVM at hand.
# Builds nothing: it runs farm-cli/target/farm.jar as it is (build it first: mvn -pl farm-cli -am package).
#
#   bench/cli-start.sh                       # farm --version
#   bench/cli-start.sh ps -C examples/hello  # any farm arguments, e.g. against a running stack
#   N=20 JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/cli-start.sh --version
#
# Each variant runs twice to warm the page cache, then N times (default 10); it prints median, min and max wall
# time in milliseconds. "cds" uses a dynamic archive of farm's own classes (-XX:SharedArchiveFile), made here first
# with -XX:ArchiveClassesAtExit from one run of the same arguments; "no cds" runs with -Xshare:auto and no archive
# (the JDK's own default archive still applies); "no share" turns class sharing off altogether (-Xshare:off).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
jar="$root/farm-cli/target/farm.jar"
java="${JAVA:-java}"
n="${N:-10}"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--version)

[ -f "$jar" ] || { echo "cli-start: $jar is missing; build it: mvn -B -pl farm-cli -am package -Dmaven.test.skip=true" >&2; exit 2; }
command -v "$java" >/dev/null 2>&1 || { echo "cli-start: no java at '$java'; set JAVA=/path/to/bin/java" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
archive="$work/farm.jsa"

now_ns() { date +%s%N; }

# time_variant LABEL JVM-OPTIONS...: prints "LABEL  median min max" in ms.
time_variant() {
  local label="$1"; shift
  local times=() start end code
  for i in $(seq 1 $((n + 2))); do
    start=$(now_ns)
    set +e
    "$java" "$@" -jar "$jar" "${args[@]}" >/dev/null 2>"$work/err"
    code=$?
    set -e
    end=$(now_ns)
    if [ "$code" -ne 0 ] && [ "$i" -eq 1 ]; then
      echo "cli-start: note: farm ${args[*]} exits $code ($label): $(head -c 300 "$work/err")" >&2
    fi
    [ "$i" -gt 2 ] && times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '
    { t[NR] = $1 }
    END {
      if (NR % 2) median = t[(NR + 1) / 2]; else median = (t[NR / 2] + t[NR / 2 + 1]) / 2
      printf "%-10s median %6.1f ms   min %5d ms   max %5d ms   (n=%d)\n", label, median, t[1], t[NR], NR
    }'
}

"$java" -version 2>&1 | sed 's/^/# /'
echo "# farm ${args[*]}   jar $(du -k "$jar" | cut -f1) KiB   load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"

"$java" -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$jar" "${args[@]}" >/dev/null 2>&1 || true
time_variant "no share" -Xshare:off
time_variant "no cds" -Xshare:auto
if [ -f "$archive" ]; then
  time_variant "cds" -XX:SharedArchiveFile="$archive" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off
else
  echo "cds        (this JVM made no archive)"
fi
