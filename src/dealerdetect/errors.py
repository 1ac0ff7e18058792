"""The project's own error for bad input: what a user, not the code, must fix.

Every error that names a config key, a file, a row or a field derives from :class:`InputError`
(``PostFormatError``, ``ConfigError``, ``BundleError``, ``CollectionError`` ...). A workflow
job ends on one with its message alone, on the console and in the job's log, and exit status 1
(:func:`dealerdetect.study.runlog.log_to`); any other exception is a bug and keeps its
traceback in the log.

Public API:

    InputError: the marker base; catch it to tell bad input from a bug.
    InputValueError: an InputError that is also a ValueError (for checks that raised one).
"""

from __future__ import annotations

__all__ = ["InputError", "InputValueError"]


class InputError(Exception):
    """Bad input from the user; the message says what and where, in one line."""


class InputValueError(InputError, ValueError):
    """An input error where callers expect a ValueError."""
