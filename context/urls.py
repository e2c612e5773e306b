from django.urls import path

from context import views

app_name = "context"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("swot/", views.swot, name="swot"),
    path("parties/map/", views.party_map, name="party_map"),
    path("statements/<int:pk>/new-version/", views.policystatement_new_version, name="policystatement_new_version"),
    *views.PolicyStatementViews.urls(),
    *views.ContextIssueViews.urls(),
    *views.SwotItemViews.urls(),
    *views.InterestedPartyViews.urls(),
    *views.PartyExpectationViews.urls(),
    *views.ClimateDecisionViews.urls(),
]
