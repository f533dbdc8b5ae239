"""The one writer for every file mtcheck writes: reports, baselines, audit outputs, caches.

How a target is written depends on what it is (its kind is looked at once, just before
writing):

- A regular file, or a path that does not exist yet, is written atomically: the data goes
  to a temporary file with a random name (``.NAME.<random>.tmp``) in the target's folder,
  created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` (``tempfile.mkstemp``), so that nothing
  planted there in advance, a symlink included, is ever opened or followed; it is fsynced
  and renamed over the target. A reader sees the old file or the new one, never half of
  one. The temporary file is removed on every error (a full disk included), so none is
  left behind.
- A symlink to a regular file (or a dangling one) is written through: the file it points
  to is replaced atomically in that file's own folder, and the link stays a link. This is
  what ``> link`` does in a shell, minus the half-written file.
- Any other kind of target (a character or block device such as ``/dev/null``, a FIFO,
  a socket, or a symlink to one) is opened for writing as it is, without creating or
  truncating anything, and never replaced or removed. ``-`` is standard output.
- A target that is the same file as one of the run's inputs (its draft, reference,
  glossary, configuration, baseline...) is refused with a ``ConfigError`` before anything
  is written, so a mistyped ``-o`` can never destroy its own input.

:class:`Outputs` writes several files all or nothing: each is staged to its temporary
file, and only when every one is complete are they renamed into place, in the order they
were opened.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from typing import IO

from mtcheck.errors import ConfigError

STDOUT = "-"
# Inputs as (label, path) pairs, e.g. ("input draft", Path("d.de.txt")); None paths are
# skipped, so callers can pass optional inputs as they are.
Inputs = Iterable[tuple[str, os.PathLike[str] | str | None]]
# Keeps ".NAME.<random>.tmp" under the usual 255-byte limit for a file name.
_NAME_ROOM = 120


def refuse_inputs(path: os.PathLike[str] | str, inputs: Inputs, what: str = "the output") -> None:
    """Raise ``ConfigError`` when ``path`` is the same file as one of ``inputs``.

    Only a regular file can be destroyed by writing it, so only a regular target is
    compared (``/dev/stdout`` may well be the terminal the draft comes from). Files are
    compared by device and inode, which sees through symlinks, ``..`` and hard links.
    """
    if str(path) == STDOUT:
        return
    try:
        target = os.stat(path)
    except OSError:
        return  # a new file cannot be any existing input
    if not stat.S_ISREG(target.st_mode):
        return
    for label, source in inputs:
        if source is None or str(source) == STDOUT:
            continue
        try:
            if os.path.samestat(target, os.stat(source)):
                raise ConfigError(
                    f"refusing to write {what} onto the {label} {source}; "
                    "choose another output file."
                )
        except OSError:
            continue


@cache
def _umask() -> int:
    """The process's umask, read once (reading it means setting it for a moment)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_all(handle: IO, data: str | bytes) -> None:
    """Write ``data`` to ``handle``; a seam for tests that simulate a full disk."""
    handle.write(data)


class _Staged:
    """One output of a batch: its open handle and, for an atomic write, its temporary."""

    def __init__(
        self, name: str, handle: IO, target: str | None = None, temporary: str | None = None
    ) -> None:
        self.name = name  # as the caller gave it, for messages
        self.handle = handle
        self.target = target  # where the temporary goes; None when written directly
        self.temporary = temporary

    def finish(self) -> None:
        """Flush everything to disk (atomic outputs) and close the handle."""
        if self.name == STDOUT:
            self.handle.flush()  # standard output stays open for whoever writes next
            return
        if self.temporary is not None:
            self.handle.flush()
            os.fsync(self.handle.fileno())
        self.handle.close()

    def discard(self) -> None:
        """Close the handle and remove the temporary file; never raises."""
        if self.name != STDOUT:
            with suppress(OSError, ValueError):
                self.handle.close()
        if self.temporary is not None:
            with suppress(OSError):
                os.unlink(self.temporary)
            self.temporary = None


