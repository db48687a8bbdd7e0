"""Evaluate at import time what a TFLite model computes from static data.

Real models compute static shapes inside the graph (SHAPE, STRIDED_SLICE,
PACK, CONCATENATION, GATHER, ... feeding a RESHAPE). An operator whose inputs
are all constants, or that reads only a static shape (SHAPE), is evaluated
here with numpy; its output becomes a constant tensor and the operator goes,
so the model imports as the operators that do the work.

What folds: data movement of any dtype (SHAPE, STRIDED_SLICE, PACK,
CONCATENATION, GATHER, RESHAPE, SQUEEZE, EXPAND_DIMS, TRANSPOSE), where a
quantized input keeps its quantization, and integer arithmetic on
unquantized int32/int64 tensors (ADD, SUB, MUL, CAST). Each result must have
the output tensor's declared shape and dtype; any other all-constant
operator is left in place (and the importer names it if it cannot take it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from tirconst.formats.tflite.reader import (
    TFLiteImportError,
    TFLiteModel,
    TFLiteOperator,
    TFLiteTensor,
)

Evaluator = Callable[[list[np.ndarray], TFLiteOperator, list[TFLiteTensor]], Any]


def _strided_slice(a: list[np.ndarray], op: TFLiteOperator, _t) -> np.ndarray:
    x, begin, end, strides = a[0], *(v.reshape(-1) for v in a[1:4])
    o = op.options
    if o.get("ellipsis_mask", 0) or o.get("new_axis_mask", 0) or o.get("offset"):
        raise ValueError("ellipsis, new-axis and offset masks are not supported")
    index: list[Any] = []
    for i in range(x.ndim):
        if i >= begin.size:
            index.append(slice(None))
            continue
        b, e, s = int(begin[i]), int(end[i]), int(strides[i])
        if o.get("shrink_axis_mask", 0) >> i & 1:
            index.append(b)
            continue
        index.append(
            slice(
                None if o.get("begin_mask", 0) >> i & 1 else b,
                None if o.get("end_mask", 0) >> i & 1 else e,
                s,
            )
        )
    return x[tuple(index)]


def _gather(a: list[np.ndarray], op: TFLiteOperator, _t) -> np.ndarray:
    if op.options.get("batch_dims", 0):
        raise ValueError("batch_dims is not supported")
    x, idx = a
    if idx.size and (idx.min() < 0 or idx.max() >= x.shape[op.options.get("axis", 0)]):
        raise ValueError(f"indices {idx.reshape(-1).tolist()} out of range")
    return np.take(x, idx, axis=op.options.get("axis", 0))


def _int_arith(fn: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Evaluator:
    def ev(a: list[np.ndarray], op: TFLiteOperator, ts: list[TFLiteTensor]):
        if any(t.quantization is not None or t.dtype.kind != "i" for t in ts):
            return None  # quantized or float arithmetic: not a shape computation
        if op.options.get("fused_activation", "NONE") != "NONE":
            return None
        return fn(a[0].astype(np.int64), a[1].astype(np.int64))

    return ev


def _data_movement(fn: Evaluator) -> Evaluator:
    def ev(a: list[np.ndarray], op: TFLiteOperator, ts: list[TFLiteTensor]):
        qs = {_quant_key(t) for t in ts if t.quantization is not None}
        if len(qs) > 1 or op.options.get("fused_activation", "NONE") != "NONE":
            return None  # requantizing or clamping: not plain data movement
        return fn(a, op, ts)

    return ev


def _quant_key(t: TFLiteTensor) -> tuple:
    q = t.quantization
    assert q is not None
    return (q.scales.tobytes(), q.zero_points.tobytes(), q.quantized_dimension)


_SHAPE_ONLY = {"SHAPE"}
_EVALUATORS: dict[str, Evaluator] = {
    "STRIDED_SLICE": _data_movement(_strided_slice),
    "PACK": _data_movement(
        lambda a, op, _t: np.stack(a, axis=op.options.get("axis", 0))
    ),
    "CONCATENATION": _data_movement(
        lambda a, op, _t: np.concatenate(a, axis=op.options.get("axis", 0))
    ),
    "GATHER": _data_movement(_gather),
    "RESHAPE": _data_movement(lambda a, _op, _t: a[0]),  # reshaped to the output
    "SQUEEZE": _data_movement(lambda a, _op, _t: a[0]),
    "EXPAND_DIMS": _data_movement(lambda a, _op, _t: a[0]),
    "TRANSPOSE": _data_movement(
        lambda a, _op, _t: np.transpose(a[0], a[1].reshape(-1).tolist())
    ),
    "ADD": _int_arith(np.add),
    "SUB": _int_arith(np.subtract),
    "MUL": _int_arith(np.multiply),
    "CAST": lambda a, _op, ts: (
        a[0] if ts[0].quantization is None and ts[0].dtype.kind in "iub" else None
    ),
}
_RESHAPING = {"RESHAPE", "SQUEEZE", "EXPAND_DIMS"}

FOLDABLE_OPCODES = frozenset(_EVALUATORS) | _SHAPE_ONLY


def fold_static(model: TFLiteModel) -> TFLiteModel:
    """The model with every statically computable operator evaluated: its
    outputs become constant tensors and the operator is removed (the others
    keep their indices). Raises TFLiteImportError naming the operator when an
    evaluation fails or disagrees with the declared output."""
    tensors = list(model.tensors)
    kept: list[TFLiteOperator] = []
    for op in model.operators:
        value = _evaluate(op, tensors)
        if value is None:
            kept.append(op)
            continue
        out = tensors[op.outputs[0]]
        tensors[out.index] = dataclasses.replace(out, data=value)
    if len(kept) == len(model.operators):
        return model
    return dataclasses.replace(model, tensors=tensors, operators=kept)


def _evaluate(op: TFLiteOperator, tensors: list[TFLiteTensor]) -> np.ndarray | None:
    if op.opcode not in FOLDABLE_OPCODES or len(op.outputs) != 1:
        return None
    ins = [tensors[i] for i in op.inputs if i >= 0]
    out = tensors[op.outputs[0]]
    where = f"operator {op.index} ({op.opcode})"
    if op.opcode in _SHAPE_ONLY:
        if len(ins) != 1:
            return None
        result: Any = np.array(ins[0].shape, np.int64)
    else:
        if not ins or any(t.data is None for t in ins):
            return None
        try:
            result = _EVALUATORS[op.opcode](
                [np.asarray(t.data) for t in ins], op, [*ins, out]
            )
        except (ValueError, IndexError, TypeError) as e:
            raise TFLiteImportError(f"{where}: cannot evaluate it: {e}") from None
        if result is None:
            return None
    result = np.asarray(result)
    if op.opcode in _RESHAPING and result.size == int(np.prod(out.shape)):
        result = result.reshape(out.shape)
    if tuple(result.shape) != tuple(out.shape):
        raise TFLiteImportError(
            f"{where}: evaluates to shape {list(result.shape)}, but its output "
            f"tensor {out.index} '{out.name}' has shape {list(out.shape)}"
        )
    if result.dtype.kind in "iu" and out.dtype.kind in "iu":
        info = np.iinfo(out.dtype)
        if result.size and (result.min() < info.min or result.max() > info.max):
            raise TFLiteImportError(
                f"{where}: a value does not fit its output tensor {out.index} "
                f"'{out.name}' ({out.dtype})"
            )
    elif result.dtype != out.dtype:
        return None
    value = np.array(result, dtype=out.dtype, order="C")  # keeps 0-d arrays 0-d
    value.flags.writeable = False
    return value
