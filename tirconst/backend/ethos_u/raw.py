"""Vela's `--output-format raw` `.npz`, written from one NPU segment with
the default core's keys, key order and dtypes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tirconst.backend.ethos_u.segments import (
    FLASH_REGION,
    SCRATCH_FAST_REGION,
    SCRATCH_REGION,
    NpuSegment,
    OutputError,
    SegmentTensor,
    _check_segments,
    model_bytes,
    write_atomic,
)
from tirconst.formats.tflite import TFLiteImportError, TFLiteTensor, read_tflite_bytes


def _padded(shape: Sequence[int], rank: int = 6) -> list[int]:
    return [1] * (rank - len(shape)) + list(shape)


def _quantization(tensor: TFLiteTensor) -> dict:
    q = tensor.quantization
    scale = q.scales.astype(np.float32) if q is not None else np.zeros(0, np.float32)
    zp = q.zero_points.astype(np.int32) if q is not None else np.zeros(0, np.int32)
    return {
        "quant_type": "per_tensor" if len(scale) <= 1 else "per_axis",
        "scale": scale,
        "zero_point": zp,
    }


def npz_arrays(model: bytes | str | Path, segment: NpuSegment) -> dict[str, np.ndarray]:
    """Vela's raw-output arrays for one segment, in the default core's key
    order and dtypes: payload and flash as 0-d bytes arrays, int64 scalars,
    shapes padded to rank 6, quantization as object arrays of dicts."""
    try:
        m = read_tflite_bytes(model_bytes(model))
    except TFLiteImportError as e:
        raise OutputError(f"the model: {e}") from None
    _check_segments(len(m.operators), len(m.tensors), [segment])
    i64 = np.int64

    def fms(
        prefix: str, items: tuple[SegmentTensor, ...]
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        tensors = [m.tensor(t.tensor) for t in items]
        shapes = [_padded(t.shape) for t in tensors]
        quant = np.empty(len(items), dtype=object)
        for k, t in enumerate(tensors):
            quant[k] = _quantization(t)
        return {
            f"{prefix}_shape": np.array(shapes, dtype=i64).reshape(len(items), 6),
            f"{prefix}_elem_size": np.array(
                [t.dtype.itemsize for t in tensors],
                dtype=i64,
            ),
            f"{prefix}_region": np.array([t.region for t in items], dtype=i64),
            f"{prefix}_offset": np.array([t.offset for t in items], dtype=i64),
        }, quant

    ins, in_q = fms("input", segment.inputs)
    outs, out_q = fms("output", segment.outputs)
    empty = np.zeros(0, dtype=np.float64)
    fast = segment.scratch_fast_size
    return {
        "cmd_data": np.array(segment.payload, dtype=f"S{len(segment.payload)}"),
        # an empty blob cannot be a bytes scalar (S0): an empty uint8 array
        "weight_data": np.array(segment.flash, dtype=f"S{len(segment.flash)}")
        if segment.flash
        else np.zeros(0, np.uint8),
        "weight_region": np.array(FLASH_REGION, dtype=i64),
        "scratch_shape": np.array([segment.scratch_size], dtype=i64),
        "scratch_region": np.array(SCRATCH_REGION, dtype=i64),
        "scratch_size": np.array(segment.scratch_size, dtype=i64),
        "scratch_fast_shape": np.array([fast], dtype=i64),
        "scratch_fast_region": np.array(SCRATCH_FAST_REGION if fast else 0, dtype=i64),
        "scratch_fast_size": np.array(fast, dtype=i64),
        **ins,
        **outs,
        "variable_shape": empty,
        "variable_elem_size": empty,
        "variable_region": empty,
        "variable_offset": empty,
        "input_quantization": in_q,
        "output_quantization": out_q,
        "variable_quantization": empty,
    }


def write_npz(path: str | Path, model: bytes | str | Path, segment: NpuSegment) -> Path:
    """Vela's `--output-format raw` file for one segment, atomically."""
    arrays = npz_arrays(model, segment)
    return write_atomic(path, lambda f: np.savez(f, **arrays))
