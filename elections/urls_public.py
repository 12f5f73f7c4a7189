"""The candidate notice in public, no login; included at /public/elections/ with namespace "elections_public"."""

from django.urls import path

from elections import views_public

urlpatterns: list = [
    path("notices/<int:pk>/", views_public.notice, name="notice"),
]
