"""The PPG moderators' screens in the Wagtail admin: themes (the queue and a post's screen are
viewsets: consultations/viewsets/moderation.py);
and, for moderators and PCN staff, contributions entered for residents who took part on
paper, by phone or at a meeting, and the letters that tell them what happened.

Every view asks `permissions` whether the user moderates (or works for) the PCN concerned,
and every list is limited to the consultations and updates of those PCNs.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from consultations import loop, moderation, notifications, permissions, services, suggestions
from consultations.forms import ModelIdChoiceField, apply_validation_error
from consultations.models import (
    Channel,
    ConsultationPage,
    Idea,
    Letter,
    Phase,
    PostStatus,
    ReplyBy,
    Theme,
    ThemeQuote,
    ThemeSuggestion,
    UpdatePage,
)
from engage.ids import posted_id, posted_ids
from home.models import HomePage, Neighbourhood, VisionPriority

QUEUE_PER_PAGE = 50


def moderated_consultations(user):
    """The consultations of every PCN the user moderates (all of them for an admin)."""
    consultations = ConsultationPage.objects.all()
    if user.is_superuser:
        return consultations
    homes = HomePage.objects.filter(pcn__moderator_group__in=user.groups.all())
    if not homes:
        return consultations.none()
    query = Q()
    for home in homes:
        query |= Q(path__startswith=home.path)
    return consultations.filter(query)


def user_moderates_anything(user) -> bool:
    return (
        user.is_superuser
        or HomePage.objects.filter(pcn__moderator_group__in=user.groups.all()).exists()
    )


class ModeratorMixin(WagtailAdminTemplateMixin):
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not user_moderates_anything(request.user):
            raise PermissionDenied("You are not a moderator.")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse("moderation_ideas:index"), "label": "Moderation"},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self):
        return []


# Themes


class ThemeForm(forms.Form):
    name = forms.CharField(max_length=120)
    summary = forms.CharField(
        label="What we heard",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=3000,
        help_text="A short, plain-English summary of what residents said.",
    )
    priority = forms.ModelChoiceField(
        label="Feeds into the vision priority",
        queryset=VisionPriority.objects.none(),
        required=False,
        empty_label="No priority yet",
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        home = consultation.home_page
        self.fields["priority"].queryset = VisionPriority.objects.filter(
            page__path__startswith=home.path
        ).order_by("sort_order")


def _consultation_for(user, pk) -> ConsultationPage:
    consultation = get_object_or_404(ConsultationPage, pk=pk)
    if not permissions.can_moderate(user, consultation):
        raise PermissionDenied("You do not moderate this consultation.")
    return consultation


class ConsultationListView(ModeratorMixin, View):
    template_name = "consultations/admin/consultations.html"
    page_title = "Themes"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": "Themes"}]

    def get(self, request):
        consultations = (
            moderated_consultations(request.user)
            .annotate(theme_count=Count("themes", distinct=True))
            .order_by("-closes_at")
        )
        return self.render_to_response(self.get_context_data(consultations=consultations))


class ThemeListView(ModeratorMixin, View):
    """A consultation's themes: create, merge, and ask for suggestions."""

    template_name = "consultations/admin/themes.html"

    def get_page_title(self):
        return f"Themes: {self.consultation.title}"

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("moderation:consultations"), "label": "Themes"},
            {"url": "", "label": self.consultation.title},
        ]

    def context(self, form, *, typed_names=None):
        """`typed_names`: suggestion id -> the name the moderator typed for it, shown again
        when accepting it failed."""
        themes = (
            Theme.objects.filter(consultation=self.consultation)
            .annotate(idea_count=Count("ideas", filter=Q(ideas__status=PostStatus.PUBLISHED)))
            .select_related("priority")
        )
        run = self.consultation.suggestion_runs.first()
        suggestions = (
            list(
                run.suggestions.filter(status=ThemeSuggestion.Status.PROPOSED)
                .annotate(idea_count=Count("ideas"))
                .prefetch_related(Prefetch("ideas", queryset=Idea.objects.order_by("pk")))
            )
            if run
            else []
        )
        for suggestion in suggestions:
            suggestion.shown_name = (typed_names or {}).get(suggestion.pk, suggestion.name)
        return self.get_context_data(
            consultation=self.consultation,
            themes=themes,
            form=form,
            run=run,
            suggestions=suggestions,
            unthemed=Idea.objects.filter(
                consultation=self.consultation, status=PostStatus.PUBLISHED, themes__isnull=True
            ).count(),
        )

    def get(self, request, pk):
        self.consultation = _consultation_for(request.user, pk)
        return self.render_to_response(self.context(ThemeForm(consultation=self.consultation)))

    def post(self, request, pk):
        self.consultation = _consultation_for(request.user, pk)
        action = request.POST.get("action")
        form = ThemeForm(consultation=self.consultation)
        try:
            if action == "create":
                form = ThemeForm(request.POST, consultation=self.consultation)
                if form.is_valid():
                    theme = moderation.theme_create(
                        consultation=self.consultation, user=request.user, **form.cleaned_data
                    )
                    messages.success(request, f"Theme '{theme.name}' created.")
                    return redirect(request.path)
            elif action == "merge":
                ids = posted_ids(request.POST, "themes")
                into_id = posted_id(request.POST, "into")
                themes = list(Theme.objects.filter(consultation=self.consultation, pk__in=ids))
                into = next((t for t in themes if t.pk == into_id), None)
                if into is None or len(themes) < 2:
                    messages.error(request, "Tick two or more themes, and choose the one to keep.")
                else:
                    moderation.theme_merge(into=into, others=themes, user=request.user)
                    messages.success(request, f"Merged into '{into.name}'.")
                return redirect(request.path)
            elif action == "suggest":
                suggestions.suggestion_run_request(
                    consultation=self.consultation, user=request.user
                )
                messages.success(
                    request,
                    "Working out suggested themes. Refresh this page in a moment to see them.",
                )
                return redirect(request.path)
            elif action in ("accept", "discard"):
                suggestion = get_object_or_404(
                    ThemeSuggestion,
                    pk=posted_id(request.POST, "suggestion"),
                    run__consultation=self.consultation,
                )
                if action == "accept":
                    theme = suggestions.suggestion_accept(
                        suggestion=suggestion, user=request.user, name=request.POST.get("name")
                    )
                    messages.success(request, f"Theme '{theme.name}' created from the suggestion.")
                else:
                    suggestions.suggestion_discard(suggestion=suggestion, user=request.user)
                    messages.success(request, "Suggestion discarded.")
                return redirect(request.path)
        except ValidationError as error:
            apply_validation_error(form, error)
            messages.error(request, " ".join(error.messages))
        typed = {}
        if action == "accept" and (suggestion_id := posted_id(request.POST, "suggestion")):
            typed[suggestion_id] = request.POST.get("name", "")
        return self.render_to_response(self.context(form, typed_names=typed), status=400)


