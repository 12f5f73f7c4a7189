"""URLs of the shared infrastructure (jobs, notifications, audit log, calendar)."""

from django.urls import path

from partybuild import views

app_name = "core"

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
]
