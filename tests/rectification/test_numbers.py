"""Every number typed into a rectification form is bounded (issue 12 item 6): 1e27, 1e309, 400 nines, a negative or
a word is a form error on that field, never a 500 (the columns are small integers and 10-digit decimals)."""

from __future__ import annotations

import pytest
from django import forms

from rectification.forms import (
    AcceptanceForm,
    CaseHeaderForm,
    CaseOpenForm,
    CategoryForm,
    MeasureCreateForm,
    MeasureEditForm,
    MoveForm,
    ProjectForm,
    ShowcaseForm,
)

pytestmark = pytest.mark.django_db

BAD = ["1e27", "1e309", "9" * 400, "-99999999999", "十二"]

FORMS = [AcceptanceForm, CaseHeaderForm, CaseOpenForm, CategoryForm, MeasureCreateForm, MeasureEditForm, MoveForm]
FORMS += [ProjectForm, ShowcaseForm]


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("bad", BAD, ids=["1e27", "1e309", "400nines", "negative", "words"])
def test_every_numeric_field_refuses_an_unbounded_number(form_class, bad):
    numeric = [n for n, f in form_class().fields.items() if isinstance(f, forms.IntegerField | forms.DecimalField)]
    assert numeric
    for name in numeric:
        form = form_class({name: bad})
        assert not form.is_valid()
        assert name in form.errors, (name, bad)


@pytest.mark.parametrize("form_class", [MeasureEditForm, ProjectForm], ids=lambda f: f.__name__)
def test_a_percent_past_100_is_refused(form_class):
    assert "percent" in form_class({"percent": "101"}).errors
