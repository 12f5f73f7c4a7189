"""The project page opens on its progress (steps done of all, the phase) and the step to do now, before the list of
all 32 steps, so that on a phone the current step is not thousands of pixels down (issue 11)."""

from __future__ import annotations

import pytest

from elections.services import workflow
from tests.elections.conftest import pdf
from tests.elections.test_pages import client_for

pytestmark = pytest.mark.django_db


def test_progress_and_the_current_step_come_before_the_list(project, users):
    first = project.steps.select_related("template").order_by("template__number").first()
    for kind in first.template.required_documents:
        workflow.document_upload(actor=users.ds, step=first, kind=kind, upload=pdf())
    workflow.step_done(actor=users.ds, step=first)
    total = project.steps.count()
    current = project.steps.filter(done_on__isnull=True).select_related("template").order_by("template__number")[0]
    page = client_for(users.ts_a).get(f"/elections/projects/{project.pk}/").content.decode()
    assert f"已完成1/{total}个环节" in page and 'aria-valuenow="1"' in page
    heading = f"当前环节:第{current.template.number}步 {current.template.title}"
    assert heading in page
    assert page.index(heading) < page.index("全部环节") < page.index(f'id="step-{total}"')
    assert 'class="el-phase-now">前期准备' in page
    assert 'style="' not in page.split("<main", 1)[1]  # CSP: no inline style, the bar is an SVG
