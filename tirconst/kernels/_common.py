"""Helpers shared by the kernels (not part of the public kernel API)."""

from __future__ import annotations

import numpy as np

from .fixedpoint import (
    multiply_by_quantized_multiplier,
    multiply_by_quantized_multiplier_int64,
    multiply_by_quantized_multiplier_single_round,
)

ACTIVATION_DTYPES = (np.dtype(np.int8), np.dtype(np.int16))
"""The feature map types of the integer kernels: int8, and int16 of the
16x8 kernels (int16 activations, int8 weights, 64-bit accumulators)."""


def requantize_to_int16(
    acc: np.ndarray,
    multiplier: np.ndarray | int,
    shift: np.ndarray | int,
    output_zp: int,
    act_min: int,
    act_max: int,
    overflow_to_min: bool = False,
) -> np.ndarray:
    """``clamp(MultiplyByQuantizedMultiplier(int64 acc, m, s) + zp, act_min,
    act_max)`` as int16: the epilogue of the 16x8 conv / depthwise / fully
    connected reference kernels (TFLite requires the zero point 0);
    `overflow_to_min` as :func:`multiply_by_quantized_multiplier_int64`."""
    out = multiply_by_quantized_multiplier_int64(
        acc, multiplier, shift, overflow_to_min
    )
    out = out + output_zp
    return np.clip(out, act_min, act_max).astype(np.int16)


def requantize_to_int8(
    acc: np.ndarray,
    multiplier: np.ndarray | int,
    shift: np.ndarray | int,
    output_zp: int,
    act_min: int,
    act_max: int,
    single_round: bool = False,
    dtype: np.dtype | type = np.int8,
) -> np.ndarray:
    """``clamp(MultiplyByQuantizedMultiplier(acc, m, s) + zp, act_min, act_max)``.

    The common epilogue of the conv / depthwise / fully-connected reference
    kernels; ``acc`` is the int32 accumulator (as int64 values); the result
    is `dtype` (int8; int16 for the 16x8 fully connected's int32 path).
    """
    fn = (
        multiply_by_quantized_multiplier_single_round
        if single_round
        else multiply_by_quantized_multiplier
    )
    out = fn(acc, multiplier, shift) + output_zp
    return np.clip(out, act_min, act_max).astype(dtype)


def window_extent(
    size: int, k: int, stride: int, dilation: int, p0: int, p1: int
) -> int:
    """Output extent of a strided, dilated window over a padded axis (the one
    formula: kernels, the tir verifier and the npu dialect use it); <= 0
    when the window does not fit."""
    return (size + p0 + p1 - ((k - 1) * dilation + 1)) // stride + 1


def window_output_size(
    size: int, k: int, stride: int, dilation: int, p0: int, p1: int
) -> int:
    """`window_extent`, or ValueError when the window does not fit."""
    eff = (k - 1) * dilation + 1
    n = window_extent(size, k, stride, dilation, p0, p1)
    if n <= 0:
        raise ValueError(
            f"window of effective size {eff} does not fit an axis of {size} "
            f"padded by ({p0}, {p1})"
        )
    return n


def check_pair(
    name: str, value: tuple[int, ...] | list[int], n: int
) -> tuple[int, ...]:
    """Validate a tuple parameter of length ``n``."""
    t = tuple(int(v) for v in value)
    if len(t) != n:
        raise ValueError(f"{name} must have {n} entries, got {value!r}")
    return t


def taps(
    x: np.ndarray,
    kh: int,
    kw: int,
    stride: tuple[int, int],
    dilation: tuple[int, int],
    oh: int,
    ow: int,
):
    """Yield ``(ky, kx, view)`` where view is the [N, OH, OW, C] input slice
    that filter tap (ky, kx) multiplies, for an already padded NHWC ``x``."""
    sh, sw = stride
    dh, dw = dilation
    for ky in range(kh):
        y0 = ky * dh
        for kx in range(kw):
            x0 = kx * dw
            yield (
                ky,
                kx,
                x[
                    :,
                    y0 : y0 + sh * (oh - 1) + 1 : sh,
                    x0 : x0 + sw * (ow - 1) + 1 : sw,
                    :,
                ],
            )
