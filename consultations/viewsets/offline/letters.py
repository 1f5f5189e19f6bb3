"""The letters screens: the listing of letters to print, and the printable letters."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views import View
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import HeaderButton

from consultations import loop, notifications, permissions
from consultations.models import Letter, UpdatePage
from consultations.viewsets.offline.policy import _letters_listed, letter_policy, offline_pcns
from engage.ids import posted_ids


def print_url(update_id, letter_id=None) -> str:
    """The printable letters of an update, or (no update) about their ideas' progress."""
    if update_id is None:
        url = reverse("letters:print_progress")
    else:
        url = reverse("letters:print", args=[update_id])
    return f"{url}?letters={letter_id}" if letter_id else url


PROGRESS = "Their idea's progress: themes and priorities"


class AddressColumn(Column):
    cell_template_name = "consultations/offline/address_cell.html"


class LinkColumn(Column):
    cell_template_name = "consultations/offline/link_cell.html"


class LetterIndexView(IndexView):
    page_title = "Letters to print"
    template_name = "consultations/offline/letters_index.html"
    default_ordering = "status"
    search_fields = ["contributor__name", "contributor__postal_address"]
    search_backend_name = None

    def get_base_queryset(self):
        return _letters_listed(self.request.user)

    def order_queryset(self, queryset):
        ordering = self.ordering or self.default_ordering
        return super().order_queryset(queryset).order_by(ordering, "created_at", "pk")

    @cached_property
    def chosen_update(self):
        if self.filters is None or not self.filters.is_valid():
            return None
        return self.filters.form.cleaned_data.get("update")

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        buttons.append(
            HeaderButton(
                "Print the progress letters",
                url=print_url(None),
                icon_name="doc-full",
                attrs={"target": "_blank", "rel": "noopener"},
            )
        )
        if self.chosen_update is not None:
            buttons.append(
                HeaderButton(
                    "Print the letters to print",
                    url=print_url(self.chosen_update.pk),
                    icon_name="doc-full",
                    attrs={"target": "_blank", "rel": "noopener"},
                )
            )
        return buttons

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="letter"),
            TitleColumn(
                "name",
                label="To",
                accessor="contributor.name",
                get_title_id=lambda letter: f"letter_{letter.pk}_title",
                sort_key="contributor__name",
            ),
            AddressColumn("address", label="Address", accessor="contributor.postal_address"),
            Column(
                "ideas",
                label="Their idea",
                accessor=lambda letter: "; ".join(
                    idea.title for idea in letter.contributor.published_ideas
                ),
            ),
            Column(
                "update",
                label="About",
                accessor=lambda letter: letter.update.title if letter.update_id else PROGRESS,
                sort_key="update__title",
            ),
            Column(
                "format",
                label="Format needed",
                accessor=lambda letter: (
                    "; ".join(letter.contributor.needs.described)
                    if letter.contributor.needs
                    else "Standard print"
                ),
            ),
            Column("status", label="Status", accessor="get_status_display", sort_key="status"),
            DateColumn("created_at", label="Due since", sort_key="created_at"),
            LinkColumn(
                "print",
                label="Print",
                accessor=lambda letter: (
                    (print_url(letter.update_id, letter.pk), "Print this letter")
                    if letter.status == Letter.Status.DUE
                    else None
                ),
            ),
        ]


class LettersPrintView(PermissionCheckedMixin, View):
    """The letters to print for one update, one per A4 page, printed from the browser.

    A custom view: Wagtail has no print view, and this page is a letter, not an admin
    screen (no admin chrome, the NHS look). `?letters=<id>` prints some of them only.
    """

    permission_policy = letter_policy
    permission_required = "view"

    def get(self, request, pk):
        update = get_object_or_404(UpdatePage.objects.live(), pk=pk)
        if not permissions.can_send_letters(request.user, update):
            raise PermissionDenied("You cannot send letters for this update.")
        letters = loop.letters_due(update=update)
        wanted = posted_ids(request.GET, "letters")
        if wanted:
            letters = letters.filter(pk__in=wanted)
        return TemplateResponse(
            request,
            "consultations/offline/letters_print.html",
            {
                "update": update,
                "pcn": update.pcn,
                "letters": [
                    (
                        letter,
                        [
                            (idea, notifications.idea_full_url(idea))
                            for idea in letter.contributor.answered_ideas
                        ],
                    )
                    for letter in letters
                ],
                "actions": update.actions.all(),
                "list_url": reverse("letters:index")
                + "?"
                + urlencode({"update": update.pk, "status": Letter.Status.DUE}),
                "update_url": update.full_url,
                "today": timezone.localdate(),
            },
        )


class ProgressLettersPrintView(PermissionCheckedMixin, View):
    """The letters about their ideas' progress, one per contributor and A4 page: each step
    owed since their last letter (put in a theme, the theme linked to a vision priority,
    their Place, or their integrated care system, acting on a priority that cites it).
    Those of the PCNs the user sends letters for; `?letters=<id>` prints some of them only.
    """

    permission_policy = letter_policy
    permission_required = "view"

    def get(self, request):
        letters = loop.journey_letters_due(pcns=offline_pcns(request.user))
        wanted = posted_ids(request.GET, "letters")
        if wanted:
            letters = letters.filter(pk__in=wanted)
        printed = []
        for letter in letters:
            ideas: dict[int, dict] = {}
            decisions = []  # a Place or the ICS acted on a priority citing their idea's theme
            for step in letter.current_steps:
                if step.idea_id is None:
                    update = step.ics_update if step.ics_update_id else step.place_update
                    decisions.append(
                        {
                            "update": update,
                            "ics": bool(step.ics_update_id),
                            "by": update.ics if step.ics_update_id else update.place,
                            "url": update.full_url,
                        }
                    )
                    continue
                ideas.setdefault(
                    step.idea_id,
                    {"idea": step.idea, "url": notifications.idea_full_url(step.idea), "steps": []},
                )["steps"].append(step)
            printed.append((letter, list(ideas.values()), decisions))
        return TemplateResponse(
            request,
            "consultations/offline/letters_print_progress.html",
            {
                "letters": printed,
                "list_url": reverse("letters:index") + "?" + urlencode({"status": "due"}),
                "today": timezone.localdate(),
            },
        )
