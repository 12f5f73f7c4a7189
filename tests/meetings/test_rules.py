"""The rhythm of organizational life (M1–M8, 支部条例 Arts. 11–18), the record's window (M9) and the 党章 Art. 9
signal (M10): pure tests, no database."""

from __future__ import annotations

from datetime import date

import pytest

from meetings.rules import frequency as f
from meetings.rules import records as r

BRANCH = f.OrgFacts(kind="branch", full_members=12, has_groups=True)
SMALL = f.OrgFacts(kind="branch", full_members=6, has_groups=False)
COMMITTEE = f.OrgFacts(kind="committee", full_members=120, has_groups=False)


@pytest.mark.parametrize(
    ("kind", "rhythm", "times", "article"),
    [
        ("general_assembly", "quarterly", 1, "第十一条"),  # M1
        ("committee", "monthly", 1, "第十二条"),  # M2
        ("group", "monthly", 1, "第十三条"),  # M3
        ("lecture", "quarterly", 1, "第十五条"),  # M4
        ("theme_day", "monthly", 1, "第十六条"),  # M5
        ("life_meeting", "yearly", 1, "第十七条"),  # M6
        ("member_review", "yearly", 1, "第十八条"),  # M7
    ],
)
def test_the_defaults_are_the_regulations_and_name_their_article(kind, rhythm, times, article) -> None:
    req = f.default_requirements()[kind]
    assert (req.rhythm, req.times, req.active) == (rhythm, times, True)
    assert article in f.type_info(kind).source


def test_leadership_life_meeting_is_yearly_for_a_party_committee_only() -> None:  # M8
    assert f.default_requirements()["leadership_life"].rhythm == "yearly"
    assert f.applies("leadership_life", COMMITTEE)
    assert not f.applies("leadership_life", BRANCH)


def test_a_committee_meeting_is_required_from_seven_full_members() -> None:  # M2 with 支部条例 Art. 20
    assert f.applies("committee", f.OrgFacts("branch", 7, False))
    assert not f.applies("committee", f.OrgFacts("branch", 6, False))


def test_group_meetings_only_with_party_groups_and_a_party_group_holds_none() -> None:  # M3
    assert f.applies("group", BRANCH) and not f.applies("group", SMALL)
    assert not f.applies("general_assembly", f.OrgFacts("party_group", 5, False))


def test_periods_of_each_rhythm() -> None:
    assert len(f.periods("monthly")) == 12 and f.periods("monthly")[1].label == "2月"
    quarters = f.periods("quarterly")
    assert [(p.first_month, p.last_month) for p in quarters] == [(1, 3), (4, 6), (7, 9), (10, 12)]
    assert quarters[2].label == "第三季度"
    assert f.periods("yearly")[0].label == "全年"
    assert f.period_of("quarterly", 6).index == 2
    assert f.periods("quarterly")[0].last_day(2024) == date(2024, 3, 31)
    assert f.periods("monthly")[1].last_day(2024) == date(2024, 2, 29)  # leap year
    with pytest.raises(ValueError):
        f.period_of("monthly", 13)


def test_period_status_on_each_side_of_its_last_day() -> None:
    last = date(2026, 3, 31)
    assert f.period_status(1, 1, last_day=last, today=date(2026, 3, 31)) == f.CellStatus.HELD
    assert f.period_status(0, 1, last_day=last, today=date(2026, 3, 31)) == f.CellStatus.NOT_DUE
    assert f.period_status(0, 1, last_day=last, today=date(2026, 4, 1)) == f.CellStatus.MISSED
    assert f.period_status(1, 2, last_day=last, today=date(2026, 4, 1)) == f.CellStatus.MISSED  # 2 required


def test_monthly_compliance_counts_held_missed_and_not_yet_due() -> None:
    req = f.default_requirements()["committee"]
    counts = {1: 1, 2: 2, 4: 1}  # March missed; May running
    row = f.kind_compliance(req, counts, year=2026, today=date(2026, 5, 10))
    statuses = [c.status for c in row.cells]
    assert statuses[:5] == ["held", "held", "missed", "held", "not_due"]
    assert row.held == 4 and row.met == 3 and row.periods_due == 4 and row.due == 4
    assert row.missed == ("3月",) and not row.ok


