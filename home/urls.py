from django.urls import path

from home import views

app_name = "home"

urlpatterns = [
    path("accessibility/", views.accessibility_statement, name="accessibility-statement"),
]
