from django.urls import path

from gongkai.disclosure import views

app_name = "letters"

urlpatterns = [
    path("<int:pk>/approval-sheet/", views.approval_sheet, name="approval_sheet"),
    path("<int:pk>/<str:kind>/", views.generate, name="generate"),
]
