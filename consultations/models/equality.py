"""Equality answers ("About you"): who a contributor is, in the ONS 2021 census categories.

Special category data (UK GDPR article 9), so kept to the minimum and apart: a table of its
own, one row per person (a resident's account, or a resident who took part offline and
whose answers a moderator recorded with their consent), no free text, no date of birth,
only bands. Every question may be left unanswered ("") or answered "Prefer not to say".
A postcode, if given, is turned into its deprivation decile and never stored.

Read only in aggregate, by anyone but the person (`consultations.representativeness`, which
hides small numbers); in the person's data download; deleted with their account.
"""

from django.db import models
from django.utils import timezone

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
