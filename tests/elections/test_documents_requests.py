"""The papers of steps 8, 18 and 27 (请示/报告 and 批复): Chinese text with an embedded CJK font, written from the
project's data, downloadable in scope only (audited), and attachable to the step as its required document."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Event
from elections.documents.papers import PAPERS, render_paper, title_of
from elections.models import CandidatePost, DocumentKind, ListStage, Phase, RecommendationRound, RoundPurpose
from elections.services import workflow
from elections.services.approval import result_approve
from elections.services.candidates import (
    candidate_add,
    candidates_approve,
    candidates_promote,
    eligibility_record,
    recommendations_save,
)
from elections.services.counts import count_totals
from elections.services.meeting import attendance_save, meeting_open
from elections.services.notices import notice_publish
from elections.services.rounds import round_close, round_open
from elections.services.step_documents import step_document_generate
from elections.services.voters import voters_register
from tests.elections.conftest import finish_steps, joint_review_clear

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text)


def pdf_fonts(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def approved(electing, users, members):
    """Village A1 elected 3 of 4 and its secretary; the township approved (the flow of test_services, condensed)."""
    project, village = electing, members["a1"]
    voters_register(actor=users.sec_a1, project=project)
    recommendations_save(
        actor=users.sec_a1,
        project=project,
        round=RecommendationRound.MEMBERS,
        counts={m.pk: 8 - i for i, m in enumerate(village[:4])},
    )
    cands = [candidate_add(actor=users.sec_a1, project=project, member=m) for m in village[:4]]
    cands.append(candidate_add(actor=users.sec_a1, project=project, member=village[0], post=CandidatePost.SECRETARY))
    for c in cands:
        eligibility_record(
            actor=users.ts_a, candidate=c, department="县纪委监委", results={f"barring:{i}": True for i in range(1, 12)}
        )
    ids = [c.pk for c in cands]
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.INSPECTION, candidate_ids=ids)
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.FINAL, candidate_ids=ids)
    joint_review_clear(users, project)
    candidates_approve(actor=users.ts_a, project=project)
    notice_publish(actor=users.sec_a1, project=project, starts_on=timezone.localdate())
    project = finish_steps(users.ds, project, until=Phase.ELECTING)
    meeting = meeting_open(actor=users.sec_a1, project=project, held_on=timezone.localdate())
    attendance_save(actor=users.sec_a1, meeting=meeting, present_member_ids=[m.pk for m in village])
    first = round_open(actor=users.sec_a1, meeting=meeting, purpose=RoundPurpose.COMMITTEE)
    votes = {village[0].name: 8, village[1].name: 7, village[2].name: 6, village[3].name: 2}
    count_totals(
        actor=users.sec_a1, ballot_round=first, issued=8, returned=8, valid_ballots=8, invalid_ballots=0, votes=votes
    )
    round_close(actor=users.sec_a1, ballot_round=first)
    secretary = round_open(actor=users.sec_a1, meeting=meeting, purpose=RoundPurpose.SECRETARY)
    count_totals(
        actor=users.sec_a1,
        ballot_round=secretary,
        issued=3,
        returned=3,
        valid_ballots=3,
        invalid_ballots=0,
        votes={village[0].name: 3},
    )
    round_close(actor=users.sec_a1, ballot_round=secretary)
    result_approve(actor=users.ts_a, project=project, note="同意")
    project.refresh_from_db()
    return project


def test_every_paper_has_its_title_the_organization_and_an_embedded_cjk_font(approved, tree, tmp_path):
    for paper in PAPERS:
        name, content = render_paper(approved, paper)
        assert content.startswith(b"%PDF") and name.endswith(".pdf")
        text = pdf_text(content, tmp_path)
        assert title_of(approved, paper) in text, paper.slug
        assert tree.village_a1.name in text and tree.township_a.name in text
        assert "年" in text and "月" in text  # the 落款 date
    fonts = pdf_fonts(content, tmp_path)
    cjk = [line for line in fonts.splitlines() if re.search(r"Noto\W?(Serif|Sans)\W?CJK", line)]
    assert cjk and all(" yes " in line for line in cjk)  # embedded


def test_the_bodies_come_from_the_project(approved, members, tmp_path):
    village = members["a1"]
    by_slug = {p.slug: p for p in PAPERS}
    convene = pdf_text(render_paper(approved, by_slug["convene-request"])[1], tmp_path)
    assert "委员3名" in convene and "妥否,请批示" in convene
    candidates = pdf_text(render_paper(approved, by_slug["candidates-request"])[1], tmp_path)
    assert all(m.name in candidates for m in village[:4]) and "书记" in candidates
    report = pdf_text(render_paper(approved, by_slug["result-report"])[1], tmp_path)
    assert "实到会党员8名" in report and "有效票8张" in report
    assert f"{village[3].name}2" in report  # the not-elected name with its votes
    reply = pdf_text(render_paper(approved, by_slug["result-reply"])[1], tmp_path)
    assert f"{village[0].name}同志任书记" in reply and "此复" in reply


def test_download_in_scope_is_audited_and_out_of_scope_is_404(approved, users, client):
    url = reverse("elections:paper_pdf", args=[approved.pk, "result-reply"])
    client.force_login(users.ts_b)
    assert client.get(url).status_code == 404
    assert client.get(reverse("elections:papers", args=[approved.pk])).status_code == 404
    step = approved.steps.get(template__number=27)
    assert client.post(reverse("elections:step_generate", args=[step.pk]), {"kind": "reply"}).status_code == 404
    client.force_login(users.sec_a1)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert Event.objects.filter(verb="election.export", target_id=str(approved.pk), actor=users.sec_a1).count() == 1
    assert client.get(reverse("elections:paper_pdf", args=[approved.pk, "nothing"])).status_code == 404
    page = client.get(reverse("elections:papers", args=[approved.pk]))
    assert page.status_code == 200 and f"关于{approved.organization.name}换届选举结果的批复" in page.content.decode()


def test_generated_papers_fill_step_8_and_let_it_be_done(project, users, client):
    project = finish_steps(users.ds, project, until=Phase.LAUNCHING)
    step8 = project.steps.get(template__number=8)
    client.force_login(users.sec_a1)
    page = client.get(reverse("elections:papers", args=[project.pk])).content.decode()
    assert "生成并作为第8步请示材料" in page
    response = client.post(reverse("elections:step_generate", args=[step8.pk]), {"kind": DocumentKind.REQUEST})
    assert response.status_code == 302
    step_document_generate(actor=users.ts_a, step=step8, kind=DocumentKind.REPLY)
    docs = {d.kind: d for d in step8.documents.all()}
    assert set(docs) == {"request", "reply"}
    assert docs["request"].file.read(5) == b"%PDF-" and docs["request"].uploaded_by == users.sec_a1
    assert workflow.missing_documents(step8) == []
    workflow.step_done(actor=users.sec_a1, step=step8)
    # a step without such a paper refuses to generate one
    step3 = project.steps.get(template__number=3)
    before = step3.documents.count()
    response = client.post(reverse("elections:step_generate", args=[step3.pk]), {"kind": DocumentKind.OTHER})
    assert response.status_code == 302 and step3.documents.count() == before
