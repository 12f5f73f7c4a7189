"""The 资格联审 page (Q1/Q2, 第五篇 五(四)15) and the “两委” posts page and summary (T1–T4, 第五篇 四): what the
township and the district do by posting the forms, the matrix's query count, the xlsx/PDF, out-of-scope answers."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from elections.models import CandidateStatus, CommitteePosts, JointReviewOpinion
from elections.rules.joint_review import DEPARTMENTS
from elections.services.candidates import candidate_add, eligibility_record
from organizations.models import Position, Post
from organizations.services.committee import position_assign, term_create
from tests.elections.conftest import joint_review_clear

pytestmark = pytest.mark.django_db


def page(client, project):
    return reverse("elections:joint_review", args=[project.pk])


def version_of(response) -> str:
    return response.context["opinion_form"]["record_version"].value()


def test_the_township_records_a_batch_and_a_refusal_on_the_page(client, users, nominated):
    """Q1: one post records 14 departments × 4 candidates; a 不同意 for one candidate is shown with its reason."""
    project, cands = nominated
    client.force_login(users.ts_a)
    url = page(client, project)
    r = client.get(url)
    assert r.status_code == 200 and "录入部门意见" in r.content.decode()
    r = client.post(
        url,
        {
            "action": "opinions",
            "departments": list(DEPARTMENTS)[:-1],
            "candidates": [c.pk for c in cands],
            "opinion": "agree",
            "given_on": timezone.localdate().isoformat(),
            "reviewer": "赵审核",
            "record_version": version_of(r),
        },
    )
    assert r.status_code == 302 and JointReviewOpinion.objects.count() == 13 * 4
    r = client.get(url)
    r = client.post(
        url,
        {
            "action": "opinions",
            "departments": ["ethnic_religious"],
            "candidates": [cands[0].pk],
            "opinion": "disagree",
            "reason": "参与非法宗教活动",
            "given_on": timezone.localdate().isoformat(),
            "reviewer": "钱审核",
            "record_version": version_of(r),
        },
    )
    assert r.status_code == 302
    cands[0].refresh_from_db()
    assert cands[0].status == CandidateStatus.REFUSED
    text = client.get(url).content.decode()
    assert "民宗局不同意:参与非法宗教活动" in text and "联审未通过" in text
    # the candidates' page shows the same reason among the candidate's findings
    text = client.get(reverse("elections:candidates", args=[project.pk])).content.decode()
    assert "民宗局不同意:参与非法宗教活动" in text


def test_a_disagreement_without_reason_keeps_what_was_typed(client, users, nominated):
    project, cands = nominated
    client.force_login(users.ts_a)
    url = page(client, project)
    r = client.get(url)
    r = client.post(
        url,
        {
            "action": "opinions",
            "departments": ["court"],
            "candidates": [cands[0].pk],
            "opinion": "disagree",
            "given_on": timezone.localdate().isoformat(),
            "reviewer": "孙审核",
            "record_version": version_of(r),
        },
    )
    text = r.content.decode()
    assert r.status_code == 200 and "法院不同意的,须填写理由" in text and 'value="孙审核"' in text
    assert not JointReviewOpinion.objects.exists()


def test_a_save_from_an_older_page_is_refused(client, users, nominated):
    """Two clerks: the second saves from a page loaded before the first's save → refused, nothing overwritten."""
    project, cands = nominated
    client.force_login(users.ts_a)
    url = page(client, project)
    old = version_of(client.get(url))
    data = {
        "action": "opinions",
        "departments": ["court"],
        "candidates": [cands[0].pk],
        "opinion": "agree",
        "given_on": timezone.localdate().isoformat(),
        "reviewer": "周审核",
    }
    assert client.post(url, data | {"record_version": old}).status_code == 302
    r = client.post(url, data | {"record_version": old, "departments": ["justice"]})
    assert r.status_code == 200 and "已被他人修改" in r.content.decode()
    assert not JointReviewOpinion.objects.filter(department="justice").exists()


def test_the_district_rereviews_on_the_page_and_the_township_cannot(client, users, nominated):
    """Q2: the re-review form is the district's; the township gets no control and a 403 if it posts."""
    project, cands = nominated
    client.force_login(users.ts_a)
    url = page(client, project)
    r = client.get(url)
    client.post(
        url,
        {
            "action": "opinions",
            "departments": list(DEPARTMENTS),
            "candidates": [c.pk for c in cands],
            "opinion": "agree",
            "given_on": timezone.localdate().isoformat(),
            "reviewer": "吴审核",
            "record_version": version_of(r),
        },
    )
    assert "保存复审意见" not in client.get(url).content.decode()
    data = {"action": "rereview", "candidates": [cands[0].pk], "opinion": "agree"}
    data["reviewed_on"] = timezone.localdate().isoformat()
    assert client.post(url, data).status_code == 403
    client.force_login(users.ds)
    r = client.get(url)
    assert "保存复审意见" in r.content.decode()
    data["record_version"] = r.context["rereview_form"]["record_version"].value()
    data["candidates"] = [c.pk for c in cands]
    assert client.post(url, data).status_code == 302
    assert client.get(url).context["cleared"] == 4


