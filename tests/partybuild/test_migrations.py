"""The test databases are made from the models, not by running the migrations (``--nomigrations``: tests/conftest.py
says why). These tests keep that honest: the migrations describe exactly the models, and every migration step that
does more than the models say is done for the test databases too. The migrations themselves run for real in
tests/partybuild/test_backup.py (SQLite, in a subprocess) and in `make prod-check` (PostgreSQL, after `make test`)."""

from __future__ import annotations

import io
import pkgutil
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.migrations.operations import RunPython, RunSQL

from tests.conftest import NOT_IN_THE_MODELS

pytestmark = pytest.mark.django_db


def test_the_migrations_describe_the_models():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"a model change has no migration: {out.getvalue()}")


def test_every_step_beyond_the_models_is_done_for_the_test_databases():
    beyond = set()
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        if "site-packages" in config.path or not folder.is_dir():
            continue
        for module in pkgutil.iter_modules([str(folder)]):
            migration = import_module(f"{config.name}.migrations.{module.name}").Migration
            if any(isinstance(op, RunPython | RunSQL) and not op.elidable for op in migration.operations):
                beyond.add(f"{config.name}.{module.name}")
    # a backfill of existing rows is elidable (an empty database has nothing to fill); anything else is listed
    assert beyond == set(NOT_IN_THE_MODELS)
