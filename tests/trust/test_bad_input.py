"""Bad input (issue 7 §5): random text into the forms and the scoring service, random bytes and 10 MB+ files as
uploads, and formula-like names in every CSV/xlsx export.

No 500, a Chinese message naming the field, nothing half-written; exported cells starting with = + - @ stay text.
(The pure rules, imports, GBK and BOM have their own property tests under tests/grading, tests/elections and
tests/organizations.)
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.documents import FORMULA_TRIGGERS
from core.uploads import upload_problems
from grading.models import Assessment, Item, ItemScore
from grading.services import campaigns as grading_services
from grading.services.assessments import township_scores_save
from grading.services.objections import validate_upload
from organizations.forms import MemberForm, OrganizationForm
from organizations.models import OrgKind
from organizations.services import tree as org_services
from rectification.services.progress import EVIDENCE_UPLOADS
from tests.calendar_support import seed_test_calendar
from tests.factories import MemberFactory
from tests.grading.test_workflow import fill_and_submit

CHINESE = re.compile(r"[\u4e00-\u9fff]")
HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
junk = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "2026-13-45", "-1", "1e309", "NaN", "=SUM(1)", "１２３", "\x00", "a" * 300, "💥"]),
)


def _all_chinese(form) -> None:
    for field, errors in form.errors.items():
        assert field == "__all__" or field in form.fields, field
        for message in errors:
            assert CHINESE.search(message), (field, message)


# --- Forms ---------------------------------------------------------------------------------------------------------


@HYPOTHESIS
@given(data=st.fixed_dictionaries({f: junk for f in MemberForm.Meta.fields}))
def test_member_form_never_crashes_and_names_the_field_in_chinese(db, data):
    form = MemberForm(data)
    if not form.is_valid():
        assert form.errors
        _all_chinese(form)


@HYPOTHESIS
@given(data=st.fixed_dictionaries({f: junk for f in OrganizationForm.Meta.fields}))
def test_organization_form_never_crashes_and_names_the_field_in_chinese(db, data):
    form = OrganizationForm(data)
    if not form.is_valid():
        _all_chinese(form)


# --- Scores through the service ------------------------------------------------------------------------------------


@pytest.fixture
def submitted(users, tree):
    seed_test_calendar(2026)
    campaign = grading_services.campaign_open(
        actor=users.ds, campaign=grading_services.campaign_create(actor=users.ds, year=2026)
    )
    a = Assessment.objects.select_related("organization", "campaign").get(
        campaign=campaign, organization=tree.village_a1
    )
    return fill_and_submit(users.sec_a1, a)


score_text = st.one_of(
    st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False).map(str),
    st.text(max_size=12),
    st.sampled_from(["", "NaN", "Infinity", "-0", "1e3", "5.55", "20.0", "=1+1", "九十"]),
)


@HYPOTHESIS
@given(raw=st.lists(score_text, min_size=1, max_size=40))
def test_township_scores_refused_with_the_item_named_and_nothing_half_written(users, submitted, raw):
    a = Assessment.objects.get(pk=submitted.pk)
    items = list(Item.objects.filter(dimension__template=a.template, is_veto=False).order_by("pk"))
    scores = {item.pk: (raw[i % len(raw)], "") for i, item in enumerate(items)}
    before = list(ItemScore.objects.filter(assessment=a).values_list("pk", "points").order_by("pk"))
    try:
        township_scores_save(actor=users.ts_a, assessment=a, expected_version=a.version, item_scores=scores)
    except ValidationError as exc:
        assert all(CHINESE.search(m) for m in exc.messages)
        assert any("“" in m for m in exc.messages)  # the item (or the grade) is named
        assert Assessment.objects.get(pk=a.pk).version == a.version
        assert list(ItemScore.objects.filter(assessment=a).values_list("pk", "points").order_by("pk")) == before
    else:
        saved = Assessment.objects.get(pk=a.pk)
        assert saved.version == a.version + 1 and Decimal("0") <= saved.township_score <= Decimal("100")


def test_scoring_page_with_junk_answers_200_not_500(client, users, submitted):
    client.force_login(users.ts_a)
    data = {"version": "not-a-number", "grade": "nonsense", "opinion": "x" * 5000}
    for item in Item.objects.filter(dimension__template=submitted.template):
        data[f"points_{item.pk}"] = "=1+1"
    response = client.post(reverse("grading:township_score", args=[submitted.pk]), data)
    assert response.status_code == 200


# --- Uploads -------------------------------------------------------------------------------------------------------


@HYPOTHESIS
@given(content=st.binary(max_size=2048), ext=st.sampled_from(["jpg", "jpeg", "png", "pdf", "docx", "exe", "JPG"]))
def test_random_bytes_with_a_good_extension_are_refused_in_chinese(content, ext):
    name = f"证明材料.{ext}"
    problems = upload_problems(EVIDENCE_UPLOADS, name=name, size=len(content), head=content[:8])
    real = content.startswith((b"\xff\xd8\xff", b"\x89PNG", b"%PDF", b"PK\x03\x04"))
    if not real:
        assert problems and all(CHINESE.search(p) for p in problems)
    try:
        validate_upload(SimpleUploadedFile(name, content), what="佐证材料")
    except ValidationError as exc:
        assert all(CHINESE.search(m) for m in exc.messages) and "佐证材料" in exc.messages[0]
    else:
        assert real


@pytest.mark.parametrize("megabytes", [10.5, 21])
def test_files_over_the_limit_are_refused_before_reading_them(megabytes):
    size = int(megabytes * 1024 * 1024)
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4\n" + b"0" * (size - 9))
    with pytest.raises(ValidationError) as exc:
        validate_upload(big, what="佐证材料")
    assert "10MB" in exc.value.messages[0] or "10 MB" in exc.value.messages[0]
    if megabytes > 20:
        problems = upload_problems(EVIDENCE_UPLOADS, name="大文件.pdf", size=size, head=b"%PDF-1.4")
        assert problems and "20MB" in problems[0]


# --- Formula injection in every export ------------------------------------------------------------------------------

PAYLOADS = ['=HYPERLINK("http://evil.example","点我")', "+1", "-1", "@SUM(1)", "=1+1"]


def _xlsx_cells(content: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _assert_xlsx_literal(content: bytes) -> set[str]:
    seen = set()
    for cell in _xlsx_cells(content):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
            seen.add(cell.value)
    return seen


@pytest.fixture
def poisoned(tree):
    """Members and an organization named like formulas."""
    for name in PAYLOADS:
        MemberFactory(organization=tree.village_a1, name=name, occupation=name)
    return org_services.organization_create(
        actor=None, parent=tree.township_a, code="T01-099", name=PAYLOADS[0], kind=OrgKind.BRANCH,
        check_permission=False,
    )  # fmt: skip


def test_roster_xlsx_keeps_formula_names_literal(client, users, tree, poisoned, settings, tmp_path,
                                                 django_capture_on_commit_callbacks):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    client.force_login(users.ts_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organizations:roster_xlsx", args=[tree.village_a1.pk]))
    job_pk = int(response["Location"].rstrip("/").split("/")[-1])
    content = b"".join(client.get(reverse("core:job_download", args=[job_pk])).streaming_content)
    assert set(PAYLOADS) <= _assert_xlsx_literal(content)


def test_organization_export_xlsx_keeps_formula_names_literal(client, users, tree, poisoned):
    client.force_login(users.ts_a)
    response = client.get(reverse("organizations:export_organizations", args=[tree.township_a.pk]))
    assert PAYLOADS[0] in _assert_xlsx_literal(response.content)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_organization_export_csv_neutralizes_formulas_and_imports_back(client, users, tree, poisoned, encoding):
    client.force_login(users.ts_a)
    response = client.get(
        reverse("organizations:export_organizations", args=[tree.township_a.pk]),
        {"format": "csv", "encoding": encoding},
    )
    text = response.content.decode("utf-8-sig" if encoding == "utf-8" else "gb18030")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_TRIGGERS)]
    assert "'" + PAYLOADS[0] in cells
    # and the apostrophe is removed again on import: the name reads back unchanged
    from organizations.resources.widgets import as_text

    assert as_text("'" + PAYLOADS[0]) == PAYLOADS[0] and as_text("'plain") == "'plain"


def test_grading_annex_xlsx_keeps_formula_names_literal(client, users, tree):
    seed_test_calendar(2026)
    org_services.organization_update(actor=users.ds, organization=tree.village_a1, name='=HYPERLINK("x")党支部')
    campaign = grading_services.campaign_open(
        actor=users.ds, campaign=grading_services.campaign_create(actor=users.ds, year=2026)
    )
    a = Assessment.objects.get(campaign=campaign, organization=tree.village_a1)
    client.force_login(users.ts_a)
    for name in ("grading:annex2_tally_xlsx", "grading:annex4_xlsx"):
        response = client.get(reverse(name, args=[a.pk]))
        assert response.status_code == 200, name
        _assert_xlsx_literal(response.content)
    response = client.get(reverse("grading:annex5_xlsx", args=[campaign.pk, tree.township_a.pk]))
    assert response.status_code == 200
    _assert_xlsx_literal(response.content)
