"""`tir-legalize-npu`: rewrite in tir what must change shape before the ops
go to the NPU, so tiling, weight encoding and planning see the final ops.

- A `tir.pad` of the height and width of an NHWC tensor whose result only a
  following `tir.conv2d` or `tir.depthwise_conv2d` reads, with the pad value
  equal to that op's input zero point, folds into the op's `pad` (the NPU
  pads with the IFM zero point, and a padded position then contributes
  nothing, exactly as the explicit pad did). The pad and its workspace go;
  the op records the pad's model operator (`tflite.fused`).
- A `tir.mean` over contiguous axes (spatial, H or W only, the channels, any
  rank, keep_dims or not) becomes the depthwise sum it is on the NPU: a
  `tir.depthwise_conv2d` of an all-ones filter over reshaped views of its
  input and output, whose per-channel multiplier is the mean's readapted one
  (docs/ethos-u.md's "depthwise sum then multiply", the multiply folded into
  the requantization).
- An int8 `tir.sum` becomes the same depthwise sum where one (its filter
  taps, bias and requantization) equals LiteRT's float32 rescale on every
  reachable sum (`npu_support.sum_window`).
- An int8 `tir.reduce_max` over contiguous axes becomes one
  `tir.max_pool2d` over reshaped views (the window covers the reduced
  elements, at most 256 × 256).
- An int8 `tir.reduce_min` becomes min(x) = ~max(~x): a `tir.lookup` of
  ~x = −1 − x, one `tir.max_pool2d` as for `tir.reduce_max` and a lookup
  of ~ (fused into the pool as its activation).
- A `tir.transpose_conv2d` becomes one stride-1 `tir.conv2d` per output
  phase (its kernel taps reversed, a new constant each) writing every
  stride-th output row and column through a strided view.
- A 2× `tir.resize_bilinear` becomes one `tir.avg_pool2d` per output phase
  (outputs on or halfway between inputs), or with half-pixel centers one
  `tir.depthwise_conv2d` of 16ths per run of outputs weighted alike.
- A `tir.softmax` (or `tir.softmax_int16`) the NPU can run gets its NPU
  buffers: the table with the NPU sequence's int32 constants (for int16
  also the two interpolating tables) appended, and a workspace allocation
  for its intermediates (planned like any buffer).
- A `tir.arg_max` the NPU can run gets its NPU buffers: the int16
  constant of 127 − c per channel c and a workspace allocation for its
  int16 keys and row maxima.
- A `tir.squared_difference` the NPU can run gets a workspace allocation
  for the int32 maps of its NPU sequence.
- An int8/int16 `tir.pack` becomes the `tir.concatenation` it is, of its
  inputs seen (`tir.reshape`) with the new axis of extent 1.
- An int8/int16 `tir.reverse`, `tir.tile` or `tir.mirror_pad` becomes,
  along each axis it changes, a `tir.concatenation` of `tir.strided_slice`s
  of its input (single elements last first, the axis repeated, mirrored
  elements around the axis), axis after axis through new buffers.
- A `tir.add`, `tir.sub`, `tir.mul`, `tir.maximum` or `tir.minimum` whose
  operands both broadcast (the NPU broadcasts its second only) gets one
  operand (`npu_support.broadcast_tile`) tiled to the output shape first:
  a `tir.tile` into a new buffer, which becomes concatenations as any TILE
  (as Vela's regor materialises one operand, there with an ADD to zeros).
- A `tir.prelu` the NPU can run gets a workspace for its four int8
  intermediates.
- A `tir.batch_matmul` the NPU can run gets both operands with the depth
  as their last axis (a transposed constant, or a `tir.transpose` into a
  new buffer, the adj flag flipped) and a workspace for its int32 products.
- A `tir.depthwise_conv2d` with depth multiplier M over C input channels
  becomes a `tir.conv2d` of C·M output channels (docs/ethos-u.md: with one
  input channel "a plain conv"): its filter (1, KH, KW, C·M) is a new
  constant (C·M, KH, KW, C), output channel c·M + k holding the depthwise
  weights on input channel c and zeros elsewhere.

- A `tir.lookup` (or `tir.logistic`) whose input only the op just before
  it writes and nothing else reads gets its output's `tir.allocate` moved
  before that op: the output is then live while that op runs, so the plan
  keeps it apart from that op's inputs and convert-tir-to-npu can fuse the
  table into that op as its activation (the op writing the lookup's
  output), as Vela does; the intermediate then goes.

Fully connected stays `tir.fully_connected`: convert-tir-to-npu lowers it to
a 1×1 conv itself, because its rounding (NATURAL) is not tir.conv2d's (TFL).
Everything the pass does not fold is left as it was (docs/lowering.md).

Each rewrite is its operator's registration, `@legalizes(stage, OpClass)`
(`LEGALIZATIONS`); the pass runs the stages in order (`STAGES`), each
rewrite on the ops of its class.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import (
    DenseArrayBase,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    i64,
)
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass

from tirconst.analysis.npu_support import (
    BILINEAR_MULTIPLIER,
    SOFTMAX_CONSTANTS,
    SOFTMAX_MAX_CHANNELS,
    SOFTMAX_TABLE_WORDS,
    DepthwiseSum,
    arg_max_plan,
    batch_matmul_plan,
    broadcast_tile,
    gather_runs,
    mean_window,
    prelu_plan,
    reduce_max_window,
    resize_bilinear_depthwise,
    resize_bilinear_plan,
    sequence_lstm_reason,
    sequence_lstm_workspace,
    softmax_int16_npu_table,
    softmax_int16_reason,
    softmax_int16_workspace,
    softmax_rows,
    softmax_shape_reason,
    softmax_workspace,
    split_stride,
    spread_dilation,
    squared_difference_plan,
    sum_window,
    transpose_conv_plan,
)
from tirconst.analysis.views import strided_parent
from tirconst.dialects.tir import (
    AddOp,
    AllocateConstOp,
    AllocateOp,
    ArgMaxOp,
    AvgPool2DOp,
    BatchMatmulOp,
    ConcatenationOp,
    Conv2DOp,
    DepthwiseConv2DOp,
    FuncOp,
    LogisticOp,
    LookupOp,
    MaximumOp,
    MaxPool2DOp,
    MeanOp,
    MinimumOp,
    MirrorPadOp,
    MulOp,
    OperatorOp,
    PackOp,
    PadOp,
    PreluOp,
    ReduceMaxOp,
    ReduceMinOp,
    ReshapeOp,
    ResizeBilinearOp,
    ReverseOp,
    SoftmaxInt16Op,
    SoftmaxOp,
    SquaredDifferenceOp,
    StridedSliceOp,
    SubOp,
    SumOp,
    TileOp,
    TransposeConv2DOp,
    TransposeOp,
)
from tirconst.dialects.tir.buffers import ConstantOp, DeclBufferOp, row_major_strides
from tirconst.dialects.tir.convolution_ops import WeightedOp
from tirconst.dialects.tir.elementwise_ops import SOFTMAX_INT16_TABLE
from tirconst.dialects.tir.provenance import fuse_into
from tirconst.dialects.tir.sequence_ops import SequenceLstmOp
from tirconst.dialects.tir.traits import Windowed
from tirconst.dialects.tir.types import BufferType
from tirconst.formats.ethos_u.hardware import MAX_DILATION, MAX_STRIDE

NAME = "tir-legalize-npu"

Legalization = Callable[[Any], bool]
"""Rewrites one operator op in place; True if it changed the program."""
STAGES = ("convert", "decompose", "fold", "prepare")
"""The order the rewrites run in, each stage over the ops of a function as
they are when it starts: "convert" an op into another one for one (a
one-channel depthwise into a conv); "decompose" an op into the ops the NPU
runs (mean, reduce_max, transpose_conv, resize_bilinear); "fold" an op into
the op that reads it, once those exist (pad into a conv); "prepare" the
buffers the lowering needs (a table lookup's output, a softmax's table and
workspace)."""
LEGALIZATIONS: dict[str, dict[type[Operation], Legalization]] = {
    stage: {} for stage in STAGES
}
"""Stage -> operator op class -> its rewrite (`legalizes`). A user's pass
registers its own operator here."""

_L = TypeVar("_L", bound=Legalization)


def legalizes(stage: str, *classes: type[OperatorOp]) -> Callable[[_L], _L]:
    """Register the decorated rewrite for `classes` in `stage` (`STAGES`)."""

    def register(rewrite: _L) -> _L:
        for cls in classes:
            LEGALIZATIONS[stage][cls] = rewrite
        return rewrite

    return register


@legalizes("fold", PadOp)
def _fold_pad(pad: PadOp) -> bool:
    """Fold `pad` into its one consumer if that is exact (a windowed
    weighted op: a conv or depthwise conv, which pads in hardware); True if
    done."""
    out = pad.output
    if not isinstance(out.owner, AllocateOp):
        return False  # a parameter or a view: someone else sees the padded data
    users = [u.operation for u in out.uses if u.operation is not pad]
    if len(users) != 1:
        return False
    conv, view = users[0], None
    if isinstance(conv, ReshapeOp):
        # a reshape adding unit axes, as Keras' causal Conv1D pads (N, W, C)
        # and convolves (N, 1, W, C): padding its axes, read by the conv
        view = conv
        readers = [u.operation for u in view.view.uses]
        if len(readers) != 1:
            return False
        conv = readers[0]
    if not isinstance(conv, WeightedOp) or not conv.has_trait(Windowed):
        return False
    seen = out if view is None else view.view
    if conv.input is not seen or conv.filter is seen or conv.bias is seen:
        return False
    if conv.parent_block() is not pad.parent_block() or not pad.is_before_in_block(
        conv
    ):
        return False
    p = pad.padding
    if view is not None:
        p = _pads_through(p, view)
        if p is None:
            return False
    if len(p) != 8 or p[0] or p[1] or p[6] or p[7]:
        return False  # only height and width padding is hardware padding
    if pad.pad_value != conv.input_zp:
        return False  # hardware padding reads as the input zero point
    top, left, bottom, right = conv.pad
    new = (top + p[2], left + p[4], bottom + p[3], right + p[5])
    kh, kw = (
        conv.filter.type.get_shape()[1:3]  # type: ignore[union-attr]
        if isinstance(conv.filter.type, BufferType)
        else (0, 0)
    )
    dy, dx = conv.dilation
    dkh, dkw = (kh - 1) * dy + 1, (kw - 1) * dx + 1
    if max(new[0], new[2]) >= dkh or max(new[1], new[3]) >= dkw:
        return False  # the NPU's padding must be smaller than the kernel
    source = pad.input
    if view is not None:  # the unpadded input seen as the conv reads it
        shape = tuple(
            d - p[2 * i] - p[2 * i + 1]
            for i, d in enumerate(view.view.type.get_shape())  # type: ignore[union-attr]
        )
        source = _view(conv.parent_block(), conv, pad.input, shape)
    conv.operands = [source, *conv.operands[1:]]
    conv.properties["pad"] = DenseArrayBase.from_list(i64, list(new))
    alloc = out.owner
    fuse_into(conv, pad)
    if view is not None:
        fuse_into(conv, view)  # its TFLite RESHAPE is the conv's too
        view.detach()
        view.erase()
    pad.detach()
    pad.erase()
    if not alloc.results[0].uses:
        alloc.detach()
        alloc.erase()
    return True


def _pads_through(
    pads: tuple[int, ...] | list[int], view: ReshapeOp
) -> tuple[int, ...] | None:
    """The padding of the reshaped view's axes, if the reshape only adds unit
    axes to the padded buffer (each source axis kept, in order), else None."""
    src = list(view.source.type.get_shape())  # type: ignore[union-attr]
    dst = list(view.view.type.get_shape())  # type: ignore[union-attr]
    out: list[int] = []
    i = 0
    for d in dst:
        if i < len(src) and d == src[i]:
            out += [pads[2 * i], pads[2 * i + 1]]
            i += 1
        elif d == 1:
            out += [0, 0]
        else:
            return None
    return tuple(out) if i == len(src) else None


def _dilation_within_limits(op: Conv2DOp | DepthwiseConv2DOp) -> bool:
    """A dilation over the NPU's 2 along an axis: the filter spread out with
    zeros between its taps to the same dilated extent, read with dilation 2
    where the dilation is even, else 1 (the zeros add nothing: exact). True
    if the op changed."""
    dil = tuple(int(d) for d in op.dilation)
    if max(dil) <= MAX_DILATION:
        return False
    src = op.filter.owner
    module = op.get_toplevel_object()
    if not isinstance(src, AllocateConstOp) or not isinstance(module, ModuleOp):
        return False
    npu, (ey, ex) = spread_dilation(dil)
    w = src.data  # (O, KH, KW, I)
    _, kh, kw, _ = w.shape
    spread = np.zeros(
        (w.shape[0], (kh - 1) * ey + 1, (kw - 1) * ex + 1, w.shape[3]), w.dtype
    )
    spread[:, ::ey, ::ex, :] = w
    alloc = _replacing_constant(module, op, src, "spread", spread)
    op.operands[list(op.operands).index(op.filter)] = alloc.results[0]
    op.properties["dilation"] = DenseArrayBase.from_list(i64, list(npu))
    _drop_if_unused(module, src)
    return True


def _stride_within_limits(op: Conv2DOp | DepthwiseConv2DOp) -> bool:
    """A stride over the NPU's 3 along an axis, as a stride a up to 3 times
    a cofactor b up to 3 (`split_stride`): the op runs with stride a into a
    new buffer of every a-th output position, and a 1x1 max pool of stride
    b copies every b-th of them into the output (the op's outputs, each
    requantized alone: exact). The new buffer's bottom and right padding
    are what its last kept position needs, at least 0. True if changed."""
    stride = tuple(int(v) for v in op.stride)
    split = [split_stride(v) for v in stride]
    out = op.buffer_type(op.output)
    if max(stride) <= MAX_STRIDE or not all(split) or str(out.dtype) != "int8":
        return False
    (ay, by), (ax, bx) = split  # type: ignore[misc]
    _, h, w, _ = op.buffer_type(op.input).get_shape()
    n, oh, ow, co = out.get_shape()
    kh, kw = op.buffer_type(op.filter).get_shape()[1:3]
    dy, dx = (int(v) for v in op.dilation)
    dkh, dkw = (kh - 1) * dy + 1, (kw - 1) * dx + 1
    top, left, bottom, right = (int(v) for v in op.pad)
    bottom = max(0, ay * by * (oh - 1) + dkh - h - top)
    right = max(0, ax * bx * (ow - 1) + dkw - w - left)
    rows = (h + top + bottom - dkh) // ay + 1
    cols = (w + left + right - dkw) // ax + 1
    block = op.parent_block()
    assert block is not None
    every = AllocateOp(BufferType((n, rows, cols, co), out.element_type))
    block.insert_op_before(every, op)
    final = op.output
    op.operands[list(op.operands).index(final)] = every.results[0]
    op.properties["stride"] = DenseArrayBase.from_list(i64, [ay, ax])
    op.properties["pad"] = DenseArrayBase.from_list(i64, [top, left, bottom, right])
    pool = MaxPool2DOp.create_op(
        [every.results[0]],
        final,
        window=(1, 1),
        stride=(by, bx),
        pad=(0, 0, 0, 0),
        act_min=-128,
        act_max=127,
    )
    pool.attributes |= {
        k: v for k, v in op.attributes.items() if k.startswith("tflite")
    }
    block.insert_op_after(pool, op)
    return True


@legalizes("convert", Conv2DOp)
def _conv_within_limits(op: Conv2DOp) -> bool:
    """A conv whose stride or dilation is over the NPU's:
    `_stride_within_limits`, `_dilation_within_limits`."""
    strided = _stride_within_limits(op)
    return _dilation_within_limits(op) or strided


@legalizes("convert", DepthwiseConv2DOp)
def _depthwise_within_limits(op: DepthwiseConv2DOp) -> bool:
    """A depthwise whose stride or dilation is over the NPU's
    (`_stride_within_limits`, `_dilation_within_limits`), then with a depth
    multiplier a plain conv (`_depthwise_as_conv`)."""
    strided = _stride_within_limits(op)
    spread = _dilation_within_limits(op)
    return _depthwise_as_conv(op) or spread or strided


def _depthwise_as_conv(op: DepthwiseConv2DOp) -> bool:
    """A depthwise with a depth multiplier M: a plain conv whose output
    channel c·M + k has the depthwise filter's weights on input channel c
    and zeros on the others (the NPU's depthwise makes one output channel
    per input channel); exact, the zeros adding nothing."""
    ci = op.input.type.get_shape()[3]  # type: ignore[union-attr]
    m = op.depth_multiplier
    if m == 1:
        return False
    src = op.filter.owner
    if not isinstance(src, AllocateConstOp):
        return False
    w = src.data  # (1, KH, KW, C·M)
    ohwi = np.zeros((ci * m, *w.shape[1:3], ci), dtype=w.dtype)
    for o in range(ci * m):
        ohwi[o, :, :, o // m] = w[0, :, :, o]
    module = op.get_toplevel_object()
    if not isinstance(module, ModuleOp):
        return False
    alloc = _replacing_constant(module, op, src, "ohwi", ohwi, "dw")
    params = {k: v for k, v in op.params().items() if k != "depth_multiplier"}
    conv = Conv2DOp.create_op(
        [op.input, alloc.results[0], op.bias],
        op.output,
        **params,
        **(op.quantization() or {}),
    )
    conv.attributes |= dict(op.attributes)
    op.parent_block().insert_op_before(conv, op)  # type: ignore[union-attr]
    op.detach()
    op.erase()
    _drop_if_unused(module, src)
    return True


def _view(block, op: Operation, v, shape: tuple[int, ...]):  # type: ignore[no-untyped-def]
    """`v` seen with `shape` (itself if it has it): a `tir.reshape` before `op`."""
    if tuple(v.type.get_shape()) == shape:
        return v
    view = ReshapeOp(v, BufferType(shape, v.type.element_type))
    block.insert_op_before(view, op)
    return view.view


@legalizes("decompose", MeanOp)
def _mean_as_depthwise(op: MeanOp) -> bool:
    """An int8 mean as the depthwise sum it is on the NPU, over the window
    `npu_support.mean_window` finds (the input seen as (1, A, B, C), a
    spatial mean's H×W, a channel mean's 1×C, ...): a depthwise conv of an
    all-ones filter, no bias, whose per-channel requantization is the mean's
    readapted multiplier (TFLite's QuantizedMeanOrSum folds 1/count into
    it): MultiplyByQuantizedMultiplier(Σ (x − input_zp), m', s') +
    output_zp, exactly the mean's integers."""
    return _as_depthwise_sum(op, mean_window(op))


