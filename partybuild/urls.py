from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from elections import urls as election_urls
from grading.urls import public_urlpatterns as grading_public_urls
from partybuild import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", include("organizations.urls")),
    path("", include("partybuild.app_urls")),
    path("system/", include("ops.urls")),
    path("grading/", include("grading.urls")),
    path("elections/", include("elections.urls")),
    path("rectification/", include("rectification.urls")),
    path("meetings/", include("meetings.urls")),
    path("dues/", include("dues.urls")),
    path("stats/", include("stats.urls")),
    path("circulars/", include("circulars.urls")),
    path("development/", include("development.urls")),
    path("transfers/", include("transfers.urls")),
    # Public notices (公示): open to anyone, no login, while the notice runs.
    path("public/", include((grading_public_urls, "grading_public"))),
    path("public/elections/", include((election_urls.public_urlpatterns, "elections_public"))),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "党建工作管理平台"
admin.site.site_title = "党建工作管理平台"
admin.site.index_title = "后台管理"

# Chinese error pages with a way back (partybuild/views_errors.py); with DEBUG on, ErrorPageMiddleware shows ours too.
handler400 = "partybuild.views_errors.bad_request"
handler403 = "partybuild.views_errors.permission_denied"
handler404 = "partybuild.views_errors.page_not_found"
handler500 = "partybuild.views_errors.server_error"
