"""The NPU's integer arithmetic (docs/ethos-u.md): scaling an accumulator by a
(scale, shift) pair with one of the three rounding modes, and the activation
range Vela derives from real clamp values."""

from __future__ import annotations

import numpy as np

from tirconst.dialects.npu import ActivationAttr, FeatureMapAttr
from tirconst.kernels.fixedpoint import (
    multiply_by_quantized_multiplier,
)

_RANGES = {
    "int8": (-128, 127),
    "uint8": (0, 255),
    "int16": (-32768, 32767),
    "uint16": (0, 65535),
    "int32": (-(2**31), 2**31 - 1),
}


class ArithmeticError_(ValueError):
    """A value the modelled datapath cannot take (named in the message)."""


def _exact_product(acc: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """acc * scale, exactly: int64 when it fits, Python integers otherwise."""
    # Python integers: the bound itself may not fit in int64
    big = int(np.abs(acc).max(initial=0)) * int(np.max(np.abs(scale), initial=0))
    if big < 2**62:
        return acc * scale
    return acc.astype(object) * scale.astype(object)


def scale_accumulator(
    acc: np.ndarray, scale: np.ndarray, shift: np.ndarray, mode: str
) -> np.ndarray:
    """`acc · scale >> shift` rounded as `mode` says (arrays broadcast).

    tfl: TFLite's double rounding, MultiplyByQuantizedMultiplier(acc, scale,
    31 - shift) (SaturatingRoundingDoublingHighMul, then RoundingDivideByPOT);
    natural: round half up; truncate: round toward zero.
    """
    acc = np.asarray(acc, dtype=np.int64)
    scale = np.asarray(scale, dtype=np.int64)
    shift = np.asarray(shift, dtype=np.int64)
    if mode == "tfl":
        if np.all(scale == 1) and np.all(shift == 0):
            # The unscaled setting (Vela's legacy core writes it for a raw
            # int32 OFM): the identity, not TFLite's 2^-31 multiplier.
            return acc
        if np.any(scale >= 2**31) or np.any(shift > 62):
            raise ArithmeticError_("TFL rounding needs scales below 2^31")
        if np.any(np.abs(acc) >= 2**31):
            raise ArithmeticError_("TFL rounding of an accumulator beyond 32 bits")
        return multiply_by_quantized_multiplier(acc, scale, 31 - shift)
    prod = _exact_product(acc, scale)
    if prod.dtype == object:
        sh = np.broadcast_to(shift, prod.shape).astype(object)
        one = np.ones(prod.shape, dtype=object)
    else:
        sh, one = shift, np.int64(1)
    if mode == "natural":
        out = (prod + ((one << sh) >> 1)) >> sh
    elif mode == "truncate":
        mag = np.abs(prod) >> sh
        out = np.where(prod < 0, -mag, mag)
    else:
        raise ArithmeticError_(f"unknown rounding mode {mode!r}")
    return np.asarray(out).astype(np.int64)


def _round_away(x: np.float32) -> int:
    return int(np.sign(x) * np.floor(np.abs(x) + np.float32(0.5)))


def quantise(value: float, fm: FeatureMapAttr) -> int:
    """A real value in the feature map's quantized domain, as Vela computes
    activation bounds: zp + round_away(float32(value) / float32(scale))."""
    scale = 1.0 if fm.scale is None else fm.scale
    q = np.float32(value) / np.float32(scale)
    return fm.zero_point + _round_away(q)


def activation_range(
    act: ActivationAttr | None, ofm: FeatureMapAttr
) -> tuple[int, int]:
    """[min, max] of the OFM after the activation (as Vela sets the registers)."""
    lo, hi = _RANGES[ofm.dtype]
    qmin, qmax = lo, hi
    if act is not None and act.min is not None:
        qmin = quantise(act.min, ofm)
    if act is not None and act.max is not None:
        qmax = quantise(act.max, ofm)
    qmin = max(qmin, -32768, lo)
    qmax = min(qmax, 32767, hi)
    if ofm.dtype == "int32":
        qmin, qmax = (
            lo if act is None or act.min is None else qmin,
            hi if act is None or act.max is None else qmax,
        )
    return qmin, qmax


def dtype_range(fm: FeatureMapAttr) -> tuple[int, int]:
    return _RANGES[fm.dtype]
