from django.urls import path

from compliance import views, views_checks, views_documents, views_pages

app_name = "compliance"

urlpatterns = [
    path("applicability/sites/", views_pages.applicability_home, name="applicability_home"),
    path("applicability/sites/<int:pk>/", views_pages.site_applicability, name="site_applicability"),
    path("evaluations/<int:pk>/action/", views_pages.evaluation_action_create, name="evaluation_action_create"),
    path("evaluations/<int:pk>/link-action/", views_pages.evaluation_action_link, name="evaluation_action_link"),
    path("inbox/<int:pk>/qualify/", views_pages.watchitem_qualify, name="watchitem_qualify"),
    path("inbox/qualify/", views_pages.watchitem_bulk, name="watchitem_bulk"),
    path("sources/<int:pk>/poll/", views_pages.source_poll, name="source_poll"),
    path("library/", views_pages.library, name="library"),
    path("dashboard/", views_pages.dashboard, name="dashboard"),
    *views.TextViews.urls(),
    *views.TextVersionViews.urls(),
    *views.RequirementViews.urls(),
    *views.SiteProfileViews.urls(),
    *views.IcpeClassificationViews.urls(),
    *views.ApplicabilityViews.urls(),
    *views.EvaluationViews.urls(),
    *views.InterlocutorViews.urls(),
    *views.SourceViews.urls(),
    *views.WatchItemViews.urls(),
    *views_checks.urls(),
    *views_documents.urls(),
]
