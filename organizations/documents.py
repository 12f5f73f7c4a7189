"""An organization's roster as a PDF and as an xlsx.

The xlsx is always a background job. The PDF of a small roster (a branch: at most ``ROSTER_PDF_DIRECT_MAX`` members,
a second or so of layout) is a direct download; a bigger one (a township, the district) is a background job laid out
in parts of ``ROSTER_PDF_PART_ROWS`` members (``core.documents.render_pdf_parts``), so that no request renders for
more than a moment (issue 15 §7). Past ``ROSTER_PDF_MAX`` members no PDF is made (tens of thousands of pages nobody
prints): the page offers the Excel export instead.

The roster covers the organization's whole subtree (a general branch's roster includes its branches), current
members only. ID numbers and phones are masked unless the user may see personal data over the organization.
The xlsx has exactly the columns of the member import, so an exported file imports unchanged.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import audit, jobs
from core.documents import render_pdf, render_pdf_parts, write_xlsx
from core.models import Job
from organizations.access import may_see_personal_data, organization_for
from organizations.models import Member, Organization
from organizations.resources.files import XLSX_CONTENT_TYPE, csv_bytes, organizations_table, organizations_xlsx
from organizations.roles import Perm
from organizations.scope import path_q, require, scope_paths
from organizations.selectors import member_list_subtree

ROSTER_XLSX_KIND = "roster_xlsx"
ROSTER_PDF_KIND = "roster_pdf"
# Measured in docs/performance.md ("Documents of any size").
ROSTER_PDF_DIRECT_MAX = 100  # members: about 4 landscape pages, laid out in well under 2 s
ROSTER_PDF_PART_ROWS = 1000  # members per part: about 40 pages
ROSTER_PDF_MAX = 30000  # members: about 1,200 pages; beyond, the Excel export

# The member import format (organizations.resources.MEMBER_COLUMNS): same headers, same order.
ROSTER_XLSX_HEADERS: tuple[str, ...] = (
    "组织代码",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "学历",
    "职业",
    "入党日期",
    "党员类别",
    "转正日期",
    "流动党员",
    "身份证号",
    "联系电话",
)
ROSTER_XLSX_TEXT_COLUMNS = ("组织代码", "身份证号", "联系电话")
PROGRESS_EVERY = 200  # rows between two progress reports


@dataclass(frozen=True)
class RosterRow:
    number: int
    member: Member
    id_number: str
    phone: str


def roster_members(user: Any, organization: Organization) -> Any:
    """Current members of the subtree, in tree order, through the user's scope."""
    return member_list_subtree(user, organization).order_by("organization__path", "name", "pk")


def _personal(member: Member, full: bool) -> tuple[str, str]:
    if full:
        return member.id_number, member.phone
    return member.masked_id_number, member.masked_phone


def roster_rows(user: Any, organization: Organization) -> Iterator[RosterRow]:
    full = may_see_personal_data(user, organization)
    for number, member in enumerate(roster_members(user, organization).iterator(chunk_size=500), start=1):
        id_number, phone = _personal(member, full)
        yield RosterRow(number, member, id_number, phone)


def roster_filename(organization: Organization, extension: str, day: date | None = None) -> str:
    day = day or timezone.localdate()
    return f"{organization.name}党员名册_{day:%Y%m%d}.{extension}"


# ------------------------------------------------------------------------------------------------------------------ PDF


def roster_pdf_mode(user: Any, organization: Organization) -> tuple[str, int]:
    """How the roster PDF is made, with the member count: "direct" (rendered in the request), "job" (in the
    background) or "too_big" (no PDF; the Excel export instead)."""
    count = roster_members(user, organization).count()
    if count <= ROSTER_PDF_DIRECT_MAX:
        return "direct", count
    return ("job" if count <= ROSTER_PDF_MAX else "too_big"), count


