"""District review pages (issue 3 item 4 and 6): overview with the SVG chart and 倒排, review queue with single and
batch approval, objections inside/outside the window and their resolution, consequences; the role × scope matrix."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading import events
from grading.models import Assessment, AssessmentStatus, GradeRecord, Objection
from grading.services import campaigns as services
from grading.services.notices import notice_publish
from grading.services.objections import objection_raise
from grading.services.workflow import Action, catch_up, transition
from organizations.models import OrgKind
from organizations.roles import Role
from tests.calendar_support import seed_test_calendar
from tests.grading.test_workflow import assessment_of, fill_and_submit, score

# The 2026 campaign's windows (objections, the 10 December year-end), seen from the day these tests were written.
pytestmark = pytest.mark.usefixtures("written_on")

S = AssessmentStatus
PDF = b"%PDF-1.4\n%test\n"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def campaign(users, tree):
    seed_test_calendar(2026)
    return services.campaign_open(actor=users.ds, campaign=services.campaign_create(actor=users.ds, year=2026))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sec_all(users, tree):
    """A secretary role at the district root: may fill in 附件1–3 of every organization (test shortcut)."""
    from organizations.services.grants import role_grant
    from tests.factories import UserFactory

    user = UserFactory(username="sec_all")
    role_grant(actor=None, user=user, organization=tree.district, role=Role.BRANCH_SECRETARY)
    return user


def to_district(campaign, users, sec, orgs, shares, *, published_on=date(2026, 4, 5)) -> list[Assessment]:
    """Drive organizations (published per township) to with_district through the services."""
    from organizations.models import Organization

    by_town: dict[str, list[Assessment]] = {}
    for org, share in zip(orgs, shares, strict=True):
        staff = users.ts_a if org.path.startswith(users_township(users, "T01").path) else users.ts_b
        a = fill_and_submit(sec, assessment_of(campaign, org))
        a = transition(actor=staff, assessment=score(staff, a, Decimal(share)), action=Action.SCORE)
        by_town.setdefault(org.township_path(), []).append(a)
    out = []
    for path, items in by_town.items():
        township = Organization.objects.get(path=path)
        staff = users.ts_a if township.code == "T01" else users.ts_b
        notice_publish(
            actor=staff,
            campaign=campaign,
            township=township,
            assessments=items,
            published_on=published_on,
            cap_reason="测试",
        )
        catch_up(today=published_on + timedelta(days=10))
        for a in items:
            fresh = assessment_of(campaign, a.organization)
            out.append(transition(actor=staff, assessment=fresh, action=Action.SUBMIT_TO_DISTRICT))
    return out


def users_township(users, code: str):
    from organizations.models import Organization

    return Organization.objects.get(code=code)


def approved(campaign, users, sec, org, share="0.85", *, on=date(2026, 4, 21)) -> Assessment:
    (a,) = to_district(campaign, users, sec, [org], [share])
    return transition(actor=users.ds, assessment=a, action=Action.APPROVE, today=on)


# --- Role × scope matrix --------------------------------------------------------------------------------------


def district_urls(campaign) -> list[str]:
    pk = campaign.pk
    names = ["district_overview", "district_review", "district_objections", "district_consequences"]
    names += ["district_regrade", "district_yearend"]
    return [reverse(f"grading:{n}", args=[pk]) for n in names] + [reverse("grading:district_current")]


@pytest.mark.parametrize("who", ["ts_a", "ts_b", "sec_a1", "liaison", "viewer_a", "nobody"])
def test_district_pages_403_for_everyone_else(campaign, users, who) -> None:
    c = client_for(getattr(users, who))
    for url in district_urls(campaign):
        assert c.get(url).status_code == 403, url
        assert c.post(url, {"township": "1", "assessment": "1"}).status_code == 403, url


def test_district_pages_for_district_staff_and_anonymous(campaign, users) -> None:
    c = client_for(users.ds)
    for url in district_urls(campaign):
        response = c.get(url, follow=True)
        assert response.status_code == 200, url
    for url in district_urls(campaign):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert c.get(reverse("grading:district_overview", args=[campaign.pk + 99])).status_code == 404


def test_current_redirects_to_open_campaign_or_offers_creation(users, tree) -> None:
    c = client_for(users.ds)
    page = c.get(reverse("grading:district_current"))
    assert page.status_code == 200 and reverse("grading:campaign_list") in page.content.decode()
    assert reverse("grading:district_current") in c.get(reverse("organizations:district_overview")).content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("ts_a", 200), ("sec_a1", 200), ("ds", 403), ("viewer_a", 403), ("ts_b", 404), ("sec_b1", 404), ("nobody", 404)],
)
def test_objection_form_matrix(campaign, users, tree, sec_all, who, status) -> None:
    a = approved(campaign, users, sec_all, tree.village_a1, on=date(2026, 11, 27))
    url = reverse("grading:assessment_object", args=[a.pk])
    assert client_for(getattr(users, who)).get(url).status_code == status
    if who == "ts_a":
        anon = Client().get(url)
        assert anon.status_code == 302 and anon["Location"].startswith(reverse("login"))


# --- Overview ---------------------------------------------------------------------------------------------------


def test_overview_shows_svg_chart_distribution_and_bottom_first(campaign, users, tree, sec_all) -> None:
    rows = to_district(
        campaign,
        users,
        sec_all,
        [tree.village_a1, tree.general_a2, tree.branch_a21, tree.community_b1],
        ["0.95", "0.91", "0.7", "0.5"],
    )
    transition(actor=users.ds, assessment=rows[0], action=Action.APPROVE, today=date(2026, 11, 27))
    html = client_for(users.ds).get(reverse("grading:district_overview", args=[campaign.pk])).content.decode()
    assert "<svg" in html and 'class="gd-chart"' in html and "<rect" in html
    assert "style=" not in html and "<script>" not in html
    assert "东风镇党委" in html and "城关街道党工委" in html
    # 倒排: within 好 the lowest score comes first (91 before 95)
    good = html.index("<h3>好</h3>")
    assert html.index("东风镇中学党总支", good) < html.index("东风村党支部", good)
    assert "第2/2名" in html


def grow(tree, campaign, n: int) -> None:
    """n more townships each with two graded branches, half of the assessments approved with grades."""
    from grading.services.assessments import assessments_ensure
    from organizations.services.tree import organization_create

    for i in range(n):
        town = organization_create(
            actor=None,
            parent=tree.district,
            code=f"X{n}{i:02d}",
            name=f"测试镇{i}",
            kind=OrgKind.COMMITTEE,
            check_permission=False,
        )
        for j in range(2):
            organization_create(
                actor=None,
                parent=town,
                code=f"X{n}{i:02d}-{j}",
                name=f"测试村{i}-{j}",
                kind=OrgKind.BRANCH,
                field="rural",
                check_permission=False,
            )
    assessments_ensure(campaign)
    for k, a in enumerate(Assessment.objects.filter(campaign=campaign, organization__code__startswith="X")):
        Assessment.objects.filter(pk=a.pk).update(
            status=S.FINAL if k % 2 else S.WITH_DISTRICT,
            township_score=Decimal(60 + k % 40),
            final_score=Decimal(60 + k % 40),
            township_grade="average",
            district_grade="average",
            final_grade="average" if k % 2 else "",
        )


def test_overview_query_count_is_constant(campaign, users, tree) -> None:
    c = client_for(users.ds)
    url = reverse("grading:district_overview", args=[campaign.pk])
    counts = []
    for n in (2, 12):
        grow(tree, campaign, n)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] and counts[1] <= 15, counts


# --- Review queue -------------------------------------------------------------------------------------------


def test_review_approve_with_and_without_reason(campaign, users, tree, sec_all) -> None:
    a, b = to_district(campaign, users, sec_all, [tree.village_a1, tree.general_a2], ["0.85", "0.85"])
    c = client_for(users.ds)
    url = reverse("grading:district_review", args=[campaign.pk])
    page = c.get(url).content.decode()
    assert "东风村党支部" in page and "全部按初定等次审定(2个)" in page and "异议截止日期为" in page
    # changing the grade without a reason is refused and the typed input is kept
    response = c.post(url, {"assessment": a.pk, f"a{a.pk}-grade": "good", f"a{a.pk}-note": ""})
    assert response.status_code == 200 and "须写明调整理由" in response.content.decode()
    assert 'value="good" selected' in response.content.decode()
    assert Assessment.objects.get(pk=a.pk).status == S.WITH_DISTRICT
    # township A grades 3 organizations: 20% allows no 好, so raising one needs the cap's reason too (C5)
    data = {"assessment": a.pk, f"a{a.pk}-grade": "good", f"a{a.pk}-note": "实地考察表现突出"}
    response = c.post(url, {**data, f"a{a.pk}-cap_reason": "经部务会研究"}, follow=True)
    a.refresh_from_db()
    assert a.status == S.APPROVED and a.district_grade == "good" and a.district_adjust_reason == "实地考察表现突出"
    assert f"异议期至{a.objection_due:%Y-%m-%d}" in response.content.decode()
    # the township's grade needs no reason
    c.post(url, {"assessment": b.pk, f"a{b.pk}-grade": "fairly_good", f"a{b.pk}-note": ""})
    b.refresh_from_db()
    assert b.status == S.APPROVED and b.district_grade == "fairly_good" and b.district_adjust_reason == ""
    assert GradeRecord.objects.filter(assessment=b, stage="区委组织部审定").exists()


def test_batch_approve_one_township(campaign, users, tree, sec_all) -> None:
    rows = to_district(
        campaign, users, sec_all, [tree.village_a1, tree.general_a2, tree.community_b1], ["0.85", "0.65", "0.9"]
    )
    response = client_for(users.ds).post(
        reverse("grading:district_review", args=[campaign.pk]), {"township": tree.township_a.pk}, follow=True
    )
    assert "2个党组织按乡镇初定等次审定" in response.content.decode()
    statuses = {a.organization.code: Assessment.objects.get(pk=a.pk) for a in rows}
    assert statuses["T01-001"].status == S.APPROVED and statuses["T01-001"].district_grade == "fairly_good"
    assert statuses["T01-002"].status == S.APPROVED and statuses["T01-002"].district_grade == "average"
    assert statuses["T01-001"].objection_due is not None
    assert statuses["T02-001"].status == S.WITH_DISTRICT


def test_missing_calendar_is_a_clear_message_and_approval_goes_on_with_a_provisional_deadline(
    campaign, users, tree, sec_all, monkeypatch
) -> None:
    """D3: the page names the year to enter and links to the calendar; the batch is approved with a 暂定 deadline."""
    from django.utils import timezone

    (a,) = to_district(campaign, users, sec_all, [tree.village_a1], ["0.85"])
    missing = timezone.localdate().year + 3  # the test calendar covers last, this and next year only
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(missing, 4, 20))
    c = client_for(users.ds)
    url = reverse("grading:district_review", args=[campaign.pk])
    page = c.get(url).content.decode()
    assert f"{missing}年的法定节假日" in page and reverse("core:calendar") in page and "暂定" in page
    response = c.post(url, {"township": tree.township_a.pk}, follow=True)
    assert "暂定" in response.content.decode()
    a.refresh_from_db()
    assert a.status == S.APPROVED and a.objection_due_provisional


# --- Objections ----------------------------------------------------------------------------------------------


def test_objection_inside_window_with_evidence_then_upheld(
    campaign,
    users,
    tree,
    sec_all,
    media,
    django_capture_on_commit_callbacks,
) -> None:
    finalized: list[int] = []
    events.on_grade_finalized(finalized.append)
    a = approved(campaign, users, sec_all, tree.village_a1, "0.55", on=date(2026, 11, 27))
    assert a.district_grade == "poor"
    c = client_for(users.sec_a1)
    url = reverse("grading:assessment_object", args=[a.pk])
    bad = c.post(url, {"content": "扣分有误", "evidence": SimpleUploadedFile("x.exe", b"MZ")})
    assert "格式不支持" in bad.content.decode() and "扣分有误" in bad.content.decode()
    ok = c.post(url, {"content": "扣分有误", "evidence": SimpleUploadedFile("材料.pdf", PDF)}, follow=True)
    assert "已对东风村党支部" in ok.content.decode()
    objection = Objection.objects.get(assessment=a, stage="district")
    assert objection.evidence.name.endswith(".pdf") and objection.content == "扣分有误"

    ds = client_for(users.ds)
    board = reverse("grading:district_objections", args=[campaign.pk])
    assert "扣分有误" in ds.get(board).content.decode()
    assert ds.get(reverse("grading:file_download", args=["objection", objection.pk])).status_code == 200
    assert (
        client_for(users.ts_b).get(reverse("grading:file_download", args=["objection", objection.pk])).status_code
        == 404
    )
    missing = ds.post(board, {"assessment": a.pk, f"r{a.pk}-outcome": "upheld", f"r{a.pk}-opinion": "复核"})
    assert "须选择调整后的等次" in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ds.post(
            board,
            {
                "assessment": a.pk,
                f"r{a.pk}-outcome": "upheld",
                f"r{a.pk}-grade": "average",
                f"r{a.pk}-opinion": "复核后调整",
            },
        )
    a.refresh_from_db()
    assert a.status == S.FINAL and a.final_grade == "average" and finalized == [a.pk]
    assert GradeRecord.objects.filter(assessment=a, stage="异议复核定级", grade="average").exists()
    assert Objection.objects.get(pk=objection.pk).outcome == "upheld"


def test_objection_rejected_keeps_grade(campaign, users, tree, sec_all, django_capture_on_commit_callbacks) -> None:
    finalized: list[int] = []
    events.on_grade_finalized(finalized.append)
    a = approved(campaign, users, sec_all, tree.village_a1, "0.55", on=date(2026, 4, 21))
    objection_raise(actor=users.ts_a, assessment=a, content="有异议", today=date(2026, 4, 22))
    ds = client_for(users.ds)
    board = reverse("grading:district_objections", args=[campaign.pk])
    no_opinion = ds.post(board, {"assessment": a.pk, f"r{a.pk}-outcome": "rejected", f"r{a.pk}-opinion": ""})
    assert no_opinion.status_code == 200 and Assessment.objects.get(pk=a.pk).status == S.OBJECTED
    with django_capture_on_commit_callbacks(execute=True):
        ds.post(board, {"assessment": a.pk, f"r{a.pk}-outcome": "rejected", f"r{a.pk}-opinion": "经复核维持"})
    a.refresh_from_db()
    assert a.status == S.FINAL and a.final_grade == "poor" and not a.secretary_promotable_next_year
    assert finalized == [a.pk]
    assert GradeRecord.objects.filter(assessment=a, stage="异议复核定级", grade="poor").exists()
    page = client_for(users.ds).get(reverse("grading:district_consequences", args=[campaign.pk])).content.decode()
    assert "东风村党支部" in page and "书记下年度不得提拔" in page and "班子考核最高“称职”" in page


def test_objection_outside_window_refused(campaign, users, tree, sec_all) -> None:
    a = approved(campaign, users, sec_all, tree.village_a1, on=date(2026, 4, 21))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="异议期"):
        objection_raise(actor=users.sec_a1, assessment=a, content="晚了", today=date(2026, 6, 1))
    # the page shows the window as passed (final by the clock) and offers no form, writing nothing (issue 15 §5)
    page = client_for(users.sec_a1).get(reverse("grading:assessment_object", args=[a.pk])).content.decode()
    assert "提出异议</button>" not in page and S.FINAL.label in page
    assert Assessment.objects.get(pk=a.pk).status == S.APPROVED
    # the sweep (or the next transition) writes what the page read
    assert catch_up() == 1 and Assessment.objects.get(pk=a.pk).status == S.FINAL
    assert not Objection.objects.filter(assessment=a, stage="district").exists()


def test_objection_upload_too_big(campaign, users, tree, sec_all, media) -> None:
    a = approved(campaign, users, sec_all, tree.village_a1, on=date(2026, 11, 27))
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    response = client_for(users.ts_a).post(
        reverse("grading:assessment_object", args=[a.pk]), {"content": "太大", "evidence": big}
    )
    assert "超过10MB" in response.content.decode()
    assert Assessment.objects.get(pk=a.pk).status == S.APPROVED


def test_approving_one_when_next_year_is_missing_gives_a_provisional_deadline(
    campaign, users, tree, sec_all, monkeypatch
) -> None:
    """Late December: 7 working days cross into a year the calendar lacks. Never a 500: the approval goes through
    with the reason typed, the deadline counted on Monday–Friday weeks and marked 暂定 (D3)."""
    from django.utils import timezone

    (a,) = to_district(campaign, users, sec_all, [tree.village_a1], ["0.85"])
    last_covered = timezone.localdate().year + 1  # the test calendar covers last, this and next year only
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(last_covered, 12, 28))
    c = client_for(users.ds)
    url = reverse("grading:district_review", args=[campaign.pk])
    page = c.get(url).content.decode()
    assert f"{last_covered + 1}年的法定节假日" in page and "节假日与调休" in page
    data = {"assessment": a.pk, f"a{a.pk}-grade": "average", f"a{a.pk}-note": "我写的调整理由"}
    response = c.post(url, data, follow=True)
    assert response.status_code == 200 and "暂定" in response.content.decode()
    a.refresh_from_db()
    assert a.status == S.APPROVED and a.district_adjust_reason == "我写的调整理由" and a.objection_due_provisional
