"""Static shape computations in the graph are evaluated at import time: a model
that computes its RESHAPE target with SHAPE, STRIDED_SLICE, GATHER, MUL, PACK
and CONCATENATION imports as the operators that do the work, and runs bit for
bit as LiteRT runs it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from tests.test_tflite_litert import Op, T, _interpreter, build_tflite
from tirconst.dialects import tir
from tirconst.formats.tflite.reader import TFLiteImportError, read_tflite_bytes
from tirconst.frontend.importer import import_tflite
from tirconst.frontend.static_fold import fold_static
from tirconst.interpreter import run_function

I32 = np.int32


def shape_model(slice_end: int = 2, concat_axis: int = 0) -> bytes:
    """x (1x4x4x2 int8) -> y = add(x, x) -> RESHAPE(y, [batch, 4 * 8]) -> out
    (1x32), the target shape computed from SHAPE(x) in the graph."""
    tensors = [
        T((1, 4, 4, 2), np.int8, 0.05, 3),  # 0 x
        T((4,), I32),  # 1 SHAPE(x) = [1, 4, 4, 2]
        T((1,), I32, data=np.array([0], I32)),  # 2 begin
        T((1,), I32, data=np.array([1], I32)),  # 3 end
        T((1,), I32, data=np.array([1], I32)),  # 4 strides
        T((), I32),  # 5 batch = s[0] (shrunk)
        T((1,), I32, data=np.array([1], I32)),  # 6 gather index
        T((1,), I32),  # 7 h = s[[1]] = [4]
        T((1,), I32, data=np.array([8], I32)),  # 8 eight
        T((1,), I32),  # 9 h * 8 = [32]
        T((1,), I32),  # 10 PACK(batch) = [1]
        T((2,), I32),  # 11 CONCATENATION = [1, 32]
        T((1, 4, 4, 2), np.int8, 0.1, -2),  # 12 x + x
        T((1, 32), np.int8, 0.1, -2),  # 13 output
        T((2,), I32, data=np.array([0, slice_end], I32)),  # 14 unused
    ]
    ops = [
        Op("SHAPE", [0], [1], ("ShapeOptions", {"OutType": 2})),
        Op(
            "STRIDED_SLICE",
            [1, 2, 3, 4],
            [5],
            ("StridedSliceOptions", {"ShrinkAxisMask": 1}),
        ),
        Op("GATHER", [1, 6], [7], ("GatherOptions", {"Axis": 0})),
        Op("MUL", [7, 8], [9], ("MulOptions", {"FusedActivationFunction": 0})),
        Op("PACK", [5], [10], ("PackOptions", {"ValuesCount": 1, "Axis": 0})),
        Op(
            "CONCATENATION",
            [10, 9],
            [11],
            ("ConcatenationOptions", {"Axis": concat_axis}),
        ),
        Op("ADD", [0, 0], [12], ("AddOptions", {"FusedActivationFunction": 0})),
        Op("RESHAPE", [12, 11], [13]),
    ]
    return build_tflite(tensors, ops, [0], [13])


def litert(data: bytes, x: np.ndarray) -> np.ndarray:
    it = _interpreter(data)
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], x)
    it.invoke()
    return it.get_tensor(it.get_output_details()[0]["index"])


def test_shape_computation_folds_and_matches_litert():
    data = shape_model()
    model = read_tflite_bytes(data)
    folded = fold_static(model)
    assert [op.opcode for op in folded.operators] == ["ADD", "RESHAPE"]
    assert folded.tensor(11).data.tolist() == [1, 32]
    assert folded.tensor(5).data.shape == ()
    module = import_tflite(model)
    module.verify()
    names = [op.name for op in module.walk() if isinstance(op, tir.OperatorOp)]
    assert names == ["tir.add", "tir.copy"]
    rng = np.random.default_rng(0)
    for _ in range(3):
        x = rng.integers(-128, 128, (1, 4, 4, 2)).astype(np.int8)
        ours = run_function(module, {"input0": x})["output0"]
        assert ours.tobytes() == litert(data, x).tobytes()


def test_an_operator_that_cannot_be_evaluated_is_named():
    model = read_tflite_bytes(shape_model())
    model.tensors[6] = dataclasses.replace(model.tensors[6], data=np.array([7], I32))
    with pytest.raises(TFLiteImportError) as e:
        import_tflite(model)
    assert str(e.value) == (
        "operator 2 (GATHER): cannot evaluate it: indices [7] out of range"
    )


def test_a_result_that_disagrees_with_the_declared_shape_is_refused():
    model = read_tflite_bytes(shape_model())
    model.tensors[9] = dataclasses.replace(model.tensors[9], shape=(2,))
    with pytest.raises(TFLiteImportError) as e:
        fold_static(model)
    assert str(e.value) == (
        "operator 3 (MUL): evaluates to shape [1], but its output tensor 9 't9' "
        "has shape [2]"
    )


def test_quantized_arithmetic_is_not_folded():
    # An int8 ADD of constants is requantizing arithmetic, not shape math: it
    # stays an operator (and imports as tir.add reading two constants).
    tensors = [
        T((4,), np.int8, 0.05, 0, data=np.array([1, 2, 3, 4], np.int8)),
        T((4,), np.int8, 0.05, 0),
        T((4,), np.int8, 0.1, 0),
        T((4,), np.int8, 0.1, 0),
    ]
    add = ("AddOptions", {"FusedActivationFunction": 0})
    ops = [Op("ADD", [0, 0], [2], add), Op("ADD", [2, 1], [3], add)]
    model = read_tflite_bytes(build_tflite(tensors, ops, [1], [3]))
    assert fold_static(model) is model
    import_tflite(model).verify()
