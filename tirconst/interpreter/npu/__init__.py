"""The npu interpreter: Ethos-U operations on flat memory, bit-exact.

    from tirconst.interpreter.npu import run_stream, NpuProgram
    outputs = run_stream(text, {"input0": x})        # every tensor by name
    check_equivalent(tir_text, NpuProgram(npu_text)) # tir vs its lowering

Regions are byte arrays (`memory`); ops read and write them at their feature
maps' addresses, decode weight streams and bias records through
`tirconst.formats.ethos_u`, and compute as docs/ethos-u.md gives it
(`arithmetic`, `ops`). `ops.IMPLEMENTATIONS` maps op classes to functions.
"""

from tirconst.interpreter.npu.ops import IMPLEMENTATIONS
from tirconst.interpreter.npu.program import (
    NpuProgram,
    StreamFunction,
    holds_npu,
    program_of,
    run_stream,
)

__all__ = [
    "IMPLEMENTATIONS",
    "NpuProgram",
    "StreamFunction",
    "holds_npu",
    "program_of",
    "run_stream",
]
