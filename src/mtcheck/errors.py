"""Errors that end a command with exit code 2 and one sentence on stderr."""


class MtcheckError(Exception):
    """A usage or input problem. ``str(error)`` is one sentence that says what to do."""

    exit_code = 2


class InputError(MtcheckError):
    """An input file is missing, unreadable, not UTF-8, malformed or empty."""


class ModelNotAvailable(MtcheckError):
    """The back-translation model cannot be found or loaded."""


class ConfigError(MtcheckError):
    """A configuration value or command-line option is invalid."""
