#!/usr/bin/env bash
# Runbook pre-flight check 1: every environment variable as set / default / missing / invalid,
# secrets hidden. Exit 1 on an invalid value or a missing required one.
#   scripts/check-env.sh            production rules (the runbook's required variables must be set)
#   scripts/check-env.sh --local    the embedded default (no variable is required)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/ask-expert" check-env "$@"
