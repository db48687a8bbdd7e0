"""Data-movement kernels: RESHAPE, SQUEEZE, PAD."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["reshape", "squeeze", "pad"]


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
