"""UK postcodes written one way, so a resident's "rb1 1aa" finds the lookup's "RB1 1AA"."""

import re

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def postcode_normalise(text: str) -> str:
    """Capitals, one space before the last three characters ("RB1 1AA").

    Raises ValueError for text that is not the shape of a UK postcode.
    """
    compact = re.sub(r"\s+", "", str(text or "")).upper()
    match = POSTCODE.match(compact)
    if not match:
        raise ValueError(f"{text!r} is not a UK postcode")
    return f"{match.group(1)} {match.group(2)}"
