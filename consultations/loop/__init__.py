"""Closing the loop: who hears about an update, each idea's journey, and the record.

Reads are selectors (each a fixed number of queries); `update_notices_create` and
`phase_notices_create` write the outbox rows (`Notice`) whose emails
`notifications.send_notice` hands to the mail queue. Residents who took part offline hear
back too: by email when they gave an address (a `Notice` to their `OfflineContributor`),
otherwise by a printed letter (`update_letters_create` writes the `Letter` rows that the
admin's "Letters to print" lists).

A Place's decisions cascade down the same way: `place_update_notices_create` owes one
`Notice` per person for each published `PlaceUpdatePage`, to everyone behind the PCN themes
its priorities cite (a step on a journey `Letter` for those with only a postal address).
An integrated care system's do too, one level further: `ics_update_notices_create` owes one
for each published `IcsUpdatePage`, to everyone behind the PCN themes of the Place
priorities its priorities cite (`steps.decision_notices_create` is what both share).

The steps of an idea's journey are owed the same way: `theme_step_notices_create` writes a
`Notice` for each person to tell when a published idea is put in a theme or its theme is
linked to a priority of the shared vision (a step on a journey `Letter` for a resident with
only a postal address). Update and journey notices are sent together, one email per person,
by `notifications.send_journey_digest`; `journey_letters_due` lists the letters to print.

The rooms: `updates` (who hears about a PCN's update and a consultation's phase), `steps`
(journey steps owed when an idea is themed or its theme linked, and the journey letters),
`places` (a Place's decisions and the themes behind its priorities), `systems` (an ICS's
decisions, through the Place priorities its priorities cite), `journeys` (each idea's
journey as its page shows it) and `accountability` (the PCN's, the Place's and the ICS's
record). Everything is importable from here: `from consultations.loop import accountability`.
"""

from consultations.loop.accountability import (
    Accountability,
    accountability,
    accountability_of_pcns,
    decision_record,
    ics_accountability,
    place_accountability,
)
from consultations.loop.journeys import (
    Stage,
    idea_journeys,
)
from consultations.loop.places import (
    place_themes_of,
    place_update_ideas,
    place_update_notices_create,
    themes_behind_place_priorities,
)
from consultations.loop.steps import (
    decision_notices_create,
    journey_letters_due,
    journey_steps_current,
    theme_step_notices_create,
)
from consultations.loop.systems import (
    ics_themes_of,
    ics_update_ideas,
    ics_update_notices_create,
)
from consultations.loop.updates import (
    answered_ideas,
    letters_due,
    phase_notices_create,
    update_letter_recipients,
    update_letters_create,
    update_notices_create,
    update_offline_email_recipients,
    update_recipients,
)

__all__ = [
    "Accountability",
    "Stage",
    "accountability",
    "accountability_of_pcns",
    "answered_ideas",
    "decision_notices_create",
    "decision_record",
    "ics_accountability",
    "ics_themes_of",
    "ics_update_ideas",
    "ics_update_notices_create",
    "idea_journeys",
    "journey_letters_due",
    "journey_steps_current",
    "letters_due",
    "phase_notices_create",
    "place_accountability",
    "place_themes_of",
    "place_update_ideas",
    "place_update_notices_create",
    "theme_step_notices_create",
    "themes_behind_place_priorities",
    "update_letter_recipients",
    "update_letters_create",
    "update_notices_create",
    "update_offline_email_recipients",
    "update_recipients",
]
