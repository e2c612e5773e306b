from django.urls import path

from risks import (
    views,
    views_aspects,
    views_duerp,
    views_environment,
    views_environment_consumption,
    views_environment_ghg,
)

app_name = "risks"

urlpatterns = [
    path("heatmap/", views.heatmap, name="heatmap"),
    path("library/", views.matrix_library, name="matrix_library"),
    path("risks/<int:pk>/action/", views.risk_action_create, name="risk_action_create"),
    *views.RiskMatrixViews.urls(),
    *views.RiskViews.urls(),
    *views_duerp.urls(),
    *views_aspects.EnvironmentalAspectViews.urls(),
    *views_environment.urls(),
    *views_environment_consumption.urls(),
    *views_environment_ghg.urls(),
]
