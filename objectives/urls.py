from django.urls import path

from objectives import sensors_urls, views, views_pages

app_name = "objectives"

urlpatterns = [
    path("tree/", views_pages.tree, name="tree"),
    path("home/", views_pages.management_home, name="management_home"),
    path("workload/", views_pages.workload, name="workload"),
    path("plans/<int:pk>/gantt/", views_pages.plan_gantt, name="actionplan_gantt"),
    path("objectives/<int:pk>/gantt/", views_pages.objective_gantt, name="objective_gantt"),
    path("indicators/<int:pk>/preventive-action/", views_pages.preventive_action, name="indicator_preventive_action"),
    path("indicators/<int:pk>/measure/", views_pages.measure, name="indicator_measure"),
    *views.PolicyAxisViews.urls(),
    *views.ObjectiveViews.urls(),
    *views.IndicatorViews.urls(),
    *views.MeasurementViews.urls(),
    *views.DashboardViews.urls(),
    *views.DashboardTileViews.urls(),
    *views.ActionDependencyViews.urls(),
    *sensors_urls.urlpatterns,
]
