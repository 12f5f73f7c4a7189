from django.urls import path

from elections import views, views_ballots, views_open, views_templates

app_name = "elections"

urlpatterns = [
    path("", views_open.overview, name="overview"),
    path("township/<int:org_pk>/", views.township_board, name="board"),
    path("township/<int:org_pk>/open/", views_open.batch_open, name="batch_open"),
    path("terms/", views_open.terms, name="terms"),
    path("orgs/<int:pk>/open/", views_open.project_open, name="project_open"),
    path("templates/<int:year>/", views_templates.year_templates, name="step_templates"),
    path("templates/<int:year>/create/", views_templates.year_templates_create, name="step_templates_create"),
    path("step-templates/<int:pk>/", views_templates.template_edit, name="step_template"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/voters/", views.voters, name="voters"),
    path("projects/<int:pk>/candidates/", views.candidates, name="candidates"),
    path("projects/<int:pk>/pledges/", views_ballots.pledges, name="pledges"),
    path("projects/<int:pk>/meeting/", views.meeting, name="meeting"),
    path("projects/<int:pk>/result/", views.result, name="result"),
    path("projects/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("projects/<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("steps/<int:pk>/done/", views.step_done, name="step_done"),
    path("steps/<int:pk>/upload/", views.step_upload, name="step_upload"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/ballots/", views_ballots.ballots, name="ballots"),
    path("rounds/<int:pk>/ballot.pdf", views.round_ballot_pdf, name="ballot_pdf"),
]

# --- Papers: 请示, 报告 and 批复 of steps 8, 18 and 27 (elections.views_documents) -------------------------------
from elections import views_documents  # noqa: E402

urlpatterns += [
    path("projects/<int:pk>/papers/", views_documents.papers_page, name="papers"),
    path("projects/<int:pk>/papers/<slug:paper>.pdf", views_documents.paper_pdf, name="paper_pdf"),
    path("steps/<int:pk>/generate/", views_documents.step_generate, name="step_generate"),
]
