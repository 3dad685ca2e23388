#!/usr/bin/env bash
# The bare-metal deployment at a glance, and its off switch:
#   scripts/deployment.sh status    live and previous release, every instance's pid and health, the proxy
#   scripts/deployment.sh logs      follow the live color's logs, ERROR and CRITICAL lines only (runbook Step 5)
#   scripts/deployment.sh stop      stop every instance and the proxy (state is kept)
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/deploy-common.sh"

usage() { echo "usage: $0 status|logs|stop"; sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; echo "DEPLOY_ROOT: $DEPLOY_ROOT"; }
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  status)
    echo "live:     $(state_get active)"
    echo "previous: $(state_get previous)"
    for color in blue green; do
      for p in $(api_ports "$color") "$(worker_port "$color")"; do
        role=api; [ "$p" = "$(worker_port "$color")" ] && role=worker
        pidfile="$DEPLOY_ROOT/run/$color/$role-$p.pid"
        if pid_alive "$pidfile"; then
          h="$(curl -s --max-time 3 "http://127.0.0.1:$p/health" | jq -r .status 2>/dev/null)"
          printf '%-6s %-7s %-6s pid %-8s %s (%s)\n' "$color" "$role" "$p" "$(cat "$pidfile")" "${h:-not answering}" "$(cat "$DEPLOY_ROOT/run/$color/release" 2>/dev/null)"
        fi
      done
    done
    if [ -f "$DEPLOY_ROOT/nginx/nginx.pid" ] && kill -0 "$(cat "$DEPLOY_ROOT/nginx/nginx.pid")" 2>/dev/null; then
      echo "proxy:    $(proxy_url) (nginx pid $(cat "$DEPLOY_ROOT/nginx/nginx.pid"))"
    else
      echo "proxy:    not running"
    fi ;;
  logs)
    live="$(state_get active)"; [ -n "$live" ] || die "nothing is deployed under $DEPLOY_ROOT"
    tail -F "$DEPLOY_ROOT/run/${live%% *}"/*.log | grep --line-buffered -E "(ERROR|CRITICAL)" ;;
  stop)
    stop_proxy
    for color in blue green; do stop_color "$color" >/dev/null; done
    say "every instance stopped" ;;
  *) usage >&2; exit 2 ;;
esac
