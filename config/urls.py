from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from difference.accounts.permissions import HasCapability
from difference.accounts.roles import Capability
from difference.core.views import healthz
from difference.home.views import home, search

# Error pages in the site's layout; 400, 403 and 404 use Django's views with templates/<code>.html.
handler500 = "difference.core.views.server_error"

admin.site.site_header = "Difference administration"
# The admin's own login form knows nothing of MFA: send it through allauth's.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

api_docs_permissions = [HasCapability.of(Capability.VIEW_API_DOCS)]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("search/", search, name="search"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("schools/", include("difference.schools.urls")),
    path("people/", include("difference.people.urls")),
    path("placements/", include("difference.placements.urls")),
    path("recruitment/", include("difference.recruitment.urls")),
    path("training/", include("difference.training.urls")),
    path("benchmarks/", include("difference.benchmarks.urls")),
    path("consultancy/", include("difference.consultancy.urls")),
    path("projects/", include("difference.projects.urls")),
    path("careers/", include("difference.careers.urls")),
    path("jobs/", include("difference.jobs.urls")),
    path("api/v1/", include(("config.api_router", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema", permission_classes=api_docs_permissions),
        name="api_docs",
    ),
]
