from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("gongkai.cases.urls")),
    path("ledger/", include("gongkai.cases.ledger_urls")),
    path("reports/", include("gongkai.reports.urls")),
    path("letters/", include("gongkai.disclosure.urls")),
    path("accounts/", include("gongkai.accounts.urls")),
    path("api/", include("gongkai.api.urls")),
    path("audit/", include("gongkai.audit.urls")),
    path("admin/", admin.site.urls),
]