class ThemeEditView(ModeratorMixin, View):
    """One theme: rename, summary, priority, its ideas (remove, split), and its quotes."""

    template_name = "consultations/admin/theme.html"

    def get_page_title(self):
        return f"Theme: {self.theme.name}"

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("moderation:consultations"), "label": "Themes"},
            {
                "url": reverse("moderation:themes", args=[self.theme.consultation_id]),
                "label": self.theme.consultation.title,
            },
            {"url": "", "label": self.theme.name},
        ]

    def load(self, request, pk):
        self.theme = get_object_or_404(Theme.objects.select_related("consultation"), pk=pk)
        if not permissions.can_moderate(request.user, self.theme.consultation):
            raise PermissionDenied("You do not moderate this consultation.")

    def context(self, form, *, new_name="", ticked=()):
        """`new_name` and `ticked`: what the moderator typed and ticked to split the theme,
        shown again when it failed."""
        return self.get_context_data(
            theme=self.theme,
            form=form,
            ideas=self.theme.ideas.filter(status=PostStatus.PUBLISHED).select_related(
                "neighbourhood"
            ),
            quotes=self.theme.quotes.select_related("idea"),
            max_quotes=ThemeQuote.MAX_PER_THEME,
            new_name=new_name,
            ticked=set(ticked),
        )

    def get(self, request, pk):
        self.load(request, pk)
        form = ThemeForm(
            initial={
                "name": self.theme.name,
                "summary": self.theme.summary,
                "priority": self.theme.priority_id,
            },
            consultation=self.theme.consultation,
        )
        return self.render_to_response(self.context(form))

    def post(self, request, pk):
        self.load(request, pk)
        action = "quote" if request.POST.get("quote_idea") else request.POST.get("action")
        form = ThemeForm(consultation=self.theme.consultation, initial={"name": self.theme.name})
        ideas = posted_ids(request.POST, "ideas")
        try:
            if action == "save":
                form = ThemeForm(request.POST, consultation=self.theme.consultation)
                if form.is_valid():
                    moderation.theme_update(
                        theme=self.theme, user=request.user, **form.cleaned_data
                    )
                    messages.success(request, "Theme saved.")
                    return redirect(request.path)
            elif action == "remove":
                moderation.theme_remove_ideas(theme=self.theme, user=request.user, idea_ids=ideas)
                messages.success(request, "Ideas removed from the theme.")
                return redirect(request.path)
            elif action == "split":
                new_theme = moderation.theme_split(
                    theme=self.theme,
                    user=request.user,
                    new_name=request.POST.get("new_name", ""),
                    idea_ids=ideas,
                )
                messages.success(request, f"Moved the ideas into a new theme, '{new_theme.name}'.")
                return redirect(request.path)
            elif action == "quote":
                idea = get_object_or_404(Idea, pk=posted_id(request.POST, "quote_idea"))
                moderation.theme_quote_add(
                    theme=self.theme,
                    user=request.user,
                    idea=idea,
                    text=request.POST.get("text", ""),
                )
                messages.success(request, "Quote added.")
                return redirect(request.path)
            elif action == "unquote":
                quote = get_object_or_404(
                    ThemeQuote, pk=posted_id(request.POST, "quote"), theme=self.theme
                )
                moderation.theme_quote_remove(quote=quote, user=request.user)
                messages.success(request, "Quote removed.")
                return redirect(request.path)
            elif action == "delete":
                consultation_id = self.theme.consultation_id
                moderation.theme_delete(theme=self.theme, user=request.user)
                messages.success(request, "Theme deleted. Its ideas are unchanged.")
                return redirect("moderation:themes", consultation_id)
        except ValidationError as error:
            apply_validation_error(form, error)
            messages.error(request, " ".join(error.messages))
        return self.render_to_response(
            self.context(form, new_name=request.POST.get("new_name", ""), ticked=ideas),
            status=400,
        )


