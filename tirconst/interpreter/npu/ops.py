"""What each npu op does to memory, vectorized with numpy.

`IMPLEMENTATIONS` maps each op class to its function `(op, memory)`; each is
registered with the interpreter's one registry (`registry.executes`), where
the stream runners look them up.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from tirconst.dialects.npu import (
    LUT_REGION,
    Conv2DOp,
    DepthwiseConv2DOp,
    DmaOp,
    ElementwiseOp,
    PoolingOp,
)
from tirconst.dialects.npu.ops import BlockOp, WeightedOp, WindowOp
from tirconst.dialects.tir.quantization import quantize_multiplier
from tirconst.formats.ethos_u.bias import decode_bias
from tirconst.formats.ethos_u.hardware import LUT_ADDRESS, LUT_SLOT_BYTES
from tirconst.formats.ethos_u.weights import (
    WeightEncoding,
    WeightFormatError,
    decode_stream_values,
)
from tirconst.interpreter.npu.arithmetic import (
    ArithmeticError_,
    activation_range,
    dtype_range,
    quantise,
    scale_accumulator,
)
from tirconst.interpreter.npu.memory import Memory, MemoryFault
from tirconst.interpreter.registry import executes
from tirconst.kernels.elementwise import add as tfl_add
from tirconst.kernels.elementwise import mul as tfl_mul
from tirconst.kernels.elementwise import sub as tfl_sub
from tirconst.kernels.sigmoid16 import sigmoid16, tanh16


class OpError(Exception):
    """An op cannot run (the message says why); the caller names the op."""


@functools.lru_cache(maxsize=64)
def _decoded(stream: bytes, encoding: WeightEncoding) -> np.ndarray:
    return decode_stream_values(stream, encoding)


def weights_of(op: WeightedOp, mem: Memory) -> np.ndarray:
    """The OHWI values the hardware multiplies (weight - zero point), int64:
    each core's stream decoded with its own encoding, its channels dealt
    back (core k computes output channels k, k + cores, ...)."""
    n = op.ncores()
    parts = []
    for k in range(len(op.weights.data)):
        enc = op.weight_encoding(k)
        if enc is None:
            raise OpError("is not inside an npu.command_stream")
        what = "the weight range" if n == 1 else f"the weight range of core {k}"
        raw = mem.read_range(op.weights.data[k], what).tobytes()
        try:
            parts.append(_decoded(raw, enc.encoding))
        except WeightFormatError as e:
            raise OpError(str(e)) from None
    if len(parts) == 1:
        return parts[0].astype(np.int64)
    co = sum(p.shape[0] for p in parts)
    out = np.empty((co, *parts[0].shape[1:]), dtype=np.int64)
    for k, part in enumerate(parts):
        out[k::n] = part
    return out


def _padded(x: np.ndarray, pad: tuple[int, int, int, int], fill: int) -> np.ndarray:
    top, left, bottom, right = pad
    h, w, c = x.shape
    out = np.full((h + top + bottom, w + left + right, c), fill, dtype=x.dtype)
    out[top : top + h, left : left + w] = x
    return out


def _taps(op: WindowOp, xp: np.ndarray, oh: int, ow: int):
    """(ky, kx, view) for each kernel tap: the IFM values it meets, (OH, OW, C)."""
    (kh, kw), (sy, sx), (dy, dx) = (
        op.kernel.size,
        op.kernel.stride,
        op.kernel.dilation,
    )
    for ky in range(kh):
        for kx in range(kw):
            y0, x0 = ky * dy, kx * dx
            yield (
                ky,
                kx,
                xp[y0 : y0 + (oh - 1) * sy + 1 : sy, x0 : x0 + (ow - 1) * sx + 1 : sx],
            )


def _finish(op: BlockOp, mem: Memory, acc: np.ndarray, scale, shift) -> None:
    """Scale, add the OFM zero point, activate, clamp, store. A TFL-rounded
    channel whose record scale is 2^31 or more (Vela's bilinear resize
    writes 2^31 + 1 with shift 35) or whose accumulator passes 32 bits is
    double-rounded on exact integers, as a pooling's scale is
    (`_double_round`)."""
    ofm = op.ofm
    scale, shift = np.asarray(scale, np.int64), np.asarray(shift, np.int64)
    wide = op.rounding_mode.data == "tfl" and (
        np.any(scale >= 2**31) or np.abs(acc).max(initial=0) >= 2**31
    )
    try:
        if wide:
            scale = np.broadcast_to(scale, acc.shape[-1:])
            shift = np.broadcast_to(shift, acc.shape[-1:])
            out = np.empty_like(acc)
            for c in range(acc.shape[-1]):
                out[..., c] = _double_round(acc[..., c], int(scale[c]), int(shift[c]))
        else:
            out = scale_accumulator(acc, scale, shift, op.rounding_mode.data)
    except ArithmeticError_ as e:
        raise OpError(str(e)) from None
    out = out + ofm.zero_point
    store(op, mem, out)


def _lookup16(op: BlockOp, mem: Memory, out: np.ndarray) -> np.ndarray:
    """The 16-bit interpolating table (an int16 OFM): 512 32-bit entries
    over eight slots, each slope << 16 | base (16 bits each, signed). The
    value v, saturated to int16, selects entry (v + 32768) >> 7, and the
    low 7 bits interpolate: base + ((slope · (v & 127) + 64) >> 7), as
    LiteRT's int16 table lookup (its 513 values as bases and differences;
    Vela's `create_lut_int16_op` writes them so)."""
    act = op.activation
    assert act is not None and act.slot is not None
    table = mem.read_bytes(
        LUT_REGION,
        LUT_ADDRESS[_accelerator(op)] + act.slot * LUT_SLOT_BYTES,
        8 * LUT_SLOT_BYTES,
        f"16-bit lookup table at slot {act.slot}",
    ).view("<u4")
    v = np.clip(out, -32768, 32767).astype(np.int64)
    entry = table[(v + 32768) >> 7].astype(np.int64)
    base = ((entry & 0xFFFF) ^ 0x8000) - 0x8000
    slope = (((entry >> 16) & 0xFFFF) ^ 0x8000) - 0x8000
    return base + ((slope * (v & 127) + 64) >> 7)


