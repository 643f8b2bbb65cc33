from django.contrib import admin
from django.urls import include, path

from gongkai.cases import urls as cases_urls
from gongkai.web import views as web_views

# The 工作台 composes the applications and the reports due, so its view lives above the apps
# (gongkai.web); it keeps its place and its name in the `cases` namespace: `cases:dashboard`.
CASES = ([path("", web_views.dashboard, name="dashboard"), *cases_urls.urlpatterns], "cases")

urlpatterns = [
    path("", include(CASES)),
    path("ledger/", include("gongkai.cases.ledger_urls")),
    path("reports/", include("gongkai.reports.urls")),
    path("letters/", include("gongkai.disclosure.urls")),
    path("accounts/", include("gongkai.accounts.urls")),
    path("api/", include("gongkai.api.urls")),
    path("open/", include("gongkai.portal.urls")),
    path("portal/", include("gongkai.portal.manage_urls")),
    path("supervision/", include("gongkai.supervision.urls")),
    path("audit/", include("gongkai.audit.urls")),
    path("admin/", admin.site.urls),
]
