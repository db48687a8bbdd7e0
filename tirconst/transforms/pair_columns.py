"""`tir-pair-columns`: a stride-2 conv over few input channels as a
stride-1 conv over column pairs (Vela's `fixup_strided_conv`).

An NHWC input of C channels and even width W is, byte for byte, an input
of W/2 columns of 2C channels: column pair p holds columns 2p (channels 0
to C - 1) and 2p + 1 (channels C to 2C - 1). A `tir.conv2d` reading it with
a horizontal stride of 2 then reads whole pairs: output column x reads
input columns 2x - left + kx, which are pair x - left' + j, channel block
b, for 2j + b = lead + kx (lead = left mod 2, left' = (left + lead) / 2).
So the op becomes a `tir.conv2d` of stride (sh, 1) over the input seen
(`tir.reshape`) as (1, H, W/2, 2C), with a new filter (O, KH, ceil((lead +
KW) / 2), 2C): the old taps at their pair and channel block, zeros
elsewhere (a zero tap contributes nothing whatever it reads: a
padding column, or a real column the old kernel did not reach). Padding
keeps its meaning: a padded pair is two padded columns. The sums are the
same products, so the result is the same bits.

The NPU's MAC array takes at least 8 input channels per kernel element
(depth first), so one channel wastes most of it: over pairs it does the
same work in about half the kernel steps (fingerprint_signature_generator's
first conv, 5x5 over 180x180x1: 5x3 over 180x90x2; a network's RGB input,
3x3 over 96x96x3: 3x2 over 96x48x6). One channel qualifies wherever it is
read; more only where the input is the function's own (a network's input,
as Vela's legacy core pairs only the network's first op): a feature map an
NPU op writes would have to stay NHWC to be seen as pairs. With
`by-cost=ACCELERATOR` an op is rewritten only where the cycle model says
its fastest block config is faster for it (its weights read from flash or
from SRAM, whichever is faster, in both forms); without, wherever it
applies. Only convs with an undilated kernel, a constant filter and an
even input width qualify (an odd width's last pair would read past a row),
and only where the NPU runs the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import BlockArgument, Operation
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from tirconst.analysis.block_choice import tir_op_cycles
from tirconst.analysis.npu_support import npu_reason
from tirconst.analysis.performance import SystemConfig
from tirconst.dialects.tir import AllocateConstOp, BufferType, ReshapeOp
from tirconst.dialects.tir.buffers import ConstantOp
from tirconst.dialects.tir.convolution_ops import Conv2DOp
from tirconst.formats.ethos_u.weights import ACCELERATORS
from tirconst.transforms.legalize_npu import _drop_if_unused, _fresh_name
from tirconst.transforms.system_options import SystemOptions

NAME = "tir-pair-columns"


def paired_filter(w: np.ndarray, lead: int) -> np.ndarray:
    """The (O, KH, KW, C) filter `w` over column pairs: (O, KH, KP, 2C) with
    KP = ceil((lead + KW) / 2), tap kx at pair (lead + kx) // 2, channels
    ((lead + kx) % 2) * C + c, zeros elsewhere."""
    o, kh, kw, c = w.shape
    kp = -(-(lead + kw) // 2)
    wide = np.zeros((o, kh, 2 * kp, c), w.dtype)
    wide[:, :, lead : lead + kw] = w
    return wide.reshape(o, kh, kp, 2 * c)


def pairable(op: Conv2DOp) -> bool:
    """Whether `op` reads an even width with a horizontal stride of 2, an
    undilated kernel and a constant filter, over one channel or (more) the
    function's own input."""
    shape = op.input.type.get_shape()  # type: ignore[union-attr]
    p = op.params()
    return (
        len(shape) == 4
        and (shape[3] == 1 or isinstance(op.input, BlockArgument))
        and shape[2] % 2 == 0
        and tuple(p["stride"])[1] == 2
        and tuple(p["dilation"]) == (1, 1)
        and tuple(op.filter.type.get_shape())[3] == shape[3]  # type: ignore[union-attr]
        and isinstance(op.filter.owner, AllocateConstOp)
        and op.filter.owner.data is not None
    )


