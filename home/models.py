"""The organisations behind a PCN site, and its home and vision pages.

ICS → Place → PCN is the NHS structure above a neighbourhood. Each PCN has one Wagtail
site whose root is its HomePage; its neighbourhoods and practices are snippets.
"""

from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from engage.text import validate_multi_line, validate_single_line
from home.boundary import PcnBoundaryMixin, PcnScopedFormMixin
from home.pages import STAFF_PUBLISH, EngagePage, PageTextMixin, PcnPageForm, parent_chain

ods_practice_code = RegexValidator(
    r"^[A-Z][0-9]{5}$",
    "Enter the practice's ODS code: one capital letter then five digits, like A81001.",
)
ods_pcn_code = RegexValidator(
    r"^U[0-9]{5}$",
    "Enter the PCN's ODS code: the letter U then five digits, like U12345.",
)
ods_three_character_code = RegexValidator(
    r"^[A-Z0-9]{3}$",
    "Enter the ODS code: three capital letters or digits, like QWE or 72Q.",
)


class IntegratedCareSystem(models.Model):
    name = models.CharField(max_length=150, unique=True, validators=[validate_single_line])
    ods_code = models.CharField(
        "ICB code",
        max_length=3,
        blank=True,
        validators=[ods_three_character_code],
        help_text="The ODS code of the system's Integrated Care Board, like QWE.",
    )
    lead_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_ics"
    )

    class Meta:
        verbose_name = "integrated care system"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"], condition=~models.Q(ods_code=""), name="unique_ics_ods_code"
            )
        ]

    def __str__(self):
        return self.name


class Place(models.Model):
    """A borough-level partnership with the local authority; place leads read its roll-ups."""

    name = models.CharField(max_length=150, validators=[validate_single_line])
    integrated_care_system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="places"
    )
    ods_code = models.CharField(
        "Sub ICB Location code",
        max_length=3,
        blank=True,
        validators=[ods_three_character_code],
        help_text="The ODS code of the Sub ICB Location the Place stands for, like 72Q: "
        "the NHS files place each PCN in one.",
    )
    lead_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_place"
    )

    panels = [FieldPanel("name"), FieldPanel("integrated_care_system")]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["integrated_care_system", "name"], name="unique_place_name_per_ics"
            ),
            models.UniqueConstraint(
                fields=["ods_code"], condition=~models.Q(ods_code=""), name="unique_place_ods_code"
            ),
        ]

    def __str__(self):
        return self.name


class PcnModelForm(PcnScopedFormMixin, WagtailAdminModelForm):
    """The admin form of a model whose rows belong to a PCN: it offers only that PCN's
    objects to link to (`home.boundary`)."""


class PrimaryCareNetwork(models.Model):
    """A PCN: the organisation that runs one Engage site.

    Its moderator and staff groups scope every permission: a PPG moderator or member of
    staff acts only on the content of the PCN whose group they are in.
    """

    name = models.CharField(max_length=150, unique=True, validators=[validate_single_line])
    ods_code = models.CharField("ODS code", max_length=6, unique=True, validators=[ods_pcn_code])
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="pcns")
    moderator_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderated_pcn"
    )
    staff_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="staffed_pcn"
    )
    lead_group = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_pcn",
        help_text="PCN leads approve 'You said, we did' updates before they are published.",
    )
    contact_email = models.EmailField(blank=True)
    safeguarding_contact_email = models.EmailField(
        "safeguarding contact's email address",
        blank=True,
        help_text="Emailed at once when a resident sends a post that reads like an emergency "
        "or a risk to someone's safety. Without one, the PCN's PPG moderators are emailed.",
    )
    safeguarding_contact_name = models.CharField(
        "safeguarding contact's name or role",
        max_length=150,
        blank=True,
        validators=[validate_single_line],
        help_text="For example: Safeguarding lead, Riverside Surgery.",
    )
    allow_posts_without_email = models.BooleanField(
        "allow posts with no email address at all",
        default=False,
        help_text="Anyone may send an idea or a comment without an account by confirming "
        "their email address. When this is on, they may also send one with no email address: "
        "it always waits for a PPG moderator, and its sender cannot hear back.",
    )
    show_who_took_part = models.BooleanField(
        "show who took part on the public record",
        default=False,
        help_text="When this is on, the PCN's list of 'You said, we did' updates shows who took "
        "part in its public consultations, against its registered patients: age bands and "
        "ethnic groups, in totals only, numbers under 10 hidden, and nothing until enough "
        "people have answered.",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pcn",
        help_text="Where the PCN's staff keep their images and documents; nobody else's "
        "staff see them.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("ods_code"),
        FieldPanel("place"),
        FieldPanel("contact_email"),
        FieldPanel("safeguarding_contact_name"),
        FieldPanel("safeguarding_contact_email"),
        FieldPanel("allow_posts_without_email"),
        FieldPanel("show_who_took_part"),
    ]

    class Meta:
        verbose_name = "primary care network"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Neighbourhood(PcnBoundaryMixin, index.Indexed, models.Model):
    pcn_via = "pcn"
    base_form_class = PcnModelForm

    pcn = models.ForeignKey(
        PrimaryCareNetwork, on_delete=models.CASCADE, related_name="neighbourhoods"
    )
    name = models.CharField(max_length=100, validators=[validate_single_line])

    panels = [FieldPanel("pcn"), FieldPanel("name")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),  # the chooser finds "Riv" as "Riverside"
        index.FilterField("pcn"),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["pcn", "name"], name="unique_neighbourhood_per_pcn")
        ]

    def __str__(self):
        return self.name


