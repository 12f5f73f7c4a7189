"""Trying the demo (issue 11): `make run` says what it does, listens where HOST says, manage.py prints no English
banner, and every page carries our own favicon."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(settings.BASE_DIR)


def test_manage_py_prints_no_axes_banner():
    done = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "AXES" not in done.stdout + done.stderr


def _make_run(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    done = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_run_listens_on_loopback_by_default():
    out = _make_run()
    assert "runserver 127.0.0.1:8000" in out
    assert 'DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost"' in out


def test_make_run_host_serves_the_lan_and_allows_this_machines_names():
    out = _make_run("HOST=0.0.0.0", "PORT=8123")
    assert "runserver 0.0.0.0:8123" in out
    hostname = subprocess.run(["hostname"], capture_output=True, text=True).stdout.strip()
    line = next(line for line in out.splitlines() if "runserver" in line)
    assert f",{hostname}," in line and "127.0.0.1" in line


def test_make_run_says_what_the_long_steps_do():
    makefile = (ROOT / "Makefile").read_text()
    install = makefile[makefile.index("$(STAMP): $(LOCKS)") :]
    assert "about 80 s" in install.split("$(PIP) install")[0]
    assert "loading the demo district" in _make_run()


@pytest.mark.django_db
def test_pages_link_our_own_favicon():
    page = Client().get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    svg = (ROOT / "static" / "favicon.svg").read_text()
    assert svg.startswith("<svg") and "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
