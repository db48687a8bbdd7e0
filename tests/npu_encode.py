"""Test-only: a trivial memory plan for convert-tir-to-npu's tests, and the
real `tir-encode-weights` run on a module that plan already placed (the new
encoded constants go at the end of the flash pool, 16-aligned).
"""

from __future__ import annotations

from xdsl.dialects.builtin import DictionaryAttr, ModuleOp

from tirconst.dialects.tir import (
    AllocateOp,
    ConstantOp,
    CopyOp,
    FuncOp,
    PlacementAttr,
    PoolOp,
)
from tirconst.transforms import encode_weights


def _align(n: int) -> int:
    return -(-n // 16) * 16


def place_all(module: ModuleOp) -> ModuleOp:
    """A trivial memory plan (no reuse): pools @flash and @sram, every
    constant in flash and every workspace and parameter in SRAM, each
    16-aligned after the last. Stands in for tir-plan-memory in tests."""
    block = module.body.block
    first = block.first_op
    for pool in (
        PoolOp("flash", alignment=16, read_only=True),
        PoolOp("sram", alignment=16),
    ):
        block.insert_op_before(pool, first)  # type: ignore[arg-type]
    ends = {"flash": 0, "sram": 0}

    def take(pool: str, nbytes: int) -> PlacementAttr:
        at = _align(ends[pool])
        ends[pool] = at + nbytes
        return PlacementAttr(pool, at)

    for op in list(module.walk()):
        if isinstance(op, ConstantOp):
            op.placement = take("flash", op.data.nbytes)
        elif isinstance(op, AllocateOp):
            op.placement = take("sram", op.buffer.type.size_in_bytes)
        elif isinstance(op, FuncOp):
            op.param_placement = DictionaryAttr(
                {
                    n: take("sram", a.type.size_in_bytes)
                    for n, a in zip(op.names, op.args, strict=True)
                }
            )
    return module


def encode_module(module: ModuleOp, accelerator: str = "ethos-u55-128") -> ModuleOp:
    """Run tir-encode-weights on a placed `module` and place the encoded
    constants it adds after the flash pool's last byte; returns it."""
    encode_weights.encode_module(module, accelerator)
    flash = next(p for p in module.ops if isinstance(p, PoolOp) and p.read_only)
    pool = flash.sym_name.data
    consts = [op for op in module.walk() if isinstance(op, ConstantOp)]
    end = max(
        (
            c.placement.byte_offset + c.data.nbytes
            for c in consts
            if c.placement is not None and c.placement.pool_name == pool
        ),
        default=0,
    )
    for c in consts:
        if c.placement is None:
            c.placement = PlacementAttr(pool, _align(end))
            end = _align(end) + c.data.nbytes
    return module


def stage_all(module: ModuleOp) -> ModuleOp:
    """Stage every encoded weight buffer into SRAM, as tir-stage-weights will:
    a `tir.allocate` (all at one SRAM offset past the plan, each its own
    allocation: a reused staging buffer) and a `tir.copy` just before the op,
    which then reads the copy."""
    end = 0
    for op in module.walk():
        if isinstance(op, AllocateOp) and op.placement is not None:
            end = max(end, op.placement.byte_offset + op.buffer.type.size_in_bytes)
        if isinstance(op, FuncOp):
            for n, p in op.placements().items():
                end = max(end, p.byte_offset + op.param(n).type.size_in_bytes)
    at = _align(end)
    for op in list(module.walk()):
        if "encoded_weights" not in op.properties:
            continue
        encoded = op.operands[1]
        staged = AllocateOp(encoded.type, "staged", PlacementAttr("sram", at))
        copy = CopyOp.create_op([encoded], staged.results[0])
        block = op.parent_block()
        block.insert_op_before(staged, op)
        block.insert_op_before(copy, op)
        op.operands = [op.operands[0], staged.results[0], *op.operands[2:]]
    return module