@legalizes("decompose", SumOp)
def _sum_as_depthwise(op: SumOp) -> bool:
    """An int8 sum as a mean is, without the division: the depthwise sum
    over the window `npu_support.sum_window` finds, with the filter tap,
    bias and requantization that function checked equal LiteRT's float32
    rescale on every sum the window can reach."""
    return _as_depthwise_sum(op, sum_window(op))


def _as_depthwise_sum(op: MeanOp | SumOp, plan: DepthwiseSum | str) -> bool:
    """Replace `op` by the depthwise conv `plan` describes: every filter
    tap its weight, its bias (none when 0), its per-channel requantization
    (False: `plan` is why not, nothing changes)."""
    module = op.get_toplevel_object()
    if isinstance(plan, str) or not isinstance(module, ModuleOp):
        return False
    win = plan.window
    c = win.view[3]
    block = op.parent_block()
    assert block is not None
    base = op.name[4:]
    taps = np.full((1, *win.window, c), plan.weight, np.int8)
    names = {"ones" if plan.weight == 1 else "taps": taps}
    if plan.bias:
        names["bias"] = np.full((c,), plan.bias, np.int32)
    consts = []
    for suffix, data in names.items():
        name = _fresh_name(module, f"{base}_{suffix}")
        module.body.block.insert_op_before(
            ConstantOp(name, data), module.body.block.first_op
        )  # type: ignore[arg-type]
        alloc = AllocateConstOp(
            name, BufferType(data.shape, IntegerType(8 * data.dtype.itemsize))
        )
        block.insert_op_before(alloc, op)
        consts.append(alloc.results[0])
    conv = DepthwiseConv2DOp.create_op(
        [_view(block, op, op.input, win.view), *consts, None][:3],
        _view(block, op, op.output, win.out_view),
        stride=(1, 1),
        dilation=(1, 1),
        pad=(0, 0, 0, 0),
        input_zp=op.input_zp,
        output_zp=op.output_zp,
        multiplier=[plan.multiplier] * c,
        shift=[plan.shift] * c,
        act_min=-128,
        act_max=127,
        depth_multiplier=1,
    )
    conv.attributes |= dict(op.attributes)
    block.insert_op_before(conv, op)
    op.detach()
    op.erase()
    return True


