"""C5 at the stages where the district sets a grade: its approval and its re-review of an objection.

第一篇 四.2: "原则上评为“好”等级的党组织一般不能超过20%,年底复核评定时方可适当扩大“好”等级党组织比例". The
township's notice checks its own share (``grading.services.notices.cap_check``) and the year-end re-grade checks the
widened share (``grading.services.yearend.regrade_cap_check``); here the share is the year's setting, counted over
the grade each organization holds at its latest stage, per township and district-wide. Raising an organization to 好
past the share needs a written reason; keeping a 好 it already held does not.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from grading.models import Assessment, AssessmentStatus
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules

S = AssessmentStatus

# The grade an organization holds at its latest stage: the township's once published, the district's once approved,
# the final one once final.
_TOWNSHIP_HELD = frozenset({S.IN_NOTICE, S.NOTICE_CLOSED, S.WITH_DISTRICT})
_DISTRICT_HELD = frozenset({S.APPROVED, S.OBJECTED})
_FINAL_HELD = frozenset({S.FINAL, S.REGRADE_REQUESTED})


def held_grade(a: Assessment) -> str:
    if a.status in _FINAL_HELD:
        return a.final_grade
    if a.status in _DISTRICT_HELD:
        return a.district_grade
    if a.status in _TOWNSHIP_HELD:
        return a.township_grade
    return ""


def _good_elsewhere(a: Assessment, prefix: str) -> tuple[int, int]:
    """(graded organizations under ``prefix``, how many of the others hold 好)."""
    under = Assessment.objects.filter(campaign_id=a.campaign_id, organization__path__startswith=prefix)
    good = grade_rules.Grade.GOOD
    others = under.exclude(pk=a.pk)
    holding = (
        others.filter(status__in=_TOWNSHIP_HELD, township_grade=good).count()
        + others.filter(status__in=_DISTRICT_HELD, district_grade=good).count()
        + others.filter(status__in=_FINAL_HELD, final_grade=good).count()
    )
    return under.count(), holding


def stage_cap_check(a: Assessment, grade: str) -> list[counting_rules.CapResult]:
    """C5 if ``a`` were given ``grade`` now: the township's share, then the district's."""
    results = []
    for prefix in (a.organization.township_path(), ""):
        total, good = _good_elsewhere(a, prefix)
        adding = int(grade == grade_rules.Grade.GOOD)
        results.append(counting_rules.good_cap_check(total, good + adding, a.campaign.good_cap_percent))
    return results


def require_cap_reason(a: Assessment, grade: str, cap_reason: str) -> str:
    """Refuse raising ``a`` to 好 past the share without a reason; return the reason to store ("" when none is
    needed)."""
    if grade != grade_rules.Grade.GOOD or held_grade(a) == grade_rules.Grade.GOOD:
        return ""
    exceeded = [
        f"{where}{r.message}"
        for where, r in zip(("本乡镇(街道)", "全区"), stage_cap_check(a, grade), strict=True)
        if r.exceeds
    ]
    if exceeded and not cap_reason.strip():
        raise ValidationError(exceeded)
    return cap_reason.strip() if exceeded else ""


def check_cap_not_widened(cap: Any) -> None:
    """C5, 第一篇 四.2: "原则上…一般不能超过20%,年底复核评定时方可适当扩大": the year's setting may be stricter than
    the plan's share, never wider; widening is the year-end review's (``grading.services.yearend.year_end_cap_set``)."""
    if cap is not None and Decimal(cap) > grade_rules.GOOD_CAP_PERCENT_DEFAULT:
        plan = grade_rules.fmt(grade_rules.GOOD_CAP_PERCENT_DEFAULT)
        raise ValidationError(
            f"“好”等次比例原则上不超过{plan}%,年度设置不能扩大;只有年底复核评定时方可适当扩大(在“年底复核”页面填写理由)"
        )