def store(op: BlockOp, mem: Memory, out: np.ndarray) -> None:
    """Activation (lookup table, then clamp) and the store to the OFM."""
    ofm = op.ofm
    act = op.activation
    lo, hi = dtype_range(ofm)
    if act is not None and act.kind == "table" and ofm.dtype == "int32":
        # A 32-bit table (Vela's softmax exp): 256 int32 entries over four
        # slots, indexed by the clamped 8-bit value; no clamp after it.
        qmin, qmax = activation_range(act, ofm)
        table32 = mem.read_bytes(
            LUT_REGION,
            LUT_ADDRESS[_accelerator(op)] + act.slot * LUT_SLOT_BYTES,
            4 * LUT_SLOT_BYTES,
            f"32-bit lookup table at slot {act.slot}",
        ).view("<i4")
        index = np.clip(np.clip(out, max(qmin, -128), min(qmax, 127)), -128, 127)
        mem.write(ofm, table32[index + 128].astype(np.int64), "the OFM")
        return
    if act is not None and act.kind == "table" and ofm.dtype == "int16":
        out = _lookup16(op, mem, out)
    elif act is not None and act.kind == "table":
        table = mem.read_bytes(
            LUT_REGION,
            LUT_ADDRESS[_accelerator(op)] + act.slot * LUT_SLOT_BYTES,
            LUT_SLOT_BYTES,
            f"lookup-table slot {act.slot}",
        ).view(np.int8)
        out = table[np.clip(out, -128, 127) + 128].astype(np.int64)
    if act is not None and act.kind in _FUNCTIONS:
        out = _FUNCTIONS[act.kind](out)
    if ofm.dtype == "int32":
        # A 32-bit OFM saturates to int32; the clamp registers (16 bits) are
        # not applied: Vela's legacy core leaves the int8 clamp -128..127 on
        # every int32 step of its softmax, whose values span 32 bits.
        mem.write(ofm, np.clip(out, lo, hi), "the OFM")
        return
    qmin, qmax = activation_range(act, ofm)
    out = np.clip(out, max(qmin, lo), min(qmax, hi))
    mem.write(ofm, out, "the OFM")


# the hardware's int16 activation functions (npu.activation sigmoid / tanh)
_FUNCTIONS = {"sigmoid": sigmoid16, "tanh": tanh16}


def _accelerator(op: BlockOp) -> str:
    parent = op.parent_op()
    return parent.accelerator.data  # type: ignore[union-attr]


