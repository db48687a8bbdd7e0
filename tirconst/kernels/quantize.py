"""QUANTIZE / DEQUANTIZE kernels (TFLite quantize.cc / dequantize.cc)."""

from __future__ import annotations

import numpy as np

from .activations import round_half_away_from_zero
from .fixedpoint import multiply_by_quantized_multiplier, wrap_int32

__all__ = ["quantize", "dequantize"]


def quantize(
    input: np.ndarray,
    *,
    scale: float,
    zero_point: int,
    input_zp: int | None = None,
    multiplier: int | None = None,
    shift: int | None = None,
    output_dtype: np.dtype | type | None = None,
) -> np.ndarray:
    """float32 -> int8 quantisation, or int8/int16 -> int8/int16 requantisation
    (``output_dtype``, int8 when not given).

    float32 input mirrors ``tflite::reference_ops::AffineQuantize``:
    ``round(x / float(scale))`` in float32 (ties away from zero), cast to int32
    (x86 semantics: NaN and out-of-range give INT32_MIN), ``+ zero_point`` in
    int32, clamped to int8. int8 or int16 input mirrors
    ``reference_ops::Requantize``:
    ``MultiplyByQuantizedMultiplier(x - input_zp, multiplier, shift) +
    zero_point`` clamped (``input_zp``, ``multiplier``, ``shift`` required).
    """
    x = np.asarray(input)
    if x.dtype in (np.int8, np.int16):
        if input_zp is None or multiplier is None or shift is None:
            raise ValueError("requantize needs input_zp, multiplier and shift")
        out = np.dtype(np.int8 if output_dtype is None else output_dtype)
        if out not in (np.int8, np.int16):
            raise TypeError(f"requantize output must be int8 or int16, got {out}")
        acc = multiply_by_quantized_multiplier(
            x.astype(np.int64) - int(input_zp), multiplier, shift
        )
        info = np.iinfo(out)
        return np.clip(acc + int(zero_point), info.min, info.max).astype(out)
    if x.dtype != np.float32:
        raise TypeError(f"quantize input must be float32, int8 or int16, got {x.dtype}")
    with np.errstate(all="ignore"):
        q = round_half_away_from_zero(x / np.float32(scale)).astype(np.float64)
        ok = np.isfinite(q) & (q >= -(2.0**31)) & (q < 2.0**31)
        q = np.where(ok, q, -(2.0**31)).astype(np.int64)
    return np.clip(wrap_int32(q + int(zero_point)), -128, 127).astype(np.int8)


def dequantize(input: np.ndarray, *, scale: float, zero_point: int) -> np.ndarray:
    """int8 -> float32, ``float(double(scale) * (x - zero_point))``.

    Mirrors ``tflite::reference_ops::Dequantize``.
    """
    x = np.asarray(input)
    if x.dtype != np.int8:
        raise TypeError(f"dequantize input must be int8, got {x.dtype}")
    d = np.float64(np.float32(scale)) * (x.astype(np.float64) - int(zero_point))
    return d.astype(np.float32)
