"""int8 and int16 pooling kernels (TFLite reference_integer_ops AveragePool /
MaxPool, whose int16 overloads compute alike on int16 values)."""

from __future__ import annotations

import numpy as np

from ._common import ACTIVATION_DTYPES, check_pair, taps, window_output_size

__all__ = ["avg_pool2d", "max_pool2d"]


def _geometry(
    x: np.ndarray,
    window: tuple[int, int],
    stride: tuple[int, int],
    pad: tuple[int, int, int, int],
) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int, int, int], int, int]:
    x = np.asarray(x)
    if x.dtype not in ACTIVATION_DTYPES or x.ndim != 4:
        raise TypeError(
            f"input must be a 4-D int8 or int16 array, got {x.dtype} {x.shape}"
        )
    kh, kw = check_pair("window", window, 2)
    sh, sw = check_pair("stride", stride, 2)
    pad4 = check_pair("pad", pad, 4)
    oh = window_output_size(x.shape[1], kh, sh, 1, pad4[0], pad4[2])
    ow = window_output_size(x.shape[2], kw, sw, 1, pad4[1], pad4[3])
    return (kh, kw), (sh, sw), pad4, oh, ow


def _valid_count(size: int, k: int, stride: int, before: int, out: int) -> np.ndarray:
    # Window taps that fall inside the image, per output position (one axis).
    origin = np.arange(out) * stride - before
    start = np.maximum(0, -origin)
    end = np.minimum(k, size - origin)
    return np.maximum(end - start, 0)


def avg_pool2d(
    input: np.ndarray,
    *,
    window: tuple[int, int],
    stride: tuple[int, int],
    pad: tuple[int, int, int, int],
    act_min: int,
    act_max: int,
) -> np.ndarray:
    """int8 average pooling over NHWC.

    Mirrors ``tflite::reference_integer_ops::AveragePool``: sum the raw int8
    values of the window clipped to the image, divide by the number of such
    values rounding half away from zero (``(acc +- count/2) / count`` with C++
    truncation), clamp to ``[act_min, act_max]``. Input and output share
    quantisation, so no zero point is involved.
    """
    (kh, kw), (sh, sw), pad4, oh, ow = _geometry(input, window, stride, pad)
    x = np.asarray(input)
    n, h, w, c = x.shape
    top, left, bottom, right = pad4
    xp = np.zeros((n, h + top + bottom, w + left + right, c), dtype=np.int32)
    xp[:, top : top + h, left : left + w, :] = x
    acc = np.zeros((n, oh, ow, c), dtype=np.int32)
    for _, _, view in taps(xp, kh, kw, (sh, sw), (1, 1), oh, ow):
        acc += view
    count = np.outer(
        _valid_count(h, kh, sh, top, oh), _valid_count(w, kw, sw, left, ow)
    )
    if (count == 0).any():
        raise ValueError("average pool window without any input element")
    cnt = count[None, :, :, None].astype(np.int64)
    a = acc.astype(np.int64)
    q = (np.abs(a) + cnt // 2) // cnt
    out = np.where(a > 0, q, -q)
    return np.clip(out, act_min, act_max).astype(x.dtype)


def max_pool2d(
    input: np.ndarray,
    *,
    window: tuple[int, int],
    stride: tuple[int, int],
    pad: tuple[int, int, int, int],
    act_min: int,
    act_max: int,
) -> np.ndarray:
    """int8 max pooling over NHWC.

    Mirrors ``tflite::reference_integer_ops::MaxPool``: maximum of the window
    clipped to the image, clamped to ``[act_min, act_max]``.
    """
    (kh, kw), (sh, sw), pad4, oh, ow = _geometry(input, window, stride, pad)
    x = np.asarray(input)
    n, h, w, c = x.shape
    top, left, bottom, right = pad4
    # Padding below the type's minimum never wins the max.
    low = int(np.iinfo(x.dtype).min) - 1
    xp = np.full((n, h + top + bottom, w + left + right, c), low, dtype=np.int32)
    xp[:, top : top + h, left : left + w, :] = x
    out = np.full((n, oh, ow, c), low, dtype=np.int32)
    for _, _, view in taps(xp, kh, kw, (sh, sw), (1, 1), oh, ow):
        np.maximum(out, view, out=out)
    if (out == low).any():
        raise ValueError("max pool window without any input element")
    return np.clip(out, act_min, act_max).astype(x.dtype)
