"""Bulk actions on pages, images, documents, people and snippets, confirmed and done only for
the objects the person may see."""

import functools

from django.apps import apps
from django.http import Http404
from wagtail.admin.views.bulk_action.registry import bulk_action_registry

from home.admin_scope import (
    admin_visible,
)


class PcnBoundaryBulkActionMixin:
    """A bulk action (for pages, images, documents, people, snippets) that acts on, and names
    in its confirmation, only the objects the person may see in the admin. Wagtail's names
    every object it was given, listing those the person may not act on as such."""

    def get_actionable_objects(self):
        # Decided once: the action asks again after it has run (when deleted objects are
        # no longer there to be seen).
        if not hasattr(self, "_within_pcn_boundary"):
            objects, extra = super().get_actionable_objects()
            refused = extra.get("items_with_no_access", [])
            everything = [*objects, *refused]
            visible = set(
                admin_visible(
                    self.model._default_manager.filter(pk__in=[obj.pk for obj in everything]),
                    user=self.request.user,
                ).values_list("pk", flat=True)
            )
            if everything and not visible:
                raise Http404
            extra = {**extra, "items_with_no_access": [o for o in refused if o.pk in visible]}
            self._within_pcn_boundary = ([o for o in objects if o.pk in visible], extra)
        objects, extra = self._within_pcn_boundary
        return list(objects), dict(extra)


@functools.cache
def _bounded_bulk_action(action_class):
    return type(
        action_class.__name__,
        (PcnBoundaryBulkActionMixin, action_class),
        {"__module__": __name__, "__doc__": action_class.__doc__},
    )


def bulk_action(request, app_label, model_name, action):
    """Wagtail's bulk action dispatcher (`/admin/bulk/<app>/<model>/<action>/`), with every
    action, present and future, kept within the PCN boundary. Wagtail has a hook before and
    after a bulk action runs, but none for what its confirmation screen shows."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    action_class = bulk_action_registry.get_bulk_action_class(app_label, model_name, action)
    if action_class is None:
        raise Http404
    return _bounded_bulk_action(action_class)(request, model).dispatch(request)
