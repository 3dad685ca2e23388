# shellcheck shell=bash
# Shared by the deployment scripts (sourced, not run). The bare-metal layout they manage:
#
#   $DEPLOY_ROOT/                       default /opt/ask-expert
#     ask-expert.env                    the service's environment (DATABASE_URL, REDIS_URL, JWT_SECRET, …)
#     webhook-encryption-key            generated once unless ask-expert.env sets WEBHOOK_ENCRYPTION_KEY
#     deploy.env                        optional: ports and timeouts below
#     releases/<label>/ask-expert.jar   one directory per release
#     state/active, state/previous      "<color> <label>" of the live release and the one before it
#     run/<color>/                      pid files, logs and data directories of that color's instances
#     nginx/                            the proxy's configuration, pid, logs; upstream.conf names the live color
#     backups/                          backup-before-deploy.sh output
#
# Two colors, blue and green, each with API instances and a worker on fixed ports; nginx sends
# traffic to one color. A new release starts on the idle color, traffic switches by reloading
# nginx (its old workers finish the streams they carry), and the old color stays up for rollback.

# nginx lives in /usr/sbin, which a non-login PATH may lack.
PATH="$PATH:/usr/sbin:/sbin"
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJECT_DIR="$(cd "$SCRIPTS_DIR/.." && pwd)"
DEPLOY_ROOT="${DEPLOY_ROOT:-/opt/ask-expert}"
if [ -f "$DEPLOY_ROOT/deploy.env" ]; then
  # shellcheck disable=SC1091
  . "$DEPLOY_ROOT/deploy.env"
fi
BLUE_API_PORTS="${BLUE_API_PORTS:-8101 8102}"
BLUE_WORKER_PORT="${BLUE_WORKER_PORT:-8109}"
GREEN_API_PORTS="${GREEN_API_PORTS:-8201 8202}"
GREEN_WORKER_PORT="${GREEN_WORKER_PORT:-8209}"
PROXY_LISTEN="${PROXY_LISTEN:-8000}"
HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-60}"     # the runbook: health checks fail after 60 seconds
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-120}"      # longest interactive answer (MODE2_TIMEOUT 90 s) and a margin
STOP_GRACE="${STOP_GRACE:-30}"             # SIGTERM, then SIGKILL after this many seconds

