"""URLs of the shared infrastructure (jobs, notifications, audit log, calendar)."""

from django.urls import path

from partybuild import views, views_jobs

app_name = "core"

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("jobs/", views_jobs.job_list, name="job_list"),
    path("jobs/<int:pk>/", views_jobs.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", views_jobs.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", views_jobs.job_download, name="job_download"),
    path("jobs/<int:pk>/retry/", views_jobs.job_retry, name="job_retry"),
]

# --- Working-day calendar (partybuild.views_calendar): district staff maintain holidays and make-up days ---
from partybuild import views_calendar  # noqa: E402

urlpatterns += [
    path("calendar/", views_calendar.calendar_list, name="calendar"),
    path("calendar/<int:year>/", views_calendar.calendar_year, name="calendar_year"),
]

# --- Notifications (partybuild.views_notifications): everyone's own reminders and messages ---
from partybuild import views_channels, views_notifications  # noqa: E402

urlpatterns += [
    path("notifications/", views_notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views_notifications.notification_read, name="notification_read"),
    path("notifications/channels/", views_channels.channel_choices, name="channel_choices"),
]