@legalizes("decompose", ReduceMaxOp)
def _reduce_max_as_pool(op: ReduceMaxOp) -> bool:
    """An int8 REDUCE_MAX as one max pool over the window
    `npu_support.reduce_max_window` finds (stride 1, no padding): the
    largest stored value, as the reduction (input and output share their
    quantization)."""
    win = reduce_max_window(op)
    if isinstance(win, str):
        return False
    block = op.parent_block()
    assert block is not None
    pool = MaxPool2DOp.create_op(
        [_view(block, op, op.input, win.view)],
        _view(block, op, op.output, win.out_view),
        window=win.window,
        stride=(1, 1),
        pad=(0, 0, 0, 0),
        act_min=-128,
        act_max=127,
    )
    pool.attributes |= dict(op.attributes)
    block.insert_op_before(pool, op)
    op.detach()
    op.erase()
    return True


COMPLEMENT_TABLE = (127 - np.arange(256)).astype(np.int8)
"""table[x + 128] = ~x = −1 − x: the order-reversing int8 bijection."""


@legalizes("convert", ReduceMinOp)
def _reduce_min_as_max(op: ReduceMinOp) -> bool:
    """An int8 REDUCE_MIN as min(x) = ~max(~x), over the window
    `npu_support.reduce_max_window` finds: a `tir.lookup` of ~ of the input
    (seen as the window's (1, A, B, C)) into a new buffer, one
    `tir.max_pool2d` of it into another, and a lookup of ~ into the output
    (seen as the pool's output), which convert-tir-to-npu fuses into the
    pool as its activation. Exact: ~ maps the int8 values onto themselves,
    reversing their order. True if done."""
    win = reduce_max_window(op)
    module = op.get_toplevel_object()
    if isinstance(win, str) or not isinstance(module, ModuleOp):
        return False
    block = op.parent_block()
    assert block is not None
    name = _fresh_name(module, "complement_table")
    module.body.block.insert_op_before(
        ConstantOp(name, COMPLEMENT_TABLE), module.body.block.first_op
    )  # type: ignore[arg-type]
    i8 = op.input.type.element_type  # type: ignore[union-attr]
    table = AllocateConstOp(name, BufferType((256,), i8))
    flipped = AllocateOp(BufferType(win.view, i8))
    largest = AllocateOp(BufferType(win.out_view, i8))
    for new in (table, flipped, largest):
        block.insert_op_before(new, op)
    x = _view(block, op, op.input, win.view)
    y = _view(block, op, op.output, win.out_view)
    steps = [
        LookupOp.create_op([x, table.results[0]], flipped.results[0]),
        MaxPool2DOp.create_op(
            [flipped.results[0]],
            largest.results[0],
            window=win.window,
            stride=(1, 1),
            pad=(0, 0, 0, 0),
            act_min=-128,
            act_max=127,
        ),
        LookupOp.create_op([largest.results[0], table.results[0]], y),
    ]
    for new in steps:
        new.attributes |= dict(op.attributes)
        block.insert_op_before(new, op)
    op.detach()
    op.erase()
    return True


