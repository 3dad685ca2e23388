#!/usr/bin/env bash
# The runbook's smoke tests: one real question per mode that exists, health, metrics and auth refusal.
#   scripts/smoke-tests.sh production     (URL from ASK_EXPERT_URL)
#   scripts/smoke-tests.sh local          (http://127.0.0.1:${PORT:-8000})
#   scripts/smoke-tests.sh http://host:8000
# Modes 3 and 4 are tried when /api/v1/expert/mode3/health answers 200 and the OpenAPI document
# lists the mission routes: a small mission runs to its end or to its first checkpoint (api.md §6),
# which is then cancelled. Exit 0 when every check passes, 1 at the first that fails (with why).
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/deploy-common.sh"

usage() {
  cat <<USAGE
usage: $0 ENV|URL

ENV is local (http://127.0.0.1:\${PORT:-8000}), or staging/production with the URL in ASK_EXPERT_URL.
Token: ASK_EXPERT_TOKEN, else minted for tenant \$SMOKE_TENANT (smoke) with the service's JWT_SECRET
(environment or \$DEPLOY_ROOT/ask-expert.env) by the jar (ASK_EXPERT_JAR, the live release, target/).
SMOKE_AGENT (fda-regulatory-expert) answers mode 1; SMOKE_MISSION_TIMEOUT (300 s) bounds a mission.
USAGE
}
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") usage >&2; exit 2 ;;
  -*) echo "error: unknown option: $1" >&2; usage >&2; exit 2 ;;
  http://*|https://*) BASE="${1%/}" ;;
  local) BASE="http://127.0.0.1:${PORT:-8000}" ;;
  *) [ -n "${ASK_EXPERT_URL:-}" ] || { echo "error: set ASK_EXPERT_URL to the $1 address" >&2; exit 2; }; BASE="${ASK_EXPERT_URL%/}" ;;
esac
for tool in curl jq; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
API="$BASE/api/v1/expert"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

ok() { echo "✅ $*"; }
fail() { echo "❌ $*"; exit 1; }

if [ -z "${ASK_EXPERT_TOKEN:-}" ]; then
  [ -n "${JWT_SECRET:-}" ] || load_service_env
  ASK_EXPERT_TOKEN="$(ask_expert_cli token --tenant "${SMOKE_TENANT:-smoke}" --user smoke-tests --ttl 15m | tail -1)"
  [ -n "$ASK_EXPERT_TOKEN" ] || fail "no token: set ASK_EXPERT_TOKEN or JWT_SECRET"
fi
AUTH=(-H "Authorization: Bearer $ASK_EXPERT_TOKEN" -H "Content-Type: application/json")

# stream PATH BODY FILE: the whole SSE body of a stream that ends by itself.
stream() { curl -sN --max-time 180 "${AUTH[@]}" -d "$2" -o "$3" -w '%{http_code}' "$API$1"; }
events() { awk '/^event: / {print $2}' "$1" | paste -sd' ' -; }
data_of() { awk -v e="$2" '$0 == "event: " e {getline; sub(/^data: /, ""); print}' "$1" | tail -1; }

# --- health and metrics
[ "$(curl -s --max-time 10 "$BASE/health" | jq -r .status 2>/dev/null)" = healthy ] || fail "GET /health did not answer {\"status\":\"healthy\"}"
ok "health"
detailed="$(curl -s --max-time 15 -w '\n%{http_code}' "$BASE/health/detailed")"
[ "$(tail -1 <<< "$detailed")" = 200 ] || fail "GET /health/detailed answered $(tail -1 <<< "$detailed"): $(head -1 <<< "$detailed")"
ok "detailed health: $(head -1 <<< "$detailed" | jq -r .status)"
metrics="$(curl -s --max-time 10 "$BASE/metrics")"
grep -q '^http_requests_total{.*service="ask-expert"' <<< "$metrics" || fail "/metrics has no http_requests_total{service=\"ask-expert\"}"
ok "metrics"

# --- auth refusal
code="$(curl -s -o "$TMP/e" -w '%{http_code}' -H "Content-Type: application/json" -d '{"agent_id":"x","query":"hello there"}' "$API/mode1/stream")"
[ "$code" = 401 ] && [ "$(jq -r .error.code "$TMP/e")" = UNAUTHORIZED ] || fail "no token: expected 401 UNAUTHORIZED, got $code $(cat "$TMP/e")"
code="$(curl -s -o "$TMP/e" -w '%{http_code}' -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged" "$API/agents")"
[ "$code" = 401 ] || fail "forged token: expected 401, got $code"
ok "auth refusal (no token, forged token)"

# --- mode 1
agent="${SMOKE_AGENT:-fda-regulatory-expert}"
code="$(stream /mode1/stream "{\"agent_id\":\"$agent\",\"query\":\"What must an IND application contain?\"}" "$TMP/m1")"
[ "$code" = 200 ] || fail "mode 1 answered $code: $(head -c 300 "$TMP/m1")"
names="$(events "$TMP/m1")"
[[ "$names" == run\ * ]] && [[ "$names" == *" token "* ]] && [[ "$names" == *" done" ]] || fail "mode 1 stream: $names"
run_id="$(data_of "$TMP/m1" run | jq -r .run_id)"
ok "mode 1: $(grep -c '^event: token' "$TMP/m1") tokens, run $run_id"

