"""Resident pages that are not part of one consultation."""

from django.urls import path

from consultations import resident_views

app_name = "consultations"

urlpatterns = [
    path("my-contributions/", resident_views.my_contributions, name="my-contributions"),
    path("notifications/", resident_views.notification_preferences, name="preferences"),
    path("about-you/", resident_views.about_you, name="about-you"),
    path(
        "notifications/unsubscribe/<str:token>/",
        resident_views.unsubscribe,
        name="unsubscribe",
    ),
]
