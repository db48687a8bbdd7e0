"""int8 binary elementwise kernels with numpy broadcasting (TFLite ADD, SUB,
MUL, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE) and the unary ABS and NEG."""

from __future__ import annotations

import functools

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
    "abs",
    "add",
    "maximum",
    "minimum",
    "mul",
    "neg",
    "squared_difference",
    "sub",
]


def _operands(lhs: np.ndarray, rhs: np.ndarray, lhs_zp: int, rhs_zp: int):
    a = np.asarray(lhs)
    b = np.asarray(rhs)
    if a.dtype != np.int8 or b.dtype != np.int8:
        raise TypeError(f"operands must be int8, got {a.dtype} and {b.dtype}")
    a64, b64 = np.broadcast_arrays(
        a.astype(np.int64) - lhs_zp, b.astype(np.int64) - rhs_zp
    )
    return a64, b64


def _add_or_sub(
    lhs: np.ndarray,
    rhs: np.ndarray,
    sign: int,
    lhs_zp: int,
    rhs_zp: int,
    output_zp: int,
    left_shift: int,
    lhs_multiplier: int,
    lhs_shift: int,
    rhs_multiplier: int,
    rhs_shift: int,
    output_multiplier: int,
    output_shift: int,
    act_min: int,
    act_max: int,
) -> np.ndarray:
    a, b = _operands(lhs, rhs, lhs_zp, rhs_zp)
    sa = multiply_by_quantized_multiplier(
        wrap_int32(a << left_shift), lhs_multiplier, lhs_shift
    )
    sb = multiply_by_quantized_multiplier(
        wrap_int32(b << left_shift), rhs_multiplier, rhs_shift
    )
    raw = wrap_int32(sa + sign * sb)
    out = (
        multiply_by_quantized_multiplier(raw, output_multiplier, output_shift)
        + output_zp
    )
    return np.clip(out, act_min, act_max).astype(np.int8)


def add(
    lhs: np.ndarray,
    rhs: np.ndarray,
    *,
    lhs_zp: int,
    rhs_zp: int,
    output_zp: int,
    left_shift: int,
    lhs_multiplier: int,
    lhs_shift: int,
    rhs_multiplier: int,
    rhs_shift: int,
    output_multiplier: int,
    output_shift: int,
    act_min: int,
    act_max: int,
) -> np.ndarray:
    """int8 addition with broadcasting.

    Mirrors ``tflite::reference_integer_ops::AddFunc`` (and the broadcast
    variants, which apply the same function per element): each operand is
    offset by its zero point, shifted left by ``left_shift`` (20 for int8) and
    rescaled with ``MultiplyByQuantizedMultiplierSmallerThanOneExp``; the sum
    is rescaled with the output multiplier, offset and clamped.
    """
    return _add_or_sub(
        lhs, rhs, 1, lhs_zp, rhs_zp, output_zp, left_shift, lhs_multiplier,
        lhs_shift, rhs_multiplier, rhs_shift, output_multiplier, output_shift,
        act_min, act_max,
    )  # fmt: skip


def sub(
    lhs: np.ndarray,
    rhs: np.ndarray,
    *,
    lhs_zp: int,
    rhs_zp: int,
    output_zp: int,
    left_shift: int,
    lhs_multiplier: int,
    lhs_shift: int,
    rhs_multiplier: int,
    rhs_shift: int,
    output_multiplier: int,
    output_shift: int,
    act_min: int,
    act_max: int,
) -> np.ndarray:
    """int8 subtraction with broadcasting.

    Mirrors ``tflite::reference_ops::SubFunc`` for int8 (the general
    quantised path of sub.cc): as :func:`add` with the rescaled right operand
    subtracted.
    """
    return _add_or_sub(
        lhs, rhs, -1, lhs_zp, rhs_zp, output_zp, left_shift, lhs_multiplier,
        lhs_shift, rhs_multiplier, rhs_shift, output_multiplier, output_shift,
        act_min, act_max,
    )  # fmt: skip


def mul(
    lhs: np.ndarray,
    rhs: np.ndarray,
    *,
    lhs_zp: int,
    rhs_zp: int,
    output_zp: int,
    output_multiplier: int,
    output_shift: int,
    act_min: int,
    act_max: int,
) -> np.ndarray:
    """int8 multiplication with broadcasting.

    Mirrors ``tflite::reference_integer_ops::MulElementwise``:
    ``MultiplyByQuantizedMultiplier((lhs - lhs_zp) * (rhs - rhs_zp), m, s) +
    output_zp`` clamped to ``[act_min, act_max]``.
    """
    a, b = _operands(lhs, rhs, lhs_zp, rhs_zp)
    out = multiply_by_quantized_multiplier(a * b, output_multiplier, output_shift)
    return np.clip(out + output_zp, act_min, act_max).astype(np.int8)


def _min_max(lhs: np.ndarray, rhs: np.ndarray, fn) -> np.ndarray:  # type: ignore[no-untyped-def]
    a, b = np.asarray(lhs), np.asarray(rhs)
    if a.dtype != b.dtype or a.dtype not in (np.int8, np.int16):
        raise TypeError(f"operands must be int8 or int16, got {a.dtype}, {b.dtype}")
    return fn(a, b)


