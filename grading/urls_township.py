"""URL patterns of this area of grading; included by grading/urls.py (namespace "grading")."""

urlpatterns: list = []
