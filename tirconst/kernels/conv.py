"""int8 convolution kernels (TFLite reference_integer_ops conv / depthwise / FC),
and their 16x8 forms (int16 input and output, int8 filter, int64 bias).

conv2d / fully_connected compute the int32 accumulations as float64 matrix
products (im2col for conv): every partial sum is an integer of magnitude
< 2**53, so BLAS gives the exact result in any summation order; the int64
result is then wrapped to int32 like the C++ accumulator. depthwise_conv2d
accumulates per filter tap in (wrapping) int32 numpy arrays. The 16x8 kernels
(int16 input) accumulate in int64 without wrapping (products < 2**22) and
requantize with the 64-bit ``MultiplyByQuantizedMultiplier``
(:func:`~._common.requantize_to_int16`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._common import (
    ACTIVATION_DTYPES,
    check_pair,
    requantize_to_int8,
    requantize_to_int16,
    taps,
    window_output_size,
)
from .fixedpoint import multiply_by_quantized_multiplier, wrap_int32

__all__ = [
    "batch_matmul",
    "conv2d",
    "depthwise_conv2d",
    "fully_connected",
    "transpose_conv2d",
]


def _as_int8(name: str, a: np.ndarray, ndim: int | None = None) -> np.ndarray:
    a = np.asarray(a)
    if a.dtype != np.int8:
        raise TypeError(f"{name} must be int8, got {a.dtype}")
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {a.shape}")
    return a


def _activations(name: str, a: np.ndarray, ndim: int | None = None) -> np.ndarray:
    """An int8 or int16 (16x8 kernels) feature map."""
    a = np.asarray(a)
    if a.dtype not in ACTIVATION_DTYPES:
        raise TypeError(f"{name} must be int8 or int16, got {a.dtype}")
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {a.shape}")
    return a


def _epilogue16(
    acc: np.ndarray,
    bias: np.ndarray | None,
    n: int,
    multiplier: np.ndarray | int,
    shift: np.ndarray | int,
    output_zp: int,
    act_min: int,
    act_max: int,
    overflow_to_min: bool = False,
) -> np.ndarray:
    """The 16x8 kernels' end: the int64 bias added to the int64 accumulator
    (no wrapping), the 64-bit requantization, clamped to int16."""
    if bias is not None:
        b = np.asarray(bias)
        if b.shape != (n,):
            raise ValueError(f"bias must have shape ({n},), got {b.shape}")
        acc = acc + b.astype(np.int64)
    m = _per_channel("multiplier", multiplier, n)
    s = _per_channel("shift", shift, n)
    return requantize_to_int16(acc, m, s, output_zp, act_min, act_max, overflow_to_min)


def _fits_int32(bias: np.ndarray) -> bool:
    b = np.asarray(bias, np.int64)
    return bool(np.all((b >= -(2**31)) & (b < 2**31)))


def _per_channel(name: str, v: np.ndarray | int | Sequence[int], n: int) -> np.ndarray:
    a = np.asarray(v, dtype=np.int64).reshape(-1)
    if a.size not in (1, n):
        raise ValueError(f"{name} must have 1 or {n} entries, got {a.size}")
    return a


def _add_bias(acc: np.ndarray, bias: np.ndarray | None, n: int) -> np.ndarray:
    acc = wrap_int32(acc)
    if bias is None:
        return acc
    b = np.asarray(bias)
    if b.shape != (n,):
        raise ValueError(f"bias must have shape ({n},), got {b.shape}")
    return wrap_int32(acc + b.astype(np.int64))


def _padded(
    x: np.ndarray, input_zp: int, pad: tuple[int, int, int, int], dtype: type
) -> np.ndarray:
    # The reference kernels skip taps outside the image; with the zero point
    # subtracted first that is the same as padding with zeros.
    top, left, bottom, right = pad
    n, h, w, c = x.shape
    xp = np.zeros((n, h + top + bottom, w + left + right, c), dtype=dtype)
    xp[:, top : top + h, left : left + w, :] = x.astype(dtype) - dtype(input_zp)
    return xp


def conv2d(
    input: np.ndarray,
    filter: np.ndarray,
    bias: np.ndarray | None,
    *,
    stride: tuple[int, int],
    dilation: tuple[int, int],
    pad: tuple[int, int, int, int],
    input_zp: int,
    output_zp: int,
    multiplier: np.ndarray,
    shift: np.ndarray,
    act_min: int,
    act_max: int,
) -> np.ndarray:
    """int8 2-D convolution, NHWC input, OHWI filter, per-channel requantisation.

    Mirrors ``tflite::reference_integer_ops::ConvPerChannel`` (including
    grouped convolution when ``Ci`` is a multiple of the filter's input depth):
    ``acc = sum(filter * (input - input_zp)) + bias`` in int32, then
    ``MultiplyByQuantizedMultiplier(acc, multiplier[oc], shift[oc]) +
    output_zp`` clamped to ``[act_min, act_max]``. ``pad`` is
    ``(top, left, bottom, right)``; the output size follows from it.
    """
    x = _activations("input", input, 4)
    w = _as_int8("filter", filter, 4)
    sh, sw = check_pair("stride", stride, 2)
    dh, dw = check_pair("dilation", dilation, 2)
    pad4 = check_pair("pad", pad, 4)
    n, h, wd, c = x.shape
    co, kh, kw, cf = w.shape
    if cf == 0 or c % cf or co % (c // cf):
        raise ValueError(f"input depth {c} does not match filter shape {w.shape}")
    groups = c // cf
    oh = window_output_size(h, kh, sh, dh, pad4[0], pad4[2])
    ow = window_output_size(wd, kw, sw, dw, pad4[1], pad4[3])
    xp = _padded(x, input_zp, pad4, np.float64)
    cols = np.empty((n, oh, ow, kh * kw, c), dtype=np.float64)
    for ky, kx, view in taps(xp, kh, kw, (sh, sw), (dh, dw), oh, ow):
        cols[:, :, :, ky * kw + kx, :] = view
    wf = w.astype(np.float64)
    if groups == 1:
        acc = cols.reshape(-1, kh * kw * c) @ wf.reshape(co, -1).T
    else:
        fpg = co // groups
        acc = np.empty((n * oh * ow, co), dtype=np.float64)
        for g in range(groups):
            xg = cols[..., g * cf : (g + 1) * cf].reshape(-1, kh * kw * cf)
            acc[:, g * fpg : (g + 1) * fpg] = (
                xg @ wf[g * fpg : (g + 1) * fpg].reshape(fpg, -1).T
            )
    if x.dtype == np.int16:
        out = _epilogue16(
            acc.astype(np.int64), bias, co, multiplier, shift, output_zp,
            act_min, act_max,
        )  # fmt: skip
        return out.reshape(n, oh, ow, co)
    acc = _add_bias(acc.astype(np.int64), bias, co)
    out = requantize_to_int8(
        acc,
        _per_channel("multiplier", multiplier, co),
        _per_channel("shift", shift, co),
        output_zp,
        act_min,
        act_max,
    )
    return out.reshape(n, oh, ow, co)


def depthwise_conv2d(
    input: np.ndarray,
    filter: np.ndarray,
    bias: np.ndarray | None,
    *,
    stride: tuple[int, int],
    dilation: tuple[int, int],
    pad: tuple[int, int, int, int],
    depth_multiplier: int,
    input_zp: int,
    output_zp: int,
    multiplier: np.ndarray,
    shift: np.ndarray,
    act_min: int,
    act_max: int,
) -> np.ndarray:
    """int8 depthwise convolution, NHWC input, filter ``[1, KH, KW, Ci * dm]``.

    Mirrors ``tflite::reference_integer_ops::DepthwiseConvPerChannel``:
    output channel ``oc = ic * depth_multiplier + m`` accumulates
    ``filter[.., oc] * (input[.., ic] - input_zp)`` over the window, adds
    ``bias[oc]`` and requantises with ``multiplier[oc]`` / ``shift[oc]``.
    """
    x = _activations("input", input, 4)
    w = _as_int8("filter", filter, 4)
    sh, sw = check_pair("stride", stride, 2)
    dh, dw = check_pair("dilation", dilation, 2)
    pad4 = check_pair("pad", pad, 4)
    dm = int(depth_multiplier)
    n, h, wd, c = x.shape
    one, kh, kw, co = w.shape
    if one != 1 or co != c * dm:
        raise ValueError(
            f"depthwise filter {w.shape} does not match input depth {c} x "
            f"depth_multiplier {dm}"
        )
    oh = window_output_size(h, kh, sh, dh, pad4[0], pad4[2])
    ow = window_output_size(wd, kw, sw, dw, pad4[1], pad4[3])
    wide = np.int64 if x.dtype == np.int16 else np.int32  # int32 wraps like C++
    xp = _padded(x, input_zp, pad4, wide)
    if dm > 1:
        xp = np.repeat(xp, dm, axis=3)
    wi = w[0].astype(wide)
    acc = np.zeros((n, oh, ow, co), dtype=wide)
    for ky, kx, view in taps(xp, kh, kw, (sh, sw), (dh, dw), oh, ow):
        acc += view * wi[ky, kx]
    if x.dtype == np.int16:
        return _epilogue16(
            acc, bias, co, multiplier, shift, output_zp, act_min, act_max
        )
    acc64 = _add_bias(acc.astype(np.int64), bias, co)
    return requantize_to_int8(
        acc64,
        _per_channel("multiplier", multiplier, co),
        _per_channel("shift", shift, co),
        output_zp,
        act_min,
        act_max,
    )


def fully_connected(
    input: np.ndarray,
    filter: np.ndarray,
    bias: np.ndarray | None,
    *,
    input_zp: int,
    filter_zp: int,
    output_zp: int,
    multiplier: np.ndarray | int,
    shift: np.ndarray | int,
    act_min: int,
    act_max: int,
    output_shape: Sequence[int] | None = None,
) -> np.ndarray:
    """int8 fully-connected layer, filter ``[Co, K]``.

    Computes what LiteRT's int8 FULLY_CONNECTED produces under BUILTIN_REF:
    ``reference_integer_ops::FullyConnected`` (per-tensor, ``multiplier`` /
    ``shift`` of length 1) / ``FullyConnectedPerChannel`` (length ``Co``),
    except that the requantisation rounds ONCE
    (:func:`~.fixedpoint.multiply_by_quantized_multiplier_single_round`), not
    with gemmlowp's double rounding used by conv: measured against LiteRT.
    The input is flattened to ``[size / K, K]``; the result is
    ``[size / K, Co]``, reshaped to ``output_shape`` when given
    (``keep_num_dims``).

    With int16 input (16x8) LiteRT (measured) runs the int32 accumulator
    and the single-rounding requantization of int8, clamped to int16, when
    there is no bias or every int64 bias value fits int32; else the int64
    accumulator and requantization of the conv kernels, except that a
    requantized value past int32 is INT32_MIN (the conv wraps).
    """
    x = _activations("input", input)
    w = _as_int8("filter", filter, 2)
    co, k = w.shape
    if k == 0 or x.size % k:
        raise ValueError(f"input of {x.size} elements is not a multiple of depth {k}")
    x2 = x.reshape(-1, k).astype(np.float64) - float(input_zp)
    wf = w.astype(np.float64) - float(filter_zp)
    if x.dtype == np.int16 and bias is not None and not _fits_int32(bias):
        out = _epilogue16(
            (x2 @ wf.T).astype(np.int64), bias, co, multiplier, shift, output_zp,
            act_min, act_max, overflow_to_min=True,
        )  # fmt: skip
        if output_shape is not None:
            out = out.reshape(tuple(int(d) for d in output_shape))
        return out
    acc = _add_bias((x2 @ wf.T).astype(np.int64), bias, co)
    out = requantize_to_int8(
        acc,
        _per_channel("multiplier", multiplier, co),
        _per_channel("shift", shift, co),
        output_zp,
        act_min,
        act_max,
        single_round=True,
        dtype=x.dtype,
    )
    if output_shape is not None:
        out = out.reshape(tuple(int(d) for d in output_shape))
    return out


def transpose_conv2d(
    input: np.ndarray,
    filter: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    stride: Sequence[int],
    pad: Sequence[int],
    input_zp: int,
    output_zp: int,
    multiplier: np.ndarray,
    shift: np.ndarray,
    act_min: int,
    act_max: int,
    output_shape: Sequence[int],
) -> np.ndarray:
    """int8 TRANSPOSE_CONV (``reference_integer_ops::TransposeConv``): each
    input element scatters ``(x - input_zp) * filter[o, ky, kx, i]`` into the
    int32 accumulator at ``(y * sh - top + ky, x * sw - left + kx)`` where
    that is inside the output; bias added, per-channel
    ``MultiplyByQuantizedMultiplier``, ``output_zp``, clamped."""
    x = np.asarray(input)
    w = np.asarray(filter)
    if x.dtype != np.int8 or w.dtype != np.int8:
        raise TypeError(f"input and filter must be int8, got {x.dtype}, {w.dtype}")
    n, h, wd, _ = x.shape
    co, kh, kw, _ = w.shape
    sh, sw = check_pair("stride", stride, 2)
    top, left = check_pair("pad", pad, 2)
    _, oh, ow, _ = (int(d) for d in output_shape)
    full_h = max((h - 1) * sh + kh, top + oh)
    full_w = max((wd - 1) * sw + kw, left + ow)
    acc = np.zeros((n, full_h, full_w, co), np.int64)
    xs = x.astype(np.int64) - int(input_zp)
    w64 = w.astype(np.int64)
    for ky in range(kh):
        for kx in range(kw):
            contrib = np.einsum("nyxi,oi->nyxo", xs, w64[:, ky, kx, :])
            acc[
                :, ky : ky + (h - 1) * sh + 1 : sh, kx : kx + (wd - 1) * sw + 1 : sw
            ] += contrib
    acc = wrap_int32(acc[:, top : top + oh, left : left + ow, :])
    if bias is not None:
        acc = wrap_int32(acc + np.asarray(bias, np.int64))
    return requantize_to_int8(acc, multiplier, shift, output_zp, act_min, act_max)


def batch_matmul(
    lhs: np.ndarray,
    rhs: np.ndarray,
    *,
    adj_x: int,
    adj_y: int,
    lhs_zp: int,
    rhs_zp: int,
    output_zp: int,
    multiplier: int,
    shift: int,
    workspace: np.ndarray | None = None,
) -> np.ndarray:
    """int8 BATCH_MATMUL (``reference_ops::BatchMatMul``): the int32 sum of
    ``(lhs - lhs_zp) * (rhs - rhs_zp)`` over the depth, batch axes
    broadcast, ``MultiplyByQuantizedMultiplier`` plus ``output_zp``,
    saturated to int8. ``workspace`` (the NPU sequence's scratch) does not
    change the result."""
    a, b = np.asarray(lhs), np.asarray(rhs)
    if a.dtype != np.int8 or b.dtype != np.int8:
        raise TypeError(f"operands must be int8, got {a.dtype}, {b.dtype}")
    a64 = a.astype(np.int64) - int(lhs_zp)
    b64 = b.astype(np.int64) - int(rhs_zp)
    if adj_x:
        a64 = np.swapaxes(a64, -1, -2)
    if adj_y:
        b64 = np.swapaxes(b64, -1, -2)
    acc = wrap_int32(np.matmul(a64, b64))
    out = multiply_by_quantized_multiplier(acc, multiplier, shift) + int(output_zp)
    return np.clip(out, -128, 127).astype(np.int8)