def _bias(op: WeightedOp, mem: Memory, channels: int):
    """Each core's (bias, scale, shift) records, dealt back to the channels."""
    n = op.ncores()
    bias = np.empty(channels, dtype=np.int64)
    scale = np.empty(channels, dtype=np.int64)
    shift = np.empty(channels, dtype=np.int64)
    counts = op.core_channels() if n > 1 else [channels]
    for k, count in enumerate(counts):
        what = "the bias range" if n == 1 else f"the bias range of core {k}"
        data = mem.read_range(op.biases.data[k], what)
        try:
            rec = decode_bias(data.tobytes(), count)
        except WeightFormatError as e:
            raise OpError(str(e)) from None
        bias[k::n], scale[k::n], shift[k::n] = rec.bias, rec.scale, rec.shift
    return bias, scale, shift


def _ifm(op: BlockOp, mem: Memory) -> np.ndarray:
    x = mem.read(op.ifm, "the IFM").astype(np.int64)
    return _upscaled(op, x - op.ifm.zero_point)


def _upscaled(op: BlockOp, x: np.ndarray) -> np.ndarray:
    """(IFM − zero point) as the window reads it: with `upscale`, doubled in
    height and width, each element repeated 2×2 (`nearest`) or at the even
    row and column with the zero point, 0 here, between (`transpose`)."""
    mode = getattr(op, "upscale", None)
    if mode is None:
        return x
    if mode.data == "nearest":
        return x.repeat(2, axis=0).repeat(2, axis=1)
    h, w, c = x.shape
    out = np.zeros((2 * h, 2 * w, c), dtype=x.dtype)
    out[::2, ::2] = x
    return out


def run_conv2d(op: Conv2DOp, mem: Memory) -> None:
    """acc = bias + Σ (ifm − zp) · w over the window, as an exact float64
    matrix product (every partial sum is an integer below 2^53)."""
    w = weights_of(op, mem)
    co, kh, kw, ci = w.shape
    oh, ow, _ = op.shape(op.ofm)
    xp = _padded(_ifm(op, mem).astype(np.float64), op.pad, 0)
    cols = np.empty((oh, ow, kh * kw, ci), dtype=np.float64)
    for ky, kx, view in _taps(op, xp, oh, ow):
        cols[:, :, ky * kw + kx, :] = view
    acc = cols.reshape(oh * ow, -1) @ w.reshape(co, -1).T.astype(np.float64)
    bias, scale, shift = _bias(op, mem, co)
    acc = acc.astype(np.int64).reshape(oh, ow, co) + bias
    _finish(op, mem, acc, scale, shift)


def run_depthwise(op: DepthwiseConv2DOp, mem: Memory) -> None:
    w = weights_of(op, mem)[..., 0]  # (C, KH, KW)
    oh, ow, c = op.shape(op.ofm)
    xp = _padded(_ifm(op, mem), op.pad, 0)
    acc = np.zeros((oh, ow, c), dtype=np.int64)
    for ky, kx, view in _taps(op, xp, oh, ow):
        acc += view * w[:, ky, kx]
    bias, scale, shift = _bias(op, mem, c)
    _finish(op, mem, acc + bias, scale, shift)


def run_pooling(op: PoolingOp, mem: Memory) -> None:
    """What the registers say (npu.pooling): the window's max or sum of
    (IFM − zero point), scaled by the OFM_SCALE register where the op has
    one, plus the OFM zero point. No float scale is used."""
    oh, ow, c = op.shape(op.ofm)
    x = _ifm(op, mem)
    if op.pool_type.data == "max":
        xp = _padded(x, op.pad, np.iinfo(np.int64).min)
        acc = None
        for _, _, view in _taps(op, xp, oh, ow):
            acc = view.copy() if acc is None else np.maximum(acc, view)
    else:
        xp = _padded(x, op.pad, 0)
        acc = np.zeros((oh, ow, x.shape[2]), dtype=np.int64)
        for _, _, view in _taps(op, xp, oh, ow):
            acc += view
        if c == 1 and acc.shape[2] > 1:  # reduce_sum over the channels
            acc = acc.sum(axis=2, keepdims=True)
    assert acc is not None
    register = op.scale_register()
    if register is not None:
        acc = _scaled(op, acc, *register)
    store(op, mem, acc + op.ofm.zero_point)


