from nonconformities import (
    views_analysis,
    views_children,
    views_dashboard,
    views_events,
    views_public,
    views_similar,
)

app_name = "nonconformities"

urlpatterns = [
    *views_similar.urlpatterns,
    *views_dashboard.urlpatterns,
    *views_public.urlpatterns,
    *views_analysis.urlpatterns,
    *views_events.urlpatterns,
    *views_children.urls(),
]
