"""Every number typed into an election form is bounded (issue 12 item 6): 1e27, 1e309, 400 nines, a negative or a
word is a Chinese form error that names the field, never a 500 (SQLite and PostgreSQL overflow on such integers)."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import timezone

from elections.forms import BallotCheckForm, BallotsFinishForm, ProjectOpenForm, StepTemplateForm
from elections.models import BallotRound, Meeting, TotalsEntry
from tests.elections.test_pages import client_for

pytestmark = pytest.mark.django_db

BAD = ["1e27", "1e309", "9" * 400, "-99999999999", "十二", "3.5"]
NAMES = ["王一", "李二", "张三"]


def _numeric_fields(form: forms.Form) -> list[str]:
    return [name for name, field in form.fields.items() if isinstance(field, forms.IntegerField | forms.DecimalField)]


@pytest.mark.parametrize(
    "make",
    [
        lambda data: ProjectOpenForm(data),
        lambda data: StepTemplateForm(data),
        lambda data: BallotsFinishForm(data),
        lambda data: BallotCheckForm(data, names=NAMES),
    ],
    ids=["open", "step_template", "ballots_finish", "ballot_check"],
)
@pytest.mark.parametrize("bad", BAD, ids=["1e27", "1e309", "400nines", "negative", "words", "fraction"])
def test_every_numeric_field_refuses_an_unbounded_number(make, bad):
    fields = _numeric_fields(make(None))
    assert fields
    for name in fields:
        form = make({name: bad})
        assert not form.is_valid()
        assert name in form.errors, (name, bad)


@pytest.fixture
def ballot_round(project):
    meeting = Meeting.objects.create(project=project, held_on=timezone.localdate(), present_count=8)
    return BallotRound.objects.create(
        meeting=meeting, number=1, purpose="committee", seats=2, names=NAMES, due=8, present=8
    )


@pytest.mark.parametrize("bad", ["1e27", "9" * 400, "-3", "abc"])
@pytest.mark.parametrize("field", ["issued", "valid", "votes_0"])
def test_the_totals_form_refuses_it_with_the_typed_values_kept(ballot_round, users, field, bad):
    data = {"issued": "8", "returned": "8", "valid": "8", "invalid": "0", "votes_0": "5", "votes_1": "4"}
    data["votes_2"] = "3"
    data[field] = bad
    response = client_for(users.sec_a1).post(f"/elections/rounds/{ballot_round.pk}/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "应填写整数" in page or "应在0至" in page
    assert 'name="votes_1" value="4"' in page and 'name="issued" value="' in page  # what was typed is kept
    assert not TotalsEntry.objects.filter(round=ballot_round).exists()


@pytest.mark.parametrize("bad", ["1e27", "9" * 400, "-3"])
def test_recommendation_counts_and_notice_days_refuse_it(project, users, members, bad):
    member = members["a1"][0]
    client = client_for(users.sec_a1)
    url = f"/elections/projects/{project.pk}/candidates/"
    response = client.post(url, {"action": "recommend", "round": "members", f"count_{member.pk}": bad})
    assert response.status_code == 200 and "推荐票数应" in response.content.decode()
    assert not project.recommendations.exists()
    response = client.post(url, {"action": "notice", "working_days": bad})
    assert response.status_code == 200 and "公示期" in response.content.decode()
