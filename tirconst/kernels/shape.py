"""Data-movement kernels: RESHAPE, SQUEEZE, PAD, CONCATENATION, strided
slices (SLICE, STRIDED_SLICE, SPLIT, SPLIT_V, UNPACK), TRANSPOSE, MIRROR_PAD,
TILE, REVERSE_V2."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "concatenation",
    "mirror_pad",
    "pad",
    "reshape",
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