class Practice(PcnBoundaryMixin, index.Indexed, models.Model):
    pcn_via = "pcn"
    base_form_class = PcnModelForm

    pcn = models.ForeignKey(PrimaryCareNetwork, on_delete=models.CASCADE, related_name="practices")
    name = models.CharField(max_length=150, validators=[validate_single_line])
    ods_code = models.CharField(
        "ODS code", max_length=6, unique=True, validators=[ods_practice_code]
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL, related_name="practices"
    )

    panels = [
        FieldPanel("pcn"),
        FieldPanel("name"),
        FieldPanel("ods_code"),
        FieldPanel("neighbourhood"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),  # the chooser finds a practice by part of its name
        index.SearchField("ods_code"),
        index.FilterField("pcn"),  # the chooser searches a PCN's own (home/admin_scope.py)
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.ods_code})"


class PracticePopulation(models.Model):
    """How many patients a practice had registered on one extract date, by sex and five-year
    age band: NHS England's "Patients registered at a GP practice" (`home/imports/population.py`).

    Reference data published in aggregate, not personal data.
    """

    pcn_via = "practice"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"

    class AgeBand(models.TextChoices):
        # The file's own labels (AGE_GROUP_5), youngest first.
        A0_4 = "0_4", "0 to 4"
        A5_9 = "5_9", "5 to 9"
        A10_14 = "10_14", "10 to 14"
        A15_19 = "15_19", "15 to 19"
        A20_24 = "20_24", "20 to 24"
        A25_29 = "25_29", "25 to 29"
        A30_34 = "30_34", "30 to 34"
        A35_39 = "35_39", "35 to 39"
        A40_44 = "40_44", "40 to 44"
        A45_49 = "45_49", "45 to 49"
        A50_54 = "50_54", "50 to 54"
        A55_59 = "55_59", "55 to 59"
        A60_64 = "60_64", "60 to 64"
        A65_69 = "65_69", "65 to 69"
        A70_74 = "70_74", "70 to 74"
        A75_79 = "75_79", "75 to 79"
        A80_84 = "80_84", "80 to 84"
        A85_89 = "85_89", "85 to 89"
        A90_94 = "90_94", "90 to 94"
        A95_PLUS = "95+", "95 and over"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="populations")
    extract_date = models.DateField()
    sex = models.CharField(max_length=6, choices=Sex.choices)
    age_band = models.CharField(max_length=5, choices=AgeBand.choices)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = "registered population"
        ordering = ["practice", "extract_date", "sex", "age_band"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "extract_date", "sex", "age_band"],
                name="unique_practice_population_band",
            )
        ]

    def __str__(self):
        return f"{self.practice_id} {self.extract_date} {self.sex} {self.age_band}: {self.count}"


class LsoaDeprivation(models.Model):
    """The Index of Multiple Deprivation of one Lower layer Super Output Area (LSOA) in one
    edition of the English Indices of Deprivation (`home/imports/deprivation.py`)."""

    class Edition(models.TextChoices):
        IOD2025 = "IoD2025", "English Indices of Deprivation 2025 (LSOA 2021)"
        IOD2019 = "IoD2019", "English Indices of Deprivation 2019 (LSOA 2011)"

    edition = models.CharField(max_length=7, choices=Edition.choices)
    lsoa_code = models.CharField("LSOA code", max_length=9)
    lsoa_name = models.CharField("LSOA name", max_length=100, validators=[validate_single_line])
    imd_rank = models.PositiveIntegerField("IMD rank", help_text="1 is the most deprived.")
    imd_decile = models.PositiveSmallIntegerField(
        "IMD decile", help_text="1 is the most deprived tenth of LSOAs, 10 the least."
    )

    class Meta:
        verbose_name = "LSOA deprivation"
        ordering = ["edition", "lsoa_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "lsoa_code"], name="unique_lsoa_deprivation_per_edition"
            ),
            models.CheckConstraint(
                condition=models.Q(imd_decile__gte=1, imd_decile__lte=10),
                name="lsoa_deprivation_decile_1_to_10",
            ),
        ]

    def __str__(self):
        return f"{self.lsoa_code} ({self.edition}): decile {self.imd_decile}"