def _double_round(v: np.ndarray, scale: int, shift: int) -> np.ndarray:
    """TFLite's double rounding carried to products beyond 32 bits (int32
    mul, pooling scales of 2^31), on exact Python integers: at bit 31 as
    SaturatingRoundingDoublingHighMul rounds (half up: its nudge is 2^30,
    or 1 − 2^30 for a negative product, then a division toward zero), then
    at `shift` − 31 half away from zero (RoundingDivideByPOT)."""
    p = v.astype(object) * scale
    sign = np.where(p < 0, -1, 1).astype(object)
    mag = np.abs(p)
    if shift >= 31:
        neg = np.asarray(p < 0).astype(object)
        mag = (mag + (1 << 30) - neg) >> 31
        k = shift - 31
        if k:
            mag = (mag + (1 << (k - 1))) >> k
    elif shift:
        mag = (mag + (1 << (shift - 1))) >> shift
    return np.asarray(sign * mag).astype(np.int64)


def _scaled(op: BlockOp, v: np.ndarray, scale: int, shift: int) -> np.ndarray:
    if (scale, shift) == (1, 0):
        return v
    act = op.activation
    if act is not None and act.kind in _FUNCTIONS and shift < 31:
        # Into the int16 sigmoid/tanh: v·scale >> shift rounded half up, as
        # LiteRT's int16 Logistic/Tanh scale their input (equal to LiteRT on
        # every int16 input of Vela's LOGISTIC/TANH streams; TFL rounding's
        # half away from zero differs at ties).
        return scale_accumulator(v, scale, shift, "natural")
    if op.rounding_mode.data == "tfl" and (
        np.abs(v).max(initial=0) >= 2**31 or scale >= 2**31 or op.ifm.dtype == "int32"
    ):
        return _double_round(v, scale, shift)
    try:
        return scale_accumulator(v, scale, shift, op.rounding_mode.data)
    except ArithmeticError_ as e:
        raise OpError(str(e)) from None


def _elementwise_registers(op: ElementwiseOp, a: np.ndarray, b: np.ndarray):
    """add / sub / mul from the scale registers (docs of npu.elementwise)."""
    assert op.ofm_scale is not None and op.ifm2 is not None
    x = a.astype(np.int64) - op.ifm.zero_point
    y = b.astype(np.int64) - op.ifm2.zero_point
    x, y = np.broadcast_arrays(x, y)
    if op.reversed_operands is not None:
        x, y = y, x
    kind = op.op_type.data
    scale, shift = (int(v) for v in op.ofm_scale.get_values())
    if kind == "mul":
        acc = x * y  # int32 operands: the product fits in int64
        if op.ifm.dtype == "int32":
            # A 32-bit MUL applies the shift of OFM_SCALE only, not its
            # multiplier (Vela: "32 bit Mul op do not scale the value";
            # softmax's Q31 products are (2^30, 31): SRDHM of the operands).
            return _double_round(acc, 1, shift) + op.ofm.zero_point
    else:
        assert op.operand_scales is not None
        opa, opa_shift, opb, to_scale = (int(v) for v in op.operand_scales.get_values())
        if opb == 0 and to_scale in (1, 2):
            # Vela's advanced scaling: the other operand is held at half of
            # the 2^20 (8-bit) or 2^15 (16-bit) fixed point.
            half = 19 if op.ifm.dtype in ("int8", "uint8") else 14
            if to_scale == 1:
                x, y = _scaled(op, x, opa, opa_shift), y << half
            else:
                x, y = x << half, _scaled(op, y, opa, opa_shift)
        else:
            x, y = x * opa, y * opb
        acc = x + y if kind == "add" else x - y
    return _scaled(op, acc, scale, shift) + op.ofm.zero_point


