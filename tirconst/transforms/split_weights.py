"""`tir-split-weights`: split a conv whose weight copy the op before cannot
hide into two OFM depth halves, so each half's copy can be hidden (Vela's
Performance schedule buffers such weights in depth slices)."""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from tirconst.analysis.block_choice import (
    copy_cycles,
    modelled_duration,
    tir_op_cycles,
)
from tirconst.analysis.npu_support import npu_reason
from tirconst.analysis.performance import SystemConfig
from tirconst.analysis.sram import sram_by_op, sram_peak
from tirconst.analysis.tiled_sram import computes
from tirconst.analysis.tiling import Setting
from tirconst.dialects.tir.buffers import AllocateConstOp
from tirconst.dialects.tir.convolution_ops import WeightedOp
from tirconst.dialects.tir.operators import OperatorOp
from tirconst.dialects.tir.structure import FuncOp
from tirconst.dialects.tir.types import BufferType
from tirconst.formats.ethos_u.hardware import DEPTH_GRANULE
from tirconst.formats.ethos_u.weights import ACCELERATORS
from tirconst.transforms.system_options import SystemOptions
from tirconst.transforms.tile import Tiler

NAME = "tir-split-weights"
SCALE_RECORD = 10
"""Bytes of an encoded output channel's bias and scale record."""


def copy_bytes(op: WeightedOp) -> int:
    """The bytes a copy of `op`'s weights moves, before encoding: its raw
    filter and a scale record per output channel (the encoded stream is
    about as large: int8 weights compress little)."""
    t = op.filter.type
    assert isinstance(t, BufferType)
    pc = op.per_channel()
    assert pc is not None
    return t.size_in_bytes + SCALE_RECORD * pc.channels


def split_cycles(
    flash: float,
    staged: float,
    half: float,
    copy: float,
    cover: float,
    half_cover: float,
) -> tuple[float, float, float]:
    """(the op reading its weights from flash; staged whole; staged in two
    depth halves): the cycles each takes from where the op before it ends,
    for an op that takes `flash` reading its weights from flash, `staged`
    from SRAM (each half `half`), whose weights take `copy` cycles to copy
    (each half's half of it), the whole copy issued `cover` cycles of
    compute before the op, the halves' copies (one DMA engine, one after
    the other) `half_cover` before the first half."""
    whole = max(0.0, copy - cover) + staged
    first_end = max(0.0, copy / 2 - half_cover) + half
    halves = max(first_end, copy - half_cover) + half
    return flash, whole, halves


def _cover(
    op: Operation,
    nbytes: int,
    bound: dict[Operation, int],
    limit: int,
    cfg: SystemConfig,
    distance: int,
) -> float:
    """The modelled cycles (`modelled_duration`) of the computing NPU ops,
    up to `distance` of them, right before `op`, under which a copy of
    `nbytes` staged beside them keeps the SRAM measure (`bound`) within
    `limit`, as `tir-stage-weights{distance}` issues copies ahead."""
    cover = 0.0
    prev = op.prev_op
    seen = 0
    while prev is not None and seen < distance:
        if computes(prev):
            if npu_reason(prev) is not None or bound.get(prev, 0) + nbytes > limit:
                break
            assert isinstance(prev, OperatorOp)
            cover += modelled_duration(prev, cfg)
            seen += 1
        prev = prev.prev_op
    return cover


def worth_splitting(
    op: OperatorOp,
    cfg: SystemConfig,
    bound: dict[Operation, int],
    limit: int,
    distance: int,
) -> bool:
    """Whether the cycle model says `op` (a conv the NPU runs, with at least
    two OFM depth granules of weights it re-reads per OFM block) is faster
    in two depth halves, each half's weights copied to SRAM under the ops
    before it that the SRAM measure (`bound`, within `limit`) has room for
    a half's copy beside, than whole: read from flash, or staged with the
    copy under the ops before it with room for all of it (`split_cycles`)."""
    if not isinstance(op, WeightedOp) or not op.WEIGHTS_REUSED:
        return False
    pc = op.per_channel()
    if pc is None or not pc.channels or pc.channels % (2 * DEPTH_GRANULE):
        return False  # not two equal halves of whole depth granules
    if not isinstance(op.filter.owner, AllocateConstOp) or npu_reason(op) is not None:
        return False
    if op.npu_geometry().depthwise:
        return False  # a slice would also slice the input
    flash = tir_op_cycles(op, {}, cfg)[0]
    staged = tir_op_cycles(op, {}, cfg, staged=True)[0]
    half = tir_op_cycles(op, {}, cfg, staged=True, depth=pc.channels // 2)[0]
    if not flash or not staged or not half:
        return False
    nbytes = copy_bytes(op)
    if bound.get(op, 0) + -(-nbytes // 2) > limit:
        return False  # a staged half would grow the SRAM peak
    copy = copy_cycles(nbytes, cfg)
    if flash <= copy:
        return False  # read once from flash: as fast as its copy, no op more
    cover = _cover(op, nbytes, bound, limit, cfg, distance)
    if copy <= cover:
        return False  # the whole copy hides: nothing for halves to hide
    half_cover = _cover(op, -(-nbytes // 2), bound, limit, cfg, distance)
    fl, whole, halves = split_cycles(flash, staged, half, copy, cover, half_cover)
    return halves < min(fl, whole)


@dataclass(frozen=True)
class SplitWeightsPass(SystemOptions, ModulePass):
    """Split convs into two OFM depth halves where their weights' copy is
    worth hiding in halves.

    Where the cycle model says a conv (weights re-read per OFM block, at
    least 32 output channels, after an NPU op) runs faster as two OFM depth
    slices (the first a multiple of 16 channels) whose weights are each
    copied to SRAM, the first under the op before and the second under that
    and the first slice, than whole from flash or staged whole with its copy
    only partly hidden (`worth_splitting`), it becomes two ops by
    `tir-tile`'s depth slices (each reading its output channels' weights,
    bias and requantization, writing its channels of the whole output).
    `tir-stage-weights` then stages each slice's weights where that pays and
    the SRAM allows. `by-cost=ACCELERATOR` names the cycle model's NPU, and
    `system-config`, `memory-mode` and `config` its system (`SystemOptions`).
    """

    name = NAME

    by_cost: str = "ethos-u55-128"
    reuse_io: bool = False
    distance: int = 1

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.by_cost not in ACCELERATORS:
            raise PassFailedException(
                f"{NAME}: unknown accelerator {self.by_cost!r} for by-cost (known: "
                f"{', '.join(ACCELERATORS)})"
            )
        cfg = self.system(self.by_cost, NAME)
        tiler = Tiler(op)
        for func in op.body.block.ops:
            if not isinstance(func, FuncOp):
                continue
            bound = sram_by_op(func, self.reuse_io)
            limit = sram_peak(func, self.reuse_io).bytes
            for o in list(func.body.block.ops):
                if isinstance(o, OperatorOp) and worth_splitting(
                    o, cfg, bound, limit, self.distance
                ):
                    pc = o.per_channel()
                    assert pc is not None
                    tiler.tile([o], Setting(0, pc.channels // 2))
        tiler.finish()
