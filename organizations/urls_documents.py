"""URL patterns of this area; included by organizations/urls.py under the organizations namespace."""

urlpatterns: list = []
