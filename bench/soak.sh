#!/usr/bin/env bash
# The soak (docs/PERFORMANCE.md, Soak): 1,000 mode 1 streams held through one service on the
# machine's PostgreSQL (a scratch database, dropped after) and Redis (a claimed index, flushed after)
# for 30 minutes; counts lost frames and 5xx, reads heap after GC at the start and end of the hold.
#   bench/soak.sh                          the full soak
#   bench/soak.sh --minutes 3              a trial
#   bench/soak.sh --help                   every option
# Exit 0 when every criterion is met, 1 when one is not, 2 when it could not run.
# Pinning as in bench/run.sh (bench/lib.sh): the generator and the mock on core 1, the service on core 0.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exec "${PREFIX[@]}" "$ROOT/ask-expert" bench soak "$@"
