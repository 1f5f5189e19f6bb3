"""Resident pages that are not part of one consultation."""

from django.urls import path

from consultations import resident_views
from consultations.views import no_account

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
    # Taking part without an account: the code from the email, and the email's link.
    path("take-part/check-your-email/", no_account.no_account_sent, name="no-account-sent"),
    path(
        "take-part/confirm/<str:token>/",
        no_account.no_account_confirm,
        name="no-account-confirm",
    ),
]
