"""gemmlowp / TFLite fixed-point arithmetic, vectorised over int64 numpy arrays.

Every function takes and returns ``np.int64`` arrays (or anything numpy can
broadcast) whose values lie in the int32 range, and reproduces the int32 C++
semantics exactly, including the wrap-around of ``x * (1 << left_shift)``
that the reference kernels perform in int32.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "INT32_MIN",
    "INT32_MAX",
    "wrap_int32",
    "saturating_rounding_doubling_high_mul",
    "rounding_divide_by_pot",
    "multiply_by_quantized_multiplier",
    "multiply_by_quantized_multiplier_single_round",
    "multiply_by_quantized_multiplier_greater_than_one",
    "multiply_by_quantized_multiplier_int64",
    "saturating_rounding_multiply_by_pot",
    "exp_on_negative_values",
]

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1


def _i64(x: object) -> np.ndarray:
    return np.asarray(x, dtype=np.int64)


def wrap_int32(x: np.ndarray) -> np.ndarray:
    """Two's-complement wrap of int64 values to the int32 range (C++ int32 overflow)."""
    return ((_i64(x) + 2**31) & 0xFFFFFFFF) - 2**31


def saturating_rounding_doubling_high_mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """gemmlowp ``SaturatingRoundingDoublingHighMul`` for int32.

    ``(a * b + nudge) / 2**31`` with C++ truncating division, where nudge is
    ``2**30`` for non-negative products and ``1 - 2**30`` otherwise; the single
    overflow case ``a == b == INT32_MIN`` saturates to ``INT32_MAX``.
    """
    a = _i64(a)
    b = _i64(b)
    ab = a * b
    s = ab + np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    q = np.where(s >= 0, s >> 31, -((-s) >> 31))
    return np.where((a == b) & (a == INT32_MIN), INT32_MAX, q)


def rounding_divide_by_pot(x: np.ndarray, exponent: np.ndarray | int) -> np.ndarray:
    """gemmlowp ``RoundingDivideByPOT``: ``x / 2**exponent`` rounded half away from 0.

    ``exponent`` may be an array broadcasting against ``x`` (0 <= exponent <= 31).
    """
    x = _i64(x)
    e = _i64(exponent)
    mask = (np.int64(1) << e) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (x < 0)
    return (x >> e) + (remainder > threshold)


def multiply_by_quantized_multiplier(
    x: np.ndarray, multiplier: np.ndarray | int, shift: np.ndarray | int
) -> np.ndarray:
    """TFLite ``MultiplyByQuantizedMultiplier(int32 x, int32 m, int shift)``.

    The double-rounding (gemmlowp) form, which is what TFLite builds without
    ``TFLITE_SINGLE_ROUNDING`` use: shift > 0 is a left shift applied to ``x``
    (wrapping in int32) before the high multiply, shift < 0 a rounding right
    shift after it. ``multiplier`` / ``shift`` may be per-channel arrays that
    broadcast against ``x``.
    """
    s = _i64(shift)
    left = np.maximum(s, 0)
    right = np.maximum(-s, 0)
    xs = wrap_int32(_i64(x) << left)
    return rounding_divide_by_pot(
        saturating_rounding_doubling_high_mul(xs, multiplier), right
    )


def multiply_by_quantized_multiplier_single_round(
    x: np.ndarray, multiplier: np.ndarray | int, shift: np.ndarray | int
) -> np.ndarray:
    """Single-rounding ``MultiplyByQuantizedMultiplier`` (``TFLITE_SINGLE_ROUNDING``).

    ``(x * multiplier + 2**(30 - shift)) >> (31 - shift)`` in int64, i.e. one
    rounding, ties towards +inf, result wrapped to int32. This is also ruy's
    ``MultiplyByQuantizedMultiplier``. Requires ``shift <= 30``.
    """
    total = 31 - _i64(shift)
    if np.any(total < 1):
        raise ValueError("single-rounding multiplier needs shift <= 30")
    r = (_i64(x) * _i64(multiplier) + (np.int64(1) << (total - 1))) >> total
    return wrap_int32(r)


