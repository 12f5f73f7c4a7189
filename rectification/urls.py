"""URLs of rectification (namespace "rectification"). The segment before each parameter says what it is, so the
scope enumeration test (tests/scope_enumeration.py) can resolve it."""

from django.urls import path

from rectification.views import acceptance as acc
from rectification.views import boards, cases, ledger, yearend
from rectification.views import categories as cats
from rectification.views import documents as docs

app_name = "rectification"

urlpatterns = [
    path("", boards.home, name="home"),
    path("district/", boards.district_board, name="district_board"),
    path("district/ledger.xlsx", docs.district_ledger_xlsx, name="district_ledger_xlsx"),
    path("district/ledger.pdf", docs.district_ledger_pdf, name="district_ledger_pdf"),
    path("district/circular.pdf", docs.circular_pdf, name="circular_pdf"),
    path("township/<int:pk>/", boards.township_board, name="township_board"),
    path("categories/", boards.categories, name="categories"),
    # One organization: category, liaisons, pairing, helpers, showcases, opening a case
    path("orgs/<int:pk>/", boards.org_page, name="org_page"),
    path("orgs/<int:pk>/open-case/", cases.case_open, name="case_open"),
    path("orgs/<int:pk>/category/", cats.category_set, name="category_set"),
    path("orgs/<int:pk>/showcase/", cats.showcase, name="showcase"),
    path("orgs/<int:pk>/showcase/quick/", cats.showcase_quick, name="showcase_quick"),
    path("orgs/<int:pk>/liaisons/new/", cats.liaison_add, name="liaison_add"),
    path("orgs/<int:pk>/pairings/new/", cats.pairing_add, name="pairing_add"),
    path("orgs/<int:pk>/helpers/new/", cats.helper_add, name="helper_add"),
    path("liaisons/<int:pk>/end/", cats.liaison_end, name="liaison_end"),
    # One case
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<int:pk>/move/", cases.case_move, name="case_move"),
    path("cases/<int:pk>/work-group/new/", cases.workgroup_add, name="workgroup_add"),
    path("cases/<int:pk>/problems/new/", ledger.problem_create, name="problem_create"),
    path("cases/<int:pk>/projects/new/", ledger.project_create, name="project_create"),
    path("cases/<int:pk>/targets/new/", ledger.target_create, name="target_create"),
    path("cases/<int:pk>/report/", ledger.report, name="report"),
    path("cases/<int:pk>/acceptance/", acc.acceptance, name="acceptance"),
    path("cases/<int:pk>/supervision/", acc.supervision, name="supervision"),
    path("cases/<int:pk>/yearend-report/", yearend.yearend_report, name="yearend_report"),
    path("cases/<int:pk>/yearend-report/file/", yearend.yearend_report_download, name="yearend_report_download"),
    path("cases/<int:pk>/ledger.xlsx", docs.case_ledger_xlsx, name="case_ledger_xlsx"),
    path("cases/<int:pk>/ledger.pdf", docs.case_ledger_pdf, name="case_ledger_pdf"),
    path("work-group/<int:pk>/remove/", cases.workgroup_remove, name="workgroup_remove"),
    path("problems/<int:pk>/edit/", ledger.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/delete/", ledger.problem_delete, name="problem_delete"),
    path("problems/<int:pk>/measures/new/", ledger.measure_create, name="measure_create"),
    path("measures/<int:pk>/edit/", ledger.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/delete/", ledger.measure_delete, name="measure_delete"),
    path("projects/<int:pk>/edit/", ledger.project_edit, name="project_edit"),
    path("projects/<int:pk>/delete/", ledger.project_delete, name="project_delete"),
    path("targets/<int:pk>/edit/", ledger.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", ledger.target_delete, name="target_delete"),
    path("evidence/<int:pk>/", ledger.evidence_download, name="evidence_download"),
    path("acceptances/<int:pk>/report.pdf", docs.acceptance_pdf, name="acceptance_pdf"),
]