class PostcodeLsoa(models.Model):
    """Which 2021 LSOA a postcode lies in, from the ONS postcode lookup
    (`home/imports/postcodes.py`). A postcode ONS has terminated keeps its last LSOA and the
    month it ended: people still give old postcodes."""

    postcode = models.CharField(
        max_length=8, unique=True, help_text="Capitals, one space before the last three."
    )
    lsoa_code = models.CharField("LSOA code", max_length=9, db_index=True)
    terminated = models.DateField(
        null=True, blank=True, help_text="The first day of the month ONS ended the postcode."
    )

    class Meta:
        verbose_name = "postcode LSOA"
        ordering = ["postcode"]

    def __str__(self):
        return f"{self.postcode}: {self.lsoa_code}"


class HomePage(EngagePage):
    """The root of one PCN's site: open consultations, latest updates, the vision in brief."""

    pcn_via = "pcn"

    pcn = models.OneToOneField(
        PrimaryCareNetwork,
        on_delete=models.PROTECT,
        related_name="home_page",
        help_text="The primary care network this site belongs to.",
    )
    introduction = models.TextField(
        max_length=500,
        validators=[validate_multi_line],
        help_text="One or two sentences that welcome residents.",
    )

    content_panels = Page.content_panels + [FieldPanel("pcn"), FieldPanel("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "consultations.ConsultationIndexPage",
        "consultations.UpdateIndexPage",
        "home.VisionPage",
        "home.PrivacyNoticePage",
    ]

    # Its link to the vision comes from `home.page_context`; its consultations, updates and
    # record from `consultations`: each registers them with `page_context_register`.


class PcnPageMixin:
    """For pages below a PCN's home page: that home page (with its PCN) and the PCN."""

    @cached_property
    def home_page(self):
        """The home page routing read (the site's, with its PCN), else one query."""
        chain = parent_chain(self)
        home = chain[-1] if chain else None
        if isinstance(home, HomePage) and (home.pcn_id is None or HomePage.pcn.is_cached(home)):
            return home
        return HomePage.objects.ancestor_of(self).select_related("pcn").first()

    @property
    def pcn(self):
        return self.home_page.pcn if self.home_page else None


class VisionPage(EngagePage):
    """The PCN's shared vision: an ordered list of priorities."""

    introduction = RichTextField(
        features=["bold", "italic", "link", "ol", "ul"], validators=[validate_multi_line]
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        InlinePanel("priorities", label="Priorities", min_num=1),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    section_publishing = STAFF_PUBLISH

    def get_context(self, request, *args, **kwargs):
        # Each priority's themes, updates and progress come from `consultations`, which
        # registers them with `home.pages.page_context_register`.
        context = super().get_context(request, *args, **kwargs)
        context.setdefault("priorities", self.priorities.all())
        return context


class VisionPriority(PcnBoundaryMixin, Orderable):
    """One priority of the shared vision; themes and updates link to it."""

    pcn_via = "page"

    page = ParentalKey(VisionPage, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=120, validators=[validate_single_line])
    statement = models.TextField(
        max_length=1000,
        validators=[validate_multi_line],
        help_text="What the PCN and its residents want to achieve, in a few lines.",
    )

    panels = [FieldPanel("title"), FieldPanel("statement")]

    class Meta(Orderable.Meta):
        verbose_name = "priority"
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.title


class PrivacyNoticePage(PageTextMixin, PcnBoundaryMixin, Page):
    """How the PCN uses residents' information, in plain English: one per PCN site.

    PCN staff write and revise it in the admin; the footer of every page and the sign-up
    page link to it.
    """

    summary = models.TextField(
        max_length=500,
        validators=[validate_multi_line],
        help_text="One or two sentences: who is responsible for residents' information "
        "and what it is used for.",
    )
    body = RichTextField(
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        validators=[validate_multi_line],
        help_text="What information you collect, why, who sees it, how long you keep it, and "
        "the rights residents have (to a copy, to correct it, to erase it, to complain).",
    )
    last_reviewed = models.DateField(
        help_text="When the notice was last checked; shown at the end of the page."
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]

    search_fields = Page.search_fields + [index.SearchField("body")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    base_form_class = PcnPageForm

    class Meta:
        verbose_name = "privacy notice"
