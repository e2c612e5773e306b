from nonconformities import views_analysis, views_dashboard, views_events, views_public

app_name = "nonconformities"

urlpatterns = [
    *views_events.urlpatterns,
    *views_analysis.urlpatterns,
    *views_dashboard.urlpatterns,
    *views_public.urlpatterns,
]
