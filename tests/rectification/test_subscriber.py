"""The grade subscription: final grades set categories (with history) and 较差 opens exactly one case."""

from __future__ import annotations

import pytest

from core.models import Event
from grading.events import publish_grade_finalized
from grading.rules.grades import Category
from rectification.models import Case, CategoryAssignment, CategorySource
from rectification.rules.cases import Phase
from rectification.services import subscriber
from rectification.services.categories import current_category

pytestmark = pytest.mark.django_db


def test_final_grades_set_categories(finalize, tree):
    # when
    finalize(
        {tree.village_a1: "good", tree.general_a2: "fairly_good", tree.branch_a21: "average", tree.community_b1: "poor"}
    )
    # then
    assert current_category(tree.village_a1) == Category.RED_FLAG
    assert current_category(tree.general_a2) == Category.CATCH_UP
    assert current_category(tree.branch_a21) == Category.LAGGING
    assert current_category(tree.community_b1) == Category.WEAK
    row = CategoryAssignment.objects.get(organization=tree.community_b1)
    assert row.source == CategorySource.GRADE and row.grade == "poor" and row.year == 2026
    # only the 较差 organization gets a case, automatically
    assert list(Case.objects.values_list("organization__code", "source", "phase")) == [
        ("T02-001", "auto", Phase.FINDING_PROBLEMS)
    ]
    assert Event.objects.filter(verb="rectification.case_open", org_path=tree.community_b1.path).count() == 1


def test_poor_grade_published_twice_opens_one_case(finalize, tree):
    a = finalize({tree.community_b1: "poor"})[tree.community_b1]
    # when: the same final grade is published again (a retried task, a second subscriber call)
    publish_grade_finalized(a.pk)
    publish_grade_finalized(a.pk)
    # then
    assert Case.objects.filter(organization=tree.community_b1).count() == 1
    assert CategoryAssignment.objects.filter(organization=tree.community_b1).count() == 1


def test_republish_after_case_closed_opens_nothing(finalize, tree):
    a = finalize({tree.community_b1: "poor"})[tree.community_b1]
    Case.objects.filter(organization=tree.community_b1).update(phase=Phase.ACCEPTED)
    publish_grade_finalized(a.pk)
    assert Case.objects.filter(organization=tree.community_b1).count() == 1


def test_regrade_to_good_changes_category_and_keeps_history(finalize, regrade, tree):
    a = finalize({tree.community_b1: "poor"})[tree.community_b1]
    # when: the year-end re-grade after an accepted rectification gives 好
    regrade(a, "good")
    # then
    assert current_category(tree.community_b1) == Category.RED_FLAG
    history = list(
        CategoryAssignment.objects.filter(organization=tree.community_b1)
        .order_by("created_at", "pk")
        .values_list("category", flat=True)
    )
    assert history == [Category.WEAK, Category.RED_FLAG]
    assert Case.objects.filter(organization=tree.community_b1).count() == 1


def test_regrade_same_grade_adds_no_row(finalize, regrade, tree):
    a = finalize({tree.branch_a21: "average"})[tree.branch_a21]
    regrade(a, "average")
    assert CategoryAssignment.objects.filter(organization=tree.branch_a21).count() == 1


def test_subscriber_registered_at_start_up():
    from grading import events
    from rectification.services.subscriber import on_grade_finalized

    assert on_grade_finalized in events._handlers


def test_lost_event_is_caught_up_by_the_sweep(finalize, tree, monkeypatch):
    # given: the handler failed when grading published (logged, not raised into grading's request)
    def broken(assessment_id):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(subscriber, "handle_grade_finalized", broken)
    finalize({tree.community_b1: "poor"})
    assert not Case.objects.exists() and not CategoryAssignment.objects.exists()
    monkeypatch.undo()
    # when
    applied = subscriber.grades_catch_up()
    # then
    assert applied == 1 and Case.objects.filter(organization=tree.community_b1).count() == 1
    assert current_category(tree.community_b1) == Category.WEAK
    assert subscriber.grades_catch_up() == 0
