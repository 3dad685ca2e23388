# Sourced by bench/run.sh, bench/soak.sh and bench/compare.sh (not run on its own): the repository root as the working
# directory, and PREFIX, what their load runs under: BENCH_NICE's priority when set, and core 1
# (taskset -c 1) on a machine with two cores or more, so that the service the benchmark starts has
# core 0 to itself; the service's heap is 2 GiB unless ASK_EXPERT_JAVA_OPTS says otherwise.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PREFIX=()
if [ -n "${BENCH_NICE:-}" ]; then PREFIX=(nice -n "$BENCH_NICE"); fi
if command -v taskset >/dev/null && [ "$(nproc --all)" -ge 2 ]; then PREFIX+=(taskset -c 1); fi
export ASK_EXPERT_JAVA_OPTS="${ASK_EXPERT_JAVA_OPTS:--Xmx2g}"
