"""The accessibility statement every public sector website must publish (the Public Sector
Bodies (Websites and Mobile Applications) Accessibility Regulations 2018), in the layout of
the government's model statement.

What it claims is kept true by tests: every journey it says is checked with axe names a
browser test that runs axe on each page of that journey (tests/home/test_accessibility_
statement.py), and the statement page itself is checked with axe in the browser.
"""

from dataclasses import dataclass
from datetime import date

# The standard the site is tested against, and how far it meets it.
STANDARD = "Web Content Accessibility Guidelines version 2.2 AA standard"
COMPLIANCE = "partially compliant"

PREPARED = date(2026, 12, 5)
LAST_REVIEWED = date(2026, 12, 5)


@dataclass(frozen=True)
class Journey:
    name: str
    # The browser test module (under tests/browser/) that runs axe on every page of it.
    test_module: str


# The journeys axe checks on every change, in a real browser (WCAG 2.0, 2.1 and 2.2, A and AA).
CHECKED_JOURNEYS = [
    Journey("Signing up, confirming an email address and signing in", "test_resident_journey"),
    Journey("Sharing an idea, commenting on one and supporting one", "test_resident_journey"),
    Journey("Following an idea's journey and reading 'You said, we did'", "test_update_journey"),
    Journey("Downloading your data and deleting your account", "test_privacy_journey"),
    Journey("This accessibility statement", "test_accessibility_statement"),
]

# Sharing, commenting and supporting without JavaScript is a journey of its own
# (tests/browser/test_no_javascript.py), run with scripts off, where axe cannot run.

# Content that is not accessible, and why (the model statement's "Non-accessible content").
KNOWN_ISSUES = [
    (
        "The screens PPG moderators and PCN staff use to manage the site are built on "
        "Wagtail, an open source content management system. We check them with the same "
        "automated tool, but not every problem it reports there has been fixed yet.",
        "We report these problems to the Wagtail project and fix the ones in our own "
        "screens as we find them.",
    ),
    (
        "Documents (such as PDFs) that PCN staff upload may not be accessible.",
        "Staff are asked to publish the same information as a web page as well.",
    ),
    (
        "Letters printed for residents who take part on paper use the standard print size "
        "unless a large print version is asked for.",
        "Ask your PCN for large print, easy read or another format.",
    ),
]
