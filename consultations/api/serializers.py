"""What each record of the open data API holds: published facts and counts, never a person.

No names, email addresses, usernames or display names; nothing about residents who took part
offline; no text of residents' ideas or comments (counts only). A theme's summary ("what we
heard") only once its consultation's findings are public, as on the sites.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consultations.models import (
    ActionStatus,
    ConsultationPage,
    Phase,
    Theme,
    UpdateAction,
    UpdatePage,
)
from home.models import VisionPriority


class PcnRefSerializer(serializers.Serializer):
    ods_code = serializers.CharField(help_text="The PCN's ODS code, like U12345.")
    name = serializers.CharField(help_text="The PCN's name.")


def _page_url(page, context) -> str | None:
    return page.get_full_url(context.get("request"))


def _pcn_of(obj, context, page_id):
    pcn = context.get("pcns", {}).get(page_id)
    return PcnRefSerializer(pcn).data if pcn else None


class OrganisationSerializer(serializers.Serializer):
    kind = serializers.SerializerMethodField(
        help_text="ics, place, pcn or practice: which list it is in."
    )
    id = serializers.IntegerField(help_text="Its id in this API, within its kind.")
    name = serializers.CharField(help_text="Its name.")
    ods_code = serializers.CharField(
        help_text="Its NHS ODS code: an ICB code for an ICS, a Sub ICB Location code for a "
        "place, U and five digits for a PCN, a letter and five digits for a practice; empty "
        "when not known."
    )
    parent = serializers.SerializerMethodField(
        help_text="The id of the organisation above it (a place's ICS, a PCN's place, a "
        "practice's PCN), or null for an ICS."
    )
    parent_kind = serializers.SerializerMethodField(
        help_text="The kind of the organisation above it, or null for an ICS."
    )
    site_url = serializers.SerializerMethodField(
        help_text="For a PCN, the address of its Engage site; otherwise null."
    )

    PARENTS = {
        "ics": (None, None),
        "place": ("integrated_care_system_id", "ics"),
        "pcn": ("place_id", "place"),
        "practice": ("pcn_id", "pcn"),
    }

    def get_kind(self, obj) -> str:
        return self.context["kind"]

    @extend_schema_field(OpenApiTypes.INT)
    def get_parent(self, obj) -> int | None:
        field, _ = self.PARENTS[self.context["kind"]]
        return getattr(obj, field) if field else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_parent_kind(self, obj) -> str | None:
        return self.PARENTS[self.context["kind"]][1]

    @extend_schema_field(OpenApiTypes.URI)
    def get_site_url(self, obj) -> str | None:
        if self.context["kind"] != "pcn":
            return None
        home = getattr(obj, "home_page", None)
        return _page_url(home, self.context) if home is not None and home.live else None


class ConsultationSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Its id in this API.")
    title = serializers.CharField(help_text="Its title.")
    question = serializers.CharField(help_text="The question residents answer.")
    summary = serializers.CharField(help_text="One or two sentences about it.")
    phase = serializers.ChoiceField(
        choices=Phase.choices,
        read_only=True,
        help_text="upcoming, open, closed, under_review (what we heard is being written up) "
        "or responded.",
    )
    opens_at = serializers.DateTimeField(help_text="When it opens (ISO 8601).")
    closes_at = serializers.DateTimeField(help_text="When it closes (ISO 8601).")
    url = serializers.SerializerMethodField(help_text="Its page on the PCN's site.")
    pcn = serializers.SerializerMethodField(help_text="The PCN that runs it.")
    published_idea_count = serializers.IntegerField(
        help_text="How many of its ideas are published (pending, hidden and withdrawn ideas "
        "are not counted)."
    )
    published_comment_count = serializers.IntegerField(
        help_text="How many published comments its published ideas have."
    )
    support_count = serializers.IntegerField(
        help_text="How many supports its published ideas have."
    )

    class Meta:
        model = ConsultationPage
        fields = [
            "id",
            "title",
            "question",
            "summary",
            "phase",
            "opens_at",
            "closes_at",
            "url",
            "pcn",
            "published_idea_count",
            "published_comment_count",
            "support_count",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str | None:
        return _page_url(obj, self.context)

    @extend_schema_field(PcnRefSerializer)
    def get_pcn(self, obj):
        return _pcn_of(obj, self.context, obj.pk)


class ThemeSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Its id in this API.")
    name = serializers.CharField(help_text="Its name.")
    summary = serializers.SerializerMethodField(
        help_text="What we heard: the moderators' summary, once the consultation's findings "
        "are public (under review or responded); null before."
    )
    consultation = serializers.IntegerField(
        source="consultation_id", help_text="The id of its consultation."
    )
    pcn = serializers.SerializerMethodField(help_text="The PCN that runs its consultation.")
    priority = serializers.SerializerMethodField(
        help_text="The id of the vision priority it feeds into, or null."
    )
    published_idea_count = serializers.IntegerField(
        help_text="How many published ideas it groups (pending, hidden and withdrawn ideas "
        "are not counted)."
    )

    class Meta:
        model = Theme
        fields = [
            "id",
            "name",
            "summary",
            "consultation",
            "pcn",
            "priority",
            "published_idea_count",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_summary(self, obj) -> str | None:
        return obj.summary if obj.consultation.has_findings else None

    @extend_schema_field(PcnRefSerializer)
    def get_pcn(self, obj):
        return _pcn_of(obj, self.context, obj.consultation_id)

    @extend_schema_field(OpenApiTypes.INT)
    def get_priority(self, obj) -> int | None:
        return obj.priority_id if obj.public_priority else None


class PrioritySerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Its id in this API.")
    title = serializers.CharField(help_text="Its title.")
    statement = serializers.CharField(help_text="What the PCN and its residents want.")
    position = serializers.IntegerField(
        source="sort_order", help_text="Its place in the vision, from 0."
    )
    vision_url = serializers.SerializerMethodField(help_text="The vision page it is on.")
    pcn = serializers.SerializerMethodField(help_text="The PCN whose vision it is part of.")
    theme_count = serializers.IntegerField(
        help_text="How many themes of public consultations feed into it."
    )
    update_count = serializers.IntegerField(
        help_text='How many public "You said, we did" updates act on it.'
    )

    class Meta:
        model = VisionPriority
        fields = [
            "id",
            "title",
            "statement",
            "position",
            "vision_url",
            "pcn",
            "theme_count",
            "update_count",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_vision_url(self, obj) -> str | None:
        return _page_url(obj.page, self.context)

    @extend_schema_field(PcnRefSerializer)
    def get_pcn(self, obj):
        return _pcn_of(obj, self.context, obj.page_id)


class ActionSerializer(serializers.ModelSerializer):
    description = serializers.CharField(help_text="What the PCN will do, is doing or did.")
    status = serializers.ChoiceField(
        choices=ActionStatus.choices, help_text="planned, in_progress, done or not_possible."
    )
    date = serializers.DateField(
        allow_null=True, help_text="When it happened, or is expected; null if not given."
    )
    not_possible_reason = serializers.CharField(
        help_text="Why it was not possible; empty unless the status is not_possible."
    )

    class Meta:
        model = UpdateAction
        fields = ["description", "status", "date", "not_possible_reason"]


class UpdateSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Its id in this API.")
    title = serializers.CharField(help_text="Its title.")
    url = serializers.SerializerMethodField(help_text="Its page on the PCN's site.")
    pcn = serializers.SerializerMethodField(help_text="The PCN that published it.")
    first_published_at = serializers.DateTimeField(help_text="When it was first published.")
    last_published_at = serializers.DateTimeField(help_text="When it was last published.")
    status = serializers.SerializerMethodField(
        help_text="Its overall status, from its actions: planned, in_progress, done or "
        "not_possible."
    )
    consultation = serializers.SerializerMethodField(
        help_text="The id of the public consultation it responds to, or null."
    )
    priority = serializers.SerializerMethodField(
        help_text="The id of the vision priority it acts on, or null."
    )
    themes = serializers.SerializerMethodField(
        help_text="The ids of the themes it answers (of public consultations)."
    )
    actions = serializers.SerializerMethodField(help_text="What was done, in order.")

    class Meta:
        model = UpdatePage
        fields = [
            "id",
            "title",
            "url",
            "pcn",
            "first_published_at",
            "last_published_at",
            "status",
            "consultation",
            "priority",
            "themes",
            "actions",
        ]

    def _links(self):
        return self.context["links"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str | None:
        return _page_url(obj, self.context)

    @extend_schema_field(PcnRefSerializer)
    def get_pcn(self, obj):
        return _pcn_of(obj, self.context, obj.pk)

    @extend_schema_field(serializers.ChoiceField(choices=ActionStatus.choices))
    def get_status(self, obj) -> str:
        return obj.overall_status  # from the actions prefetched with the list

    @extend_schema_field(OpenApiTypes.INT)
    def get_consultation(self, obj) -> int | None:
        links = self._links()["consultations"]
        return obj.consultation_id if obj.consultation_id in links else None

    @extend_schema_field(OpenApiTypes.INT)
    def get_priority(self, obj) -> int | None:
        return obj.priority_id if obj.priority_id in self.context["priorities"] else None

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_themes(self, obj) -> list[int]:
        return self._links()["themes"].get(obj.pk, [])

    @extend_schema_field(ActionSerializer(many=True))
    def get_actions(self, obj):
        return ActionSerializer(obj.actions.all(), many=True).data


class AccountabilitySerializer(serializers.Serializer):
    pcn = PcnRefSerializer(source="*", help_text="The PCN.")
    place = serializers.IntegerField(source="place_id", help_text="The id of the PCN's place.")
    themes = serializers.SerializerMethodField(
        help_text="How many themes its public consultations have."
    )
    themes_answered = serializers.SerializerMethodField(
        help_text='How many of those a public "You said, we did" update answers.'
    )
    themes_answered_percent = serializers.SerializerMethodField(
        help_text="themes_answered as a whole percentage of themes; null with no themes."
    )
    median_days_to_response = serializers.SerializerMethodField(
        help_text="The median number of days from a consultation closing to its first "
        "public update (0 if before it closed); null with no responses."
    )
    actions = serializers.SerializerMethodField(help_text="How many actions its updates have.")
    actions_done = serializers.SerializerMethodField(help_text="How many of those are done.")
    actions_done_percent = serializers.SerializerMethodField(
        help_text="actions_done as a whole percentage of actions; null with no actions."
    )

    def _figures(self, obj):
        return self.context["figures"].get(obj.pk)

    def _figure(self, obj, name):
        figures = self._figures(obj)
        return getattr(figures, name) if figures is not None else None

    @extend_schema_field(OpenApiTypes.INT)
    def get_themes(self, obj) -> int | None:
        return self._figure(obj, "themes")

    @extend_schema_field(OpenApiTypes.INT)
    def get_themes_answered(self, obj) -> int | None:
        return self._figure(obj, "themes_answered")

    @extend_schema_field(OpenApiTypes.INT)
    def get_themes_answered_percent(self, obj) -> int | None:
        return self._figure(obj, "themes_answered_percent")

    @extend_schema_field(OpenApiTypes.FLOAT)
    def get_median_days_to_response(self, obj) -> float | None:
        return self._figure(obj, "median_days_to_response")

    @extend_schema_field(OpenApiTypes.INT)
    def get_actions(self, obj) -> int | None:
        return self._figure(obj, "actions")

    @extend_schema_field(OpenApiTypes.INT)
    def get_actions_done(self, obj) -> int | None:
        return self._figure(obj, "actions_done")

    @extend_schema_field(OpenApiTypes.INT)
    def get_actions_done_percent(self, obj) -> int | None:
        return self._figure(obj, "actions_done_percent")


class PlaceAccountabilitySerializer(AccountabilitySerializer):
    """A Place's record, for its own "You said, we did" updates (its PCNs' records:
    /api/v1/accountability/?place=<id>)."""

    pcn = None
    place = None
    id = serializers.IntegerField(help_text="The place's id.")
    name = serializers.CharField(help_text="The place's name.")
    integrated_care_system = serializers.IntegerField(
        source="integrated_care_system_id", help_text="The id of the place's ICS."
    )
    themes = serializers.SerializerMethodField(
        help_text="How many PCN themes (of public consultations) the priorities of its "
        "published vision cite, directly or through a PCN priority."
    )
    themes_answered = serializers.SerializerMethodField(
        help_text='How many of those are behind a priority a public Place "You said, we '
        'did" update acts on.'
    )
    median_days_to_response = serializers.SerializerMethodField(
        help_text="The median number of days from a priority first citing what PCNs heard to "
        "the first public Place update acting on it (0 the same day); null with none."
    )
    actions = serializers.SerializerMethodField(
        help_text="How many actions the Place's updates have."
    )


class IcsAccountabilitySerializer(AccountabilitySerializer):
    """An integrated care system's record, for its own "You said, we did" updates (its
    places' records: /api/v1/place-accountability/?ics=<id>)."""

    pcn = None
    place = None
    id = serializers.IntegerField(help_text="The integrated care system's id.")
    name = serializers.CharField(help_text="The integrated care system's name.")
    ods_code = serializers.CharField(help_text="Its ICB code; empty when not known.")
    themes = serializers.SerializerMethodField(
        help_text="How many PCN themes (of public consultations) are behind the place "
        "priorities (on published place visions) that the priorities of its published "
        "vision cite."
    )
    themes_answered = serializers.SerializerMethodField(
        help_text='How many of those are behind a priority a public ICS "You said, we did" '
        "update acts on."
    )
    median_days_to_response = serializers.SerializerMethodField(
        help_text="The median number of days from a priority first citing a place priority "
        "to the first public ICS update acting on it (0 the same day); null with none."
    )
    actions = serializers.SerializerMethodField(
        help_text="How many actions the integrated care system's updates have."
    )