class AssignIdeasView(ModeratorMixin, View):
    """The consultation's published ideas, to add to a theme one by one or in bulk."""

    template_name = "consultations/admin/assign.html"

    def get_page_title(self):
        return f"Group ideas: {self.consultation.title}"

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("moderation:consultations"), "label": "Themes"},
            {
                "url": reverse("moderation:themes", args=[self.consultation.pk]),
                "label": self.consultation.title,
            },
            {"url": "", "label": "Group ideas"},
        ]

    def get(self, request, pk):
        self.consultation = _consultation_for(request.user, pk)
        ideas = (
            Idea.objects.filter(consultation=self.consultation, status=PostStatus.PUBLISHED)
            .select_related("neighbourhood")
            .prefetch_related("themes")
            .order_by("created_at", "pk")
        )
        if request.GET.get("unthemed"):
            ideas = ideas.filter(themes__isnull=True)
        page = Paginator(ideas, QUEUE_PER_PAGE).get_page(request.GET.get("p"))
        return self.render_to_response(
            self.get_context_data(
                consultation=self.consultation,
                page_obj=page,
                themes=Theme.objects.filter(consultation=self.consultation),
                unthemed=bool(request.GET.get("unthemed")),
            )
        )

    def post(self, request, pk):
        self.consultation = _consultation_for(request.user, pk)
        theme_id = posted_id(request.POST, "theme")
        ids = posted_ids(request.POST, "ideas")
        theme = Theme.objects.filter(consultation=self.consultation, pk=theme_id).first()
        if theme is None or not ids:
            messages.error(request, "Tick at least one idea and choose a theme.")
        else:
            added = moderation.theme_assign_ideas(theme=theme, user=request.user, idea_ids=ids)
            messages.success(request, f"Added {added} idea(s) to '{theme.name}'.")
        return redirect(request.get_full_path())


