"""`tir-legalize-npu`: rewrite in tir what must change shape before the ops
go to the NPU, so tiling, weight encoding and planning see the final ops.

- A `tir.pad` of the height and width of an NHWC tensor whose result only a
  following `tir.conv2d` or `tir.depthwise_conv2d` reads, with the pad value
  equal to that op's input zero point, folds into the op's `pad` (the NPU
  pads with the IFM zero point, and a padded position then contributes
  nothing, exactly as the explicit pad did). The pad and its workspace go.
- A `tir.depthwise_conv2d` of one input channel with depth multiplier M
  (ETHOS-U.md: "a plain conv") becomes a `tir.conv2d` of M output channels:
  its filter (1, KH, KW, M) is a new constant (M, KH, KW, 1).

Fully connected stays `tir.fully_connected`: convert-tir-to-npu lowers it to
a 1×1 conv itself, because its rounding (NATURAL) is not tir.conv2d's (TFL).
Everything the pass does not fold is left as it was (docs/lowering.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import DenseArrayBase, ModuleOp, i64
from xdsl.ir import Operation
from xdsl.passes import ModulePass

from tirconst.dialects.tir import (
    AllocateConstOp,
    AllocateOp,
    Conv2DOp,
    DepthwiseConv2DOp,
    FuncOp,
    PadOp,
)
from tirconst.dialects.tir.buffers import ConstantOp
from tirconst.dialects.tir.types import BufferType

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
    if conv.parent_block() is not pad.parent_block() or not pad.is_before_in_block(conv):
        return False
    p = pad.p("padding")
    if len(p) != 8 or p[0] or p[1] or p[6] or p[7]:
        return False  # only height and width padding is hardware padding
    if pad.p("pad_value") != conv.p("input_zp"):
        return False  # hardware padding reads as the input zero point
    top, left, bottom, right = conv.p("pad")
    new = (top + p[2], left + p[4], bottom + p[3], right + p[5])
    kh, kw = (
        conv.filter.type.get_shape()[1:3]  # type: ignore[union-attr]
        if isinstance(conv.filter.type, BufferType)
        else (0, 0)
    )
    dy, dx = conv.p("dilation")
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
    if ci != 1 or op.p("depth_multiplier") == 1:
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
    names = {o.sym_name.data for o in module.ops if isinstance(o, ConstantOp)}
    name, k = base, 0
    while name in names:
        k += 1
        name = f"{base}{k}"
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


@dataclass(frozen=True)
class LegalizeNpuPass(ModulePass):
    """Folds a `tir.pad` into the following conv or depthwise conv (when its
    value is the conv's input zero point and the result fits the NPU's
    padding) and turns a one-channel depthwise conv with a depth multiplier
    into a plain `tir.conv2d`, so that tiling, weight encoding and planning
    see the ops the NPU will run. Other ops are left as they are."""

    name = NAME

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for func in [f for f in op.ops if isinstance(f, FuncOp)]:
            ops: list[Operation] = list(func.walk())
            for o in ops:
                if isinstance(o, DepthwiseConv2DOp) and o.parent is not None:
                    _depthwise_as_conv(o)
            for o in list(func.walk()):
                if isinstance(o, PadOp) and o.parent is not None:
                    _fold_pad(o)


__all__ = ["LegalizeNpuPass"]
