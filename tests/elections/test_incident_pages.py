"""The pages of 第五篇 六: the confirmation pages of 取消候选人资格 and 宣布当选无效 (who may open them, what they say,
the decision through the form with its scan), and where a decision shows: the public candidate notice, the project
page, the result page and the organization page's election panel."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from elections.models import CandidateStatus, Sanction
from tests.elections.conftest import PDF
from tests.elections.test_annulment import approved, at_congress  # noqa: F401 (fixtures)
from tests.elections.test_pages import client_for

pytestmark = pytest.mark.django_db

DECISION = {
    "ground": "bribery",
    "reason": "查实其亲属向选民发放现金",
    "body": "township",
    "decided_by_name": "镇党委书记",
    "document_number": "镇党委〔2026〕7号",
}


def test_disqualify_page_confirms_then_records_and_the_public_notice_says_so(at_congress, users, members):  # noqa: F811
    candidate = at_congress.candidates.get(member=members["a1"][3], post="committee")
    url = f"/elections/candidates/{candidate.pk}/disqualify/"
    assert client_for(users.sec_a1).get(url).status_code == 403  # the branch may not decide
    assert client_for(users.ts_b).get(url).status_code == 404  # out of scope
    client = client_for(users.ts_a)
    page = client.get(url).content.decode()
    assert "确认取消" in page and "不再出现在候选人名单和以后的任何选票上" in page and "此操作不能撤销" in page
    assert url in client.get(f"/elections/candidates/{candidate.pk}/").content.decode()  # linked from the candidate
    refused = client.post(url, {**DECISION, "document_number": "", "decided_on": timezone.localdate()})
    assert refused.status_code == 200 and 'class="errorlist' in refused.content.decode()
    assert "查实其亲属向选民发放现金" in refused.content.decode()  # what was typed stays
    assert not Sanction.objects.exists()
    scan = SimpleUploadedFile("决定.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {**DECISION, "decided_on": timezone.localdate(), "file": scan})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.DISQUALIFIED
    sanction = Sanction.objects.get(candidate=candidate)
    assert client.get(f"/elections/sanctions/{sanction.pk}/file/").status_code == 200
    public = Client().get(f"/public/elections/notices/{at_congress.notice.pk}/").content.decode()
    assert f"取消{candidate.name}的候选人资格" in public and "镇党委〔2026〕7号" in public
    assert f"<td>{candidate.name}</td>" not in public  # off the list
    assert "镇党委〔2026〕7号" in client.get(f"/elections/projects/{at_congress.pk}/").content.decode()


def test_annul_page_is_the_managers_and_the_annulment_shows_where_the_committee_shows(approved, users, members, tree):  # noqa: F811
    name = members["a1"][2].name
    url = f"/elections/projects/{approved.pk}/annul/"
    assert client_for(users.sec_a1).get(url).status_code == 403
    assert client_for(users.viewer_a).get(url).status_code == 403
    client = client_for(users.ds)
    page = client.get(f"{url}?name={name}").content.decode()
    assert (
        "确认宣布当选无效" in page and "空缺名额须在党员大会上另行选举" in page and f'value="{name}" selected' in page
    )
    response = client.post(url, {**DECISION, "name": name, "body": "district", "decided_on": timezone.localdate()})
    assert response.status_code == 302 and response["Location"].endswith(f"/elections/projects/{approved.pk}/meeting/")
    meeting = client.get(response["Location"]).content.decode()
    assert "空缺1名" in meeting
    result = client.get(f"/elections/projects/{approved.pk}/result/").content.decode()
    assert f"<strong>{name}</strong>的当选经区委组织部决定宣布无效" in result and "批复同意" in result
    org_page = client.get(f"/orgs/{tree.village_a1.pk}/").content.decode()
    assert "当选无效" in org_page and name in org_page and "镇党委〔2026〕7号" in org_page
