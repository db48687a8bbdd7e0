"""`tir-data-views`: concatenation and slicing as addressing, so the NPU runs
them without copies where it can (issue 25, "Data movement without copies").

- A `tir.concatenation` becomes views: input i's elements lie in the output
  from offset `o_i` along the axis on, so each input's buffer is replaced by
  a strided view of the output (`tir.decl_buffer %out[...] strides [...]`)
  and its producer writes there directly; the op goes. The planner then
  places the whole concatenated tensor once, alive from the first
  producer's write. An input whose producer cannot write into a view (a
  parameter, a constant, a view already, an op the NPU does not run, an
  input given twice, a reader that cannot read the view) is copied into its
  slice instead: a `tir.copy`, which `convert-tir-to-npu` lowers to a DMA
  or to a 1×1 pool between strided feature maps.
- A `tir.strided_slice` with every stride 1 (SLICE, STRIDED_SLICE, SPLIT,
  SPLIT_V, UNPACK) becomes a view of its input that the consumers read in
  place, when each consumer is an op the NPU runs and the input is not
  written again while they read; otherwise, when the slice is an NPU
  feature map, a `tir.copy` from the view (the NPU copies it).
- A `tir.transpose` of int8/int16 data becomes at most 64 `tir.copy`s
  between strided views of its input and its output (`transpose_copies`:
  e.g. a channel shuffle, one copy per group of one channel each).

Only what the NPU can address is rewritten: every view must be an NPU
feature map (batch 1, at most 4 axes, channels contiguous); otherwise the
op stays as it was and stays on the CPU. Ops inside loops are left alone.
The rewrite keeps the program's meaning bit for bit (the interpreter runs
views), and the ops it creates keep the replaced op's `tflite.index`.
Each data op's rewrite is its registration, `@rewrites(OpClass, stage)`
(`REWRITES`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from tirconst.analysis.npu_support import NpuReasons, hwc, transpose_copies
from tirconst.analysis.views import ViewError, is_view, users, view_of
from tirconst.dialects.tir import (
    AllocateConstOp,
    AllocateOp,
    BufferType,
    ConcatenationOp,
    CopyOp,
    DeclBufferOp,
    FuncOp,
    OperatorOp,
    ReshapeOp,
    StridedSliceOp,
    TransposeOp,
)
from tirconst.dialects.tir.buffers import row_major_strides
from tirconst.dialects.tir.memory import Effect, operand_effects
from tirconst.dialects.tir.provenance import fuse_into
from tirconst.dialects.tir.traits import FlattenedFeatureMaps

NAME = "tir-data-views"
KEEP = ("tflite.index", "tflite.name")
"""Attributes the ops made in place of a data op keep (provenance)."""
COPYABLE = ("int8", "int16")
"""Element types the NPU copies between strided feature maps (a 1×1 max
pool; convert-tir-to-npu's copy lowering)."""


@dataclass(frozen=True)
class ViewRewrite:
    """How the pass rewrites one data op class (`rewrites`)."""

    rewrite: Callable[[Any], bool]
    """Rewrites the op in place; True if it did."""
    stage: int
    """Rewrites of a lower stage run first, over the whole function."""
    addressing: bool
    """Whether the pass makes the op's kind addressing or NPU copies, so
    one of them between an NPU op's readers ends no NPU segment."""


REWRITES: dict[type[Operation], ViewRewrite] = {}
"""Data op class -> its rewrite (`rewrites`): transposes, then
concatenations, then slices."""


def rewrites(
    cls: type[OperatorOp], stage: int, addressing: bool = False
) -> Callable[[Callable[[Any], bool]], Callable[[Any], bool]]:
    """Register the decorated function as the rewrite of `cls` (`ViewRewrite`)."""

    def register(fn: Callable[[Any], bool]) -> Callable[[Any], bool]:
        REWRITES[cls] = ViewRewrite(fn, stage, addressing)
        return fn

    return register


def _shape(v: SSAValue) -> tuple[int, ...]:
    t = v.type
    assert isinstance(t, BufferType)
    return tuple(t.get_shape())


def _addressable(shape: Sequence[int], strides: Sequence[int]) -> bool:
    """Whether a view of `shape` with element `strides` is an NPU feature map
    (H×W×C with batch 1 and the channels contiguous)."""
    if hwc(shape) is None:
        return False
    return not shape or shape[-1] == 1 or strides[-1] == 1


def _copyable(v: SSAValue) -> bool:
    """Whether the NPU copies this element type (a 1×1 pool: int8, int16)."""
    t = v.type
    return isinstance(t, BufferType) and str(t.dtype) in COPYABLE


def _writers(root: SSAValue) -> list[Operation] | None:
    """The ops that may write `root` (through views); None if unknown."""
    out: list[Operation] = []
    for op, _ in users(root):
        effects = operand_effects(op)
        if effects is None:
            return None
        if any(e & Effect.WRITE and _root(v) is root for v, e in effects):
            out.append(op)
    return out


def _root(v: SSAValue) -> SSAValue:
    try:
        return view_of(v).root
    except ViewError:
        return v


def _reads_view(op: Operation, dense: bool) -> bool:
    """Whether `op` (the NPU running it) can read or write a view in place."""
    if not isinstance(op, OperatorOp) or _reasons(op) is not None:
        return False
    # a fully connected op and a softmax flatten their feature maps (rows of
    # channels): only a dense one
    return dense or not op.has_trait(FlattenedFeatureMaps)


def _canonical(shape: Sequence[int], strides: Sequence[int]) -> tuple[int, ...]:
    """`strides` with the row-major stride on every axis of extent 1 (such
    an axis never moves), so a dense view compares equal to row-major."""
    row = row_major_strides(shape)
    return tuple(
        r if d == 1 else s for d, s, r in zip(shape, strides, row, strict=True)
    )


def _btype(v: SSAValue) -> BufferType:
    t = v.type
    assert isinstance(t, BufferType)
    return t


def _make_view(
    root: SSAValue,
    offset: int,
    strides: Sequence[int],
    like: SSAValue,
    at: Operation,
    shape: Sequence[int] | None = None,
) -> SSAValue:
    """A view of `root` with `like`'s type (or `shape`) and name."""
    t = like.type
    assert isinstance(t, BufferType)
    if shape is not None:
        t = BufferType(list(shape), t.element_type, t.scope)
    shape = tuple(t.get_shape())
    row = row_major_strides(shape)
    strides = _canonical(shape, strides)
    view = DeclBufferOp(root, offset, t, None if strides == row else list(strides))
    Rewriter.insert_op(view, InsertPoint.before(at))
    if like.name_hint:
        view.view.name_hint = like.name_hint
    return view.view


def _keep(src: Operation, dst: Operation) -> None:
    for k in KEEP:
        if k in src.attributes:
            dst.attributes[k] = src.attributes[k]


def _hoist(alloc: Operation, before: Operation) -> None:
    """Move an allocation up to `before` if it comes later in the block."""
    if alloc.parent_block() is before.parent_block() and before.is_before_in_block(
        alloc
    ):
        alloc.detach()
        Rewriter.insert_op(alloc, InsertPoint.before(before))


# ------------------------------------------------------------- concatenation


@rewrites(ConcatenationOp, stage=1, addressing=True)
def _concat(op: ConcatenationOp) -> bool:
    out = op.output
    try:
        where = view_of(out)
    except ViewError:
        return False
    if not where.dense or isinstance(where.root.owner, AllocateConstOp):
        return False
    if not _copyable(out):
        return False
    writers = _writers(where.root)
    if writers is None or writers != [op]:
        return False  # someone else writes the concatenated tensor
    shape, axis = _shape(out), op.axis
    row = row_major_strides(shape)
    ins = op.input_values()
    slices: list[tuple[SSAValue, int, tuple[int, ...]]] = []
    at = 0
    for x in ins:
        offset = where.offset + at * row[axis]
        at += _shape(x)[axis]
        if not _addressable(_shape(x), row):
            return False  # not every slice is a feature map: leave it whole
        slices.append((x, offset, row))
    block = op.parent_block()
    seen: set[SSAValue] = set()
    plans: list[tuple[SSAValue, int, tuple[int, ...], Operation | None]] = []
    for x, offset, strides in slices:
        producer = None if x in seen else _producer(x, op, block, strides)
        seen.add(x)
        plans.append((x, offset, strides, producer))
    for x, offset, strides, producer in plans:
        if producer is None:
            continue
        first = min(
            (u for u, _ in users(x)),
            key=lambda u: block.get_operation_index(u),  # type: ignore[union-attr]
        )
        # the root must exist before the producer writes into it
        if isinstance(where.root.owner, AllocateOp):
            _hoist(where.root.owner, first)
        view = _make_view(where.root, offset, strides, x, first)
        alloc = x.owner
        x.replace_all_uses_with(view)
        Rewriter.erase_op(alloc)  # type: ignore[arg-type]
    for x, offset, strides, producer in plans:
        if producer is not None:
            continue
        if isinstance(where.root.owner, AllocateOp):
            _hoist(where.root.owner, op)
        view = _make_view(where.root, offset, strides, x, op)
        copy = CopyOp.create_op([x], view)
        _keep(op, copy)
        Rewriter.insert_op(copy, InsertPoint.before(op))
    if all(producer is not None for *_, producer in plans):
        # no copy carries the concatenation's provenance: its last producer does
        fuse_into(plans[-1][3], op)  # type: ignore[arg-type]
    Rewriter.erase_op(op)
    return True


def _producer(
    x: SSAValue, concat: Operation, block: Block | None, strides: tuple[int, ...]
) -> Operation | None:
    """The op that makes input `x` of `concat` if it can write its slice of
    the output directly: `x` is a workspace only it writes, before `concat`,
    in the same block, and every op using `x` can use the view instead."""
    alloc = x.owner
    if not isinstance(alloc, AllocateOp) or alloc.parent_block() is not block:
        return None
    if any(is_view(u.operation) for u in x.uses):
        return None  # a view of the slice would be a view of a view
    writers = _writers(x)
    if writers is None or len(writers) != 1:
        return None
    producer = writers[0]
    if producer.parent_block() is not block or not producer.is_before_in_block(concat):
        return None
    if getattr(producer, "output", None) is not x:
        return None
    dense = strides == row_major_strides(_shape(x)) or math.prod(_shape(x)) == 1
    for u in {u.operation for u in x.uses}:
        if u is not concat and not _reads_view(u, dense):
            return None
    if sum(1 for u in x.uses if u.operation is concat) != 1:
        return None
    if not _one_segment([u.operation for u in x.uses]):
        return None
    return producer


# ------------------------------------------------------------------- slices


@rewrites(StridedSliceOp, stage=2, addressing=True)
def _slice(op: StridedSliceOp) -> bool:
    if any(s < 1 for s in op.strides):
        return False  # the NPU reads forwards
    try:
        src = view_of(op.input)
    except ViewError:
        return False
    if not src.dense or isinstance(src.root.owner, AllocateConstOp):
        return False
    if not _copyable(op.output):
        return False
    row = row_major_strides(_shape(op.input))
    offset = src.offset + sum(b * s for b, s in zip(op.begin, row, strict=True))
    # along axis i the slice steps strides[i] input rows of that axis
    full = tuple(k * s for k, s in zip(op.strides, row, strict=True))
    size = tuple(op.size)
    y = op.output
    # the output's axes are the slice's with axes of extent 1 dropped or kept
    kept = [(n, s) for n, s in zip(size, full, strict=True) if n != 1]
    out_shape = _shape(y)
    strides = _canonical(
        out_shape, [0 if d == 1 else kept.pop(0)[1] for d in out_shape]
    )
    alloc = y.owner
    dense = strides == row_major_strides(out_shape)
    if (
        _addressable(out_shape, strides)
        and isinstance(alloc, AllocateOp)
        and alloc.parent_block() is op.parent_block()
        and not any(is_view(u.operation) for u in y.uses)
        and _writers(y) == [op]
        and all(
            _reads_view(u.operation, dense) for u in y.uses if u.operation is not op
        )
        and _unwritten_after(src.root, op)
        and _one_segment([u.operation for u in y.uses])
    ):
        view = _make_view(src.root, offset, strides, y, op)
        readers = [u.operation for u in y.uses if u.operation is not op]
        if readers:  # the slice is now the reading op's addressing
            fuse_into(readers[0], op)
        y.replace_all_uses_with(view)
        Rewriter.erase_op(op)
        Rewriter.erase_op(alloc)  # type: ignore[arg-type]
        return True
    # a copy from the view, in the slice's own shape (an UNPACK's dropped
    # channel axis kept, so the channels of the view are contiguous)
    if _addressable(out_shape, strides):
        src_view, dst = _make_view(src.root, offset, strides, y, op), y
    elif _addressable(size, _canonical(size, full)):
        src_view = _make_view(src.root, offset, full, y, op, size)
        dst = ReshapeOp(
            y, BufferType(list(size), _btype(y).element_type, _btype(y).scope)
        ).view
        Rewriter.insert_op(dst.owner, InsertPoint.before(op))  # type: ignore[arg-type]
    else:
        return False
    copy = CopyOp.create_op([src_view], dst)
    _keep(op, copy)
    Rewriter.replace_op(op, copy)
    return True


def _one_segment(ops: list[Operation]) -> bool:
    """Whether `ops` (in one block) will run in one NPU segment: nothing
    between the first and the last stays on the CPU. A tensor that crosses
    segments is a model tensor the packager places densely, so a view of
    another tensor's bytes must not cross."""
    block = ops[0].parent_block()
    if block is None or any(o.parent_block() is not block for o in ops):
        return False
    mine = set(map(id, ops))
    left = len(mine)  # of `ops` not reached yet
    for o in block.ops:  # from the first of `ops` to the last
        member = id(o) in mine
        if left == len(mine) and not member:
            continue
        left -= member
        if not _on_npu_here(o, member):
            return False
        if not left:
            break
    return True


def _on_npu_here(o: Operation, member: bool) -> bool:
    """Whether `o`, between a view's readers, runs on the NPU or is no work
    (a view, an allocation, an op this pass makes an address or an NPU
    copy); an operator op among the readers themselves (`member`) is the
    caller's to judge."""
    known = REWRITES.get(type(o))
    if known is not None and known.addressing:
        return True  # this pass makes the others addresses or NPU copies
    if isinstance(o, OperatorOp):
        return member or _reasons(o) is None
    if is_view(o) or isinstance(o, AllocateOp | AllocateConstOp):
        return True
    # a loop, a load or store, a call: CPU work
    return not (o.regions or any(isinstance(v.type, BufferType) for v in o.operands))


def _unwritten_after(root: SSAValue, op: Operation) -> bool:
    """Whether every write of `root` comes before `op` in its block."""
    writers = _writers(root)
    if writers is None:
        return False
    block = op.parent_block()
    return all(w.parent_block() is block and w.is_before_in_block(op) for w in writers)


# --------------------------------------------------------------- transpose


@rewrites(TransposeOp, stage=0)
def _transpose(op: TransposeOp) -> bool:
    if not _copyable(op.output):
        return False
    try:
        src, dest = view_of(op.input), view_of(op.output)
    except ViewError:
        return False
    if not (src.dense and dest.dense) or any(
        isinstance(v.root.owner, AllocateConstOp) for v in (src, dest)
    ):
        return False  # a constant's transpose is folded, not copied
    plan = transpose_copies(_shape(op.input), list(op.perm))
    if isinstance(plan, str):
        return False
    for c in plan:
        src_view = _make_view(
            src.root, src.offset + c.src_offset, c.src_strides, op.input, op, c.shape
        )
        dest_view = _make_view(
            dest.root,
            dest.offset + c.dest_offset,
            c.dest_strides,
            op.output,
            op,
            c.shape,
        )
        copy = CopyOp.create_op([src_view], dest_view)
        _keep(op, copy)
        Rewriter.insert_op(copy, InsertPoint.before(op))  # keeps its tflite.index
    Rewriter.erase_op(op)  # its input's views stay: they name model tensors
    return True


# --------------------------------------------------------------------- pass


_reasons = NpuReasons()
"""`npu_reason` of the ops `_one_segment` looks at, while `rewrite_function`
runs (each slice asks it of every op between its readers)."""


def rewrite_function(func: FuncOp) -> int:
    """Rewrite the top-level data ops of `func` by their registered rewrites
    (`REWRITES`), stage by stage: transposes, concatenations, then slices;
    the number of ops rewritten."""
    global _reasons
    done = 0
    try:
        for stage in sorted({r.stage for r in REWRITES.values()}):
            for op in list(func.body.block.ops):
                known = REWRITES.get(type(op))
                if known is not None and known.stage == stage:
                    done += known.rewrite(op)
    finally:
        _reasons = NpuReasons()  # holds no ops of this function beyond it
    return done


@dataclass(frozen=True)
class DataViewsPass(ModulePass):
    """Rewrites `tir.concatenation` and stride-1 `tir.strided_slice` into
    views that producers write and consumers read in place (or, where that
    is impossible, into `tir.copy`s the NPU runs), and int8/int16
    `tir.transpose` into at most 64 `tir.copy`s between strided views, so
    data movement costs no CPU segment. Why: the Ethos-U addresses strided feature
    maps, so a concatenation is where its inputs are written, and a split
    is where its consumers read."""

    name = NAME

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for func in [f for f in op.walk() if isinstance(f, FuncOp)]:
            rewrite_function(func)


__all__ = ["REWRITES", "DataViewsPass", "ViewRewrite", "rewrite_function", "rewrites"]
