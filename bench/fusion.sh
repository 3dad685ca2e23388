#!/usr/bin/env bash
# The fusion latency benchmark (docs/CATALOGUE.md, "Fusion"): eval fusion-latency on the starter
# catalogue (asking the labelled routing questions), then with 1,000 and 10,000 synthetic experts
# added, each on its own fresh embedded database. Prints the report tables of each run.
#   bench/fusion.sh                       the three runs, 500 selections per path each
#   bench/fusion.sh 1000                  only the 1,000-expert run
#   REQUESTS=200 bench/fusion.sh          fewer selections per path
# Check `uptime` first: on a shared 2-core machine the percentiles are only as good as the CPU.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REQUESTS="${REQUESTS:-500}"
WARMUP="${WARMUP:-200}"
SIZES=("$@")
if [ ${#SIZES[@]} -eq 0 ]; then SIZES=(0 1000 10000); fi
export ASK_EXPERT_JAVA_OPTS="${ASK_EXPERT_JAVA_OPTS:--Xmx2g}"
for size in "${SIZES[@]}"; do
  dir="$(mktemp -d /tmp/ask-expert-fusion-bench.XXXXXX)"
  echo "== $( [ "$size" = 0 ] && echo "starter catalogue" || echo "starter + $size synthetic experts" ); load: $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ "$size" = 0 ]; then
    ASK_EXPERT_DATA_DIR="$dir" ./ask-expert eval fusion-latency --label starter --requests "$REQUESTS" \
      --warmup "$WARMUP" --questions eval/routing/starter/questions.jsonl 2>/dev/null | grep -v '^[0-9T:.Z-]* *\(INFO\|WARN\)'
  else
    ASK_EXPERT_DATA_DIR="$dir" ./ask-expert eval fusion-latency --label "synthetic $size" --synthetic "$size" \
      --requests "$REQUESTS" --warmup "$WARMUP" 2>/dev/null | grep -v '^[0-9T:.Z-]* *\(INFO\|WARN\)'
  fi
  rm -rf "$dir"
done
