from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from engage.views import AdminLoginRedirectView, DisplayNameUpdateView, SignInRedirectView

urlpatterns = [
    # Everyone signs in through allauth, which asks for the authenticator code; the admin's own
    # sign-in form would not.
    path("admin/login/", AdminLoginRedirectView.as_view(), name="admin-login-redirect"),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's sign-in for private pages is Django's password-only form: the same redirect.
    path("_util/login/", SignInRedirectView.as_view(), name="page-login-redirect"),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/profile/", DisplayNameUpdateView.as_view(), name="account_profile"),
    path("accounts/", include("allauth.urls")),
    path("", include("consultations.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
