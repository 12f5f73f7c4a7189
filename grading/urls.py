"""The URLs of grading (namespace "grading"), by topic; the public notice pages are ``public_urlpatterns``, included
at /public/ with the namespace "grading_public". The names are linked from templates and tests: keep them stable."""

from django.urls import path

from grading.views import (
    assessments,
    boards,
    campaigns,
    documents,
    notices,
    objections,
    public,
    regrade,
    review,
    scoring,
    templates,
    yearend,
)

app_name = "grading"

campaign_urls = [
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/open/", campaigns.campaign_open, name="campaign_open"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign_close"),
]

template_urls = [
    path("campaigns/<int:pk>/variants/", templates.variant_add, name="variant_add"),
    path("campaigns/<int:pk>/templates/<int:template_pk>/delete/", templates.variant_delete, name="variant_delete"),
    path("campaigns/<int:pk>/dimensions/<int:dimension_pk>/", templates.dimension_edit, name="dimension_edit"),
    path("campaigns/<int:pk>/dimensions/<int:dimension_pk>/items/new/", templates.item_add, name="item_add"),
    path("campaigns/<int:pk>/items/<int:item_pk>/", templates.item_edit, name="item_edit"),
    path("campaigns/<int:pk>/items/<int:item_pk>/delete/", templates.item_delete, name="item_delete"),
]

# The secretary's 附件1–3 and submit; the township's 附件4 scoring and return.
assessment_urls = [
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/report/", assessments.assessment_report, name="assessment_report"),
    path("assessments/<int:pk>/meeting/", assessments.assessment_meeting, name="assessment_meeting"),
    path("assessments/<int:pk>/scores/", assessments.assessment_scores, name="assessment_scores"),
    path("assessments/<int:pk>/submit/", assessments.assessment_submit, name="assessment_submit"),
    path("assessments/<int:pk>/score/", scoring.assessment_score, name="township_score"),
    path("assessments/<int:pk>/return/", scoring.assessment_return, name="township_return"),
]

# Progress boards: the township's board and 附件5 summary, the district's overview, the deadlines page.
board_urls = [
    path("township/<int:org_pk>/", boards.township_current, name="township_current"),
    path("<int:campaign_pk>/township/<int:org_pk>/", boards.township_board, name="township_board"),
    path("<int:campaign_pk>/township/<int:org_pk>/summary/", boards.township_summary, name="township_summary"),
    path("district/", boards.district_current, name="district_current"),
    path("<int:campaign_pk>/district/", boards.district_overview, name="district_overview"),
    path("<int:campaign_pk>/overdue/", boards.overdue, name="overdue"),
]

notice_urls = [
    path("<int:campaign_pk>/township/<int:org_pk>/publish/", notices.notice_publish_view, name="notice_publish"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/objections/", notices.objection_record, name="notice_objection_record"),
    path(
        "notices/<int:pk>/objections/<int:objection_pk>/answer/",
        notices.objection_answer,
        name="notice_objection_answer",
    ),
    path("notices/<int:pk>/submit/", notices.notice_submit, name="notice_submit"),
]

review_urls = [
    path("<int:campaign_pk>/district/review/", review.district_review, name="district_review"),
    path("<int:campaign_pk>/district/consequences/", review.district_consequences, name="district_consequences"),
    path("<int:campaign_pk>/district/objections/", objections.district_objections, name="district_objections"),
    path("assessments/<int:pk>/object/", objections.assessment_object, name="assessment_object"),
    path(
        "<int:campaign_pk>/district/review/township/<int:org_pk>/evidence/",
        review.review_evidence,
        name="review_evidence",
    ),
    path("assessments/<int:pk>/readjust/", review.grade_readjust, name="grade_readjust"),
]

yearend_urls = [
    path("<int:campaign_pk>/district/regrade/", regrade.district_regrade, name="district_regrade"),
    path("<int:campaign_pk>/district/yearend/", yearend.district_yearend, name="district_yearend"),
    path("<int:campaign_pk>/district/yearend/award/", yearend.district_award, name="district_award"),
    path("<int:campaign_pk>/yearend/township/<int:township_pk>/", yearend.township_yearend, name="township_yearend"),
    path("assessments/<int:pk>/regrade/request/", regrade.regrade_request, name="regrade_request"),
    path("assessments/<int:pk>/regrade/score/", regrade.regrade_score, name="regrade_score"),
    path("files/<str:kind>/<int:pk>/", yearend.file_download, name="file_download"),
]

document_urls = [
    path("assessments/<int:pk>/annex1.pdf", documents.annex1_pdf, name="annex1_pdf"),
    path("assessments/<int:pk>/annex2-ballot.pdf", documents.annex2_blank_pdf_org, name="annex2_blank_pdf_org"),
    path("assessments/<int:pk>/annex2-tally.pdf", documents.annex2_tally_pdf, name="annex2_tally_pdf"),
    path("assessments/<int:pk>/annex2-tally.xlsx", documents.annex2_tally_xlsx, name="annex2_tally_xlsx"),
    path("assessments/<int:pk>/annex3.pdf", documents.annex3_pdf, name="annex3_pdf"),
    path("assessments/<int:pk>/annex4.pdf", documents.annex4_pdf, name="annex4_pdf"),
    path("assessments/<int:pk>/annex4.xlsx", documents.annex4_xlsx, name="annex4_xlsx"),
    path("<int:pk>/annex2-ballot.pdf", documents.annex2_blank_pdf, name="annex2_blank_pdf"),
    path("<int:pk>/townships/<int:township_pk>/annex5.xlsx", documents.annex5_xlsx, name="annex5_xlsx"),
    path("<int:pk>/townships/<int:township_pk>/annex5.pdf", documents.annex5_pdf, name="annex5_pdf"),
    path("<int:pk>/annex5-district.xlsx/", documents.annex5_district_xlsx, name="annex5_district_xlsx"),
    path("<int:pk>/circular.pdf", documents.circular_pdf, name="circular_pdf"),
    path("notices/<int:pk>/notice.pdf", documents.notice_pdf, name="notice_pdf"),
]

urlpatterns = [
    *campaign_urls,
    *template_urls,
    *assessment_urls,
    *board_urls,
    *notice_urls,
    *review_urls,
    *yearend_urls,
    *document_urls,
]

# The public notice pages (公示), no login: /public/, namespace "grading_public".
public_urlpatterns = [
    path("notices/", public.notice_list, name="notice_list"),
    path("notices/<int:pk>/", public.notice, name="notice"),
]
