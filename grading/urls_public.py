"""Public notice pages (公示), no login; included at /public/ with namespace "grading_public"."""

from django.urls import path

from grading import views_public

urlpatterns: list = [
    path("notices/", views_public.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views_public.notice, name="notice"),
]
