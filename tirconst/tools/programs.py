"""The installed command-line programs (`[project.scripts]`): each runs its
tool's `main` and exits without the interpreter's teardown
(`driver.exit_after`). In-process callers use the tools' `main`s.

A program imports its tool (and the driver, which imports xDSL) with the
garbage collector off, then freezes what the imports made
(`core.collection.imports_uncollected`)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import NoReturn

from tirconst.core.collection import imports_uncollected


def _program(module: str) -> Callable[[], NoReturn]:
    def program() -> NoReturn:
        with imports_uncollected():
            from tirconst.tools.driver import exit_after

            main = importlib.import_module(module).main
        exit_after(main)

    program.__doc__ = f"`{module}.main` as a program."
    return program


compile = _program("tirconst.tools.compile")  # noqa: A001 - the program's name
disasm = _program("tirconst.tools.disasm")
import_tflite = _program("tirconst.tools.import_tflite")
opt = _program("tirconst.tools.opt")
plan = _program("tirconst.tools.plan")
run = _program("tirconst.tools.run")
