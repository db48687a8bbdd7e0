"""The integers TFLite's int8 kernels use, derived from the float scales.

This is the one place the derivation lives: the importer calls it to build the
operator ops, and the verifier calls it to check that an op's integers
(multiplier, shift, left_shift, ...) agree exactly with its float32 scales.
Each function reproduces the arithmetic LiteRT's Prepare step performs (which
products are taken in double and which in float32 was measured against LiteRT,
see ``tests/test_tflite_litert.py``).

Conventions: ``real ~= multiplier * 2**(shift - 31)``, shift > 0 is a left shift;
scales are float32 values (taken as ``np.float32`` first, whatever is passed).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np

ADD_SUB_LEFT_SHIFT = 20
"""add.cc / sub.cc: int8 inputs are shifted left by 20 before rescaling."""


def round_half_away(v: float) -> float:
    """``std::round`` on one double: halves round away from zero."""
    t = math.trunc(v)
    return t + math.copysign(1.0, v) if abs(v - t) >= 0.5 else float(t)


def quantize_multiplier(real_multiplier: float) -> tuple[int, int]:
    """Mirror of ``tflite::QuantizeMultiplier`` (double-rounding build).

    Returns ``(multiplier, shift)`` with ``real ~= multiplier * 2**(shift - 31)``:
    ``frexp`` splits the value, the fraction is rounded (``std::round``) to Q31;
    a fraction that rounds up to 2**31 is halved with ``shift + 1``; shifts below
    -31 flush to ``(0, 0)``.
    """
    if real_multiplier == 0.0:
        return 0, 0
    q, shift = math.frexp(real_multiplier)
    q_fixed = int(round_half_away(q * (1 << 31)))
    if q_fixed == (1 << 31):
        q_fixed //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    return q_fixed, shift


def quantize_multiplier_smaller_than_one_exp(real_multiplier: float) -> tuple[int, int]:
    """Mirror of ``tflite::QuantizeMultiplierSmallerThanOneExp`` (0 < m < 1)."""
    if not 0.0 < real_multiplier < 1.0:
        raise ValueError(f"multiplier {real_multiplier} not in (0, 1)")
    return quantize_multiplier(real_multiplier)


def _f64(scale: float) -> float:
    return float(np.float32(scale))


def conv_multipliers(
    input_scale: float, filter_scales: Sequence[float] | np.ndarray, output_scale: float
) -> tuple[np.ndarray, np.ndarray]:
    """CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED: per filter scale,
    ``QuantizeMultiplier(double(in) * double(filter) / double(out))``
    (PopulateConvolutionQuantizationParams, GetQuantizedConvolutionMultipler).
    Returns int32 arrays (multiplier, shift), one entry per filter scale
    (fresh arrays; the integers are computed once per scales: every op's
    verifier asks again after each pass)."""
    fs = np.asarray(filter_scales, np.float32).reshape(-1)
    mult, shift = _conv_multipliers(
        float(input_scale), fs.tobytes(), float(output_scale)
    )
    return (
        np.frombuffer(mult, np.int32).copy(),
        np.frombuffer(shift, np.int32).copy(),
    )


@functools.lru_cache(maxsize=4096)
def _conv_multipliers(
    input_scale: float, filter_scales: bytes, output_scale: float
) -> tuple[bytes, bytes]:
    fs = np.frombuffer(filter_scales, np.float32)
    mult = np.empty(fs.size, np.int32)
    shift = np.empty(fs.size, np.int32)
    for i, f in enumerate(fs):
        real = _f64(input_scale) * float(f) / _f64(output_scale)
        mult[i], shift[i] = quantize_multiplier(real)
    return mult.tobytes(), shift.tobytes()


def add_sub_integers(
    lhs_scale: float, rhs_scale: float, output_scale: float
) -> dict[str, int]:
    """ADD and SUB (general 8-bit path): the inputs are rescaled to twice the
    larger input scale, the sum back to the output scale; all products are exact
    in double. Raises ValueError where TFLite's Prepare fails its CHECK."""
    a, b, o = _f64(lhs_scale), _f64(rhs_scale), _f64(output_scale)
    twice_max = 2.0 * max(a, b)
    lm, ls = quantize_multiplier_smaller_than_one_exp(a / twice_max)
    rm, rs = quantize_multiplier_smaller_than_one_exp(b / twice_max)
    om, os_ = quantize_multiplier_smaller_than_one_exp(
        twice_max / ((1 << ADD_SUB_LEFT_SHIFT) * o)
    )
    return {
        "left_shift": ADD_SUB_LEFT_SHIFT,
        "lhs_multiplier": lm,
        "lhs_shift": ls,
        "rhs_multiplier": rm,
        "rhs_shift": rs,
        "output_multiplier": om,
        "output_shift": os_,
    }


def mul_integers(
    lhs_scale: float, rhs_scale: float, output_scale: float
) -> dict[str, int]:
    """MUL: ``lhs * rhs / out`` evaluated in float32 (mul.cc; the double
    quotient disagrees with LiteRT)."""
    real = float(
        np.float32(np.float32(lhs_scale) * np.float32(rhs_scale))
        / np.float32(output_scale)
    )
    m, s = quantize_multiplier(real)
    return {"output_multiplier": m, "output_shift": s}


