"""Which ops read which region of a constant.

A constant is held by a `tir.allocate_const` (inline data, or a reference to a
module-level `tir.constant`). Its buffer reaches readers directly or through
views (`tir.decl_buffer`, `tir.reshape`). For each op that touches the data this
module gives the region touched, as a `Box` in the constant's own index space:

- `tir.buffer_load` reads the box spanned by its indices' intervals (see
  `index_ranges`); a load at an index the analysis cannot bound is *dynamic*
  (`box is None`, `reason` says why);
- operator ops, `tir.call_extern` and unknown users take the whole view they are
  given;
- an op whose declared effects (`operand_effects`, per operand) write the
  constant, such as `tir.buffer_store` into it or an operator op with it as
  output, is a *write*: the IR is then not treating it as a constant, and
  passes leave it alone. An op that declares no effects may write it.

Through a view the box is the bounding box of the flat element range touched,
so it may be larger than the exact set (never smaller). Nothing here copies
constant data.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Operation, SSAValue

from tirconst.analysis.index_ranges import DynamicIndex, IndexRanges
from tirconst.analysis.views import is_view, view_source, view_window
from tirconst.dialects.tir.buffers import (
    AllocateConstOp,
    BufferLoadOp,
    ConstantOp,
)
from tirconst.dialects.tir.memory import Effect, effect_on
from tirconst.dialects.tir.structure import CallExternOp, FuncOp
from tirconst.dialects.tir.types import BufferType


@dataclass(frozen=True)
class Box:
    """The elements `lo[d] <= i[d] < hi[d]` of a row-major array."""

    lo: tuple[int, ...]
    hi: tuple[int, ...]

    @staticmethod
    def whole(shape: Sequence[int]) -> Box:
        return Box(tuple(0 for _ in shape), tuple(shape))

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(h - lo for lo, h in zip(self.lo, self.hi, strict=True))

    @property
    def size(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n

    def slices(self) -> tuple[slice, ...]:
        """Index a numpy array with this: `array[box.slices()]` (a view)."""
        return tuple(slice(lo, h) for lo, h in zip(self.lo, self.hi, strict=True))

    def overlaps(self, other: Box) -> bool:
        return all(
            a < d and c < b
            for a, b, c, d in zip(self.lo, self.hi, other.lo, other.hi, strict=True)
        )

    def union(self, other: Box) -> Box:
        """The bounding box of both."""
        return Box(
            tuple(map(min, self.lo, other.lo)), tuple(map(max, self.hi, other.hi))
        )

    def contains(self, other: Box) -> bool:
        return all(
            a <= c and d <= b
            for a, b, c, d in zip(self.lo, self.hi, other.lo, other.hi, strict=True)
        )

    def format(self, shape: Sequence[int] | None = None) -> str:
        """numpy slice text, `[4:8, :]`; `:` for a whole dimension of `shape`."""
        parts = []
        for d, (lo, h) in enumerate(zip(self.lo, self.hi, strict=True)):
            if shape is not None and lo == 0 and h == shape[d]:
                parts.append(":")
            elif h == lo + 1:
                parts.append(str(lo))
            else:
                parts.append(f"{lo}:{h}")
        return "[" + ", ".join(parts) + "]"

    def __str__(self) -> str:
        return self.format()


def row_major_offset(shape: Sequence[int], index: Sequence[int]) -> int:
    offset = 0
    for d, i in zip(shape, index, strict=True):
        offset = offset * d + i
    return offset


def unravel(shape: Sequence[int], offset: int) -> tuple[int, ...]:
    index = []
    for d in reversed(shape):
        offset, i = divmod(offset, d)
        index.append(i)
    return tuple(reversed(index))


def box_of_flat_range(shape: Sequence[int], first: int, last: int) -> Box:
    """The bounding box of the flat elements `first..last` (inclusive).

    Dimensions after the first one where the two ends differ are taken whole:
    a flat range crossing a row covers them (all but at the ends), and a box
    of that form is itself contiguous, which slicing relies on.
    """
    a, b = unravel(shape, first), unravel(shape, last)
    for d in range(len(shape)):
        if a[d] != b[d]:
            return Box(
                (*a[:d], a[d], *(0 for _ in shape[d + 1 :])),
                (*(i + 1 for i in a[:d]), b[d] + 1, *shape[d + 1 :]),
            )
    return Box(a, tuple(i + 1 for i in a))


@dataclass(frozen=True)
class ConstantRead:
    """One op touching a constant's data."""

    op: Operation
    """The op that reads (or writes) the data."""
    holder: AllocateConstOp
    """The `tir.allocate_const` whose buffer the op reaches."""
    box: Box | None
    """The region touched, in the constant's index space; None when dynamic."""
    views: tuple[Operation, ...] = ()
    """The `decl_buffer`/`reshape` chain between the holder and `op`."""
    writes: bool = False
    """The op writes, or may write, the buffer (a constant must not be)."""
    reason: str = ""
    """Why `box` is None."""

    @property
    def is_dynamic(self) -> bool:
        return self.box is None

    def describe(self, shape: Sequence[int]) -> str:
        """`tir.conv2d[4:8, :, :, :]`, `tir.buffer_load[?]`; no region if whole."""
        if self.box is None:
            region = "[?]"
        elif self.box == Box.whole(shape):
            region = ""
        else:
            region = self.box.format(shape)
        return f"{self.op.name}{region}" + (" (may write)" if self.writes else "")


