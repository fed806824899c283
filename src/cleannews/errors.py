"""Exceptions. They are for programmer errors (bad config, unknown cleaner); data never raises."""

from __future__ import annotations


class CleannewsError(Exception):
    """Base class of cleannews' own exceptions."""


class ConfigError(CleannewsError, ValueError):
    """A configuration, option or rule file is wrong; the message says how to fix it."""


class UnknownCleanerError(ConfigError):
    """A chain names a cleaner that is not registered."""
