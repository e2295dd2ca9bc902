"""Exceptions and warnings raised by geo_trygg (private module; names re-exported)."""

from __future__ import annotations


class GeoTryggError(Exception):
    """Base class of every error geo_trygg raises on purpose."""


class ConfigError(GeoTryggError, ValueError):
    """An argument or configuration value is not allowed.

    The message names the argument (or configuration key), the value received and the
    allowed values, and is raised before any work starts.
    """


class ReadError(GeoTryggError):
    """A file cannot be read at all (missing, unknown format, no usable columns)."""


class RowError(GeoTryggError, ValueError):
    """Raised in ``strict=True`` mode at the first input row that would be rejected."""

    def __init__(self, row: int, column: str, value: object, reason: str) -> None:
        self.row = row
        self.column = column
        self.value = value
        self.reason = reason
        super().__init__(f"row {row}, column {column!r}, value {value!r}: {reason}")


class CRSMismatchError(GeoTryggError, ValueError):
    """Two inputs that must share a coordinate reference system do not."""


class RegisterError(GeoTryggError):
    """A register (:mod:`geo_trygg.register`) cannot do what was asked: it is newer than this
    version of geo_trygg, not a register, locked by another writer for too long, or the import
    contradicts what it holds. Nothing was written."""


class GeoTryggWarning(UserWarning):
    """A silent assumption was made (for example an inferred CRS); the message says which."""


def check_choice(name: str, value: object, allowed: tuple[str, ...] | list[str]) -> str:
    """Validate that ``value`` is one of ``allowed``; raise :class:`ConfigError` otherwise.

    Parameters
    ----------
    name : str
        Argument or configuration key, used in the message.
    value : object
        Value received.
    allowed : sequence of str
        Allowed values.

    Returns
    -------
    str
        ``value`` unchanged.
    """
    if not isinstance(value, str) or value not in allowed:
        raise ConfigError(
            f"{name}={value!r} is not allowed; expected one of: {', '.join(map(repr, allowed))}"
        )
    return value
