#!/usr/bin/env bash
# Waits until GET <URL>/health answers 200, for at most SECONDS (default 30).
#   scripts/wait-for-healthy.sh http://localhost:8000 30
#   scripts/wait-for-healthy.sh api 30      a bare host name means http://<name>:${PORT:-8000}
# Exit 0 once healthy, 1 on timeout, 2 on bad arguments.
set -uo pipefail
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
  echo "usage: $0 URL|HOST [SECONDS]"
  exit 0
fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 URL|HOST [SECONDS]" >&2
  exit 2
fi
TARGET="$1"
SECONDS_LEFT="${2:-30}"
case "$SECONDS_LEFT" in ''|*[!0-9]*) echo "SECONDS must be a whole number" >&2; exit 2 ;; esac
case "$TARGET" in
  http://*|https://*) BASE_URL="${TARGET%/}" ;;
  *) BASE_URL="http://${TARGET}:${PORT:-8000}" ;;
esac

deadline=$(( $(date +%s) + SECONDS_LEFT ))
while :; do
  if curl -sf --max-time 2 "$BASE_URL/health" > /dev/null 2>&1; then
    echo "healthy: $BASE_URL"
    exit 0
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "not healthy after ${SECONDS_LEFT}s: $BASE_URL" >&2
    exit 1
  fi
  sleep 1
done
