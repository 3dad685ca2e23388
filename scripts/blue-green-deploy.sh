#!/usr/bin/env bash
# Blue-green deployment of a release, with zero failed requests and no cut stream:
#   1. back up the database (backup-before-deploy.sh) and upgrade the schema with the new jar
#   2. start the new release on the idle color (API instances + worker) beside the live one
#   3. wait until every new instance is healthy (HEALTH_TIMEOUT, the runbook's 60 s), smoke-test it
#   4. switch the proxy to the new color (nginx reload: the old color finishes its streams)
#   5. apply the runbook's automatic-rollback rules (ask-expert deploy verify); on a breach,
#      switch back and stop the new color
#   6. drain the old color, stop its worker, keep its API instances for an instant rollback.sh
# The first deployment (no live release) does 2-4 only. See docs/OPERATIONS.md.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/deploy-common.sh"

usage() {
  cat <<USAGE
usage: $0 --jar PATH --label NAME [options]

Deploys the jar as release NAME beside the live one and switches traffic to it.
  --jar PATH            the release's ask-expert.jar
  --label NAME          a name for the release (e.g. main-abc1234), [A-Za-z0-9._-]
  --skip-backup         no backup-before-deploy.sh (not recommended)
  --verify-watch DUR    how long deploy verify watches the new release after the switch (default 60s)
  --stop-old            stop the old color once drained instead of keeping it for rollback
  -h, --help            this text
Environment: DEPLOY_ROOT (default /opt/ask-expert; layout in scripts/lib/deploy-common.sh),
HEALTH_TIMEOUT (60), DRAIN_TIMEOUT (120), and the ports in \$DEPLOY_ROOT/deploy.env.
Exit 0 when the new release serves all traffic; 1 when it was refused or rolled back.
USAGE
}

JAR="" LABEL="" SKIP_BACKUP="" VERIFY_WATCH="60s" STOP_OLD=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) JAR="${2:?--jar needs a path}"; shift 2 ;;
    --label) LABEL="${2:?--label needs a name}"; shift 2 ;;
    --skip-backup) SKIP_BACKUP=yes; shift ;;
    --verify-watch) VERIFY_WATCH="${2:?--verify-watch needs a duration}"; shift 2 ;;
    --stop-old) STOP_OLD=yes; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[ -n "$JAR" ] && [ -n "$LABEL" ] || { usage >&2; die "--jar and --label are required"; }
[ -f "$JAR" ] || die "no jar at $JAR"
[[ "$LABEL" =~ ^[A-Za-z0-9._-]+$ ]] || die "--label may use letters, digits, '.', '_' and '-' only"
command -v nginx >/dev/null || die "nginx is not installed (apt-get install nginx)"
require_shared_backends
started=$(date +%s)

LIVE="$(state_get active)"
LIVE_COLOR="${LIVE%% *}"
LIVE_LABEL="${LIVE#* }"
[ -n "$LIVE" ] && [ "$LIVE_LABEL" = "$LABEL" ] && die "release $LABEL is already live on $LIVE_COLOR"
NEW_COLOR="$( [ -n "$LIVE" ] && other_color "$LIVE_COLOR" || echo blue )"
say "deploying $LABEL on $NEW_COLOR${LIVE:+ (live: $LIVE_LABEL on $LIVE_COLOR)}"

mkdir -p "$DEPLOY_ROOT/releases/$LABEL"
if ! cmp -s "$JAR" "$(release_jar "$LABEL")"; then
  cp "$JAR" "$(release_jar "$LABEL").tmp" && mv -f "$(release_jar "$LABEL").tmp" "$(release_jar "$LABEL")"
fi

# The idle color may still run the release before the live one (kept for rollback): replace it.
if color_running "$NEW_COLOR" || pid_alive "$DEPLOY_ROOT/run/$NEW_COLOR/worker-$(worker_port "$NEW_COLOR").pid"; then
  say "stopping the release kept on $NEW_COLOR ($(cat "$DEPLOY_ROOT/run/$NEW_COLOR/release" 2>/dev/null))"
  stop_color "$NEW_COLOR"
fi

if [ -n "$LIVE" ] && [ -z "$SKIP_BACKUP" ]; then
  ASK_EXPERT_JAR="$(release_jar "$LIVE_LABEL")" "$SCRIPTS_DIR/backup-before-deploy.sh" --out "$DEPLOY_ROOT/backups" \
    | tee "$DEPLOY_ROOT/state/last-backup.log"
  grep '^backup: ' "$DEPLOY_ROOT/state/last-backup.log" | tail -1 | cut -d' ' -f2 > "$DEPLOY_ROOT/state/last-backup"
fi

# Expand-only migrations keep the live release working on the upgraded schema (docs/OPERATIONS.md).
upgraded="$(release_cli "$LABEL" db upgrade | tail -1)" || die "db upgrade with release $LABEL failed; nothing was started"
say "schema: $upgraded"
# rollback.sh needs each release's newest revision without starting its jar.
head="$(release_cli "$LABEL" db current | schema_revision)"
[ -n "$head" ] || die "could not read the schema revision after db upgrade; nothing was started"
echo "$head" > "$DEPLOY_ROOT/releases/$LABEL/schema-head"

start_color "$NEW_COLOR" "$LABEL"
if ! wait_color_healthy "$NEW_COLOR" "$HEALTH_TIMEOUT"; then
  stop_color "$NEW_COLOR"
  die "release $LABEL did not become healthy within ${HEALTH_TIMEOUT}s; the live release is untouched"
fi
if ! ASK_EXPERT_JAR="$(release_jar "$LABEL")" "$SCRIPTS_DIR/smoke-tests.sh" "$(api_urls "$NEW_COLOR" | head -1)" > "$DEPLOY_ROOT/run/$NEW_COLOR/smoke.log" 2>&1; then
  cat "$DEPLOY_ROOT/run/$NEW_COLOR/smoke.log" >&2
  stop_color "$NEW_COLOR"
  die "smoke tests failed on release $LABEL; the live release is untouched"
fi
say "smoke tests passed on $NEW_COLOR"

switch_traffic "$NEW_COLOR"
[ -n "$LIVE" ] && state_set previous "$LIVE"
state_set active "$NEW_COLOR $LABEL"

urls="$(api_urls "$NEW_COLOR" | paste -sd, -)"
if ! release_cli "$LABEL" deploy verify --url "$urls" --since 5m --watch "$VERIFY_WATCH" --health-grace "${HEALTH_TIMEOUT}s"; then
  if [ -n "$LIVE" ]; then
    say "automatic rollback to $LIVE_LABEL"
    switch_traffic "$LIVE_COLOR"
    state_set active "$LIVE"
    drain "$NEW_COLOR" || true
  fi
  stop_color "$NEW_COLOR"
  die "release $LABEL broke the runbook's rollback rules and was rolled back"
fi

if [ -n "$LIVE" ]; then
  drain "$LIVE_COLOR" || say "continuing: the remaining answers finish or end at their mode timeout"
  if [ -n "$STOP_OLD" ]; then
    stop_color "$LIVE_COLOR"
  else
    # Two releases' workers never take missions from one queue; the old API stays for rollback.sh.
    stop_worker "$LIVE_COLOR"
    say "kept $LIVE_LABEL's API instances on $LIVE_COLOR for rollback"
  fi
fi
say "deployed $LABEL on $NEW_COLOR in $(( $(date +%s) - started ))s; proxy $(proxy_url)"