def _strided(block, at: Operation, buf, lo, shape, step):  # type: ignore[no-untyped-def]
    """Elements lo + i·step of `buf` (through the view `buf` may be), a view
    of `shape` inserted before `at`."""
    base, start, strides = strided_parent(buf)
    off = start + sum(i * s for i, s in zip(lo, strides, strict=True))
    new = tuple(s * k for s, k in zip(strides, step, strict=True))
    t = BufferType(list(shape), buf.type.element_type, buf.type.scope)
    plain = new == row_major_strides(tuple(shape))
    if plain and off == 0 and tuple(shape) == tuple(base.type.get_shape()):
        return base
    view = DeclBufferOp(base, off, t, None if plain else new)
    block.insert_op_before(view, at)
    view.view.name_hint = buf.name_hint
    return view.view


@legalizes("decompose", TransposeConv2DOp)
def _transpose_conv_as_convs(op: TransposeConv2DOp) -> bool:
    """TRANSPOSE_CONV as one stride-1 `tir.conv2d` per output phase
    (`npu_support.transpose_conv_plan`): the phase's kernel taps, reversed,
    as a new constant; its input rows and columns as a view, padded with the
    input zero point (contributing nothing, as outside inputs do in
    TFLite's scatter); its outputs, every stride-th row and column, as a
    strided view of the output. Each output element is one phase's sum
    (bias + Σ (x − zp)·w), requantized per channel as TFLite does."""
    plan = transpose_conv_plan(op)
    module = op.get_toplevel_object()
    src = op.filter.owner
    if isinstance(plan, str) or not isinstance(module, ModuleOp):
        return False
    if not isinstance(src, AllocateConstOp):
        return False
    w = src.data  # (Co, KH, KW, Ci)
    block = op.parent_block()
    assert block is not None
    n, _, _, ci = op.input.type.get_shape()  # type: ignore[union-attr]
    co = w.shape[0]
    sy, sx = op.stride
    symbol = src.symbol
    stem = f"{symbol.root_reference.data}_phase" if symbol else "tconv_phase"
    params = {k: v for k, v in op.params().items() if k not in ("stride", "pad")}
    for r, c in plan:
        sub = np.ascontiguousarray(
            w[:, list(reversed(r.taps))][:, :, list(reversed(c.taps))]
        )
        name = _fresh_name(module, stem)
        module.body.block.insert_op_before(
            ConstantOp(name, sub), module.body.block.first_op
        )  # type: ignore[arg-type]
        alloc = AllocateConstOp(
            name, BufferType(sub.shape, src.buffer_type.element_type)
        )
        block.insert_op_before(alloc, op)
        x = _strided(
            block,
            op,
            op.input,
            (0, r.in0, c.in0, 0),
            (n, r.rows, c.rows, ci),
            (1, 1, 1, 1),
        )
        y = _strided(
            block,
            op,
            op.output,
            (0, r.out0, c.out0, 0),
            (n, r.count, c.count, co),
            (1, sy, sx, 1),
        )
        conv = Conv2DOp.create_op(
            [x, alloc.results[0], op.bias],
            y,
            stride=(1, 1),
            dilation=(1, 1),
            pad=(r.before, c.before, r.after, c.after),
            **params,
            **(op.quantization() or {}),
        )
        conv.attributes |= dict(op.attributes)
        block.insert_op_before(conv, op)
    op.detach()
    op.erase()
    _drop_if_unused(module, src)
    return True


