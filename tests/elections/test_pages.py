"""Election pages and papers: the ballot with 35 names (text and an embedded CJK font), the report, the public notice,
and the pages of the flow answering for the township."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from elections.documents import report as documents
from elections.models import BallotRound, ListStage, Meeting
from elections.rules.stroke_order import sort_by_stroke
from elections.services import workflow
from elections.services.candidates import candidate_add, candidate_review, candidates_promote
from elections.services.notices import notice_publish
from tests.crawl_support import rule_codes_shown
from tests.elections.conftest import pdf
from tests.elections.test_services import _nominate

pytestmark = pytest.mark.django_db

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
NAMES = [
    f"{s}{g}"
    for s, g in zip(SURNAMES, "明华强军平伟芳娜敏静丽艳勇杰涛斌超磊鹏辉健波宁刚飞峰云霞燕红梅兰英玲秀", strict=False)
]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pdf_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def test_ballot_with_35_names_has_every_name_and_a_cjk_font(project, tmp_path):
    assert len(NAMES) == 35
    meeting = Meeting.objects.create(project=project, held_on=project.election_date)
    ballot_round = BallotRound.objects.create(
        meeting=meeting, number=1, purpose="committee", seats=5, names=NAMES, due=40, present=40
    )
    _, content = documents.ballot_pdf(ballot_round)
    path = tmp_path / "ballot.pdf"
    path.write_bytes(content)
    text = subprocess.run([_pdf_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True).stdout
    for name in NAMES:
        assert name in text
    assert "赞成" in text and "不赞成" in text and "弃权" in text and "另选他人" in text
    ordered = sort_by_stroke(NAMES)
    positions = [text.index(n) for n in ordered]
    assert positions == sorted(positions)  # printed in surname-stroke order
    pages = (
        subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout if shutil.which("pdfinfo") else ""
    )
    if pages:
        assert "Pages:           1" in pages  # one ballot, one page, even with 35 names
    fonts = subprocess.run([_pdf_tool("pdffonts"), str(path)], capture_output=True, text=True).stdout
    assert any(k in fonts for k in ("CJK", "Noto", "Source Han", "WenQuanYi", "Song", "Hei", "Ming")), fonts


def test_pages_of_the_flow_answer_for_the_township(project, users, members):
    client = client_for(users.ts_a)
    for name in ("project", "voters", "candidates", "meeting", "result"):
        response = client.get(f"/elections/projects/{project.pk}/{'' if name == 'project' else name + '/'}")
        assert response.status_code == 200, name
    board = client.get(f"/elections/township/{project.township_id}/")
    assert board.status_code == 200 and project.organization.name in board.content.decode()
    assert client.get(f"/elections/projects/{project.pk}/report.xlsx").status_code == 200


def test_a_step_without_documents_says_what_is_missing(project, users):
    client = client_for(users.ts_a)
    step = project.steps.get(template__number=3)
    response = client.post(f"/elections/steps/{step.pk}/done/", follow=True)
    assert "缺少必备材料" in response.content.decode()


def test_the_upload_form_starts_on_the_kind_the_step_still_needs(project, users):
    """Step 7 needs minutes, step 8 a request and a reply: each row's kind list opens on what is still missing (it
    opened on 请示 everywhere, so minutes uploaded without changing the list were filed as a request)."""
    client = client_for(users.ts_a)
    step8 = project.steps.get(template__number=8)
    workflow.document_upload(actor=users.ts_a, step=step8, kind="request", upload=pdf())
    page = client.get(f"/elections/projects/{project.pk}/").content.decode()
    numbers = dict(project.steps.values_list("pk", "template__number"))
    forms = re.findall(r'action="/elections/steps/(\d+)/upload/">(.*?)</form>', page, re.S)
    selected = {numbers[int(pk)]: re.findall(r'<option value="(\w+)" selected>', form) for pk, form in forms}
    assert (selected[3], selected[7], selected[8]) == (["other"], ["minutes"], ["reply"])
    assert selected[1] == []  # nothing required: the list keeps its first entry


def test_a_refused_candidate_shows_the_rule(project, users, members):
    from organizations.models import MemberStatus
    from tests.factories import MemberFactory

    m = MemberFactory(organization=project.organization, status=MemberStatus.PROBATIONARY)
    c = candidate_add(actor=users.sec_a1, project=project, member=m)
    candidate_review(actor=users.ts_a, candidate=c)
    page = client_for(users.ts_a).get(f"/elections/candidates/{c.pk}/").content.decode()
    assert "预备党员" in page and "第五条" in page and not rule_codes_shown(page)


def test_public_notice_open_only_while_it_runs(project, users, members):
    cands = _nominate(project, users, members["a1"])
    ids = [c.pk for c in cands]
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.INSPECTION, candidate_ids=ids)
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.FINAL, candidate_ids=ids)
    today = timezone.localdate()
    notice = notice_publish(actor=users.sec_a1, project=project, starts_on=today)
    anonymous = Client()
    page = anonymous.get(f"/public/elections/notices/{notice.pk}/")
    assert page.status_code == 200 and members["a1"][0].name in page.content.decode()
    notice.starts_on = notice.ends_on = today - timedelta(days=1)
    notice.save()
    assert anonymous.get(f"/public/elections/notices/{notice.pk}/").status_code == 404
