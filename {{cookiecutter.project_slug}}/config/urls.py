from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

# Registers the schema's extensions (the session JWT scheme, the errors' bodies) for the views below.
import accounts.schema  # noqa: F401

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/accounts/v1/", include("accounts.urls")),
    # A fixed version: drf-spectacular would copy ?version= unchecked into a response header.
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

# A URL under api/ that no view matches, or an error no view answered, is JSON as the API's views are.
handler404 = "config.exceptions.page_not_found"
handler500 = "config.exceptions.server_error"
