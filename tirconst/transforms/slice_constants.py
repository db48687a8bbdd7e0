"""`tir-slice-constants`: give each group of users of a constant a constant of
exactly the region it reads (TVM's Ethos-U DivideConstants, in general)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import IndexType, IntegerAttr, ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint, Rewriter

from tirconst.analysis.constant_uses import (
    Box,
    ConstantUses,
    DirectUse,
    function_of,
    row_major_offset,
    symbol_name,
    unravel,
)
from tirconst.analysis.symbol_uses import referenced_symbols
from tirconst.dialects.tir.buffers import (
    AllocateConstOp,
    BufferLoadOp,
    ConstantOp,
    DeclBufferOp,
)
from tirconst.dialects.tir.constant_data import dense_from_numpy
from tirconst.dialects.tir.types import BufferType

NAME = "tir-slice-constants"


@dataclass
class Group:
    """Direct users whose regions overlap, and the bounding box they need."""

    box: Box
    uses: list[DirectUse]


def group_uses(uses: list[DirectUse]) -> list[Group]:
    """Merge users with overlapping boxes until the groups are disjoint; in
    order of their boxes. All boxes must be known."""
    groups: list[Group] = []
    for use in uses:
        assert use.box is not None
        g = Group(use.box, [use])
        while True:
            hit = next((o for o in groups if o.box.overlaps(g.box)), None)
            if hit is None:
                break
            groups.remove(hit)
            g = Group(hit.box.union(g.box), hit.uses + g.uses)
        groups.append(g)
    return sorted(groups, key=lambda g: (g.box.lo, g.box.hi))


def holder_label(holder: AllocateConstOp) -> str:
    func = function_of(holder)
    where = f" in @{func.sym_name.data}" if func is not None else ""
    what = f"@{holder.symbol.root_reference.data}" if holder.symbol else "inline"
    return f"%{holder.buffer.name_hint or '?'} ({what}){where}"


def why_whole(uses: list[DirectUse]) -> str | None:
    """Why the constant must stay whole, for the note; None if it need not."""
    for u in uses:
        if u.writes:
            return f"'{u.op.name}' may write it"
        if u.box is None:
            return f"'{u.op.name}' reads it at a dynamic index ({u.reason})"
    return None


def view_offset(
    view: DeclBufferOp, holder_shape: tuple[int, ...], box: Box
) -> int | None:
    """The view's offset in the slice `box`, or None if the view's elements are
    not contiguous there (then it cannot stay a view)."""
    vt = view.view.type
    assert isinstance(vt, BufferType)
    if view.is_strided:
        return None  # keep it simple: a strided view keeps its constant whole
    off, n = view.offset.value.data, vt.num_elements

    def moved(flat: int) -> int:
        index = unravel(holder_shape, flat)
        return row_major_offset(
            box.shape, [i - lo for i, lo in zip(index, box.lo, strict=True)]
        )

    start = moved(off)
    if n and moved(off + n - 1) != start + n - 1:
        return None
    return start


@dataclass
class SliceState:
    module: ModuleOp
    uses: ConstantUses = field(default_factory=ConstantUses)
    notes: list[str] = field(default_factory=list)
    slice_names: dict[tuple[str, Box], str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)
    sliced_symbols: set[str] = field(default_factory=set)
    last_slice: dict[str, ConstantOp] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for op in self.module.body.block.ops:
            if (name := symbol_name(op)) is not None:
                self.taken.add(name)

    def slice_symbol(self, holder: AllocateConstOp, box: Box) -> str:
        """The module constant holding `box` of the holder's constant (one per
        constant and box, shared by every function that needs it)."""
        const = holder.constant_op()
        assert const is not None and holder.symbol is not None
        sym = const.sym_name.data
        key = (sym, box)
        if key not in self.slice_names:
            k = sum(1 for s, _ in self.slice_names if s == sym)
            while (name := f"{sym}_slice{k}") in self.taken:
                k += 1
            self.taken.add(name)
            data = np.ascontiguousarray(const.data[box.slices()])
            new = ConstantOp(name, dense_from_numpy(data))
            # After the constant and the slices made of it so far, in order.
            Rewriter.insert_op(new, InsertPoint.after(self.last_slice.get(sym, const)))
            self.last_slice[sym] = new
            self.slice_names[key] = name
        self.sliced_symbols.add(sym)
        return self.slice_names[key]


def _index_constant(
    value: int, rewriter: PatternRewriter, before: Operation
) -> SSAValue:
    from xdsl.dialects import arith  # loop-level loads only: not in a compile

    c = arith.ConstantOp(IntegerAttr(value, IndexType()))
    rewriter.insert(c, InsertPoint.before(before))
    return c.result


def slice_holder(
    state: SliceState, op: AllocateConstOp, box: Box, k: int
) -> AllocateConstOp:
    """A new constant holding `box` of `op`'s (the `k`-th slice of it): a
    module constant `@<name>_slice...` for a symbol, else inline data. Not
    inserted anywhere (`tir-tile` slices weights by depth with it too)."""
    bt = BufferType(box.shape, op.buffer_type.element_type, op.buffer_type.scope)
    name = f"{op.buffer.name_hint or 'const'}_slice{k}"
    if op.symbol is not None:
        new = AllocateConstOp(state.slice_symbol(op, box), bt, name)
    else:
        data = np.ascontiguousarray(op.data[box.slices()])
        new = AllocateConstOp(dense_from_numpy(data), bt, name)
    new.attributes |= op.attributes
    return new


@dataclass
class SliceConstant(RewritePattern):
    """Split an `allocate_const` into one slice per group of overlapping users.

    Loads are re-indexed (`i - lo`, or a new constant when `i` is one value);
    a `decl_buffer` view gets its offset in the slice, and disappears when it
    becomes the whole slice.
    """

    state: SliceState

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: AllocateConstOp, rewriter: PatternRewriter) -> None:
        shape = op.buffer_type.get_shape()
        if not shape or op.buffer_type.num_elements == 0:
            return
        uses = self.state.uses.direct_uses(op)
        if not uses:
            return
        reason = why_whole(uses)
        if reason is not None:
            self.state.notes.append(f"{holder_label(op)} left whole: {reason}")
            return
        groups = group_uses(uses)
        if len(groups) == 1 and groups[0].box == Box.whole(shape):
            return
        for g in groups:
            for u in g.uses:
                if isinstance(u.op, DeclBufferOp):
                    if view_offset(u.op, shape, g.box) is None:
                        self.state.notes.append(
                            f"{holder_label(op)} left whole: a view is not "
                            "contiguous in its slice"
                        )
                        return
                elif not isinstance(u.op, BufferLoadOp):
                    raise AssertionError(f"'{u.op.name}' needs the whole constant")
        for k, g in enumerate(groups):
            new = slice_holder(self.state, op, g.box, k)
            rewriter.insert(new, InsertPoint.before(op))
            for u in g.uses:
                self._retarget(u.op, op, new, g.box, rewriter)
        if not op.buffer.uses:
            rewriter.erase(op)

    def _retarget(
        self,
        user: Operation,
        old: AllocateConstOp,
        new: AllocateConstOp,
        box: Box,
        rewriter: PatternRewriter,
    ) -> None:
        if isinstance(user, DeclBufferOp):
            offset = view_offset(user, old.buffer_type.get_shape(), box)
            assert offset is not None
            if offset == 0 and user.view.type == new.buffer.type:
                rewriter.replace(user, [], [new.buffer])
                return
            view = DeclBufferOp(new.buffer, offset, user.view.type)  # type: ignore[arg-type]
            view.attributes |= user.attributes
            rewriter.replace(user, view)
            return
        assert isinstance(user, BufferLoadOp)
        from xdsl.dialects import arith  # loop-level loads only: not in a compile

        indices: list[SSAValue] = []
        for index, lo in zip(user.indices, box.lo, strict=True):
            if lo == 0:
                indices.append(index)
                continue
            r = self.state.uses.ranges.range_of(index)
            if r.is_point:
                indices.append(_index_constant(r.lo - lo, rewriter, user))
            else:
                sub = arith.SubiOp(index, _index_constant(lo, rewriter, user))
                rewriter.insert(sub, InsertPoint.before(user))
                indices.append(sub.result)
        load = BufferLoadOp(new.buffer, indices)
        load.attributes |= user.attributes
        rewriter.replace(user, load)


def erase_unreferenced_symbols(module: ModuleOp, names: set[str]) -> None:
    still = referenced_symbols(module)
    for op in list(module.body.block.ops):
        if isinstance(op, ConstantOp) and op.sym_name.data in names - still:
            Rewriter.erase_op(op)


def slice_constants(module: ModuleOp) -> list[str]:
    """Slice every constant of `module`; returns the notes on constants left
    whole (dynamic reads, writes)."""
    state = SliceState(module)
    PatternRewriteWalker(SliceConstant(state), apply_recursively=False).rewrite_module(
        module
    )
    erase_unreferenced_symbols(module, state.sliced_symbols)
    return state.notes


@dataclass(frozen=True)
class SliceConstantsPass(ModulePass):
    """Slice constants to the regions their users read.

    When the users of a constant buffer read only part of it, it becomes
    smaller constants holding exactly those parts: users whose regions
    overlap share one slice (the bounding box of their regions), users of
    disjoint regions each get their own. This is what a channel split leaves
    behind: after a loop over output channels is split and unrolled, or when
    operator ops read channel ranges through `tir.decl_buffer` views, each
    part gets its own weights, which can then be placed, compressed and
    streamed separately (TVM's Ethos-U DivideConstants). Loads are re-indexed
    into the slice; views get their offset in it. A module constant is sliced
    into new module constants `@<name>_slice<k>`, shared by the functions
    reading the same region, and is removed once nothing references it (by
    any op: `symbol_uses`). Slices are unplaced (a memory planner places them:
    the original offset would put all slices on the same bytes).

    A constant read at an index the analysis cannot bound (or one something
    writes) is left whole, and a note on stderr says so (`quiet=true` to
    silence it).
    """

    name = NAME

    quiet: bool = False

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        notes = slice_constants(op)
        if not self.quiet:
            for note in notes:
                print(f"{NAME}: note: {note}", file=sys.stderr)
