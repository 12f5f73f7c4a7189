# partybuild image: one image for every service of docker-compose.yml (migrate, web, worker, beat, backup jobs);
# the compose file picks the command. Two stages: the first builds the virtualenv from the runtime lock only (no
# pytest, Playwright, ruff, Faker…), the second copies it beside the system libraries and runs as an unprivileged user.

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
# requirements.lock: the runtime dependencies, every direct and transitive one pinned (requirements-dev.lock adds
# the test tools for `make test` and is never installed here). Every package has a binary wheel: no compiler needed.
COPY requirements.lock /tmp/requirements.lock
RUN /opt/venv/bin/pip install -r /tmp/requirements.lock


FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=partybuild.settings_production \
    PARTYBUILD_VAR_DIR=/var/lib/partybuild \
    MEDIA_ROOT=/var/lib/partybuild/media \
    BACKUP_DIR=/var/lib/partybuild/backups \
    STATIC_ROOT=/app/staticfiles

# - postgresql-client-15: pg_dump/pg_restore of the server's major version (the compose file runs postgres:15;
#   Debian 12's client is 15), for the backups.
# - WeasyPrint: pango, and libharfbuzz-subset0 (without it a one-page Chinese PDF takes 12 s instead of 0.3 s);
#   Noto CJK so Chinese PDFs do not render as boxes. No internet at run time: everything is in the image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      postgresql-client-15 \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

COPY --from=build /opt/venv /opt/venv

RUN useradd --system --home-dir /app --shell /usr/sbin/nologin partybuild \
 && mkdir -p /var/lib/partybuild/media /var/lib/partybuild/backups \
 && chown -R partybuild:partybuild /var/lib/partybuild

WORKDIR /app
# The code belongs to root and is read-only for the service user; it writes only under /var/lib/partybuild.
COPY . .
# Static files depend on nothing but the code: collected (and compressed, with a manifest) once, at build time,
# then served by WhiteNoise. The key below only lets the production settings load for this one command.
RUN DJANGO_SECRET_KEY=collectstatic-at-build-time-only-not-a-real-secret-0123456789abcdef \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput -v 0

USER partybuild
EXPOSE 8000
# The web service (docker-compose.yml gives the worker, beat and migrate their own commands). HUP reloads the
# workers one by one without dropping connections (docs/operations.md, Upgrade).
CMD ["gunicorn", "partybuild.wsgi", "--config", "deploy/gunicorn.conf.py"]
