"""URL patterns of this area of grading; included by grading/urls.py (namespace "grading")."""

from django.urls import path

from grading import views_notice, views_township

urlpatterns: list = [
    path("township/<int:org_pk>/", views_township.township_current, name="township_current"),
    path("<int:campaign_pk>/township/<int:org_pk>/", views_township.township_board, name="township_board"),
    path("<int:campaign_pk>/township/<int:org_pk>/summary/", views_township.township_summary, name="township_summary"),
    path("<int:campaign_pk>/township/<int:org_pk>/publish/", views_notice.notice_publish_view, name="notice_publish"),
    path("assessments/<int:pk>/score/", views_township.assessment_score, name="township_score"),
    path("assessments/<int:pk>/return/", views_township.assessment_return, name="township_return"),
    path("notices/<int:pk>/", views_notice.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/objections/", views_notice.objection_record, name="notice_objection_record"),
    path(
        "notices/<int:pk>/objections/<int:objection_pk>/answer/",
        views_notice.objection_answer,
        name="notice_objection_answer",
    ),
    path("notices/<int:pk>/submit/", views_notice.notice_submit, name="notice_submit"),
]
