#!/usr/bin/env bash
# bench/ensure_db.sh N: create (once) the PostgreSQL database partybuild_scale_N, migrate it and load the scale
# data for N graded organizations. Prints the DATABASE_URL to use. Re-running is cheap: load_scale sees its data.
set -euo pipefail
N="$1"
HOST="${PGHOST:-127.0.0.1}"
DB="partybuild_scale_${N}"
URL="postgres://postgres@${HOST}:5432/${DB}"
cd "$(dirname "$0")/.."
if ! psql -h "$HOST" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='${DB}'" | grep -q 1; then
  psql -h "$HOST" -U postgres -qc "CREATE DATABASE ${DB}" >&2
fi
DATABASE_URL="$URL" .venv/bin/python manage.py migrate --noinput -v0 >&2
DATABASE_URL="$URL" .venv/bin/python manage.py load_scale --orgs "$N" >&2
# load_scale writes members and positions with COPY, past the services: store each organization's counts (issue 15).
DATABASE_URL="$URL" .venv/bin/python manage.py organizations_recount >&2
echo "$URL"
