"""`tir-constant-report`: print a table of the module's constants."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from tirconst.analysis.encoded_report import report
from tirconst.core.files import OutputError, atomic_output

NAME = "tir-constant-report"


@dataclass(frozen=True)
class ConstantReportPass(ModulePass):
    """List each constant's name, dtype, shape, bytes and readers, with totals.

    The IR is left unchanged, so the pass can sit anywhere in a pipeline (run
    it twice to compare before and after). The table goes to stderr, or to
    `file` (overwritten). A reader is shown with the region it reads
    (`tir.conv2d[0:4, :, :, :]`; `[?]` for a dynamic index); later passes add
    columns of their own (see `tirconst.analysis.constant_report`).
    """

    name = NAME

    file: str | None = None

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        text = report(op)
        if self.file is None:
            sys.stderr.write(text)
            return
        try:
            with atomic_output(self.file) as f:
                f.write(text)
        except OutputError as e:
            reason = e.reason.removeprefix("cannot write: ")
            raise PassFailedException(
                f"{NAME}: cannot write {self.file!r}: {reason}"
            ) from None
