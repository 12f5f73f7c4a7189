"""The standard 中国共产党党员组织关系介绍信 as an A4 PDF: the 存根 the issuing committee keeps, the letter the member
carries, and the 回执 the receiving organization sends back, cut apart along the dashed lines. Written from the
stored request, so the same letter prints the same every time."""

from __future__ import annotations

from core.documents import render_pdf
from transfers.models import TransferRequest
from transfers.rules import letters as rules


def letter_context(transfer: TransferRequest) -> dict[str, object]:
    issued = transfer.letter_issued_on
    return {
        "t": transfer,
        "committee": transfer.issuing_committee.name if transfer.issuing_committee else transfer.from_name,
        "age": rules.age_on(transfer.birth_date, issued),
        "status": "正式" if transfer.status == "full" else "预备",
        "valid_until": rules.valid_until(issued, transfer.valid_days),
        "title": "中国共产党党员组织关系介绍信",
    }


def transfer_letter_pdf(transfer: TransferRequest) -> tuple[str, bytes]:
    content = render_pdf("transfers/documents/letter.html", letter_context(transfer))
    return f"组织关系介绍信{transfer.letter_number}{transfer.person_name}.pdf", content
