"""The demo's incidents and sanctions (第五篇 六): a village whose elected committee member was found to have bought
votes (a 来信来访 report, followed up and closed) and whose election was declared void after the approval, so that its
seat is being elected again (the project back at the congress, one seat open for a further ballot); and an open
重要舆情 on the village at the congress. Made through the services as the township and district demo accounts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from elections.models import CandidatePost, DecidingBody, ElectionProject, IncidentKind, Phase, RoundPurpose
from elections.rules.incidents import Ground
from elections.services.annulment import Decision, result_annul
from elections.services.approval import result_approve
from elections.services.incidents import incident_close, incident_follow_up, incident_report
from elections.services.rounds import elected_for, round_open
from elections.services.voters import voters_register
from organizations.models import CommitteeTerm, Organization


def reelecting(builder: Any, org: Organization, term: CommitteeTerm) -> str:
    """Elected, approved and in 后续工作; then 宣布当选无效 for the last committee member elected (a closed 来信来访 of
    贿选 behind it): back at the congress with the seat open.

    Long because it is the demo's script of one village, service call after service call, as the users would do it."""
    held_on = builder.today - timedelta(days=20)
    actors, project = builder.open(org, term, held_on)
    project = builder.finish(actors, project, until=Phase.MOBILIZING)
    voters_register(actor=actors.township, project=project)
    project = builder.finish(actors, project, until=Phase.NOMINATING)
    builder.nominate(actors, project, approve=True)
    project = builder.finish(actors, project, until=Phase.ELECTING)
    meeting = builder.congress(actors, project, held_on)
    first = round_open(actor=actors.township, meeting=meeting, purpose=RoundPurpose.COMMITTEE)
    present = meeting.present_count
    ranked = [n for n in builder._by_support(project) if n in first.names]
    votes = {name: present - 1 - i for i, name in enumerate(ranked[: first.seats])}
    votes |= {name: 2 + i for i, name in enumerate(ranked[first.seats :])}
    builder.count(actors.township, first, votes, present)
    committee = elected_for(project, CandidatePost.COMMITTEE)
    second = round_open(actor=actors.township, meeting=meeting, purpose=RoundPurpose.SECRETARY)
    builder.count(actors.township, second, {second.names[0]: len(committee)}, len(committee))
    result_approve(actor=actors.township, project=project, note="同意选举结果", decided_on=held_on + timedelta(days=3))
    project = builder.finish(actors, project, until=Phase.FOLLOWING_UP)
    annulled = committee[-1]
    incident = incident_report(
        actor=actors.township,
        project=project,
        kind=IncidentKind.PETITION,
        occurred_on=held_on + timedelta(days=5),
        summary=f"村民来信反映{annulled}的亲属在选举前向部分党员发放购物卡、请客吃饭拉票。",
        reporter="村民联名来信",
        reported_to_county_on=held_on + timedelta(days=6),
        reported_how="书面专报",
    )
    incident_follow_up(
        actor=actors.district,
        incident=incident,
        done_on=held_on + timedelta(days=9),
        action="区委组织部会同镇纪委派员调查,个别谈话12人,查实发放购物卡8张。",
        done_by="区委组织部、镇纪委",
    )
    decided_on = held_on + timedelta(days=12)
    result_annul(
        actor=actors.township,
        project=project,
        name=annulled,
        decision=Decision(
            ground=Ground.BRIBERY,
            reason="经调查核实,其亲属在选举前向8名党员发放购物卡拉票,属贿选行为。",
            body=DecidingBody.TOWNSHIP,
            decided_by_name="镇党委书记",
            document_number=f"{project.township.name}党委〔{decided_on.year}〕18号",
            decided_on=decided_on,
            upload=SimpleUploadedFile("关于宣布当选无效的决定.pdf", builder.material(), content_type="application/pdf"),
            incident=incident,
        ),
    )
    incident_close(
        actor=actors.township,
        incident=incident,
        conclusion=f"反映属实,已宣布{annulled}当选无效,空缺名额由党员大会另行选举。",
        closed_on=decided_on,
    )
    return f"{org.name}:{annulled}当选无效(贿选),空缺1名待另行选举"


def open_incident(builder: Any, root: Organization, township_user: Callable[[Organization], Any]) -> list[str]:
    """An open 重要舆情 on the project at the congress (its committee round open), reported the next day."""
    lines = []
    voting = ElectionProject.objects.filter(organization__path__startswith=root.path, meeting__rounds__status="open")
    for project in voting[:1]:
        incident_report(
            actor=township_user(project.organization) or builder.district,
            project=project,
            kind=IncidentKind.PUBLIC_OPINION,
            occurred_on=builder.today - timedelta(days=2),
            summary="本地微信群出现质疑候选人推荐程序的帖子,转发较多。",
            reporter="镇网信办舆情监测",
            reported_to_county_on=builder.today - timedelta(days=1),
            reported_how="电话报告",
        )
        lines.append(f"{project.organization.name}:1件重要舆情处理中")
    return lines
