#!/usr/bin/env bash
# Two builds side by side in one run (docs/PERFORMANCE.md): the benchmark with the BEFORE jar, then
# with the AFTER jar, alternately for N rounds, so both see the same machine at nearly the same time.
# Every report goes under one directory; compare the medians and ranges across rounds.
#   bench/compare.sh BEFORE.jar AFTER.jar [ROUNDS] [-- bench run options]
#   bench/compare.sh /tmp/main.jar target/ask-expert.jar 2 -- --concurrency 1,100 --no-rag --probe 2000
# Each jar's benchmark starts that jar's own mock and service; pinning as in bench/run.sh (bench/lib.sh).
set -euo pipefail
if [ $# -lt 2 ]; then
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
BEFORE="$1"; AFTER="$2"; shift 2
ROUNDS=2
if [ $# -gt 0 ] && [ "$1" != "--" ]; then ROUNDS="$1"; shift; fi
if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; fi
# The jars may be named relative to where this was started; bench/lib.sh changes to the root.
BEFORE="$(realpath "$BEFORE")"; AFTER="$(realpath "$AFTER")"
OUT="${BENCH_OUT:+$(realpath -m "$BENCH_OUT")}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT="${OUT:-$ROOT/bench/results/compare-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
for round in $(seq 1 "$ROUNDS"); do
  for side in before after; do
    jar="$BEFORE"; [ "$side" = after ] && jar="$AFTER"
    echo "== round $round: $side ($jar), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    "${PREFIX[@]}" "$JAVA" -Xmx2g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
      -jar "$jar" bench run --out "$OUT/$side-$round" "$@" || echo "($side round $round exited with $?)"
  done
done
echo "Reports: $OUT/{before,after}-N/report.md"
