"""Shared helpers of the circulars tests: a circular from township A (东风镇党委) to its organizations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from circulars.services import circulars as services
from circulars.services.recipients import Choice, Mode

PDF = b"%PDF-1.4 test file\n"


def pdf(name: str = "总结.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def values(**over):
    return {
        "title": "关于报送年度总结的通知",
        "body": "请各党组织报送年度党建工作总结。",
        "reply_required": True,
        "deadline": timezone.localdate() + timedelta(days=7),
        **over,
    }


@pytest.fixture
def sent(tree, users, django_capture_on_commit_callbacks):
    """A circular township A sent to all its organizations (village A1, general branch A2, branch A2-1)."""
    circular = services.circular_create(
        actor=users.ts_a, sender=tree.township_a, values=values(), choice=Choice(Mode.ALL)
    )
    with django_capture_on_commit_callbacks(execute=True):
        return services.circular_move(actor=users.ts_a, circular=circular, move="send")