@dataclass(frozen=True)
class DirectUse:
    """An op using the holder's buffer directly, with all it needs of it.

    For a view the need is the whole view, whatever is read through it: a
    rewrite that replaces the constant must keep every view valid.
    """

    op: Operation
    box: Box | None
    reads: tuple[ConstantRead, ...] = field(default=())
    reason: str = ""

    @property
    def writes(self) -> bool:
        return any(r.writes for r in self.reads)


@dataclass
class _View:
    """A buffer value as a flat window of the holder: start and shape."""

    base: int
    shape: tuple[int, ...]
    path: tuple[Operation, ...]
    strides: tuple[int, ...] | None = None
    """A strided view's element strides (non-negative); None: row-major."""

    def offset_of(self, index: Sequence[int]) -> int:
        if self.strides is None:
            return row_major_offset(self.shape, index)
        return sum(i * s for i, s in zip(index, self.strides, strict=True))

    def box_of(self, holder_shape: tuple[int, ...], inner: Box) -> Box:
        """The holder's box spanned by `inner`, a box of this window (for a
        strided view: the flat range from its first to its last element)."""
        if not self.path:
            return inner
        if inner.size == 0:  # an empty view reads nothing; claim the lot
            return Box.whole(holder_shape)
        first = self.base + self.offset_of(inner.lo)
        last = self.base + self.offset_of([h - 1 for h in inner.hi])
        return box_of_flat_range(holder_shape, first, last)


class ConstantUses:
    """The analysis: reads of holders, sharing one interval cache.

    Use one instance per query batch; rebuild after rewriting the IR.
    """

    def __init__(self, order: dict[Operation, int] | None = None) -> None:
        self.ranges = IndexRanges()
        self.order = order
        """Op -> position (see `ir_order`): results are sorted by it if given."""

    def reads(self, holder: AllocateConstOp) -> list[ConstantRead]:
        """Every op that touches `holder`'s data."""
        reads = [r for use in self.direct_uses(holder) for r in use.reads]
        if self.order is not None:
            reads.sort(key=lambda r: self.order.get(r.op, -1))  # type: ignore[union-attr]
        return reads

    def direct_uses(self, holder: AllocateConstOp) -> list[DirectUse]:
        """The direct users of `holder`'s buffer and what each needs."""
        shape = holder.buffer_type.get_shape()
        root = _View(0, shape, ())
        out: list[DirectUse] = []
        for use in list(holder.buffer.uses):
            op = use.operation
            reads = tuple(self._reads_via(holder, shape, op, use.index, root))
            if is_view(op):
                view = _window(root, op)
                n = _numel(view.shape)
                box = (
                    view.box_of(shape, Box.whole(view.shape)) if n else Box.whole(shape)
                )
                out.append(DirectUse(op, box, reads))
            else:
                assert len(reads) == 1
                r = reads[0]
                out.append(DirectUse(op, r.box, reads, r.reason))
        if self.order is not None:
            out.sort(key=lambda u: self.order.get(u.op, -1))  # type: ignore[union-attr]
        return out

    def read_of_load(self, load: BufferLoadOp) -> ConstantRead | None:
        """The read of a `buffer_load` whose buffer views a constant; None if
        the buffer is not a constant's."""
        traced = trace_to_holder(load.buffer)
        if traced is None:
            return None
        holder, path = traced
        view = _View(0, holder.buffer_type.get_shape(), ())
        for v in path:
            view = _window(view, v)
        shape = holder.buffer_type.get_shape()
        try:
            inner = self._index_box(load.indices, view.shape)
        except DynamicIndex as e:
            return ConstantRead(load, holder, None, view.path, reason=str(e))
        return ConstantRead(load, holder, view.box_of(shape, inner), view.path)

    def _reads_via(
        self,
        holder: AllocateConstOp,
        shape: tuple[int, ...],
        op: Operation,
        operand_index: int,
        view: _View,
    ) -> Iterator[ConstantRead]:
        if is_view(op):
            inner = _window(view, op)
            for use in list(op.results[0].uses):
                yield from self._reads_via(
                    holder, shape, use.operation, use.index, inner
                )
            return
        whole = view.box_of(shape, Box.whole(view.shape))
        if isinstance(op, BufferLoadOp):
            try:
                inner = self._index_box(op.indices, view.shape)
            except DynamicIndex as e:
                yield ConstantRead(op, holder, None, view.path, reason=str(e))
                return
            yield ConstantRead(op, holder, view.box_of(shape, inner), view.path)
        elif isinstance(op, CallExternOp):
            # A callee sees a constant read-only (a write fails at run time).
            yield ConstantRead(op, holder, whole, view.path)
        elif effect := effect_on(op, op.operands[operand_index]):
            writes = bool(effect & Effect.WRITE)
            yield ConstantRead(op, holder, whole, view.path, writes=writes)
        else:
            # An op this analysis does not know (another dialect's): it may
            # touch everything, and may write it.
            yield ConstantRead(
                op,
                holder,
                whole,
                view.path,
                writes=True,
                reason=f"'{op.name}' is not a known reader",
            )

    def _index_box(self, indices: Sequence[SSAValue], shape: tuple[int, ...]) -> Box:
        lo, hi = [], []
        for d, (index, extent) in enumerate(zip(indices, shape, strict=True)):
            r = self.ranges.range_of(index)
            # Out-of-bounds reads are undefined, so a correct program reads
            # only the in-bounds part of the interval.
            a, b = max(r.lo, 0), min(r.hi, extent - 1)
            if a > b:
                raise DynamicIndex(
                    f"index {d} ranges over {r}, outside the buffer's [0, {extent - 1}]"
                )
            lo.append(a)
            hi.append(b + 1)
        return Box(tuple(lo), tuple(hi))


