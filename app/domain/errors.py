"""Errors that carry a sentence a user understands; the CLI and GUI show `str(error)` as it is."""


class TimeTallyError(Exception):
    """Base of every error meant for the user."""


class ValidationError(TimeTallyError):
    """The input was refused; nothing was written."""


class NotFoundError(TimeTallyError):
    """A named client, project, task or entry does not exist."""


class StoreError(TimeTallyError):
    """The database or its folder cannot be used (read-only, full, missing permissions)."""


class DatabaseTooNewError(StoreError):
    """The database was written by a newer TimeTally; it is left untouched."""


class LockedError(TimeTallyError):
    """An approved or invoiced entry is locked against edits."""
