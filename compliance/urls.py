from compliance import views_checks, views_documents

app_name = "compliance"

urlpatterns: list = [
    *views_checks.urls(),
    *views_documents.urls(),
]