def _tfl_binary(op: ElementwiseOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """add / sub / mul with the integers TFLite derives from the float32
    scales (the NPU's registers equal them: docs/ethos-u.md)."""
    ifm, ifm2, ofm = op.ifm, op.ifm2, op.ofm
    assert ifm2 is not None
    sa, sb, so = (np.float32(fm.scale) for fm in (ifm, ifm2, ofm))
    lo, hi = activation_range(op.activation, ofm)
    common = {
        "lhs_zp": ifm.zero_point,
        "rhs_zp": ifm2.zero_point,
        "output_zp": ofm.zero_point,
        "act_min": lo,
        "act_max": hi,
    }
    if op.reversed_operands is not None:
        a, b = b, a
        common["lhs_zp"], common["rhs_zp"] = common["rhs_zp"], common["lhs_zp"]
        sa, sb = sb, sa
    if op.op_type.data == "mul":
        m, s = quantize_multiplier(float(np.float32(sa * sb) / so))
        return tfl_mul(a, b, output_multiplier=m, output_shift=s, **common)
    twice = 2.0 * max(float(sa), float(sb))
    lm, ls = quantize_multiplier(float(sa) / twice)
    rm, rs = quantize_multiplier(float(sb) / twice)
    om, os_ = quantize_multiplier(twice / ((1 << 20) * float(so)))
    fn = tfl_add if op.op_type.data == "add" else tfl_sub
    return fn(
        a, b, left_shift=20, lhs_multiplier=lm, lhs_shift=ls, rhs_multiplier=rm,
        rhs_shift=rs, output_multiplier=om, output_shift=os_, **common,
    )  # fmt: skip


def _shift_op(op: ElementwiseOp, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    x, y = np.broadcast_arrays(a.astype(np.int64), b.astype(np.int64))
    if op.reversed_operands is not None:
        x, y = y, x
    y = np.clip(y, 0, 31)
    if op.op_type.data == "shl":
        return np.clip(x << y, -(2**31), 2**31 - 1)
    if op.rounding_mode.data == "natural":
        return (x + ((np.int64(1) << y) >> 1)) >> y
    if op.rounding_mode.data == "truncate":
        return np.where(x < 0, -((-x) >> y), x >> y)
    return (x + ((np.int64(1) << y) >> 1) - (x < 0)) >> y  # tfl: half away


def _scale_out(op: ElementwiseOp, out: np.ndarray) -> np.ndarray:
    if op.ofm_scale is None:
        return out
    scale, shift = (int(v) for v in op.ofm_scale.get_values())
    return _scaled(op, out, scale, shift)


def run_elementwise(op: ElementwiseOp, mem: Memory) -> None:
    kind = op.op_type.data
    a = mem.read(op.ifm, "the IFM")
    if kind == "clz":
        u = a.astype(np.int64) & 0xFFFFFFFF
        bits = sum(((u >> k) > 0).astype(np.int64) for k in range(32))
        store(op, mem, _scale_out(op, 32 - bits))
        return
    if kind == "abs":
        store(op, mem, np.abs(a.astype(np.int64)))
        return
    ifm2 = op.ifm2
    assert ifm2 is not None
    if op.ifm2_scalar is not None:
        # quantized with IFM2's scale and zero point, as Vela does
        q = quantise(op.ifm2_scalar.value.data, ifm2)
        lo, hi = dtype_range(ifm2)
        b = np.full((1, 1, 1), np.clip(q, lo, hi), dtype=a.dtype)
    else:
        b = mem.read(ifm2, "IFM2")
    if kind in ("shl", "shr"):
        store(op, mem, _scale_out(op, _shift_op(op, a, b)) + op.ofm.zero_point)
        return
    if kind in ("add", "sub", "mul") and op.ofm_scale is not None:
        store(op, mem, _elementwise_registers(op, a, b))
        return
    if kind in ("add", "sub", "mul"):
        if a.dtype != np.int8 or b.dtype != np.int8:
            raise OpError(f"{kind} is modelled for int8 operands only")
        store(op, mem, _tfl_binary(op, a, b).astype(np.int64))  # then a table
        return
    x, y = np.broadcast_arrays(a.astype(np.int64), b.astype(np.int64))
    if op.reversed_operands is not None:
        x, y = y, x
    store(op, mem, np.minimum(x, y) if kind == "min" else np.maximum(x, y))


def run_dma(op: DmaOp, mem: Memory) -> None:
    data = mem.read_range(op.src, "the DMA source").copy()
    dest = mem.read_range(op.dest, "the DMA destination")
    dest[:] = data


Implementation = Callable[..., None]
IMPLEMENTATIONS: dict[type, Implementation] = {
    Conv2DOp: run_conv2d,
    DepthwiseConv2DOp: run_depthwise,
    PoolingOp: run_pooling,
    ElementwiseOp: run_elementwise,
    DmaOp: run_dma,
}

for _cls, _fn in IMPLEMENTATIONS.items():
    executes(_cls)(_fn)

__all__ = ["IMPLEMENTATIONS", "MemoryFault", "OpError"]
