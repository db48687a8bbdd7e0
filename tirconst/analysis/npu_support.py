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

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.ir import Attribute, Operation, SSAValue

from tirconst.dialects.npu.attributes import WeightEncodingAttr
from tirconst.dialects.tir import (
    AddOp,
    ArgMaxOp,
    AvgPool2DOp,
    BatchMatmulOp,
    ConcatenationOp,
    Conv2DOp,
    CopyOp,
    DepthwiseConv2DOp,
    DequantizeOp,
    EncodedWeightsAttr,
    FullyConnectedOp,
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
    QuantizeOp,
    ReduceMaxOp,
    ReduceMinOp,
    RequantizeOp,
    ResizeBilinearOp,
    ResizeNearestOp,
    ReverseOp,
    SequenceLstmOp,
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
from tirconst.dialects.tir.buffers import (
    AllocateConstOp,
    AllocateOp,
    DeclBufferOp,
    ReshapeOp,
    is_strided_view,
)
from tirconst.dialects.tir.elementwise_ops import SOFTMAX_INT16_TABLE
from tirconst.dialects.tir.traits import KeptAsIs, ViewLike
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
        """The OHWI shape of the weights over all cores (each core's encoder
        has its channels of it; depthwise (C,KH,KW,1), FC (Co,1,1,K))."""
        first = tuple(self.cores[0].encoding.encoding.shape)
        channels = sum(c.encoding.encoding.shape[0] for c in self.cores)
        return (channels, *first[1:])


def encoded_attr(op: Operation) -> Attribute | None:
    """The op's `encoded_weights` property, or None."""
    return op.properties.get("encoded_weights")


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
                core.records_length,
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


def pointwise_hwc(shape: Sequence[int]) -> tuple[int, int, int] | None:
    """A dense tensor an elementwise op reads and writes alike as an NPU
    feature map: `hwc`, or with batch and leading axes folded into the
    height (element order is all that matters); None when too large."""
    dims = hwc(shape)
    if dims is not None or len(shape) < 4:
        return dims
    h = int(np.prod(shape[:-2]))
    return hwc((h, *shape[-2:]))


def _shape(v: SSAValue | None) -> tuple[int, ...]:
    assert v is not None and isinstance(v.type, BufferType)
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
    lhs, rhs = (_shape(op.input_named(n)) for n in ("lhs", "rhs"))
    out = _shape(op.output)
    rank = len(out)
    pad = lambda s: (1,) * (rank - len(s)) + s  # noqa: E731
    if pad(lhs) == out:
        return False, None
    if pad(rhs) == out:
        return True, None
    return False, "both operands broadcast (the NPU broadcasts only its second)"


def broadcast_tile(op: OperatorOp) -> tuple[str, tuple[int, ...]] | str | None:
    """Both operands of an elementwise op broadcast (the NPU broadcasts its
    second only): the operand tir-legalize-npu tiles to the output shape
    first, as Vela's regor materialises one of them, and its `multiples`
    (over its shape with leading 1s added), the one of fewer copies (the
    lhs on a tie); else why neither can be; None if at most one
    broadcasts. The tile is NPU copies (`gather_runs`), so it needs int8
    or int16 data, dense NPU feature maps and at most `MAX_GATHER_PARTS`
    copies along an axis."""
    if binary_broadcast(op)[1] is None:
        return None
    dtype = str(op.buffer_type(op.output).dtype)
    if dtype not in ("int8", "int16"):
        return f"{dtype} data (the NPU copies int8 and int16 feature maps)"
    out = _shape(op.output)
    if hwc(out) is None or is_strided_view(op.output):
        return f"output {list(out)} is not a dense NPU feature map"
    best: tuple[int, str, tuple[int, ...]] | None = None
    why = ""
    for role in ("lhs", "rhs"):
        v = op.input_named(role)
        full = (1,) * (len(out) - len(_shape(v))) + _shape(v)
        multiples = tuple(o // d for o, d in zip(out, full, strict=True))
        if hwc(full) is None or is_strided_view(v):
            why = f"{role} {list(full)} is not a dense NPU feature map"
        elif max(multiples) > MAX_GATHER_PARTS:
            why = f"tiling {role} takes {max(multiples)} copies along an axis"
        elif best is None or sum(multiples) < best[0]:
            best = (sum(multiples), role, multiples)
    if best is None:
        return f"neither tiles to the output on the NPU ({why})"
    return best[1], best[2]


def _elementwise_broadcast_reason(op: OperatorOp) -> str | None:
    """binary_broadcast's reason, for an op tir-legalize-npu can give one
    operand tiled to the output shape (`broadcast_tile`)."""
    why = binary_broadcast(op)[1]
    if why is None:
        return None
    plan = broadcast_tile(op)
    if isinstance(plan, str):
        return f"both operands broadcast and {plan}"
    return "both operands broadcast: run tir-legalize-npu (it tiles one first)"


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


def _has_float(op: OperatorOp) -> bool:
    """Whether an operand of `op` holds float data (float32 NEG, ...)."""
    return any(
        isinstance(v.type, BufferType) and v.type.dtype.kind == "f"
        for v in [*op.input_values(), op.output]
    )


TRANSPARENT = (AllocateOp, AllocateConstOp, DeclBufferOp, ReshapeOp)
"""Ops that neither compute nor touch bytes: they do not end an NPU segment
(with `arith.constant`, named in `transparent`)."""


def transparent(op: Operation) -> bool:
    # arith.constant by name: xdsl's arith dialect costs 40 ms to import
    return isinstance(op, TRANSPARENT) or op.name == "arith.constant"


def stays_on_cpu(
    op: Operation, reason: Callable[[Operation], str | None] | None = None
) -> bool:
    """Whether `convert-tir-to-npu` leaves `op` to the CPU: it touches bytes
    (it is not `transparent`) and the NPU cannot run it exactly
    (`npu_reason`, or `reason` remembering it: any op but a supported
    operator)."""
    return not transparent(op) and (reason or npu_reason)(op) is not None


def npu_reason(op: Operation) -> str | None:
    """None if the NPU can run `op` exactly, else why it stays on the CPU."""
    if not isinstance(op, OperatorOp):
        return f"{op.name}: not an operator the NPU runs"
    kept = op.get_trait(KeptAsIs)
    if kept is not None:  # whatever its types
        what = "a TFLite operator tirconst does not import (kept as it is)"
        return f"{kept.kind(op)}: {what}"
    if _has_float(op):
        return _float(op)  # type: ignore[arg-type]
    rule = SUPPORT.get(type(op))
    if rule is None:
        return f"{op.name[4:]}: no NPU lowering yet"
    if not all(isinstance(v.type, BufferType) for v in [*op.input_values(), op.output]):
        return "operands are not buffers"
    return rule(op)


def reason_inputs(op: Operation) -> list[Any]:
    """What `npu_reason(op)` may read, as objects compared by identity: the
    op's class, properties and attributes (immutable: a changed one is a new
    object), and for each operand the value, its type, and the chain of its
    defining ops through views (`ViewLike`) to the root, each with its
    properties and attributes and the value it views. Module constants a
    root names are not followed (no pass that asks changes them)."""
    out: list[Any] = [type(op), *op.properties.values(), "|"]
    out += op.attributes.values()
    for v in op.operands:
        while True:
            owner = v.owner
            out += ("|", v, v.type, owner)
            if not isinstance(owner, Operation):
                break
            out += owner.properties.values()
            out.append("|")
            out += owner.attributes.values()
            view = owner.get_trait(ViewLike)
            if view is None:
                break
            v = view.source(owner)
    return out


class NpuReasons:
    """`npu_reason` per op, remembered while nothing it may read changed
    (`reason_inputs`), for a pass that asks it of the same ops again and
    again while it rewrites the program around them (tir-data-views asks
    for every op between a slice's readers). An op whose operands, their
    views or its attributes changed is asked again."""

    def __init__(self) -> None:
        self._known: dict[Operation, tuple[list[Any], str | None]] = {}

    def __call__(self, op: Operation) -> str | None:
        inputs = reason_inputs(op)
        hit = self._known.get(op)
        if (
            hit is not None
            and len(hit[0]) == len(inputs)
            and all(a is b for a, b in zip(hit[0], inputs, strict=True))
        ):
            return hit[1]
        reason = npu_reason(op)
        self._known[op] = (inputs, reason)
        return reason


# ---------------------------------------------------------------- the rules


def int16_reason(op: OperatorOp, what: str) -> str | None:
    """Why a 16x8 operator (int16 feature maps) stays on the CPU: it has no
    NPU lowering yet (None for int8 data)."""
    values = [*op.input_values(), op.output]
    if any(str(op.buffer_type(v).dtype) == "int16" for v in values):
        return f"{what}: int16 data (no 16x8 NPU lowering yet)"
    return None


SOFTMAX_CONSTANTS = (12, 35, 1, 2**30, 2**31 - 1, -1010580540, 1515870810, 2**29, 4, 2)
"""The int32 operands of the NPU softmax's elementwise steps (shift by 12,
35 = 12 + 31 − 8, one, 2^30, Q0.31 one, −32/17 and 48/17 in Q2.29, Q2.29
one, 4, 2), one word each after the 256 exponentials of the table (an
int32 feature map needs 4-byte alignment): `tir-legalize-npu` appends them,
convert-tir-to-npu reads them."""
SOFTMAX_TABLE_WORDS = 256 + len(SOFTMAX_CONSTANTS)
SOFTMAX_BLOCK_OPS = 31
"""NPU block ops (not DMA) the softmax lowering emits up to 256 channels
(one pool takes the row maximum)."""
SOFTMAX_SHIFT_CHANNELS = 512
"""From 512 channels a row's sum of exponentials (each at most 2^19 in
Q12.19) can reach 2^28 and the final shift 35 − clz pass 31: LiteRT's
reference kernel asserts there, tir.softmax's kernel shifts by the larger
amount (the row is the output zero point), and the NPU sequence zeroes the
row's reciprocal first (three more ops) so that it gives the same."""
SOFTMAX_MAX_CHANNELS = 4095
"""The most channels whose sum of exponentials stays within int32 (4095 ·
2^19 < 2^31): LiteRT wraps the sum, the NPU's REDUCE_SUM saturates."""


def softmax_rows(op: SoftmaxOp | SoftmaxInt16Op) -> tuple[int, int]:
    """(rows, channels): the softmax runs over the last axis of each row."""
    shape = _shape(op.input)
    c = shape[-1] if shape else 1
    return int(np.prod(shape[:-1], dtype=np.int64)) if len(shape) > 1 else 1, c


def softmax_max_windows(channels: int) -> list[tuple[int, int]]:
    """The (first channel, count) of each pooling window the NPU takes a
    row's maximum over: the whole row up to 256 channels, else windows of
    256 (the last shorter), whose maxima a second pool reduces."""
    step = MAX_POOL_KERNEL
    return [(at, min(step, channels - at)) for at in range(0, channels, step)]


def softmax_block_ops(channels: int) -> int:
    """NPU block ops (not DMA) of the softmax lowering for a row of
    `channels`: SOFTMAX_BLOCK_OPS, one more pool per window beyond the
    first (`softmax_max_windows`: k windows and the pool of their maxima),
    and from SOFTMAX_SHIFT_CHANNELS the three ops zeroing a reciprocal."""
    windows = len(softmax_max_windows(channels))
    extra = windows if windows > 1 else 0
    return SOFTMAX_BLOCK_OPS + extra + 3 * (channels >= SOFTMAX_SHIFT_CHANNELS)


def softmax_shape_reason(
    op: SoftmaxOp | SoftmaxInt16Op, max_channels: int
) -> str | None:
    """None if the NPU sequence can run a softmax of this shape exactly:
    rows of at most `max_channels` (SOFTMAX_MAX_CHANNELS for int8,
    SOFTMAX16_MAX_CHANNELS for int16; the row maximum is a pool of the
    pools over windows of 256 beyond 256) and at most MAX_DIM - 1 rows."""
    rows, c = softmax_rows(op)
    if c > max_channels:
        why = (
            f"the sum of exponentials could pass int32 beyond {max_channels} "
            "(LiteRT wraps, the NPU not)"
            if max_channels == SOFTMAX_MAX_CHANNELS
            else f"a row exceeds the NPU's {max_channels}"
        )
        return f"softmax over {c} channels: {why}"
    if rows > MAX_DIM - 1:
        return f"softmax of {rows} rows exceeds the NPU's {MAX_DIM - 1}"
    return None


def softmax_workspace(rows: int, channels: int) -> tuple[dict[str, int], int]:
    """Byte offsets of the NPU softmax's intermediates in its workspace, and
    its size: the int8 row maxima, two int32 maps of the input's shape
    (exponentials; shifted exponentials, later the scaled ones), and eight
    int32 values per row, each 16-byte aligned; over 256 channels first the
    int8 maxima of each row's windows (`softmax_max_windows`)."""

    def up(n: int) -> int:
        return -(-n // 16) * 16

    offsets, at = {}, 0
    windows = len(softmax_max_windows(channels))
    if windows > 1:
        offsets["partial"], at = 0, up(rows * windows)
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
    tir.softmax is, exactly (docs/lowering.md), over rows of up to 4095
    channels (the row maximum a pool of pools over 256, the sum within
    int32)."""
    why = softmax_shape_reason(op, SOFTMAX_MAX_CHANNELS)
    if why is not None:
        return why
    if op.workspace is None or _shape(op.table) != (SOFTMAX_TABLE_WORDS,):
        return "softmax: no NPU workspace and constants (run tir-legalize-npu)"
    rows, c = softmax_rows(op)
    if _shape(op.workspace) != (softmax_workspace(rows, c)[1],):
        return "softmax: its workspace does not have the NPU sequence's size"
    return None


SOFTMAX16_CONSTANTS = (32767, 31, 1, 15, 32768)
"""The int32 operands of the NPU int16 softmax's elementwise steps after the
op's input multiplier (the exp table's offset 32767, 31 for the right
shift, one, the shift by 15, the reciprocal table's offset 32768), one word
each after the multiplier, after the two tables (`softmax_int16_npu_table`)."""
SOFTMAX16_LUTS = 2064
"""Byte offset of the NPU's two 2048-byte tables in a legalized
`tir.softmax_int16` table: LiteRT's 1026 int16 entries, padded to 16 bytes."""
SOFTMAX16_WORDS = SOFTMAX16_LUTS + 2 * 2048
"""Byte offset of the int32 words (the input multiplier, then
SOFTMAX16_CONSTANTS) in a legalized `tir.softmax_int16` table."""
SOFTMAX16_TABLE = (SOFTMAX16_WORDS + 4 * (1 + len(SOFTMAX16_CONSTANTS))) // 2
"""int16 entries of a legalized `tir.softmax_int16` table."""
SOFTMAX16_MAX_CHANNELS = MAX_DIM
"""Channels of an int16 softmax row the NPU runs: the NPU's dimension limit.
Within it nothing wraps: the sum of exponentials is at most 65536 · 32767
< 2^31, the product of exponential and reciprocal below 2^30, the final
shift 31 − clz within 14..30, and the row maximum's windows of 256 at most 256
(`softmax_max_windows`)."""


def softmax_int16_block_ops(channels: int) -> int:
    """NPU block ops (not DMA) of the int16 softmax lowering for a row of
    `channels`: 14, and over 256 channels one more pool per window
    (`softmax_max_windows`: k windows and the pool of their maxima)."""
    windows = len(softmax_max_windows(channels))
    return 14 + (windows if windows > 1 else 0)


def interpolating_table(lut: np.ndarray) -> np.ndarray:
    """LiteRT's 513-entry int16 table as the NPU's 16-bit interpolating
    one: 512 words `slope << 16 | base`, base the entry and slope the int16
    difference to the next (as LiteRT's lookup wraps it), each 16 bits."""
    t = np.asarray(lut, np.int64).reshape(-1)
    if t.size != 513:
        raise ValueError(f"an interpolating table has 513 entries, got {t.size}")
    base, slope = t[:512], (t[1:] - t[:512]) & 0xFFFF
    return ((slope << 16) | (base & 0xFFFF)).astype(np.uint32)


def softmax_int16_npu_table(table: np.ndarray, multiplier: int) -> np.ndarray:
    """The int16 table tir-legalize-npu gives a `tir.softmax_int16` the NPU
    runs: LiteRT's 1026 entries (what the kernel reads) padded to
    SOFTMAX16_LUTS bytes, its exp and 1 / (1 + x) tables as the NPU's
    interpolating tables (`interpolating_table`), then the int32 words (the
    input multiplier, SOFTMAX16_CONSTANTS), all little-endian."""
    t = np.asarray(table, np.int16).reshape(-1)[:SOFTMAX_INT16_TABLE]
    words = np.array([multiplier, *SOFTMAX16_CONSTANTS], np.int64).astype("<i4")
    pad = np.zeros(SOFTMAX16_LUTS // 2 - t.size, np.int16)
    parts = [t.astype("<i2").tobytes(), pad.tobytes()]
    parts += [
        interpolating_table(t[k : k + 513]).astype("<u4").tobytes() for k in (0, 513)
    ]
    data = np.frombuffer(b"".join([*parts, words.tobytes()]), "<i2").astype(np.int16)
    assert data.size == SOFTMAX16_TABLE
    return data


def softmax_int16_workspace(rows: int, channels: int) -> tuple[dict[str, int], int]:
    """Byte offsets of the NPU int16 softmax's intermediates in its
    workspace, and its size: the int16 row maxima, an int32 map of the
    input's shape (the scaled differences, later the products of
    exponential and reciprocal), the int16 exponentials; per row the int32
    sum, its clz, the right shift and the normalized sum, and the int16
    reciprocal; each 16-byte aligned; over 256 channels first the int16
    maxima of each row's windows (`softmax_max_windows`)."""
    n = rows * channels
    offsets, at = {}, 0
    windows = len(softmax_max_windows(channels))
    if windows > 1:
        offsets["partial"], at = 0, -(-2 * rows * windows // 16) * 16
    for name, size in (("max", 2 * rows), ("scaled", 4 * n), ("exp", 2 * n),
                       ("sum", 4 * rows), ("clz", 4 * rows),
                       ("right_shift", 4 * rows), ("norm", 4 * rows),
                       ("recip", 2 * rows)):  # fmt: skip
        offsets[name], at = at, at + -(-size // 16) * 16
    return offsets, at


def softmax_int16_reason(op: SoftmaxInt16Op) -> str | None:
    """None if the NPU int16 sequence can run this softmax exactly."""
    why = softmax_shape_reason(op, SOFTMAX16_MAX_CHANNELS)
    if why is None and op.input_left_shift > 15:
        why = (
            f"softmax_int16: input shift {op.input_left_shift} exceeds 15 "
            "(LiteRT's shifted difference wraps int32)"
        )
    return why


@npu_support(SoftmaxInt16Op)
def _softmax_int16(op: SoftmaxInt16Op) -> str | None:
    """Vela's int16 softmax sequence, through two 16-bit interpolating
    tables (exp and 1 / (1 + x), LiteRT's own gen_lut tables), computes
    LiteRT's SoftmaxInt16 exactly (docs/lowering.md): up to 65536
    channels (SOFTMAX16_MAX_CHANNELS) and 65535 rows, and an input shift
    (from input scale · beta) of at most 15, where LiteRT's difference ·
    2^shift cannot wrap int32."""
    why = softmax_int16_reason(op)
    if why is not None:
        return why
    if op.workspace is None or _shape(op.table) != (SOFTMAX16_TABLE,):
        return "softmax_int16: no NPU workspace and tables (run tir-legalize-npu)"
    rows, c = softmax_rows(op)
    if _shape(op.workspace) != (softmax_int16_workspace(rows, c)[1],):
        return "softmax_int16: its workspace does not have the NPU sequence's size"
    return None


@npu_support(QuantizeOp, DequantizeOp)
def _float(op: QuantizeOp | DequantizeOp) -> str | None:
    """Float data stays on the CPU (the NPU has no float support)."""
    return f"{op.name[4:]}: float data (the NPU has no float support)"


# ------------------------------------------- reductions as one window op


@dataclass(frozen=True)
class ReductionWindow:
    """A reduction over some axes of a dense tensor as one NPU window op:
    the input seen as the NHWC feature map `view` (1, A, B, C), a `window`
    (kh, kw) with stride 1 and no padding, the output seen as `out_view`
    (1, A / kh, B / kw, C). Reshapes are free, so only the row-major order
    matters: the reduced axes (extent-1 axes aside) must be contiguous."""

    view: tuple[int, int, int, int]
    window: tuple[int, int]

    @property
    def out_view(self) -> tuple[int, int, int, int]:
        _, a, b, c = self.view
        return (1, a // self.window[0], b // self.window[1], c)

    @property
    def count(self) -> int:
        return self.window[0] * self.window[1]


@dataclass(frozen=True)
class DepthwiseSum:
    """A reduction (MEAN, SUM) as one NPU depthwise convolution over
    `window`: every filter tap `weight`, every channel's bias `bias`, the
    accumulator Σ weight · (x − input_zp) + bias requantized by
    (`multiplier`, `shift`) with TFL rounding, + output_zp, saturated."""

    window: ReductionWindow
    multiplier: int
    shift: int
    weight: int = 1
    bias: int = 0


def reduction_window(
    shape: Sequence[int],
    axes: Sequence[int],
    max_height: int,
    max_width: int,
    max_area: int,
) -> ReductionWindow | str:
    """The window op that reduces `axes` of `shape` (the reason it cannot
    be one, else). Outer (kept) elements before the reduced axes become rows,
    the reduced elements R a window, the kept elements after them channels:
    (1, outer, R, inner) with a 1×R window; with outer = 1 the reduced
    elements may fill rows and columns (1, a, b, inner) with an a×b window
    (the first reduced axis as rows first, as a spatial mean of NHWC is),
    so pools reach R = 256 × 256 within their 256 limits."""
    rank = len(shape)
    red = {int(a) % rank for a in axes} if rank else set()
    live = [i for i in range(rank) if shape[i] > 1]
    pos = [k for k, i in enumerate(live) if i in red]
    if pos and pos != list(range(pos[0], pos[-1] + 1)):
        return f"reduced axes {sorted(red)} of shape {list(shape)} are not contiguous"
    first = pos[0] if pos else 0  # nothing to reduce: all channels
    last = pos[-1] + 1 if pos else 0
    outer = int(np.prod([shape[i] for i in live[:first]], dtype=np.int64))
    r = int(np.prod([shape[i] for i in live[first:last]], dtype=np.int64))
    inner = int(np.prod([shape[i] for i in live[last:]], dtype=np.int64))
    if r > max_area:
        return f"{r} reduced elements exceed the NPU's window of {max_area}"
    candidates: list[tuple[int, int]] = []
    if outer == 1 and pos:
        lead = shape[live[first]]
        candidates.append((lead, r // lead))
        candidates += [(a, r // a) for a in range(max_height, 0, -1) if r % a == 0]
    candidates.append((1, r))
    for kh, kw in candidates:
        view = (1, outer * kh, kw, inner)
        if kh <= max_height and kw <= max_width and hwc(view) is not None:
            return ReductionWindow(view, (kh, kw))
    return (
        f"reducing {r} elements of shape {list(shape)} fits no NPU window "
        f"(at most {max_height} rows, {max_width} columns, extents {MAX_DIM})"
    )


def _view_reason(*values: SSAValue) -> str | None:
    for v in values:
        if is_strided_view(v):
            return "a strided view cannot be reshaped into an NPU window"
    return None


def _depthwise_sum_window(op: MeanOp | SumOp) -> ReductionWindow | str:
    """The window of the depthwise sum (docs/ethos-u.md) that reduces a
    mean's or a sum's axes, within the depthwise's kernel limits; else why
    not (named after the op)."""
    name = op.name[4:]
    why = _view_reason(op.input, op.output)
    if why:
        return f"{name}: {why}"
    plan = reduction_window(
        _shape(op.input),
        op.axes,
        MAX_KERNEL_HEIGHT,
        MAX_KERNEL_AREA,
        MAX_KERNEL_AREA,
    )
    if isinstance(plan, str):
        return f"{name}: {plan}"
    if plan.count * 256 >= 2**31:
        return f"{name}: its sum could wrap int32"
    return plan


def _npu_scale_reason(name: str, m: int, sh: int) -> str | None:
    if not 0 <= 31 - sh <= 63 or not 0 <= m < 2**31:
        return f"{name}: its scale ({m}, {sh}) is outside the NPU's 32-bit scale"
    return None


def mean_window(op: MeanOp) -> DepthwiseSum | str:
    """A mean as the NPU's depthwise sum (docs/ethos-u.md): its window,
    and the readapted (multiplier, shift) with 1/count folded in; else why
    not. `tir-legalize-npu` rewrites with it."""
    from tirconst.kernels.reduce import mean_readapted_multiplier

    why = int16_reason(op, "mean")
    if why:
        return why
    plan = _depthwise_sum_window(op)
    if isinstance(plan, str):
        return plan
    m, sh = mean_readapted_multiplier(op.multiplier, op.shift, plan.count)
    return _npu_scale_reason("mean", m, sh) or DepthwiseSum(plan, m, sh)


def _affine_steps(
    total: np.ndarray, want: np.ndarray, output_zp: int, scale: float
) -> tuple[float, float, float] | None:
    """(r, lo, hi): a real multiplier r and the open interval (lo, hi) of
    offsets d for which clamp(round(r · S + d) + output_zp) is `want` on
    every sum S of the consecutive `total`, no r · S + d on a half (so
    any rounding of halves agrees); r is the one with the widest interval
    (the interval's width is concave in r: a ternary search between scale
    / 2 and 2 · scale). None: `want` is not non-decreasing, or no (r, d)
    does it."""
    y = want.astype(np.int64) - int(output_zp)
    if np.any(np.diff(y) < 0):
        return None
    step = np.flatnonzero(np.diff(y) > 0) + 1
    # r·S + d > y(S) − ½ where y steps up at S (or at the first sum, unless
    # saturated); r·S + d < y(S) + ½ just before a step (or at the last).
    low_s, low_e = total[step], y[step] - 0.5
    high_s, high_e = total[step - 1], y[step - 1] + 0.5
    if want[0] > -128:
        low_s, low_e = np.append(low_s, total[0]), np.append(low_e, y[0] - 0.5)
    if want[-1] < 127:
        high_s, high_e = np.append(high_s, total[-1]), np.append(high_e, y[-1] + 0.5)
    low_s, high_s = low_s.astype(np.float64), high_s.astype(np.float64)

    def interval(r: float) -> tuple[float, float]:
        lo = float(np.max(low_e - r * low_s)) if low_s.size else -math.inf
        hi = float(np.min(high_e - r * high_s)) if high_s.size else math.inf
        return lo, hi

    a, b = scale / 2, scale * 2
    for _ in range(200):
        m1, m2 = a + (b - a) / 3, b - (b - a) / 3
        (l1, h1), (l2, h2) = interval(m1), interval(m2)
        if h1 - l1 < h2 - l2:
            a = m1
        else:
            b = m2
    r = (a + b) / 2
    lo, hi = interval(r)
    return (r, lo, hi) if lo < hi else None


@functools.lru_cache(maxsize=256)
def sum_depthwise(
    scale: float, input_zp: int, output_zp: int, count: int
) -> tuple[int, int, int, int] | str:
    """(weight, bias, multiplier, shift) of the NPU depthwise sum that gives
    LiteRT's int8 SUM of `count` values (`kernels.reduce_sum`: the int32 sum
    S rescaled in float32) on every reachable sum, or why none does.

    First QuantizeMultiplier(scale) with weight 1 and no bias. LiteRT's
    float32 rounding (of S · scale and of the zero point's bias) can move
    an output step by one sum; the steps are then those of round(r · S +
    d) for a real multiplier r near scale and an offset d known to a few
    thousandths of a sum (`_affine_steps`), which the NPU approaches as
    round((w · S + C) · r / w): every filter tap w ≤ 127 and the bias C +
    w · input_zp · count (the accumulator is Σ w · (x − input_zp) + bias),
    each integer C in the interval. The NPU's double rounding (to an
    integer after the 31-bit multiply, then by the shift) can still move a
    step, so each candidate is checked on both sides of every step of
    LiteRT's output and at both ends, which for two non-decreasing functions
    of the sum is equality on all of them, and the accepted one on all 255
    · count + 1 sums again (exact by exhaustion, as a table is by
    construction)."""
    from tirconst.dialects.tir.quantization import quantize_multiplier
    from tirconst.kernels.fixedpoint import multiply_by_quantized_multiplier
    from tirconst.kernels.reduce import sum_from_totals

    n = int(count)
    total = np.arange(-128 * n, 127 * n + 1, dtype=np.int64)
    want = sum_from_totals(
        total, n, input_zp=input_zp, output_zp=output_zp, scale=scale
    )
    every = np.arange(total.size)
    keys = every
    if np.all(np.diff(want.astype(np.int64)) >= 0):
        step = np.flatnonzero(np.diff(want.astype(np.int64)))
        keys = np.unique(np.concatenate([[0, total.size - 1], step, step + 1]))

    def differs(w: int, bias: int, m: int, sh: int, at: np.ndarray) -> int | None:
        acc = w * (total[at] - int(input_zp) * n) + bias
        got = multiply_by_quantized_multiplier(acc, m, sh) + output_zp
        bad = np.flatnonzero(np.clip(got, -128, 127) != want[at])
        return int(at[bad[0]]) if bad.size else None

    def exact(w: int, bias: int, m: int, sh: int) -> bool:
        if _npu_scale_reason("sum", m, sh) or not -(2**31) <= bias < 2**31:
            return False
        return differs(w, bias, m, sh, keys) is None and (
            differs(w, bias, m, sh, every) is None
        )

    m, sh = quantize_multiplier(scale)
    if exact(1, 0, m, sh):
        return 1, 0, m, sh
    why = _npu_scale_reason("sum", m, sh)
    if why is None:
        i = differs(1, 0, m, sh, every)
        assert i is not None
        acc = int(total[i]) - int(input_zp) * n
        got = int(multiply_by_quantized_multiplier(np.int64(acc), m, sh)) + output_zp
        why = (
            "sum: no NPU depthwise sum follows LiteRT's float32 rescale (the "
            f"sum {int(total[i])} of {n} values: LiteRT {int(want[i])}, "
            f"QuantizeMultiplier(scale) {min(max(got, -128), 127)})"
        )
    fit = _affine_steps(total, want, output_zp, scale)
    if fit is None:
        return why
    r, lo, hi = fit
    for w in range(1, 128):
        c_lo, c_hi = lo * w / r, hi * w / r
        m, sh = quantize_multiplier(r / w)
        for c in range(
            math.floor(c_lo) + 1, min(math.ceil(c_hi), math.floor(c_lo) + 9)
        ):
            bias = c + w * int(input_zp) * n
            if exact(w, bias, m, sh):
                return w, bias, m, sh
    return why


def sum_window(op: SumOp) -> DepthwiseSum | str:
    """An int8 SUM as the NPU's depthwise sum (as a mean, without the
    division): its window and the filter tap, bias and requantization
    `sum_depthwise` finds exact on every reachable sum; else why not.
    `tir-legalize-npu` rewrites with it."""
    plan = _depthwise_sum_window(op)
    if isinstance(plan, str):
        return plan
    found = sum_depthwise(op.scale, op.input_zp, op.output_zp, plan.count)
    if isinstance(found, str):
        return found
    w, bias, m, sh = found
    return DepthwiseSum(plan, m, sh, weight=w, bias=bias)


def mean16_window(op: MeanOp) -> tuple[ReductionWindow, int, int] | str:
    """An int16 MEAN as one NPU average pool (docs/ethos-u.md): the window
    `reduction_window` finds within the pool's 256 × 256, stride 1, no
    padding, and the explicit OFM scale (m', 31 − s') of the readapted
    multiplier with TFL rounding: the window's sum of (x − input_zp),
    SRDHM by m', a rounding shift by −s', + output_zp, saturated to int16,
    which is LiteRT's int16 MEAN (QuantizedMeanOrSum) exactly while the sum
    cannot pass int32 (LiteRT wraps it, the NPU would not). The register
    semantics are those of Vela's int16 QUANTIZE (a 1×1 average pool with
    an explicit 32-bit scale, TFL rounding); Vela itself sums to int32 with
    a depthwise and scales with a 32-bit MUL, which computes the same
    integers. A 16x8 depthwise cannot: it rounds once from a 15-bit
    multiplier. Else why not."""
    from tirconst.kernels.reduce import mean_readapted_multiplier

    if str(op.buffer_type(op.input).dtype) != "int16":
        return "mean: the pool form is for int16 (int8 becomes a depthwise sum)"
    why = _view_reason(op.input, op.output)
    if why:
        return f"mean: {why}"
    plan = reduction_window(
        _shape(op.input),
        op.axes,
        MAX_POOL_KERNEL,
        MAX_POOL_KERNEL,
        MAX_POOL_KERNEL * MAX_POOL_KERNEL,
    )
    if isinstance(plan, str):
        return f"mean: {plan}"
    if plan.count * (32768 + abs(op.input_zp)) > 2**31:
        return "mean: its int16 sum could pass int32 (LiteRT wraps, the NPU not)"
    m, sh = mean_readapted_multiplier(op.multiplier, op.shift, plan.count)
    if not 0 <= 31 - sh <= 63 or not 0 <= m < 2**31:
        return f"mean: its scale ({m}, {sh}) is outside the NPU's 32-bit scale"
    return plan, m, sh


def reduce_max_window(op: ReduceMaxOp | ReduceMinOp) -> ReductionWindow | str:
    """REDUCE_MAX (or REDUCE_MIN, a max of the complements) as one max pool
    (docs/ethos-u.md); else why not. `tir-legalize-npu` rewrites with it."""
    name = op.name[4:]
    if str(op.buffer_type(op.input).dtype) != "int8":
        return f"{name}: only int8 is pooled"
    why = _view_reason(op.input, op.output)
    if why:
        return f"{name}: {why}"
    plan = reduction_window(
        _shape(op.input),
        op.axes,
        MAX_POOL_KERNEL,
        MAX_POOL_KERNEL,
        MAX_POOL_KERNEL * MAX_POOL_KERNEL,
    )
    return f"{name}: {plan}" if isinstance(plan, str) else plan


@npu_support(MeanOp)
def _mean(op: MeanOp) -> str | None:
    """A mean over contiguous axes runs on the NPU as the depthwise sum
    tir-legalize-npu rewrites it to (with that depthwise's constraints); a
    mean over axes that are not adjacent stays on the CPU. An int16 mean
    over contiguous axes runs as it is: one average pool with an explicit
    scale (`mean16_window`), its window at most 256 × 256 and its sum
    within int32 (count · (32768 + |input_zp|) <= 2^31)."""
    if str(op.buffer_type(op.input).dtype) == "int16":
        plan16 = mean16_window(op)
        return plan16 if isinstance(plan16, str) else None
    plan = mean_window(op)
    if isinstance(plan, str):
        return plan
    return "mean: run tir-legalize-npu (it becomes a depthwise sum there)"


@npu_support(SumOp)
def _sum(op: SumOp) -> str | None:
    """An int8 SUM over contiguous axes (at most 4096 reduced elements)
    runs on the NPU as MEAN does, as the depthwise sum tir-legalize-npu
    rewrites it to, where a depthwise sum equals LiteRT's float32 rescale
    on every reachable sum (`sum_depthwise` tries them all): always with
    equal input and output quantization (an all-ones filter, scale 1);
    with a rescale, QuantizeMultiplier of the scale, or a filter tap w <=
    127 and a bias placing LiteRT's rounding steps to 1/w of a sum. Other
    sums stay on the CPU, the remark naming the first sum
    QuantizeMultiplier(scale) gets wrong."""
    plan = sum_window(op)
    if isinstance(plan, str):
        return plan
    return "sum: run tir-legalize-npu (it becomes a depthwise sum there)"


@npu_support(ReduceMaxOp)
def _reduce_max(op: ReduceMaxOp) -> str | None:
    """An int8 REDUCE_MAX over contiguous axes runs on the NPU as one max
    pool over reshaped views (tir-legalize-npu), its window at most
    256 × 256; other reductions stay on the CPU."""
    plan = reduce_max_window(op)
    if isinstance(plan, str):
        return plan
    return "reduce_max: run tir-legalize-npu (it becomes a max pool there)"


@npu_support(ReduceMinOp)
def _reduce_min(op: ReduceMinOp) -> str | None:
    """An int8 REDUCE_MIN over contiguous axes runs on the NPU as REDUCE_MAX
    does, of the complements: min(x) = ~max(~x), ~x = −1 − x reversing the
    order of the int8 values onto themselves (−(−128) would not fit);
    tir-legalize-npu makes it a table lookup of ~, one max pool and a
    lookup of ~ fused into the pool as its activation."""
    win = reduce_max_window(op)
    if isinstance(win, str):
        return win
    return "reduce_min: run tir-legalize-npu (it becomes a max pool there)"


ARG_MAX_DEPTH = 127
"""Vela's ARG_MAX bound: the channel index rides in the 7 low bits of each
int16 key (x · 128 + 127 − c)."""
ARG_MAX_BLOCK_OPS = 5
"""NPU block ops of the ARG_MAX lowering with an int32 output (int64: one
more, the high words)."""


@dataclass(frozen=True)
class ArgMaxPlan:
    """ARG_MAX over the depth as the NPU computes it: `rows` rows of
    `depth` channels (the input seen as (rows, 1, depth), the output as
    (rows, 1, 1))."""

    rows: int
    depth: int

    def workspace(self) -> tuple[dict[str, int], int]:
        """Byte offsets of the int16 intermediates in the workspace and its
        size: the keys (the input · 128, then plus the indices) and the two
        row maxima, each 16-byte aligned."""

        def up(n: int) -> int:
            return -(-n // 16) * 16

        offsets, at = {}, 0
        for name, size in (
            ("keys", 2 * self.rows * self.depth),
            ("high", 2 * self.rows),
            ("max", 2 * self.rows),
        ):
            offsets[name], at = at, at + up(size)
        return offsets, at


def arg_max_plan(op: ArgMaxOp) -> ArgMaxPlan | str:
    """ARG_MAX within Vela's constraints (along the depth, at most 127
    channels) over dense buffers the NPU sees as one feature map, or why
    not."""
    shape = _shape(op.input)
    if op.axis != len(shape) - 1:
        return (
            f"arg_max: along axis {op.axis} of {len(shape)}, not the depth "
            "(the NPU takes the maximum over channels)"
        )
    depth = shape[-1]
    if depth > ARG_MAX_DEPTH:
        return (
            f"arg_max: IFM depth {depth} exceeds {ARG_MAX_DEPTH} (the index "
            "takes the 7 low bits of each int16 key)"
        )
    rows = int(np.prod(shape[:-1], dtype=np.int64))
    if rows > MAX_DIM - 1:
        return f"arg_max: {rows} rows exceed the NPU's {MAX_DIM - 1}"
    why = _view_reason(op.input, op.output)
    if why:
        return f"arg_max: {why}"
    return ArgMaxPlan(rows, depth)


@npu_support(ArgMaxOp)
def _arg_max(op: ArgMaxOp) -> str | None:
    """An ARG_MAX along the depth of at most 127 channels runs on the NPU
    (Vela's constraints) as Vela's idea computes it, exactly: int16 keys
    x · 128 + (127 − c) (an elementwise MUL by 128 and an ADD of the
    `indices` constant), whose maximum over the channels (a max pool of
    the channels seen as width) is the first largest value's; its index is
    max(x · 128) − max(key) + 127 (a second pool and a SUB), as int32, or
    as the low words of int64 with zero high words. Other ARG_MAXes stay on
    the CPU."""
    plan = arg_max_plan(op)
    if isinstance(plan, str):
        return plan
    if op.workspace is None:
        return "arg_max: no NPU indices and workspace (run tir-legalize-npu)"
    if _shape(op.workspace) != (plan.workspace()[1],):
        return "arg_max: its workspace does not have the NPU sequence's size"
    return None


@npu_support(PadOp)
def _pad(op: PadOp) -> str | None:
    """A height/width pad by the IFM zero point that only a following
    convolution reads folds into that convolution (tir-legalize-npu); any
    other pad stays on the CPU."""
    return "pad: not folded into a following convolution (tir-legalize-npu)"


def sixteen_by_eight_reason(op: Conv2DOp | DepthwiseConv2DOp | FullyConnectedOp):  # type: ignore[no-untyped-def]
    """Why a 16x8 weighted op (int16 data, int8 weights, int64 bias) does not
    run on the NPU exactly (None: it does, or it is int8). The NPU adds the
    products in 40-bit accumulators and saturates its scaled result where
    LiteRT wraps it to int32 (its int32 fully connected path wraps the sum
    too): the op runs there only when no input can reach those limits, from
    its constant weights and bias (|bias| + 32768 · Σ|w| per channel)."""
    if op.ifm_bits() != 16 or op.encoded_weights is not None:
        return None  # an encoded op passed this before it was encoded
    from tirconst.analysis.views import constant_of

    w = constant_of(op.filter)
    b = constant_of(op.bias) if op.bias is not None else None
    if w is None or (op.bias is not None and b is None):
        return None  # not encodable: it stays on the CPU for that reason
    ohwi = op.ohwi(w).astype(np.int64)
    bias = np.zeros(ohwi.shape[0], np.int64) if b is None else b.astype(np.int64)
    bound = np.abs(bias) + 32768 * np.abs(ohwi).reshape(ohwi.shape[0], -1).sum(1)
    if bound.max(initial=0) >= 2**39:
        return "16x8: a sum could pass the NPU's 40-bit accumulator"
    mult = np.broadcast_to(np.asarray(op.multiplier, np.int64), bound.shape)
    shift = np.broadcast_to(np.asarray(op.shift, np.int64), bound.shape)
    if op.reduced_scale(b):
        m = np.where(mult < 0x7FFF0000, (mult + (1 << 15)) >> 16, 0x7FFF)
        scaled = (bound * m) >> (15 - shift)
    else:
        if bound.max(initial=0) >= 2**31:
            return "16x8 fully connected: a sum could wrap LiteRT's int32 accumulator"
        scaled = (bound * mult) >> (31 - shift)
    if scaled.max(initial=0) >= 2**31 - 1:
        return "16x8: a scaled sum could pass int32 (LiteRT wraps, the NPU saturates)"
    return None


def spread_dilation(
    dilation: Sequence[int],
) -> tuple[tuple[int, int], tuple[int, int]]:
    """(the dilation the NPU reads with, the factor the filter's taps are
    spread by) per axis, for a dilation over the NPU's: 2 where it is even,
    else 1, the taps spread (zeros between) to the same dilated extent
    (tir-legalize-npu); a dilation within it is kept (factor 1)."""
    npu = tuple(d if d <= MAX_DILATION else (2 if d % 2 == 0 else 1) for d in dilation)
    return npu, tuple(d // n for d, n in zip(dilation, npu, strict=True))  # type: ignore[return-value]


def split_stride(stride: int) -> tuple[int, int] | None:
    """(the stride the conv runs with, the stride a 1x1 max pool then keeps
    every output of) for a stride over the NPU's 3: the largest factor up to
    3 with a cofactor up to 3 (4 = 2·2, 6 = 3·2, 9 = 3·3); (stride, 1)
    within it; None where none is (5, 7, 8, ...)."""
    if stride <= MAX_STRIDE:
        return stride, 1
    for a in range(MAX_STRIDE, 1, -1):
        if stride % a == 0 and stride // a <= MAX_STRIDE:
            return a, stride // a
    return None


def _window_of_weights(op: Conv2DOp | DepthwiseConv2DOp) -> str | None:
    """The checks a convolution and a depthwise share: NPU feature maps and
    the window's limits (the kernel from the filter, or from its encoding),
    of the op as it is: tir-legalize-npu brings a stride over 3
    (`split_stride`) or a dilation over 2 (`spread_dilation`) within them
    first, so a compile meets them."""
    why = _shapes_reason(op, [op.input, op.output])
    if why:
        return why
    if op.filter is not None and len(_shape(op.filter)) == 4:
        kh, kw = _shape(op.filter)[1:3]
    else:
        if encoded_attr(op) is None:
            return None  # nothing to check the kernel against
        kh, kw = encoded_layout(op).shape[1:3]
    return _window_reason((kh, kw), op.stride, op.dilation, op.pad, conv=True)


@npu_support(Conv2DOp)
def _conv(op: Conv2DOp) -> str | None:
    """Input and output are NPU feature maps (batch 1, H, W, C each 1..65536);
    no grouped convolution; stride <= 3, dilation <= 2 (tir-legalize-npu
    brings larger ones within: `split_stride`, `spread_dilation`); dilated kernel
    height <= 64 and area <= 4096; padding smaller than the dilated kernel.
    int8 data, or 16x8 within `sixteen_by_eight_reason`'s ranges."""
    why = sixteen_by_eight_reason(op) or _shapes_reason(op, [op.input, op.output])
    if why:
        return why
    if op.filter is not None and len(_shape(op.filter)) == 4:
        ci, fi = _shape(op.input)[-1], _shape(op.filter)[-1]
        if ci != fi:
            return (
                f"grouped convolution ({ci} input channels, {fi} per filter): "
                "the NPU convolves every input channel"
            )
    return _window_of_weights(op)


@npu_support(DepthwiseConv2DOp)
def _depthwise(op: DepthwiseConv2DOp) -> str | None:
    """As CONV_2D's window and feature maps; depth multiplier 1, or one input
    channel (tir-legalize-npu makes any depth multiplier a plain conv: with
    several input channels, each output channel's filter zero but on its
    own input channel). int8 data, or 16x8 as CONV_2D."""
    why = sixteen_by_eight_reason(op)
    if why:
        return why
    if op.depth_multiplier != 1 and _shape(op.input)[-1] != 1:
        return (
            "depthwise with a depth multiplier and several input channels "
            "(tir-legalize-npu makes it a conv)"
        )
    return _window_of_weights(op)


@npu_support(FullyConnectedOp)
def _fully_connected(op: FullyConnectedOp) -> str | None:
    """Rows (output elements / output depth) fit an NPU feature map's width
    (<= 65536). int8 data, or 16x8 as CONV_2D."""
    why = sixteen_by_eight_reason(op)
    if why:
        return why
    rows = _shape(op.output)[-1]
    numel = int(np.prod(_shape(op.output)))
    if numel // rows > MAX_DIM:
        return "more rows than an NPU feature map is wide"
    return None


def pool_stride(op: OperatorOp) -> tuple[int, int]:
    """The stride the NPU runs a pool with: along an axis with one output
    element the stride moves nothing, so it is 1 there (a global pool, kernel
    = input with a 1×1 output, has any stride in TFLite; docs/ethos-u.md,
    "Average pooling")."""
    _, oh, ow, _ = _shape(op.output)
    sy, sx = op.p("stride")
    return (1 if oh == 1 else sy, 1 if ow == 1 else sx)


@dataclass(frozen=True)
class PoolSpan:
    """Outputs [o0, o1) along one axis whose windows, clipped to the input,
    all have `k` elements: they read from input index `i0` on with the
    pool's stride and no padding."""

    o0: int
    o1: int
    i0: int
    k: int


def clipped_spans(size: int, k: int, stride: int, pad: int, out: int) -> list[PoolSpan]:
    """Split `out` outputs of a padded window along one axis into runs whose
    windows clip to the same in-bounds part (TFLite's padded average divides
    by that in-bounds count)."""
    spans: list[PoolSpan] = []
    key = None
    for o in range(out):
        start = o * stride - pad
        lo, hi = max(0, start), min(size, start + k)
        if key == (hi - lo, lo - start):
            spans[-1] = PoolSpan(spans[-1].o0, o + 1, spans[-1].i0, hi - lo)
        else:
            spans.append(PoolSpan(o, o + 1, lo, hi - lo))
            key = (hi - lo, lo - start)
    return spans


def padded_average_blocks(
    op: AvgPool2DOp,
) -> list[tuple[PoolSpan, PoolSpan]]:
    """A padded average pool as unpadded ones: each (rows, columns) block of
    the output has one in-bounds window size, so each is an unpadded pool
    dividing by exactly TFLite's count (docs/ethos-u.md, "Average
    pooling")."""
    _, h, w, _ = _shape(op.input)
    _, oh, ow, _ = _shape(op.output)
    (kh, kw), (sy, sx), (top, left, _, _) = op.window, op.stride, op.pad
    rows = clipped_spans(h, kh, sy, top, oh)
    cols = clipped_spans(w, kw, sx, left, ow)
    return [(r, c) for r in rows for c in cols]


@npu_support(MaxPool2DOp)
def _max_pool(op: MaxPool2DOp) -> str | None:
    """Input and output are NPU feature maps (int8 or int16); stride <= 3 (1
    along an axis with one output); window <= 256 in each dimension; padding
    smaller than the window."""
    return _pool_window(op)


def _pool_window(op: MaxPool2DOp | AvgPool2DOp) -> str | None:
    why = _shapes_reason(op, [op.input, op.output])
    return why or _window_reason(op.window, pool_stride(op), (1, 1), op.pad, False)


@npu_support(AvgPool2DOp)
def _avg_pool(op: AvgPool2DOp) -> str | None:
    """As MAX_POOL_2D; a padded average pool runs as one unpadded pool per
    block of outputs whose windows clip alike (TFLite divides by the
    in-bounds count), each within those limits."""
    if not any(op.pad):
        return _pool_window(op)
    why = _shapes_reason(op, [op.input, op.output])
    if why:
        return why
    blocks = padded_average_blocks(op)
    if any(r.k < 1 or c.k < 1 for r, c in blocks):
        return "padded average pool: a window reads only padding"
    for r, c in blocks:
        stride = (
            1 if r.o1 - r.o0 == 1 else op.stride[0],
            1 if c.o1 - c.o0 == 1 else op.stride[1],
        )
        why = _window_reason((r.k, c.k), stride, (1, 1), (0, 0, 0, 0), False)
        if why:
            return why
    return None


@npu_support(AddOp, SubOp, MulOp)
def _binary(op: AddOp | SubOp | MulOp) -> str | None:
    """Float scales present; operands and output NPU feature maps; at most one
    operand broadcasts (the NPU broadcasts only its second input); with
    both broadcasting tir-legalize-npu first tiles one to the output shape
    with NPU copies (`broadcast_tile`)."""
    if op.quantization() is None:
        return (
            f"{op.name[4:]} without float scales (Vela derives its registers from them)"
        )
    why = _shapes_reason(op, [op.lhs, op.rhs, op.output])
    return why or _elementwise_broadcast_reason(op)


@npu_support(MaximumOp, MinimumOp)
def _min_max(op: MaximumOp | MinimumOp) -> str | None:
    """int8 MAXIMUM/MINIMUM as an elementwise max/min of raw values when
    both operands and the output share one scale and zero point (Vela's
    constraint); one operand may broadcast (with both broadcasting
    tir-legalize-npu first tiles one, `broadcast_tile`)."""
    q = op.quantization()
    what = op.name[4:]
    if q is None:
        return f"{what} without int8 quantization (the NPU compares int8 values)"
    if not (
        q["lhs_scale"] == q["rhs_scale"] == q["output_scale"]
        and q["lhs_zp"] == q["rhs_zp"] == q["output_zp"]
    ):
        return (
            f"{what} of operands quantized unlike the output (the NPU, as Vela, "
            "needs one scale and zero point for all three)"
        )
    why = _shapes_reason(op, [op.lhs, op.rhs, op.output])
    return why or _elementwise_broadcast_reason(op)


@npu_support(RequantizeOp)
def _requantize(op: RequantizeOp) -> str | None:
    """QUANTIZE int8/int16 -> int8/int16: its shift within the NPU's 0..63;
    input and output NPU feature maps."""
    shift = 31 - op.shift
    if not 0 <= shift <= 63:
        return f"requantize shift {op.shift} is out of the NPU's range"
    return _shapes_reason(op, [op.input, op.output])


@npu_support(LogisticOp, LookupOp)
def _lookup(op: LogisticOp | LookupOp) -> str | None:
    """An int8 table lookup (LOGISTIC, or any pointwise op tir-tabulate made
    a table of): a 256-byte table in a LUT slot and an identity op, or the
    activation of the NPU op before it; its tensor folds into an NPU
    feature map."""
    if pointwise_hwc(_shape(op.input)) is None:
        return f"shape {list(_shape(op.input))} is too large for an NPU feature map"
    return None


@npu_support(CopyOp)
def _copy(op: CopyOp) -> str | None:
    """A copy is a DMA; alignment is checked against the memory plan."""
    return None  # alignment is checked against the memory plan


# ------------------------------------------- nearest resize as strided copies

MAX_RESIZE_OPS = 64
"""A nearest resize is at most this many NPU copies (an 8×8 upscale)."""


@dataclass(frozen=True)
class Phase:
    """Outputs `out0`, `out0 + period`, ... (`count` of them) along one axis
    read inputs `in0`, `in0 + step`, ...: one strided copy."""

    out0: int
    count: int
    in0: int
    step: int


def nearest_phases(index: Sequence[int]) -> tuple[int, list[Phase]] | None:
    """The fewest phases (period f) splitting an axis's output -> input
    index map into arithmetic runs of step 1..3 (a pool stride), or None.
    A 2× nearest upscale is two phases of step 1; a 2× downscale one phase
    of step 2."""
    out = len(index)
    for period in range(1, min(out, MAX_RESIZE_OPS) + 1):
        phases = []
        for d in range(period):
            run = [int(i) for i in index[d::period]]
            step = run[1] - run[0] if len(run) > 1 else 1
            if not 1 <= step <= MAX_STRIDE or any(
                b - a != step for a, b in zip(run, run[1:], strict=False)
            ):
                break
            phases.append(Phase(d, len(run), run[0], step))
        else:
            return period, phases
    return None


def resize_nearest_plan(
    op: ResizeNearestOp,
) -> tuple[tuple[int, list[Phase]], tuple[int, list[Phase]]] | str:
    """RESIZE_NEAREST_NEIGHBOR as 1×1 max pools (identity copies), one per
    (row phase, column phase), each writing every f-th row and column of
    the output through strides (docs/ethos-u.md); else why not."""
    from tirconst.kernels.shape import nearest_indices

    why = _shapes_reason(op, [op.input, op.output])
    if why:
        return f"resize_nearest: {why}"
    if str(op.buffer_type(op.input).dtype) not in ("int8", "int16"):
        return "resize_nearest: only int8 and int16 are copied"
    _, h, w, _ = _shape(op.input)
    _, oh, ow, _ = _shape(op.output)
    align, half = bool(op.align_corners), bool(op.half_pixel_centers)
    rows = nearest_phases(nearest_indices(h, oh, align, half))
    cols = nearest_phases(nearest_indices(w, ow, align, half))
    if rows is None or cols is None:
        return (
            f"resize_nearest: {h}x{w} -> {oh}x{ow} is not a few strided copies "
            f"(at most {MAX_RESIZE_OPS}, input steps 1..{MAX_STRIDE})"
        )
    if rows[0] * cols[0] > MAX_RESIZE_OPS:
        return f"resize_nearest: {rows[0]}x{cols[0]} copies exceed {MAX_RESIZE_OPS}"
    return rows, cols


@npu_support(ResizeNearestOp)
def _resize_nearest(op: ResizeNearestOp) -> str | None:
    """RESIZE_NEAREST_NEIGHBOR (any align_corners / half-pixel centers) whose
    output rows and columns are a few strided copies of the input (at most
    MAX_RESIZE_OPS 1×1 pools, input steps 1..3), int8 or int16."""
    plan = resize_nearest_plan(op)
    return plan if isinstance(plan, str) else None


# ----------------------------------- transpose convolution as phase convolutions

MAX_TRANSPOSE_PHASES = 16
"""A transpose convolution is at most this many convolutions (stride 4×4)."""


@dataclass(frozen=True)
class ConvPhase:
    """Along one axis, the outputs `out0`, `out0 + stride`, ... (`count`)
    of a transpose convolution: a stride-1 convolution with the kernel taps
    `taps` (reversed) over input rows [`in0`, `in0 + rows`) padded by
    `before` and `after`."""

    out0: int
    count: int
    taps: tuple[int, ...]
    in0: int
    rows: int
    before: int
    after: int


def transpose_conv_axis(
    size: int, out: int, k: int, stride: int, pad: int
) -> list[ConvPhase] | str:
    """Output q·stride + p − pad sums input q − j times tap p + j·stride
    (TFLite's scatter, gathered): per phase p a correlation with those taps
    reversed, reading rows q − J + 1 .. q (padding where outside)."""
    phases = []
    for p in range(stride):
        taps = tuple(range(p, k, stride))
        q_min = -((p - pad) // stride)
        q_max = (out - 1 + pad - p) // stride
        if q_max < q_min:
            continue  # no output in this phase
        if not taps:
            return f"kernel {k} is smaller than stride {stride} (outputs with no taps)"
        j = len(taps)
        lo, hi = q_min - j + 1, q_max
        first, last = max(lo, 0), min(hi, size - 1)
        before, after = first - lo, hi - last
        if last < first or before >= j or after >= j:
            return "an output window reads only padding"
        phases.append(
            ConvPhase(
                q_min * stride + p - pad,
                q_max - q_min + 1,
                taps,
                first,
                last - first + 1,
                before,
                after,
            )
        )
    return phases


def transpose_conv_plan(
    op: TransposeConv2DOp,
) -> list[tuple[ConvPhase, ConvPhase]] | str:
    """TRANSPOSE_CONV as one stride-1 convolution per output phase (row
    phase, column phase), each writing every stride-th output row and
    column through a strided view: exactly TFLite's sums, requantized as a
    convolution (docs/ethos-u.md); else why not. `tir-legalize-npu`
    rewrites with it."""
    why = _shapes_reason(op, [op.input, op.output])
    if why:
        return f"transpose_conv2d: {why}"
    if op.filter is None or not isinstance(op.filter.type, BufferType):
        return "transpose_conv2d: no filter"
    _, h, w, _ = _shape(op.input)
    _, oh, ow, _ = _shape(op.output)
    _, kh, kw, _ = _shape(op.filter)
    (sy, sx), (top, left) = op.stride, op.pad
    if sy * sx > MAX_TRANSPOSE_PHASES:
        return (
            f"transpose_conv2d: stride {[sy, sx]} is more than "
            f"{MAX_TRANSPOSE_PHASES} convolutions"
        )
    rows = transpose_conv_axis(h, oh, kh, sy, top)
    cols = transpose_conv_axis(w, ow, kw, sx, left)
    for axis in (rows, cols):
        if isinstance(axis, str):
            return f"transpose_conv2d: {axis}"
    assert not isinstance(rows, str) and not isinstance(cols, str)
    plan = [(r, c) for r in rows for c in cols]
    for r, c in plan:
        why = _window_reason(
            (len(r.taps), len(c.taps)),
            (1, 1),
            (1, 1),
            (r.before, c.before, r.after, c.after),
            True,
        )
        if why:
            return f"transpose_conv2d: {why}"
    return plan


@npu_support(TransposeConv2DOp)
def _transpose_conv(op: TransposeConv2DOp) -> str | None:
    """TRANSPOSE_CONV with stride at most 4 per axis runs on the NPU as one
    stride-1 convolution per output phase (tir-legalize-npu), each within
    the convolution's constraints."""
    plan = transpose_conv_plan(op)
    if isinstance(plan, str):
        return plan
    return "transpose_conv2d: run tir-legalize-npu (it becomes convolutions there)"


# ------------------------------------- bilinear resize as padded average pools


def bilinear_phases(size: int, out: int, align: bool, half: bool) -> list[int] | None:
    """Along one axis of RESIZE_BILINEAR: when the output is the input
    (factor 1) or twice it with outputs 2i at input i and 2i + 1 halfway
    between i and i + 1 (the last clamped to itself), the window per output
    phase (1: a copy, 2: the mean of two neighbours); else None."""
    from tirconst.kernels.shape import bilinear_axis

    if out not in (size, 2 * size):
        return None
    f = out // size
    v, lo, hi = bilinear_axis(size, out, align, half)
    frac = v - 1024 * lo
    windows = []
    for p in range(f):
        fr = set(int(x) for x in frac[p::f])
        if fr == {0} and list(lo[p::f]) == list(range(size)):
            windows.append(1)
        elif (
            fr == {512}
            and list(lo[p::f]) == list(range(size))
            and list(hi[p::f]) == [min(i + 1, size - 1) for i in range(size)]
        ):
            windows.append(2)
        else:
            return None
    return windows


def resize_bilinear_plan(op: ResizeBilinearOp) -> tuple[list[int], list[int]] | str:
    """RESIZE_BILINEAR by 1 or 2 along each axis (TFLite's positions then
    fall on inputs or halfway between two): one average pool per output
    phase, its window 1 or 2 along each axis with the far padding of 1
    clamping the last, its sum rounded half away from zero over 1, 2 or 4
    values exactly as TFLite's 20-bit interpolation is; else why not.
    `tir-legalize-npu` rewrites with it."""
    axes = _bilinear_axes(op, "averaged", bilinear_phases)
    if isinstance(axes, str):
        return axes
    rows, cols, (h, w, oh, ow) = axes
    if rows is None or cols is None:
        return (
            f"resize_bilinear: {h}x{w} -> {oh}x{ow} is not a 1x or 2x resize whose "
            "outputs fall on or halfway between inputs"
        )
    return rows, cols


def _bilinear_axes(op: ResizeBilinearOp, verb: str, per_axis: Callable):  # type: ignore[type-arg, no-untyped-def]
    """`per_axis(size, out, align, half)` for H and W, and the sizes; or why
    the op is no int8 NPU feature map resize."""
    if str(op.buffer_type(op.input).dtype) != "int8":
        return f"resize_bilinear: only int8 is {verb}"
    why = _shapes_reason(op, [op.input, op.output])
    if why:
        return f"resize_bilinear: {why}"
    _, h, w, _ = _shape(op.input)
    _, oh, ow, _ = _shape(op.output)
    align, half = bool(op.align_corners), bool(op.half_pixel_centers)
    rows = per_axis(h, oh, align, half)
    cols = per_axis(w, ow, align, half)
    return rows, cols, (h, w, oh, ow)


BILINEAR_MULTIPLIER = (1 << 27) + 1
"""With shift 0, MultiplyByQuantizedMultiplier(S, 2^27 + 1, 0) rounds S/16
(plus S·2^-31, too little to cross a boundary for |S| < 2^26) once, half
away from zero: TFLite's bilinear rounding of 16ths."""

MAX_BILINEAR_OPS = 64
"""A resize is at most this many depthwise convolutions."""


@dataclass(frozen=True)
class BilinearRun:
    """Along one axis, outputs `out0`, `out0 + period`, ... (`count`) each
    weighting inputs i, i + 1, ... (from `in0`, one further per output) by
    `weights` quarters (summing to 4)."""

    out0: int
    count: int
    in0: int
    weights: tuple[int, ...]


def bilinear_runs(
    size: int, out: int, align: bool, half: bool
) -> tuple[int, list[BilinearRun]] | None:
    """An axis of RESIZE_BILINEAR whose positions fall on quarters of an
    input step (a 2× resize with half-pixel centers: weights 1:3 and 3:1,
    the ends clamped), as runs of outputs with one weighting each, or None.
    The period is out / size (the output is a whole multiple)."""
    from tirconst.kernels.shape import bilinear_axis

    if out % size:
        return None
    period = out // size
    v, lo, hi = bilinear_axis(size, out, align, half)
    taps = []
    for y in range(out):
        frac = int(v[y]) - 1024 * int(lo[y])
        if frac % 256:
            return None
        w: dict[int, int] = {}
        for i, q in ((int(lo[y]), 4 - frac // 256), (int(hi[y]), frac // 256)):
            w[i] = w.get(i, 0) + q
        used = [i for i, q in w.items() if q]
        first = min(used)
        weights = tuple(w.get(i, 0) for i in range(first, max(used) + 1))
        if min(weights) < 0:
            return None
        taps.append((first, weights))
    runs: list[BilinearRun] = []
    for p in range(period):
        run: BilinearRun | None = None
        for y in range(p, out, period):
            first, weights = taps[y]
            if run and run.weights == weights and first == run.in0 + run.count:
                run = BilinearRun(run.out0, run.count + 1, run.in0, weights)
                runs[-1] = run
            else:
                run = BilinearRun(y, 1, first, weights)
                runs.append(run)
    return period, runs


def resize_bilinear_depthwise(
    op: ResizeBilinearOp,
) -> tuple[tuple[int, list[BilinearRun]], tuple[int, list[BilinearRun]]] | str:
    """RESIZE_BILINEAR whose positions fall on quarter steps (a 2× resize
    with half-pixel centers) as depthwise convolutions of raw values, one
    per (row run, column run), weights the 16ths of TFLite's interpolation,
    scaled by `BILINEAR_MULTIPLIER`; else why not."""
    axes = _bilinear_axes(op, "interpolated", bilinear_runs)
    if isinstance(axes, str):
        return axes
    rows, cols, (h, w, oh, ow) = axes
    if rows is None or cols is None:
        return (
            f"resize_bilinear: {h}x{w} -> {oh}x{ow} places outputs off the "
            "quarters of an input step"
        )
    if len(rows[1]) * len(cols[1]) > MAX_BILINEAR_OPS:
        return (
            f"resize_bilinear: {len(rows[1])}x{len(cols[1])} convolutions "
            f"exceed {MAX_BILINEAR_OPS}"
        )
    return rows, cols


@npu_support(ResizeBilinearOp)
def _resize_bilinear(op: ResizeBilinearOp) -> str | None:
    """RESIZE_BILINEAR by 1 or 2 per axis without align_corners (with or
    without half-pixel centers) runs on the NPU as average pools or
    depthwise convolutions into strided views (tir-legalize-npu)."""
    if isinstance(resize_bilinear_plan(op), str):
        plan = resize_bilinear_depthwise(op)
        if isinstance(plan, str):
            return plan
    return "resize_bilinear: run tir-legalize-npu (it becomes pools or convolutions)"


def _data_movement(op: ConcatenationOp | StridedSliceOp) -> str | None:
    name = op.name[4:]
    dtype = str(op.buffer_type(op.output).dtype)
    if dtype not in ("int8", "int16"):
        return f"{name}: {dtype} data (the NPU copies int8 and int16 feature maps)"
    return (
        f"{name}: a part is not an NPU feature map (batch 1, at most 4 axes, "
        "channels contiguous), or tir-data-views did not run"
    )


@npu_support(ConcatenationOp)
def _concatenation(op: ConcatenationOp) -> str | None:
    """int8/int16 concatenation of NPU feature maps becomes addressing in
    tir-data-views: producers write their slice of the concatenated tensor,
    else an NPU copy between strided feature maps. 32-bit data and parts
    that are no NPU feature map stay on the CPU."""
    return _data_movement(op)


@npu_support(PackOp)
def _pack(op: PackOp) -> str | None:
    """int8/int16 PACK becomes the concatenation it is (tir-legalize-npu:
    its inputs seen with the new axis of extent 1), then as CONCATENATION.
    32-bit data stays on the CPU."""
    dtype = str(op.buffer_type(op.output).dtype)
    if dtype not in ("int8", "int16"):
        return f"pack: {dtype} data (the NPU copies int8 and int16 feature maps)"
    return "pack: run tir-legalize-npu (it becomes a concatenation there)"


@npu_support(StridedSliceOp)
def _slice(op: StridedSliceOp) -> str | None:
    """int8/int16 slices with positive strides (SPLIT, SPLIT_V, SLICE,
    STRIDED_SLICE, UNPACK) of NPU feature maps become addressing in
    tir-data-views: consumers read their slice in place, else an NPU copy
    between strided feature maps. 32-bit data, negative strides and parts
    that are no NPU feature map stay on the CPU."""
    if any(s < 1 for s in op.strides):
        return f"{op.name[4:]}: a negative stride (the NPU reads feature maps forwards)"
    return _data_movement(op)


# ------------------------------------------------ transpose as strided copies

MAX_TRANSPOSE_COPIES = 64
"""At most this many NPU copies for one TRANSPOSE; more stay on the CPU."""


@dataclass(frozen=True)
class StridedCopy:
    """One NPU copy of a transpose: an H×W×C box (`shape`) read from the
    input at element `src_offset` with element strides `src_strides` and
    written to the output at `dest_offset` with `dest_strides` (the channel
    stride is 1 on both sides)."""

    shape: tuple[int, int, int]
    src_offset: int
    src_strides: tuple[int, int, int]
    dest_offset: int
    dest_strides: tuple[int, int, int]


def transpose_copies(
    shape: Sequence[int], perm: Sequence[int]
) -> list[StridedCopy] | str:
    """A transpose of a dense row-major tensor of `shape` into a dense one as
    NPU copies between strided feature maps, or why it is none. Output axes
    that stay adjacent on both sides merge; the output's last axis is the
    copies' channel axis if it is contiguous in the input too, else each copy
    has one channel; two of the other axes (the longest) are H and W, the
    rest are enumerated, at most MAX_TRANSPOSE_COPIES copies."""
    rank = len(shape)
    in_row = [1] * rank
    for i in range(rank - 2, -1, -1):
        in_row[i] = in_row[i + 1] * shape[i + 1]
    out = [shape[a] for a in perm]
    out_row = [1] * rank
    for i in range(rank - 2, -1, -1):
        out_row[i] = out_row[i + 1] * out[i + 1]
    axes: list[tuple[int, int, int]] = []  # (extent, input stride, output stride)
    for k in range(rank):
        if out[k] == 1:
            continue
        e, si, so = out[k], in_row[perm[k]], out_row[k]
        if axes and axes[-1][1] == si * e and axes[-1][2] == so * e:
            e0 = axes.pop()[0]
            e *= e0
        axes.append((e, si, so))
    channel = (1, 1, 1)
    if axes and axes[-1][1] == 1 and axes[-1][2] == 1:
        channel = axes.pop()
    by_size = sorted(range(len(axes)), key=lambda i: -axes[i][0])
    hw = sorted(by_size[:2])
    rest = [axes[i] for i in sorted(by_size[2:])]
    n = math.prod(a[0] for a in rest)
    if n > MAX_TRANSPOSE_COPIES:
        return (
            f"transpose: {n} NPU copies (at most {MAX_TRANSPOSE_COPIES}; "
            "more axes move than two strided feature map axes can address)"
        )
    box = [(1, 1, 1)] * (2 - len(hw)) + [axes[i] for i in hw] + [channel]
    if any(a[0] > MAX_DIM for a in box):
        return f"transpose: an axis longer than {MAX_DIM} (no NPU feature map)"
    copies = []
    for idx in np.ndindex(*(a[0] for a in rest)):
        src = sum(i * a[1] for i, a in zip(idx, rest, strict=True))
        dest = sum(i * a[2] for i, a in zip(idx, rest, strict=True))
        copies.append(
            StridedCopy(
                (box[0][0], box[1][0], box[2][0]),
                src,
                (box[0][1], box[1][1], box[2][1]),
                dest,
                (box[0][2], box[1][2], box[2][2]),
            )
        )
    return copies


@npu_support(TransposeOp)
def _transpose(op: TransposeOp) -> str | None:
    """An int8/int16 TRANSPOSE runs on the NPU as at most 64 copies (1×1 max
    pools) between strided feature maps, which tir-data-views rewrites it
    into: the output's last axis is the copies' channels if it is the
    input's last axis too, else each copy moves one channel; two more
    output axes (after merging axes adjacent on both sides) are the copies'
    H and W, the others are enumerated (a channel shuffle of g groups of
    n channels is min(g, n) copies of one channel each, an H/W swap one
    copy). Other transposes and 32-bit data stay on the CPU."""
    dtype = str(op.buffer_type(op.output).dtype)
    if dtype not in ("int8", "int16"):
        return f"transpose: {dtype} data (the NPU copies int8 and int16 feature maps)"
    plan = transpose_copies(_shape(op.input), list(op.perm))
    if isinstance(plan, str):
        return plan
    return "transpose: its input or output is a view, or tir-data-views did not run"


# ------------------------------- squared difference as int32 elementwise steps


@dataclass(frozen=True)
class SquaredDifferencePlan:
    """SQUARED_DIFFERENCE as the NPU runs it (Vela's sequence): each operand
    times 128 (a scalar) with the OFM scale (its multiplier, 31 − its
    shift) into int32 maps `lhs` and `rhs` (shapes as the operands, H×W×C),
    their difference, its square (int32, the output's shape), then the
    square rescaled to int8 by a 1×1 REDUCE_SUM of one channel, both sides
    seen as `flat` (H, W, 1). `swap`: the lhs broadcasts (the NPU
    broadcasts IFM2 only), so the difference runs with reversed operands."""

    lhs: tuple[int, int, int]
    rhs: tuple[int, int, int]
    out: tuple[int, int, int]
    flat: tuple[int, int, int]
    swap: bool

    def workspace(self) -> tuple[dict[str, int], int]:
        """Byte offsets of the int32 maps in the workspace, and its size."""

        def up(n: int) -> int:
            return -(-n // 16) * 16

        offsets, at = {}, 0
        for name, dims in (("lhs", self.lhs), ("rhs", self.rhs), ("diff", self.out)):
            offsets[name], at = at, at + up(4 * math.prod(dims))
        return offsets, at


SQUARED_DIFFERENCE_BLOCK_OPS = 5
"""NPU block ops the squared difference lowering emits."""


def squared_difference_plan(op: SquaredDifferenceOp) -> SquaredDifferencePlan | str:
    """SQUARED_DIFFERENCE's NPU sequence (`SquaredDifferencePlan`), exactly
    TFLite's integers: (x − zp)·128 scaled by MultiplyByQuantizedMultiplier
    (double rounding at bit 31, then at the shift) per operand, the int32
    difference squared (below 2^31: each scaled operand is at most 2^14 in
    magnitude), then MultiplyByQuantizedMultiplier by the output's
    multiplier plus its zero point; else why not."""
    name = "squared_difference"
    swap, why = binary_broadcast(op)
    if why:
        return f"{name}: {why}"
    out = _shape(op.output)
    rank = len(out)
    same = _shape(op.lhs) == _shape(op.rhs) == out
    dims = []
    for v in (op.lhs, op.rhs, op.output):
        full = (1,) * (rank - len(_shape(v))) + _shape(v)
        d = pointwise_hwc(full) if same else hwc(full)  # no broadcast: any order
        if d is None or is_strided_view(v):
            return f"{name}: shape {list(full)} is not a dense NPU feature map"
        dims.append(d)
    h, w, c = dims[2]
    flat = (h, w * c, 1) if w * c <= MAX_DIM else (h * w, c, 1)
    if max(flat) > MAX_DIM:
        return f"{name}: {h}x{w}x{c} has no flat NPU view of one channel"
    for role in ("lhs", "rhs"):
        shift = getattr(op, f"{role}_shift")
        if not 0 <= 31 - shift <= 63:
            return f"{name}: the {role} scale's shift {shift} is outside the NPU's"
    if op.output_shift > 0:
        return (
            f"{name}: the output multiplier exceeds 1 (shift {op.output_shift}; "
            "TFLite then shifts the int32 square left, which can wrap)"
        )
    if not 0 <= 31 - op.output_shift <= 63:
        return f"{name}: the output shift {op.output_shift} is outside the NPU's"
    return SquaredDifferencePlan(dims[0], dims[1], dims[2], flat, swap)


@npu_support(SquaredDifferenceOp)
def _squared_difference(op: SquaredDifferenceOp) -> str | None:
    """As Vela does: each operand scaled to int32 by a MUL (×128 and its
    multiplier), the int32 difference and its square, rescaled to int8 by a
    one-channel REDUCE_SUM: exactly TFLite's integers when the output
    multiplier is below 1 and at most one operand broadcasts; the int32
    steps use a workspace tir-legalize-npu adds."""
    plan = squared_difference_plan(op)
    if isinstance(plan, str):
        return plan
    if op.workspace is None or _shape(op.workspace) != (plan.workspace()[1],):
        return "squared_difference: no NPU workspace (run tir-legalize-npu)"
    return None


# ------------------------------------- batch matmul as products and channel sums

MAX_MATMUL_OPS = 1024
"""A BATCH_MATMUL is at most this many NPU block ops; more stay on the CPU."""

MAX_MATMUL_DEPTH = (2**31 - 1) // (255 * 255)
"""The depth (K) up to which the int32 sum of (x − zp)·(y − zp) cannot wrap
(TFLite wraps it; the NPU's sum would not)."""


@dataclass(frozen=True)
class BatchMatmulPlan:
    """BATCH_MATMUL on the NPU, both operands with the depth (K) contiguous
    (lhs [..., M, K], rhs [..., N, K]: adj_x 0, adj_y 1; tir-legalize-npu
    transposes what is not): per output batch and per output row (`rows`,
    when M <= N) or column, an int32 MUL of the one operand's matrix (the
    IFM, one K-channel pixel per row) by the other's row (IFM2, broadcast),
    then a REDUCE_SUM of its K channels rescaled to int8 into that output
    row or column. `batches`: per output batch the element offsets of its
    lhs, rhs and output matrices."""

    m: int
    n: int
    k: int
    rows: bool
    batches: tuple[tuple[int, int, int], ...]
    transpose_lhs: bool
    transpose_rhs: bool

    @property
    def block_ops(self) -> int:
        return 2 * len(self.batches) * (self.m if self.rows else self.n)

    @property
    def workspace_bytes(self) -> int:
        """The int32 products of one step, 16-byte aligned."""
        return -(-4 * (self.n if self.rows else self.m) * self.k // 16) * 16


def batch_matmul_plan(op: BatchMatmulOp) -> BatchMatmulPlan | str:
    """BATCH_MATMUL as NPU products and channel sums (`BatchMatmulPlan`):
    exactly TFLite's sums (K at most MAX_MATMUL_DEPTH, so the int32 sum
    does not wrap), requantized by MultiplyByQuantizedMultiplier (a
    multiplier below 1); else why not."""
    name = "batch_matmul"
    a, b, out = _shape(op.lhs), _shape(op.rhs), _shape(op.output)
    adj_x, adj_y = bool(op.adj_x), bool(op.adj_y)
    m, k = (a[-1], a[-2]) if adj_x else (a[-2], a[-1])
    n = b[-1] if not adj_y else b[-2]
    for v in (op.lhs, op.rhs, op.output):
        if is_strided_view(v):
            return f"{name}: a strided view (the matrices are read row by row)"
    if max(m, n, k) > MAX_DIM:
        return f"{name}: {m}x{k} by {k}x{n} exceeds the NPU's {MAX_DIM} per axis"
    if k > MAX_MATMUL_DEPTH:
        return (
            f"{name}: depth {k} could wrap the int32 sum (at most {MAX_MATMUL_DEPTH})"
        )
    if op.shift > 0 or not 0 <= 31 - op.shift <= 63:
        return f"{name}: the output multiplier (shift {op.shift}) is not below 1"
    batch = out[:-2]
    offsets = []
    for idx in np.ndindex(*batch):
        per = []
        for shape, size in ((a, m * k), (b, n * k)):
            lead = shape[:-2]
            pad = len(batch) - len(lead)
            j = [0 if lead[i] == 1 else idx[i + pad] for i in range(len(lead))]
            per.append(int(np.ravel_multi_index(j, lead)) * size if lead else 0)
        o = int(np.ravel_multi_index(idx, batch)) * m * n if batch else 0
        offsets.append((per[0], per[1], o))
    plan = BatchMatmulPlan(m, n, k, m <= n, tuple(offsets), adj_x, not adj_y)
    if plan.block_ops > MAX_MATMUL_OPS:
        return f"{name}: {plan.block_ops} NPU ops (at most {MAX_MATMUL_OPS})"
    for flag, shape, role in ((adj_x, a, "lhs"), (not adj_y, b, "rhs")):
        if flag:
            perm = [*range(len(shape) - 2), len(shape) - 1, len(shape) - 2]
            copies = transpose_copies(shape, perm)
            if isinstance(copies, str):
                return f"{name}: transposing the {role}: {copies}"
    return plan


@npu_support(BatchMatmulOp)
def _batch_matmul(op: BatchMatmulOp) -> str | None:
    """int8 BATCH_MATMUL with both operands dynamic or constant, as NPU
    elementwise products and channel sums: per output batch and row (or
    column) an int32 MUL of a matrix by a broadcast row and a REDUCE_SUM of
    its K channels rescaled to int8; an operand whose depth is not its last
    axis (adj_x, or rhs without adj_y) is transposed first (tir-legalize-npu:
    NPU copies, or a new constant). Depth at most 33025 (the int32 sum
    cannot wrap; Vela's limit is 2^16), output multiplier below 1, at most
    1024 NPU ops."""
    plan = batch_matmul_plan(op)
    if isinstance(plan, str):
        return plan
    if plan.transpose_lhs or plan.transpose_rhs or op.workspace is None:
        return "batch_matmul: run tir-legalize-npu (it gets its NPU form there)"
    if _shape(op.workspace) != (plan.workspace_bytes,):
        return "batch_matmul: its workspace does not have the NPU sequence's size"
    return None


# ------------------------- reverse, tile, mirror pad as slices and concatenations

MAX_GATHER_PARTS = 64
"""Along one axis, at most this many slices joined; more stay on the CPU."""


Runs = list[list[tuple[int, int]]]
_AXIS_RUNS: dict[type[OperatorOp], Callable[[Any, tuple[int, ...]], Runs]] = {}
"""Operator op class -> its runs along each axis of an input of `shape`."""


def _axis_runs(cls: type[OperatorOp]) -> Callable[[Callable], Callable]:
    def register(fn: Callable) -> Callable:
        _AXIS_RUNS[cls] = fn
        return fn

    return register


@_axis_runs(ReverseOp)
def _reverse_runs(op: ReverseOp, shape: tuple[int, ...]) -> Runs:
    runs = [[(0, d)] for d in shape]
    for a in op.axes:
        runs[a] = [(shape[a] - 1 - i, 1) for i in range(shape[a])]
    return runs


@_axis_runs(TileOp)
def _tile_runs(op: TileOp, shape: tuple[int, ...]) -> Runs:
    return [[(0, d)] * m for d, m in zip(shape, op.multiples, strict=True)]


@_axis_runs(MirrorPadOp)
def _mirror_pad_runs(op: MirrorPadOp, shape: tuple[int, ...]) -> Runs:
    skip = 1 if op.mode == 0 else 0  # REFLECT skips the edge element
    runs = []
    for a, d in enumerate(shape):
        before, after = op.padding[2 * a], op.padding[2 * a + 1]
        left = [(before - i - 1 + skip, 1) for i in range(before)]
        right = [(d - 1 - skip - i, 1) for i in range(after)]
        runs.append([*left, (0, d), *right])
    return runs


def gather_runs(
    op: ReverseOp | TileOp | MirrorPadOp,
) -> Runs | str:
    """Per axis of the input, the output along it as runs (source start,
    length) of input elements in increasing order, one after the other:
    REVERSE_V2 one element per run, last first; TILE the whole axis
    `multiples` times; MIRROR_PAD single elements mirrored around the whole
    axis. An axis the op leaves alone is [(0, extent)]. Else why not."""
    name = op.name[4:]
    dtype = str(op.buffer_type(op.output).dtype)
    if dtype not in ("int8", "int16"):
        return f"{name}: {dtype} data (the NPU copies int8 and int16 feature maps)"
    shape = _shape(op.input)
    for v in (op.input, op.output):  # every part then is one too
        if hwc(_shape(v)) is None or is_strided_view(v):
            return (
                f"{name}: shape {list(_shape(v))} is not a dense NPU feature map "
                "(H×W×C, batch 1)"
            )
    runs = _AXIS_RUNS[type(op)](op, shape)
    for a, r in enumerate(runs):
        if len(r) > MAX_GATHER_PARTS:
            return (
                f"{name}: {len(r)} slices along axis {a} (at most {MAX_GATHER_PARTS})"
            )
    return runs


def _gather_rule(op: ReverseOp | TileOp | MirrorPadOp) -> str | None:
    runs = gather_runs(op)
    if isinstance(runs, str):
        return runs
    return f"{op.name[4:]}: run tir-legalize-npu (it becomes slices and concatenations)"


@npu_support(ReverseOp)
def _reverse(op: ReverseOp) -> str | None:
    """int8/int16 REVERSE_V2 (the NPU reads forwards only) becomes, per
    reversed axis of at most 64 elements, a concatenation of its single
    elements last first (tir-legalize-npu), which tir-data-views makes NPU
    copies between strided feature maps, as SLICE and CONCATENATION."""
    return _gather_rule(op)


@npu_support(TileOp)
def _tile(op: TileOp) -> str | None:
    """int8/int16 TILE becomes, per axis with a multiple (at most 64), a
    concatenation of that many copies of the axis (tir-legalize-npu), then
    NPU copies as CONCATENATION."""
    return _gather_rule(op)


@npu_support(MirrorPadOp)
def _mirror_pad(op: MirrorPadOp) -> str | None:
    """int8/int16 MIRROR_PAD becomes, per padded axis, a concatenation of
    the mirrored single elements, the axis, and the mirrored elements after
    it (at most 64 parts; tir-legalize-npu), then NPU copies as SLICE and
    CONCATENATION."""
    return _gather_rule(op)


# ----------------------------------------- prelu as two exact branches, joined

PRELU_BLOCK_OPS = 5
"""NPU block ops the PRELU lowering emits."""


def broadcast_hwc(
    x: tuple[int, ...], b: tuple[int, ...]
) -> tuple[tuple[int, int, int] | None, tuple[int, int, int] | None]:
    """The NPU feature maps (H, W, C) of `x` and of `b` broadcast against it
    (numpy rules): any pointwise view where `b` is `x`'s shape, else each
    as it is; None for a shape no feature map takes."""
    full = (1,) * (len(x) - len(b)) + tuple(b)
    if full == tuple(x):
        return pointwise_hwc(x), pointwise_hwc(full)
    return hwc(x), hwc(full)


def prelu_plan(op: PreluOp) -> tuple[tuple[int, int, int], tuple[int, int, int]] | str:
    """PRELU on the NPU: ((H, W, C) of input and output, of alpha) where
    it runs exactly; else why not. With d = x − zp: min(x, zp) times alpha
    (a MUL with OFM_SCALE (alpha multiplier, 31 − alpha shift)) is the
    negative branch and the output zero point where d >= 0; max(x, zp)
    requantized (a 1×1 average pool with the identity multiplier) is the
    positive branch and the output zero point where d < 0; their raw sum
    less one zero point is TFLite's output."""
    name = "prelu"
    x, a = _shape(op.input), _shape(op.alpha)
    dims, alpha = broadcast_hwc(x, a)
    for v in (op.input, op.alpha, op.output):
        if is_strided_view(v):
            return f"{name}: a strided view"
    if dims is None or alpha is None:
        return f"{name}: shape {list(x)} (alpha {list(a)}) is no NPU feature map"
    for what in ("identity", "alpha"):
        shift = getattr(op, f"{what}_shift")
        if not 0 <= 31 - shift <= 63:
            return f"{name}: the {what} shift {shift} is outside the NPU's"
    return dims, alpha


@npu_support(PreluOp)
def _prelu(op: PreluOp) -> str | None:
    """int8 PRELU as two exact branches: min(x, zp) times alpha (an
    elementwise MUL with the alpha multiplier) and max(x, zp) requantized
    (a 1×1 pool with the identity multiplier), each the output zero point
    where the other applies, joined by a raw ADD; alpha broadcasts (batch 1
    then); the int8 intermediates use a workspace tir-legalize-npu adds."""
    plan = prelu_plan(op)
    if isinstance(plan, str):
        return plan
    n = _shape(op.output)
    size = 4 * (-(-math.prod(n) // 16) * 16)
    if op.workspace is None or _shape(op.workspace) != (size,):
        return "prelu: no NPU workspace (run tir-legalize-npu)"
    return None


# ------------------------------------------------------------ sequence_lstm

LSTM_MAX_STEPS = 256
"""The NPU form unrolls the time loop, some 250 ops a step: longer
sequences stay on the CPU (a stream of at most some 64k ops)."""


def lstm_gate_matrices(op: SequenceLstmOp) -> Any:
    """The op's two matmuls as the NPU runs them (`npu.lstm.GateMatrices`),
    or None when a weight or bias is not a constant."""
    from tirconst.analysis.views import constant_of
    from tirconst.dialects.npu.lstm import gate_matrices
    from tirconst.dialects.tir.sequence_ops import LSTM_GATES

    arrays = {}
    for name in op.INPUTS[1:13]:
        data = constant_of(getattr(op, name))
        if data is None:
            return None
        arrays[name] = data
    return gate_matrices(
        [arrays[f"input_to_{g}_weights"] for g in LSTM_GATES],
        [arrays[f"recurrent_to_{g}_weights"] for g in LSTM_GATES],
        [arrays[f"{g}_gate_bias"] for g in LSTM_GATES],
        tuple(op.multiplier),
        tuple(op.shift),
    )


def lstm_shape(op: SequenceLstmOp) -> Any:
    """What the op's NPU sequence depends on besides addresses and weights
    (`npu.lstm.LstmShape`)."""
    from tirconst.dialects.npu.lstm import LstmShape

    return LstmShape.of(_shape(op.input), _shape(op.output)[2], op.params())


def sequence_lstm_reason(op: SequenceLstmOp) -> str | None:
    """None if the NPU sequence can run the op exactly (its workspace
    aside), else why not."""
    from tirconst.dialects.npu.lstm import RECURRENT_LIMIT, recurrent_bound

    for v in (op.input, op.output):
        if is_strided_view(v):
            return "sequence_lstm: a strided view"
    x, n = _shape(op.input), _shape(op.output)[2]
    if hwc(x) is None or hwc((*x[:2], 4 * n)) is None:
        return f"sequence_lstm: input {list(x)} with {n} cells is no NPU feature map"
    steps = x[0] if op.time_major else x[1]
    if steps > LSTM_MAX_STEPS:
        return (
            f"sequence_lstm of {steps} steps: the unrolled NPU stream takes "
            f"at most {LSTM_MAX_STEPS}"
        )
    shifts = [*op.shift, op.hidden_shift]
    if any(not 0 <= 31 - s <= 63 for s in shifts):
        return f"sequence_lstm: a shift in {shifts} is outside the NPU's"
    m = lstm_gate_matrices(op)
    if m is None:
        return "sequence_lstm: weights or biases that are not constants"
    bound = recurrent_bound(m, op.params())
    if bound > RECURRENT_LIMIT:
        return (
            f"sequence_lstm: the recurrent term reaches {bound}, past the int16 "
            "map the NPU sums it in (LiteRT adds it unsaturated)"
        )
    return None


def sequence_lstm_workspace(op: SequenceLstmOp) -> int:
    """The bytes of the NPU sequence's workspace: one chunk's input terms
    (int16), the cell state twice, and one step's intermediates."""
    from tirconst.dialects.npu.lstm import workspace_and_ops

    return workspace_and_ops(lstm_shape(op))[0]


@npu_support(SequenceLstmOp)
def _sequence_lstm(op: SequenceLstmOp) -> str | None:
    """LiteRT's integer LSTM exactly, the time loop unrolled (docs/lowering.md):
    the input terms of up to 8 steps as one 1x1 conv to int16; per step the
    recurrent 1x1 conv, a saturated add, gemmlowp's logistic and tanh as 60-90 int16
    elementwise ops each, int32 cell products with TFL shifts, the hidden
    state MBQM to int8. Exact while the recurrent term fits int16 (a bound
    from the weights and the hidden state's range); at most 256 steps; the
    intermediates use a workspace tir-legalize-npu adds."""
    why = sequence_lstm_reason(op)
    if why is not None:
        return why
    size = sequence_lstm_workspace(op)
    if op.workspace is None or _shape(op.workspace) != (size,):
        return "sequence_lstm: no NPU workspace (run tir-legalize-npu)"
    return None
