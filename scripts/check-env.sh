#!/usr/bin/env bash
# Runbook pre-flight check 1: every environment variable as set / default / missing / invalid,
# secrets hidden. Exit 1 on an invalid value or a missing required one.
#   scripts/check-env.sh            production rules (the runbook's required variables must be set)
#   scripts/check-env.sh --local    the embedded default (no variable is required)
set -euo pipefail
case "${1:-}" in
  -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; echo "usage: $0 [--local]"; exit 0 ;;
  ""|--local) ;;
  *) echo "error: unknown argument: $1" >&2; echo "usage: $0 [--local]" >&2; exit 2 ;;
esac
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/ask-expert" check-env "$@"
