"""Import (two steps: check, then confirm) and export pages of an organization.

Between the two steps the uploaded file waits in ``MEDIA_ROOT/imports/<random token>``; the token is remembered in
the user's session together with the organization and the kind, so a token from another session, another page or
a hand-written path is simply not found. The file name the user sent is only ever displayed, never used as a path.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from organizations.access import organization_for
from organizations.documents import organizations_export
from organizations.forms import UploadForm
from organizations.models import Organization
from organizations.resources.columns import MEMBER_REQUIRED, ORG_REQUIRED
from organizations.resources.files import MAX_UPLOAD_BYTES, XLSX_CONTENT_TYPE, blank_template
from organizations.roles import Perm
from organizations.selectors import visible_ancestors
from organizations.services.imports import ImportReport
from organizations.services.member_import import import_members
from organizations.services.organization_import import import_organizations

SESSION_KEY = "pending_imports"
UPLOAD_TTL_SECONDS = 2 * 3600
TOKEN_RE = re.compile(r"^[0-9a-f]{48}$")

Importer = Callable[..., ImportReport]
KINDS: dict[str, tuple[Importer, str, tuple[str, ...]]] = {
    "members": (import_members, "党员名册", MEMBER_REQUIRED),
    "organizations": (import_organizations, "党组织", ORG_REQUIRED),
}
TEMPLATE_NAMES = {"members": "党员名册导入模板.xlsx", "organizations": "党组织导入模板.xlsx"}


# --- The uploaded file between the two steps ---------------------------------------------------------------


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _file_for(token: str) -> Path:
    if not TOKEN_RE.fullmatch(token):  # the token is our own hex string: nothing else becomes a path
        raise ValueError("bad token")
    return _upload_dir() / token


def _discard(token: str) -> None:
    try:
        _file_for(token).unlink(missing_ok=True)
    except ValueError:
        pass


def _sweep_old_files() -> None:
    """Files of abandoned imports (the user never confirmed) are removed after a day."""
    cutoff = time.time() - 24 * 3600
    for path in _upload_dir().glob("*"):
        try:
            if path.is_file() and TOKEN_RE.fullmatch(path.name) and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _store(request: HttpRequest, org: Organization, kind: str, content: bytes, filename: str) -> str:
    directory = _upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _sweep_old_files()
    pending: dict[str, dict[str, Any]] = request.session.get(SESSION_KEY, {})
    for token, meta in list(pending.items()):
        expired = time.time() - meta.get("at", 0) > UPLOAD_TTL_SECONDS
        if expired or (meta.get("org"), meta.get("kind")) == (org.pk, kind):
            _discard(token)
            pending.pop(token)
    token = secrets.token_hex(24)
    path = _file_for(token)
    path.write_bytes(content)
    path.chmod(0o600)
    pending[token] = {"org": org.pk, "kind": kind, "filename": filename[:200], "at": time.time()}
    request.session[SESSION_KEY] = pending
    return token


def _load(request: HttpRequest, token: str, org: Organization, kind: str) -> tuple[bytes, str] | None:
    meta = request.session.get(SESSION_KEY, {}).get(token)
    if not meta or meta.get("org") != org.pk or meta.get("kind") != kind:
        return None
    if time.time() - meta.get("at", 0) > UPLOAD_TTL_SECONDS:
        return None
    try:
        return _file_for(token).read_bytes(), meta["filename"]
    except (ValueError, OSError):
        return None


def _forget(request: HttpRequest, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    if token in pending:
        pending.pop(token)
        request.session[SESSION_KEY] = pending
    _discard(token)


# --- Views -------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_members_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _import_page(request, pk, "members")


@login_required
@require_http_methods(["GET", "POST"])
def import_organizations_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _import_page(request, pk, "organizations")


def _import_page(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    org = organization_for(request.user, pk, perm=Perm.IMPORT_ROSTER)
    importer, title, required = KINDS[kind]
    here = reverse(f"organizations:import_{kind}", args=[org.pk])
    form = UploadForm()
    report: ImportReport | None = None
    token = ""
    filename = ""
    if request.method == "POST" and "token" in request.POST:
        token = request.POST.get("token", "")
        stored = _load(request, token, org, kind)
        if stored is None:
            messages.error(request, "待导入的文件已失效(超时或已导入),请重新上传")
            return redirect(here)
        content, filename = stored
        report = importer(actor=request.user, under=org, file=content, filename=filename, dry_run=False)
        _forget(request, token)
        token = ""
        if report.committed:
            messages.success(request, f"导入完成:新增{report.new}条,更新{report.updated}条,无变化{report.unchanged}条")
            return redirect("organizations:org_detail", org.pk)
        if report.ok:
            messages.info(request, "文件中的数据与系统一致,没有需要导入的内容")
            return redirect(here)
        # The data changed between the check and the confirmation: show what is wrong now.
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            filename = upload.name or ""
            if upload.size and upload.size > MAX_UPLOAD_BYTES:
                report = ImportReport(kind=kind, dry_run=True)
                report.errors.append(f"文件过大:不能超过{MAX_UPLOAD_BYTES // (1024 * 1024)}MB,请分批导入")
            else:
                content = upload.read(MAX_UPLOAD_BYTES + 1)
                report = importer(actor=request.user, under=org, file=content, filename=filename, dry_run=True)
                if report.ok and report.has_changes:
                    token = _store(request, org, kind, content, filename)
    context = {
        "org": org,
        "kind": kind,
        "title": title,
        "required": required,
        "form": form,
        "report": report,
        "token": token,
        "filename": filename,
        "ancestors": visible_ancestors(request.user, org),
    }
    return render(request, "organizations/import.html", context)


@login_required
@require_GET
def export_organizations(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_for(request.user, pk, perm=Perm.EXPORT_ROSTER)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    encoding = "gbk" if request.GET.get("encoding", "").lower() in {"gbk", "gb18030", "gb2312"} else "utf-8"
    content, content_type, filename = organizations_export(user=request.user, under=org, fmt=fmt, encoding=encoding)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in TEMPLATE_NAMES:
        raise Http404("没有这种模板")
    response = HttpResponse(blank_template(kind), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=TEMPLATE_NAMES[kind])
    return response
