"""The importer validates the graph first: models LiteRT refuses, or that
compute nothing meaningful, fail with one line naming the operator or tensor
(built with flatbuffers; LiteRT's own verdict is checked where it has one)."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from tests.test_tflite_litert import Op, T, _interpreter, build_tflite
from tirconst.formats.tflite.reader import TFLiteImportError, read_tflite_bytes
from tirconst.frontend.importer import import_tflite

ADD = ("AddOptions", {"FusedActivationFunction": 0})


def add_model(
    zp: int = 0, inputs=(0, 1), outputs=(2,), op_in=(0, 1), op_out=(2,), extra=()
) -> bytes:
    tensors = [
        T((4,), np.int8, 0.05, zp),
        T((4,), np.int8, 0.05, 0),
        T((4,), np.int8, 0.1, 0),
        T((4,), np.int8, 0.1, 0),
    ]
    ops = [Op("ADD", list(op_in), list(op_out), ADD), *extra]
    return build_tflite(tensors, ops, list(inputs), list(outputs))


def refused(data: bytes) -> str:
    with pytest.raises(TFLiteImportError) as e:
        import_tflite(read_tflite_bytes(data))
    message = str(e.value)
    assert "\n" not in message
    return message


def litert_refuses(data: bytes) -> None:
    with pytest.raises((RuntimeError, ValueError)):
        interp = _interpreter(data)
        interp.allocate_tensors()
        interp.invoke()


def test_a_well_formed_model_imports():
    import_tflite(read_tflite_bytes(add_model())).verify()


@pytest.mark.parametrize("zp", [128, -129, 1000])
def test_int8_zero_point_out_of_range(zp: int):
    data = add_model(zp=zp)
    assert refused(data) == (
        f"tensor 0 't0': int8 zero point {zp} is outside [-128, 127]"
    )


def test_output_that_no_operator_writes():
    data = add_model(outputs=(2, 3))
    assert refused(data) == "model output tensor 3 't3' is written by no operator"
    # (LiteRT runs it and returns whatever the buffer held: nothing meaningful)


def test_operator_reading_its_own_output():
    data = add_model(op_in=(0, 2), inputs=(0,))
    assert refused(data) == "operator 0 (ADD) reads its own output tensor 2 't2'"
    litert_refuses(data)


def test_operator_writing_a_model_input():
    data = add_model(op_in=(0, 0), op_out=(1,), outputs=(1,))
    assert refused(data) == "operator 0 (ADD) writes the model input tensor 1 't1'"


def test_two_operators_writing_one_tensor():
    data = add_model(extra=[Op("ADD", [0, 1], [2], ADD)])
    assert refused(data) == (
        "operator 1 (ADD) writes tensor 2 't2', which operator 0 (ADD) already writes"
    )


def test_cli_reports_one_line_and_writes_nothing(tmp_path):
    src = tmp_path / "bad.tflite"
    src.write_bytes(add_model(zp=300))
    out = tmp_path / "out.mlir"
    run = subprocess.run(
        ["tirconst-import", str(src), "-o", str(out)], capture_output=True, text=True
    )
    assert run.returncode != 0
    assert run.stderr.strip() == (
        f"{src}: error: tensor 0 't0': int8 zero point 300 is outside [-128, 127]"
    )
    assert not out.exists()
