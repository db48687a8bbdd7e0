"""int8 SOFTMAX / LOGISTIC kernels as LiteRT's BUILTIN_REF resolver runs them.

SOFTMAX is TFLite's gemmlowp integer algorithm (``reference_ops::Softmax``:
LiteRT 2.3's BUILTIN_REF runs it for int8; the float-table variant of the
optimized kernels rounds differently on about 1 element in 10^5), on an
int32 exponential table; LOGISTIC a 256-entry int8 table built by
``LUTPopulate`` / ``PopulateLookupTable``. The tables are computed at import
time (see :mod:`tirconst.frontend.tflite_params`); these kernels apply them.
"""

from __future__ import annotations

import numpy as np

from .fixedpoint import (
    INT32_MAX,
    multiply_by_quantized_multiplier,
    rounding_divide_by_pot,
    saturating_rounding_doubling_high_mul,
    saturating_rounding_multiply_by_pot,
    wrap_int32,
)

__all__ = [
    "hard_swish",
    "leaky_relu",
    "logistic",
    "prelu",
    "relu",
    "round_half_away_from_zero",
    "softmax",
    "softmax_int16",
    "lookup",
    "lookup_int16",
]


def round_half_away_from_zero(v: np.ndarray) -> np.ndarray:
    """``std::round`` on floating-point arrays (exact; ties away from zero)."""
    v = np.asarray(v)
    t = np.trunc(v)
    return np.where(np.abs(v - t) >= 0.5, t + np.sign(v), t)


def softmax(
    input: np.ndarray,
    *,
    exp_table: np.ndarray,
    output_scale: float,
    output_zp: int,
    workspace: np.ndarray | None = None,
) -> np.ndarray:
    """int8 softmax over the last axis, TFLite's integer algorithm.

    Mirrors ``reference_ops::Softmax`` for int8 (gemmlowp fixed point), which
    LiteRT's int8 SOFTMAX runs under BUILTIN_REF. Per row, with
    ``e[j] = exp_table[x[j] − max + 255]`` (Q0.31, 0 below diff_min): the
    sum of ``RoundingDivideByPOT(e, 12)`` (Q12.19, int32), its reciprocal
    by ``GetReciprocal`` (leading zeros, then three Newton-Raphson steps of
    gemmlowp's ``one_over_one_plus_x_for_x_in_0_1``), and per element
    ``RoundingDivideByPOT(SRDHM(reciprocal, e), 35 − clz(sum)) + output_zp``
    clamped to int8. The output quantization must be 1/256, −128.

    ``exp_table`` may hold more than 256 entries (tir-legalize-npu appends
    the NPU's constants): the first 256 are used. ``workspace`` (the NPU
    lowering's scratch) is not used.

    Where the sum reaches 2^28 (512 or more channels at the maximum) the
    final shift exceeds 31: gemmlowp asserts (LiteRT aborts); this kernel
    shifts by the larger amount.
    """
    x = np.asarray(input)
    if x.dtype != np.int8:
        raise TypeError(f"input must be int8, got {x.dtype}")
    table = np.asarray(exp_table).reshape(-1)
    if table.size < 256:
        raise ValueError(f"exp_table must have 256 entries, got {table.size}")
    table = table[:256]
    depth = x.shape[-1] if x.ndim else 1
    rows = x.reshape(-1, depth).astype(np.int64)
    e = table.astype(np.int64)[rows - rows.max(axis=1, keepdims=True) + 255]
    total = wrap_int32(rounding_divide_by_pot(e, 12).sum(axis=1, keepdims=True))
    unsigned = total & 0xFFFFFFFF
    clz = 32 - _bit_length(unsigned)
    shifted_minus_one = wrap_int32((unsigned << clz) - (np.int64(1) << 31))
    reciprocal = _one_over_one_plus_x(shifted_minus_one)
    exponent = np.broadcast_to(12 - clz + 31 - 8, e.shape)
    out = _rounding_shift(
        saturating_rounding_doubling_high_mul(reciprocal, e), exponent
    )
    return np.clip(out + int(output_zp), -128, 127).astype(np.int8).reshape(x.shape)


