"""The township board's filter (?status=…): counts per status and the two cross-status views (待处理 for the
township's own work, 逾期), filtering, values that are not a filter (the whole list, never an error), scope as
before, and a query count that neither grows with the data nor with the filter.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grading.models import AssessmentStatus
from grading.selectors import board as sel
from tests.factories import UserFactory
from tests.grading.test_township_pages import a_of, campaign, grow, scored  # noqa: F401  (campaign: a fixture)
from tests.grading.test_workflow import fill_and_submit

S = AssessmentStatus
BUDGET = 15


@pytest.fixture
def board(campaign, users, tree, monkeypatch):  # noqa: F811
    """Township A with five organizations: 东风村 scored, the 中学党总支 submitted, the 第一党支部 and two more in
    draft; today is the day after the self-assessment deadline (the drafts are overdue, the township's review is not).
    """
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    scored(users.ts_a, fill_and_submit(users.sec_a1, a_of(campaign, tree.village_a1)), "0.8")
    fill_and_submit(admin, a_of(campaign, tree.general_a2))
    grow(campaign, users, tree, 2, "f")
    assert campaign.self_assessment_due + timedelta(days=1) <= campaign.township_review_due
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: campaign.self_assessment_due + timedelta(days=1))
    return reverse("grading:township_board", args=[campaign.pk, tree.township_a.pk])


def names(response) -> list[str]:
    return [r.assessment.organization.name for r in response.context["board"].rows]


def tabs(response) -> dict[str, int]:
    return {c.value: c.count for c in response.context["board"].filters}


ALL = ["东风村党支部", "东风镇中学党总支", "东风镇中学第一党支部", "测试f0", "测试f1"]


def test_counts_per_status_and_per_view(client, users, board):
    client.force_login(users.ts_a)
    response = client.get(board)
    assert response.status_code == 200 and names(response) == ALL
    assert tabs(response) == {"todo": 2, "overdue": 3, "draft": 3, "submitted": 1, "scored": 1}
    html = response.content.decode()
    assert 'href="?status=todo#gt-list"' in html and "待处理 <strong>2</strong>" in html
    assert 'href="?status=overdue#gt-list"' in html and "逾期 <strong>3</strong>" in html
    assert 'href="?#gt-list" aria-current="true">全部 <strong>5</strong>' in html


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("todo", ["东风村党支部", "东风镇中学党总支"]),
        ("overdue", ["东风镇中学第一党支部", "测试f0", "测试f1"]),
        ("draft", ["东风镇中学第一党支部", "测试f0", "测试f1"]),
        ("submitted", ["东风镇中学党总支"]),
        ("scored", ["东风村党支部"]),
        ("final", []),
    ],
)
def test_filter_shows_only_its_rows_and_keeps_every_count(client, users, board, status, expected):
    client.force_login(users.ts_a)
    response = client.get(board, {"status": status})
    assert response.status_code == 200 and names(response) == expected
    assert response.context["board"].status == status and response.context["status"] == status
    assert tabs(response)["todo"] == 2 and response.context["board"].total == 5  # the counts are of the whole list
    html = response.content.decode()
    assert f'href="?status={status}#gt-list" class="gt-f-{status}" aria-current="true"' in html or not expected
    if not expected:
        assert "查看全部" in html


def test_todo_rows_are_marked_and_only_scored_rows_can_be_picked(client, users, board, campaign, tree):  # noqa: F811
    client.force_login(users.ts_a)
    html = client.get(board, {"status": "todo"}).content.decode()
    assert html.count('class="gt-row gt-todo') == 2
    assert f'name="ids" value="{a_of(campaign, tree.village_a1).pk}"' in html
    assert html.count('name="ids"') == 1


@pytest.mark.parametrize(
    "value",
    ["bogus", "DRAFT", "draft ", "'; drop table", "逾期", "x" * 5000, "", "todo\x00"],
)
def test_a_value_that_is_no_filter_shows_the_whole_list(client, users, board, value):
    client.force_login(users.ts_a)
    response = client.get(board, {"status": value})
    assert response.status_code == 200 and names(response) == ALL
    assert response.context["board"].status == ""
    assert 'aria-current="true">全部' in response.content.decode()


def test_repeated_parameter_uses_one_value(client, users, board):
    client.force_login(users.ts_a)
    response = client.get(board + "?status=bogus&status=submitted")
    assert response.status_code == 200 and names(response) == ["东风镇中学党总支"]


def test_a_reader_who_may_not_score_has_no_todo_view(client, users, board):
    client.force_login(users.viewer_a)
    response = client.get(board, {"status": "todo"})
    assert response.status_code == 200 and names(response) == ALL and response.context["board"].status == ""
    assert "todo" not in tabs(response) and "待处理" not in response.content.decode()
    assert 'class="gt-row gt-todo' not in response.content.decode()
    assert names(client.get(board, {"status": "overdue"})) == ["东风镇中学第一党支部", "测试f0", "测试f1"]


@pytest.mark.parametrize("status", ["", "todo", "overdue", "scored", "bogus"])
@pytest.mark.parametrize(("who", "expected"), [("ts_b", 404), ("sec_a1", 404), ("liaison", 404), ("ts_a", 200)])
def test_scope_is_unchanged_by_the_filter(client, users, board, status, who, expected):
    client.force_login(getattr(users, who))
    assert client.get(board, {"status": status}).status_code == expected


def test_another_townships_board_is_404_with_any_filter(client, users, campaign, tree, board):  # noqa: F811
    client.force_login(users.ts_a)
    other = reverse("grading:township_board", args=[campaign.pk, tree.township_b.pk])
    assert client.get(other, {"status": "todo"}).status_code == 404
    assert client.get(other, {"status": "overdue"}).status_code == 404


def test_selector_validates_the_filter_itself(users, campaign, tree, board):  # noqa: F811
    for raw in (None, 3, ["todo"], "nope"):
        assert sel.board(users.ts_a, campaign, tree.township_a, status=raw).status == ""
    assert sel.board(users.viewer_a, campaign, tree.township_a, status="todo").status == ""
    assert sel.board(users.ts_a, campaign, tree.township_a, status="todo").status == "todo"


def count(client, url: str, status: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"status": status})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("status", ["", "todo", "overdue", "draft", "bogus"])
def test_query_count_is_constant_with_any_filter(client, users, campaign, tree, board, status):  # noqa: F811
    client.force_login(users.ts_a)
    small = count(client, board, status)
    grow(campaign, users, tree, 25, "g")
    large = count(client, board, status)
    assert large == small, f"?status={status}: {small} queries with 5 organizations, {large} with 30"
    assert large <= BUDGET, f"?status={status}: {large} queries, budget {BUDGET}"


# --- Notices on the board: 公示中 counts only notices open today; each batch has its own name ------------------


def test_a_batch_published_today_counts_as_awaiting_not_in_notice(client, users, tree, campaign, board):  # noqa: F811
    from grading.services.notices import notice_publish

    today = timezone.localdate()
    a = a_of(campaign, tree.village_a1)
    notice_publish(actor=users.ts_a, campaign=campaign, township=tree.township_a, assessments=[a], published_on=today)
    client.force_login(users.ts_a)
    response = client.get(board)
    counts = tabs(response)
    assert counts.get("in_notice", 0) == 0 and counts["awaiting_notice"] == 1
    assert names(client.get(board + "?status=awaiting_notice")) == ["东风村党支部"]
    assert names(client.get(board + "?status=in_notice")) == []
    # the next day the notice is open: now it is 公示中
    tomorrow = today + timedelta(days=1)
    import django.utils.timezone as tz

    tz.localdate = lambda *a, **k: tomorrow  # restored by monkeypatch in the board fixture
    counts = tabs(client.get(board))
    assert counts["in_notice"] == 1 and "awaiting_notice" not in counts


def test_each_batch_gets_its_own_default_title(users, tree, campaign, board):  # noqa: F811
    from grading.services.notices import notice_publish

    today = timezone.localdate()
    admin = UserFactory(username="root2", is_superuser=True, is_staff=True)
    second = scored(users.ts_a, a_of(campaign, tree.general_a2), "0.8")
    first = notice_publish(
        actor=users.ts_a,
        campaign=campaign,
        township=tree.township_a,
        assessments=[a_of(campaign, tree.village_a1)],
        published_on=today,
    )
    other = notice_publish(
        actor=admin, campaign=campaign, township=tree.township_a, assessments=[second], published_on=today
    )
    assert first.title != other.title
    assert "第1批" in first.title and "第2批" in other.title and f"{today.month}月{today.day}日" in other.title