# --- resume (api.md §4): replays after Last-Event-ID from any instance
curl -sN --max-time 30 "${AUTH[@]}" -H "Last-Event-ID: 2" -o "$TMP/r" "$API/runs/$run_id/stream"
[ "$(awk '/^id: / {print $2; exit}' "$TMP/r")" = 3 ] && [[ "$(events "$TMP/r")" == *" done" ]] || fail "resume with Last-Event-ID 2: $(events "$TMP/r")"
ok "resume after Last-Event-ID"

# --- mode 2. An instance answers /health before fusion has loaded the expert catalogue; until
# then mode 2 finds no expert. Wait for it (SMOKE_READY_TIMEOUT, 60 s), as a load balancer's
# readiness check should.
deadline=$(( $(date +%s) + ${SMOKE_READY_TIMEOUT:-60} ))
until curl -s --max-time 30 "${AUTH[@]}" -d '{"query":"Which expert reviews IND safety reports?"}' "$API/mode2/fusion/select" \
    | jq -e '.selected_experts | length > 0' >/dev/null 2>&1; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "mode 2: fusion selected no expert within ${SMOKE_READY_TIMEOUT:-60}s"
  sleep 2
done
code="$(stream /mode2/stream '{"query":"How fast must a fatal SUSAR be reported in the EU?"}' "$TMP/m2")"
[ "$code" = 200 ] || fail "mode 2 answered $code: $(head -c 300 "$TMP/m2")"
names="$(events "$TMP/m2")"
[[ "$names" == *" fusion "* ]] && [[ "$names" == *" done" ]] || fail "mode 2 stream: $names"
ok "mode 2: panel $(data_of "$TMP/m2" done | jq -c .experts_used)"

# --- modes 3 and 4, when the mission routes exist
mission_routes() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$API/mode3/health")" = 200 ] || return 1
  curl -s --max-time 10 "$API/openapi.json" | jq -e '.paths | has("/api/v1/expert/mode3/mission/create") and has("/api/v1/expert/mode3/stream")' >/dev/null
}
# follow_mission MODE MISSION_ID: reads the stream until a terminal event or the first checkpoint.
follow_mission() {
  local mode="$1" id="$2" event="" line
  while IFS= read -r line; do
    case "$line" in
      "event: "*) event="${line#event: }"
        case "$event" in done|error|cancelled|checkpoint) break ;; esac ;;
    esac
  done < <(curl -sN --max-time "${SMOKE_MISSION_TIMEOUT:-300}" "${AUTH[@]}" -d "{\"mission_id\":\"$id\"}" "$API/mode$mode/stream")
  echo "$event"
}
if mission_routes; then
  body='{"goal":"List the sections an IND application must contain, briefly.","agent_id":"'"$agent"'","options":{"max_steps":2,"budget_limit_usd":0.5,"require_checkpoints":true}}'
  code="$(curl -s -o "$TMP/c3" -w '%{http_code}' "${AUTH[@]}" -d "$body" "$API/mode3/mission/create")"
  [ "$code" = 201 ] || fail "mode 3 mission create answered $code: $(cat "$TMP/c3")"
  m3="$(jq -r .mission_id "$TMP/c3")"
  end="$(follow_mission 3 "$m3")"
  case "$end" in
    done) ok "mode 3: mission $m3 completed" ;;
    checkpoint) curl -s -o /dev/null "${AUTH[@]}" -d '{"reason":"smoke test"}' "$API/mode3/mission/$m3/cancel"
                ok "mode 3: mission $m3 reached its first checkpoint (cancelled)" ;;
    *) fail "mode 3 mission $m3 ended with '${end:-no event}'" ;;
  esac
  body='{"goal":"Summarise the EU timelines for expedited SUSAR reporting.","title":"smoke test","options":{"max_team_size":2,"budget_limit_usd":0.5}}'
  code="$(curl -s -o "$TMP/c4" -w '%{http_code}' "${AUTH[@]}" -d "$body" "$API/mode4/mission/create")"
  if [ "$code" = 403 ] && [ "$(jq -r .error.code "$TMP/c4")" = FORBIDDEN ]; then
    ok "mode 4: disabled (FF_MODE4_ENABLED=false)"
  else
    [ "$code" = 201 ] || fail "mode 4 mission create answered $code: $(cat "$TMP/c4")"
    m4="$(jq -r .mission_id "$TMP/c4")"
    code="$(curl -s -o "$TMP/p4" -w '%{http_code}' "${AUTH[@]}" -X POST "$API/mode4/mission/$m4/preflight")"
    [ "$code" = 200 ] || fail "mode 4 preflight answered $code: $(cat "$TMP/p4")"
    end="$(follow_mission 4 "$m4")"
    case "$end" in
      done) ok "mode 4: mission $m4 completed" ;;
      checkpoint) curl -s -o /dev/null "${AUTH[@]}" -d "{\"mission_id\":\"$m4\",\"mode\":4,\"reason\":\"smoke test\"}" "$API/mission/cancel"
                  ok "mode 4: mission $m4 reached its first checkpoint (cancelled)" ;;
      *) fail "mode 4 mission $m4 ended with '${end:-no event}'" ;;
    esac
  fi
else
  echo "➖ modes 3 and 4: no mission routes on $BASE (skipped)"
fi
echo "Smoke tests passed: $BASE"
