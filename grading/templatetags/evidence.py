"""``{{ evidence|item_evidence:item }}``: the figures of evidence (grading.evidence) that go beside one template item
(pure: the page has already read the evidence once)."""

from __future__ import annotations

from typing import Any

from django import template

from grading.evidence import evidence_for_item

register = template.Library()


@register.filter
def item_evidence(evidence: Any, item: Any) -> list[Any]:
    return evidence_for_item(evidence or [], item.text, item.guidance) if item is not None else []
