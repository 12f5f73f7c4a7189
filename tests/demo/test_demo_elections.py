"""The elections demo (``load_demo_elections``, run by ``load_demo``): projects at various phases on villages whose
terms end within six months, one completed with its new committee in the roster, one at the congress (with an open
incident), one overdue, one whose election was declared void for 贿选 and is being re-elected (第五篇 六);
deterministic and idempotent."""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from elections.models import ElectionProject, Phase, RoundStatus
from elections.services.rounds import elected_for
from elections.services.seat_reduction import seats_left
from organizations.models import CommitteeTerm, Position, Post


@pytest.fixture(scope="module")
def built(demo_small) -> str:
    return demo_small.output


@pytest.fixture
def projects(built, db) -> dict[str, ElectionProject]:
    rows = list(ElectionProject.objects.select_related("organization", "term", "new_term").order_by("pk"))
    assert len(rows) == 6, built
    names = ("completed", "congress", "choosing", "opened", "reelecting", "postponed")
    return dict(zip(names, rows, strict=True))


def test_projects_are_on_villages_whose_terms_end_within_six_months(projects, built):
    today = timezone.localdate()
    seconds = re.search(r"换届选举演示数据已载入:6个项目,用时 ([0-9.]+) 秒", built)
    assert seconds and float(seconds[1]) < 60  # 5–15 s on a quiet machine; generous for a loaded CI
    for project in projects.values():
        assert project.term is not None and project.term.ends_on <= today + timedelta(days=183)
        assert project.organization.field == "rural"
    statuses = [p.status for p in projects.values()]
    assert statuses == [
        Phase.CLOSED,
        Phase.ELECTING,
        Phase.NOMINATING,
        Phase.PREPARING,
        Phase.ELECTING,
        Phase.PREPARING,
    ]


def test_the_completed_village_has_its_new_committee(projects):
    project = projects["completed"]
    org = project.organization
    latest = CommitteeTerm.objects.filter(organization=org).order_by("-elected_on").first()
    assert project.new_term == latest and latest.elected_on == project.meeting.held_on
    current = Position.objects.filter(organization=org, ended_on__isnull=True, term=latest)
    assert current.count() == project.seats
    assert current.filter(post=Post.SECRETARY).count() == 1
    old = Position.objects.filter(organization=org, term=project.term)
    assert old.exists() and not old.filter(ended_on__isnull=True).exists()  # the old committee stays in the history
    rounds = list(project.meeting.rounds.order_by("number"))
    assert [r.purpose for r in rounds] == ["committee", "secretary"]
    assert all(r.status == RoundStatus.VALID for r in rounds)
    assert project.approvals.filter(approved=True).exists()
    kinds = set(project.steps.get(template__number=27).documents.values_list("kind", flat=True))
    assert kinds == {"request", "reply"}  # the generated result report and 批复
    assert not project.steps.filter(done_on__isnull=True).exists()


def test_one_is_ready_for_counting_and_others_are_overdue(projects):
    congress = projects["congress"]
    assert congress.meeting.present_count > 0
    open_round = congress.meeting.rounds.get()
    assert open_round.status == RoundStatus.OPEN and len(open_round.names) > open_round.seats
    today = timezone.localdate()
    assert projects["opened"].steps.filter(done_on__isnull=True, due_on__lt=today).exists()
    assert projects["choosing"].steps.filter(done_on__isnull=True, due_on__lt=today).exists()
    assert projects["choosing"].candidates.filter(status="eligible").count() >= 4


def test_idempotent(projects):
    out = io.StringIO()
    started = time.perf_counter()
    call_command("load_demo_elections", stdout=out)
    assert "未做任何更改" in out.getvalue() and time.perf_counter() - started < 2
    assert ElectionProject.objects.count() == 6


def test_one_election_was_declared_void_and_its_seat_is_open_again(projects):
    """第五篇 六.2: a closed 来信来访 of 贿选, the decision (body, document), the post ended, the seat open again."""
    project = projects["reelecting"]
    (sanction,) = project.sanctions.all()
    assert sanction.kind == "annul" and sanction.ground == "bribery" and sanction.document_number
    assert sanction.incident is not None and sanction.incident.state == "closed"
    assert seats_left(project) == 1 and sanction.name not in elected_for(project, "committee")
    in_post = Position.objects.filter(term=project.new_term, ended_on__isnull=True)
    assert not in_post.filter(member__name=sanction.name).exists()
    assert in_post.count() == project.seats - 1


def test_the_village_at_the_congress_has_an_open_incident(projects):
    (incident,) = projects["congress"].incidents.all()
    assert incident.is_open and incident.reported_to_county_on is not None


def test_one_postponed_election_waits_for_the_higher_body(projects):
    """A13 选举条例 Art. 3: the request with its reason, pending, so the township's form shows on the project page."""
    change = projects["postponed"].date_change
    assert change.is_pending and change.kind == "延期" and "推迟换届" in change.reason


def test_the_demo_has_joint_reviews_and_a_candidate_stopped_by_one(projects, db):
    """Q1/Q2 (第五篇 五(四)15) in the demo: the approved lists went through every department and the re-review; the
    project choosing candidates waits for the re-review and has one candidate stopped by a 不同意 with its reason."""
    from elections.models import CandidateStatus
    from elections.selectors.review import joint_review_matrix

    for key in ("completed", "congress"):
        approved = [r for r in joint_review_matrix(None, projects[key]) if r.candidate.status == "approved"]
        assert approved and all(r.state.cleared for r in approved)
    rows = joint_review_matrix(None, projects["choosing"])
    blocked = [r for r in rows if r.state.blocked]
    assert len(blocked) == 1 and blocked[0].candidate.status == CandidateStatus.REFUSED
    assert blocked[0].state.refusals == (("信访局", "近三年多次组织群众越级集体上访,影响社会稳定"),)
    assert any(r.state.all_answered and r.rereview is None for r in rows)  # the district's re-review to do


def test_the_completed_election_has_its_posts_in_the_summary(projects, db):
    """T1–T4 (第五篇 四): the completed election's committee has its posts, so the district's summary shows numbers."""
    from django.contrib.auth import get_user_model

    from elections.selectors.posts import posts_summary

    posts = projects["completed"].committee_posts
    assert posts.secretary_is_director and posts.cross_members.count() == 2 and posts.women_chair_joined
    rows, total = posts_summary(get_user_model().objects.get(username="district"))
    assert total.committees == 1 and total.one_shoulder == 1 and total.cross_members == 2 and len(rows) == 1