def rescale_integers(input_scale: float, output_scale: float) -> tuple[int, int]:
    """MEAN and int8 -> int8 QUANTIZE: ``QuantizeMultiplier(double(in) /
    double(out))``."""
    return quantize_multiplier(_f64(input_scale) / _f64(output_scale))


def relu_integers(input_scale: float, output_scale: float) -> tuple[int, int]:
    """RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1 (ReluPrepare):
    ``QuantizeMultiplier(in / out)`` with the quotient taken in float32."""
    real = float(np.float32(input_scale) / np.float32(output_scale))
    return quantize_multiplier(real)


def rsqrt_integers(input_scale: float, output_scale: float) -> tuple[int, int]:
    """RSQRT (elementwise.cc RsqrtPrepare): ``QuantizeMultiplier(1 /
    (sqrtf(in) * out))``, the product in float32, the quotient in double."""
    real = 1.0 / float(
        np.float32(np.sqrt(np.float32(input_scale))) * np.float32(output_scale)
    )
    return quantize_multiplier(real)


def leaky_relu_integers(
    input_scale: float, alpha: float, output_scale: float
) -> dict[str, int]:
    """LEAKY_RELU (LeakyReluPrepare): ``QuantizeMultiplier(in * alpha / out)``
    and ``QuantizeMultiplier(in / out)``, both quotients in float32."""
    i, a, o = np.float32(input_scale), np.float32(alpha), np.float32(output_scale)
    am, ash = quantize_multiplier(float(np.float32(i * a) / o))
    im, ish = quantize_multiplier(float(i / o))
    return {
        "alpha_multiplier": am,
        "alpha_shift": ash,
        "identity_multiplier": im,
        "identity_shift": ish,
    }


def _int16_multiplier(multiplier: int) -> int:
    """``DownScaleInt32ToInt16Multiplier``: the Q31 multiplier rounded to Q15."""
    if multiplier >= 2**31 - 1 - (1 << 15):
        return 2**15 - 1
    return (multiplier + (1 << 15)) >> 16


def hard_swish_integers(input_scale: float, output_scale: float) -> dict[str, int]:
    """HARD_SWISH int8 (HardSwishPrepare): the input on a scale 128 times
    finer (``hires = input_scale / 128``), ``QuantizeMultiplier`` of
    ``hires / output_scale`` and of ``hires / (3 / 32768)`` (float32
    quotients), each multiplier rounded to Q15. Raises ValueError where
    TFLite's Prepare fails (an output multiplier exponent above 0)."""
    hires = np.float32(1.0 / 128.0) * np.float32(input_scale)
    om, oe = quantize_multiplier(float(hires / np.float32(output_scale)))
    if oe > 0:
        raise ValueError(f"output multiplier exponent {oe} > 0")
    rm, re = quantize_multiplier(float(hires / np.float32(3.0 / 32768.0)))
    return {
        "output_multiplier": _int16_multiplier(om),
        "output_shift": oe,
        "reluish_multiplier": _int16_multiplier(rm),
        "reluish_shift": re,
    }


SQUARED_DIFFERENCE_LEFT_SHIFT = 7
"""squared_difference.cc: int8 inputs are shifted left by 7 before rescaling."""


def squared_difference_integers(
    lhs_scale: float, rhs_scale: float, output_scale: float
) -> dict[str, int]:
    """SQUARED_DIFFERENCE int8 (squared_difference.cc Prepare): the inputs
    rescaled to twice the larger input scale, the squared difference from
    its square over 2^14 to the output scale; double arithmetic."""
    a, b, o = _f64(lhs_scale), _f64(rhs_scale), _f64(output_scale)
    twice_max = 2.0 * max(a, b)
    lm, ls = quantize_multiplier_smaller_than_one_exp(a / twice_max)
    rm, rs = quantize_multiplier_smaller_than_one_exp(b / twice_max)
    om, os_ = quantize_multiplier(
        twice_max * twice_max / ((1 << (2 * SQUARED_DIFFERENCE_LEFT_SHIFT)) * o)
    )
    return {
        "left_shift": SQUARED_DIFFERENCE_LEFT_SHIFT,
        "lhs_multiplier": lm,
        "lhs_shift": ls,
        "rhs_multiplier": rm,
        "rhs_shift": rs,
        "output_multiplier": om,
        "output_shift": os_,
    }


def prelu_integers(
    input_scale: float, alpha_scale: float, output_scale: float
) -> dict[str, int]:
    """PRELU int8 (PreluPrepare): ``QuantizeMultiplier(in / out)`` and
    ``QuantizeMultiplier(in * alpha / out)``, the quotients in float32."""
    i, a, o = np.float32(input_scale), np.float32(alpha_scale), np.float32(output_scale)
    im, ish = quantize_multiplier(float(i / o))
    am, ash = quantize_multiplier(float(np.float32(i * a) / o))
    return {
        "identity_multiplier": im,
        "identity_shift": ish,
        "alpha_multiplier": am,
        "alpha_shift": ash,
    }
