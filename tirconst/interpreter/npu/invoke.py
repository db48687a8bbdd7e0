"""`npu.invoke` in the tir interpreter: the command stream runs on the pools'
bytes.

Each region of the stream names its `tir.pool`; the region's bytes are that
pool's byte array in the running frame (reached through any operand buffer
placed in it: a placed buffer is a window onto its pool's array). The
lookup-table region 0x103 is the NPU's own memory, fresh for each invoke.
Registered through the interpreter's op registry, so the tir interpreter's
checks (reads defined, no writes into constants) apply to the invoke's
declared `ins` and `outs`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tirconst.core.diagnostics import error_line
from tirconst.dialects.npu import LUT_REGION, CommandStreamOp, InvokeOp
from tirconst.interpreter.errors import InterpreterError, op_failure
from tirconst.interpreter.memory import Buffer
from tirconst.interpreter.npu.memory import Memory, MemoryFault
from tirconst.interpreter.npu.ops import OpError
from tirconst.interpreter.registry import execution_of, implements


def _pool_array(buf: Buffer) -> np.ndarray:
    """The whole byte array of the pool `buf` lies in."""
    base = buf.raw.base
    return base if isinstance(base, np.ndarray) else buf.raw


class _PoolMemory(Memory):
    """Regions that are the frame's pool arrays (not copies)."""

    def __init__(self, regions: dict[int, np.ndarray]):
        self.regions = regions


@implements(InvokeOp)
def invoke(op: InvokeOp) -> Callable[..., None]:
    stream = op.stream_op()
    if stream is None:
        raise InterpreterError(
            error_line(
                "npu.invoke: no npu.command_stream @"
                f"{op.stream.root_reference.data} in the module"
            )
        )
    assert isinstance(stream, CommandStreamOp)
    regions = stream.regions_by_index()
    pools = {i: r.pool_name for i, r in regions.items() if i != LUT_REGION}
    for index, pool in pools.items():
        if pool is None:
            raise op_failure(
                op, f"region {index} of @{stream.sym_name.data} names no tir.pool"
            )
    lut_size = regions[LUT_REGION].size.value.data if LUT_REGION in regions else 0
    steps = [
        (o, impl)
        for o in stream.body.block.ops
        if (impl := execution_of(o)) is not None
    ]

    def run(*buffers: Buffer) -> None:
        arrays: dict[str, np.ndarray] = {}
        for b in buffers:
            if b.pool is not None:
                arrays.setdefault(b.pool, _pool_array(b))
        mem_regions: dict[int, np.ndarray] = {}
        for index, pool in pools.items():
            if pool not in arrays:
                raise op_failure(
                    op,
                    f"region {index} is pool '{pool}', but no operand buffer is "
                    "placed in it",
                )
            mem_regions[index] = arrays[pool]
        if lut_size:
            mem_regions[LUT_REGION] = np.zeros(lut_size, np.uint8)
        mem = _PoolMemory(mem_regions)
        for npu_op, impl in steps:
            try:
                impl(npu_op, mem)
            except (OpError, MemoryFault) as e:
                raise op_failure(npu_op, str(e)) from None

    return run
