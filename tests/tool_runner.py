"""Run a command-line tool in-process, as a user would from the shell.

`call(tool, *args)` returns (exit status, stdout, stderr). A tool still
running after `HANG_SECONDS` is a hang: the call fails the test (this is a
watchdog for hangs, far above the 2 s a bad input may take, not a timing
assertion)."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from tirconst.tools import import_tflite, opt, plan, run

HANG_SECONDS = 60.0

TOOLS: dict[str, Callable[[list[str]], Any]] = {
    "tirconst-opt": opt.main,
    "tirconst-run": run.main,
    "tirconst-import": import_tflite.main,
    "tirconst-plan": plan.main,
}


def call(tool: str, *args: str, stdin: bytes = b"") -> tuple[int, str, str]:
    """Run `tool args...`; return (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    result: list[int] = []
    failure: list[BaseException] = []
    main = TOOLS[tool]
    saved_argv0 = sys.argv[0]

    def body() -> None:
        try:
            code = main(list(args))
            result.append(int(code or 0))
        except SystemExit as e:
            code = e.code
            result.append(code if isinstance(code, int) else (0 if code is None else 1))
        except BaseException as e:  # noqa: BLE001 - reported below
            failure.append(e)

    sys.argv[0] = tool
    old_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            worker = threading.Thread(target=body, daemon=True)
            worker.start()
            worker.join(HANG_SECONDS)
    finally:
        sys.stdin = old_stdin
        sys.argv[0] = saved_argv0
    if worker.is_alive():
        raise AssertionError(f"{tool} {' '.join(args)}: still running: a hang")
    if failure:
        raise failure[0]
    return result[0], out.getvalue(), err.getvalue()


def assert_clean_error(status: int, stderr: str, expect: str | None = None) -> None:
    """A failing run: non-zero, exactly one line on stderr, no traceback."""
    assert status != 0, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    if expect is not None:
        assert expect in lines[0], lines[0]


def files_in(directory: str | os.PathLike[str]) -> list[str]:
    return sorted(os.listdir(directory))
