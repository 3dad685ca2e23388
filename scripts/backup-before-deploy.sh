#!/usr/bin/env bash
# A consistent PostgreSQL backup before a deployment, verified restorable:
#   - the schema revision (ask-expert db current) is recorded with the dump;
#   - the dump and the row counts come from one exported snapshot (pg_dump --snapshot), so they
#     agree even while the service keeps writing;
#   - the dump is restored into a fresh database, whose row counts must equal the recorded ones,
#     and that database is dropped again.
# Output: DIR/ask-expert-<UTC time>.dump and .json (revision, counts, sha256); last line "backup: FILE".
#   scripts/backup-before-deploy.sh --restore FILE   puts a backup back (rollback.sh --restore)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/deploy-common.sh"

usage() {
  cat <<USAGE
usage: $0 [--out DIR] [--no-verify]
       $0 --restore FILE.dump

Backs up DATABASE_URL's database (from the environment or \$DEPLOY_ROOT/ask-expert.env).
  --out DIR        where the dump and its .json go (default \$DEPLOY_ROOT/backups)
  --no-verify      skip the test restore into a fresh database
  --restore FILE   replace schema public of DATABASE_URL's database with the backup (stop the service first)
  -h, --help       this text
Needs pg_dump, pg_restore and psql (Debian: postgresql-client), jq, and for the revision a jar
(ASK_EXPERT_JAR, the live release, or this checkout's target/ask-expert.jar).
USAGE
}

OUT="$DEPLOY_ROOT/backups" VERIFY=yes RESTORE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="${2:?--out needs a directory}"; shift 2 ;;
    --no-verify) VERIFY=""; shift ;;
    --restore) RESTORE="${2:?--restore needs a file}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
for tool in pg_dump pg_restore psql jq; do command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install postgresql-client jq)"; done
[ -n "${DATABASE_URL:-}" ] || load_service_env
[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set: the embedded default keeps its database in \$ASK_EXPERT_DATA_DIR/postgres (stop the service and copy that directory)"
DB_URL="$(libpq_url "$DATABASE_URL")"

# Physical tables outside the system schemas, as "schema.table".
TABLES_SQL="SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1"
counts_of() {  # counts_of URL: "table|rows" lines
  local url="$1" t
  for t in $(psql "$url" -X -q -A -t -v ON_ERROR_STOP=1 -c "$TABLES_SQL"); do
    echo "$t|$(psql "$url" -X -q -A -t -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM $t")"
  done
}
revision_of() {  # the newest applied revision, as db current prints it
  psql "$1" -X -q -A -t -c "SELECT tag FROM databasechangelog WHERE tag IS NOT NULL ORDER BY orderexecuted DESC LIMIT 1" 2>/dev/null || true
}

if [ -n "$RESTORE" ]; then
  [ -f "$RESTORE" ] || die "no backup at $RESTORE"
  meta="${RESTORE%.dump}.json"
  say "restoring $RESTORE into $(psql "$DB_URL" -X -A -t -c 'SELECT current_database()')"
  psql "$DB_URL" -X -q -v ON_ERROR_STOP=1 -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null
  pg_restore --no-owner --no-privileges --exit-on-error -d "$DB_URL" "$RESTORE"
  if [ -f "$meta" ]; then
    want="$(jq -r .revision "$meta")"; got="$(revision_of "$DB_URL")"
    [ "$want" = "$got" ] || die "restored revision $got, the backup recorded $want"
    say "restored revision $got"
  fi
  exit 0
fi

mkdir -p "$OUT"
REVISION="$(ask_expert_cli db current | schema_revision)"
[ -n "$REVISION" ] || die "could not read the schema revision (ask-expert db current)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
FILE="$OUT/ask-expert-$stamp.dump"
COUNTS="$OUT/.ask-expert-$stamp.counts"

# One REPEATABLE READ transaction exports the snapshot, stays open while pg_dump uses it, and
# counts the rows in it.
coproc SNAP { psql "$DB_URL" -X -q -A -t -v ON_ERROR_STOP=1 2>&1; }
echo "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT pg_export_snapshot();" >&"${SNAP[1]}"
read -r -t 30 snapshot <&"${SNAP[0]}" || die "could not export a snapshot from PostgreSQL"
[[ "$snapshot" =~ ^[0-9A-F-]+$ ]] || die "PostgreSQL answered '$snapshot' instead of a snapshot id"
pg_dump "$DB_URL" --snapshot="$snapshot" --format=custom --no-owner --file="$FILE"
{
  echo "SELECT string_agg(format('SELECT %L || ''|'' || count(*) FROM %s', t, t), ' UNION ALL ') FROM ($TABLES_SQL) AS x(t) \\gexec"
  echo "SELECT '__end__';"
} >&"${SNAP[1]}"
: > "$COUNTS"
while read -r -t 120 line <&"${SNAP[0]}"; do
  [ "$line" = "__end__" ] && break
  [ -n "$line" ] && echo "$line" >> "$COUNTS"
done
echo "COMMIT;" >&"${SNAP[1]}"
exec {SNAP[1]}>&-
wait "$SNAP_PID" 2>/dev/null || true
[ -s "$COUNTS" ] || die "no table found in the database"

tables_json="$(jq -R -s 'split("\n") | map(select(length > 0) | split("|") | {(.[0]): (.[1] | tonumber)}) | add' "$COUNTS")"
verified=false
if [ -n "$VERIFY" ]; then
  check_db="askexpert_restore_check_$(date +%s)_$$"
  psql "$DB_URL" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $check_db" >/dev/null
  CHECK_URL="$(libpq_url "$DATABASE_URL" "$check_db")"
  cleanup() { psql "$DB_URL" -X -q -c "DROP DATABASE IF EXISTS $check_db WITH (FORCE)" >/dev/null 2>&1 || true; }
  trap cleanup EXIT
  pg_restore --no-owner --no-privileges --exit-on-error -d "$CHECK_URL" "$FILE"
  if ! diff <(sort "$COUNTS") <(counts_of "$CHECK_URL" | sort) > "$COUNTS.diff"; then
    cat "$COUNTS.diff" >&2
    die "the restored copy's row counts differ from the backup's (diff above); $FILE is not trustworthy"
  fi
  [ "$(revision_of "$CHECK_URL")" = "$REVISION" ] || die "the restored copy is at revision $(revision_of "$CHECK_URL"), not $REVISION"
  cleanup; trap - EXIT
  verified=true
  say "verified: restored into a fresh database with the same row counts in $(jq 'length' <<< "$tables_json") tables"
fi
rm -f "$COUNTS" "$COUNTS.diff"

jq -n --arg file "$(basename "$FILE")" --arg revision "$REVISION" --arg created "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --arg sha256 "$(sha256sum "$FILE" | cut -d' ' -f1)" --arg server "$(psql "$DB_URL" -X -A -t -c 'SHOW server_version')" \
  --argjson tables "$tables_json" --argjson verified "$verified" \
  '{file: $file, revision: $revision, created_at: $created, sha256: $sha256, server_version: $server, verified: $verified, tables: $tables}' \
  > "${FILE%.dump}.json"
say "revision $REVISION, $(jq '[.[]] | add' <<< "$tables_json") rows in $(jq 'length' <<< "$tables_json") tables, $(du -h "$FILE" | cut -f1)"
echo "backup: $FILE"
