"""`npu-estimate-performance`: print the performance model's per-op table."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from tirconst.analysis.performance import ConfigError, estimate, report
from tirconst.core.files import OutputError, atomic_output
from tirconst.dialects.npu.stream import CommandStreamOp
from tirconst.transforms.system_options import SystemOptions

NAME = "npu-estimate-performance"


@dataclass(frozen=True)
class EstimatePerformancePass(SystemOptions, ModulePass):
    """Estimate the cycles of every `npu.command_stream` in the module with
    the Ethos-U performance model (tirconst.analysis.performance, Vela's
    public model: compute per OFM block, traffic per memory, DMA beside
    compute) and print one row per op with the totals and the inference
    time, so a pipeline can show what a rewrite costs on the device.

    The IR is left unchanged. The table goes to stderr, or to `file`.
    `system-config` and `memory-mode` name sections of Vela's ini files
    (`config`, default the ones Vela ships; `SystemOptions`); the defaults
    are Vela's for the stream's accelerator (Ethos_U55_High_End_Embedded /
    Shared_Sram for a U55).
    """

    name = NAME

    file: str | None = None

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        streams = [s for s in op.walk() if isinstance(s, CommandStreamOp)]
        if not streams:
            raise PassFailedException(f"{NAME}: the module has no npu.command_stream")
        cfg = self.system(streams[0].accelerator.data, NAME)
        try:
            text = report(estimate(op, cfg))
        except ConfigError as e:
            raise PassFailedException(f"{NAME}: {e}") from None
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