def _numel(shape: Sequence[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def _window(view: _View, op: Operation) -> _View:
    vt = op.results[0].type
    assert isinstance(vt, BufferType)
    # The verifier keeps strided views off strided sources.
    offset, strides = view_window(op)
    return _View(view.base + offset, vt.get_shape(), (*view.path, op), strides)


def writers_of(buffer: SSAValue) -> list[Operation]:
    """The ops that write, or may write, `buffer` (directly or through views)."""
    out: list[Operation] = []
    for use in buffer.uses:
        op = use.operation
        if is_view(op):
            out += writers_of(op.results[0])
        elif isinstance(op, CallExternOp):
            continue  # constants are passed read-only
        else:
            effect = effect_on(op, op.operands[use.index])
            if effect is None or effect & Effect.WRITE:
                out.append(op)
    return out


def trace_to_holder(
    buffer: SSAValue,
) -> tuple[AllocateConstOp, tuple[Operation, ...]] | None:
    """The `tir.allocate_const` a buffer value views, and the views between."""
    views: list[Operation] = []
    value = buffer
    while True:
        owner = value.owner
        if isinstance(owner, AllocateConstOp):
            return owner, tuple(reversed(views))
        if isinstance(owner, Operation) and is_view(owner):
            views.append(owner)
            value = view_source(owner)
            continue
        return None


# ----------------------------------------------------------- module-level queries


def symbol_name(op: Operation) -> str | None:
    """The `sym_name` of a symbol op (a constant, a function), else None."""
    sym = op.properties.get("sym_name") or op.attributes.get("sym_name")
    return sym.data if isinstance(sym, StringAttr) else None


def find_constant(module: ModuleOp, name: str) -> ConstantOp:
    """The module-level `tir.constant @name`; KeyError if there is none."""
    for op in module.body.block.ops:
        if isinstance(op, ConstantOp) and op.sym_name.data == name:
            return op
    raise KeyError(f"no tir.constant @{name} in the module")


def holders(module: ModuleOp) -> list[AllocateConstOp]:
    """Every `tir.allocate_const` in the module, in IR order."""
    return [op for op in module.walk() if isinstance(op, AllocateConstOp)]


def holders_by_symbol(module: ModuleOp) -> dict[str, list[AllocateConstOp]]:
    """Module constant name -> the `tir.allocate_const`s that reference it."""
    out: dict[str, list[AllocateConstOp]] = {}
    for op in holders(module):
        if op.symbol is not None:
            out.setdefault(op.symbol.root_reference.data, []).append(op)
    return out


def ir_order(root: Operation) -> dict[Operation, int]:
    """Op -> its position in a walk of `root` (to list results in IR order)."""
    return {op: i for i, op in enumerate(root.walk())}


def reads_of(target: AllocateConstOp | ConstantOp) -> list[ConstantRead]:
    """Every op touching the data of a holder, or of a module constant through
    all the holders that reference it, in IR order."""
    module = target.parent_op()
    while module is not None and not isinstance(module, ModuleOp):
        module = module.parent_op()
    uses = ConstantUses(ir_order(module) if module is not None else None)
    if isinstance(target, AllocateConstOp):
        return uses.reads(target)
    if module is None:
        return []
    name = target.sym_name.data
    refs = holders_by_symbol(module).get(name, [])
    return [r for h in refs for r in uses.reads(h)]


def function_of(op: Operation) -> FuncOp | None:
    parent = op.parent_op()
    while parent is not None and not isinstance(parent, FuncOp):
        parent = parent.parent_op()
    return parent
