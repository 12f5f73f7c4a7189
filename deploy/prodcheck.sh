#!/usr/bin/env bash
# make prod-check: the production topology of docker-compose.yml, run from this checkout without Docker, and used.
#   nginx (TLS, self-signed certificate) → gunicorn (partybuild.settings_production) → PostgreSQL + Redis
#   Celery worker and Celery beat (DatabaseScheduler) on the same Redis
# Its own database (partybuild_prodcheck, copied from a template that holds the small demo district and is rebuilt
# only when the migrations or the demo change), its own Redis databases (13: broker, 14: cache), its own ports, its
# own folder under /tmp. deploy/prodcheck.py then plays the users over HTTPS. Everything it started is stopped on exit
# (trap), whatever happens; PostgreSQL and Redis are started only when down, and then stopped again.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-.venv}
PY=$VENV/bin/python
SECONDS=0
log() { printf 'prod-check: %s (%ss)\n' "$*" "$SECONDS"; }

HTTPS_PORT=${PRODCHECK_HTTPS_PORT:-18443}
HTTP_PORT=${PRODCHECK_HTTP_PORT:-18080}
WEB_PORT=${PRODCHECK_WEB_PORT:-18000}
PGURL=${PRODCHECK_PG:-postgres://postgres@127.0.0.1:5432}
DB=partybuild_prodcheck
TEMPLATE=partybuild_prodcheck_template
REDIS_BROKER_DB=13
REDIS_CACHE_DB=14
CACHE_DIR=${PRODCHECK_CACHE:-/var/tmp/partybuild-prodcheck}
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

WORK=$(mktemp -d /tmp/partybuild-prodcheck.XXXXXX)
chmod 755 "$WORK"
pids=()
started_pg="" started_redis=""

stop_all() {
  local rc=$?
  trap - EXIT INT TERM
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for _ in $(seq 40); do
    alive=""
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  redis-cli -n "$REDIS_BROKER_DB" flushdb >/dev/null 2>&1 || true
  redis-cli -n "$REDIS_CACHE_DB" flushdb >/dev/null 2>&1 || true
  psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP DATABASE IF EXISTS ${DB}_restore WITH (FORCE)" \
    >/dev/null 2>&1 || true
  [ -n "$started_redis" ] && redis-cli shutdown nosave >/dev/null 2>&1 || true
  [ -n "$started_pg" ] && $SUDO pg_ctlcluster --skip-systemctl-redirect "$started_pg" main stop >/dev/null 2>&1 || true
  if [ "$rc" != 0 ]; then
    for f in "$WORK"/*.log; do [ -s "$f" ] && { echo "--- $(basename "$f") (last lines)"; tail -n 25 "$f"; }; done
    echo "prod-check: FAILED (exit $rc) after ${SECONDS}s; logs kept in $WORK"
  else
    rm -rf "$WORK"
    echo "prod-check: passed in ${SECONDS}s; everything it started is stopped"
  fi
  exit "$rc"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# --- the machine: nginx, PostgreSQL and Redis ------------------------------------------------------------------------
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  log "installing nginx"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
  # The package's own server (port 80) is not ours: stop it if the package started one.
  $SUDO nginx -s stop >/dev/null 2>&1 || true
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  started_pg=$(ls /etc/postgresql | head -n1)
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$started_pg" main start
  for _ in $(seq 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! redis-cli ping 2>/dev/null | grep -q PONG; then
  started_redis=1
  mkdir -p "$WORK/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir "$WORK/redis" \
    --logfile "$WORK/redis.log"
  for _ in $(seq 30); do redis-cli ping 2>/dev/null | grep -q PONG && break; sleep 0.5; done
fi
for port in "$HTTPS_PORT" "$HTTP_PORT" "$WEB_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "prod-check: port $port is in use" >&2; exit 1; fi
done

# --- the environment of every process: production settings, as docker-compose.yml sets them -----------------------
export DJANGO_SETTINGS_MODULE=partybuild.settings_production
DJANGO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
BACKUP_ENCRYPTION_KEY=$("$PY" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
export DJANGO_SECRET_KEY BACKUP_ENCRYPTION_KEY
export DJANGO_ALLOWED_HOSTS=localhost
export DJANGO_CSRF_TRUSTED_ORIGINS="https://localhost:$HTTPS_PORT"
export DATABASE_URL="$PGURL/$DB"
export CELERY_BROKER_URL="redis://127.0.0.1:6379/$REDIS_BROKER_DB"
export REDIS_URL="redis://127.0.0.1:6379/$REDIS_CACHE_DB"
export PARTYBUILD_VAR_DIR="$WORK/var" MEDIA_ROOT="$WORK/media" BACKUP_DIR="$WORK/backups"
export TRUSTED_PROXY_COUNT=1 LOG_FORMAT=json LOG_LEVEL=INFO
export HEALTH_HEARTBEAT_EVERY=2 HEALTH_HEARTBEAT_MAX_AGE=8 HEALTH_MIN_FREE_MB=50
export PYTHONUNBUFFERED=1
mkdir -p "$WORK/var" "$WORK/media" "$WORK/backups"

# --- the database: a copy of the template (migrated, the small demo loaded), rebuilt when its inputs change ----------
key=$(git ls-files | grep -E '(^|/)migrations/.*\.py$|(^|/)demo(/|\.py$)|^fixtures/|load_demo|seed_holidays' | sort \
  | xargs cat | sha256sum | cut -c1-16)
have=$(psql "$PGURL/postgres" -tAc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname='$TEMPLATE'")
if [ "$have" != "$key" ]; then
  log "building the template database (migrate, load_demo --small): once per change of migrations or demo"
  psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $TEMPLATE WITH (FORCE)" -c "CREATE DATABASE $TEMPLATE"
  rm -rf "$CACHE_DIR/media" && mkdir -p "$CACHE_DIR/media"
  DATABASE_URL="$PGURL/$TEMPLATE" MEDIA_ROOT="$CACHE_DIR/media" CELERY_BROKER_URL="" REDIS_URL="" \
    "$PY" manage.py migrate --noinput -v0 >"$WORK/template.log" 2>&1
  DATABASE_URL="$PGURL/$TEMPLATE" MEDIA_ROOT="$CACHE_DIR/media" CELERY_BROKER_URL="" REDIS_URL="" \
    "$PY" manage.py load_demo --small >>"$WORK/template.log" 2>&1
  psql "$PGURL/postgres" -qc "COMMENT ON DATABASE $TEMPLATE IS '$key'"
fi
psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB TEMPLATE $TEMPLATE"
cp -a "$CACHE_DIR/media/." "$WORK/media/"
log "database $DB ready"

# What the release job of docker-compose.yml does (migrate, the schedule), in one process. Then, for this check only:
# reminders go out once a day, so today's are removed, and beat gets one-off entries for the 08:00 reminder task and
# the nightly backup, so that both run now, dispatched by beat and executed by the worker.
export PRODCHECK_REMINDER_ENTRY="prod-check: grading reminders now"
"$PY" manage.py shell -v0 -c "
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from core.models import Notification
call_command('migrate', '--noinput', verbosity=0)
call_command('sync_schedule')
Notification.objects.filter(created_at__date=timezone.localdate()).delete()
every, _ = IntervalSchedule.objects.get_or_create(every=3, period=IntervalSchedule.SECONDS)
for name, task in [('$PRODCHECK_REMINDER_ENTRY', 'grading.send_reminders'), ('prod-check: backup now', 'ops.backup_scheduled')]:
    PeriodicTask.objects.update_or_create(name=name, defaults={'task': task, 'interval': every, 'one_off': True})
" >"$WORK/release.log"
# Static files as the image's build collects them (compressed, with a manifest), kept while static/ is unchanged.
static_key=$(git ls-files static | sort | xargs cat | sha256sum | cut -c1-16)
export STATIC_ROOT="$CACHE_DIR/static-$static_key"
if [ ! -f "$STATIC_ROOT/staticfiles.json" ]; then
  rm -rf "$CACHE_DIR"/static-*
  "$PY" manage.py collectstatic --noinput -v0
fi
log "migrated, schedule synced, static collected"

# --- TLS and nginx ---------------------------------------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null
mkdir -p "$WORK/nginx"
NGINX_SERVER_NAME=localhost NGINX_HTTP_PORT=$HTTP_PORT NGINX_HTTPS_PORT=$HTTPS_PORT \
PARTYBUILD_UPSTREAM="127.0.0.1:$WEB_PORT" NGINX_TLS_CERT="$WORK/tls.crt" NGINX_TLS_KEY="$WORK/tls.key" \
  "$PY" -c 'import os, re, sys; t = open(sys.argv[1]).read(); print(re.sub(r"\$\{(\w+)\}", lambda m: os.environ[m.group(1)], t))' \
  deploy/nginx/partybuild.conf.template >"$WORK/nginx/partybuild.conf"
# As root, nginx hands its workers to "nobody", who could not write the temporary folders under $WORK.
user_line=""; [ "$(id -u)" = 0 ] && user_line="user root;"
cat >"$WORK/nginx/nginx.conf" <<CONF
$user_line
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log $WORK/nginx-access.log;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    include $WORK/nginx/partybuild.conf;
}
CONF
"$NGINX" -t -q -c "$WORK/nginx/nginx.conf" -g 'daemon off;' 2>"$WORK/nginx-test.log" || { cat "$WORK/nginx-test.log"; exit 1; }

# --- the services ----------------------------------------------------------------------------------------------------
GUNICORN_BIND="127.0.0.1:$WEB_PORT" GUNICORN_WORKERS=2 GUNICORN_PIDFILE="$WORK/gunicorn.pid" \
  "$VENV/bin/gunicorn" partybuild.wsgi --config deploy/gunicorn.conf.py >"$WORK/web.log" 2>&1 &
pids+=($!)
"$VENV/bin/celery" -A partybuild worker -l info --concurrency 2 -n "prodcheck@%h" >"$WORK/worker.log" 2>&1 &
worker_pid=$!
pids+=($worker_pid)
"$VENV/bin/celery" -A partybuild beat -l info --scheduler django_celery_beat.schedulers:DatabaseScheduler \
  --pidfile "$WORK/beat.pid" >"$WORK/beat.log" 2>&1 &
pids+=($!)
"$NGINX" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' >"$WORK/nginx.log" 2>&1 &
pids+=($!)
log "nginx :$HTTPS_PORT (TLS) → gunicorn :$WEB_PORT, worker, beat started"

# --- the users -------------------------------------------------------------------------------------------------------
export PRODCHECK_URL="https://localhost:$HTTPS_PORT" PRODCHECK_HTTP_URL="http://localhost:$HTTP_PORT"
export PRODCHECK_CA="$WORK/tls.crt" PRODCHECK_BEAT_LOG="$WORK/beat.log"
"$PY" deploy/prodcheck.py main

# The nightly backup beat dispatched restores into an empty database: a wrong key is refused first.
backup=$(ls "$BACKUP_DIR"/*.backup | head -n1)
psql "$PGURL/postgres" -qc "CREATE DATABASE ${DB}_restore"
if DATABASE_URL="$PGURL/${DB}_restore" BACKUP_ENCRYPTION_KEY=$("$PY" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
  "$PY" manage.py restore "$backup" --media-root "$WORK/restored-media" >"$WORK/restore.log" 2>&1; then
  echo "prod-check: a wrong key was not refused" >&2; exit 1
fi
grep -q "密钥不对" "$WORK/restore.log"
DATABASE_URL="$PGURL/${DB}_restore" "$PY" manage.py restore "$backup" --media-root "$WORK/restored-media" \
  >>"$WORK/restore.log" 2>&1
log "the backup beat scheduled restored into an empty database (row counts checked); a wrong key was refused"

# One line per record, the same shape in web, worker and beat.
for f in web worker beat; do
  "$PY" - "$WORK/$f.log" <<'PYCHECK'
import json, sys
lines = [l for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
records = [json.loads(l) for l in lines if l.startswith("{")]
assert records, f"{sys.argv[1]}: no JSON log line"
assert all({"time", "level", "logger", "request_id", "user_id", "message"} <= r.keys() for r in records)
PYCHECK
done
grep -q '"request_id": "[0-9a-f]\{32\}"' "$WORK/web.log"
log "web, worker and beat log one JSON line per record, the web's with nginx's request id"

# A stopped worker: /healthz reports it within its heartbeat limit.
kill -TERM "$worker_pid"
"$PY" deploy/prodcheck.py worker-stopped
