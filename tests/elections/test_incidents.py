"""Incidents of an election, 第五篇 六 组织领导 (六.1 "重大事件、重要舆情、重要信息及时报县委组织部"; 六.3 "认真对待
群众来信来访,及时调查核实"): reported by the township or the district, followed up, closed with a conclusion; each
write is audited; the branch and the viewer may not write; the district list reads them with a fixed number of
queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Event
from elections.models import Incident, IncidentKind
from elections.services.incidents import incident_close, incident_follow_up, incident_report
from tests.elections.test_pages import client_for

pytestmark = pytest.mark.django_db


def _report(actor, project, **kw):
    today = timezone.localdate()
    data = {
        "kind": IncidentKind.PETITION,
        "occurred_on": today - timedelta(days=2),
        "summary": "群众来信反映候选人拉票",
        "reporter": "村民来信",
        "reported_to_county_on": today - timedelta(days=1),
        "reported_how": "书面报告",
    }
    return incident_report(actor=actor, project=project, **{**data, **kw})


def test_the_township_reports_an_incident_with_its_report_to_the_county(project, users):
    incident = _report(users.ts_a, project)
    assert incident.is_open and incident.recorded_by == users.ts_a
    event = Event.objects.get(verb="election.incident")
    assert "来信来访" in event.summary and "报区委组织部" in event.summary
    assert event.org_path == project.organization.path


def test_the_branch_and_the_viewer_may_not_report(project, users):
    for actor in (users.sec_a1, users.viewer_a, users.ts_b):
        with pytest.raises(PermissionDenied):
            _report(actor, project)
    assert not Incident.objects.exists()


def test_a_report_without_summary_or_with_a_future_date_is_refused_in_chinese(project, users):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        _report(users.ds, project, kind="x", summary=" ", reporter="", occurred_on=today + timedelta(days=1))
    assert refused.value.messages[:3] == ["请选择事件类别", "请填写情况摘要", "请填写反映人或信息来源"]
    assert "发生日期不能晚于今天" in refused.value.messages
    with pytest.raises(ValidationError, match="请填写报送方式"):
        _report(users.ds, project, reported_how="")


def test_follow_ups_then_close_then_nothing_more(project, users):
    """六.3: follow-ups while open; the conclusion closes it; a closed incident takes no follow-up."""
    incident = _report(users.ts_a, project)
    today = timezone.localdate()
    incident_follow_up(actor=users.ds, incident=incident, done_on=today, action="派员调查核实", done_by="区委组织部")
    with pytest.raises(ValidationError, match="请填写处理结论"):
        incident_close(actor=users.ts_a, incident=incident, conclusion="")
    with pytest.raises(ValidationError, match="已被他人更新"):
        incident_close(actor=users.ts_a, incident=incident, conclusion="不属实", version=1)  # before the follow-up
    closed = incident_close(actor=users.ts_a, incident=incident, conclusion="经核实反映不属实", version=2)
    assert not closed.is_open and closed.closed_by == users.ts_a and closed.closed_on == today
    with pytest.raises(ValidationError, match="已办结,不能再添加跟进记录"):
        incident_follow_up(actor=users.ts_a, incident=incident, done_on=today, action="再查", done_by="镇纪委")
    with pytest.raises(PermissionDenied):
        incident_follow_up(actor=users.sec_a1, incident=incident, done_on=today, action="再查", done_by="村")
    verbs = list(Event.objects.filter(verb__startswith="election.incident").values_list("verb", flat=True))
    assert sorted(verbs) == ["election.incident", "election.incident_close", "election.incident_follow_up"]


def test_the_district_list_filters_open_and_closed_with_fixed_queries(project, users):
    """The district's list: open and closed filters; the query count does not grow with the rows."""
    first = _report(users.ts_a, project, summary="第一件")
    client = client_for(users.ds)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/elections/incidents/").status_code == 200
    for i in range(5):
        _report(users.ts_a, project, summary=f"其他事件{i}", kind=IncidentKind.PUBLIC_OPINION)
    incident_close(actor=users.ts_a, incident=first, conclusion="已妥善处理")
    with CaptureQueriesContext(connection) as six:
        page = client.get("/elections/incidents/").content.decode()
    assert len(six) <= len(one) and "其他事件4" in page and "第一件" in page
    open_page = client.get("/elections/incidents/?state=open").content.decode()
    closed_page = client.get("/elections/incidents/?state=closed").content.decode()
    assert "其他事件0" in open_page and "第一件" not in open_page
    assert "第一件" in closed_page and "其他事件0" not in closed_page
    assert "其他事件0" not in client_for(users.ts_b).get("/elections/incidents/").content.decode()
