"""Run a Vela-compiled model's NPU part, disassembled into npu IR, in the npu
interpreter, and compare it with LiteRT (BUILTIN_REF) on the original model.

The NPU segment's inputs and outputs are tensors of the original graph (Vela
keeps their names): LiteRT runs the whole original model with every
intermediate tensor kept, the NPU program gets LiteRT's values of its input
tensors, and its outputs are compared with LiteRT's values of its output
tensors. Models with CPU operators around the NPU part (QUANTIZE, SOFTMAX...)
are so compared at the segment's boundary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType

from tirconst.backend.ethos_u import disassemble
from tirconst.backend.ethos_u.to_npu import npu_module
from tirconst.interpreter.npu import run_stream


@dataclass
class Agreement:
    name: str  # the NPU output tensor
    size: int
    equal: int  # elements bit-equal to LiteRT
    max_diff: int


def litert_tensors(model: Path, seed: int) -> dict[str, np.ndarray]:
    """Every tensor of `model` by name after one run on seeded random inputs."""
    interp = Interpreter(
        model_path=str(model),
        experimental_op_resolver_type=OpResolverType.BUILTIN_REF,
        experimental_preserve_all_tensors=True,
    )
    interp.allocate_tensors()
    rng = np.random.default_rng(seed)
    for d in interp.get_input_details():
        if np.issubdtype(d["dtype"], np.integer):
            info = np.iinfo(d["dtype"])
            x = rng.integers(info.min, info.max + 1, d["shape"], dtype=d["dtype"])
        else:
            x = rng.standard_normal(d["shape"]).astype(d["dtype"])
        interp.set_tensor(d["index"], x)
    interp.invoke()
    out = {}
    for d in interp.get_tensor_details():
        try:
            out[d["name"]] = interp.get_tensor(d["index"])
        except ValueError:
            continue  # tensors LiteRT did not keep (constants, freed)
    return out


def compare(original: Path, compiled: Path, seed: int) -> list[Agreement]:
    """The NPU program of `compiled` against LiteRT on `original`."""
    module = npu_module(disassemble(compiled))
    stream = module.ops.first
    reference = litert_tensors(original, seed)
    tensors = stream.tensors()
    inputs = {
        t.tensor_name.data: reference[t.tensor_name.data].reshape(t.shape)
        for t in tensors
        if t.kind.data == "input"
    }
    got = run_stream(module, inputs)
    result = []
    for t in tensors:
        if t.kind.data != "output":
            continue
        name = t.tensor_name.data
        want = reference[name].reshape(t.shape)
        diff = np.abs(got[name].astype(np.int64) - want.astype(np.int64))
        result.append(
            Agreement(name, diff.size, int((diff == 0).sum()), int(diff.max()))
        )
    return result


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