def _bit_length(u: np.ndarray) -> np.ndarray:
    n = np.zeros(u.shape, dtype=np.int64)
    for k in range(32):
        n += (u >> k) > 0
    return n


def _rounding_shift(x: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    """RoundingDivideByPOT for exponents up to 62 (half away from zero)."""
    mask = (np.int64(1) << exponent) - 1
    return (x >> exponent) + ((x & mask) > (mask >> 1) + (x < 0))


def _one_over_one_plus_x(a: np.ndarray) -> np.ndarray:
    """gemmlowp ``one_over_one_plus_x_for_x_in_0_1`` on raw Q0.31 values:
    1 / (1 + a) as Q0.31 (Q2.29 Newton-Raphson, then rescaled)."""
    s = a + INT32_MAX  # RoundingHalfSum(a, One): (s ± 1) / 2 in C
    half_denominator = np.where(s >= 0, (s + 1) // 2, -((1 - s) // 2))
    srdhm = saturating_rounding_doubling_high_mul
    x = wrap_int32(1515870810 + srdhm(half_denominator, -1010580540))  # 48/17 - 32/17 d
    for _ in range(3):
        one_minus = wrap_int32((1 << 29) - srdhm(half_denominator, x))
        x = wrap_int32(x + saturating_rounding_multiply_by_pot(srdhm(x, one_minus), 2))
    return saturating_rounding_multiply_by_pot(x, 1)


def lookup_int16(value: np.ndarray, lut: np.ndarray) -> np.ndarray:
    """LiteRT's interpolating lookup of an int16 value in a 513-entry int16
    table (``lut_lookup_with_interpolation`` / ``generic_int16_table_lookup``):
    ``lut[256 + (v >> 7)]`` plus the slope to the next entry (int16) times
    the low 7 bits, ``(slope * offset + 64) >> 7``; the sum as int16."""
    v = np.asarray(value).astype(np.int32)
    t = np.asarray(lut).astype(np.int32)
    index = 256 + (v >> 7)
    offset = v & 0x7F
    base = t[index]
    slope = (t[index + 1] - base).astype(np.int16).astype(np.int32)
    delta = (slope * offset + 64) >> 7
    return (base + delta).astype(np.int16)


def softmax_int16(
    input: np.ndarray,
    *,
    exp_table: np.ndarray,
    input_multiplier: int,
    input_left_shift: int,
    workspace: np.ndarray | None = None,
) -> np.ndarray:
    """int16 softmax over the last axis: ``reference_ops::SoftmaxInt16``,
    which LiteRT runs for int16 input and output (zero points 0).

    ``exp_table`` is the two 513-entry int16 tables of SoftmaxPrepare, one after
    the other: exp on [-10, 0] and 1 / (1 + x) on [0, 1], each mapping
    [-1, 1] to [-32768, 32768] (:func:`lookup_int16`). Per row: the
    difference to the row maximum scaled by ``MultiplyByQuantizedMultiplier(
    d, input_multiplier, input_left_shift)`` (so -65535 is -10.0), plus
    32767 saturated to int16, looked up in the exp table (Q0.15); their
    int32 sum normalized by its leading zeros ``clz`` to
    ``((sum << (clz - 1)) + 2^13) >> 14``, minus 3 · 2^15, saturated, looked
    up in the 1 / (1 + x) table; each output ``(exp · reciprocal + 2^(30 −
    clz)) >> (31 − clz)`` clamped to [0, 32767].

    ``exp_table`` may hold more than 1026 entries (tir-legalize-npu appends
    the NPU's tables and constants): the first 1026 are used.
    ``workspace`` (the NPU lowering's scratch) is not used.
    """
    x = np.asarray(input)
    if x.dtype != np.int16:
        raise TypeError(f"input must be int16, got {x.dtype}")
    t = np.asarray(exp_table).reshape(-1)
    if t.size < 2 * 513:
        raise ValueError(f"exp_table must have {2 * 513} entries, got {t.size}")
    exp_lut, recip_lut = t[:513], t[513 : 2 * 513]
    if x.size == 0:
        return x.copy()
    v = x.astype(np.int64)
    diff = v - v.max(axis=-1, keepdims=True)
    scaled = multiply_by_quantized_multiplier(diff, input_multiplier, input_left_shift)
    sym = np.clip(scaled + 32767, -32768, 32767)
    e = lookup_int16(sym, exp_lut).astype(np.int64)
    total = wrap_int32(e.sum(axis=-1, keepdims=True))
    clz = 32 - _bit_length(total & 0xFFFFFFFF)
    shifted = ((total << (clz - 1)) + (1 << 13)) >> 14
    sym_sum = np.clip(shifted - ((1 << 15) + (1 << 16)), -32768, 32767)
    recip = lookup_int16(sym_sum, recip_lut).astype(np.int64)
    right = 31 - clz
    out = (e * recip + (np.int64(1) << (right - 1))) >> right
    return np.clip(out, 0, 32767).astype(np.int16)


def logistic(input: np.ndarray, *, table: np.ndarray) -> np.ndarray:
    """int8 logistic through a 256-entry lookup table.

    Mirrors ``EvalUsingLookupTable`` / ``LUTLookup`` of activations.cc:
    ``output = table[input + 128]`` (``table[i]`` is the result for the
    input value ``i - 128``; TFLite stores the same table rotated, indexed by
    ``uint8(input)``).
    """
    x = np.asarray(input)
    if x.dtype != np.int8:
        raise TypeError(f"input must be int8, got {x.dtype}")
    t = np.asarray(table, dtype=np.int8).reshape(-1)
    if t.size != 256:
        raise ValueError(f"table must have 256 entries, got {t.size}")
    return t[x.astype(np.int32) + 128]


def lookup(input: np.ndarray, *, table: np.ndarray) -> np.ndarray:
    """An int8 activation through its 256-entry lookup table
    (``EvalUsingLookupTable`` / ``LookupTable``, which LiteRT's int8 TANH,
    EXP, LOG and GELU run under BUILTIN_REF): as :func:`logistic`."""
    return logistic(input, table=table)


def relu(
    input: np.ndarray,
    *,
    input_zp: int,
    output_zp: int,
    multiplier: int,
    shift: int,
    act_min: int,
    act_max: int,
) -> np.ndarray:
    """int8 RELU / RELU6 / RELU_N1_TO_1 / RELU_0_TO_1 (``ReluX``):
    ``clamp(output_zp + MultiplyByQuantizedMultiplier(x - input_zp,
    multiplier, shift), act_min, act_max)``."""
    x = np.asarray(input)
    if x.dtype != np.int8:
        raise TypeError(f"input must be int8, got {x.dtype}")
    v = multiply_by_quantized_multiplier(
        x.astype(np.int64) - int(input_zp), multiplier, shift
    ) + int(output_zp)
    return np.clip(v, act_min, act_max).astype(np.int8)


def leaky_relu(
    input: np.ndarray,
    *,
    input_zp: int,
    output_zp: int,
    alpha_multiplier: int,
    alpha_shift: int,
    identity_multiplier: int,
    identity_shift: int,
) -> np.ndarray:
    """int8 LEAKY_RELU (``reference_ops::QuantizeLeakyRelu``): with
    ``d = x - input_zp``, ``output_zp + MultiplyByQuantizedMultiplier(d, m, s)``
    with the identity multiplier for ``d >= 0`` and the alpha one otherwise,
    saturated to int8."""
    x = np.asarray(input)
    if x.dtype != np.int8:
        raise TypeError(f"input must be int8, got {x.dtype}")
    d = x.astype(np.int64) - int(input_zp)
    pos = multiply_by_quantized_multiplier(d, identity_multiplier, identity_shift)
    neg = multiply_by_quantized_multiplier(d, alpha_multiplier, alpha_shift)
    v = np.where(d >= 0, pos, neg) + int(output_zp)
    return np.clip(v, -128, 127).astype(np.int8)


def _wrap16(x: np.ndarray) -> np.ndarray:
    return ((np.asarray(x, np.int64) + 2**15) & 0xFFFF) - 2**15


def _srdhm16(a: np.ndarray, b: np.ndarray | int) -> np.ndarray:
    """gemmlowp ``SaturatingRoundingDoublingHighMul`` on int16."""
    a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
    ab = a * b
    s = ab + np.where(ab >= 0, 1 << 14, 1 - (1 << 14))
    q = np.where(s >= 0, s >> 15, -((-s) >> 15))
    return np.where((a == b) & (a == -(2**15)), 2**15 - 1, q)


def _sdhm16(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``SaturatingDoublingHighMul`` on int16: the product / 2^15 truncated."""
    a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
    ab = a * b
    q = np.where(ab >= 0, ab >> 15, -((-ab) >> 15))
    return np.where((a == b) & (a == -(2**15)), 2**15 - 1, q)


def _saturating_left_shift16(x: np.ndarray, amount: int) -> np.ndarray:
    return np.clip(np.asarray(x, np.int64) << amount, -(2**15), 2**15 - 1)


def hard_swish(
    input: np.ndarray,
    *,
    input_zp: int,
    output_zp: int,
    output_multiplier: int,
    output_shift: int,
    reluish_multiplier: int,
    reluish_shift: int,
) -> np.ndarray:
    """int8 HARD_SWISH as ``reference_ops::HardSwish`` computes it in 16-bit
    fixed point (see `tir.hard_swish`)."""
    x = np.asarray(input)
    if x.dtype != np.int8:
        raise TypeError(f"input must be int8, got {x.dtype}")
    hires = _wrap16((x.astype(np.int64) - int(input_zp)) * 128)
    preshift = _srdhm16(hires, output_multiplier)
    r = hires
    if reluish_shift > 0:
        r = _saturating_left_shift16(r, reluish_shift - 1)
    r = _srdhm16(r, reluish_multiplier)
    if reluish_shift > 0:
        r = _saturating_left_shift16(r, 1)
    if reluish_shift < 0:
        r = rounding_divide_by_pot(r, -reluish_shift)
    r = (r + (1 << 15)) >> 1
    out = rounding_divide_by_pot(_sdhm16(r, preshift), -int(output_shift))
    out = _wrap16(out + int(output_zp))
    return np.clip(out, -128, 127).astype(np.int8)


def prelu(
    input: np.ndarray,
    alpha: np.ndarray,
    *,
    input_zp: int,
    alpha_zp: int,
    output_zp: int,
    identity_multiplier: int,
    identity_shift: int,
    alpha_multiplier: int,
    alpha_shift: int,
    workspace: np.ndarray | None = None,
) -> np.ndarray:
    """int8 PRELU (``reference_ops::BroadcastPrelu4DSlow``): with ``d = x -
    input_zp``, ``MultiplyByQuantizedMultiplier(d, identity)`` for ``d >= 0``
    else ``MultiplyByQuantizedMultiplier(d * (alpha - alpha_zp), alpha)``,
    plus ``output_zp``, saturated to int8; alpha broadcasts. ``workspace``
    (the NPU sequence's scratch) does not change the result."""
    x, a = np.asarray(input), np.asarray(alpha)
    if x.dtype != np.int8 or a.dtype != np.int8:
        raise TypeError(f"input and alpha must be int8, got {x.dtype}, {a.dtype}")
    d = x.astype(np.int64) - int(input_zp)
    av = np.broadcast_to(a.astype(np.int64) - int(alpha_zp), d.shape)
    pos = multiply_by_quantized_multiplier(d, identity_multiplier, identity_shift)
    neg = multiply_by_quantized_multiplier(d * av, alpha_multiplier, alpha_shift)
    out = np.where(d >= 0, pos, neg) + int(output_zp)
    return np.clip(out, -128, 127).astype(np.int8)