# Contributions on paper, by phone and at meetings, entered for residents


def _homes_entered_for(user):
    """The home pages of the PCNs whose moderators or staff the user is among."""
    homes = HomePage.objects.all()
    if user.is_superuser:
        return homes
    groups = user.groups.all()
    return homes.filter(Q(pcn__moderator_group__in=groups) | Q(pcn__staff_group__in=groups))


def _under(homes):
    query = Q()
    for home in homes:
        query |= Q(path__startswith=home.path)
    return query


def offline_consultations(user):
    """Consultations the user may enter offline contributions to: open, or closed in the
    last four weeks and not answered, in a PCN they moderate or work for."""
    homes = list(_homes_entered_for(user))
    if not homes:
        return ConsultationPage.objects.none()
    now = timezone.now()
    return (
        ConsultationPage.objects.live()
        .filter(_under(homes))
        .filter(opens_at__lte=now, closes_at__gte=now - permissions.OFFLINE_ENTRY_GRACE)
        .exclude(phase_override=Phase.RESPONDED)
    )


def letter_updates(user):
    """Published updates of the PCNs the user moderates or works for."""
    homes = list(_homes_entered_for(user))
    if not homes:
        return UpdatePage.objects.none()
    return UpdatePage.objects.live().filter(_under(homes))


def user_enters_offline_anything(user) -> bool:
    return user.is_superuser or _homes_entered_for(user).exists()


class OfflineMixin(ModeratorMixin):
    """Screens for PPG moderators and PCN staff: offline contributions and letters."""

    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not user_enters_offline_anything(request.user):
            raise PermissionDenied("You are not a moderator or member of staff of a PCN.")
        return super(ModeratorMixin, self).dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": "Home"}, *self.extra_breadcrumbs()]

    def get_context_data(self, **kwargs):
        # Staff who do not moderate see ideas' titles without a link to the moderation page.
        return super().get_context_data(
            moderates=user_moderates_anything(self.request.user), **kwargs
        )


