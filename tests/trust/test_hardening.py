"""Hardening (issue 7 §6): deployment checks, transport settings, the content security policy and templates without
inline code, sessions and passwords, personal data masked for roles without VIEW_PERSONAL_DATA (pages, exports,
events, logs), and uploads kept away from the static root and from any direct URL.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse

from core import sessions
from core.models import Event, Job
from organizations.services import members as services
from partybuild.middleware import CSP
from tests.factories import MemberFactory

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "partybuild.settings_production",
    "DJANGO_SECRET_KEY": "trust-test-dummy-secret-0a1b2c3d4e5f60718293a4b5c6d7e8f9-not-for-use",
    "DJANGO_ALLOWED_HOSTS": "partybuild.example.org",
    "DATABASE_URL": "postgres://partybuild:dummy@db.invalid:5432/partybuild",
}


def _run(args: list[str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(PRODUCTION_ENV, PYTHONPATH=str(ROOT))
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


# --- Production settings ----------------------------------------------------------------------------------------


def test_check_deploy_passes_with_production_settings():
    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr and "System check identified no issues" in result.stdout


def test_production_settings_turn_every_transport_protection_on():
    code = (
        "import json, partybuild.settings_production as s;"
        "print(json.dumps({k: getattr(s, k, None) for k in ("
        "'DEBUG','SECURE_SSL_REDIRECT','SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SESSION_COOKIE_SECURE',"
        "'SESSION_COOKIE_HTTPONLY','CSRF_COOKIE_SECURE','SECURE_CONTENT_TYPE_NOSNIFF','X_FRAME_OPTIONS')}))"
    )
    result = _run([sys.executable, "-c", code])
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True


def test_production_settings_refuse_to_start_without_a_secret_key():
    env_backup = PRODUCTION_ENV.pop("DJANGO_SECRET_KEY")
    try:
        result = _run([sys.executable, "-c", "import partybuild.settings_production"])
    finally:
        PRODUCTION_ENV["DJANGO_SECRET_KEY"] = env_backup
    assert result.returncode != 0


# --- Content security policy, and no inline code in any template ---------------------------------------------------


def test_policy_has_no_unsafe_inline_or_eval_and_no_third_party_hosts():
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and "http" not in CSP


def _pages(tree, members) -> list[str]:
    member = members["a1"][0]
    return [
        reverse("login"),
        reverse("organizations:district_overview"),
        reverse("organizations:township", args=[tree.township_a.pk]),
        reverse("organizations:org_detail", args=[tree.village_a1.pk]),
        reverse("organizations:member_list", args=[tree.village_a1.pk]),
        reverse("organizations:member_detail", args=[member.pk]),
        reverse("organizations:member_edit", args=[member.pk]),
        reverse("organizations:roster_xlsx", args=[tree.village_a1.pk]),
        reverse("core:audit_log"),
        reverse("core:job_list"),
        reverse("grading_public:notice_list"),
        "/no-such-page/",
    ]


def test_every_page_carries_the_policy(client, users, tree, members):
    client.force_login(users.ds)
    for url in _pages(tree, members):
        response = client.get(url)
        assert response.status_code in {200, 302, 404}, url
        assert response["Content-Security-Policy"] == CSP, url
    client.logout()
    response = client.get(reverse("organizations:district_overview"))
    assert response["Content-Security-Policy"] == CSP  # the redirect to login too


def test_the_admin_carries_the_policy_too(client, admin_user):
    client.force_login(admin_user)
    for url in ("/admin/", "/admin/partybuild/calendaryear/", "/admin/partybuild/holiday/add/", "/admin/login/"):
        response = client.get(url)
        assert response.status_code in {200, 302}, url
        assert response["Content-Security-Policy"] == CSP, url
        body = response.content.decode()
        assert not INLINE_SCRIPT.search(body) and not STYLE_BLOCK.search(body), url


def _browser_templates() -> list[Path]:
    """Every HTML template a browser may receive; PDF document templates (…/documents/…) never reach one."""
    dirs = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
    found = [p for d in dirs if d.is_dir() for p in d.rglob("*.html")]
    return sorted(p for p in found if "documents" not in p.relative_to(ROOT).parts[1:-1])


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=\s*[\"']", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


def test_no_template_has_inline_script_style_or_event_handlers():
    templates = _browser_templates()
    assert len(templates) > 30  # the scan really found the templates
    problems = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for name, pattern in (("inline <script>", INLINE_SCRIPT), ("style=", INLINE_STYLE), ("<style>", STYLE_BLOCK),
                              ("on…= handler", EVENT_HANDLER)):  # fmt: skip
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    assert problems == []


def test_the_scan_catches_what_it_looks_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>") and not INLINE_SCRIPT.search('<script src="/a.js">')
    assert INLINE_STYLE.search('<p style="color:red">') and EVENT_HANDLER.search('<a onclick="x()">')


# --- Sessions and passwords -------------------------------------------------------------------------------------------


def test_session_is_an_idle_timeout_of_eight_hours_at_most(client, users):
    # given: a session stamped at login, its last refresh pushed back past the refresh interval
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert 0 < settings.SESSION_REFRESH_SECONDS <= 15 * 60
    client.force_login(users.ds)
    session = client.session
    session[sessions.REFRESHED_AT] -= settings.SESSION_REFRESH_SECONDS
    session.save()
    # when: the user opens a page, then another
    response = client.get(reverse("core:job_list"))
    # then: the first pushes the expiry back by 8 hours, and the cookie with it
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
    assert not sessions.refresh_due(client.session)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("core:job_list"))
    # and the second, inside the interval, neither sends the cookie again nor writes the session
    assert again.status_code == 200 and settings.SESSION_COOKIE_NAME not in again.cookies
    assert not [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_session_saved_only_when_it_changes_or_its_refresh_is_due():
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    session: dict = {}
    assert sessions.refresh_due(session, now=1_000)  # never stamped
    sessions.stamp(session, now=1_000)
    assert not sessions.refresh_due(session, now=1_000 + settings.SESSION_REFRESH_SECONDS - 1)
    assert sessions.refresh_due(session, now=1_000 + settings.SESSION_REFRESH_SECONDS)


def test_an_expired_session_is_sent_to_login(client, users):
    client.force_login(users.ds)
    session = client.session
    session.set_expiry(-1)
    session.save()
    response = client.get(reverse("core:job_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("weak", ["1234567", "12345678", "password", "demo", "ds"])
def test_weak_passwords_are_refused_in_chinese(users, weak):
    with pytest.raises(ValidationError) as exc:
        validate_password(weak, user=users.ds)
    assert any(re.search(r"[\u4e00-\u9fff]", m) for m in exc.value.messages)


def test_password_validators_cover_length_common_numeric_and_similarity():
    names = {v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator", "NumericPasswordValidator",
            "UserAttributeSimilarityValidator"} <= names  # fmt: skip


# --- Personal data ----------------------------------------------------------------------------------------------------


@pytest.fixture
def person(tree):
    return MemberFactory(organization=tree.village_a1, id_number="450102198005051236", phone="13977712345")


@pytest.mark.parametrize(("who", "full"), [("sec_a1", True), ("ts_a", True), ("ds", True), ("viewer_a", False)])
def test_pages_mask_personal_data_without_the_permission(client, users, person, who, full):
    client.force_login(getattr(users, who))
    # the list masks for everyone (full values only on the member's own page, for those who may see them)
    listing = client.get(reverse("organizations:member_list", args=[person.organization_id])).content.decode()
    assert "450102198005051236" not in listing and "13977712345" not in listing
    assert person.masked_id_number in listing
    page = client.get(reverse("organizations:member_detail", args=[person.pk])).content.decode()
    assert ("450102198005051236" in page) is full and ("13977712345" in page) is full
    if not full:
        assert person.masked_id_number in page and person.masked_phone in page


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_roster_xlsx_is_masked_for_a_viewer_and_full_for_the_secretary(
    client, users, person, media, django_capture_on_commit_callbacks
):
    for who, full in (("viewer_a", False), ("sec_a1", True)):
        client.force_login(getattr(users, who))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("organizations:roster_xlsx", args=[person.organization_id]))
        job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
        content = b"".join(client.get(reverse("core:job_download", args=[job.pk])).streaming_content)
        cells = {str(c) for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
                 for c in row if c is not None}  # fmt: skip
        assert ("450102198005051236" in cells) is full, who
        assert ("13977712345" in cells) is full, who
        assert job.params["personal_data"] is full


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_roster_pdf_is_masked_for_a_viewer(client, users, person, tmp_path):
    client.force_login(users.viewer_a)
    response = client.get(reverse("organizations:roster_pdf", args=[person.organization_id]))
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert person.name in text and "450102198005051236" not in text and "13977712345" not in text


def test_personal_data_never_reaches_events_or_logs(users, person, caplog):
    caplog.set_level(logging.DEBUG)
    services.member_update(actor=users.sec_a1, member=person, id_number="450102198005059879", phone="13600001111")
    services.member_update(actor=users.sec_a1, member=person, occupation="教师")
    dumped = json.dumps(list(Event.objects.values("summary", "before", "after", "target_label")), ensure_ascii=False)
    for secret in ("450102198005051236", "450102198005059879", "13977712345", "13600001111"):
        assert secret not in dumped, secret
        assert secret not in caplog.text, secret
    event = Event.objects.filter(verb="member.update").order_by("pk").first()
    assert event.before == {"id_number": "***", "phone": "***"} == event.after


# --- Uploads: outside the static root, never served by URL ------------------------------------------------------------


def test_media_is_outside_the_static_root_and_not_routed(settings, tmp_path, client, users):
    media, static = Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()
    assert not media.is_relative_to(static) and not static.is_relative_to(media)
    with pytest.raises(Resolver404):
        resolve(settings.MEDIA_URL + "jobs/2026/11/job-1.xlsx")
    # a file really stored under MEDIA_ROOT is not reachable by its path, logged in or not
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    for who in (None, users.ds):
        if who is not None:
            client.force_login(who)
        for url in (settings.MEDIA_URL + "evidence/secret.pdf", settings.STATIC_URL + "../media/evidence/secret.pdf"):
            response = client.get(url)
            assert response.status_code in {302, 404}, url
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert b"secret" not in body
