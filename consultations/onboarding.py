"""A new PCN's participation sections: where its consultations and its "You said, we did"
updates live. `home.services.pcn_onboard` calls this for every PCN it sets up."""

from consultations.models import ConsultationIndexPage, UpdateIndexPage


def pcn_sections_add(*, home) -> list[str]:
    """Add the sections the home page lacks, published and in the menu; say what was made."""
    made = []
    if not ConsultationIndexPage.objects.child_of(home).exists():
        home.add_child(
            instance=ConsultationIndexPage(
                title="Consultations",
                show_in_menus=True,
                introduction="Questions we are asking residents now, soon and in the past.",
            )
        )
        made.append("the consultations section")
    if not UpdateIndexPage.objects.child_of(home).exists():
        home.add_child(
            instance=UpdateIndexPage(
                title="You said, we did",
                show_in_menus=True,
                introduction="What residents told us, and what we did about it.",
            )
        )
        made.append("the 'You said, we did' section")
    return made
