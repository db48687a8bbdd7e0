"""Atomic file output: a tool's output file appears whole, or not at all.

Every tool writes through `atomic_output`: the data goes to a temporary file
in the same directory, renamed over the target only when the `with` block
ends without an exception. A failed run leaves an existing file untouched and
creates no file at a new path; reading an input and writing it (`-o` the same
path) is safe.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from tirconst.core.diagnostics import ToolError


class OutputError(ToolError):
    """An output file that cannot be written; `path` and `reason` say why."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: error: {reason}")
        self.path = path
        self.reason = reason


def _mode_for(path: str) -> int:
    """The permissions of the file being replaced, else the umask's default."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str], binary: bool = False
) -> Iterator[IO[Any]]:
    """Open `path` for writing; it is replaced only if the block succeeds.

    Raises a one-line OutputError (a ToolError) when `path` is a directory or
    cannot be written."""
    target = os.fspath(path)
    if os.path.isdir(target):
        raise OutputError(target, "is a directory, not an output file")
    directory = os.path.dirname(os.path.abspath(target))
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory
        )
    except OSError as e:
        raise OutputError(target, f"cannot write: {e.strerror}") from None
    try:
        mode = "wb" if binary else "w"
        encoding = None if binary else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as stream:
            yield stream
            stream.flush()
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(e, OSError):
            raise OutputError(target, f"cannot write: {e.strerror or e}") from None
        raise
