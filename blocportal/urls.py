from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import attention_views, import_views, profile_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    # Forgotten password: a link by e-mail (EMAIL_URL), valid PASSWORD_RESET_TIMEOUT seconds.
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            extra_email_context={"portal_name": settings.PORTAL_NAME},
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/profile/", profile_views.profile, name="profile"),
    path("access/assignments/", views.assignment_list, name="assignments"),
    # The attention hub ("Việc cần làm"): the sections every app registers (blocportal.attention).
    path("attention/", attention_views.attention_hub, name="attention"),
    path("attention/count/", attention_views.attention_count, name="attention_count"),
    # The import jobs of every register (their upload pages are the registers' own: <app>:import).
    path("imports/<int:pk>/", import_views.import_job, name="import_job"),
    path("imports/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("organizations/", include("organizations.urls")),
    path("members/", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("inspections/", include("inspections.urls")),
    path("emulation/", include("emulation.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "blocportal.views.bad_request"
handler500 = "blocportal.views.server_error"
