"""Incidents of an election (第五篇 六.1 "重大事件、重要舆情、重要信息及时报县委组织部"; 六.3 "认真对待群众来信来访,
及时调查核实,妥善解决问题"): reported with when and how the county was told, followed up, closed with a conclusion.

The township and the district record them (``Perm.ELECTION_MANAGE``); the incident's moves are the table
``elections.rules.incidents.INCIDENT_MOVES`` (follow up while open, close once), applied by ``incident_move`` here,
the only code that changes an incident's state.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from elections.access import require_perm
from elections.models import ElectionProject, Incident, IncidentFollowUp, IncidentKind
from elections.rules.incidents import check_conclusion, incident_move
from elections.services.workflow import event
from organizations.roles import Perm


def _not_future(day: date | None, label: str, problems: list[str]) -> None:
    if day is not None and day > timezone.localdate():
        problems.append(f"{label}不能晚于今天")


@transaction.atomic
def incident_report(
    *,
    actor: Any,
    project: ElectionProject,
    kind: str,
    occurred_on: date,
    summary: str,
    reporter: str,
    reported_to_county_on: date | None = None,
    reported_how: str = "",
) -> Incident:
    """Record an incident of the project and whether (when, how) it was reported to the county."""
    require_perm(actor, Perm.ELECTION_MANAGE, project)
    problems: list[str] = []
    if kind not in IncidentKind.values:
        problems.append("请选择事件类别")
    if not summary.strip():
        problems.append("请填写情况摘要")
    if not reporter.strip():
        problems.append("请填写反映人或信息来源")
    _not_future(occurred_on, "发生日期", problems)
    _not_future(reported_to_county_on, "报送日期", problems)
    if reported_to_county_on is not None and reported_to_county_on < occurred_on:
        problems.append("报送日期不能早于发生日期")
    if reported_to_county_on is not None and not reported_how.strip():
        problems.append("请填写报送方式(如书面报告、电话)")
    if problems:
        raise ValidationError(problems)
    incident = Incident.objects.create(
        project=project,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary.strip(),
        reporter=reporter.strip()[:60],
        reported_to_county_on=reported_to_county_on,
        reported_how=reported_how.strip()[:60],
        recorded_by=actor,
    )
    reported = f",{reported_to_county_on}以{incident.reported_how}报区委组织部" if reported_to_county_on else ""
    event(
        actor,
        project,
        "incident",
        f"登记{incident.get_kind_display()}({occurred_on}):{incident.summary[:60]}{reported}",
        after={"kind": kind, "occurred_on": occurred_on.isoformat()},
    )
    return incident


def _lock(incident: Incident, actor: Any, action: str, version: int | None) -> tuple[Incident, str]:
    locked = Incident.objects.select_for_update().select_related("project__organization").get(pk=incident.pk)
    require_perm(actor, Perm.ELECTION_MANAGE, locked.project)
    if version is not None and version != locked.version:
        raise ValidationError("该事件已被他人更新,请刷新页面后再操作")
    target, failures = incident_move(locked.state, action)
    if failures:
        raise ValidationError([f.message for f in failures])
    return locked, str(target)


@transaction.atomic
def incident_follow_up(
    *, actor: Any, incident: Incident, done_on: date, action: str, done_by: str, version: int | None = None
) -> IncidentFollowUp:
    """One follow-up of an open incident: the date, what was done, by whom."""
    locked, _ = _lock(incident, actor, "follow_up", version)
    problems: list[str] = []
    if not action.strip():
        problems.append("请填写处理情况")
    if not done_by.strip():
        problems.append("请填写经办人或单位")
    _not_future(done_on, "跟进日期", problems)
    if done_on < locked.occurred_on:
        problems.append("跟进日期不能早于事件发生日期")
    if problems:
        raise ValidationError(problems)
    follow_up = IncidentFollowUp.objects.create(
        incident=locked, done_on=done_on, action=action.strip(), done_by=done_by.strip()[:60], recorded_by=actor
    )
    Incident.objects.filter(pk=locked.pk).update(version=F("version") + 1)
    event(
        actor,
        locked.project,
        "incident_follow_up",
        f"{locked.get_kind_display()}跟进({done_on},{follow_up.done_by}):{follow_up.action[:60]}",
    )
    return follow_up


@transaction.atomic
def incident_close(
    *, actor: Any, incident: Incident, conclusion: str, closed_on: date | None = None, version: int | None = None
) -> Incident:
    """Close an open incident with its conclusion (what was established, what was done)."""
    locked, target = _lock(incident, actor, "close", version)
    closed_on = closed_on or timezone.localdate()
    problems = [f.message for f in check_conclusion(conclusion)]
    _not_future(closed_on, "办结日期", problems)
    if closed_on < locked.occurred_on:
        problems.append("办结日期不能早于事件发生日期")
    if problems:
        raise ValidationError(problems)
    before = locked.state
    locked.state, locked.conclusion, locked.closed_on, locked.closed_by = target, conclusion.strip(), closed_on, actor
    locked.version += 1
    locked.save(update_fields=["state", "conclusion", "closed_on", "closed_by", "version"])
    event(
        actor,
        locked.project,
        "incident_close",
        f"{locked.get_kind_display()}办结({closed_on}):{locked.conclusion[:60]}",
        before={"state": before},
        after={"state": target},
    )
    return locked
