"""党员发展 on the demo district (``load_demo --small``): every village branch has people at each stage before
admission, each probationary member of the roster has a record, the board and the statistics agree, and a second load
changes nothing."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from development.models import Applicant
from development.selectors.counts import board, pipeline_counts
from organizations.demo.district import demo_root
from organizations.models import Member, MemberStatus


def test_the_demo_pipeline_is_loaded_once_and_its_figures_agree(demo_small, db) -> None:
    assert "党员发展演示数据已载入" in demo_small.output
    root = demo_root()
    district = get_user_model().objects.get(username="district")
    year = timezone.localdate().year
    figures = board(district, root, year=year)
    assert len(figures.rows) >= 10 and all(figures.total[:3])  # applicants, activists, targets in every village
    assert figures.total == pipeline_counts(district, root, day=timezone.localdate()).total
    probationary = Member.objects.filter(
        organization__path__startswith=root.path, status=MemberStatus.PROBATIONARY, left_on__isnull=True
    )
    on_record = probationary.filter(development_record__isnull=False).count()
    assert on_record == Applicant.objects.filter(stage="probationary").count() > 0
    assert Applicant.objects.filter(stage="activist", contacts__isnull=True).count() == 0
    before = Applicant.objects.count()
    call_command("load_demo_development", stdout=io.StringIO())
    assert Applicant.objects.count() == before
