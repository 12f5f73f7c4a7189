"""URL patterns of this area of grading; included by grading/urls.py (namespace "grading").

District review (issue 3 item 4), year-end (item 5) and consequences (item 6); plus the objection and re-grading
request forms of the organizations and townships, and scoped downloads of the files they upload.
"""

from django.urls import path

from grading import views_district, views_yearend

urlpatterns: list = [
    path("district/", views_district.district_current, name="district_current"),
    path("<int:campaign_pk>/district/", views_district.district_overview, name="district_overview"),
    path("<int:campaign_pk>/district/review/", views_district.district_review, name="district_review"),
    path("<int:campaign_pk>/district/objections/", views_district.district_objections, name="district_objections"),
    path(
        "<int:campaign_pk>/district/consequences/",
        views_district.district_consequences,
        name="district_consequences",
    ),
    path("<int:campaign_pk>/district/regrade/", views_yearend.district_regrade, name="district_regrade"),
    path("<int:campaign_pk>/district/yearend/", views_yearend.district_yearend, name="district_yearend"),
    path("<int:campaign_pk>/district/yearend/award/", views_yearend.district_award, name="district_award"),
    path(
        "<int:campaign_pk>/yearend/township/<int:township_pk>/",
        views_yearend.township_yearend,
        name="township_yearend",
    ),
    path("assessments/<int:pk>/object/", views_district.assessment_object, name="assessment_object"),
    path("assessments/<int:pk>/regrade/request/", views_yearend.regrade_request, name="regrade_request"),
    path("assessments/<int:pk>/regrade/score/", views_yearend.regrade_score, name="regrade_score"),
    path("files/<str:kind>/<int:pk>/", views_yearend.file_download, name="file_download"),
]
