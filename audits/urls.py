from django.urls import path

from audits import views_offline

app_name = "audits"

urlpatterns: list = [
    # The checklist answered on a tablet, online and offline (issue 12).
    path("<int:pk>/checklist/", views_offline.checklist, name="audit_checklist"),
    path("photos/<uuid:uuid>/", views_offline.checklist_photo, name="checklist_photo"),
]
