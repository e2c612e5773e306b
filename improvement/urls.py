from django.urls import path

from improvement import review_views, views, views_ideas, views_teams

app_name = "improvement"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mine/", views.my_actions, name="my_actions"),
    path("board/", views.board, name="board"),
    path("actions/<int:pk>/progress/", views.action_progress, name="action_progress"),
    path("actions/<int:pk>/transition/", views.action_transition, name="action_transition"),
    path("actions/<int:pk>/effectiveness/", views.action_effectiveness, name="action_effectiveness"),
    path("actions/<int:pk>/move/", views.action_move, name="action_move"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    *views.ActionPlanViews.urls(),
    *views.ActionViews.urls(),
    path("reviews/<int:pk>/step/", review_views.review_step, name="managementreview_step"),
    path("reviews/<int:pk>/word/", review_views.review_word, name="managementreview_word"),
    path("reviews/<int:pk>/comment/", review_views.input_comment, name="managementreview_comment"),
    *review_views.ManagementReviewViews.urls(),
    *review_views.ReviewDecisionViews.urls(),
    *views_teams.urls(),
    *views_ideas.SuggestionViews.urls(),
    *views_ideas.ImprovementProjectViews.urls(),
    *views_ideas.ProjectPhaseViews.urls(),
]