say() { echo "[$(date -u +%H:%M:%S)] $*"; }
die() { echo "error: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

java_bin() {
  local c
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/java-25-openjdk-amd64; do
    if [ -n "$c" ] && [ -x "$c/bin/java" ] && "$c/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
      echo "$c/bin/java"; return 0
    fi
  done
  die "Java 25 not found: set JAVA_HOME to a JDK 25"
}

# The service's environment, exported for the java processes this script starts.
load_service_env() {
  if [ -f "$DEPLOY_ROOT/ask-expert.env" ]; then
    set -a
    # shellcheck disable=SC1091
    . "$DEPLOY_ROOT/ask-expert.env"
    set +a
  fi
}

require_shared_backends() {
  load_service_env
  [ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set ($DEPLOY_ROOT/ask-expert.env): instances of two releases must share one PostgreSQL"
  [ -n "${REDIS_URL:-}" ] || die "REDIS_URL is not set ($DEPLOY_ROOT/ask-expert.env): streams resume across instances only through Redis"
  [ -n "${JWT_SECRET:-}" ] || die "JWT_SECRET is not set ($DEPLOY_ROOT/ask-expert.env): every instance must accept the same tokens"
}

other_color() { [ "$1" = blue ] && echo green || echo blue; }
api_ports() { [ "$1" = blue ] && echo "$BLUE_API_PORTS" || echo "$GREEN_API_PORTS"; }
worker_port() { [ "$1" = blue ] && echo "$BLUE_WORKER_PORT" || echo "$GREEN_WORKER_PORT"; }
api_urls() { local p; for p in $(api_ports "$1"); do echo "http://127.0.0.1:$p"; done; }
proxy_url() { echo "http://127.0.0.1:${PROXY_LISTEN##*:}"; }

state_get() { [ -f "$DEPLOY_ROOT/state/$1" ] && cat "$DEPLOY_ROOT/state/$1" || true; }
state_set() { mkdir -p "$DEPLOY_ROOT/state"; echo "$2" > "$DEPLOY_ROOT/state/$1.tmp" && mv -f "$DEPLOY_ROOT/state/$1.tmp" "$DEPLOY_ROOT/state/$1"; }

release_jar() { echo "$DEPLOY_ROOT/releases/$1/ask-expert.jar"; }

# Runs a command of a release's jar with the service's environment (db current, db upgrade, token, deploy verify).
release_cli() {
  local label="$1"; shift
  ( load_service_env; "$(java_bin)" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
      -jar "$(release_jar "$label")" "$@" 2>/dev/null )
}

# The schema revision in what `db current` printed: the last line shaped like a changeset id
# (016-artifact-keys) or "(none)"; empty when there is none, so a caller never acts on a log line.
schema_revision() { grep -E '^([0-9]{3}-[A-Za-z0-9._-]+|\(none\))$' | tail -1; }

# Every instance of both colors shares one database, so all must encrypt and decrypt the stored
# webhook secrets with one key: unless ask-expert.env sets WEBHOOK_ENCRYPTION_KEY, one is generated
# once into DEPLOY_ROOT (mode 0600) and handed to each instance.
export_webhook_key() {
  [ -n "${WEBHOOK_ENCRYPTION_KEY:-}" ] && return 0
  local file="$DEPLOY_ROOT/webhook-encryption-key"
  if [ ! -s "$file" ]; then
    # BASHPID, not $$: instances start in parallel subshells, which share $$.
    local tmp="$file.$BASHPID.tmp"
    (umask 077 && head -c 32 /dev/urandom | base64 > "$tmp" && mv -n "$tmp" "$file" 2>/dev/null; rm -f "$tmp")
  fi
  WEBHOOK_ENCRYPTION_KEY="$(cat "$file")"
  export WEBHOOK_ENCRYPTION_KEY
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# start_instance COLOR ROLE PORT LABEL: one JVM, detached, its own data directory and log.
start_instance() {
  local color="$1" role="$2" port="$3" label="$4"
  local dir="$DEPLOY_ROOT/run/$color" name="$role-$port"
  mkdir -p "$dir/data-$port"
  if pid_alive "$dir/$name.pid"; then die "$color $name is already running (pid $(cat "$dir/$name.pid"))"; fi
  (
    load_service_env
    export_webhook_key
    export PORT="$port" ASK_EXPERT_DATA_DIR="$dir/data-$port"
    # shellcheck disable=SC2086
    exec setsid "$(java_bin)" ${ASK_EXPERT_JAVA_OPTS:-} --add-modules jdk.incubator.vector \
      --enable-native-access=ALL-UNNAMED -jar "$(release_jar "$label")" "$role" \
      >> "$dir/$name.log" 2>&1 < /dev/null
  ) &
  echo $! > "$dir/$name.pid"
  echo "$label" > "$dir/release"
  say "started $color $role on port $port (release $label, pid $!)"
}

start_color() {
  local color="$1" label="$2" p
  start_instance "$color" worker "$(worker_port "$color")" "$label"
  for p in $(api_ports "$color"); do start_instance "$color" api "$p" "$label"; done
}

# An instance whose process exits (a port taken, the database refusing connections) fails at once.
# wait_color_healthy COLOR SECONDS [api]: every instance (or only the API ones) answers /health.
wait_color_healthy() {
  local color="$1" seconds="$2" only="${3:-}" p role pidfile deadline ports
  deadline=$(( $(date +%s) + seconds ))
  ports="$(api_ports "$color")"
  [ "$only" = api ] || ports="$ports $(worker_port "$color")"
  for p in $ports; do
    role=api; [ "$p" = "$(worker_port "$color")" ] && role=worker
    pidfile="$DEPLOY_ROOT/run/$color/$role-$p.pid"
    until curl -sf --max-time 2 "http://127.0.0.1:$p/health" >/dev/null 2>&1; do
      if ! pid_alive "$pidfile"; then
        echo "error: $color $role on port $p exited before it was healthy; the end of its log:" >&2
        tail -n 5 "$DEPLOY_ROOT/run/$color/$role-$p.log" >&2
        return 1
      fi
      if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "error: $color $role on port $p is not healthy after ${seconds}s (log: $DEPLOY_ROOT/run/$color/$role-$p.log)" >&2
        return 1
      fi
      sleep 1
    done
  done
  say "$color is healthy: $ports"
}

stop_pidfile() {
  local pidfile="$1" pid waited=0
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt "$STOP_GRACE" ]; do sleep 1; waited=$((waited + 1)); done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; say "pid $pid did not stop in ${STOP_GRACE}s: killed"; fi
  rm -f "$pidfile"
}

stop_worker() { stop_pidfile "$DEPLOY_ROOT/run/$1/worker-$(worker_port "$1").pid"; }
stop_color() {
  local color="$1" p
  stop_worker "$color"
  for p in $(api_ports "$color"); do stop_pidfile "$DEPLOY_ROOT/run/$color/api-$p.pid"; done
  say "stopped $color"
}
color_running() {
  local color="$1" p
  for p in $(api_ports "$color"); do pid_alive "$DEPLOY_ROOT/run/$color/api-$p.pid" || return 1; done
}

# Answers being generated right now on a color's API instances (they end only on the instance that runs them).
active_answers() {
  local color="$1" url total=0 n
  for url in $(api_urls "$color"); do
    n="$(curl -sf --max-time 5 "$url/metrics" 2>/dev/null | awk '/^ask_expert_active_answers\{/ {s += $NF} END {printf "%d", s}')"
    total=$((total + ${n:-0}))
  done
  echo "$total"
}

# drain COLOR: waits until the color generates no answer (the proxy sends it nothing new any more).
drain() {
  local color="$1" deadline n
  deadline=$(( $(date +%s) + DRAIN_TIMEOUT ))
  while :; do
    n="$(active_answers "$color")"
    if [ "$n" -eq 0 ]; then say "$color drained: no answer in progress"; return 0; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then say "$color still generates $n answer(s) after ${DRAIN_TIMEOUT}s"; return 1; fi
    sleep 1
  done
}

nginx_conf() { echo "$DEPLOY_ROOT/nginx/nginx.conf"; }
nginx_cmd() { nginx -p "$DEPLOY_ROOT/nginx/" -c "$(nginx_conf)" "$@"; }

# switch_traffic COLOR: points the proxy at the color (starting nginx on first use); prints when.
switch_traffic() {
  local color="$1" dir="$DEPLOY_ROOT/nginx" p
  command -v nginx >/dev/null || die "nginx is not installed (apt-get install nginx)"
  mkdir -p "$dir/temp" "$dir/logs"
  if [ ! -f "$dir/nginx.conf" ] || ! grep -q "listen $PROXY_LISTEN;" "$dir/nginx.conf"; then
    sed -e "s#@DEPLOY_ROOT@#$DEPLOY_ROOT#g" -e "s#@PROXY_LISTEN@#$PROXY_LISTEN#g" -e "s#@USER@#$(id -un)#g" \
      "$PROJECT_DIR/deploy/nginx/nginx.conf.template" > "$dir/nginx.conf"
  fi
  {
    echo "# Written by scripts/blue-green-deploy.sh or rollback.sh: the live color is $color."
    echo "upstream ask_expert {"
    for p in $(api_ports "$color"); do echo "    server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"; done
    echo "    keepalive 32;"
    echo "    keepalive_timeout 15s;"
    echo "}"
  } > "$dir/upstream.conf.new"
  mv -f "$dir/upstream.conf.new" "$dir/upstream.conf"
  nginx_cmd -t -q || die "nginx refused the configuration in $dir"
  if [ -f "$dir/nginx.pid" ] && kill -0 "$(cat "$dir/nginx.pid")" 2>/dev/null; then
    nginx_cmd -s reload
  else
    nginx_cmd
  fi
  say "traffic switched to $color at $(now_ms) ms"
}

stop_proxy() {
  local dir="$DEPLOY_ROOT/nginx"
  if [ -f "$dir/nginx.pid" ] && kill -0 "$(cat "$dir/nginx.pid")" 2>/dev/null; then
    nginx_cmd -s quit
    local i; for i in $(seq 1 30); do [ -f "$dir/nginx.pid" ] || break; sleep 1; done
    say "proxy stopped"
  fi
}

# libpq_url DATABASE_URL [DBNAME]: the service's DATABASE_URL (JDBC or postgres:// form) as a
# libpq URI for psql, pg_dump and pg_restore; JDBC-only parameters are dropped, ssl=true becomes
# sslmode=require. With DBNAME, the same server and credentials on another database.
libpq_url() {
  local url="$1" db_override="${2:-}" rest query="" out_q="" kv k v base path
  case "$url" in
    jdbc:postgresql://*) rest="${url#jdbc:}" ;;
    postgres://*|postgresql://*) rest="postgresql://${url#*://}" ;;
    *) die "DATABASE_URL must be jdbc:postgresql://… or postgres://… (the embedded default has none to back up)" ;;
  esac
  if [[ "$rest" == *\?* ]]; then query="${rest#*\?}"; rest="${rest%%\?*}"; fi
  base="${rest%/*}" path="${rest##*/}"
  [ "$base" = "postgresql:/" ] && { base="$rest"; path="postgres"; }
  [ -n "$db_override" ] && path="$db_override"
  local IFS='&'
  for kv in $query; do
    k="${kv%%=*}" v="${kv#*=}"
    case "$k" in
      user|password|sslmode|sslrootcert|sslcert|sslkey|connect_timeout|application_name) out_q="$out_q&$k=$v" ;;
      ssl) [ "$v" = true ] && [[ "$query" != *sslmode=* ]] && out_q="$out_q&sslmode=require" ;;
      ApplicationName) out_q="$out_q&application_name=$v" ;;
    esac
  done
  out_q="${out_q#&}"
  echo "$base/$path${out_q:+?$out_q}"
}

# The jar whose commands (db current, token) the scripts run: ASK_EXPERT_JAR, the live release,
# or this checkout's build.
cli_jar() {
  local live
  if [ -n "${ASK_EXPERT_JAR:-}" ]; then echo "$ASK_EXPERT_JAR"; return; fi
  live="$(state_get active)"
  if [ -n "$live" ] && [ -f "$(release_jar "${live#* }")" ]; then release_jar "${live#* }"; return; fi
  [ -f "$PROJECT_DIR/target/ask-expert.jar" ] && { echo "$PROJECT_DIR/target/ask-expert.jar"; return; }
  die "no ask-expert.jar: set ASK_EXPERT_JAR or build with ./mvnw -DskipTests package"
}
ask_expert_cli() {
  "$(java_bin)" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar "$(cli_jar)" "$@" 2>/dev/null
}
