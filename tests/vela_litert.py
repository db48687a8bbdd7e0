"""Per-op agreement of a compiled model's NPU part with LiteRT (BUILTIN_REF):
which decoded ops write a tensor LiteRT also computes. Segment outputs are
checked by `tirconst.backend.ethos_u.verify`."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tirconst.backend.ethos_u import disassemble
from tirconst.backend.ethos_u.disasm_ir import npu_module
from tirconst.backend.ethos_u.verify import litert_tensors


def op_agreement(original: Path, compiled: Path, seed: int) -> list[tuple[str, str]]:
    """(op kind, verdict) per block op of the decoded stream: `equal` when
    its OFM equals some LiteRT tensor of the original graph (same size, type
    and values), else `unmatched`. Unmatched is not a disagreement on its
    own: steps Vela adds (its softmax and mean decompositions) and stripes
    of a split op have no LiteRT tensor."""
    from tirconst.dialects.npu.ops import BlockOp
    from tirconst.interpreter.npu.memory import Memory
    from tirconst.interpreter.npu.ops import IMPLEMENTATIONS

    module = npu_module(disassemble(compiled))
    stream = module.ops.first
    reference = litert_tensors(original, seed)
    mem = Memory(stream)
    for t in stream.tensors():
        if t.kind.data == "input":
            data = reference[t.tensor_name.data].reshape(-1).view(np.uint8)
            off = t.offset.value.data
            mem.regions[t.region.value.data][off : off + t.nbytes] = data
    by_size: dict[tuple[int, str], list[np.ndarray]] = {}
    for value in reference.values():
        by_size.setdefault((value.size, value.dtype.str), []).append(value.reshape(-1))
    verdicts = []
    for op in stream.body.block.ops:
        impl = IMPLEMENTATIONS.get(type(op))
        if impl is None:
            continue
        impl(op, mem)
        if not isinstance(op, BlockOp):
            continue
        kind = op.name.removeprefix("npu.")
        sub = getattr(op, "op_type", None) or getattr(op, "pool_type", None)
        if sub is not None:
            kind += "." + sub.data
        out = mem.read(op.ofm, "the OFM").reshape(-1)
        same = by_size.get((out.size, out.dtype.str), [])
        equal = any(np.array_equal(out, v) for v in same)
        verdicts.append((kind, "equal" if equal else "unmatched"))
    return verdicts