def pair_columns(op: Conv2DOp, module: ModuleOp) -> tuple[Conv2DOp, ConstantOp] | None:
    """Insert the paired form of `op` before it (see the module docstring)
    and its filter's `tir.constant` at the module's top (the NPU rules read
    the filter through it), and return both, `op` left in place; None (and
    nothing inserted) where the NPU would not run it."""
    src = op.filter.owner
    assert isinstance(src, AllocateConstOp)
    n, h, w, c = op.input.type.get_shape()  # type: ignore[union-attr]
    ow = op.output.type.get_shape()[2]  # type: ignore[union-attr]
    p = op.params()
    top, left, bottom, _right = (int(v) for v in p["pad"])
    lead = left % 2
    filt = paired_filter(np.asarray(src.data), lead)
    kp = filt.shape[2]
    left2 = (left + lead) // 2
    # The last output column reads pairs up to ow - 1 - left2 + kp - 1.
    right2 = max(0, ow - 1 - left2 + kp - w // 2)
    block = op.parent_block()
    assert block is not None
    et = op.input.type.element_type  # type: ignore[union-attr]
    view = ReshapeOp(op.input, BufferType((n, h, w // 2, 2 * c), et))
    symbol = src.symbol
    base = f"{symbol.root_reference.data}_pairs" if symbol else "filter_pairs"
    name = _fresh_name(module, base)
    const = ConstantOp(name, filt)
    alloc = AllocateConstOp(name, BufferType(filt.shape, src.buffer_type.element_type))
    params = dict(p)
    params["stride"] = (tuple(p["stride"])[0], 1)
    params["pad"] = (top, left2, bottom, right2)
    conv = Conv2DOp.create_op(
        [view.view, alloc.results[0], op.bias],
        op.output,
        **params,
        **(op.quantization() or {}),
    )
    conv.attributes |= dict(op.attributes)
    for new in (view, alloc, conv):
        block.insert_op_before(new, op)
    module.body.block.insert_op_before(const, module.body.block.first_op)  # type: ignore[arg-type]
    if npu_reason(conv) is not None:
        _erase(conv, const)
        return None
    return conv, const


def _erase(conv: Conv2DOp, const: ConstantOp) -> None:
    """Erase a paired conv with its input view, filter allocation and
    filter constant."""
    view, alloc = conv.input.owner, conv.filter.owner
    for dead in (conv, alloc, view, const):
        assert isinstance(dead, Operation)
        dead.detach()
        dead.erase()


def _faster(new: Conv2DOp, old: Conv2DOp, cfg: SystemConfig) -> bool:
    """Whether the cycle model runs `new` faster than `old` (each with its
    fastest block config, weights from flash or SRAM, whichever is faster)."""

    def best(op: Conv2DOp) -> float:
        return min(
            tir_op_cycles(op, {}, cfg, staged=staged)[0] for staged in (False, True)
        )

    return best(new) < best(old)


@dataclass(frozen=True)
class PairColumnsPass(SystemOptions, ModulePass):
    """A stride-2 `tir.conv2d` over one input channel (or the function's own
    input) of even width as a stride-1 conv over column pairs (the module
    docstring says how), with `by-cost=ACCELERATOR` only where the cycle
    model (for the system `system-config`, `memory-mode` and `config` name:
    `SystemOptions`) says it is faster."""

    name = NAME

    by_cost: str = ""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.by_cost and self.by_cost not in ACCELERATORS:
            raise PassFailedException(
                f"{NAME}: unknown accelerator {self.by_cost!r} for by-cost (known: "
                f"{', '.join(ACCELERATORS)})"
            )
        cfg = self.system(self.by_cost, NAME) if self.by_cost else None
        for conv in [o for o in op.walk() if isinstance(o, Conv2DOp)]:
            if not pairable(conv) or npu_reason(conv) is not None:
                continue
            made = pair_columns(conv, op)
            if made is None:
                continue
            new, const = made
            if cfg is not None and not _faster(new, conv, cfg):
                _erase(new, const)
                continue
            src = conv.filter.owner
            conv.detach()
            conv.erase()
            assert isinstance(src, AllocateConstOp)
            _drop_if_unused(op, src)
