"""Graph rules a TFLite model must meet before import.

LiteRT refuses these models (or computes nothing meaningful from them); the
importer refuses them too, with one line naming the operator or tensor:

- an int8 tensor's zero point outside [-128, 127];
- a model output that no operator writes (and is not a model input);
- an operator that reads its own output;
- an operator that writes a model input or a constant tensor;
- a tensor written by two operators.
"""

from __future__ import annotations

import numpy as np

from tirconst.formats.tflite.reader import (
    TFLiteImportError,
    TFLiteModel,
    TFLiteOperator,
)

INT8_MIN, INT8_MAX = -128, 127


def _where(model: TFLiteModel, op: TFLiteOperator) -> str:
    return f"operator {op.index} ({op.opcode})"


def _tensor(model: TFLiteModel, index: int) -> str:
    return f"tensor {index} '{model.tensor(index).name}'"


def check_graph(model: TFLiteModel) -> None:
    """Raise TFLiteImportError (one line) for the first broken rule."""
    for t in model.tensors:
        q = t.quantization
        if t.dtype != np.int8 or q is None or q.zero_points.size == 0:
            continue
        bad = q.zero_points[(q.zero_points < INT8_MIN) | (q.zero_points > INT8_MAX)]
        if bad.size:
            raise TFLiteImportError(
                f"{_tensor(model, t.index)}: int8 zero point {int(bad[0])} is "
                f"outside [{INT8_MIN}, {INT8_MAX}]"
            )
    inputs = set(model.inputs)
    writer: dict[int, TFLiteOperator] = {}
    for op in model.operators:
        outs = [o for o in op.outputs if o >= 0]
        for o in outs:
            if o in op.inputs:
                raise TFLiteImportError(
                    f"{_where(model, op)} reads its own output {_tensor(model, o)}"
                )
            if o in inputs:
                raise TFLiteImportError(
                    f"{_where(model, op)} writes the model input {_tensor(model, o)}"
                )
            if model.tensor(o).data is not None:
                raise TFLiteImportError(
                    f"{_where(model, op)} writes the constant {_tensor(model, o)}"
                )
            if o in writer:
                raise TFLiteImportError(
                    f"{_where(model, op)} writes {_tensor(model, o)}, which "
                    f"{_where(model, writer[o])} already writes"
                )
            writer[o] = op
    for o in model.outputs:
        if o not in writer and o not in inputs:
            raise TFLiteImportError(
                f"model output {_tensor(model, o)} is written by no operator"
            )