@legalizes("decompose", ResizeBilinearOp)
def _resize_bilinear_as_pools(op: ResizeBilinearOp) -> bool:
    """RESIZE_BILINEAR by 1 or 2 per axis (`npu_support.resize_bilinear_plan`)
    as one `tir.avg_pool2d` per output phase: window 1 (a copy) or 2 (the
    mean of two neighbours) along each axis, padding 1 at the far end (the
    last output clamps to the last input, which TFLite's average, not
    counting padding, gives), writing every second output row or column
    through a strided view."""
    plan = resize_bilinear_plan(op)
    if isinstance(plan, str):
        return _resize_bilinear_as_depthwise(op)
    rows, cols = plan
    block = op.parent_block()
    assert block is not None
    shape = tuple(op.input.type.get_shape())  # type: ignore[union-attr]
    fy, fx = len(rows), len(cols)
    for py, kh in enumerate(rows):
        for px, kw in enumerate(cols):
            y = _strided(block, op, op.output, (0, py, px, 0), shape, (1, fy, fx, 1))
            pool = AvgPool2DOp.create_op(
                [op.input],
                y,
                window=(kh, kw),
                stride=(1, 1),
                pad=(0, 0, kh - 1, kw - 1),
                act_min=-128,
                act_max=127,
            )
            pool.attributes |= dict(op.attributes)
            block.insert_op_before(pool, op)
    op.detach()
    op.erase()
    return True


def _resize_bilinear_as_depthwise(op: ResizeBilinearOp) -> bool:
    """RESIZE_BILINEAR on quarter steps (`npu_support.resize_bilinear_depthwise`)
    as one `tir.depthwise_conv2d` per (row run, column run): raw values (zero
    points 0), the runs' weights multiplied into 16ths as a new constant,
    requantized by 1/16 rounding half away from zero as TFLite's 20-bit sum
    is, writing every period-th output row and column through a view."""
    plan = resize_bilinear_depthwise(op)
    module = op.get_toplevel_object()
    if isinstance(plan, str) or not isinstance(module, ModuleOp):
        return False
    (fy, rows), (fx, cols) = plan
    block = op.parent_block()
    assert block is not None
    n, _, _, c = op.input.type.get_shape()  # type: ignore[union-attr]
    filters: dict[tuple[bytes, tuple[int, ...]], SSAValue] = {}
    for r in rows:
        for k in cols:
            kh, kw = len(r.weights), len(k.weights)
            w = np.outer(r.weights, k.weights).astype(np.int8)
            filt = np.ascontiguousarray(np.repeat(w[None, :, :, None], c, axis=3))
            key = (filt.tobytes(), filt.shape)
            if key not in filters:  # one constant per distinct weighting
                name = _fresh_name(module, "bilinear_weights")
                module.body.block.insert_op_before(
                    ConstantOp(name, filt),
                    module.body.block.first_op,  # type: ignore[arg-type]
                )
                alloc = AllocateConstOp(
                    name,
                    BufferType(filt.shape, op.input.type.element_type),  # type: ignore[union-attr]
                )
                block.insert_op_before(alloc, op)
                filters[key] = alloc.results[0]
            x = _strided(
                block,
                op,
                op.input,
                (0, r.in0, k.in0, 0),
                (n, r.count + kh - 1, k.count + kw - 1, c),
                (1, 1, 1, 1),
            )
            y = _strided(
                block,
                op,
                op.output,
                (0, r.out0, k.out0, 0),
                (n, r.count, k.count, c),
                (1, fy, fx, 1),
            )
            conv = DepthwiseConv2DOp.create_op(
                [x, filters[key], None],
                y,
                stride=(1, 1),
                dilation=(1, 1),
                pad=(0, 0, 0, 0),
                input_zp=0,
                output_zp=0,
                multiplier=[BILINEAR_MULTIPLIER] * c,
                shift=[0] * c,
                act_min=-128,
                act_max=127,
                depth_multiplier=1,
            )
            conv.attributes |= dict(op.attributes)
            block.insert_op_before(conv, op)
    op.detach()
    op.erase()
    return True


def _drop_if_unused(module: ModuleOp, alloc: AllocateConstOp) -> None:
    """Erase `alloc` if nothing reads it, and its `tir.constant` if no other
    allocation names it (so flash does not carry a filter the rewrite
    replaced)."""
    if alloc.results[0].uses:
        return
    symbol = alloc.symbol
    alloc.detach()
    alloc.erase()
    if symbol is None:
        return
    for o in module.walk():
        if isinstance(o, AllocateConstOp) and o.properties.get("symbol") == symbol:
            return
    for o in list(module.ops):
        if isinstance(o, ConstantOp) and o.sym_name.data == symbol.root_reference.data:
            o.detach()
            o.erase()


@legalizes("prepare", LookupOp, LogisticOp)
def _hoist_table_output(op: LookupOp | LogisticOp) -> bool:
    """Move the lookup's output allocation before the op that writes its
    input, when that op is just before it and the input is a workspace only
    the two touch (the table can then be that op's activation)."""
    mid, out = op.input, op.output
    alloc, made = out.owner, mid.owner
    if not isinstance(alloc, AllocateOp) or not isinstance(made, AllocateOp):
        return False
    prev = op.prev_op
    while isinstance(prev, AllocateOp | AllocateConstOp):
        prev = prev.prev_op
    if not isinstance(prev, OperatorOp) or getattr(prev, "output", None) is not mid:
        return False
    if {u.operation for u in mid.uses} != {prev, op}:
        return False
    if alloc.parent_block() is not prev.parent_block() or alloc.is_before_in_block(
        prev
    ):
        return False
    alloc.detach()
    prev.parent_block().insert_op_before(alloc, prev)  # type: ignore[union-attr]
    return True


