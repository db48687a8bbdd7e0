"""What a tile of an operator op reads: the input window of an output-row
stripe, the hardware's depth-slice rule, and the cost model `tir-tile` uses.

All sizes are in elements of NHWC tensors (int8: bytes).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.ir import Operation

from tirconst.dialects.tir.operators import OperatorOp
from tirconst.dialects.tir.traits import Windowed
from tirconst.formats.ethos_u.hardware import DEPTH_GRANULE


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
    kh, sh, dh = window(op)
    height = op.shape(op.input)[1]  # type: ignore[attr-defined]
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
