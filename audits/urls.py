from audits import views_banks, views_checklist, views_suppliers

app_name = "audits"

urlpatterns: list = [
    *views_banks.urls(),
    *views_checklist.urls(),
    *views_suppliers.urls(),
]