class OfflineIdeaForm(forms.Form):
    consultation = ModelIdChoiceField(
        label="Consultation",
        queryset=ConsultationPage.objects.none(),
        empty_label=None,
        help_text="Open consultations, and those closed in the last four weeks.",
    )
    channel = forms.ChoiceField(
        label="How was it sent?",
        choices=[
            (Channel.PAPER, "On paper (a form or letter)"),
            (Channel.PHONE, "By phone"),
            (Channel.MEETING, "At a meeting"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it was sent"},
    )
    received_on = forms.DateField(
        label="Date received",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For example, 17 3 2026.",
        error_messages={
            "required": "Enter the date it was received",
            "invalid": "Enter a real date, for example 17 3 2026",
        },
    )
    title = forms.CharField(
        label="A short title for the idea",
        max_length=Idea._meta.get_field("title").max_length,
        help_text="In the resident's words where you can.",
        error_messages={
            "required": "Enter a title for the idea",
            "max_length": "The title must be %(limit_value)d characters or fewer "
            "(it has %(show_value)d)",
        },
    )
    body = forms.CharField(
        label="What they said",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=Idea._meta.get_field("body").max_length,
        help_text="Type it as they wrote or said it. Leave out their name, contact details and "
        "anything personal or medical: everyone can read this.",
        error_messages={
            "required": "Enter what they said",
            "max_length": "What they said must be %(limit_value)d characters or fewer "
            "(it has %(show_value)d)",
        },
    )
    neighbourhood = ModelIdChoiceField(
        label="Which neighbourhood is it about?",
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label="They did not say",
        error_messages={"invalid_choice": "Choose one of the neighbourhoods in the list"},
    )
    reply_by = forms.ChoiceField(
        label="How do they want to hear what happens to their idea?",
        choices=[
            (ReplyBy.NOTHING, "They do not want to hear back, or gave no contact details"),
            (ReplyBy.EMAIL, "By email"),
            (ReplyBy.LETTER, "By letter, sent to a postal address"),
        ],
        widget=forms.RadioSelect,
        initial=ReplyBy.NOTHING,
        error_messages={"required": "Choose how they want to hear back"},
    )
    contributor_email = forms.CharField(
        label="Their email address (if by email)",
        required=False,
        max_length=254,
        error_messages={
            "max_length": "The email address must be %(limit_value)d characters or fewer"
        },
    )
    contributor_name = forms.CharField(
        label="Their name (for a letter; optional for an email)",
        required=False,
        max_length=100,
        error_messages={"max_length": "The name must be %(limit_value)d characters or fewer"},
    )
    contributor_address = forms.CharField(
        label="Their postal address (if by letter)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=500,
        help_text="Kept only to send them letters about this idea. Never shown on the site.",
        error_messages={"max_length": "The address must be %(limit_value)d characters or fewer"},
    )

    def __init__(self, *args, consultations, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = consultations.order_by("-closes_at", "title")
        self.fields["neighbourhood"].queryset = consultation.neighbourhoods.order_by("name")

    def clean(self):
        """The common mistakes, so they show with the others at once; the service checks
        everything again (and what is left once markup is removed)."""
        cleaned = super().clean()
        received_on = cleaned.get("received_on")
        if received_on and received_on > timezone.localdate():
            self.add_error("received_on", "The date it was received must be today or in the past")
        reply_by = cleaned.get("reply_by")
        if reply_by == ReplyBy.EMAIL and not cleaned.get("contributor_email"):
            self.add_error("contributor_email", "Enter the email address they gave")
        if reply_by == ReplyBy.LETTER:
            if not cleaned.get("contributor_name"):
                self.add_error("contributor_name", "Enter the name to put on the letter")
            if not cleaned.get("contributor_address"):
                self.add_error(
                    "contributor_address", "Enter the postal address to send the letter to"
                )
        return cleaned


def _recently_entered(consultations):
    return (
        Idea.objects.filter(consultation__in=consultations)
        .exclude(channel=Channel.ONLINE)
        .select_related("consultation", "neighbourhood", "contributor")
        .order_by("-pk")[:20]
    )


class OfflineConsultationsView(OfflineMixin, View):
    """Choose the consultation a paper, phone or meeting contribution is for."""

    template_name = "consultations/admin/offline_consultations.html"
    page_title = "Enter a contribution"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": self.page_title}]

    def get(self, request):
        consultations = offline_consultations(request.user).order_by("-closes_at", "title")
        return self.render_to_response(
            self.get_context_data(
                consultations=consultations, recent=_recently_entered(consultations)
            )
        )


class OfflineIdeaView(OfflineMixin, View):
    """The form a moderator or member of staff fills in for a resident."""

    template_name = "consultations/admin/offline_idea.html"

    def get_page_title(self):
        return f"Enter a contribution: {self.consultation.title}"

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("offline:consultations"), "label": "Enter a contribution"},
            {"url": "", "label": self.consultation.title},
        ]

    def load(self, request, pk):
        self.consultations = offline_consultations(request.user)
        # Another PCN's consultation, or one that no longer takes entries: not found.
        self.consultation = get_object_or_404(self.consultations, pk=pk)

    def form(self, data=None):
        return OfflineIdeaForm(
            data,
            consultations=self.consultations,
            consultation=self.consultation,
            initial={"consultation": self.consultation.pk, "reply_by": ReplyBy.NOTHING},
        )

    def get(self, request, pk):
        self.load(request, pk)
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, pk):
        self.load(request, pk)
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                idea = services.idea_submit_on_behalf(
                    consultation=data["consultation"],
                    entered_by=request.user,
                    channel=data["channel"],
                    received_on=data["received_on"],
                    title=data["title"],
                    body=data["body"],
                    neighbourhood=data["neighbourhood"],
                    reply_by=data["reply_by"],
                    contributor_name=data["contributor_name"],
                    contributor_email=data["contributor_email"],
                    contributor_address=data["contributor_address"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    f"'{idea.title}' is published as {idea.shown_author}. "
                    "Enter another, or go back to the list.",
                )
                return redirect("offline:idea", idea.consultation_id)
        return self.render_to_response(self.get_context_data(form=form), status=400)


# Letters to residents who took part offline


class LetterUpdatesView(OfflineMixin, View):
    template_name = "consultations/admin/letter_updates.html"
    page_title = "Letters to print"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": self.page_title}]

    def get(self, request):
        updates = (
            letter_updates(request.user)
            .annotate(
                letters_waiting=Count("letters", filter=Q(letters__status=Letter.Status.DUE)),
                letters_sent=Count("letters", filter=Q(letters__status=Letter.Status.SENT)),
            )
            .select_related("consultation")
            .order_by("-first_published_at")
        )
        return self.render_to_response(self.get_context_data(updates=updates))


def _update_for(user, pk) -> UpdatePage:
    update = get_object_or_404(UpdatePage.objects.live(), pk=pk)
    if not permissions.can_send_letters(user, update):
        raise PermissionDenied("You cannot send letters for this update.")
    return update


class LettersView(OfflineMixin, View):
    """The letters due for one update: print them, then mark them as sent."""

    template_name = "consultations/admin/letters.html"

    def get_page_title(self):
        return f"Letters to print: {self.update.title}"

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("offline:letter-updates"), "label": "Letters to print"},
            {"url": "", "label": self.update.title},
        ]

    def get(self, request, pk):
        self.update = _update_for(request.user, pk)
        letters = list(loop.letters_due(update=self.update))
        return self.render_to_response(
            self.get_context_data(
                update=self.update,
                letters=letters,
                sent_count=self.update.letters.filter(status=Letter.Status.SENT).count(),
            )
        )

    def post(self, request, pk):
        self.update = _update_for(request.user, pk)
        try:
            sent = services.letters_mark_sent(
                update=self.update,
                user=request.user,
                letter_ids=posted_ids(request.POST, "letters"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"{sent} letter{'s' if sent != 1 else ''} marked as sent. "
                "They will not be listed to print again.",
            )
        return redirect("offline:letters", self.update.pk)


class LettersPrintView(View):
    """The letters due, one per A4 page, to print from the browser. No admin chrome."""

    def get(self, request, pk):
        if not user_enters_offline_anything(request.user):
            raise PermissionDenied("You are not a moderator or member of staff of a PCN.")
        update = _update_for(request.user, pk)
        letters = loop.letters_due(update=update)
        wanted = posted_ids(request.GET, "letters")
        if wanted:
            letters = letters.filter(pk__in=wanted)
        return TemplateResponse(
            request,
            "consultations/admin/letters_print.html",
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
                "update_url": update.full_url,
                "today": timezone.localdate(),
            },
        )