def test_the_matrix_page_query_count_does_not_grow_with_candidates(client, users, nominated, members):
    """The page reads the matrix in a fixed number of queries (3 for it, whatever the candidates)."""
    project, cands = nominated
    client.force_login(users.ts_a)
    url = page(client, project)
    joint_review_clear(users, project)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for m in members["a1"][4:8]:
        c = candidate_add(actor=users.sec_a1, project=project, member=m)
        eligibility_record(actor=users.ts_a, candidate=c, department="县纪委监委", results={"barring:1": True})
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)


def test_the_matrix_as_xlsx_and_pdf(client, users, nominated):
    project, cands = nominated
    joint_review_clear(users, project)
    client.force_login(users.ts_a)
    r = client.get(reverse("elections:joint_review_xlsx", args=[project.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["姓名", "拟任职务", "纪委监委"] and headers[-2:] == ["复审", "联审结论"]
    assert sheet.max_row == 5 and sheet.cell(2, len(headers)).value == "联审通过"
    r = client.get(reverse("elections:joint_review_pdf", args=[project.pk]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_out_of_scope_is_404(client, users, nominated):
    project, _ = nominated
    client.force_login(users.ts_b)
    assert client.get(page(client, project)).status_code == 404
    assert client.get(reverse("elections:committee_posts", args=[project.pk])).status_code == 404


@pytest.fixture
def elected(nominated, users, members, tree):
    """The project with an approved result: a new committee of three (the secretary and two members)."""
    project, _ = nominated
    village = members["a1"]
    term = term_create(actor=users.ts_a, organization=tree.village_a1, elected_on=timezone.localdate(), seats=3)
    for m, post in (
        (village[0], Post.SECRETARY),
        (village[1], Post.COMMITTEE_MEMBER),
        (village[2], Post.COMMITTEE_MEMBER),
    ):
        position_assign(
            actor=users.ts_a, organization=tree.village_a1, member=m, post=post, started_on=timezone.localdate(),
            term=term,
        )  # fmt: skip
    project.new_term = term
    project.save(update_fields=["new_term"])
    return project, village


def test_posts_are_recorded_and_counted_in_the_district_summary(client, users, elected):
    """T1–T4: the township records 一肩挑 and two cross-holders; the district's summary shows them per township, in
    the page, the xlsx and the PDF."""
    project, village = elected
    client.force_login(users.ts_a)
    url = reverse("elections:committee_posts", args=[project.pk])
    assert "妇联主席进入“两委”班子" in client.get(url).content.decode()
    data = {
        "villagers_committee_size": 5,
        "secretary_is_director": "on",
        "cross_members": [village[0].pk, village[1].pk],
        "women_chair_joined": "on",
        "women_chair_name": "李妇联",
    }
    assert client.post(url, data).status_code == 302
    posts = CommitteePosts.objects.get(project=project)
    assert posts.secretary_is_director and posts.cross_members.count() == 2
    text = client.get(url).content.decode()
    assert "交叉任职2/3人(66.7%)" in text  # the T2 warning
    from elections.selectors.posts import posts_summary

    with CaptureQueriesContext(connection) as queries:
        posts_summary(users.ds)
    assert len(queries) <= 3  # the grants, the records with their counts, the committees' sizes: not one per row
    client.force_login(users.ds)
    text = client.get(reverse("elections:overview")).content.decode()
    assert "“两委”班子任职情况" in text and "2/3人(66.7%)" in text and "1个(100.0%)" in text
    r = client.get(reverse("elections:posts_summary_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[-1][:7] == ["合计", 1, 1, 100, 3, 2, 66.7]
    assert client.get(reverse("elections:posts_summary_pdf")).content.startswith(b"%PDF")


def test_posts_refused_before_the_result_and_in_chinese(client, users, nominated, elected):
    project, village = elected
    client.force_login(users.ts_a)
    url = reverse("elections:committee_posts", args=[project.pk])
    r = client.post(url, {"villagers_committee_size": 8, "cross_members": [village[0].pk]})
    assert r.status_code == 200 and "村民委员会由主任、副主任和委员共3至7人组成" in r.content.decode()
    r = client.post(url, {"villagers_committee_size": 5, "secretary_is_director": "on"})
    assert "书记也是交叉任职的成员" in r.content.decode()
    client.force_login(users.sec_a1)
    assert client.post(url, {"villagers_committee_size": 5}).status_code == 403
    assert not CommitteePosts.objects.exists()
    Position.objects.filter(term=project.new_term).delete()
    client.force_login(users.ts_a)
    assert "选举结果批复后" in client.get(url).content.decode()
