"""URL patterns of this area of grading; included by grading/urls.py (namespace "grading")."""

from django.urls import path

from grading import views_secretary as views

urlpatterns: list = [
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/report/", views.assessment_report, name="assessment_report"),
    path("assessments/<int:pk>/meeting/", views.assessment_meeting, name="assessment_meeting"),
    path("assessments/<int:pk>/scores/", views.assessment_scores, name="assessment_scores"),
    path("assessments/<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
]
