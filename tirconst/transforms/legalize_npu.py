"""`tir-legalize-npu`: rewrite in tir what must change shape before the ops
go to the NPU, so tiling, weight encoding and planning see the final ops.

- A `tir.pad` of the height and width of an NHWC tensor whose result only a
  following `tir.conv2d` or `tir.depthwise_conv2d` reads, with the pad value
  equal to that op's input zero point, folds into the op's `pad` (the NPU
  pads with the IFM zero point, and a padded position then contributes
  nothing, exactly as the explicit pad did). The pad and its workspace go.
- A spatial `tir.mean` (axes 1 and 2 of NHWC) becomes the depthwise sum it
  is on the NPU: a `tir.depthwise_conv2d` of an all-ones filter whose
  per-channel multiplier is the mean's readapted one (docs/ethos-u.md's "depthwise
  sum then multiply", the multiply folded into the requantization).
- A `tir.softmax` the NPU can run gets its NPU buffers: the table with the
  NPU sequence's int32 constants appended, and a workspace allocation for
  its int32 intermediates (planned like any buffer).
- A `tir.depthwise_conv2d` of one input channel with depth multiplier M
  (docs/ethos-u.md: "a plain conv") becomes a `tir.conv2d` of M output channels:
  its filter (1, KH, KW, M) is a new constant (M, KH, KW, 1).

Fully connected stays `tir.fully_connected`: convert-tir-to-npu lowers it to
a 1×1 conv itself, because its rounding (NATURAL) is not tir.conv2d's (TFL).
Everything the pass does not fold is left as it was (docs/lowering.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import DenseArrayBase, IntegerType, ModuleOp, i64
from xdsl.ir import Operation
from xdsl.passes import ModulePass

from tirconst.analysis.npu_support import (
    SOFTMAX_CONSTANTS,
    SOFTMAX_TABLE_WORDS,
    softmax_rows,
    softmax_shape_reason,
    softmax_workspace,
)
from tirconst.dialects.tir import (
    AllocateConstOp,
    AllocateOp,
    Conv2DOp,
    DepthwiseConv2DOp,
    FuncOp,
    MeanOp,
    PadOp,
    ReshapeOp,
    SoftmaxOp,
)
from tirconst.dialects.tir.buffers import ConstantOp
from tirconst.dialects.tir.types import BufferType
from tirconst.formats.ethos_u.hardware import MAX_KERNEL_AREA, MAX_KERNEL_HEIGHT
from tirconst.kernels.reduce import mean_readapted_multiplier

NAME = "tir-legalize-npu"


def _fold_pad(pad: PadOp) -> bool:
    """Fold `pad` into its one consumer if that is exact; True if done."""
    out = pad.output
    if not isinstance(out.owner, AllocateOp):
        return False  # a parameter or a view: someone else sees the padded data
    users = [u.operation for u in out.uses if u.operation is not pad]
    if len(users) != 1 or not isinstance(users[0], Conv2DOp | DepthwiseConv2DOp):
        return False
    conv = users[0]
    if conv.input is not out or conv.filter is out or conv.bias is out:
        return False
    if conv.parent_block() is not pad.parent_block() or not pad.is_before_in_block(
        conv
    ):
        return False
    p = pad.padding
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
    conv.operands = [pad.input, *conv.operands[1:]]
    conv.properties["pad"] = DenseArrayBase.from_list(i64, list(new))
    alloc = out.owner
    pad.detach()
    pad.erase()
    if not alloc.results[0].uses:
        alloc.detach()
        alloc.erase()
    return True


def _depthwise_as_conv(op: DepthwiseConv2DOp) -> bool:
    """A one-channel depthwise with a depth multiplier: a plain conv."""
    ci = op.input.type.get_shape()[3]  # type: ignore[union-attr]
    if ci != 1 or op.depth_multiplier == 1:
        return False
    src = op.filter.owner
    if not isinstance(src, AllocateConstOp):
        return False
    w = src.data  # (1, KH, KW, M)
    ohwi = np.ascontiguousarray(np.transpose(w, (3, 1, 2, 0)))
    module = op.get_toplevel_object()
    if not isinstance(module, ModuleOp):
        return False
    symbol = src.properties.get("symbol")
    base = f"{symbol.root_reference.data}_ohwi" if symbol else "dw_ohwi"  # type: ignore[attr-defined]
    name = _fresh_name(module, base)
    const = ConstantOp(name, ohwi)
    module.body.block.insert_op_before(const, module.body.block.first_op)  # type: ignore[arg-type]
    alloc = AllocateConstOp(name, BufferType(ohwi.shape, src.buffer_type.element_type))
    op.parent_block().insert_op_before(alloc, op)  # type: ignore[union-attr]
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
    if not src.results[0].uses:
        src.detach()
        src.erase()
    return True


def _mean_as_depthwise(op: MeanOp) -> bool:
    """A spatial int8 mean (axes 1, 2 of NHWC) as the depthwise sum it is on
    the NPU: a depthwise conv of an all-ones H×W filter, no bias, whose
    per-channel requantization is the mean's readapted multiplier (TFLite's
    QuantizedMeanOrSum folds 1/count into it): MultiplyByQuantizedMultiplier(
    Σ (x − input_zp), m', s') + output_zp, exactly the mean's integers."""
    shape = op.input.type.get_shape()  # type: ignore[union-attr]
    if len(shape) != 4 or shape[0] != 1:
        return False
    axes = {a % 4 for a in op.axes}
    if axes != {1, 2}:
        return False
    _, h, w, c = shape
    count = h * w
    if h > MAX_KERNEL_HEIGHT or count > MAX_KERNEL_AREA or count * 256 >= 2**31:
        return False  # a kernel the NPU cannot run, or an int32 wrap
    m, sh = mean_readapted_multiplier(op.multiplier, op.shift, count)
    if not 0 <= 31 - sh <= 63 or not 0 <= m < 2**31:
        return False  # outside the NPU's 32-bit scale and 6-bit shift
    module = op.get_toplevel_object()
    if not isinstance(module, ModuleOp):
        return False
    name = _fresh_name(module, "mean_ones")
    ones = np.ones((1, h, w, c), np.int8)
    const = ConstantOp(name, ones)
    module.body.block.insert_op_before(const, module.body.block.first_op)  # type: ignore[arg-type]
    block = op.parent_block()
    assert block is not None
    alloc = AllocateConstOp(name, BufferType(ones.shape, op.input.type.element_type))  # type: ignore[union-attr]
    block.insert_op_before(alloc, op)
    out = op.output
    if tuple(out.type.get_shape()) != (1, 1, 1, c):  # type: ignore[union-attr]
        view = ReshapeOp(out, BufferType((1, 1, 1, c), out.type.element_type))  # type: ignore[union-attr]
        block.insert_op_before(view, op)
        out = view.view
    conv = DepthwiseConv2DOp.create_op(
        [op.input, alloc.results[0], None],
        out,
        stride=(1, 1),
        dilation=(1, 1),
        pad=(0, 0, 0, 0),
        input_zp=op.input_zp,
        output_zp=op.output_zp,
        multiplier=[m] * c,
        shift=[sh] * c,
        act_min=-128,
        act_max=127,
        depth_multiplier=1,
    )
    conv.attributes |= dict(op.attributes)
    block.insert_op_before(conv, op)
    op.detach()
    op.erase()
    return True