def multiply_by_quantized_multiplier_int64(
    x: np.ndarray,
    multiplier: np.ndarray | int,
    shift: np.ndarray | int,
    overflow_to_min: bool = False,
) -> np.ndarray:
    """TFLite ``MultiplyByQuantizedMultiplier(int64 x, int32 m, int shift)``,
    the requantization of the 16x8 kernels' 64-bit accumulators: the
    multiplier rounded to 15 bits (``(m + 2^15) >> 16``, 0x7FFF from
    0x7FFF0000 on), then ``(x * m15 + 2^(14 - shift)) >> (15 - shift)`` in
    int64 (one rounding, ties towards +inf), as int32: wrapped, or with
    `overflow_to_min` INT32_MIN where it does not fit (what LiteRT's 16x8
    FULLY_CONNECTED gives there, measured; its conv wraps)."""
    m = _i64(multiplier)
    reduced = np.where(m < 0x7FFF0000, (m + (1 << 15)) >> 16, 0x7FFF)
    total = 15 - _i64(shift)
    if np.any(total < 1):
        raise ValueError("the 64-bit requantization needs shift <= 14")
    r = (_i64(x) * reduced + (np.int64(1) << (total - 1))) >> total
    if overflow_to_min:
        return np.where((r < INT32_MIN) | (r > INT32_MAX), INT32_MIN, r)
    return wrap_int32(r)


def multiply_by_quantized_multiplier_greater_than_one(
    x: np.ndarray, multiplier: np.ndarray | int, left_shift: np.ndarray | int
) -> np.ndarray:
    """TFLite ``MultiplyByQuantizedMultiplierGreaterThanOne``.

    ``SaturatingRoundingDoublingHighMul(x * (1 << left_shift), multiplier)``.
    """
    xs = wrap_int32(_i64(x) << _i64(left_shift))
    return saturating_rounding_doubling_high_mul(xs, multiplier)


def saturating_rounding_multiply_by_pot(x: np.ndarray, exponent: int) -> np.ndarray:
    """gemmlowp ``SaturatingRoundingMultiplyByPOT<exponent>`` for int32.

    Positive exponents shift left with saturation, negative ones are a
    :func:`rounding_divide_by_pot`.
    """
    x = _i64(x)
    if exponent == 0:
        return x
    if exponent < 0:
        return rounding_divide_by_pot(x, -exponent)
    limit = np.int64(1) << (31 - exponent)
    return np.where(
        x >= limit, INT32_MAX, np.where(x <= -limit, INT32_MIN, x << exponent)
    )


def _fx_mul(a: np.ndarray, b: np.ndarray | int) -> np.ndarray:
    return saturating_rounding_doubling_high_mul(a, b)


def exp_on_negative_values(a: np.ndarray, integer_bits: int) -> np.ndarray:
    """gemmlowp ``exp_on_negative_values`` for int32: ``a`` (raw values of a
    fixed point with ``integer_bits`` integer bits, a <= 0) to exp(a) as a
    raw Q0.31 value.

    exp(a mod 1/4 − 1/4) by a 4-term Taylor expansion around −1/8, times
    exp(−2^k) for each set bit k of the remainder (a barrel shifter of
    constants), 1 for a == 0. Fixed-point + is a raw int32 add, * is
    SaturatingRoundingDoublingHighMul.
    """
    a = _i64(a)
    frac = 31 - integer_bits
    quarter = np.int64(1) << (frac - 2)
    a_mod = (a & (quarter - 1)) - quarter  # in [-1/4, 0)
    # Rescale<0>: to Q0.31 (a saturating left shift by integer_bits)
    x0 = saturating_rounding_multiply_by_pot(a_mod, integer_bits)
    # exp on [-1/4, 0): Taylor around -1/8
    x = wrap_int32(x0 + (1 << 28))
    x2 = _fx_mul(x, x)
    x3 = _fx_mul(x2, x)
    x4 = _fx_mul(x2, x2)
    x4_over_4 = rounding_divide_by_pot(x4, 2)
    poly = rounding_divide_by_pot(
        wrap_int32(_fx_mul(wrap_int32(x4_over_4 + x3), 715827883) + x2), 1
    )
    constant_term = 1895147668  # exp(-1/8)
    result = wrap_int32(constant_term + _fx_mul(constant_term, wrap_int32(x + poly)))
    remainder = wrap_int32(a_mod - a)
    for exponent, multiplier in (
        (-2, 1672461947),  # exp(-1/4)
        (-1, 1302514674),  # exp(-1/2)
        (0, 790015084),  # exp(-1)
        (1, 290630308),  # exp(-2)
        (2, 39332535),  # exp(-4)
        (3, 720401),  # exp(-8)
        (4, 242),  # exp(-16)
    ):
        if integer_bits > exponent:
            bit = (remainder >> (frac + exponent)) & 1
            result = np.where(bit != 0, _fx_mul(result, multiplier), result)
    if integer_bits > 5:
        clamp = -(np.int64(1) << (frac + 5))  # exp(-32) is 0 in Q0.31
        result = np.where(a < clamp, 0, result)
    return np.where(a == 0, INT32_MAX, result)
