"""int8 reductions (TFLite reduce.cc and arg_min_max.cc): MEAN, REDUCE_MAX,
REDUCE_MIN, ARG_MAX as the reference paths compute them, SUM as the
optimized (default) kernel does (see :func:`reduce_sum`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .fixedpoint import multiply_by_quantized_multiplier, wrap_int32

__all__ = [
    "arg_max",
    "mean",
    "mean_readapted_multiplier",
    "reduce_max",
    "reduce_min",
    "reduce_sum",
    "sum_from_totals",
]


def mean_readapted_multiplier(
    multiplier: int, shift: int, count: int
) -> tuple[int, int]:
    """Fold ``1 / count`` into ``(multiplier, shift)`` like ``QuantizedMeanOrSum``.

    ``s = min(floor(log2(count)), 32, 31 + shift)``; the multiplier becomes
    ``(multiplier << s) / count`` (int64 division) and the shift ``shift - s``.
    """
    s = min(int(count).bit_length() - 1, 32, 31 + int(shift))
    return int((int(multiplier) << s) // int(count)), int(shift) - s


def mean(
    input: np.ndarray,
    *,
    axes: Sequence[int],
    input_zp: int,
    output_zp: int,
    multiplier: int,
    shift: int,
    output_shape: Sequence[int],
) -> np.ndarray:
    """int8 mean over ``axes``.

    Mirrors ``tflite::reference_ops::QuantizedMeanOrSum(compute_sum=false)``,
    the path LiteRT 2.x runs for every int8 MEAN under BUILTIN_REF (also when
    input and output quantisation are equal and for keep_dims spatial means):
    ``sum`` of the raw values over the axes (int32), ``multiplier`` / ``shift``
    (``QuantizeMultiplier(input_scale / output_scale)``) readapted by
    :func:`mean_readapted_multiplier`, then
    ``MultiplyByQuantizedMultiplier(sum - input_zp * count, m', s') +
    output_zp`` clamped to int8. An int16 MEAN (``EvalQuantizedMean<int16_t>``)
    is the same on int16 values, clamped to int16. ``output_shape`` gives
    keep_dims or not.
    """
    x = np.asarray(input)
    if x.dtype not in (np.int8, np.int16):
        raise TypeError(f"input must be int8 or int16, got {x.dtype}")
    ax = tuple(sorted({int(a) % x.ndim for a in axes})) if x.ndim else ()
    count = int(np.prod([x.shape[a] for a in ax], dtype=np.int64))
    oshape = tuple(int(d) for d in output_shape)
    if count == 0:
        return np.zeros(oshape, dtype=x.dtype)
    total = x.astype(np.int64).sum(axis=ax)
    m, s = mean_readapted_multiplier(multiplier, shift, count)
    shifted = wrap_int32(total - int(input_zp) * count)
    out = multiply_by_quantized_multiplier(shifted, m, s) + int(output_zp)
    info = np.iinfo(x.dtype)
    out = np.clip(out, info.min, info.max).astype(x.dtype)
    if out.size != int(np.prod(oshape, dtype=np.int64)):
        raise ValueError(
            f"output_shape {oshape} does not match reduced shape {out.shape}"
        )
    return out.reshape(oshape)


def sum_from_totals(
    total: np.ndarray, count: int, *, input_zp: int, output_zp: int, scale: float
) -> np.ndarray:
    """int8 SUM's output from the int32 sums `total` of `count` raw values:
    ``clamp(int32(roundf(float(total) * scale + bias)) + output_zp)`` with
    ``bias = float(-input_zp) * scale * float(count)``, every step in float32
    (``QuantizedMeanOrSum(compute_sum=true)``), ``roundf`` half away from
    zero. A rounded value past int32 is INT32_MIN, as x86's float -> int
    conversion gives (C leaves it undefined), and the zero point's addition
    wraps."""
    f32 = np.float32
    s = f32(scale)
    bias = f32(f32(f32(-int(input_zp)) * s) * f32(count))
    with np.errstate(over="ignore", invalid="ignore"):
        v = (np.asarray(total, np.int32).astype(f32) * s).astype(f32) + bias
        r = (np.sign(v) * np.floor(np.abs(v) + f32(0.5))).astype(np.float64)
    big = ~(np.abs(r) < 2.0**31)
    q = np.where(big, -(2**31), np.where(big, 0, r).astype(np.int64))
    q = wrap_int32(q + int(output_zp))
    return np.clip(q, -128, 127).astype(np.int8)


def reduce_sum(
    input: np.ndarray,
    *,
    axes: Sequence[int],
    input_zp: int,
    output_zp: int,
    scale: float,
    output_shape: Sequence[int],
) -> np.ndarray:
    """int8 SUM over ``axes`` as LiteRT's default (optimized) kernel
    computes it: ``QuantizedMeanOrSum(compute_sum=true)``, the
    int32 sum of the raw values rescaled in float32 by ``scale =
    input_scale / output_scale`` (:func:`sum_from_totals`), saturated to
    int8; with equal input and output quantization too (scale 1: the sum
    less ``input_zp * (count - 1)``). LiteRT's reference resolver
    (BUILTIN_REF) is not this: rescaled, it reads the int8 data as uint8
    (tests/test_importer_operators.py pins it). ``output_shape`` gives
    keep_dims or not."""
    x = np.asarray(input)
    if x.dtype != np.int8:
        raise TypeError(f"input must be int8, got {x.dtype}")
    ax = tuple(sorted({int(a) % x.ndim for a in axes})) if x.ndim else ()
    count = int(np.prod([x.shape[a] for a in ax], dtype=np.int64))
    total = wrap_int32(x.astype(np.int64).sum(axis=ax))
    out = sum_from_totals(
        total, count, input_zp=input_zp, output_zp=output_zp, scale=scale
    )
    return out.reshape(tuple(int(d) for d in output_shape))


def _reduce(x: np.ndarray, axes: Sequence[int], fn, output_shape) -> np.ndarray:  # type: ignore[no-untyped-def]
    x = np.asarray(x)
    ax = tuple(sorted({int(a) % x.ndim for a in axes})) if x.ndim else ()
    return np.asarray(fn(x, axis=ax)).reshape(tuple(int(d) for d in output_shape))


def reduce_max(
    input: np.ndarray, *, axes: Sequence[int], output_shape: Sequence[int]
) -> np.ndarray:
    """REDUCE_MAX on the stored values (reduce.cc requires the output's
    quantization to be the input's)."""
    return _reduce(input, axes, np.max, output_shape)


def reduce_min(
    input: np.ndarray, *, axes: Sequence[int], output_shape: Sequence[int]
) -> np.ndarray:
    """REDUCE_MIN on the stored values (see :func:`reduce_max`)."""
    return _reduce(input, axes, np.min, output_shape)


def arg_max(
    input: np.ndarray,
    *,
    axis: int,
    output_shape: Sequence[int],
    output_dtype,
    indices: np.ndarray | None = None,
    workspace: np.ndarray | None = None,
) -> np.ndarray:  # type: ignore[no-untyped-def]
    """ARG_MAX (``reference_ops::ArgMinMax`` with ``std::greater``): the
    index of the first largest stored value along ``axis``. ``indices`` and
    ``workspace`` (the NPU sequence's constant and scratch, when
    tir-legalize-npu gave them) do not change the result."""
    x = np.asarray(input)
    out = np.argmax(x, axis=int(axis)).astype(output_dtype)
    return out.reshape(tuple(int(d) for d in output_shape))
