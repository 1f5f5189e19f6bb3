"""Wagtail's theme screens (listing, create, edit, delete, inspect, history, usage)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.snippets.views import snippets as snippet_views

from consultations import moderation
from consultations.forms import apply_validation_error
from consultations.models import Theme
from consultations.viewsets.themes.policy import theme_permission_policy

# The listing


class ThemeIndexView(snippet_views.IndexView):
    """Wagtail's listing, with a way to the screens Wagtail has no equivalent for: the
    ideas of each theme, and, once a consultation is chosen, grouping its ideas and
    suggested themes."""

    @cached_property
    def chosen_consultation(self):
        filters = getattr(self, "filters", None)
        if filters is not None and filters.is_valid():
            return filters.form.cleaned_data.get("consultation")
        return None

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        consultation = self.chosen_consultation
        if consultation is not None:
            buttons += [
                HeaderButton(
                    "Group ideas into themes",
                    url=reverse(
                        Theme.snippet_viewset.get_url_name("assign"), args=[consultation.pk]
                    ),
                    icon_name="list-ul",
                ),
                HeaderButton(
                    "Suggested themes",
                    url=reverse(
                        Theme.snippet_viewset.get_url_name("suggestions"), args=[consultation.pk]
                    ),
                    icon_name="wand-magic-sparkles",
                ),
                HeaderButton(
                    "What we heard, in residents' words",
                    url=reverse(
                        Theme.snippet_viewset.get_url_name("consultation_draft"),
                        args=[consultation.pk],
                    ),
                    icon_name="openquote",
                ),
            ]
        return buttons

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            ListingMenuItem(
                "Ideas and quotes",
                url=reverse(Theme.snippet_viewset.get_url_name("ideas"), args=[instance.pk]),
                icon_name="list-ul",
                priority=15,
            ),
            ListingMenuItem(
                "Draft what we heard",
                url=reverse(Theme.snippet_viewset.get_url_name("draft"), args=[instance.pk]),
                icon_name="openquote",
                priority=15,
            ),
            ListingMenuItem(
                "Group this consultation's ideas",
                url=reverse(
                    Theme.snippet_viewset.get_url_name("assign"), args=[instance.consultation_id]
                ),
                icon_name="list-ul",
                priority=16,
            ),
        ]


# Create, edit and delete: Wagtail's screens, saving through the services


class _ServiceSaveMixin:
    """A service's refusal (a name already used, a choice across the PCN boundary) is shown
    on the form, with what the moderator typed kept."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            apply_validation_error(form, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ThemeCreateView(_ServiceSaveMixin, snippet_views.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return moderation.theme_create(
            consultation=data["consultation"],
            user=self.request.user,
            name=data["name"],
            summary=data["summary"],
            priority=data["priority"],
        )


class _WithinPcnMixin:
    """Wagtail's object screens find the object by id in the whole table; these refuse a
    theme the user does not moderate, as the policy says."""

    object_permissions = ("change", "delete", "view")

    def get_object(self, *args, **kwargs):
        theme = super().get_object(*args, **kwargs)
        if not theme_permission_policy.user_has_any_permission_for_instance(
            self.request.user, self.object_permissions, theme
        ):
            raise PermissionDenied("You do not moderate this consultation.")
        return theme

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        theme = getattr(self, "object", None)
        if theme is not None and theme.pk:
            buttons.append(
                Button(
                    "Ideas and quotes",
                    url=reverse(Theme.snippet_viewset.get_url_name("ideas"), args=[theme.pk]),
                    icon_name="list-ul",
                    priority=5,
                )
            )
        return buttons


class ThemeEditView(_WithinPcnMixin, _ServiceSaveMixin, snippet_views.EditView):
    object_permissions = ("change",)

    def save_instance(self):
        data = self.form.cleaned_data
        return moderation.theme_update(
            theme=self.form.instance,
            user=self.request.user,
            name=data["name"],
            summary=data["summary"],
            priority=data["priority"],
        )


class ThemeDeleteView(_WithinPcnMixin, snippet_views.DeleteView):
    object_permissions = ("delete",)
    success_message = "Theme '%(object)s' deleted. Its ideas are unchanged."

    def delete_action(self):
        moderation.theme_delete(theme=self.object, user=self.request.user)


class ThemeInspectView(_WithinPcnMixin, snippet_views.InspectView):
    pass


class ThemeHistoryView(_WithinPcnMixin, snippet_views.HistoryView):
    pass


class ThemeUsageView(_WithinPcnMixin, snippet_views.UsageView):
    pass
