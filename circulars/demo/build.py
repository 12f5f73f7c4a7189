"""Demo data of circulars: one circular the first township sent five days ago to its first six graded
organizations, asking a report within ten days; two have replied (one with its report as a file), one has read it,
three have not opened it, so the receipt board, the home's to-do lines and the reminder have something true to life.
Rows are written directly (the demo is a picture, not a replay); one audit event says the demo was loaded.
Idempotent: a township that already sent the demo's circular is left alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from circulars.models import Circular, CircularFile, Receipt
from circulars.rules.receipts import CircularState
from circulars.services.circulars import FILE_DIR
from core import audit, uploads
from organizations.models import Organization, RoleAssignment
from organizations.roles import Role

TITLE = "关于报送本年度党建工作总结的通知"
BODY = (
    "各党组织:\n"
    "为全面总结本年度党建工作,请各党组织对照年度工作要点,围绕组织建设、党员教育管理、“三会一课”落实、"
    "党费收缴等方面认真总结,形成书面材料(1500字以内)。\n"
    "请于截止日期前通过平台回复并上传总结材料。"
)
RECIPIENTS = 6
REPORT = "年度党建工作总结.pdf"
# An empty PDF: the demo's reply file (a real report would only make the repository heavier).
REPORT_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%%EOF\n"
)
REPLIES = (
    "已按要求完成年度党建工作总结,见附件。",
    "本支部年度工作总结已形成,经支委会讨论通过,现予报送。",
)


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    recipients: int


def _holders(org_ids: list[int], role: Role) -> dict[int, object]:
    rows = RoleAssignment.objects.filter(organization_id__in=org_ids, role=role, revoked_at__isnull=True)
    return {r.organization_id: r.user for r in rows.select_related("user").order_by("pk")}


def build_circulars_demo(root: Organization) -> DemoSummary:
    township = Organization.objects.filter(path__startswith=root.path, depth=2).order_by("path").first()
    if township is None:
        return DemoSummary(False, 0)
    existing = Circular.objects.filter(sender=township, title=TITLE).first()
    if existing is not None:
        return DemoSummary(False, existing.receipts.count())
    orgs = list(
        Organization.objects.filter(path__startswith=township.path, is_graded=True, dissolved_on__isnull=True).order_by(
            "path"
        )[:RECIPIENTS]
    )
    staff = _holders([township.pk], Role.TOWNSHIP_STAFF).get(township.pk)
    secretaries = _holders([o.pk for o in orgs], Role.BRANCH_SECRETARY)
    now = timezone.now()
    sent = now - timedelta(days=5)
    with transaction.atomic():
        circular = Circular.objects.create(
            sender=township,
            title=TITLE,
            body=BODY,
            reply_required=True,
            deadline=timezone.localdate() + timedelta(days=10),
            audience=f"逐个选择(共{len(orgs)}个)",
            state=CircularState.SENT,
            created_by=staff,
            sent_by=staff,
            sent_at=sent,
        )
        receipts = []
        for i, org in enumerate(orgs):
            who = secretaries.get(org.pk)
            r = Receipt(circular=circular, organization=org)
            if i in (1, 2, 3):  # the first organization (the browser journey's secretary) has not opened it yet
                r.read_at, r.read_by = sent + timedelta(days=1, hours=i), who
            if i in (1, 2):
                r.replied_at, r.replied_by, r.reply = sent + timedelta(days=2, hours=i), who, REPLIES[i - 1]
            receipts.append(r)
        Receipt.objects.bulk_create(receipts)
        replied = receipts[1] if len(receipts) > 1 else None
        if replied is not None:
            name = f"{FILE_DIR}/{replied.organization_id}/{uploads.stored_name(REPORT)}"
            saved = default_storage.save(name, ContentFile(REPORT_BYTES))
            CircularFile.objects.create(
                circular=circular,
                receipt=replied,
                file=saved,
                original_name=REPORT,
                content_type="application/pdf",
                size=len(REPORT_BYTES),
                uploaded_by=replied.replied_by,
            )
        audit.record(
            actor=None,
            verb="circulars.demo_load",
            summary=f"载入通知公告演示数据:{township.name}发出1份通知,{len(orgs)}个党组织接收",
            org_path=township.path,
        )
    return DemoSummary(True, len(orgs))
