#!/usr/bin/env bash
# The runbook's external-dependency check (Incident Response): PostgreSQL, Redis, the LLM
# provider and Langfuse, each reachable or not, with its version and round-trip latency and a
# verdict: OK, FAILED, or SKIPPED when not configured (the embedded default needs none of them).
# Configuration comes from the environment, else $DEPLOY_ROOT/ask-expert.env. Secrets are never printed.
# Exit 0 when every configured dependency answers; 1 when one does not.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/deploy-common.sh"

case "${1:-}" in
  -h|--help)
    cat <<USAGE
usage: $0

Checks DATABASE_URL (psql), REDIS_URL (redis-cli), the LLM provider (ANTHROPIC_API_KEY / OPENAI_API_KEY
with their base URLs: one 1-token request, as the runbook's pre-flight does) and Langfuse
(LANGFUSE_HOST/api/public/health when LANGFUSE_ENABLED and both keys are set).
LLM_CHECK=off skips the billed LLM request (the provider is then only reached, not asked).
USAGE
    exit 0 ;;
  "") ;;
  *) echo "usage: $0 [--help]" >&2; exit 2 ;;
esac
[ -n "${DATABASE_URL:-}${REDIS_URL:-}" ] || load_service_env
failed=0

report() {  # report NAME VERDICT DETAIL
  printf '%-11s %-8s %s\n' "$1" "$2" "$3"
  [ "$2" = FAILED ] && failed=1
  return 0
}
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# PostgreSQL
if [ -z "${DATABASE_URL:-}" ]; then
  report postgresql SKIPPED "DATABASE_URL not set (embedded PostgreSQL)"
elif ! command -v psql >/dev/null; then
  report postgresql FAILED "psql is not installed (apt-get install postgresql-client)"
else
  t=$(date +%s%N)
  if out="$(PGCONNECT_TIMEOUT=5 psql "$(libpq_url "$DATABASE_URL")" -X -A -t -c "SELECT current_setting('server_version') || ', pgvector ' || coalesce((SELECT extversion FROM pg_extension WHERE extname = 'vector'), 'absent')" 2>&1)"; then
    report postgresql OK "PostgreSQL $out, $(ms_since "$t") ms"
  else
    report postgresql FAILED "$(head -1 <<< "$out" | sed -E 's#(postgres(ql)?://)[^@]*@#\1***@#g')"
  fi
fi

# Redis
if [ -z "${REDIS_URL:-}" ]; then
  report redis SKIPPED "REDIS_URL not set (in-process queue, event log and locks)"
elif ! command -v redis-cli >/dev/null; then
  report redis FAILED "redis-cli is not installed (apt-get install redis-tools)"
else
  t=$(date +%s%N)
  pong="$(timeout 5 redis-cli -u "$REDIS_URL" --no-auth-warning PING 2>&1)"
  if [ "$pong" = PONG ]; then
    ms=$(ms_since "$t")
    version="$(timeout 5 redis-cli -u "$REDIS_URL" --no-auth-warning INFO server 2>/dev/null | tr -d '\r' | awk -F: '/^redis_version:/ {print $2}')"
    report redis OK "Redis $version, $ms ms, $(timeout 5 redis-cli -u "$REDIS_URL" --no-auth-warning LLEN ask_expert_queue 2>/dev/null) in ask_expert_queue"
  else
    report redis FAILED "PING answered '${pong:-nothing}'"
  fi
fi

# LLM provider: the runbook's 1-token request, or a plain reach when LLM_CHECK=off.
llm_check() {  # llm_check NAME URL ARGS…: POST and judge
  local name="$1" url="$2" code t; shift 2
  t=$(date +%s%N)
  code="$(curl -s -o /tmp/ask-expert-llm-check.$$ -w '%{http_code}' --max-time 20 "$@" "$url")"
  local ms; ms=$(ms_since "$t")
  case "$code" in
    200) report "$name" OK "$url answered, $ms ms" ;;
    401|403) report "$name" FAILED "$url refused the key (HTTP $code)" ;;
    429) report "$name" FAILED "$url is rate limiting this key (HTTP 429)" ;;
    000) report "$name" FAILED "$url unreachable" ;;
    *) report "$name" FAILED "$url answered HTTP $code: $(head -c 200 /tmp/ask-expert-llm-check.$$ | tr -d '\n')" ;;
  esac
  rm -f /tmp/ask-expert-llm-check.$$
}
if [ -n "${ANTHROPIC_API_KEY:-}" ]; then
  base="${ANTHROPIC_BASE_URL:-https://api.anthropic.com}"
  if [ "${LLM_CHECK:-on}" = off ]; then
    t=$(date +%s%N); code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${base%/}/")"
    [ "$code" != 000 ] && report anthropic OK "${base%/} reachable, $(ms_since "$t") ms (LLM_CHECK=off)" || report anthropic FAILED "${base%/} unreachable"
  else
    llm_check anthropic "${base%/}/v1/messages" -H "x-api-key: $ANTHROPIC_API_KEY" -H "anthropic-version: 2023-06-01" \
      -H "content-type: application/json" \
      -d "{\"model\":\"${ANTHROPIC_MODEL:-claude-sonnet-4-20250514}\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}"
  fi
fi
if [ -n "${OPENAI_API_KEY:-}" ]; then
  base="${OPENAI_BASE_URL:-https://api.openai.com/v1}"
  llm_check openai "${base%/}/chat/completions" -H "Authorization: Bearer $OPENAI_API_KEY" -H "content-type: application/json" \
    -d "{\"model\":\"${OPENAI_MODEL:-gpt-4o-mini}\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}"
fi
[ -n "${ANTHROPIC_API_KEY:-}${OPENAI_API_KEY:-}" ] || report llm SKIPPED "no provider key (offline, extractive answers)"

# Langfuse
if [ "${LANGFUSE_ENABLED:-true}" != true ] || [ -z "${LANGFUSE_PUBLIC_KEY:-}" ] || [ -z "${LANGFUSE_SECRET_KEY:-}" ]; then
  report langfuse SKIPPED "tracing off (LANGFUSE_ENABLED with both keys turns it on)"
else
  host="${LANGFUSE_HOST:-https://cloud.langfuse.com}"
  t=$(date +%s%N)
  body="$(curl -s --max-time 10 -w '\n%{http_code}' "${host%/}/api/public/health")"
  if [ "$(tail -1 <<< "$body")" = 200 ]; then
    report langfuse OK "${host%/} $(head -1 <<< "$body" | jq -r '"Langfuse " + (.version // "?")' 2>/dev/null), $(ms_since "$t") ms"
  else
    report langfuse FAILED "${host%/}/api/public/health answered HTTP $(tail -1 <<< "$body")"
  fi
fi

if [ "$failed" -ne 0 ]; then echo "Dependency check FAILED"; exit 1; fi
echo "Dependency check passed"
