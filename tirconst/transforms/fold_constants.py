"""`tir-fold-constants`: fold reads of constant buffers and scalar arithmetic
on constants."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import Rewriter
from xdsl.transforms.dead_code_elimination import is_trivially_dead

from tirconst.analysis.constant_uses import Box, ConstantUses, writers_of
from tirconst.analysis.scalar_eval import (
    Scalar,
    evaluate,
    is_representable,
    make_constant,
)
from tirconst.analysis.symbol_uses import referenced_symbols
from tirconst.dialects.tir.buffers import AllocateConstOp, BufferLoadOp, ConstantOp

NAME = "tir-fold-constants"


def uniform_value(region: np.ndarray) -> Scalar | None:
    """The one value every element of `region` holds, bit for bit; None if
    they differ or it is a NaN."""
    flat = np.ascontiguousarray(region).reshape(-1)
    if flat.size == 0:
        return None
    bits = flat.view(f"u{flat.dtype.itemsize}")
    if not bool((bits == bits[0]).all()):
        return None
    first = flat[0]
    value: Scalar = float(first) if flat.dtype.kind == "f" else int(first)
    return None if is_nan(value) else value


def is_nan(value: Scalar) -> bool:
    # A NaN's sign and payload do not survive the text of an arith.constant.
    return isinstance(value, float) and math.isnan(value)


@dataclass
class FoldState:
    """What the patterns share: the analysis, caches, and the ops a fold may
    have left without uses (cleaned up after the walk)."""

    uses: ConstantUses = field(default_factory=ConstantUses)
    writable: dict[AllocateConstOp, bool] = field(default_factory=dict)
    values: dict[tuple[AllocateConstOp, Box], Scalar | None] = field(
        default_factory=dict
    )
    orphans: list[Operation] = field(default_factory=list)

    def note_operands(self, op: Operation) -> None:
        self.orphans += [v.owner for v in op.operands if isinstance(v.owner, Operation)]


@dataclass
class FoldConstantLoad(RewritePattern):
    """`buffer_load` of a constant buffer -> `arith.constant`, when every
    element the load can read holds the same value (always so at constant
    indices; also when a loop reads a uniform region)."""

    state: FoldState

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: BufferLoadOp, rewriter: PatternRewriter) -> None:
        if not is_representable(op.result.type):
            return  # unsigned elements: arith.constant is signless only
        read = self.state.uses.read_of_load(op)
        if read is None or read.box is None:
            return
        holder = read.holder
        if holder not in self.state.writable:
            self.state.writable[holder] = bool(writers_of(holder.buffer))
        if self.state.writable[holder]:
            return
        key = (holder, read.box)
        if key not in self.state.values:
            self.state.values[key] = uniform_value(holder.data[read.box.slices()])
        value = self.state.values[key]
        if value is None:
            return
        self.state.note_operands(op)
        rewriter.replace(op, make_constant(value, op.result.type))


@dataclass
class FoldScalar(RewritePattern):
    """A scalar `arith`/`tir` op whose operands are all constants -> its value."""

    state: FoldState

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if len(op.results) != 1 or not is_representable(op.results[0].type):
            return
        value = evaluate(op)
        if value is None or is_nan(value):
            return
        self.state.note_operands(op)
        rewriter.replace(op, make_constant(value, op.results[0].type))


def erase_orphans(module: ModuleOp, candidates: list[Operation]) -> None:
    """Erase the side-effect-free ops among `candidates` that folding left
    unused, then their operands in turn; module constants whose last reference
    went with them are erased too. Ops unused before the pass are kept."""
    symbols: set[str] = set()
    seen: set[Operation] = set()
    work = list(candidates)
    while work:
        op = work.pop()
        if op in seen or op.parent is None or not is_trivially_dead(op):
            continue
        seen.add(op)
        if isinstance(op, AllocateConstOp) and op.symbol is not None:
            symbols.add(op.symbol.root_reference.data)
        work += [v.owner for v in op.operands if isinstance(v.owner, Operation)]
        Rewriter.erase_op(op)
    if symbols:
        still = referenced_symbols(module)
        for op in list(module.body.block.ops):
            if isinstance(op, ConstantOp) and op.sym_name.data in symbols - still:
                Rewriter.erase_op(op)


@dataclass(frozen=True)
class FoldConstantsPass(ModulePass):
    """Fold reads of constants and scalar arithmetic on constants.

    A `tir.buffer_load` from a constant buffer (directly or through views)
    becomes an `arith.constant` when the value read is known: at constant
    indices, or when every element its index ranges can reach is the same.
    Scalar `arith` and `tir` ops whose operands are all constants become their
    value, with TIR semantics (wrapping integers, floor division, C casts);
    ops undefined on their operands (division by zero, ...) stay. The
    constant buffers, views and index constants that folding leaves unused are
    removed, so a loop nest whose constant reads all fold loses the constant.
    Unsigned loads stay (`arith.constant` is signless), as do loads from a
    constant that something writes.
    """

    name = NAME

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        state = FoldState()
        PatternRewriteWalker(
            GreedyRewritePatternApplier(
                [FoldConstantLoad(state), FoldScalar(state)], dce_enabled=False
            )
        ).rewrite_module(op)
        erase_orphans(op, state.orphans)
