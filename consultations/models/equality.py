"""Equality answers ("About you"): who a contributor is, in the ONS 2021 census categories.

Special category data (UK GDPR article 9), so kept to the minimum and apart: a table of its
own, one row per person (a resident's account, or a resident who took part offline and
whose answers a moderator recorded with their consent), no free text, no date of birth,
only bands. Every question may be left unanswered ("") or answered "Prefer not to say".
A postcode, if given, is turned into its deprivation decile and never stored.

Read only in aggregate, by anyone but the person (`consultations.representativeness`, which
hides small numbers); in the person's data download; deleted with their account.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from consultations.models.participation import Channel
from engage.text import validate_single_line
from home.boundary import PcnBoundaryMixin
from home.page_cache import PublicContentQuerySet

PREFER_NOT_TO_SAY = "prefer_not_to_say"
_PREFER = (PREFER_NOT_TO_SAY, "Prefer not to say")


class AgeBand(models.TextChoices):
    """Ten-year bands, each a union of the registered-population file's five-year bands
    (`home.models.PracticePopulation.AgeBand`, see `AGE_BAND_POPULATION`)."""

    UNDER_25 = "under_25", "24 or under"
    A25_34 = "25_34", "25 to 34"
    A35_44 = "35_44", "35 to 44"
    A45_54 = "45_54", "45 to 54"
    A55_64 = "55_64", "55 to 64"
    A65_74 = "65_74", "65 to 74"
    A75_84 = "75_84", "75 to 84"
    A85_PLUS = "85_plus", "85 or over"
    PREFER = _PREFER


# Which five-year bands of the registered-population file each answer's band compares with.
# Contributors are compared with registered patients aged 15 and over: the youngest band
# counts from 15, as the file's bands do not split at 16 or 18.
AGE_BAND_POPULATION = {
    AgeBand.UNDER_25: ("15_19", "20_24"),
    AgeBand.A25_34: ("25_29", "30_34"),
    AgeBand.A35_44: ("35_39", "40_44"),
    AgeBand.A45_54: ("45_49", "50_54"),
    AgeBand.A55_64: ("55_59", "60_64"),
    AgeBand.A65_74: ("65_69", "70_74"),
    AgeBand.A75_84: ("75_79", "80_84"),
    AgeBand.A85_PLUS: ("85_89", "90_94", "95+"),
}


class Sex(models.TextChoices):
    # The census question "What is your sex?"; the registered-population file's two values.
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER = _PREFER


class GenderSameAsSex(models.TextChoices):
    # "Is the gender you identify with the same as your sex registered at birth?"
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER = _PREFER


class EthnicGroup(models.TextChoices):
    # The census's five high-level groups (England).
    ASIAN = "asian", "Asian, Asian British or Asian Welsh"
    BLACK = "black", "Black, Black British, Black Welsh, Caribbean or African"
    MIXED = "mixed", "Mixed or Multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    PREFER = _PREFER


class EthnicGroupDetail(models.TextChoices):
    # The census's 19 detailed categories; the first word of each value is its high-level
    # group (`ethnic_group_of`).
    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black: Caribbean"
    BLACK_OTHER = "black_other", "Black: any other Black, Black British or Caribbean background"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed: White and Black African"
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed: any other Mixed or multiple ethnic background"
    WHITE_BRITISH = (
        "white_british",
        "White: English, Welsh, Scottish, Northern Irish or British",
    )
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY = "white_gypsy", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: any other ethnic group"


def ethnic_group_of(detail: str) -> str:
    """The high-level group a detailed category belongs to ("asian_indian" -> "asian")."""
    return detail.split("_", 1)[0]


class Disability(models.TextChoices):
    # The census's questions on long-term conditions and day-to-day activities, as the
    # Equality Act 2010 definition of disability groups them.
    LIMITED_A_LOT = "limited_a_lot", "Yes, and it limits my day-to-day activities a lot"
    LIMITED_A_LITTLE = "limited_a_little", "Yes, and it limits my day-to-day activities a little"
    NOT_LIMITED = "not_limited", "Yes, but it does not limit my day-to-day activities"
    NO = "no", "No"
    PREFER = _PREFER


class UnpaidCare(models.TextChoices):
    # The census's unpaid care question, in its published bands.
    NO = "no", "No"
    UP_TO_19 = "up_to_19", "Yes, 19 hours a week or less"
    FROM_20_TO_49 = "20_to_49", "Yes, 20 to 49 hours a week"
    FROM_50 = "50_or_more", "Yes, 50 or more hours a week"
    PREFER = _PREFER


class Religion(models.TextChoices):
    NONE = "none", "No religion"
    BUDDHIST = "buddhist", "Buddhist"
    CHRISTIAN = "christian", "Christian"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Any other religion"
    PREFER = _PREFER


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", "Straight or heterosexual"
    GAY_OR_LESBIAN = "gay_or_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Another sexual orientation"
    PREFER = _PREFER


# The questions, in the order they are asked: (field name, choices).
QUESTIONS = (
    ("age_band", AgeBand),
    ("sex", Sex),
    ("gender_same_as_sex", GenderSameAsSex),
    ("ethnic_group", EthnicGroup),
    ("ethnic_group_detail", EthnicGroupDetail),
    ("disability", Disability),
    ("unpaid_care", UnpaidCare),
    ("religion", Religion),
    ("sexual_orientation", SexualOrientation),
)


def _answer(choices, verbose_name: str, max_length: int = 30):
    return models.CharField(
        verbose_name, max_length=max_length, choices=choices.choices, blank=True
    )


class EqualityAnswers(models.Model):
    """One person's answers: a resident's (`user`) or, entered by a moderator with their
    consent, a resident's who took part offline (`contributor`). A row with no answers
    records that they were asked and chose to skip."""

    user = models.OneToOneField(
        "engage.User",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="equality_answers",
    )
    contributor = models.OneToOneField(
        "consultations.OfflineContributor",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="equality_answers",
    )
    age_band = _answer(AgeBand, "age")
    sex = _answer(Sex, "sex")
    gender_same_as_sex = _answer(GenderSameAsSex, "gender the same as sex registered at birth")
    ethnic_group = _answer(EthnicGroup, "ethnic group")
    ethnic_group_detail = _answer(EthnicGroupDetail, "ethnic group in detail")
    disability = _answer(Disability, "long-term condition or disability")
    unpaid_care = _answer(UnpaidCare, "unpaid carer")
    religion = _answer(Religion, "religion")
    sexual_orientation = _answer(SexualOrientation, "sexual orientation")
    deprivation_decile = models.PositiveSmallIntegerField(
        "deprivation decile",
        null=True,
        blank=True,
        help_text="From the postcode they gave (not kept): 1 is the most deprived tenth of "
        "neighbourhoods in England (English Indices of Deprivation 2025).",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "equality answers"
        verbose_name_plural = "equality answers"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, contributor__isnull=True)
                    | models.Q(user__isnull=True, contributor__isnull=False)
                ),
                name="equality_answers_one_person",
            ),
            models.CheckConstraint(
                condition=models.Q(deprivation_decile__isnull=True)
                | models.Q(deprivation_decile__gte=1, deprivation_decile__lte=10),
                name="equality_answers_decile_1_to_10",
            ),
        ]

    def __str__(self):
        return "Equality answers"  # never the person or what they answered

    @property
    def answered(self) -> bool:
        """Whether any question has an answer (a skipped row has none)."""
        return self.deprivation_decile is not None or any(
            getattr(self, name) for name, _choices in QUESTIONS
        )


# Outreach: what a PCN did to hear from the groups it was not hearing from.

# The fifths of deprivation "Who took part" shows (deciles 1-2 are the first fifth, ...).
DEPRIVATION_FIFTHS = (
    (1, "the most deprived fifth of areas"),
    (2, "the second most deprived fifth of areas"),
    (3, "the middle fifth of areas"),
    (4, "the second least deprived fifth of areas"),
    (5, "the least deprived fifth of areas"),
)


def _outreach_groups() -> list[tuple[str, str]]:
    """The groups an outreach action may aim at, in the categories "Who took part" counts:
    ("age:25_34", "People aged 25 to 34"), ..."""
    groups = [
        (f"age:{band.value}", f"People aged {band.label}")
        for band in AgeBand
        if band != AgeBand.PREFER
    ]
    groups += [
        (f"sex:{sex.value}", f"People whose sex is {sex.label.lower()}")
        for sex in Sex
        if sex != Sex.PREFER
    ]
    groups += [
        (f"deprivation:{fifth}", f"People living in {label}") for fifth, label in DEPRIVATION_FIFTHS
    ]
    groups += [
        (f"ethnic_group:{group.value}", f"People of the ethnic group {group.label}")
        for group in EthnicGroup
        if group != EthnicGroup.PREFER
    ]
    groups += [
        ("disability:yes", "Disabled people and people with a long-term condition"),
        ("unpaid_care:yes", "Unpaid carers"),
    ]
    return groups


OUTREACH_GROUPS = _outreach_groups()
OUTREACH_GROUP_LABELS = dict(OUTREACH_GROUPS)


def validate_outreach_groups(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("Choose at least one group it aimed to reach")
    if any(not isinstance(key, str) or key not in OUTREACH_GROUP_LABELS for key in value):
        raise ValidationError("Choose groups from the list")
    if len(set(value)) != len(value):
        raise ValidationError("Choose each group once")


def validate_not_in_the_future(value) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError("The date must be today or in the past")


class OutreachAction(PcnBoundaryMixin, models.Model):
    """Something a PCN's staff did to hear from a group a consultation was not hearing from
    ("a session at the youth club, 14 contributions on paper"): which groups it aimed at,
    when, how, and how many contributions it brought in.

    About an activity, not a person: it holds no one's answers, and its counts are of
    sessions and contributions, so they are shown as they are (no small-number suppression).
    Recorded by staff in the admin (`consultations.viewsets.outreach`), shown on "Who took
    part", in the PCN's accountability figures and on the consultation's "What we heard".
    """

    pcn_via = "consultation"

    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="outreach_actions",
    )
    groups = models.JSONField(
        "groups it aimed to reach",
        default=list,
        validators=[validate_outreach_groups],
        error_messages={"blank": "Choose at least one group it aimed to reach"},
        help_text="The groups you were not hearing from that it set out to reach.",
    )
    description = models.CharField(
        "what you did",
        max_length=200,
        validators=[validate_single_line],
        error_messages={"blank": "Enter what you did"},
        help_text='Shown to the public, for example "A drop-in session at the youth club". '
        "Leave out the names of residents.",
    )
    held_on = models.DateField("date", validators=[validate_not_in_the_future])
    channel = models.CharField(
        "how people took part",
        max_length=20,
        choices=Channel.choices,
        default=Channel.MEETING,
    )
    contributions = models.PositiveIntegerField(
        "contributions it brought in",
        default=0,
        help_text="How many ideas or comments came from it (0 if none yet).",
    )
    created_by = models.ForeignKey(
        "engage.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    # Shown on the consultation's "What we heard" and the site's accountability figures:
    # a change starts a new generation of the site's cached pages.
    objects = PublicContentQuerySet.as_manager()

    class Meta:
        verbose_name = "outreach action"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["consultation", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contributions__gte=0),
                name="outreach_action_contributions_not_negative",
            )
        ]

    def __str__(self):
        return self.description

    @property
    def group_labels(self) -> list[str]:
        return [OUTREACH_GROUP_LABELS.get(key, key) for key in self.groups or []]


# Communication needs: the formats a person needs to read what we send them, as the
# Accessible Information Standard (DCB1605) asks us to record and meet.


class CommunicationFormat(models.TextChoices):
    EASY_READ = "easy_read", "Easy read"
    LARGE_PRINT = "large_print", "Large print"
    BSL = "bsl", "British Sign Language (BSL)"
    OTHER_LANGUAGE = "other_language", "Another language"
    BRAILLE = "braille", "Braille"
    AUDIO = "audio", "Audio"
    OTHER = "other", "Something else"


def validate_communication_formats(value) -> None:
    if not isinstance(value, list) or any(
        not isinstance(key, str) or key not in CommunicationFormat.values for key in value
    ):
        raise ValidationError("Choose formats from the list")
    if len(set(value)) != len(value):
        raise ValidationError("Choose each format once")


class CommunicationNeeds(models.Model):
    """How one person needs us to communicate with them (the Accessible Information
    Standard): a resident's (`user`) or an offline contributor's (`contributor`), exactly
    one. No row when they need nothing different. Letters honour large print, and staff see
    on the letters to print which letters need another format.

    Personal data (a need can tell of a disability): in the person's data download, deleted
    with them, never on a public page."""

    user = models.OneToOneField(
        "engage.User",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="communication_needs",
    )
    contributor = models.OneToOneField(
        "consultations.OfflineContributor",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="communication_needs",
    )
    formats = models.JSONField(
        "formats they need", default=list, blank=True, validators=[validate_communication_formats]
    )
    language = models.CharField(
        "which language", max_length=50, blank=True, validators=[validate_single_line]
    )
    other = models.CharField(
        "what else they need", max_length=100, blank=True, validators=[validate_single_line]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "communication needs"
        verbose_name_plural = "communication needs"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, contributor__isnull=True)
                    | models.Q(user__isnull=True, contributor__isnull=False)
                ),
                name="communication_needs_one_person",
            )
        ]

    def __str__(self):
        return "Communication needs"  # never the person

    @property
    def large_print(self) -> bool:
        return CommunicationFormat.LARGE_PRINT in (self.formats or [])

    @property
    def described(self) -> list[str]:
        """Each need in words: "Large print", "Another language: Polish", ..."""
        words = []
        for key in self.formats or []:
            label = CommunicationFormat(key).label if key in CommunicationFormat.values else key
            if key == CommunicationFormat.OTHER_LANGUAGE and self.language:
                label = f"{label}: {self.language}"
            elif key == CommunicationFormat.OTHER and self.other:
                label = f"{label}: {self.other}"
            words.append(label)
        return words
