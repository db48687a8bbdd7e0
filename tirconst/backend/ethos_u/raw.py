"""Vela's `--output-format raw` `.npz`, written from one NPU segment with
the default core's keys, key order and dtypes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tirconst.backend.ethos_u.containers import _TFLITE_ELEM_SIZE
from tirconst.backend.ethos_u.segments import (
    FLASH_REGION,
    SCRATCH_FAST_REGION,
    SCRATCH_REGION,
    NpuSegment,
    SegmentTensor,
    _check_segments,
    _ints,
    _read_model,
    model_bytes,
    write_atomic,
)


def _padded(shape: Sequence[int], rank: int = 6) -> list[int]:
    return [1] * (rank - len(shape)) + list(shape)


def _quantization(sg, t: int) -> dict:  # type: ignore[no-untyped-def]
    q = sg.Tensors(t).Quantization()
    scale = (
        q.ScaleAsNumpy().astype(np.float32)
        if q is not None and q.ScaleLength()
        else np.zeros(0, np.float32)
    )
    zp = (
        q.ZeroPointAsNumpy().astype(np.int32)
        if q is not None and q.ZeroPointLength()
        else np.zeros(0, np.int32)
    )
    return {
        "quant_type": "per_tensor" if len(scale) <= 1 else "per_axis",
        "scale": scale,
        "zero_point": zp,
    }


def npz_arrays(model: bytes | str | Path, segment: NpuSegment) -> dict[str, np.ndarray]:
    """Vela's raw-output arrays for one segment, in the default core's key
    order and dtypes: payload and flash as 0-d bytes arrays, int64 scalars,
    shapes padded to rank 6, quantization as object arrays of dicts."""
    data = model_bytes(model)
    m = _read_model(data)
    sg = m.Subgraphs(0)
    _check_segments(sg.OperatorsLength(), sg.TensorsLength(), [segment])
    i64 = np.int64

    def fms(
        prefix: str, items: tuple[SegmentTensor, ...]
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        shapes = [
            _padded(
                _ints(
                    sg.Tensors(t.tensor).ShapeAsNumpy, sg.Tensors(t.tensor).ShapeLength
                )
            )
            for t in items
        ]
        quant = np.empty(len(items), dtype=object)
        for k, t in enumerate(items):
            quant[k] = _quantization(sg, t.tensor)
        return {
            f"{prefix}_shape": np.array(shapes, dtype=i64).reshape(len(items), 6),
            f"{prefix}_elem_size": np.array(
                [_TFLITE_ELEM_SIZE.get(sg.Tensors(t.tensor).Type(), 1) for t in items],
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
