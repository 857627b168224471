#!/usr/bin/env bash
# Times how long `farm ARGS` takes from exec to exit, with and without a CDS archive, on the JVM at hand.
# Builds nothing: it runs farm-cli/target/farm.jar as it is (build it first: mvn -pl farm-cli -am package).
#
#   bench/cli-start.sh                       # farm --version
#   bench/cli-start.sh ps -C examples/hello  # any farm arguments, e.g. against a running stack
#   N=20 JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/cli-start.sh --version
#
# Variants, run round-robin (one run of each in turn, so a change in the machine's load hits all alike), two warm-up
# rounds and then N rounds (default 10); printed: median, min and max wall time, and the median CPU time (user + sys,
# which other load on the machine disturbs less), in milliseconds.
#   no share  -Xshare:off: no class data sharing at all
#   no cds    -Xshare:auto without an archive of farm's own: only the JDK's default archive (the JVM's default)
#   cds       a dynamic archive of farm's classes (-XX:SharedArchiveFile), made first by one run of the same
#             arguments with -XX:ArchiveClassesAtExit
#   ./farm    the launcher as users run it: its staleness check, and the archive it makes itself from farm --help
#             (only when JAVA is not set, as the launcher runs the java on PATH; LAUNCHER=0 leaves it out)
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
quiet=(-Xlog:cds=off -Xlog:cds+dynamic=off)

"$java" -version 2>&1 | sed 's/^/# /'
echo "# farm ${args[*]}   jar $(du -k "$jar" | cut -f1) KiB   load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"

labels=("no share" "no cds")
commands=("$java -Xshare:off -jar $jar" "$java -Xshare:auto -jar $jar")
"$java" -XX:ArchiveClassesAtExit="$archive" "${quiet[@]}" -jar "$jar" "${args[@]}" >/dev/null 2>&1 || true
if [ -s "$archive" ]; then
  labels+=("cds")
  commands+=("$java -XX:SharedArchiveFile=$archive -Xshare:auto ${quiet[*]} -jar $jar")
else
  echo "# cds: this JVM made no archive"
fi
if [ "${LAUNCHER:-1}" != 0 ] && [ -z "${JAVA:-}" ]; then
  "$root/farm" --help >/dev/null 2>&1 || true
  for _ in $(seq 1 300); do # the launcher makes its archive in the background: wait for it, up to 30 s
    [ -z "$(find "$root/farm-cli/target/cds" -name '*.lock' 2>/dev/null)" ] && break
    sleep 0.1
  done
  labels+=("./farm")
  commands+=("$root/farm")
fi

for label in "${labels[@]}"; do : >"$work/${label//[^a-z]/_}"; done
TIMEFORMAT='%3R %3U %3S'
for round in $(seq 1 $((n + 2))); do
  for i in "${!labels[@]}"; do
    out="$work/${labels[$i]//[^a-z]/_}"
    # shellcheck disable=SC2086 # each command is a java command line split on spaces (paths without spaces)
    { time ${commands[$i]} "${args[@]}" >/dev/null 2>"$work/err"; } 2>"$work/time" || {
      [ "$round" -eq 1 ] && echo "# note: farm ${args[*]} exits non-zero (${labels[$i]}): $(head -c 200 "$work/err")"
    }
    [ "$round" -gt 2 ] && tail -n 1 "$work/time" >>"$out"
  done
done

for label in "${labels[@]}"; do
  awk -v label="$label" '
    { wall[NR] = $1 * 1000; cpu[NR] = ($2 + $3) * 1000 }
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j > 0 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END {
      w = median(wall, NR); c = median(cpu, NR)
      printf "%-9s wall median %5.0f ms  min %5.0f  max %5.0f   cpu median %5.0f ms   (n=%d)\n", label, w, wall[1], wall[NR], c, NR
    }' "$work/${label//[^a-z]/_}"
done