def maximum(lhs: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """MAXIMUM (``MaximumMinimumBroadcastSlow``): the larger stored value,
    with numpy broadcasting; no rescaling."""
    return _min_max(lhs, rhs, np.maximum)


def minimum(lhs: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """MINIMUM: the smaller stored value (see :func:`maximum`)."""
    return _min_max(lhs, rhs, np.minimum)


def abs(
    input: np.ndarray, *, input_zp: int, output_zp: int, multiplier: int, shift: int
) -> np.ndarray:
    """int8 ABS (elementwise.cc): ``clamp(MultiplyByQuantizedMultiplier(
    |x - input_zp|, multiplier, shift) + output_zp)`` (with equal scales
    LiteRT skips the multiply, which QuantizeMultiplier(1) leaves exact)."""
    x = np.asarray(input)
    if x.dtype != np.int8:
        raise TypeError(f"input must be int8, got {x.dtype}")
    v = np.abs(x.astype(np.int64) - int(input_zp))
    out = multiply_by_quantized_multiplier(v, multiplier, shift) + int(output_zp)
    return np.clip(out, -128, 127).astype(np.int8)


@functools.cache
def _inv_sqrt_multiplier_exp(value: int) -> tuple[int, int]:
    """TFLite ``GetInvSqrtQuantizedMultiplierExp(value, kReverseShift)``:
    1/sqrt(value) as (multiplier, left shift), by gemmlowp's Newton-Raphson
    in Q3 fixed point (five iterations from x = 1). A function of the int
    alone, remembered: each RSQRT's table asks it for up to 255 values, in
    numpy scalar arithmetic (a compile's tir-tabulate makes one table per
    RSQRT, a transformer's layer norms several)."""
    if value <= 1:
        return INT32_MAX, 0
    shift = 11
    while value >= 1 << 29:
        value //= 4
        shift += 1
    max_left = (32 - value.bit_length()) - 1  # CountLeadingZeros - 1
    pairs = max_left // 2 - 1
    shift -= pairs
    value <<= 2 * pairs
    srdhm = saturating_rounding_doubling_high_mul

    def mul(a: int, b: int) -> int:
        return int(srdhm(a, b))

    def rescale(raw: int, exponent: int) -> int:  # SaturatingRoundingMultiplyByPOT
        return int(saturating_rounding_multiply_by_pot(np.int64(raw), exponent))

    x_in = value >> 1
    half_in = int(rounding_divide_by_pot(x_in, 1))
    half_three = (1 << 28) + (1 << 27)
    x = 1 << 28  # F3::One()
    for _ in range(5):
        x3 = rescale(mul(mul(x, x), x), 6)  # F9 -> F3
        x = rescale(int(wrap_int32(mul(half_three, x) - mul(half_in, x3))), 3)
    x = mul(x, 1518500250)  # times sqrt(2)/2 (Q0)
    if shift < 0:
        x = int(wrap_int32(x << -shift))
        shift = 0
    return x, -shift


def rsqrt(
    input: np.ndarray, *, input_zp: int, output_zp: int, multiplier: int, shift: int
) -> np.ndarray:
    """int8 RSQRT (elementwise.cc RsqrtEvalQuantizedInt8): with v = input -
    input_zp, (m, e) = GetInvSqrtQuantizedMultiplierExp(v), data =
    MultiplyByQuantizedMultiplier(1, m, e + 20), output = clamp(
    MultiplyByQuantizedMultiplier(data, multiplier, shift - 20) +
    output_zp); v = 0 gives 127. LiteRT refuses v < 0 at run time
    ("only defined for positive values"); here, as on the NPU (Vela's
    table), it gives 127 as v = 0 does."""
    x = np.asarray(input)
    if x.dtype != np.int8:
        raise TypeError(f"input must be int8, got {x.dtype}")
    table = np.empty(256, np.int64)
    for i, q in enumerate(range(-128, 128)):
        v = q - int(input_zp)
        if v <= 0:
            table[i] = 127
            continue
        m, e = _inv_sqrt_multiplier_exp(v)
        data = multiply_by_quantized_multiplier(1, m, e + 20)
        out = multiply_by_quantized_multiplier(data, multiplier, shift - 20)
        table[i] = np.clip(int(out) + int(output_zp), -128, 127)
    return table[x.astype(np.int64) + 128].astype(np.int8)


def neg(input: np.ndarray) -> np.ndarray:
    """NEG (``reference_ops::Negate``): ``-x`` on the stored value, in the
    input's type (int8 -(-128) wraps to -128); no rescaling. float32: the
    float negation (the sign bit flipped, NaN and zeros included)."""
    x = np.asarray(input)
    if x.dtype == np.float32:
        return np.negative(x)
    if x.dtype not in (np.int8, np.int16):
        raise TypeError(f"input must be int8, int16 or float32, got {x.dtype}")
    return (-x.astype(np.int64)).astype(x.dtype)


def squared_difference(
    lhs: np.ndarray,
    rhs: np.ndarray,
    *,
    lhs_zp: int,
    rhs_zp: int,
    output_zp: int,
    left_shift: int,
    lhs_multiplier: int,
    lhs_shift: int,
    rhs_multiplier: int,
    rhs_shift: int,
    output_multiplier: int,
    output_shift: int,
    workspace: np.ndarray | None = None,
) -> np.ndarray:
    """int8 SQUARED_DIFFERENCE with broadcasting (squared_difference.cc):
    each operand offset by its zero point, shifted left by ``left_shift`` (7)
    and rescaled with its multiplier (``MultiplyByQuantizedMultiplier``); the
    difference squared (int32) and rescaled to the output, clamped to int8.
    ``workspace`` (the NPU sequence's scratch) does not change the result."""
    a, b = _operands(lhs, rhs, lhs_zp, rhs_zp)
    sa = multiply_by_quantized_multiplier(a << left_shift, lhs_multiplier, lhs_shift)
    sb = multiply_by_quantized_multiplier(b << left_shift, rhs_multiplier, rhs_shift)
    d = sa - sb
    raw = wrap_int32(d * d)
    out = multiply_by_quantized_multiplier(raw, output_multiplier, output_shift)
    return np.clip(out + int(output_zp), -128, 127).astype(np.int8)
