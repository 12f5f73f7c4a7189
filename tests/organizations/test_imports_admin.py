"""The admin: every registered model lists, members import and export with the Chinese columns, the audit trail
and the history are read-only."""

from __future__ import annotations

import io

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import CalendarYear, Event, Holiday, Job, Notification
from organizations.models import Member, OrgChange, RoleAssignment
from organizations.resources.files import member_headers
from tests.factories import UserFactory
from tests.organizations.test_imports import HEADERS, member_row, to_csv


@pytest.fixture
def admin_client_fast(client, settings, db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


MODELS = ["organization", "member", "committeeterm", "position", "orgchange", "membertransfer", "roleassignment"]


@pytest.mark.parametrize("model", MODELS)
def test_organizations_changelists_open(admin_client_fast, users, members, model):
    response = admin_client_fast.get(reverse(f"admin:organizations_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["event", "job", "notification", "holiday", "calendaryear"])
def test_partybuild_changelists_open(admin_client_fast, users, model):
    assert admin_client_fast.get(reverse(f"admin:partybuild_{model}_changelist")).status_code == 200


def test_member_list_masks_the_id_number(admin_client_fast, members):
    member = members["a1"][0]
    body = admin_client_fast.get(reverse("admin:organizations_member_changelist")).content.decode()
    assert member.masked_id_number in body
    assert member.id_number not in body


@pytest.mark.parametrize("model", [Event, OrgChange, RoleAssignment])
def test_audit_trail_history_and_grants_are_read_only_even_for_a_superuser(admin_client_fast, users, model):
    model_admin = admin.site._registry[model]
    request = type("R", (), {"user": admin_client_fast.user})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    row = model.objects.first()
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk])
    assert admin_client_fast.post(url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_other_partybuild_models_are_registered():
    for model in (Job, Notification, Holiday, CalendarYear):
        assert model in admin.site._registry


def _format_choice(form, suffix: str) -> str:
    for value, label in form.fields["format"].choices:
        if str(label).lower() == suffix:
            return value
    raise AssertionError(form.fields["format"].choices)


def test_member_import_in_admin_two_steps(admin_client_fast, tree):
    url = reverse("admin:organizations_member_import")
    form = admin_client_fast.get(url).context["form"]
    content = to_csv(HEADERS, [member_row(), member_row(身份证号="450101198001050037", 性别="女")], "utf-8-sig")
    response = admin_client_fast.post(
        url, {"import_file": SimpleUploadedFile("m.csv", content), "format": _format_choice(form, "csv")}
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), [
        (r.number, r.error_dict) for r in result.invalid_rows
    ]
    assert Member.objects.count() == 0
    confirm = response.context["confirm_form"]
    data = {name: confirm.initial.get(name) for name in confirm.fields if confirm.initial.get(name) is not None}
    response = admin_client_fast.post(reverse("admin:organizations_member_process_import"), data)
    assert response.status_code == 302
    assert Member.objects.get(id_number="450101198001050037").gender == "female"
    assert Member.objects.get(id_number="450101198001050010").organization == tree.village_a1
    event = Event.objects.get(verb="import.members")
    assert event.after["new"] == 2


def test_member_import_in_admin_reports_a_bad_value_in_chinese(admin_client_fast, tree):
    url = reverse("admin:organizations_member_import")
    form = admin_client_fast.get(url).context["form"]
    content = to_csv(HEADERS, [member_row(性别="M")])
    response = admin_client_fast.post(
        url, {"import_file": SimpleUploadedFile("m.csv", content), "format": _format_choice(form, "csv")}
    )
    assert "性别“M”无效,应为 男 或 女" in response.content.decode()
    assert Member.objects.count() == 0


def test_member_export_in_admin_has_the_chinese_columns(admin_client_fast, members):
    url = reverse("admin:organizations_member_export")
    form = admin_client_fast.get(url).context["form"]
    data = {"format": _format_choice(form, "xlsx"), "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith("memberresource_")})
    response = admin_client_fast.post(url, data)
    assert response.status_code == 200, response.content[:500]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == member_headers()
    assert len(rows) == 1 + Member.objects.count()
