"""A lowered module (after `convert-tir-to-npu`) as what goes to the device:
per `npu.invoke`, the driver payload Vela generates for its command stream,
and the original model's operators and tensors it replaces, with the byte
offsets the plan gave them (`NpuSegment`, for `writers` and `raw`).

The tir program was imported from that model, so its names say which tensor
a buffer is: parameters `input<i>` / `output<i>` are the model's inputs and
outputs, and operator `k`'s output buffer is named `op<k>_<opcode>` (see
`frontend.importer`). Which model operators a segment replaces is recorded
by `convert-tir-to-npu` on its `npu.invoke` (`tflite.operators`), not
reconstructed here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import SSAValue

from tirconst.analysis import views
from tirconst.analysis.views import place_of
from tirconst.backend.ethos_u.segments import (
    SCRATCH_REGION,
    NpuSegment,
    OutputError,
    SegmentTensor,
)
from tirconst.backend.ethos_u.vela_ops import driver_payload
from tirconst.dialects.npu import CommandStreamOp, InvokeOp
from tirconst.dialects.tir import (
    ConstantOp,
    FuncOp,
    OperatorOp,
    PoolOp,
)
from tirconst.dialects.tir.provenance import (
    TFLITE_INDEX,
    TFLITE_OPERATORS,
    model_operators,
)
from tirconst.formats.tflite import TFLiteModel

NPU_OPS = ("npu.conv2d", "npu.depthwise_conv2d", "npu.pooling", "npu.elementwise")


@dataclass(frozen=True)
class Package:
    """What the compile writes: the segments, and the figures of the summary."""

    segments: tuple[NpuSegment, ...]
    flash: bytes  # region 0: the encoded weights, biases and tables the NPU reads
    scratch_size: int  # region 1: the planned arena
    npu_ops: int  # block operations and DMAs in the command streams
    cpu_ops: int
    payload_bytes: int
    # region 2: a dedicated-SRAM system's cache (None: the arena is the SRAM)
    scratch_fast_size: int | None = None

    @property
    def sram_bytes(self) -> int:
        """The SRAM the network takes (Vela's sram_memory_used): the cache
        where the arena is not SRAM, else the arena."""
        if self.scratch_fast_size is not None:
            return self.scratch_fast_size
        return self.scratch_size

    @property
    def dram_bytes(self) -> int:
        """The arena where it is not SRAM (a dedicated-SRAM system's)."""
        return self.scratch_size if self.scratch_fast_size is not None else 0


def _main(module: ModuleOp) -> FuncOp:
    funcs = [op for op in module.ops if isinstance(op, FuncOp)]
    for f in funcs:
        if f.sym_name.data == "main":
            return f
    raise OutputError("the module has no tir.func @main")


def _pools(module: ModuleOp) -> tuple[PoolOp, PoolOp, PoolOp | None]:
    """The flash pool (region 0), the arena (region 1) and, if the module
    declares a second read-write pool, the fast scratch (region 2: a
    dedicated-SRAM system's cache, `tir-plan-memory{cache-size}`)."""
    pools = [op for op in module.ops if isinstance(op, PoolOp)]
    flash = [p for p in pools if p.read_only]
    rw = [p for p in pools if not p.read_only]
    if len(flash) != 1 or len(rw) not in (1, 2):
        raise OutputError(
            "the device format has one flash pool (region 0), an arena (region 1) "
            f"and a fast scratch (region 2); the module has {len(flash)} read-only "
            f"and {len(rw)} read-write pools"
        )
    return flash[0], rw[0], rw[1] if len(rw) == 2 else None


def _pool_size(pool: PoolOp, func: FuncOp) -> int:
    size = func.peaks().get(pool.sym_name.data, pool.size_bytes)
    if size is None:
        raise OutputError(f"pool @{pool.sym_name.data} has no size (plan it first)")
    return int(size)


def _flash_blob(module: ModuleOp, flash: PoolOp, cpu_only: set[str]) -> bytes:
    """The flash pool's bytes up to the last constant a command stream reads
    (constants only the CPU reads are left out: zeros, or cut off the end)."""
    name = flash.sym_name.data
    placed = [
        op
        for op in module.ops
        if isinstance(op, ConstantOp)
        and op.placement is not None
        and op.placement.pool_name == name
    ]
    ends = [
        c.placement.byte_offset + c.data.nbytes  # type: ignore[union-attr]
        for c in placed
        if c.sym_name.data not in cpu_only
    ]
    blob = bytearray(max(ends, default=0))
    for c in placed:
        if c.sym_name.data in cpu_only:
            continue
        at = c.placement.byte_offset  # type: ignore[union-attr]
        blob[at : at + c.data.nbytes] = np.ascontiguousarray(c.data).tobytes()
    return bytes(blob)


def _cpu_only_constants(func: FuncOp) -> set[str]:
    """Constants that only ops staying on the CPU read: the NPU never needs
    their bytes (a softmax's table)."""
    from tirconst.dialects.tir import AllocateConstOp

    out = set()
    for op in func.walk():
        if not isinstance(op, AllocateConstOp) or op.symbol is None:
            continue
        users = [u for u, _ in views.users(op.buffer)]
        if users and all(
            isinstance(u, OperatorOp) and "npu_cpu" in u.attributes for u in users
        ):
            out.add(op.symbol.root_reference.data)
    return out


class _Places:
    """Byte offset in the arena of each buffer, by name (through views)."""

    def __init__(self, func: FuncOp, arena: str):
        self.arena = arena
        self.params = {n: a for n, a in zip(func.names, func.args, strict=True)}
        self.placements = func.placements()
        self.named: dict[str, SSAValue] = {}
        for op in func.walk():
            for r in op.results:
                if r.name_hint and r.name_hint not in self.named:
                    self.named[r.name_hint] = r

    def offset(self, value: SSAValue, what: str) -> int:
        place = place_of(value)
        if place is None:
            raise OutputError(f"{what} has no place the device can address")
        if place.pool != self.arena:
            raise OutputError(
                f"{what} is not placed in the arena (@{self.arena}), where the "
                "model's runtime hands it over"
            )
        if place.strides is not None:
            raise OutputError(f"{what} is a strided view (not a dense tensor)")
        return place.offset

    def tensor_offset(self, model: TFLiteModel, tensor: int) -> int:
        what = f"tensor {tensor} '{model.tensor(tensor).name}'"
        for i, t in enumerate(model.inputs):
            if t == tensor:
                return self.offset(self.params[f"input{i}"], what)
        for i, t in enumerate(model.outputs):
            if t == tensor:
                return self.offset(self.params[f"output{i}"], what)
        writer = next((op for op in model.operators if tensor in op.outputs), None)
        if writer is None:
            raise OutputError(f"{what} is written by no operator")
        # frontend.importer.output_buffer_name: `op<k>_<opcode>`, `..._out<i>`
        position = list(writer.outputs).index(tensor)
        name = f"op{writer.index}_{writer.opcode.lower()}"
        name += f"_out{position}" if position else ""
        value = self.named.get(name)
        if value is None:
            raise OutputError(f"{what}: no buffer %{name} in the lowered program")
        return self.offset(value, what)


def package(module: ModuleOp, model: TFLiteModel) -> Package:
    """The segments of a lowered, planned module imported from `model`."""
    func = _main(module)
    flash_pool, arena_pool, fast_pool = _pools(module)
    streams = {
        op.sym_name.data: op for op in module.ops if isinstance(op, CommandStreamOp)
    }
    invokes = [op for op in func.walk() if isinstance(op, InvokeOp)]
    cpu = {  # model operators that stay on the CPU
        op.attributes[TFLITE_INDEX]
        for op in func.walk()
        if isinstance(op, OperatorOp) and TFLITE_INDEX in op.attributes
    }
    runs = []
    for inv in invokes:
        replaced = model_operators(inv)
        if not replaced:
            raise OutputError(
                f"npu.invoke @{inv.stream.root_reference.data} records no "
                f"{TFLITE_OPERATORS} (the model operators it replaces)"
            )
        runs.append(sorted(replaced))
    flash = _flash_blob(module, flash_pool, _cpu_only_constants(func))
    scratch = _pool_size(arena_pool, func)
    fast = None
    if fast_pool is not None:  # a pool nothing was placed in is not written
        fast = int(func.peaks().get(fast_pool.sym_name.data, 0))
    places = _Places(func, arena_pool.sym_name.data)
    segments, npu_ops, payload_bytes = [], 0, 0
    for run, inv in zip(runs, invokes, strict=True):
        stream = streams[inv.stream.root_reference.data]
        payload = driver_payload(stream)
        payload_bytes += len(payload)
        npu_ops += sum(
            1 for op in stream.body.block.ops if op.name in (*NPU_OPS, "npu.dma")
        )
        members = set(run)
        written = {t for k in run for t in model.operators[k].outputs}
        # A variable tensor (an LSTM's state) is no segment input: the
        # imported op starts from its reset value, as LiteRT does each run.
        read = {
            t
            for k in run
            for t in model.operators[k].inputs
            if t >= 0
            and model.tensor(t).data is None
            and not model.tensor(t).is_variable
        }
        used_outside = {
            t for op in model.operators if op.index not in members for t in op.inputs
        } | set(model.outputs)
        ins = sorted(read - written)
        outs = sorted(written & used_outside)

        def at(t: int) -> SegmentTensor:
            return SegmentTensor(t, SCRATCH_REGION, places.tensor_offset(model, t))

        segments.append(
            NpuSegment(
                operators=frozenset(run),
                payload=payload,
                flash=flash,
                scratch_size=scratch,
                inputs=tuple(at(t) for t in ins),
                outputs=tuple(at(t) for t in outs),
                scratch_fast_size=fast or 0,
            )
        )
    return Package(
        tuple(segments), flash, scratch, npu_ops, len(cpu), payload_bytes, fast
    )
