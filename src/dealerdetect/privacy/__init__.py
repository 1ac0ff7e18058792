"""Pseudonyms, contact details (detection and redaction), phone numbers and CSV that is
safe to open in a spreadsheet.

The public names, stable across relayouts (``docs/architecture.md``, kept by
``tests/test_public_api.py``): ``redact``, ``redact_hashtags``, ``pseudonym``, ``load_salt``,
``find_contacts``, ``contact_kinds``, ``contact_values``, ``Contact``, ``APPS``,
``find_phones``.
"""

from dealerdetect.privacy.contacts import (
    APPS,
    Contact,
    contact_kinds,
    contact_values,
    find_contacts,
)
from dealerdetect.privacy.phones import find_phones
from dealerdetect.privacy.redaction import load_salt, pseudonym, redact, redact_hashtags

__all__ = [
    "APPS",
    "Contact",
    "contact_kinds",
    "contact_values",
    "find_contacts",
    "find_phones",
    "load_salt",
    "pseudonym",
    "redact",
    "redact_hashtags",
]