@legalizes("prepare", SoftmaxOp)
def _softmax_for_npu(op: SoftmaxOp) -> bool:
    """Give a softmax the NPU can run what its NPU sequence needs as tir
    buffers: the table with the sequence's int32 constants appended (a new
    flash constant) and a workspace allocation for its int32 intermediates,
    which tiling and the memory planner see and place like any buffer (the
    sequence itself is emitted by convert-tir-to-npu). True if done."""
    if op.workspace is not None or softmax_shape_reason(op, SOFTMAX_MAX_CHANNELS):
        return False
    found = _flash_table(op, 256)
    if found is None:
        return False
    src, table = found
    extra = np.array(SOFTMAX_CONSTANTS, np.int64).astype(np.int32)
    data = np.concatenate([table.astype(np.int32), extra])
    assert data.size == SOFTMAX_TABLE_WORDS
    _with_npu_table(op, src, data, softmax_workspace(*softmax_rows(op))[1])
    return True


@legalizes("prepare", SoftmaxInt16Op)
def _softmax_int16_for_npu(op: SoftmaxInt16Op) -> bool:
    """As `_softmax_for_npu`, for an int16 softmax: the table with the NPU's
    two interpolating tables and the sequence's int32 words appended
    (`npu_support.softmax_int16_npu_table`) and a workspace. True if done."""
    if op.workspace is not None or softmax_int16_reason(op) is not None:
        return False
    found = _flash_table(op, SOFTMAX_INT16_TABLE)
    if found is None:
        return False
    src, table = found
    data = softmax_int16_npu_table(table, op.input_multiplier)
    _with_npu_table(op, src, data, softmax_int16_workspace(*softmax_rows(op))[1])
    return True


def _flash_table(
    op: SoftmaxOp | SoftmaxInt16Op, entries: int
) -> tuple[AllocateConstOp, np.ndarray] | None:
    """The softmax's table as its module-level constant's allocation and
    data, if it is one of `entries` entries in a module (else None)."""
    src = op.table.owner
    if not isinstance(src, AllocateConstOp) or src.constant_op() is None:
        return None
    table = np.asarray(src.data).reshape(-1)  # type: ignore[union-attr]
    if table.size != entries or not isinstance(op.get_toplevel_object(), ModuleOp):
        return None
    return src, table


def _with_npu_table(
    op: SoftmaxOp | SoftmaxInt16Op, src: AllocateConstOp, data: np.ndarray, size: int
) -> None:
    """Replace `op` by the same op reading `data` (a new flash constant,
    named after the old table) as its table and writing a new `size`-byte
    workspace; the old table goes if nothing else reads it."""
    module = op.get_toplevel_object()
    assert isinstance(module, ModuleOp)
    block = op.parent_block()
    assert block is not None
    alloc = _replacing_constant(module, op, src, "npu", data, "softmax")
    ws = AllocateOp(BufferType((size,), IntegerType(8)))
    block.insert_op_before(ws, op)
    new = type(op).create(
        operands=[op.input, alloc.results[0], ws.results[0], op.output],
        properties=dict(op.properties),
        attributes=dict(op.attributes),
    )
    block.insert_op_before(new, op)
    op.detach()
    op.erase()
    if not src.results[0].uses:
        old = src.constant_op()
        src.detach()
        src.erase()
        if old is not None and not any(
            isinstance(o, AllocateConstOp)
            and o.symbol is not None
            and o.symbol.root_reference.data == old.sym_name.data
            for o in module.walk()
        ):
            old.detach()
            old.erase()


@legalizes("prepare", ArgMaxOp)
def _arg_max_for_npu(op: ArgMaxOp) -> bool:
    """Give an ARG_MAX the NPU can run (`npu_support.arg_max_plan`) what
    its NPU sequence needs as tir buffers: the int16 constant of 127 − c
    for each channel c (a new flash constant, the keys' low bits) and a
    workspace for its int16 keys and row maxima. True if done."""
    if op.workspace is not None:
        return False
    plan = arg_max_plan(op)
    module = op.get_toplevel_object()
    if isinstance(plan, str) or not isinstance(module, ModuleOp):
        return False
    data = (127 - np.arange(plan.depth)).astype(np.int16)
    name = _fresh_name(module, "arg_max_indices")
    module.body.block.insert_op_before(
        ConstantOp(name, data), module.body.block.first_op
    )  # type: ignore[arg-type]
    block = op.parent_block()
    assert block is not None
    indices = AllocateConstOp(name, BufferType(data.shape, IntegerType(16)))
    ws = AllocateOp(BufferType((plan.workspace()[1],), IntegerType(8)))
    block.insert_op_before(indices, op)
    block.insert_op_before(ws, op)
    new = ArgMaxOp.create_op(
        [op.input, indices.results[0], ws.results[0]], op.output, axis=op.axis
    )
    new.attributes |= dict(op.attributes)
    block.insert_op_before(new, op)
    op.detach()
    op.erase()
    return True


@legalizes("prepare", SquaredDifferenceOp)
def _squared_difference_for_npu(op: SquaredDifferenceOp) -> bool:
    """Give a squared difference the NPU can run the workspace of its NPU
    sequence's int32 maps (`npu_support.squared_difference_plan`), a
    `tir.allocate` planned like any buffer. True if done."""
    if op.workspace is not None:
        return False
    plan = squared_difference_plan(op)
    if isinstance(plan, str):
        return False
    block = op.parent_block()
    assert block is not None
    ws = AllocateOp(BufferType((plan.workspace()[1],), IntegerType(8)))
    block.insert_op_before(ws, op)
    new = SquaredDifferenceOp.create(
        operands=[op.lhs, op.rhs, ws.results[0], op.output],
        properties=dict(op.properties),
        attributes=dict(op.attributes),
    )
    block.insert_op_before(new, op)
    op.detach()
    op.erase()
    return True