def test_a_quarterly_meeting_in_any_month_of_the_quarter_meets_it() -> None:
    req = f.default_requirements()["general_assembly"]
    row = f.kind_compliance(req, {2: 1, 9: 1}, year=2026, today=date(2026, 12, 31))
    assert row.missed == ("第二季度",)  # Q4 still runs on 12-31
    assert f.kind_compliance(req, {2: 1, 9: 1}, year=2026, today=date(2027, 1, 1)).missed == ("第二季度", "第四季度")
    assert [c.status for c in row.cells][:3] == ["held"] * 3


def test_not_required_and_established_mid_year() -> None:
    req = f.default_requirements()["committee"]
    row = f.kind_compliance(req, {}, year=2026, today=date(2026, 12, 31), required=False)
    assert row.missed == () and not row.required and row.cells[0].status == "not_required"
    since = f.kind_compliance(req, {}, year=2026, today=date(2026, 7, 1), since=date(2026, 4, 15))
    assert since.missed == ("4月", "5月", "6月")  # January–March are before it existed


def test_a_district_adjustment_replaces_the_default() -> None:
    off = f.Requirement("theme_day", "monthly", 1, active=False)
    assert f.kind_compliance(off, {}, year=2026, today=date(2026, 12, 31)).missed == ()
    twice = f.Requirement("lecture", "quarterly", 2)
    assert f.kind_compliance(twice, {1: 1}, year=2026, today=date(2026, 4, 1)).missed == ("第一季度",)


def test_a_reminder_is_due_before_a_short_period_closes() -> None:
    req = f.default_requirements()["committee"]
    assert f.closing_soon(req, 0, year=2026, today=date(2026, 3, 25), days=7).label == "3月"
    assert f.closing_soon(req, 0, year=2026, today=date(2026, 3, 23), days=7) is None  # 8 days left
    assert f.closing_soon(req, 1, year=2026, today=date(2026, 3, 25), days=7) is None  # held
    off = f.Requirement("committee", "monthly", 1, False)
    assert f.closing_soon(off, 0, year=2026, today=date(2026, 3, 31), days=7) is None


def test_the_edit_window_is_thirty_days() -> None:  # M9
    assert r.EDIT_WINDOW_DAYS == 30
    assert r.editable_until(date(2026, 3, 1)) == date(2026, 3, 31)
    assert not r.is_locked(date(2026, 3, 1), date(2026, 3, 31))
    assert r.is_locked(date(2026, 3, 1), date(2026, 4, 1))


def test_record_problems_in_chinese() -> None:
    ok = dict(held_on=date(2026, 3, 1), today=date(2026, 3, 2), topic="学习", marks={1: "present"}, reasons={})
    assert r.record_problems(**ok) == []
    assert "晚于今天" in r.record_problems(**{**ok, "held_on": date(2026, 3, 3)})[0]
    assert r.record_problems(**{**ok, "topic": " "}) == ["请填写会议主题"]
    assert r.record_problems(**{**ok, "marks": {1: "absent"}, "reasons": {1: "外出务工"}}) == ["出席人数为0:请核对考勤"]
    assert "缺席原因" in r.record_problems(**{**ok, "marks": {1: "present", 2: "absent"}})[0]
    assert r.record_problems(**{**ok, "held_on": None})[0] == "请填写会议日期"


def test_art9_six_consecutive_months_without_reason() -> None:  # M10, 党章 第九条
    months = r.month_keys((2025, 7), (2026, 6))
    assert len(months) == 12 and months[6] == (2026, 1)
    held = set(months)
    five = r.longest_lapse(months, attended=set(months[5:]), excused=set(), held=held)
    assert len(five) == 5 and not r.art9_signal(five)
    six = r.longest_lapse(months, attended=set(months[6:]), excused=set(), held=held)
    assert len(six) == 6 and r.art9_signal(six)
    # a leave (请假) is a proper reason and breaks the run
    broken = r.longest_lapse(months, attended=set(months[6:]), excused={months[2]}, held=held)
    assert len(broken) == 3
    # a month the organization held nothing neither breaks nor extends the run
    gap = r.longest_lapse(months, attended=set(months[7:]), excused=set(), held=held - {months[3]})
    assert len(gap) == 6 and months[3] not in gap
