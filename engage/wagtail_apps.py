"""Wagtail's apps, set up as Wagtail sets them up but for its API v3, which this site does
not serve.

Wagtail 8's images, documents, snippets and redirects apps each end their `ready()` by
registering their routers and content types with the API v3 (`wagtail.api.v3.api`, built on
django-ninja and pydantic). The site serves no API v3 (`wagtail.api.v3` is not installed
and no URL includes it; the open data API is `consultations.api`), yet those imports cost
every web worker about 40 MiB and a third of a second at start. These configurations do the
rest of each `ready()`, statement for statement: tests/engage/test_wagtail_apps.py compares
each with Wagtail's own, so an upgrade that changes one fails until this file follows it.
"""

from django.db.models import ForeignKey
from django.db.models.signals import post_migrate
from wagtail.contrib.redirects.apps import WagtailRedirectsAppConfig
from wagtail.documents.apps import WagtailDocsAppConfig
from wagtail.images.apps import WagtailImagesAppConfig
from wagtail.snippets.apps import WagtailSnippetsAppConfig


class ImagesConfig(WagtailImagesAppConfig):
    default = False

    def ready(self):
        from wagtail.images import get_image_model, get_permission_policy
        from wagtail.permissions import register_permission_policy

        Image = get_image_model()
        register_permission_policy(Image, get_permission_policy())

        from wagtail.images.signal_handlers import register_signal_handlers

        register_signal_handlers()

        from wagtail.admin.forms.models import register_form_field_override
        from wagtail.images.widgets import AdminImageChooser

        register_form_field_override(ForeignKey, to=Image, override={"widget": AdminImageChooser})

        from wagtail.admin.compare import register_comparison_class
        from wagtail.images.edit_handlers import ImageFieldComparison

        register_comparison_class(ForeignKey, to=Image, comparison_class=ImageFieldComparison)

        from wagtail.admin.ui.fields import register_display_class
        from wagtail.images.components import ImageDisplay

        register_display_class(ForeignKey, to=Image, display_class=ImageDisplay)

        from wagtail.models.reference_index import ReferenceIndex

        ReferenceIndex.register_model(Image)


class DocumentsConfig(WagtailDocsAppConfig):
    default = False

    def ready(self):
        from wagtail.documents import get_document_model, get_permission_policy
        from wagtail.documents.signal_handlers import register_signal_handlers
        from wagtail.permissions import register_permission_policy

        Document = get_document_model()
        register_permission_policy(Document, get_permission_policy())
        register_signal_handlers()

        from wagtail.admin.ui.fields import register_display_class
        from wagtail.documents.components import DocumentDisplay

        register_display_class(ForeignKey, to=Document, display_class=DocumentDisplay)

        from wagtail.models.reference_index import ReferenceIndex

        ReferenceIndex.register_model(Document)


class SnippetsConfig(WagtailSnippetsAppConfig):
    default = False

    def ready(self):
        from wagtail.snippets.models import create_extra_permissions, register_deferred_snippets

        register_deferred_snippets()
        post_migrate.connect(create_extra_permissions, sender=self)


class RedirectsConfig(WagtailRedirectsAppConfig):
    default = False

    def ready(self):
        from wagtail.contrib.redirects.models import Redirect
        from wagtail.permissions import register_permission_policy

        register_permission_policy(Redirect)

        from wagtail.contrib.redirects.signal_handlers import (
            autocreate_redirects_on_page_move,
            autocreate_redirects_on_slug_change,
        )
        from wagtail.signals import page_slug_changed, post_page_move

        post_page_move.connect(autocreate_redirects_on_page_move)
        page_slug_changed.connect(autocreate_redirects_on_slug_change)
