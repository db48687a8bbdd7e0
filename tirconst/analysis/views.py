"""Buffer views and placement, in one place: for any buffer value, the root
allocation it aliases, the element offset and element strides at which its
elements lie in that root, and (once planned) the pool and byte offset.

A root is a function parameter, a `tir.allocate` or a `tir.allocate_const`.
Views are the ops with the `ViewLike` trait (`tir.decl_buffer`, `tir.reshape`):
each names its source and where its elements lie in it. Chains of views
compose: a dense view of a dense view is one offset; a strided view of a
dense one multiplies out; a reshape of a dense view is dense. A reshape of a
strided view is not one strided box of the root (`ViewError`).

Liveness (a use of a view is a use of its root), the NPU lowering (feature
map addresses and strides), weight encoding (the constant a weight view
reads), the packager (tensor offsets) and the data-movement rewrite
(`tir-data-views`) all ask this module.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import StringAttr
from xdsl.ir import Block, BlockArgument, Operation, SSAValue

from tirconst.dialects.tir.buffers import (
    AllocateConstOp,
    AllocateOp,
    row_major_strides,
)
from tirconst.dialects.tir.structure import FuncOp
from tirconst.dialects.tir.traits import ViewLike
from tirconst.dialects.tir.types import BufferType


class ViewError(ValueError):
    """The value is not one strided box of its root."""


@dataclass(frozen=True)
class View:
    """Where a buffer value's elements lie in its root: element `[i, j, ...]`
    of the value is root element `offset + i * strides[0] + j * strides[1]
    + ...` (strides in root elements, one per axis of the value)."""

    root: SSAValue
    offset: int
    strides: tuple[int, ...]
    shape: tuple[int, ...]

    @property
    def dense(self) -> bool:
        """Whether the elements are contiguous, in row-major order."""
        return _same_strides(self.shape, self.strides, row_major_strides(self.shape))


def _same_strides(
    shape: tuple[int, ...], a: tuple[int, ...], b: tuple[int, ...]
) -> bool:
    # the stride of an axis of extent 1 never moves: it does not matter
    return all(d == 1 or x == y for d, x, y in zip(shape, a, b, strict=True))


def _shape(v: SSAValue) -> tuple[int, ...]:
    t = v.type
    assert isinstance(t, BufferType)
    return tuple(t.get_shape())


def is_view(op: Operation) -> bool:
    """Whether `op` is a view (`tir.decl_buffer`, `tir.reshape`, or any op
    with the ViewLike trait)."""
    return _view_class(type(op))


@functools.cache
def _view_class(cls: type[Operation]) -> bool:
    """`has_trait(ViewLike)`, a class method (traits are the class's), asked
    once per class: the passes ask it of every op they walk past."""
    return cls.has_trait(ViewLike)


def view_source(op: Operation) -> SSAValue:
    """The buffer a view op views."""
    trait = op.get_trait(ViewLike)
    assert trait is not None
    return trait.source(op)


def view_window(op: Operation) -> tuple[int, tuple[int, ...] | None]:
    """(element offset, element strides) of a view op's elements in its
    source; strides None when they are row-major (a reshape, a dense
    `tir.decl_buffer`)."""
    trait = op.get_trait(ViewLike)
    assert trait is not None
    offset, strides = trait.layout(op)
    if strides is not None and tuple(strides) == row_major_strides(
        _shape(op.results[0])
    ):
        strides = None
    return offset, strides


def strided_parent(value: SSAValue) -> tuple[SSAValue, int, tuple[int, ...]]:
    """(buffer, element offset, element strides) where `value`'s elements lie
    one view up: the source of a `tir.decl_buffer` (a view with strides);
    else `value` itself, at 0, row-major. A new view of `value` is best
    declared on that buffer (no view of a view)."""
    owner = value.owner
    if isinstance(owner, Operation) and is_view(owner):
        trait = owner.get_trait(ViewLike)
        assert trait is not None
        offset, strides = trait.layout(owner)
        if strides is not None:
            return trait.source(owner), offset, tuple(strides)
    return value, 0, row_major_strides(_shape(value))


def root_of(value: SSAValue) -> SSAValue:
    """The root buffer a value (through any chain of views) aliases."""
    while isinstance(value.owner, Operation) and is_view(value.owner):
        value = view_source(value.owner)
    return value


def view_of(value: SSAValue) -> View:
    """Root, element offset and strides of `value` (raises ViewError for a
    reshape of a strided view)."""
    owner = value.owner
    shape = _shape(value)
    if not (isinstance(owner, Operation) and is_view(owner)):
        return View(value, 0, row_major_strides(shape), shape)
    trait = owner.get_trait(ViewLike)
    assert trait is not None
    src = view_of(trait.source(owner))
    offset, strides = trait.layout(owner)
    if strides is None:  # a reshape: the source's elements in row-major order
        if not src.dense:
            raise ViewError("a reshape of a strided view")
        return View(src.root, src.offset, row_major_strides(shape), shape)
    if src.dense:
        return View(src.root, src.offset + offset, tuple(strides), shape)
    if (
        offset == 0
        and shape == src.shape
        and tuple(strides) == row_major_strides(shape)
    ):
        return View(src.root, src.offset, src.strides, shape)  # the whole source
    raise ViewError("a view of a strided view")


def views_of(value: SSAValue) -> list[SSAValue]:
    """`value` and every view of it, transitively (pre-order)."""
    out = [value]
    for use in list(value.uses):
        if is_view(use.operation):
            for r in use.operation.results:
                out += views_of(r)
    return out


def users(value: SSAValue) -> Iterator[tuple[Operation, SSAValue]]:
    """(op, the view it uses) for every non-view op using `value` or a view
    of it."""
    for v in views_of(value):
        for use in v.uses:
            if not is_view(use.operation):
                yield use.operation, v


# ------------------------------------------------------------------ placement


@dataclass(frozen=True)
class Place:
    """Where a buffer value's elements lie once planned: pool, byte offset of
    element 0, element strides (None: dense row-major) and the root."""

    pool: str
    offset: int
    strides: tuple[int, ...] | None
    root: SSAValue


def root_placement(root: SSAValue) -> tuple[str, int] | None:
    """(pool, byte offset) the plan gave a root; None if unplaced."""
    owner = root.owner
    if isinstance(owner, Block):
        func = owner.parent_op()
        if not isinstance(func, FuncOp) or not isinstance(root, BlockArgument):
            return None
        p = func.placements().get(func.names[root.index])
    elif isinstance(owner, AllocateConstOp):
        p = owner.effective_placement()
    elif isinstance(owner, AllocateOp):
        p = owner.placement
    else:
        return None
    return None if p is None else (p.pool_name, p.byte_offset)


def place_of(value: SSAValue) -> Place | None:
    """The placement of `value` through views; None if its root is unplaced
    (or it is not one strided box of its root)."""
    try:
        v = view_of(value)
    except ViewError:
        return None
    at = root_placement(v.root)
    if at is None:
        return None
    t = value.type
    assert isinstance(t, BufferType)
    return Place(
        at[0],
        at[1] + v.offset * t.dtype.itemsize,
        None if v.dense else v.strides,
        v.root,
    )


# ------------------------------------------------------------------ layouts

LAYOUT = "layout"
"""The `tir.allocate` attribute naming how a feature map is stored when it is
not row-major (`tir-feature-layouts`): "nhcwb16" (16-channel bricks)."""
BRICK = 16


def layout_of(value: SSAValue) -> str:
    """How the root `value` aliases stores its elements: "nhwc" (row-major,
    the buffer type's own meaning) or "nhcwb16" (an NPU-only feature map:
    element (y, x, c) at ((y * ceil(C / 16) + c // 16) * W + x) * 16 + c % 16)."""
    owner = root_of(value).owner
    if isinstance(owner, AllocateOp):
        attr = owner.attributes.get(LAYOUT)
        if isinstance(attr, StringAttr):
            return attr.data
    return "nhwc"


def stored_bytes(root: SSAValue) -> int:
    """The bytes a root buffer takes as stored: its type's, with the last
    axis (the channels) rounded up to whole bricks in NHCWB16."""
    t = root.type
    assert isinstance(t, BufferType)
    if layout_of(root) != "nhcwb16":
        return t.size_in_bytes
    shape = t.get_shape()
    rows = t.num_elements // shape[-1] if shape[-1] else 0
    return rows * (-(-shape[-1] // BRICK) * BRICK) * t.dtype.itemsize


def constant_of(value: SSAValue | None) -> np.ndarray | None:
    """The data `value` holds if it is a constant or a dense view of one."""
    if value is None:
        return None
    try:
        v = view_of(value)
    except ViewError:
        return None
    owner = v.root.owner
    if not isinstance(owner, AllocateConstOp) or not v.dense:
        return None
    n = int(np.prod(v.shape))
    return owner.data.reshape(-1)[v.offset : v.offset + n].reshape(v.shape)


__all__ = [
    "Place",
    "View",
    "ViewError",
    "constant_of",
    "is_view",
    "layout_of",
    "place_of",
    "root_of",
    "root_placement",
    "strided_parent",
    "stored_bytes",
    "users",
    "view_of",
    "view_source",
    "view_window",
    "views_of",
]
