from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from engage import views as account_views

urlpatterns = [
    # Everyone signs in through allauth, which asks for the authenticator code; the admin's own
    # sign-in form would not.
    path(
        "admin/login/", account_views.AdminLoginRedirectView.as_view(), name="admin-login-redirect"
    ),
    # Wagtail admin screens that show other PCNs' pages, people and uploads, replaced at
    # their own addresses to keep each PCN to its own (home/admin_urls.py).
    path("admin/", include("home.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's sign-in for private pages is Django's password-only form: the same redirect.
    path("_util/login/", account_views.SignInRedirectView.as_view(), name="page-login-redirect"),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "accounts/profile/",
        account_views.DisplayNameUpdateView.as_view(),
        name="account_profile",
    ),
    path(
        "accounts/your-data/",
        account_views.account_data_download,
        name="account_data_download",
    ),
    path("accounts/delete/", account_views.account_erase, name="account_erase"),
    path(
        "accounts/delete/done/",
        account_views.account_erase_done,
        name="account_erase_done",
    ),
    path("accounts/", include("allauth.urls")),
    # The open data API: public, read-only JSON (consultations/api/, README "Open data API").
    path("api/v1/", include("consultations.api.urls")),
    path("", include("home.urls")),
    path("", include("consultations.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
