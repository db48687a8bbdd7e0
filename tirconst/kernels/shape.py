"""Data-movement kernels: RESHAPE, SQUEEZE, PAD, CONCATENATION, strided
slices (SLICE, STRIDED_SLICE, SPLIT, SPLIT_V, UNPACK), TRANSPOSE, MIRROR_PAD,
TILE, REVERSE_V2, RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "concatenation",
    "pack",
    "mirror_pad",
    "pad",
    "reshape",
    "resize_bilinear",
    "resize_nearest",
    "reverse",
    "squeeze",
    "strided_slice",
    "tile",
    "transpose",
]


def reshape(input: np.ndarray, *, output_shape: Sequence[int]) -> np.ndarray:
    """Row-major reshape (``tflite::ops::builtin::reshape`` copies the buffer)."""
    return np.array(np.asarray(input).reshape(tuple(int(d) for d in output_shape)))


def squeeze(input: np.ndarray, *, output_shape: Sequence[int]) -> np.ndarray:
    """SQUEEZE is a reshape that drops size-1 dimensions (squeeze.cc)."""
    return reshape(input, output_shape=output_shape)


def pad(input: np.ndarray, *, padding: Sequence[int], pad_value: int) -> np.ndarray:
    """Constant padding, ``padding = (before0, after0, before1, after1, ...)``.

    Mirrors ``tflite::reference_ops::Pad`` for int8: no requantisation; the
    fill value for PAD (no constant input) is the output zero point.
    """
    x = np.asarray(input)
    p = [int(v) for v in padding]
    if len(p) != 2 * x.ndim or min(p, default=0) < 0:
        raise ValueError(f"padding {tuple(p)} does not fit a rank-{x.ndim} input")
    pairs = [(p[2 * i], p[2 * i + 1]) for i in range(x.ndim)]
    return np.pad(
        x, pairs, mode="constant", constant_values=np.array(pad_value, x.dtype)
    )


def concatenation(*inputs: np.ndarray, axis: int) -> np.ndarray:
    """CONCATENATION: the inputs joined along ``axis`` (0 <= axis < rank).

    Mirrors ``reference_ops::Concatenation``, which copies int8/int16 values
    unchanged (TFLite's int8 kernel requires equal quantization)."""
    if not inputs:
        raise ValueError("concatenation needs at least one input")
    return np.concatenate([np.asarray(x) for x in inputs], axis=int(axis))


def pack(*inputs: np.ndarray, axis: int) -> np.ndarray:
    """PACK: the inputs (one shape) stacked along a new axis ``axis``.

    Mirrors ``reference_ops::Pack``, which copies values unchanged (TFLite's
    int8 kernel requires the output's quantization on every input)."""
    if not inputs:
        raise ValueError("pack needs at least one input")
    return np.stack([np.asarray(x) for x in inputs], axis=int(axis))


def strided_slice(
    input: np.ndarray,
    *,
    begin: Sequence[int],
    strides: Sequence[int],
    size: Sequence[int],
    output_shape: Sequence[int],
) -> np.ndarray:
    """The strided slice ``size[i]`` elements from ``begin[i]`` by
    ``strides[i]`` along each axis, reshaped to ``output_shape`` (the slice
    shape up to axes of extent 1). SLICE, STRIDED_SLICE, SPLIT, SPLIT_V and
    UNPACK are this copy (``reference_ops::StridedSlice``/``Slice``/``Split``
    /``Unpack`` move the values unchanged)."""
    x = np.asarray(input)
    if not len(begin) == len(strides) == len(size) == x.ndim:
        raise ValueError(f"slice parameters do not fit a rank-{x.ndim} input")
    index = []
    for d, b, s, n in zip(x.shape, begin, strides, size, strict=True):
        b, s, n = int(b), int(s), int(n)
        last = b + (n - 1) * s
        if s == 0 or n < 1 or not (0 <= b < d and 0 <= last < d):
            raise ValueError(f"{n} elements from {b} by {s} leave [0, {d})")
        stop = last + (1 if s > 0 else -1)
        index.append(slice(b, None if stop < 0 else stop, s))
    return np.array(x[tuple(index)]).reshape(tuple(int(d) for d in output_shape))


def transpose(input: np.ndarray, *, perm: Sequence[int]) -> np.ndarray:
    """TRANSPOSE: output axis i is input axis ``perm[i]``
    (``reference_ops::Transpose``, values unchanged)."""
    return np.ascontiguousarray(np.transpose(np.asarray(input), [int(p) for p in perm]))


def mirror_pad(input: np.ndarray, *, padding: Sequence[int], mode: int) -> np.ndarray:
    """MIRROR_PAD (``mirror_pad.cc``): mode 0 REFLECT, 1 SYMMETRIC;
    ``padding = (before0, after0, ...)``; values unchanged."""
    x = np.asarray(input)
    p = [int(v) for v in padding]
    if len(p) != 2 * x.ndim:
        raise ValueError(f"padding {tuple(p)} does not fit a rank-{x.ndim} input")
    pairs = [(p[2 * i], p[2 * i + 1]) for i in range(x.ndim)]
    return np.pad(x, pairs, mode="symmetric" if int(mode) else "reflect")


def tile(input: np.ndarray, *, multiples: Sequence[int]) -> np.ndarray:
    """TILE (``tile.cc``): the input repeated along each axis."""
    return np.tile(np.asarray(input), [int(m) for m in multiples])


def reverse(input: np.ndarray, *, axes: Sequence[int]) -> np.ndarray:
    """REVERSE_V2 (``reverse.cc``): the order along ``axes`` reversed."""
    return np.ascontiguousarray(np.flip(np.asarray(input), [int(a) for a in axes]))


def nearest_indices(size: int, out: int, align: bool, half: bool) -> np.ndarray:
    """The input index each of `out` outputs of RESIZE_NEAREST_NEIGHBOR
    reads along an axis of `size` (TFLite's GetNearestNeighbor, float32)."""
    f = np.float32
    scale = f(size - 1) / f(out - 1) if align and out > 1 else f(size) / f(out)
    v = (np.arange(out).astype(np.float32) + f(0.5 if half else 0.0)) * scale
    if align:
        t = np.trunc(v)
        idx = np.where(np.abs(v - t) >= 0.5, t + np.sign(v), t)
    else:
        idx = np.floor(v)
    idx = np.minimum(idx.astype(np.int64), size - 1)
    return np.maximum(idx, 0) if half else idx


def resize_nearest(
    input: np.ndarray,
    *,
    align_corners: int,
    half_pixel_centers: int,
    output_shape: Sequence[int],
) -> np.ndarray:
    """RESIZE_NEAREST_NEIGHBOR (``reference_ops::ResizeNearestNeighbor``,
    ``GetNearestNeighbor`` in float32) of an NHWC input."""
    x = np.asarray(input)
    _, oh, ow, _ = (int(d) for d in output_shape)
    align, half = bool(align_corners), bool(half_pixel_centers)
    rows = nearest_indices(x.shape[1], oh, align, half)
    cols = nearest_indices(x.shape[2], ow, align, half)
    return np.ascontiguousarray(x[:, rows][:, :, cols])


def bilinear_axis(size: int, out: int, align: bool, half: bool):  # type: ignore[no-untyped-def]
    """Along one axis of RESIZE_BILINEAR (10-bit fixed point): each output's
    position v (in 1024ths of an input step) and its two input neighbours
    (lo, hi); the weight of hi is v - 1024 lo."""

    def tdiv(a, b):  # type: ignore[no-untyped-def]
        return np.where(a >= 0, a // b, -((-a) // b))

    scale = ((1 << 10) * size + out // 2) // out
    if align and out > 1:
        scale = ((1 << 10) * (size - 1) + (out - 1) // 2) // (out - 1)
    v = np.arange(out, dtype=np.int64) * scale
    if half:
        v = v + scale // 2 - (1 << 9)
    lo = np.maximum(tdiv(v, 1 << 10), 0)
    hi = np.minimum(tdiv(v + (1 << 10) - 1, 1 << 10), size - 1)
    return v, lo, hi


def resize_bilinear(
    input: np.ndarray,
    *,
    align_corners: int,
    half_pixel_centers: int,
    output_shape: Sequence[int],
) -> np.ndarray:
    """int8/int16 RESIZE_BILINEAR (``reference_ops::ResizeBilinearInteger``,
    10-bit fixed point, the 20-bit sum rounded half away from zero)."""
    x = np.asarray(input)
    if x.dtype not in (np.int8, np.int16):
        raise TypeError(f"input must be int8 or int16, got {x.dtype}")
    _, oh, ow, _ = (int(d) for d in output_shape)
    a, h = bool(align_corners), bool(half_pixel_centers)
    vy, y0, y1 = bilinear_axis(x.shape[1], oh, a, h)
    vx, x0, x1 = bilinear_axis(x.shape[2], ow, a, h)
    dy = (vy - (1 << 10) * y0)[None, :, None, None]
    dx = (vx - (1 << 10) * x0)[None, None, :, None]
    one = 1 << 10
    xi = x.astype(np.int64)

    def at(r, c):  # type: ignore[no-untyped-def]
        return xi[:, r][:, :, c]

    total = (
        at(y0, x0) * (one - dy) * (one - dx)
        + at(y1, x0) * dy * (one - dx)
        + at(y0, x1) * (one - dy) * dx
        + at(y1, x1) * dy * dx
    )
    r = np.where(total > 0, 1 << 19, -(1 << 19))
    s = total + r
    out = np.where(s >= 0, s >> 20, -((-s) >> 20))
    return out.astype(x.dtype)
