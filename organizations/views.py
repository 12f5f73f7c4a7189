from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def district_overview(request): return HttpResponse("")
@login_required
def township(request, pk): return HttpResponse("")
@login_required
def org_list(request): return HttpResponse("")
@login_required
def org_detail(request, pk): return HttpResponse("")
