"""Errors that end a command with exit code 2 and one sentence on stderr."""

from functools import lru_cache


class MtcheckError(Exception):
    """A usage or input problem. ``str(error)`` is one sentence that says what to do."""

    exit_code = 2


class InputError(MtcheckError):
    """An input file is missing, unreadable, not UTF-8, malformed or empty."""


class ModelNotAvailable(MtcheckError):
    """The back-translation model cannot be found or loaded."""


class ConfigError(MtcheckError):
    """A configuration value or command-line option is invalid."""


# C0 controls, DEL and C1 controls. ESC starts the terminal's colour, cursor and title
# sequences (CSI, OSC), BEL ends OSC, CR overwrites what a line showed, and the C1 CSI
# and OSC (0x9b, 0x9d) work like ESC on some terminals: none may reach one from input.
_CONTROLS = (*range(0x20), *range(0x7F, 0xA0))


@lru_cache(maxsize=8)
def _escapes(keep: str) -> dict[int, str]:
    return {code: f"\\x{code:02x}" for code in _CONTROLS if chr(code) not in keep}


def printable(text: str, keep: str = "") -> str:
    r"""``text`` with each control character written as ``\xHH`` (ESC as ``\x1b``), so
    that text from input files, file names and error messages is shown, never obeyed, by
    a terminal. ``keep``: control characters left as they are (e.g. ``"\n\t"``)."""
    return text.translate(_escapes(keep))