def _depth_last(block, at: Operation, v: SSAValue) -> SSAValue:  # type: ignore[no-untyped-def]
    """`v` with its last two axes swapped, before `at`: a new constant when
    `v` is one, a `tir.reshape` when one of the two has extent 1 (the same
    bytes), else a `tir.transpose` into a new allocation (tir-data-views
    makes it NPU copies)."""
    vt = v.type
    assert isinstance(vt, BufferType)
    shape = tuple(vt.get_shape())
    perm = [*range(len(shape) - 2), len(shape) - 1, len(shape) - 2]
    new_shape = tuple(shape[p] for p in perm)
    t = BufferType(new_shape, vt.element_type)
    src = v.owner
    module = at.get_toplevel_object()
    if isinstance(src, AllocateConstOp) and isinstance(module, ModuleOp):
        data = np.ascontiguousarray(np.transpose(src.data, perm))
        symbol = src.symbol
        base = f"{symbol.root_reference.data}_t" if symbol else "matmul_t"
        name = _fresh_name(module, base)
        module.body.block.insert_op_before(
            ConstantOp(name, data), module.body.block.first_op
        )  # type: ignore[arg-type]
        alloc = AllocateConstOp(name, t)
        block.insert_op_before(alloc, at)
        return alloc.results[0]
    if 1 in shape[-2:]:  # the same bytes: a view
        return _view(block, at, v, new_shape)
    alloc = AllocateOp(t)
    block.insert_op_before(alloc, at)
    block.insert_op_before(TransposeOp.create_op([v], alloc.results[0], perm=perm), at)
    return alloc.results[0]


@legalizes("prepare", BatchMatmulOp)
def _batch_matmul_for_npu(op: BatchMatmulOp) -> bool:
    """Give a BATCH_MATMUL the NPU can run its NPU form
    (`npu_support.batch_matmul_plan`): both operands with the depth as the
    last axis (an operand that has it second to last is transposed: a new
    constant, or a `tir.transpose` into a new buffer, and its adj flag
    flipped) and a workspace for one step's int32 products. True if done."""
    if op.workspace is not None:
        return False
    plan = batch_matmul_plan(op)
    if isinstance(plan, str):
        return False
    block = op.parent_block()
    assert block is not None
    lhs = _depth_last(block, op, op.lhs) if plan.transpose_lhs else op.lhs
    rhs = _depth_last(block, op, op.rhs) if plan.transpose_rhs else op.rhs
    ws = AllocateOp(BufferType((plan.workspace_bytes,), IntegerType(8)))
    block.insert_op_before(ws, op)
    props = dict(op.properties)
    props["adj_x"] = IntegerAttr(0, i64)
    props["adj_y"] = IntegerAttr(1, i64)
    new = BatchMatmulOp.create(
        operands=[lhs, rhs, ws.results[0], op.output],
        properties=props,
        attributes=dict(op.attributes),
    )
    block.insert_op_before(new, op)
    old = [v.owner for v in (op.lhs, op.rhs)]
    op.detach()
    op.erase()
    module = new.get_toplevel_object()
    for src in old:
        if isinstance(src, AllocateConstOp) and isinstance(module, ModuleOp):
            _drop_if_unused(module, src)
    return True


@legalizes("decompose", PackOp)
def _pack_as_concatenation(op: PackOp) -> bool:
    """An int8/int16 PACK as the concatenation it is: each input seen with
    the new axis of extent 1 (a `tir.reshape`), joined along that axis, so
    tir-data-views makes it addressing (or NPU copies) as any concatenation.
    True if done."""
    if str(op.buffer_type(op.output).dtype) not in ("int8", "int16"):
        return False
    block = op.parent_block()
    assert block is not None
    views = []
    for v in op.input_values():
        shape = list(op.shape(v))
        shape.insert(op.axis, 1)
        views.append(_view(block, op, v, tuple(shape)))
    concat = ConcatenationOp.create_op(views, op.output, axis=op.axis)
    concat.attributes |= dict(op.attributes)
    block.insert_op_before(concat, op)
    op.detach()
    op.erase()
    return True


@legalizes("decompose", ReverseOp, TileOp, MirrorPadOp)
def _gather_as_concatenations(op: ReverseOp | TileOp | MirrorPadOp) -> bool:
    """REVERSE_V2, TILE or MIRROR_PAD as what it is along each axis it
    changes (`npu_support.gather_runs`): a `tir.concatenation` of
    `tir.strided_slice`s of the input (runs of elements in increasing
    order), axis after axis through new buffers, the last into the output;
    tir-data-views makes them addressing and NPU copies. A TILE of more
    axes than a feature map has is first seen with its untiled axes merged
    into the one before them (`_tile_merged`). True if done."""
    if isinstance(op, TileOp):
        merged = _tile_merged(op)
        if merged is not None:
            op = merged
    plan = gather_runs(op)
    if isinstance(plan, str):
        return False
    block = op.parent_block()
    assert block is not None
    src = op.input
    src_type = op.buffer_type(src)
    shape = list(src_type.get_shape())
    elt = src_type.element_type
    changed = [a for a, r in enumerate(plan) if r != [(0, shape[a])]]
    if not changed:  # the identity: one part, copied
        changed = [0]
    rank = len(shape)
    for k, a in enumerate(changed):
        parts = []
        for start, n in plan[a]:
            size = list(shape)
            size[a] = n
            if size == shape:
                parts.append(src)
                continue
            begin = [0] * rank
            begin[a] = start
            part = AllocateOp(BufferType(size, elt))
            block.insert_op_before(part, op)
            cut = StridedSliceOp.create_op(
                [src], part.results[0], begin=begin, strides=[1] * rank, size=size
            )
            cut.attributes |= dict(op.attributes)
            block.insert_op_before(cut, op)
            parts.append(part.results[0])
        shape[a] = sum(n for _, n in plan[a])
        if k == len(changed) - 1:
            dest = op.output
        else:
            alloc = AllocateOp(BufferType(list(shape), elt))
            block.insert_op_before(alloc, op)
            dest = alloc.results[0]
        join = ConcatenationOp.create_op(parts, dest, axis=a)
        join.attributes |= dict(op.attributes)
        block.insert_op_before(join, op)
        src = dest
    op.detach()
    op.erase()
    return True


