"""Project URLs: shared pages, each app's generated URLs, the API and its docs."""

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from audits import views_offline as audits_offline
from nonconformities.views_public import public_report as views_public_report
from qse.csp import csp_update
from qse.organization import ProcessViews, SiteViews
from qse.people_import import PeopleImport
from qse.views import (
    choices,
    home,
    oidc,
    onboarding,
    pages,
    people,
    profiles,
    reports,
    staff,
    table_config,
)
from qse.views.accounts import ThrottledPasswordResetView
from qse.views.imports import ObjectImportView

qse_patterns = (
    [
        path("switch/", pages.switch_organization, name="switch_organization"),
        path("attachments/<int:content_type_id>/<int:object_id>/", pages.attachment_upload, name="attachment_upload"),
        path("attachments/<int:pk>/", pages.attachment_download, name="attachment_download"),
        path("attachments/<int:pk>/archive/", pages.attachment_archive, name="attachment_archive"),
        path("choices/<str:model_label>/", choices.choices, name="choices"),
        path("notifications/", pages.notification_list, name="notification_list"),
        path("notifications/read/", pages.notification_read_all, name="notification_read_all"),
        path("tokens/", pages.token_list, name="token_list"),
        path("process-map/", pages.process_map, name="process_map"),
        path("directory/", oidc.directory_settings, name="directory_settings"),
        path("todo/", home.todo, name="todo"),
        path("tables/<str:table_name>/columns/", table_config.table_config, name="table_config"),
        path("management/", home.management_dashboard, name="management_dashboard"),
        path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
        path("reports/request/<str:kind>/<int:object_id>/", reports.report_request, name="report_request"),
        path("reports/<int:pk>/", reports.report_status, name="report_status"),
        path("reports/<int:pk>/download/", reports.report_download, name="report_download"),
        path("people/", people.people_list, name="people"),
        path("people/add/", people.person_add, name="person_add"),
        path("people/import/", ObjectImportView.as_view(d=PeopleImport), name="people_import"),
        path("people/<int:pk>/", people.membership_detail, name="membership_detail"),
        path("people/<int:pk>/deactivate/", people.membership_deactivate, name="membership_deactivate"),
        path("people/<int:pk>/reactivate/", people.membership_reactivate, name="membership_reactivate"),
        path("people/<int:pk>/password-reset/", people.membership_password_reset, name="membership_password_reset"),
        path("people/<int:pk>/invite/", people.membership_invite, name="membership_invite"),
        path("people/<int:pk>/reassign/", people.membership_reassign, name="membership_reassign"),
        path("invitations/<int:pk>/resend/", people.invitation_resend, name="invitation_resend"),
        path("invitations/<int:pk>/revoke/", people.invitation_revoke, name="invitation_revoke"),
        path("profile/", profiles.organization_profile, name="organization_profile"),
        *SiteViews.urls(),
        *ProcessViews.urls(),
    ],
    "qse",
)

staff_patterns = (
    [
        path("", staff.organization_list, name="organization_list"),
        path("<int:pk>/", staff.organization_detail, name="organization_detail"),
        path("<int:pk>/invite/", staff.admin_invite, name="admin_invite"),
    ],
    "staff",
)

urlpatterns = [
    path("", home.home, name="home"),
    path("setup/", onboarding.setup, name="setup"),
    path("signup/", onboarding.signup, name="signup"),
    path("signup/<str:token>/", onboarding.signup_confirm, name="signup_confirm"),
    path("invitations/<str:token>/", onboarding.invitation_accept, name="invitation_accept"),
    path("accounts/profile/", profiles.user_profile, name="profile"),
    path("staff/", include(staff_patterns)),
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    # Sign-in with the organization's directory (OpenID Connect), before django.contrib.auth's.
    path("accounts/directory/", oidc.directory_start, name="directory_start"),
    path("accounts/directory/callback/", oidc.directory_callback, name="directory_callback"),
    path("accounts/directory/<slug:slug>/", oidc.directory_login, name="directory_login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("org/", include(qse_patterns)),
    path("context/", include("context.urls")),
    path("improvement/", include("improvement.urls")),
    path("risks/", include("risks.urls")),
    path("events/", include("nonconformities.urls")),
    path("compliance/", include("compliance.urls")),
    path("objectives/", include("objectives.urls")),
    path("audits/", include("audits.urls")),
    # The offline checklist's service worker and the web app manifest: at the root, so that the
    # worker's scope is the whole site (audits/views_offline.py).
    path("sw.js", audits_offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", audits_offline.manifest, name="web_manifest"),
    # Reachable without an account, from the QR code posted on a site.
    path("report/<str:token>/", views_public_report, name="public_report"),
    path("api/v1/", include("qse.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's settings as a script file: no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # Redoc's template has an inline script and a worker from a blob.
    path("api/redoc/", csp_update(script_src=["'unsafe-inline'"], worker_src=["blob:"])(
        SpectacularRedocView.as_view(url_name="schema")), name="api-redoc"),
]
