"""The project's URLs plus one view that reads an organization without its selector: the enumerating scope test
must report it (its self-check)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from organizations.models import Organization
from partybuild.urls import urlpatterns as project_urlpatterns


@login_required
def leaky_view(request, pk: int) -> HttpResponse:
    return HttpResponse(Organization.objects.get(pk=pk).name)  # no selector: a leak on purpose


urlpatterns = [*project_urlpatterns, path("orgs/<int:pk>/leak/", leaky_view, name="leak")]
