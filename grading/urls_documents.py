"""URL patterns of this area of grading; included by grading/urls.py (namespace "grading").

The names are linked from the secretary, township and district pages: keep them stable.
"""

from django.urls import path

from grading import views_documents as v
from grading import views_overdue

urlpatterns: list = [
    path("assessments/<int:pk>/annex1.pdf", v.annex1_pdf, name="annex1_pdf"),
    path("assessments/<int:pk>/annex2-ballot.pdf", v.annex2_blank_pdf_org, name="annex2_blank_pdf_org"),
    path("assessments/<int:pk>/annex2-tally.pdf", v.annex2_tally_pdf, name="annex2_tally_pdf"),
    path("assessments/<int:pk>/annex2-tally.xlsx", v.annex2_tally_xlsx, name="annex2_tally_xlsx"),
    path("assessments/<int:pk>/annex3.pdf", v.annex3_pdf, name="annex3_pdf"),
    path("assessments/<int:pk>/annex4.pdf", v.annex4_pdf, name="annex4_pdf"),
    path("assessments/<int:pk>/annex4.xlsx", v.annex4_xlsx, name="annex4_xlsx"),
    path("<int:pk>/annex2-ballot.pdf", v.annex2_blank_pdf, name="annex2_blank_pdf"),
    path("<int:pk>/townships/<int:township_pk>/annex5.xlsx", v.annex5_xlsx, name="annex5_xlsx"),
    path("<int:pk>/townships/<int:township_pk>/annex5.pdf", v.annex5_pdf, name="annex5_pdf"),
    path("<int:pk>/annex5-district.xlsx/", v.annex5_district_xlsx, name="annex5_district_xlsx"),
    path("<int:pk>/circular.pdf", v.circular_pdf, name="circular_pdf"),
    path("notices/<int:pk>/notice.pdf", v.notice_pdf, name="notice_pdf"),
    # Deadlines (issue 3 item 8): who has not submitted or scored yet, with overdue marks.
    path("<int:campaign_pk>/overdue/", views_overdue.overdue, name="overdue"),
]
