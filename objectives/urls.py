from objectives import sensors_urls

app_name = "objectives"

urlpatterns: list = [*sensors_urls.urlpatterns]
