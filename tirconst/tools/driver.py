"""The one error path of every command-line tool.

`reports_errors` wraps a tool's `main`: a ToolError prints its one line and
exits 1; any other exception becomes one line naming the input being read
(never a Python traceback). `reading(name)` says which input that is.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, NoReturn, TypeVar

from xdsl.utils.exceptions import (
    ArgSpecParseError,
    DiagnosticException,
    ParseError,
)

from tirconst.core.diagnostics import (
    ToolError,
    diagnostic_line,
    error_line,
    first_line,
    parse_error_line,
)

F = TypeVar("F", bound=Callable[..., Any])

# Deeply nested IR (150 `tir.for`, a 3000-deep list) recurses in xDSL's parser
# and printer: tools run on a thread with a large stack and a high limit.
STACK_BYTES = 512 * 1024 * 1024
RECURSION_LIMIT = 60_000

_inputs: list[str] = []


@contextlib.contextmanager
def reading(name: str) -> Iterator[None]:
    """Name the input being worked on, for a message about an unexpected error.

    On an exception the name stays, for `reports_errors` to report."""
    _inputs.append(name)
    yield
    _inputs.pop()


def _where(tool: str) -> str:
    return _inputs[-1] if _inputs else tool


def in_deep_stack(fn: Callable[[], Any]) -> Any:
    """Run `fn` on a thread with a large stack; its exception is re-raised."""
    result: list[Any] = []
    failure: list[BaseException] = []

    def body() -> None:
        try:
            result.append(fn())
        except BaseException as e:  # noqa: BLE001 - handed to the caller
            failure.append(e)

    old_size = threading.stack_size()
    old_limit = sys.getrecursionlimit()
    worker = threading.Thread(target=body, daemon=True)
    # The limit is per process: raise it before the worker starts recursing.
    sys.setrecursionlimit(max(old_limit, RECURSION_LIMIT))
    try:
        try:
            threading.stack_size(STACK_BYTES)  # read when the thread starts
            worker.start()
        except (RuntimeError, ValueError, MemoryError):
            sys.setrecursionlimit(old_limit)
            return fn()  # no big stack to be had: run as it is
        finally:
            threading.stack_size(old_size)
        while worker.is_alive():
            worker.join(0.1)  # a short wait keeps Ctrl-C working
    finally:
        sys.setrecursionlimit(old_limit)
    if failure:
        raise failure[0]
    return result[0] if result else None


def reports_errors(tool: str) -> Callable[[F], F]:
    """Run a tool's main: expected errors print one line and exit 1; anything
    else is an internal error, also one line naming the input being read (set
    TIRCONST_DEBUG=1 to see the traceback). Returns what `main` returns."""

    def wrap(main: F) -> F:
        @functools.wraps(main)
        def run(*args: Any, **kwargs: Any) -> Any:
            del _inputs[:]
            try:
                return in_deep_stack(lambda: main(*args, **kwargs))
            except ToolError as e:
                print(str(e), file=sys.stderr)
                sys.exit(1)
            except BrokenPipeError:
                # `tool | head`: the reader left; stop quietly as Unix tools do.
                sys.stderr.close()
                sys.exit(0)
            except ParseError as e:
                print(parse_error_line(e), file=sys.stderr)
                sys.exit(1)
            except DiagnosticException as e:
                print(diagnostic_line(e, _where(tool)), file=sys.stderr)
                sys.exit(1)
            except RecursionError:
                print(
                    error_line("nested too deeply to handle", _where(tool)),
                    file=sys.stderr,
                )
                sys.exit(1)
            except MemoryError:
                print(error_line("out of memory", _where(tool)), file=sys.stderr)
                sys.exit(1)
            except (OSError, ValueError, KeyError) as e:
                if os.environ.get("TIRCONST_DEBUG"):
                    raise
                print(error_line(first_line(str(e)), _where(tool)), file=sys.stderr)
                sys.exit(1)
            except ArgSpecParseError as e:
                # A BaseException whose message is the spec, a caret and the error.
                lines = [line.strip() for line in str(e).splitlines() if line.strip()]
                print(error_line(f"{lines[1]}: {lines[-1]}", tool), file=sys.stderr)
                sys.exit(1)
            except KeyboardInterrupt:
                sys.exit(130)
            except Exception as e:  # noqa: BLE001 - last line of defence
                if os.environ.get("TIRCONST_DEBUG"):
                    raise
                print(
                    f"{_where(tool)}: internal error: {type(e).__name__}: "
                    f"{first_line(str(e))} (set TIRCONST_DEBUG=1 for a traceback)",
                    file=sys.stderr,
                )
                sys.exit(2)
            finally:
                del _inputs[:]

        return run  # type: ignore[return-value]

    return wrap


def exit_after(main: Callable[[], Any]) -> NoReturn:
    """Run a tool's `main` as the whole process and end it with main's exit
    status, without the interpreter's teardown: freeing a compile's modules
    and IR object by object takes 0.15 s, a fifth of a small model's compile.
    Every output is written and closed before `main` returns (atomically,
    `core.files`), so only the standard streams are flushed here."""
    try:
        code = main()
    except SystemExit as e:
        code = e.code
    if isinstance(code, str):  # as SystemExit("message") prints it
        print(code, file=sys.stderr)
    status = code if isinstance(code, int) else (0 if code is None else 1)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing to keep
            pass
    os._exit(status)
