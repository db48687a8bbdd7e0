"""What a tile of an operator op reads: the input window of an output-row
stripe, the hardware's depth-slice rule, and the cost model `tir-tile` uses.

All sizes are in elements of NHWC tensors (int8: bytes). The units `tir-tile`
splits (single ops or cascades), the settings of its search and the grid of
tiles a setting gives are here too: the pass rewrites by them, and
`tirconst.analysis.tiled_sram` measures a setting by them without rewriting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation, SSAValue

from tirconst.analysis.npu_support import npu_reason
from tirconst.dialects.tir.buffers import AllocateOp
from tirconst.dialects.tir.convolution_ops import WeightedOp
from tirconst.dialects.tir.operators import OperatorOp
from tirconst.dialects.tir.structure import FuncOp
from tirconst.dialects.tir.traits import Elementwise, Windowed
from tirconst.dialects.tir.types import BufferType
from tirconst.formats.ethos_u.hardware import DEPTH_GRANULE

Reason = Callable[[Operation], str | None]
"""Why the NPU cannot run an op, or None (`npu_reason`)."""


def windowed(op: Operation) -> Windowed | None:
    """The op's row window (a windowed op's trait), or None."""
    return op.get_trait(Windowed)


def window(op: OperatorOp) -> tuple[int, int, int]:
    """(kernel height, stride height, dilation height) of a windowed op."""
    trait = windowed(op)
    assert trait is not None
    return trait.rows(op)


def pad_rows(op: OperatorOp) -> tuple[int, int]:
    """(top, bottom) padding of a windowed op's input height."""
    trait = windowed(op)
    assert trait is not None
    return trait.pad_rows(op)


@dataclass(frozen=True)
class RowWindow:
    """The input rows [lo, hi) output rows [y0, y1) read, and the padding the
    stripe keeps above and below them."""

    lo: int
    hi: int
    top: int
    bottom: int


def input_rows(op: OperatorOp, y0: int, y1: int) -> RowWindow:
    """The input window of output rows [y0, y1) of a windowed op: padding stays
    only where the window leaves the input (the top of the first stripe, the
    bottom of the last)."""
    trait = windowed(op)
    assert trait is not None
    kh, sh, dh = trait.rows(op)
    height = op.shape(trait.input(op))[1]
    top = pad_rows(op)[0]
    start = y0 * sh - top
    stop = (y1 - 1) * sh - top + (kh - 1) * dh + 1
    lo, hi = max(start, 0), min(stop, height)
    return RowWindow(lo, hi, lo - start, stop - hi)


def split(n: int, size: int) -> list[tuple[int, int]]:
    """[0, n) in pieces of `size` (the last takes the rest)."""
    size = max(1, min(size, n))
    return [(s, min(s + size, n)) for s in range(0, n, size)]


