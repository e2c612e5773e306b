from django.urls import path

from improvement import views, views_ideas

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
    *views_ideas.SuggestionViews.urls(),
    *views_ideas.ImprovementProjectViews.urls(),
    *views_ideas.ProjectPhaseViews.urls(),
]
