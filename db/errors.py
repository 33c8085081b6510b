"""Errors raised by the data store.

Pages and the command line turn these into one friendly sentence; nothing
below them should let a driver traceback reach a user.
"""


class StoreError(Exception):
    """Base class for every error the data store raises on purpose."""


class ConfigurationError(StoreError):
    """The database URL or a setting is missing or malformed."""


class DatabaseUnavailable(StoreError):
    """The database server cannot be reached or the file cannot be opened."""


class NotFound(StoreError):
    """A code (area, indicator, batch...) that the store does not hold."""


class SeedRefused(StoreError):
    """Seeding was asked for on a database that already holds data."""


class DataFileError(StoreError):
    """A sample or uploaded data file is missing or unreadable."""


class DatabaseReadOnly(DatabaseUnavailable):
    """The database can be read but not written (a read-only file, replica or user)."""


class DiskFull(DatabaseUnavailable):
    """The disk holding the database is full, so nothing can be written."""
