"""Choosers for the editors' forms: searchable, paginated, and only the editor's own PCNs'.

Wagtail's `ChooserViewSet` gives the modal, its search and the widget that every form field
linking to the model uses; each view here narrows what it lists and what it accepts to the
PCNs the person works for (`home.boundary.for_user`), so another PCN's idea can be neither
found nor chosen by id.
"""

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
    ChosenMultipleView,
    ChosenView,
)
from wagtail.admin.viewsets.chooser import ChooserViewSet

from consultations.models import ConsultationPage, Idea, PostStatus
from home.boundary import for_user


def _ideas_for(user):
    """Published ideas of the PCNs the user works for: what an update may answer.

    Filtered by consultation id rather than by tree path, so the search backend (which
    filters on indexed fields only) can search within them.
    """
    consultations = for_user(ConsultationPage.objects.all(), user).values_list("pk", flat=True)
    return Idea.objects.filter(
        status=PostStatus.PUBLISHED, consultation_id__in=list(consultations)
    ).select_related("consultation")


class IdeaListingMixin:
    def get_object_list(self):
        return _ideas_for(self.request.user)

    @property
    def columns(self):
        return [
            *super().columns,
            Column("consultation", label="Consultation", accessor="consultation"),
            Column("support_count", label="Supporters"),
        ]


class IdeaChooseView(IdeaListingMixin, ChooseView):
    pass


class IdeaChooseResultsView(IdeaListingMixin, ChooseResultsView):
    pass


class IdeaChosenView(ChosenView):
    def get_object(self, pk):
        return _ideas_for(self.request.user).get(pk=pk)


class IdeaChosenMultipleView(ChosenMultipleView):
    def get_objects(self, pks):
        return _ideas_for(self.request.user).filter(pk__in=[pk for pk in pks if pk.isdigit()])


class IdeaChooserViewSet(ChooserViewSet):
    model = Idea
    icon = "comment"
    choose_one_text = "Choose an idea"
    choose_another_text = "Choose another idea"
    page_title = "Choose ideas"
    per_page = 20
    ordering = ["-created_at", "-pk"]
    choose_view_class = IdeaChooseView
    choose_results_view_class = IdeaChooseResultsView
    chosen_view_class = IdeaChosenView
    chosen_multiple_view_class = IdeaChosenMultipleView

    def get_urlpatterns(self):
        """Without Wagtail's "create" screen: residents write ideas, editors only choose them."""
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "create"]


idea_chooser_viewset = IdeaChooserViewSet("idea_chooser", url_prefix="choose/idea")
