"""The clinical safety net's detection engine: urgent needs and personal data in resident text.

`check_text(text)` returns a `SafetyReport`: the urgent-need matches (with the phrase rule
that found each and its category), the personal data found, the text with personal data
redacted, and the text as escaped HTML with every match marked. Rules are data:
`urgent_phrases.toml`. See docs/clinical-safety/detection.md.
"""

from engage.safety.check import SafetyReport, UrgentMatch, check_text, highlight_html
from engage.safety.personal import KINDS as PERSONAL_DATA_KINDS
from engage.safety.personal import PersonalMatch
from engage.safety.phrases import Category, RulesError, load_rules

__all__ = [
    "PERSONAL_DATA_KINDS",
    "Category",
    "PersonalMatch",
    "RulesError",
    "SafetyReport",
    "UrgentMatch",
    "check_text",
    "highlight_html",
    "load_rules",
]
