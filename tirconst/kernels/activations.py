"""int8 SOFTMAX / LOGISTIC kernels as LiteRT's BUILTIN_REF resolver runs them.

For int8, TFLite's ``activations.cc`` does not use the gemmlowp fixed-point
reference kernels for these operators, not even with the reference resolver:
SOFTMAX runs ``optimized_ops::Softmax`` on a float ``expf`` table built by
``PopulateSoftmaxLookupTable``, LOGISTIC a 256-entry int8 table built by
``LUTPopulate`` / ``PopulateLookupTable``. The tables are computed at import
time (see :mod:`tirconst.frontend.tflite_params`); these kernels apply them.
"""

from __future__ import annotations

import numpy as np

from .fixedpoint import multiply_by_quantized_multiplier, rounding_divide_by_pot

__all__ = [
    "hard_swish",
    "leaky_relu",
    "logistic",
    "prelu",
    "relu",
    "round_half_away_from_zero",
    "softmax",
    "lookup",
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
) -> np.ndarray:
    """int8 softmax over the last axis using a float exponential table.

    Mirrors ``tflite::optimized_ops::Softmax(const SoftmaxParams&, ...)`` (the
    table variant, which LiteRT's int8 SOFTMAX runs under BUILTIN_REF):
    per row, ``e[j] = exp_table[max(row) - x[j]]`` (float32), the float32 sum
    is accumulated left to right, ``inv = 1 / (sum * output_scale)``, and the
    output is ``round(e[j] * inv) + output_zp`` clamped to int8.
    ``exp_table[d]`` is ``expf(-input_scale * beta * d)`` for d in 0..255.
    """
    x = np.asarray(input)
    if x.dtype != np.int8:
        raise TypeError(f"input must be int8, got {x.dtype}")
    table = np.asarray(exp_table, dtype=np.float32).reshape(-1)
    if table.size != 256:
        raise ValueError(f"exp_table must have 256 entries, got {table.size}")
    depth = x.shape[-1] if x.ndim else 1
    rows = x.reshape(-1, depth).astype(np.int32)
    e = table[rows.max(axis=1, keepdims=True) - rows]
    total = np.zeros(rows.shape[0], dtype=np.float32)
    for j in range(depth):  # sequential float32 accumulation, as in C++
        total += e[:, j]
    inv = np.float32(1.0) / (total * np.float32(output_scale))
    prob = e * inv[:, None]
    out = round_half_away_from_zero(prob).astype(np.int64) + int(output_zp)
    return np.clip(out, -128, 127).astype(np.int8).reshape(x.shape)


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
) -> np.ndarray:
    """int8 PRELU (``reference_ops::BroadcastPrelu4DSlow``): with ``d = x -
    input_zp``, ``MultiplyByQuantizedMultiplier(d, identity)`` for ``d >= 0``
    else ``MultiplyByQuantizedMultiplier(d * (alpha - alpha_zp), alpha)``,
    plus ``output_zp``, saturated to int8; alpha broadcasts."""
    x, a = np.asarray(input), np.asarray(alpha)
    if x.dtype != np.int8 or a.dtype != np.int8:
        raise TypeError(f"input and alpha must be int8, got {x.dtype}, {a.dtype}")
    d = x.astype(np.int64) - int(input_zp)
    av = np.broadcast_to(a.astype(np.int64) - int(alpha_zp), d.shape)
    pos = multiply_by_quantized_multiplier(d, identity_multiplier, identity_shift)
    neg = multiply_by_quantized_multiplier(d * av, alpha_multiplier, alpha_shift)
    out = np.where(d >= 0, pos, neg) + int(output_zp)
    return np.clip(out, -128, 127).astype(np.int8)