def _softmax_for_npu(op: SoftmaxOp) -> bool:
    """Give a softmax the NPU can run what its NPU sequence needs as tir
    buffers: the table with the sequence's int32 constants appended (a new
    flash constant) and a workspace allocation for its int32 intermediates,
    which tiling and the memory planner see and place like any buffer (the
    sequence itself is emitted by convert-tir-to-npu). True if done."""
    if op.workspace is not None or softmax_shape_reason(op) is not None:
        return False
    src = op.table.owner
    if not isinstance(src, AllocateConstOp) or src.constant_op() is None:
        return False
    table = np.asarray(src.data).reshape(-1)  # type: ignore[union-attr]
    if table.size != 256:
        return False
    module = op.get_toplevel_object()
    if not isinstance(module, ModuleOp):
        return False
    extra = np.array(SOFTMAX_CONSTANTS, np.int64).astype(np.int32)
    data = np.concatenate([table.astype(np.int32), extra])
    assert data.size == SOFTMAX_TABLE_WORDS
    symbol = src.properties.get("symbol")
    base = f"{symbol.root_reference.data}_npu" if symbol else "softmax_npu"  # type: ignore[attr-defined]
    name = _fresh_name(module, base)
    module.body.block.insert_op_before(
        ConstantOp(name, data), module.body.block.first_op
    )  # type: ignore[arg-type]
    block = op.parent_block()
    assert block is not None
    alloc = AllocateConstOp(name, BufferType(data.shape, src.buffer_type.element_type))
    block.insert_op_before(alloc, op)
    rows, channels = softmax_rows(op)
    size = softmax_workspace(rows, channels)[1]
    ws = AllocateOp(BufferType((size,), IntegerType(8)))
    block.insert_op_before(ws, op)
    new = SoftmaxOp.create(
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
    return True


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
    padding), rewrites a spatial `tir.mean` as a depthwise sum with the
    mean's readapted multiplier, and turns a one-channel depthwise conv with
    a depth multiplier into a plain `tir.conv2d`, so that tiling, weight
    encoding and planning see the ops the NPU will run. Other ops are left
    as they are."""

    name = NAME

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for func in [f for f in op.ops if isinstance(f, FuncOp)]:
            ops: list[Operation] = list(func.walk())
            for o in ops:
                if isinstance(o, DepthwiseConv2DOp) and o.parent is not None:
                    _depthwise_as_conv(o)
            for o in list(func.walk()):
                if isinstance(o, MeanOp) and o.parent is not None:
                    _mean_as_depthwise(o)
            for o in list(func.walk()):
                if isinstance(o, PadOp) and o.parent is not None:
                    _fold_pad(o)
            for o in list(func.walk()):
                if isinstance(o, SoftmaxOp) and o.parent is not None:
                    _softmax_for_npu(o)


__all__ = ["LegalizeNpuPass"]