def roster_pdf(*, actor: Any, organization: Organization) -> tuple[str, bytes]:
    """Render a small roster PDF in the request and record the export. The caller obtained ``organization`` with
    EXPORT_ROSTER and checked ``roster_pdf_mode`` is "direct"."""
    rows = list(roster_rows(actor, organization))
    full = may_see_personal_data(actor, organization)
    content = render_pdf(
        "organizations/documents/roster.html",
        {
            "organization": organization,
            "rows": rows,
            "member_count": len(rows),
            "personal_data": full,
            "today": timezone.localdate(),
        },
    )
    audit.record(
        actor=actor,
        verb="roster.export",
        summary=f"导出党员名册(PDF,{len(rows)}人):{organization.name}",
        target=organization,
        org_path=organization.path,
        after={"format": "pdf", "members": len(rows), "personal_data": full},
    )
    return roster_filename(organization, "pdf"), content


def roster_pdf_bytes(
    user: Any, organization: Organization, report_progress: jobs.ReportProgress | None = None
) -> bytes:
    """The roster PDF of any size, laid out in parts of ``ROSTER_PDF_PART_ROWS`` members, numbered straight through."""
    total = roster_members(user, organization).count()
    full = may_see_personal_data(user, organization)
    expected = max(1, -(-total // ROSTER_PDF_PART_ROWS))
    base = {"organization": organization, "personal_data": full, "today": timezone.localdate(), "member_count": total}

    def parts() -> Iterator[dict[str, Any]]:
        rows = roster_rows(user, organization)
        for number in range(1, expected + 1):
            chunk = list(itertools.islice(rows, ROSTER_PDF_PART_ROWS))
            yield {**base, "rows": chunk, "last_part": number == expected}

    return render_pdf_parts(
        "organizations/documents/roster.html", parts(), report_progress=report_progress, expected_parts=expected
    )


def roster_pdf_start(*, actor: Any, organization: Organization) -> Job:
    """Queue the PDF of a big roster and record the export. The caller obtained ``organization`` with
    EXPORT_ROSTER; a roster over ``ROSTER_PDF_MAX`` members is refused (the Excel export instead)."""
    mode, count = roster_pdf_mode(actor, organization)
    if mode == "too_big":
        raise ValidationError(f"{organization.name}共有{count}名党员,超过{ROSTER_PDF_MAX}人,请导出Excel名册")
    full = may_see_personal_data(actor, organization)
    with transaction.atomic():
        job = jobs.job_start(
            actor=actor,
            kind=ROSTER_PDF_KIND,
            title=f"{organization.name}党员名册(PDF)",
            org_path=organization.path,
            params={"organization_id": organization.pk, "personal_data": full},
        )
        audit.record(
            actor=actor,
            verb="roster.export",
            summary=f"导出党员名册(PDF,{count}人):{organization.name}",
            target=organization,
            org_path=organization.path,
            after={"format": "pdf", "job": job.pk, "members": count, "personal_data": full},
        )
    return job


def _run_roster_pdf(job: Job, report_progress: jobs.ReportProgress) -> tuple[str, bytes]:
    # Scope is checked again with the creator's current rights: a role revoked meanwhile stops the export.
    user = job.created_by
    if user is None:
        raise jobs.JobError("发起人账号已不存在,无法生成。")
    organization = organization_for(user, job.params.get("organization_id"), perm=Perm.EXPORT_ROSTER)
    return roster_filename(organization, "pdf"), roster_pdf_bytes(user, organization, report_progress)


jobs.register(ROSTER_PDF_KIND, _run_roster_pdf, perms=(Perm.EXPORT_ROSTER,))


# ----------------------------------------------------------------------------------------------------------------- xlsx


def _xlsx_row(row: RosterRow) -> list[Any]:
    m = row.member
    return [
        m.organization.code,
        m.name,
        m.get_gender_display(),
        m.ethnicity,
        m.birth_date,
        m.get_education_display(),
        m.occupation,
        m.joined_on,
        m.get_status_display(),
        m.full_member_on,
        "是" if m.is_migrant else "否",
        row.id_number,
        row.phone,
    ]


def roster_xlsx_bytes(
    user: Any, organization: Organization, report_progress: jobs.ReportProgress | None = None
) -> bytes:
    total = roster_members(user, organization).count() or 1

    def rows() -> Iterator[list[Any]]:
        for row in roster_rows(user, organization):
            if report_progress and row.number % PROGRESS_EVERY == 0:
                report_progress(row.number * 95 // total)
            yield _xlsx_row(row)

    return write_xlsx(headers=ROSTER_XLSX_HEADERS, rows=rows(), title="党员名册", text_columns=ROSTER_XLSX_TEXT_COLUMNS)


def roster_xlsx_start(*, actor: Any, organization: Organization) -> Job:
    """Queue the xlsx export of the roster and record it. The caller obtained ``organization`` with EXPORT_ROSTER."""
    full = may_see_personal_data(actor, organization)
    with transaction.atomic():
        job = jobs.job_start(
            actor=actor,
            kind=ROSTER_XLSX_KIND,
            title=f"{organization.name}党员名册(Excel)",
            org_path=organization.path,
            params={"organization_id": organization.pk, "personal_data": full},
        )
        audit.record(
            actor=actor,
            verb="roster.export",
            summary=f"导出党员名册(Excel):{organization.name}",
            target=organization,
            org_path=organization.path,
            after={"format": "xlsx", "job": job.pk, "personal_data": full},
        )
    return job


def _run_roster_xlsx(job: Job, report_progress: jobs.ReportProgress) -> tuple[str, bytes]:
    # Scope is checked again with the creator's current rights: a role revoked meanwhile stops the export.
    user = job.created_by
    if user is None:
        raise jobs.JobError("发起人账号已不存在,无法生成。")
    organization = organization_for(user, job.params.get("organization_id"), perm=Perm.EXPORT_ROSTER)
    content = roster_xlsx_bytes(user, organization, report_progress)
    return roster_filename(organization, "xlsx"), content


jobs.register(ROSTER_XLSX_KIND, _run_roster_xlsx, perms=(Perm.EXPORT_ROSTER,))


# --- The tree as a file (export) ------------------------------------------------------------------------


def organizations_export(
    *, user: Any, under: Organization, fmt: str = "xlsx", encoding: str = "utf-8"
) -> tuple[bytes, str, str]:
    """The subtree as a file that ``import_organizations`` reads back unchanged: (content, content type, name)."""
    require(user, Perm.EXPORT_ROSTER, under)
    queryset = Organization.objects.filter(path_q(scope_paths(user, Perm.EXPORT_ROSTER))).filter(
        path__startswith=under.path
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    audit.record(
        actor=user,
        verb="organizations.export",
        summary=f"导出党组织({fmt}):{under.name}",
        target=under,
        org_path=under.path,
        after={"format": fmt, "encoding": encoding if fmt == "csv" else "", "organizations": queryset.count()},
    )
    if fmt == "csv":
        headers, rows = organizations_table(queryset)
        charset = "gb18030" if encoding == "gbk" else "utf-8"
        content = csv_bytes(headers, rows, encoding=encoding)
        return content, f"text/csv; charset={charset}", f"{under.code}-党组织-{stamp}.csv"
    return organizations_xlsx(queryset), XLSX_CONTENT_TYPE, f"{under.code}-党组织-{stamp}.xlsx"


# --- The reorganization's papers (第三篇 五 组织实施 2、3): the organization's 请示 and the committee's 批复 ----------

REORGANIZATION_PAPERS = {"request": "请示", "reply": "批复"}


def reorganization_paper(reorg: Any, paper: str) -> tuple[str, bytes]:
    """The 请示 (from the plan, with its number and date) or the 批复 as an A4 PDF; ``paper`` is "request" or
    "reply". The text is written from the stored request, so the same paper prints the same every time."""
    from organizations.services.reorganization import basis, parent_of

    org = reorg.organization
    parent = parent_of(org)
    title = {
        "request": f"{org.name}关于{reorg.title}的请示",
        "reply": f"关于{org.name}{reorg.title}的批复",
    }[paper]
    context = {
        "reorg": reorg,
        "title": title,
        "organization": org,
        "addressee": (reorg.reply_body or (parent.name if parent else "上级党委")) if paper == "request" else org.name,
        "signer": org.name if paper == "request" else reorg.reply_body,
        "signed_on": reorg.request_date if paper == "request" else reorg.reply_date,
        "number": reorg.request_number if paper == "request" else reorg.reply_number,
        "units": [line.strip() for line in reorg.units_planned.splitlines() if line.strip()],
        "comments": list(reorg.comments.all()),
        "basis": basis(reorg) if paper == "reply" else "",
    }
    content = render_pdf(f"organizations/reorganization/{paper}_pdf.html", context)
    return f"{title}.pdf", content
