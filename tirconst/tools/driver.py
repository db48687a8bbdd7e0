"""The one error path of every command-line tool.

`reports_errors` wraps a tool's `main`: a ToolError prints its one line and
exits 1; any other exception becomes one line naming the input being read
(never a Python traceback). `reading(name)` says which input that is.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from xdsl.utils.exceptions import (
    ArgSpecParseError,
    DiagnosticException,
    ParseError,
)

from tirconst.core.diagnostics import ToolError, first_line, parse_error_line

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(tool: str) -> Callable[[F], F]:
    """Run a tool's main: expected errors print one line and exit 1; anything
    else is an internal error, also one line (set TIRCONST_DEBUG=1 to see the
    traceback)."""

    def wrap(main: F) -> F:
        @functools.wraps(main)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return main(*args, **kwargs)
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
                print(f"{tool}: error: {first_line(str(e))}", file=sys.stderr)
                sys.exit(1)
            except (OSError, ValueError, KeyError) as e:
                if os.environ.get("TIRCONST_DEBUG"):
                    raise
                print(f"{tool}: error: {e}", file=sys.stderr)
                sys.exit(1)
            except ArgSpecParseError as e:
                # A BaseException whose message is the spec, a caret and the error.
                lines = [line.strip() for line in str(e).splitlines() if line.strip()]
                print(f"{tool}: error: {lines[1]}: {lines[-1]}", file=sys.stderr)
                sys.exit(1)
            except KeyboardInterrupt:
                sys.exit(130)
            except Exception as e:  # noqa: BLE001 - last line of defence
                if os.environ.get("TIRCONST_DEBUG"):
                    raise
                print(
                    f"{tool}: internal error: {type(e).__name__}: {e} "
                    "(set TIRCONST_DEBUG=1 for a traceback)",
                    file=sys.stderr,
                )
                sys.exit(2)

        return run  # type: ignore[return-value]

    return wrap
