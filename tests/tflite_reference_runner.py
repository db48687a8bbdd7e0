"""Run a :class:`TFLiteModel` op by op with the bit-exact numpy kernels.

Used to check the kernels and parameters against LiteRT and to locate the
first operator whose output differs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tirconst import kernels
from tirconst.formats.tflite.reader import (
    TFLiteImportError,
    TFLiteModel,
    TFLiteOperator,
)
from tirconst.frontend.operator_table import OPERATORS, op_params
from tirconst.interpreter.operators import KERNELS

__all__ = [
    "PreparedOp",
    "ReferenceRunner",
    "first_mismatch",
    "run_reference",
]


def _prepared(model: TFLiteModel, op: TFLiteOperator) -> list[PreparedOp]:
    """The operator's kernel calls, from the importer's table and the
    interpreter's kernel registry: one per output of a `per_output` operator.
    Inputs that are not buffers (paddings, axes, shape) are folded into the
    params."""
    entry = OPERATORS[op.opcode]
    params = op_params(model, op)  # raises for unsupported operators
    per_output = params if entry.per_output else [params]
    if len(per_output) != len(op.outputs):
        raise TFLiteImportError(
            f"operator {op.index} ({op.opcode}): not supported by the runner"
        )
    positions = tuple(range(len(op.inputs))) if entry.buffers is None else entry.buffers
    out = []
    for position, p in enumerate(per_output):
        cls = entry.op_class(p)
        fn: Callable[..., np.ndarray] = kernels.reshape
        if cls is not None:
            kernel = KERNELS[cls]
            fn = kernel.fn
            if kernel.output_shape:
                p["output_shape"] = model.tensors[op.outputs[position]].shape
            if kernel.output_dtype:
                p["output_dtype"] = model.tensors[op.outputs[position]].dtype
        out.append(PreparedOp(op, fn, positions, p, op.outputs[position]))
    return out


@dataclass
class PreparedOp:
    """An operator's kernel call writing one of its outputs."""

    op: TFLiteOperator
    kernel: Callable[..., np.ndarray]
    positions: tuple[int, ...]  # the operator inputs passed positionally
    params: dict[str, Any]
    output: int  # tensor index


class ReferenceRunner:
    """Interprets subgraph 0 of a model with :mod:`tirconst.kernels`.

    Parameters are computed once at construction (like TFLite's Prepare), so
    unsupported operators raise :class:`TFLiteImportError` here.
    """

    def __init__(self, model: TFLiteModel) -> None:
        self.model = model
        self.ops: list[PreparedOp] = []
        for op in model.operators:
            self.ops += _prepared(model, op)

    def __call__(
        self, inputs: Sequence[np.ndarray] | Mapping[int, np.ndarray]
    ) -> dict[int, np.ndarray]:
        """Run the graph; returns every computed or constant tensor by index.

        ``inputs`` is a sequence in subgraph-input order or a mapping from
        tensor index to array; dtypes and shapes must match the model.
        """
        m = self.model
        feeds = (
            dict(inputs)
            if isinstance(inputs, Mapping)
            else dict(zip(m.inputs, inputs, strict=True))
        )
        values: dict[int, np.ndarray] = {
            t.index: t.data for t in m.tensors if t.data is not None
        }
        for idx in m.inputs:
            if idx not in feeds:
                raise ValueError(f"missing input tensor {idx} '{m.tensors[idx].name}'")
        for idx, arr in feeds.items():
            t = m.tensors[idx]
            a = np.asarray(arr)
            if a.dtype != t.dtype or a.shape != t.shape:
                raise ValueError(
                    f"input tensor {idx} '{t.name}' expects {t.dtype}{list(t.shape)}, "
                    f"got {a.dtype}{list(a.shape)}"
                )
            values[idx] = a
        for p in self.ops:
            ins = p.op.inputs
            args = [
                values[ins[k]] if k < len(ins) and ins[k] >= 0 else None
                for k in p.positions
            ]
            out = p.kernel(*args, **p.params)
            t = m.tensors[p.output]
            if out.dtype != t.dtype or out.shape != t.shape:
                raise RuntimeError(
                    f"operator {p.op.index} ({p.op.opcode}) produced "
                    f"{out.dtype}{list(out.shape)}, tensor {t.index} '{t.name}' is "
                    f"{t.dtype}{list(t.shape)}"
                )
            values[t.index] = out
        return values

    def outputs(self, values: Mapping[int, np.ndarray]) -> list[np.ndarray]:
        """The subgraph outputs from a result of :meth:`__call__`."""
        return [values[i] for i in self.model.outputs]


def run_reference(
    model: TFLiteModel, inputs: Sequence[np.ndarray] | Mapping[int, np.ndarray]
) -> dict[int, np.ndarray]:
    """One-shot :class:`ReferenceRunner` call."""
    return ReferenceRunner(model)(inputs)


def first_mismatch(
    model: TFLiteModel,
    ours: Mapping[int, np.ndarray],
    expected: Mapping[int, np.ndarray],
) -> str | None:
    """Describe the first operator (execution order) whose output differs.

    Returns None when every operator output present in both mappings is
    bit-identical (float outputs compared bitwise, NaNs included).
    """
    for op in model.operators:
        for idx in op.outputs:
            if idx < 0 or idx not in ours or idx not in expected:
                continue
            a = np.asarray(ours[idx])
            b = np.asarray(expected[idx])
            t = model.tensors[idx]
            if a.shape != b.shape or a.dtype != b.dtype:
                return (
                    f"operator {op.index} ({op.opcode}) output tensor {idx} "
                    f"'{t.name}': {a.dtype}{list(a.shape)} vs {b.dtype}{list(b.shape)}"
                )
            raw = f"u{a.dtype.itemsize}"
            bad = np.ascontiguousarray(a).reshape(-1).view(raw) != np.ascontiguousarray(
                b
            ).reshape(-1).view(raw)
            if bad.any():
                diff = np.abs(
                    a.reshape(-1)[bad].astype(np.float64)
                    - b.reshape(-1)[bad].astype(np.float64)
                )
                return (
                    f"operator {op.index} ({op.opcode}) output tensor {idx} "
                    f"'{t.name}': {int(bad.sum())} of {a.size} elements differ "
                    f"(max |diff| {float(np.nanmax(diff)) if diff.size else 0:g})"
                )
    return None