def _tile_merged(op: TileOp) -> TileOp | None:
    """The TILE of more than 4 axes (Keras' nearest UpSampling2D: a row or
    column repeated along a unit axis of a 5-D view) as a TILE of views of
    its input and output whose axes a multiple of 1 follows are merged into
    the one before (the bytes a tiled axis repeats are then contiguous), if
    that leaves at most 4; the new op replaces `op`. None otherwise."""
    shape = list(op.buffer_type(op.input).get_shape())
    mult = [int(m) for m in op.multiples]
    if len(shape) <= 4:
        return None
    groups: list[list[int]] = []
    for a, m in enumerate(mult):
        if not groups or m != 1:
            groups.append([a])
        else:
            groups[-1].append(a)
    if len(groups) > 4:
        return None
    pad = [1] * (4 - len(groups))
    ins = pad + [math.prod(shape[a] for a in g) for g in groups]
    ms = pad + [mult[g[0]] for g in groups]
    outs = [d * m for d, m in zip(ins, ms, strict=True)]
    block = op.parent_block()
    assert block is not None
    new = TileOp.create_op(
        [_view(block, op, op.input, tuple(ins))],
        _view(block, op, op.output, tuple(outs)),
        multiples=ms,
    )
    new.attributes |= dict(op.attributes)
    block.insert_op_before(new, op)
    op.detach()
    op.erase()
    return new


@legalizes("decompose", AddOp, SubOp, MulOp, MaximumOp, MinimumOp)
def _tile_broadcast_operand(op: AddOp | SubOp | MulOp | MaximumOp | MinimumOp) -> bool:
    """Both operands broadcast: the one `broadcast_tile` picks becomes a
    `tir.tile` (of it seen with the output's rank) into a new buffer of the
    output's shape, which the op then reads; the NPU then broadcasts only
    the other, its second input. True if done."""
    plan = broadcast_tile(op)
    if plan is None or isinstance(plan, str):
        return False
    role, multiples = plan
    block = op.parent_block()
    assert block is not None
    v = op.input_named(role)
    assert v is not None
    out = op.shape(op.output)
    full = tuple(o // m for o, m in zip(out, multiples, strict=True))
    elt = op.buffer_type(v).element_type
    alloc = AllocateOp(BufferType(list(out), elt))
    block.insert_op_before(alloc, op)
    tile = TileOp.create_op(
        [_view(block, op, v, full)], alloc.results[0], multiples=list(multiples)
    )
    tile.attributes |= dict(op.attributes)
    block.insert_op_before(tile, op)
    op.operands = [alloc.results[0] if x is v else x for x in op.operands]
    _gather_as_concatenations(tile)
    return True


@legalizes("prepare", PreluOp)
def _prelu_for_npu(op: PreluOp) -> bool:
    """Give a PRELU the NPU can run (`npu_support.prelu_plan`) the
    workspace of its four int8 intermediates. True if done."""
    if op.workspace is not None or isinstance(prelu_plan(op), str):
        return False
    block = op.parent_block()
    assert block is not None
    n = int(np.prod(op.output.type.get_shape()))  # type: ignore[union-attr]
    ws = AllocateOp(BufferType((4 * (-(-n // 16) * 16),), IntegerType(8)))
    block.insert_op_before(ws, op)
    new = PreluOp.create(
        operands=[op.input, op.alpha, ws.results[0], op.output],
        properties=dict(op.properties),
        attributes=dict(op.attributes),
    )
    block.insert_op_before(new, op)
    op.detach()
    op.erase()
    return True


def _replacing_constant(
    module: ModuleOp,
    op: Operation,
    src: AllocateConstOp,
    suffix: str,
    data: np.ndarray,
    stem: str = "filter",
) -> AllocateConstOp:
    """A new module constant of `data`, named after `src`'s constant (or
    `stem`) with `suffix`, and its allocation, inserted before `op`, of
    `src`'s element type: what a rewrite reads instead of `src`."""
    symbol = src.symbol
    base = f"{symbol.root_reference.data if symbol else stem}_{suffix}"
    name = _fresh_name(module, base)
    module.body.block.insert_op_before(
        ConstantOp(name, data), module.body.block.first_op
    )  # type: ignore[arg-type]
    alloc = AllocateConstOp(name, BufferType(data.shape, src.buffer_type.element_type))
    op.parent_block().insert_op_before(alloc, op)  # type: ignore[union-attr]
    return alloc


def _fresh_name(module: ModuleOp, base: str) -> str:
    names = {o.sym_name.data for o in module.ops if isinstance(o, ConstantOp)}
    name, k = base, 0
    while name in names:
        k += 1
        name = f"{base}{k}"
    return name


@dataclass(frozen=True)
class LegalizeNpuPass(ModulePass):
    """Folds a `tir.pad` into the following conv or depthwise conv (when its
    value is the conv's input zero point and the result fits the NPU's
    padding), rewrites a `tir.mean` over contiguous axes as a depthwise sum
    with the mean's readapted multiplier and a `tir.reduce_max` as a max
    pool (over reshaped views), a `tir.transpose_conv2d` as one conv per
    output phase and a 2× `tir.resize_bilinear` as pools or depthwise convs
    (writing strided views of the output), tiles one operand of an
    elementwise op whose operands both broadcast to the output shape (the
    NPU broadcasts only its second), turns a one-channel depthwise conv
    with a depth multiplier into a plain `tir.conv2d`, and allocates a table
    lookup's output before the op whose result only it reads (so the plan
    lets convert-tir-to-npu fuse the table into that op), so that tiling,
    weight encoding and planning see the ops the NPU will run. Other ops are
    left as they are."""

    name = NAME

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for func in [f for f in op.ops if isinstance(f, FuncOp)]:
            for stage in STAGES:
                rewrites = LEGALIZATIONS[stage]
                for o in list(func.walk()):
                    rewrite = rewrites.get(type(o))
                    if rewrite is not None and o.parent is not None:
                        rewrite(o)


__all__ = ["LEGALIZATIONS", "STAGES", "LegalizeNpuPass", "legalizes"]


@legalizes("prepare", SequenceLstmOp)
def _sequence_lstm_for_npu(op: SequenceLstmOp) -> bool:
    """Give an LSTM the NPU can run the workspace of its NPU sequence (a
    chunk's input terms, the cell state, one step's intermediates:
    `npu_support.sequence_lstm_workspace`), a `tir.allocate` planned like
    any buffer. True if done."""
    if op.workspace is not None or sequence_lstm_reason(op) is not None:
        return False
    block = op.parent_block()
    assert block is not None
    ws = AllocateOp(BufferType((sequence_lstm_workspace(op),), IntegerType(8)))
    block.insert_op_before(ws, op)
    props = dict(op.properties)
    props.pop("operandSegmentSizes", None)
    ins = [[getattr(op, name)] for name in op.INPUTS[:13]]
    weights = [op.npu_weights] if op.npu_weights is not None else []
    new = SequenceLstmOp(
        operands=[*ins, weights, [ws.results[0]], [op.output]],
        properties=props,
        attributes=dict(op.attributes),
    )
    block.insert_op_before(new, op)
    op.detach()
    op.erase()
    return True
