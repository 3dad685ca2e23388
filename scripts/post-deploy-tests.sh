#!/usr/bin/env bash
# After a deployment (runbook Steps 4 and 5 in one command):
#   1. the runbook's health checks (health-check.sh) and smoke tests (smoke-tests.sh)
#   2. with a bare-metal deployment under $DEPLOY_ROOT: a stream started on one API instance of
#      the live color resumes on another (Last-Event-ID), proving the shared event log; the
#      automatic-rollback rules (ask-expert deploy verify) over every live instance; and no
#      ERROR line in the live instances' logs
# Exit 0 when everything passes, 1 at the first failure.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/deploy-common.sh"

case "${1:-}" in
  -h|--help)
    cat <<USAGE
usage: $0 ENV|URL

ENV and token as for smoke-tests.sh (local, staging/production with ASK_EXPERT_URL, or a URL).
DEPLOY_ROOT (default /opt/ask-expert): when it holds a live release, the cross-instance, metrics
and log checks run against its instances too.
USAGE
    exit 0 ;;
  "") echo "usage: $0 ENV|URL" >&2; exit 2 ;;
  -*) echo "error: unknown option: $1 (usage: $0 ENV|URL)" >&2; exit 2 ;;
esac
case "$1" in
  http://*|https://*) BASE="${1%/}" ;;
  local) BASE="http://127.0.0.1:${PORT:-8000}" ;;
  *) BASE="${ASK_EXPERT_URL:?set ASK_EXPERT_URL to the $1 address}" ;;
esac

"$SCRIPTS_DIR/health-check.sh" "$BASE" || { echo "❌ health checks failed"; exit 1; }
"$SCRIPTS_DIR/smoke-tests.sh" "$1" || { echo "❌ smoke tests failed"; exit 1; }

LIVE="$(state_get active)"
if [ -z "$LIVE" ]; then
  echo "➖ no bare-metal deployment under $DEPLOY_ROOT: cross-instance, metrics and log checks skipped"
  echo "Post-deployment tests passed: $BASE"
  exit 0
fi
color="${LIVE%% *}" label="${LIVE#* }"
mapfile -t urls < <(api_urls "$color")
load_service_env
token="${ASK_EXPERT_TOKEN:-$(ask_expert_cli token --tenant "${SMOKE_TENANT:-smoke}" --user post-deploy --ttl 15m | tail -1)}"
auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")

if [ "${#urls[@]}" -ge 2 ]; then
  tmp="$(mktemp)"; trap 'rm -f "$tmp" "$tmp.r"' EXIT
  curl -sN --max-time 180 "${auth[@]}" -o "$tmp" \
    -d "{\"agent_id\":\"${SMOKE_AGENT:-fda-regulatory-expert}\",\"query\":\"Which documents does an IND need?\"}" \
    "${urls[0]}/api/v1/expert/mode1/stream"
  run_id="$(awk '$0 == "event: run" {getline; sub(/^data: /, ""); print; exit}' "$tmp" | jq -r .run_id)"
  curl -sN --max-time 60 "${auth[@]}" -H "Last-Event-ID: 1" -o "$tmp.r" "${urls[1]}/api/v1/expert/runs/$run_id/stream"
  if [ "$(grep -c '^event: ' "$tmp.r")" -eq $(( $(grep -c '^event: ' "$tmp") - 1 )) ] && tail -3 "$tmp.r" | grep -q '^event: done'; then
    echo "✅ a run of ${urls[0]} replays on ${urls[1]} after Last-Event-ID"
  else
    echo "❌ run $run_id of ${urls[0]} did not replay on ${urls[1]}"; exit 1
  fi
fi

if release_cli "$label" deploy verify --url "$(IFS=,; echo "${urls[*]}")" --from-start --min-requests 1 > /tmp/ask-expert-verify.$$; then
  echo "✅ rollback rules: $(tail -1 /tmp/ask-expert-verify.$$)"
else
  cat /tmp/ask-expert-verify.$$; rm -f /tmp/ask-expert-verify.$$; echo "❌ rollback rules"; exit 1
fi
rm -f /tmp/ask-expert-verify.$$

errors="$(cat "$DEPLOY_ROOT"/run/"$color"/*.log 2>/dev/null | grep -E " (ERROR|CRITICAL) " | tail -5)"
if [ -n "$errors" ]; then
  echo "❌ ERROR lines in $DEPLOY_ROOT/run/$color/*.log:"; echo "$errors"; exit 1
fi
echo "✅ no ERROR line in the logs of $label ($color)"
echo "Post-deployment tests passed: $BASE"