def depth_slices(depth: int, size: int) -> list[tuple[int, int]]:
    """OFM depth in slices of `size` rounded up to the hardware's granule (one
    slice when that covers the depth)."""
    if size <= 0 or size >= depth:
        return [(0, depth)]
    size = -(-size // DEPTH_GRANULE) * DEPTH_GRANULE
    return split(depth, size)


@dataclass
class TileCost:
    """What tiling one op costs over computing it whole (the cost model):
    `ops` tiles, `recomputed_rows` input rows read more than once (window
    overlap between stripes, and producer rows computed again by a cascade),
    `extra_weight_bytes` weights read again (each height stripe reads its
    weight slice once more)."""

    name: str
    ops: int = 0
    recomputed_rows: int = 0
    extra_weight_bytes: int = 0

    def format(self) -> str:
        return (
            f"{self.name}: {self.ops} tiles, {self.recomputed_rows} recomputed "
            f"input rows, {self.extra_weight_bytes} extra weight bytes"
        )


# ------------------------------------------------------------------ units


def functions(module: ModuleOp) -> list[FuncOp]:
    return [op for op in module.body.block.ops if isinstance(op, FuncOp)]


def _shape(v: SSAValue) -> tuple[int, ...]:
    assert isinstance(v.type, BufferType)
    return v.type.get_shape()


def tileable(op: Operation, reason: Reason = npu_reason) -> bool:
    """Ops `tir-tile` splits: windowed over a 4-D tensor keeping its batch
    (`Windowed`), reading weights (`WeightedOp`: a fully connected op in
    depth slices), or elementwise with every aligned operand an int8 tensor
    of the output's 4-D shape (`Elementwise`). Ops reading encoded weights
    are not split (tile before `tir-encode-weights`), nor ops the NPU cannot
    run (`reason`: `npu_reason`, or a search's `NpuReasons` remembering it):
    the CPU runs the model's own operator on the whole tensors, so such an
    op is never tiled nor part of a cascade, and its input and output stay
    whole."""
    if "encoded_weights" in op.properties:
        return False
    if not isinstance(op, OperatorOp) or not _splittable(op):
        return False
    return reason(op) is None


def _splittable(op: OperatorOp) -> bool:
    """Whether `op`'s shape and kind let `tir-tile` split it (`tileable`)."""
    out = _shape(op.output)
    if (trait := windowed(op)) is not None:
        if len(out) != 4 or _shape(trait.input(op))[0] != out[0]:
            return False
        win = input_rows(op, 0, out[1])
        return win.hi > win.lo  # an op that reads only padding stays whole
    if isinstance(op, WeightedOp):
        return True
    ew = op.get_trait(Elementwise)
    if ew is None or len(out) != 4:
        return False
    aligned = [*ew.values(op), op.output]
    return all(_shape(v) == out and str(v.type.element_type) == "i8" for v in aligned)


def _cascade_link(producer: OperatorOp, consumer: OperatorOp) -> bool:
    """Whether `consumer` can compute `producer`'s output stripe by stripe: the
    intermediate is a workspace only these two touch, and the consumer has
    more than one output row (a chain is striped over its last op's rows: one
    ending in a global reduction, e.g. a MEAN as one whole-input window,
    could not be striped at all, and would keep its producers whole too)."""
    trait = windowed(consumer)
    if windowed(producer) is None or trait is None:
        return False
    if _shape(consumer.output)[1] < 2:
        return False
    t = producer.output
    if t is not trait.input(consumer) or not isinstance(t.owner, AllocateOp):
        return False
    users = [u.operation for u in t.uses]
    return sorted(map(id, users)) == sorted((id(producer), id(consumer)))


def units(
    func: FuncOp, cascade: bool, reason: Reason = npu_reason
) -> list[list[OperatorOp]]:
    """The tileable ops of `func` (`tileable`, by `reason`), grouped into
    cascade chains (producer first) when `cascade`, else one op each; in
    program order of their ends."""
    chain_of: dict[Operation, list[OperatorOp]] = {}
    out: list[list[OperatorOp]] = []
    for op in func.body.block.ops:
        if not isinstance(op, OperatorOp) or not tileable(op, reason):
            continue
        chain: list[OperatorOp] = [op]
        trait = windowed(op)
        x = trait.input(op) if trait is not None else None
        if cascade and x is not None and isinstance(x.owner, AllocateOp):
            producer = next(
                (
                    u.operation
                    for u in x.uses
                    # the op writing it (a view's op, a concatenation's
                    # part, is no operator op)
                    if isinstance(u.operation, OperatorOp) and u.operation.output is x
                ),
                None,
            )
            if producer in chain_of and _cascade_link(producer, op):
                chain = chain_of.pop(producer) + [op]
                out.remove(chain[:-1])
        chain_of[op] = chain
        out.append(chain)
    return out


@dataclass(frozen=True)
class Setting:
    """How one unit is tiled: output rows per stripe and OFM depth per slice
    (0: whole); or, for a cascade cut in two (`parts`: the number of ops of
    each part, producer first, with its own setting), each part as its own
    cascade, the intermediate between them whole."""

    rows: int = 0
    depth: int = 0
    parts: tuple[tuple[int, Setting], ...] = ()

    def tiles(self) -> bool:
        return bool(self.rows or self.depth or self.parts)


def reads_input(chain: list[OperatorOp], rows: tuple[int, int]) -> bool:
    """Whether output rows `rows` of the chain read at least one real row of
    each input (not only padding): a stripe must, to be an op."""
    for op in reversed(chain):
        if windowed(op) is None:
            return True
        win = input_rows(op, *rows)
        if win.hi <= win.lo:
            return False
        rows = (win.lo, win.hi)
    return True


def merge_empty(
    chain: list[OperatorOp], stripes: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Merge each stripe reading only padding into its neighbour."""
    out: list[tuple[int, int]] = []
    for y0, y1 in stripes:
        if out and (
            not reads_input(chain, (y0, y1)) or not reads_input(chain, out[-1])
        ):
            y0 = out.pop()[0]
        out.append((y0, y1))
    return out


@dataclass(frozen=True)
class TileGrid:
    """The tiles of a unit under a setting: output-row stripes (of the last
    op) times OFM depth slices; `spatial`: whether rows are the output's
    height (else its batch, whole)."""

    stripes: list[tuple[int, int]]
    slices: list[tuple[int, int]]
    spatial: bool


def tile_grid(chain: list[OperatorOp], s: Setting) -> TileGrid | None:
    """The grid `s` cuts `chain` (a cascade, or one op) into; None when that
    is one tile (the chain stays as it is)."""
    last = chain[-1]
    oshape = _shape(last.output)
    # Stripes of rows: windowed and elementwise ops (a fully connected
    # op's rows are its batch: it is sliced in depth only).
    trait = windowed(last)
    spatial = len(oshape) == 4 and (trait is not None or last.has_trait(Elementwise))
    height = oshape[1] if spatial else 1
    depth = oshape[-1]
    stripes = split(height, s.rows) if s.rows and height > 1 else [(0, height)]
    stripes = merge_empty(chain, stripes)
    if len(chain) > 1 or (trait is not None and not trait.depth_slices):
        slices = [(0, depth)]
    else:
        slices = depth_slices(depth, s.depth)
        step = trait.slice_step(last) if trait is not None else 1
        if any(c % step for c0c1 in slices for c in c0c1):
            slices = [(0, depth)]
    if len(stripes) == 1 and len(slices) == 1:
        return None
    return TileGrid(stripes, slices, spatial)
