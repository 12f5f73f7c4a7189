"""The elections app's one URL module: the pages (namespace "elections", included at /elections/) and the public
candidate notice (``public_urlpatterns``, namespace "elections_public", included at /public/elections/, no login)."""

from django.urls import path

from elections.views import (
    ballots,
    candidates,
    incidents,
    meeting,
    opening,
    papers,
    projects,
    public,
    review,
    rounds,
    templates,
    voters,
)

app_name = "elections"

urlpatterns = [
    path("", opening.overview, name="overview"),
    path("township/<int:org_pk>/", projects.township_board, name="board"),
    path("township/<int:org_pk>/open/", opening.batch_open, name="batch_open"),
    path("terms/", opening.terms, name="terms"),
    path("orgs/<int:pk>/open/", opening.project_open, name="project_open"),
    path("templates/<int:year>/", templates.year_templates, name="step_templates"),
    path("templates/<int:year>/create/", templates.year_templates_create, name="step_templates_create"),
    path("step-templates/<int:pk>/", templates.template_edit, name="step_template"),
    path("projects/<int:pk>/", projects.project_detail, name="project"),
    path("projects/<int:pk>/date-change/", projects.date_change_decide, name="date_change"),
    path("projects/<int:pk>/voters/", voters.voters, name="voters"),
    path("projects/<int:pk>/candidates/", candidates.candidates, name="candidates"),
    path("projects/<int:pk>/pledges/", candidates.pledges, name="pledges"),
    path("projects/<int:pk>/joint-review/", review.joint_review, name="joint_review"),
    path("projects/<int:pk>/joint-review.xlsx", review.joint_review_xlsx, name="joint_review_xlsx"),
    path("projects/<int:pk>/joint-review.pdf", review.joint_review_pdf, name="joint_review_pdf"),
    path("projects/<int:pk>/posts/", review.committee_posts, name="committee_posts"),
    path("posts-summary.xlsx", review.posts_summary_xlsx, name="posts_summary_xlsx"),
    path("posts-summary.pdf", review.posts_summary_pdf, name="posts_summary_pdf"),
    path("projects/<int:pk>/meeting/", meeting.meeting, name="meeting"),
    path("projects/<int:pk>/seats/reduce/", meeting.seats_reduce_view, name="seats_reduce"),
    path("projects/<int:pk>/result/", meeting.result, name="result"),
    path("projects/<int:pk>/report.pdf", meeting.report_pdf, name="report_pdf"),
    path("projects/<int:pk>/report.xlsx", meeting.report_xlsx, name="report_xlsx"),
    path("steps/<int:pk>/done/", projects.step_done, name="step_done"),
    path("steps/<int:pk>/upload/", projects.step_upload, name="step_upload"),
    path("documents/<int:pk>/", projects.document_download, name="document"),
    path("candidates/<int:pk>/", candidates.candidate_detail, name="candidate"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round"),
    path("rounds/<int:pk>/ballots/", ballots.ballots, name="ballots"),
    path("rounds/<int:pk>/ballot.pdf", rounds.round_ballot_pdf, name="ballot_pdf"),
    # Papers: 请示, 报告 and 批复 of steps 8, 18 and 27
    path("projects/<int:pk>/papers/", papers.papers_page, name="papers"),
    path("projects/<int:pk>/papers/<slug:paper>.pdf", papers.paper_pdf, name="paper_pdf"),
    path("steps/<int:pk>/generate/", papers.step_generate, name="step_generate"),
    # 第五篇 六: incidents reported to the county, 取消候选人资格 and 宣布当选无效
    path("incidents/", incidents.incident_list, name="incidents"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident"),
    path("projects/<int:pk>/incidents/new/", incidents.incident_report, name="incident_report"),
    path("projects/<int:pk>/annul/", incidents.result_annul, name="annul"),
    path("candidates/<int:pk>/disqualify/", incidents.candidate_disqualify, name="disqualify"),
    path("sanctions/<int:pk>/file/", incidents.sanction_file, name="sanction_file"),
]

public_urlpatterns = [
    path("notices/<int:pk>/", public.notice, name="notice"),
]
