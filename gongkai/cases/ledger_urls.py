"""/ledger/: export the ledger as .xlsx or .csv; import an office's own .xlsx ledger; the pages
of the background jobs doing either for large ledgers."""

from django.urls import path

from gongkai.cases import ledger_views
from gongkai.db_router import replica_view

app_name = "ledger"

urlpatterns = [
    path("export/", replica_view(ledger_views.export), name="export"),
    path("import/", ledger_views.upload, name="import"),
    path("import/<str:token>/", ledger_views.review, name="import_review"),
    path("import/<str:token>/run/", ledger_views.run, name="import_run"),
    path("import/<str:token>/done/", ledger_views.done, name="import_done"),
    path("jobs/<int:pk>/", ledger_views.job_page, name="job"),
    path("jobs/<int:pk>/progress/", ledger_views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/download/", ledger_views.job_download, name="job_download"),
]
