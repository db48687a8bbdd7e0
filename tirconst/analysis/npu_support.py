"""Which tir operator ops the Ethos-U NPU can run exactly, and why not.

`npu_reason(op)` is None for an op that `convert-tir-to-npu` lowers (given a
memory plan, and encoded weights for weighted ops), else the one-line reason
it stays on the CPU. Each operator registers its rule (`@npu_support(Op)`,
the `SUPPORT` table, as xDSL's `@impl` registers an implementation); an
operator without one stays on the CPU ("no NPU lowering yet"). The same answer
serves `tir-legalize-npu`, the weight encoder (only ops that go to the NPU
need encoded weights) and the remark convert-tir-to-npu prints. The facts
are docs/ethos-u.md's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.ir import Attribute, Operation, SSAValue

from tirconst.dialects.npu.attributes import WeightEncodingAttr
from tirconst.dialects.tir import (
    AddOp,
    AvgPool2DOp,
    Conv2DOp,
    CopyOp,
    DepthwiseConv2DOp,
    DequantizeOp,
    EncodedWeightsAttr,
    FullyConnectedOp,
    LogisticOp,
    MaxPool2DOp,
    MeanOp,
    MulOp,
    OperatorOp,
    PadOp,
    QuantizeOp,
    RequantizeOp,
    SoftmaxOp,
    SubOp,
)
from tirconst.dialects.tir.types import BufferType
from tirconst.formats.ethos_u.hardware import (
    MAX_DILATION,
    MAX_DIM,
    MAX_KERNEL_AREA,
    MAX_KERNEL_HEIGHT,
    MAX_POOL_KERNEL,
    MAX_STRIDE,
)

# --------------------------- encoded weights (docs/lowering.md, "Encoded weights")


@dataclass(frozen=True)
class CoreLayout:
    """One core's section of an encoded weight buffer: byte offset and length
    of the bias/scale records and of the weight stream, and how the stream
    was encoded (an `#npu.weight_encoding`)."""

    records_offset: int
    records_length: int
    weights_offset: int
    weights_length: int
    encoding: WeightEncodingAttr


@dataclass(frozen=True)
class EncodedLayout:
    """What `#tir.encoded_weights` says (docs/lowering.md, "Encoded
    weights"): per core a section, and the block config [h, w, depth] the op
    must run with."""

    cores: tuple[CoreLayout, ...]
    block_config: tuple[int, int, int]

    @property
    def shape(self) -> tuple[int, ...]:
        """The OHWI shape given to the encoder (depthwise (C,KH,KW,1), FC
        (Co,1,1,K))."""
        return tuple(self.cores[0].encoding.encoding.shape)


def encoded_attr(op: Operation) -> Attribute | None:
    """The op's `encoded_weights` (a property or an attribute), or None."""
    return op.properties.get("encoded_weights") or op.attributes.get("encoded_weights")


def encoded_layout(op: Operation) -> EncodedLayout:
    """The op's `#tir.encoded_weights` as an EncodedLayout (ValueError if it
    has none, or a core's encoding is not an `#npu.weight_encoding`)."""
    attr = encoded_attr(op)
    if not isinstance(attr, EncodedWeightsAttr):
        raise ValueError("has no #tir.encoded_weights")
    out = []
    for core in attr.cores:
        if not isinstance(core.encoding, WeightEncodingAttr):
            raise ValueError("its encoding is not an #npu.weight_encoding")
        out.append(
            CoreLayout(
                core.bias_offset,
                # The records section is padded to 16 bytes, which is the
                # length the NPU's scale range must have.
                -(-core.bias_length // 16) * 16,
                core.weight_offset,
                core.weight_length,
                core.encoding,
            )
        )
    return EncodedLayout(tuple(out), attr.block)


def hwc(shape: Sequence[int]) -> tuple[int, int, int] | None:
    """A tensor as the NPU's H×W×C (leading 1s added; batch must be 1); None
    when it does not fit (rank > 4, batch > 1, a zero or too large extent)."""
    if len(shape) > 4:
        return None
    full = (1,) * (4 - len(shape)) + tuple(int(d) for d in shape)
    if full[0] != 1 or any(d < 1 or d > MAX_DIM for d in full[1:]):
        return None
    return full[1], full[2], full[3]


def _shape(v: SSAValue) -> tuple[int, ...]:
    assert isinstance(v.type, BufferType)
    return tuple(v.type.get_shape())


def _window_reason(
    kernel: Sequence[int],
    stride: Sequence[int],
    dilation: Sequence[int],
    pad: Sequence[int],
    conv: bool,
) -> str | None:
    (kh, kw), (sy, sx), (dy, dx) = kernel, stride, dilation
    if max(sy, sx) > MAX_STRIDE:
        return f"stride {[sy, sx]} exceeds the NPU's limit of {MAX_STRIDE}"
    dkh, dkw = (kh - 1) * dy + 1, (kw - 1) * dx + 1
    if conv:
        if max(dy, dx) > MAX_DILATION:
            return f"dilation {[dy, dx]} exceeds the NPU's limit of {MAX_DILATION}"
        if dkh > MAX_KERNEL_HEIGHT or dkh * dkw > MAX_KERNEL_AREA:
            return f"dilated kernel {dkh}x{dkw} exceeds the NPU's limits"
    elif max(kh, kw) > MAX_POOL_KERNEL:
        return f"pooling window {[kh, kw]} exceeds the NPU's {MAX_POOL_KERNEL}"
    top, left, bottom, right = pad
    if max(top, bottom) >= dkh or max(left, right) >= dkw:
        return f"padding {list(pad)} is not smaller than the kernel {dkh}x{dkw}"
    return None


def _shapes_reason(op: OperatorOp, values: Sequence[SSAValue]) -> str | None:
    for v in values:
        if hwc(_shape(v)) is None:
            return f"shape {list(_shape(v))} is not an NPU feature map (H×W×C, batch 1)"
    return None


def binary_broadcast(op: OperatorOp) -> tuple[bool, str | None]:
    """(swap operands?, reason): the NPU broadcasts IFM2 only, so the full-shape
    operand must be IFM; with both broadcasting the op stays on the CPU."""
    lhs, rhs, out = _shape(op.lhs), _shape(op.rhs), _shape(op.output)  # type: ignore[attr-defined]
    rank = len(out)
    pad = lambda s: (1,) * (rank - len(s)) + s  # noqa: E731
    if pad(lhs) == out:
        return False, None
    if pad(rhs) == out:
        return True, None
    return False, "both operands broadcast (the NPU broadcasts only its second)"


SupportRule = Callable[[Any], "str | None"]
SUPPORT: dict[type[Operation], SupportRule] = {}
"""Operator op class -> its rule: None if the NPU runs the op exactly (and
convert-tir-to-npu has its lowering), else why it stays on the CPU. One
registration per operator (`npu_support`); a class without one stays on the
CPU."""


def npu_support(*classes: type[Operation]) -> Callable[[SupportRule], SupportRule]:
    """Register the decorated rule for `classes` (a user's pass may add its
    own operator's)."""

    def register(rule: SupportRule) -> SupportRule:
        for cls in classes:
            SUPPORT[cls] = rule
        return rule

    return register


def npu_reason(op: Operation) -> str | None:
    """None if the NPU can run `op` exactly, else why it stays on the CPU."""
    if not isinstance(op, OperatorOp):
        return f"{op.name}: not an operator the NPU runs"
    rule = SUPPORT.get(type(op))
    if rule is None:
        return f"{op.name[4:]}: no NPU lowering yet"
    if not all(
        isinstance(v.type, BufferType)
        for v in [*op.input_values(), op.output]  # type: ignore[attr-defined]
    ):
        return "operands are not buffers"
    return rule(op)


# ---------------------------------------------------------------- the rules


SOFTMAX_CONSTANTS = (12, 35, 1, 2**30, 2**31 - 1, -1010580540, 1515870810, 2**29, 4, 2)
"""The int32 operands of the NPU softmax's elementwise steps (shift by 12,
35 = 12 + 31 − 8, one, 2^30, Q0.31 one, −32/17 and 48/17 in Q2.29, Q2.29
one, 4, 2), one word each after the 256 exponentials of the table (an
int32 feature map needs 4-byte alignment): `tir-legalize-npu` appends them,
convert-tir-to-npu reads them."""
SOFTMAX_TABLE_WORDS = 256 + len(SOFTMAX_CONSTANTS)
SOFTMAX_BLOCK_OPS = 31
"""NPU block ops (not DMA) the softmax lowering emits."""


def softmax_rows(op: SoftmaxOp) -> tuple[int, int]:
    """(rows, channels): the softmax runs over the last axis of each row."""
    shape = _shape(op.input)
    c = shape[-1] if shape else 1
    return int(np.prod(shape[:-1], dtype=np.int64)) if len(shape) > 1 else 1, c


def softmax_shape_reason(op: SoftmaxOp) -> str | None:
    """None if the NPU sequence can run a softmax of this shape exactly."""
    rows, c = softmax_rows(op)
    if c > MAX_POOL_KERNEL:
        return (
            f"softmax over {c} channels: the row maximum is one pooling window "
            f"of at most {MAX_POOL_KERNEL}"
        )
    if rows > MAX_DIM - 1:
        return f"softmax of {rows} rows exceeds the NPU's {MAX_DIM - 1}"
    return None


def softmax_workspace(rows: int, channels: int) -> tuple[dict[str, int], int]:
    """Byte offsets of the NPU softmax's intermediates in its workspace, and
    its size: the int8 row maxima, two int32 maps of the input's shape
    (exponentials; shifted exponentials, later the scaled ones), and eight
    int32 values per row, each 16-byte aligned."""

    def up(n: int) -> int:
        return -(-n // 16) * 16

    offsets, at = {}, 0
    for name, size in (("max", rows), ("exp", 4 * rows * channels),
                       ("scaled", 4 * rows * channels)):  # fmt: skip
        offsets[name], at = at, at + up(size)
    for name in ("sum", "clz", "right_shift", "headroom", "half_denominator",
                 "x", "a", "b"):  # fmt: skip
        offsets[name], at = at, at + up(4 * rows)
    return offsets, at


@npu_support(SoftmaxOp)
def _softmax(op: SoftmaxOp) -> str | None:
    """Vela's int8 softmax sequence computes TFLite's integer softmax, which
    tir.softmax is, exactly (docs/lowering.md)."""
    why = softmax_shape_reason(op)
    if why is not None:
        return why
    if op.workspace is None or _shape(op.table) != (SOFTMAX_TABLE_WORDS,):
        return "softmax: no NPU workspace and constants (run tir-legalize-npu)"
    rows, c = softmax_rows(op)
    if _shape(op.workspace) != (softmax_workspace(rows, c)[1],):
        return "softmax: its workspace does not have the NPU sequence's size"
    return None


@npu_support(QuantizeOp, DequantizeOp)
def _float(op: QuantizeOp | DequantizeOp) -> str | None:
    return f"{op.name[4:]}: float data (the NPU has no float support)"


@npu_support(MeanOp)
def _mean(op: MeanOp) -> str | None:
    return (
        "mean: only a spatial mean (axes 1 and 2) is lowered, as "
        "tir-legalize-npu's depthwise sum"
    )


@npu_support(PadOp)
def _pad(op: PadOp) -> str | None:
    return "pad: not folded into a following convolution (tir-legalize-npu)"


@npu_support(Conv2DOp, DepthwiseConv2DOp)
def _conv(op: Conv2DOp | DepthwiseConv2DOp) -> str | None:
    if (
        isinstance(op, DepthwiseConv2DOp)
        and op.depth_multiplier != 1
        and _shape(op.input)[-1] != 1
    ):
        # With one input channel it is a plain conv (tir-legalize-npu).
        return "depthwise with a depth multiplier and several input channels"
    why = _shapes_reason(op, [op.input, op.output])
    if why:
        return why
    if isinstance(op, Conv2DOp) and op.filter is not None:
        ci, fi = _shape(op.input)[-1], _shape(op.filter)[-1]
        if len(_shape(op.filter)) == 4 and ci != fi:
            return (
                f"grouped convolution ({ci} input channels, {fi} per filter): "
                "the NPU convolves every input channel"
            )
    if op.filter is not None and len(_shape(op.filter)) == 4:
        kh, kw = _shape(op.filter)[1:3]
    else:
        if encoded_attr(op) is None:
            return None  # nothing to check the kernel against
        kh, kw = encoded_layout(op).shape[1:3]
    return _window_reason((kh, kw), op.stride, op.dilation, op.pad, conv=True)


@npu_support(FullyConnectedOp)
def _fully_connected(op: FullyConnectedOp) -> str | None:
    rows = _shape(op.output)[-1]
    numel = int(np.prod(_shape(op.output)))
    if numel // rows > MAX_DIM:
        return "more rows than an NPU feature map is wide"
    return None


@npu_support(MaxPool2DOp, AvgPool2DOp)
def _pool(op: MaxPool2DOp | AvgPool2DOp) -> str | None:
    why = _shapes_reason(op, [op.input, op.output])
    if why:
        return why
    if isinstance(op, AvgPool2DOp) and any(op.pad):
        return (
            "padded average pool: the NPU's padded average is not TFLite's "
            "(which does not count the padding)"
        )
    return _window_reason(op.window, op.stride, (1, 1), op.pad, False)


@npu_support(AddOp, SubOp, MulOp)
def _binary(op: AddOp | SubOp | MulOp) -> str | None:
    if op.quantization() is None:
        return (
            f"{op.name[4:]} without float scales (Vela derives its registers from them)"
        )
    why = _shapes_reason(op, [op.lhs, op.rhs, op.output])
    return why or binary_broadcast(op)[1]


@npu_support(RequantizeOp)
def _requantize(op: RequantizeOp) -> str | None:
    shift = 31 - op.shift
    if not 0 <= shift <= 63:
        return f"requantize shift {op.shift} is out of the NPU's range"
    return _shapes_reason(op, [op.input, op.output])


@npu_support(LogisticOp)
def _logistic(op: LogisticOp) -> str | None:
    return _shapes_reason(op, [op.input, op.output])


@npu_support(CopyOp)
def _copy(op: CopyOp) -> str | None:
    return None  # alignment is checked against the memory plan
