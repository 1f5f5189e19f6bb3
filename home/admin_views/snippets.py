"""Snippet choosers that offer, and accept, only the snippets the person may see."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
    SnippetCreateView,
)

from home.admin_scope import (
    admin_visible,
)

# Snippets: choosers


class _ScopedChooserMixin:
    def get_object_list(self):
        return admin_visible(super().get_object_list(), user=self.request.user)


class PcnSnippetChooseView(_ScopedChooserMixin, ChooseView):
    pass


class PcnSnippetChooseResultsView(_ScopedChooserMixin, ChooseResultsView):
    pass


class PcnSnippetChosenView(SnippetChosenView):
    def get_object(self, pk):
        queryset = admin_visible(self.model_class._default_manager.all(), user=self.request.user)
        try:
            return queryset.get(pk=pk)
        except ObjectDoesNotExist as error:
            raise Http404 from error


class PcnSnippetChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return admin_visible(
            self.model_class._default_manager.filter(pk__in=pks), user=self.request.user
        )


class PcnSnippetCreateView(SnippetCreateView):
    """Creating from the chooser: Wagtail's (it needs the model's add permission, and the
    new object is the person's own), part of the chooser like its other screens."""


class PcnSnippetChooserViewSet(SnippetChooserViewSet):
    """A snippet chooser that offers, and accepts, only the person's PCNs' objects: Wagtail's
    is open to anyone with admin access, whatever their permissions on the model."""

    choose_view_class = PcnSnippetChooseView
    choose_results_view_class = PcnSnippetChooseResultsView
    chosen_view_class = PcnSnippetChosenView
    chosen_multiple_view_class = PcnSnippetChosenMultipleView
    create_view_class = PcnSnippetCreateView
