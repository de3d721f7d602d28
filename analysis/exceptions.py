"""Named errors of the compendium. Each message says what is wrong and what to do."""

from __future__ import annotations


class CompendiumError(Exception):
    """Base class for errors raised by :mod:`analysis`."""


class DataValidationError(CompendiumError, ValueError):
    """The patient table breaks the data dictionary.

    ``report`` is a :class:`analysis.data.validate.ValidationReport` listing every
    problem (patient, column, value, rule, message) at once.
    """

    def __init__(self, report):
        self.report = report
        super().__init__(report.to_text())


class DataFileError(CompendiumError, OSError):
    """The data file cannot be read (missing, unsupported format, unreadable sheet)."""


class ClaimsError(CompendiumError, ValueError):
    """The claims registry (``data/published/claims.yaml``) is malformed.

    The message names the claim id and the field at fault, and says how to fix it.
    """


class UsageError(CompendiumError, ValueError):
    """A command or function was asked for something that cannot be: a missing or contradictory option,
    an unknown notebook or figure format. The message says what is possible."""
