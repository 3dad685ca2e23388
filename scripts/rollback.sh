#!/usr/bin/env bash
# The runbook's Full Rollback, without downtime: back to the previous release.
#   1. the database: when the live release migrated past what the previous one knows, undo those
#      revisions with the live release's jar (db downgrade), or restore a backup (--restore)
#   2. the previous release's instances: already running when blue-green-deploy.sh kept them,
#      started otherwise, and health-checked
#   3. traffic switches back (nginx reload: streams on the rolled-back release finish there)
#   4. the rolled-back release is drained and stopped (--keep-current keeps its API instances)
#   5. the runbook's health checks (health-check.sh) through the proxy
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/deploy-common.sh"

usage() {
  cat <<USAGE
usage: $0 [--restore BACKUP.dump] [--keep-current]

Rolls the live release back to the previous one (state in \$DEPLOY_ROOT/state).
  --restore FILE   restore this backup (backup-before-deploy.sh) instead of downgrading the schema;
                   stops the live release first, since its writes after the backup are lost
  --keep-current   keep the rolled-back release's API instances running (idle) after draining
  -h, --help       this text
Environment: DEPLOY_ROOT (default /opt/ask-expert), HEALTH_TIMEOUT (60), DRAIN_TIMEOUT (120).
Exit 0 when the previous release serves all traffic and passes the health checks.
USAGE
}

RESTORE="" KEEP=""
while [ $# -gt 0 ]; do
  case "$1" in
    --restore) RESTORE="${2:?--restore needs a backup file}"; shift 2 ;;
    --keep-current) KEEP=yes; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[ -z "$RESTORE" ] || [ -f "$RESTORE" ] || die "no backup at $RESTORE"
started=$(date +%s)
require_shared_backends

LIVE="$(state_get active)"
PREVIOUS="$(state_get previous)"
[ -n "$LIVE" ] || die "nothing is deployed under $DEPLOY_ROOT"
[ -n "$PREVIOUS" ] || die "there is no previous release to roll back to (state/previous is empty)"
LIVE_COLOR="${LIVE%% *}" LIVE_LABEL="${LIVE#* }"
PREV_COLOR="${PREVIOUS%% *}" PREV_LABEL="${PREVIOUS#* }"
[ -f "$(release_jar "$PREV_LABEL")" ] || die "the previous release's jar is gone: $(release_jar "$PREV_LABEL")"
say "rolling back from $LIVE_LABEL ($LIVE_COLOR) to $PREV_LABEL ($PREV_COLOR)"

# 1. Schema: the previous release refuses to start on revisions it does not know. Its head was
# recorded when it was deployed (else asked of its jar).
prev_head="$(cat "$DEPLOY_ROOT/releases/$PREV_LABEL/schema-head" 2>/dev/null || true)"
[ -n "$prev_head" ] || prev_head="$(release_cli "$PREV_LABEL" db heads | grep -E '^[0-9]{3}-' | tail -1 | awk '{print $1}')"
current="$(release_cli "$LIVE_LABEL" db current | schema_revision)"
[ -n "$current" ] || die "could not read the schema revision with $LIVE_LABEL's jar (db current); nothing was changed"
case "$prev_head" in [0-9][0-9][0-9]-*) ;; *) die "could not tell which schema revision $PREV_LABEL knows (got '$prev_head'); nothing was changed" ;; esac
if [ -n "$RESTORE" ]; then
  say "restoring $RESTORE: stopping $LIVE_LABEL first"
  stop_color "$LIVE_COLOR"
  "$SCRIPTS_DIR/backup-before-deploy.sh" --restore "$RESTORE"
elif [ "$current" != "$prev_head" ]; then
  say "schema at $current, $PREV_LABEL knows up to $prev_head: downgrading with $LIVE_LABEL's jar"
  for _ in $(seq 1 50); do
    now="$(release_cli "$LIVE_LABEL" db current | schema_revision)"
    [ "$now" = "$prev_head" ] && break
    [ -n "$now" ] || die "could not read the schema revision while downgrading: restore a backup with --restore"
    release_cli "$LIVE_LABEL" db downgrade 1 | tail -1
  done
  [ "$(release_cli "$LIVE_LABEL" db current | schema_revision)" = "$prev_head" ] || die "could not downgrade to $prev_head: restore a backup with --restore"
else
  say "schema at $current: nothing to undo"
fi

# 2. The previous release's instances: its API serves as soon as it is healthy; its worker (which
# blue-green-deploy.sh stopped) starts beside it and is awaited after the switch.
if ! color_running "$PREV_COLOR"; then
  [ "$(cat "$DEPLOY_ROOT/run/$PREV_COLOR/release" 2>/dev/null)" = "$PREV_LABEL" ] || stop_color "$PREV_COLOR"
  for p in $(api_ports "$PREV_COLOR"); do
    pid_alive "$DEPLOY_ROOT/run/$PREV_COLOR/api-$p.pid" || start_instance "$PREV_COLOR" api "$p" "$PREV_LABEL"
  done
fi
pid_alive "$DEPLOY_ROOT/run/$PREV_COLOR/worker-$(worker_port "$PREV_COLOR").pid" \
  || start_instance "$PREV_COLOR" worker "$(worker_port "$PREV_COLOR")" "$PREV_LABEL"
wait_color_healthy "$PREV_COLOR" "$HEALTH_TIMEOUT" api || die "$PREV_LABEL is not healthy; traffic stays on $LIVE_LABEL"

# 3. Traffic.
switch_traffic "$PREV_COLOR"
state_set active "$PREVIOUS"
state_set previous "$LIVE"

# 4. The rolled-back release: its worker stops first, so missions move to the previous release's.
if [ -z "$RESTORE" ]; then
  stop_worker "$LIVE_COLOR"
  wait_color_healthy "$PREV_COLOR" "$HEALTH_TIMEOUT" || die "$PREV_LABEL's worker is not healthy (traffic is on $PREV_LABEL)"
  drain "$LIVE_COLOR" || say "continuing: the remaining answers finish or end at their mode timeout"
  [ -n "$KEEP" ] || stop_color "$LIVE_COLOR"
else
  wait_color_healthy "$PREV_COLOR" "$HEALTH_TIMEOUT" || die "$PREV_LABEL's worker is not healthy (traffic is on $PREV_LABEL)"
fi

# 5. The runbook's health checks through the proxy.
"$SCRIPTS_DIR/health-check.sh" "$(proxy_url)"
say "rolled back to $PREV_LABEL in $(( $(date +%s) - started ))s"