class Outputs:
    """Write several outputs all or nothing; use as a context manager.

    ``open(path, mode)`` returns a file object to write into (``"w"`` for text, ``"wb"``
    for bytes; e.g. a ``pyarrow.parquet.ParquetWriter`` takes it as its sink). When the
    ``with`` block ends without an error, every atomic output is renamed into place in
    the order it was opened; on any error every temporary file is removed and no target
    is touched. With ``what`` (e.g. "the report"), an ``OSError`` inside the block ends
    as a one-sentence ``ConfigError`` naming the file; without, it propagates.
    """

    def __init__(self, *, inputs: Inputs = (), what: str | None = None) -> None:
        self._inputs = list(inputs)
        self._what = what
        self._staged: list[_Staged] = []
        self._current: str | None = None

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        failure = error
        try:
            if kind is None:
                self._commit()
        except OSError as commit_error:
            failure = commit_error
        finally:
            self._discard()
        if isinstance(failure, OSError) and self._what is not None:
            reason = failure.strerror or str(failure)
            raise ConfigError(f"{self._current}: cannot write {self._what} ({reason}).") from None
        if failure is not error:
            raise failure

    def open(self, path: os.PathLike[str] | str, mode: str = "w", encoding: str = "utf-8") -> IO:
        """A file object for ``path`` (see the class); refuses the run's inputs."""
        if mode not in ("w", "wb"):
            raise ValueError(f"mode must be 'w' or 'wb', not {mode!r}")
        self._current = str(path)
        refuse_inputs(path, self._inputs, self._what or "the output")
        binary = mode == "wb"
        staged = _stage(str(path), binary, encoding)
        self._staged.append(staged)
        return staged.handle

    def write_text(self, path: os.PathLike[str] | str, text: str) -> None:
        _write_all(self.open(path, "w"), text)

    def write_bytes(self, path: os.PathLike[str] | str, data: bytes) -> None:
        _write_all(self.open(path, "wb"), data)

    def _commit(self) -> None:
        for staged in self._staged:
            self._current = staged.name
            staged.finish()
        folders = set()
        for staged in self._staged:
            if staged.temporary is not None:
                self._current = staged.name
                os.replace(staged.temporary, staged.target)
                staged.temporary = None
                folders.add(os.path.dirname(staged.target))
        for folder in folders:
            _sync_folder(folder)

    def _discard(self) -> None:
        for staged in self._staged:
            staged.discard()
        self._staged.clear()


def _stage(path: str, binary: bool, encoding: str) -> _Staged:
    """Open ``path`` for writing the way its kind asks for (see the module's docstring)."""
    if path == STDOUT:
        return _Staged(path, sys.stdout.buffer if binary else sys.stdout)
    try:
        status = os.stat(path)  # follows symlinks: the kind of what a link points to
    except FileNotFoundError:
        status = None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    if status is not None and not stat.S_ISREG(status.st_mode):
        # No O_CREAT: if the device or FIFO vanished meanwhile, fail rather than create.
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
        return _Staged(path, _wrap(fd, binary, encoding))
    target = os.path.realpath(path)  # a symlink to a regular file stays a link
    mode = stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask()
    folder, name = os.path.split(target)
    fd, temporary = tempfile.mkstemp(prefix=f".{name[:_NAME_ROOM]}.", suffix=".tmp", dir=folder)
    try:
        with suppress(OSError):  # mkstemp makes 0600; give it the mode the file would have
            os.fchmod(fd, mode)
        handle = _wrap(fd, binary, encoding)
    except BaseException:
        os.close(fd)
        os.unlink(temporary)
        raise
    return _Staged(path, handle, target, temporary)


def _wrap(fd: int, binary: bool, encoding: str) -> IO:
    if binary:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding=encoding)


def _sync_folder(folder: str) -> None:
    """Make the rename durable; best effort (not every file system can fsync a folder)."""
    with suppress(OSError):
        fd = os.open(folder or ".", os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextmanager
def open_output(
    path: os.PathLike[str] | str,
    mode: str = "w",
    *,
    inputs: Inputs = (),
    what: str | None = None,
    encoding: str = "utf-8",
) -> Iterator[IO]:
    """One output as a file object for streaming writers; committed when the block ends."""
    with Outputs(inputs=inputs, what=what) as outputs:
        yield outputs.open(path, mode, encoding=encoding)


def write_text(
    path: os.PathLike[str] | str,
    text: str,
    *,
    inputs: Inputs = (),
    what: str | None = None,
    encoding: str = "utf-8",
) -> None:
    """Write ``text`` to ``path`` (see the module's docstring for how)."""
    with open_output(path, "w", inputs=inputs, what=what, encoding=encoding) as handle:
        _write_all(handle, text)


def write_bytes(
    path: os.PathLike[str] | str, data: bytes, *, inputs: Inputs = (), what: str | None = None
) -> None:
    """Write ``data`` to ``path`` (see the module's docstring for how)."""
    with open_output(path, "wb", inputs=inputs, what=what) as handle:
        _write_all(handle, data)


__all__ = ["STDOUT", "Outputs", "open_output", "refuse_inputs", "write_bytes", "write_text"]
