from django.urls import path

from audits import views, views_banks, views_checklist, views_offline, views_pages, views_suppliers

app_name = "audits"

urlpatterns = [
    path("audits/<int:pk>/transition/", views_pages.audit_transition, name="audit_transition"),
    path("audits/<int:pk>/collect-findings/", views_pages.audit_collect_findings, name="audit_collect_findings"),
    path("audits/<int:pk>/follow-up/", views_pages.audit_follow_up, name="audit_follow_up"),
    path("audits/<int:pk>/sign/", views_pages.audit_sign, name="audit_sign"),
    path("audits/<int:pk>/send-plan/", views_pages.audit_send_plan, name="audit_send_plan"),
    path("audits/<int:pk>/distribute-report/", views_pages.audit_distribute_report, name="audit_distribute_report"),
    *views.AuditProgrammeViews.urls(),
    *views.AuditViews.urls(),
    *views.AuditeeViews.urls(),
    *views.ScheduleItemViews.urls(),
    *views.AuditorCompetenceViews.urls(),
    *views_banks.urls(),
    *views_checklist.urls(),
    *views_suppliers.urls(),
    # The checklist answered on a tablet, online and offline (issue 12).
    path("<int:pk>/checklist/", views_offline.checklist, name="audit_checklist"),
    path("photos/<uuid:uuid>/", views_offline.checklist_photo, name="checklist_photo"),
]
