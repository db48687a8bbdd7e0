"""The TFLite importer: structure of what it builds, and its errors."""

from __future__ import annotations

import dataclasses
import subprocess
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import tflite
from xdsl.dialects.builtin import StringAttr

from tests.tflite_patch import MODELS, model_bytes, with_opcode
from tirconst.dialects import tir
from tirconst.formats.tflite.reader import TFLiteImportError, read_tflite
from tirconst.frontend.importer import import_tflite

ALL_MODELS = sorted(p.stem for p in MODELS.glob("*.tflite"))


def _func(module) -> tir.FuncOp:
    (func,) = [op for op in module.ops if isinstance(op, tir.FuncOp)]
    return func


@pytest.mark.parametrize("name", ALL_MODELS)
def test_import_structure(name: str) -> None:
    model = read_tflite(MODELS / f"{name}.tflite")
    module = import_tflite(model)
    module.verify()
    func = _func(module)
    assert func.names == tuple(
        [f"input{i}" for i in range(len(model.inputs))]
        + [f"output{i}" for i in range(len(model.outputs))]
    )
    for arg, t in zip(func.args, model.inputs + model.outputs, strict=False):
        assert arg.type.get_shape() == model.tensor(t).shape
        assert arg.type.dtype == model.tensor(t).dtype

    # Every operator is there once, under its TFLite index.
    indices = sorted(
        op.attributes["tflite.index"].value.data
        for op in func.walk()
        if "tflite.index" in op.attributes
    )
    assert indices == list(range(len(model.operators)))

    # Weight tensors become constants holding exactly the model's bytes, one
    # constant per tensor however many operators read it.
    consts = {
        c.attributes["tflite.tensor"].data: c
        for c in module.ops
        if isinstance(c, tir.ConstantOp) and "tflite.tensor" in c.attributes
    }
    for t in model.tensors:
        if t.name in consts:
            assert np.array_equal(consts[t.name].data, t.data)
            assert consts[t.name].data.dtype == t.data.dtype
    reads = Counter(
        op.symbol.root_reference.data
        for op in func.walk()
        if isinstance(op, tir.AllocateConstOp)
    )
    assert all(n == 1 for n in reads.values())


def test_shared_weight_stays_one_constant() -> None:
    model = read_tflite(MODELS / "keyword_spotting_mobilenetv2.tflite")
    # Point a second depthwise conv at the first one's filter (same shape):
    # one constant, read by one allocate_const that both operators use.
    seen: dict[tuple, int] = {}
    for i, op in enumerate(model.operators):
        if op.opcode != "DEPTHWISE_CONV_2D":
            continue
        key = model.tensor(op.inputs[1]).shape
        if key in seen:
            first = model.operators[seen[key]]
            inputs = (op.inputs[0], first.inputs[1], op.inputs[2])
            model.operators[i] = dataclasses.replace(op, inputs=inputs)
            break
        seen[key] = i
    else:
        pytest.fail("no two depthwise filters of one shape")
    module = import_tflite(model)
    module.verify()
    func = _func(module)
    shared = model.tensor(first.inputs[1]).name
    (const,) = [
        c
        for c in module.ops
        if isinstance(c, tir.ConstantOp)
        and c.attributes.get("tflite.tensor") == StringAttr(shared)
    ]
    (read,) = [
        op
        for op in func.walk()
        if isinstance(op, tir.AllocateConstOp)
        and op.symbol.root_reference.data == const.sym_name.data
    ]
    users = {
        use.operation.attributes["tflite.index"].value.data for use in read.buffer.uses
    }
    assert users == {seen[key], i}


def test_unknown_operators_are_kept_for_the_cpu(tmp_path: Path) -> None:
    """Every operator the table does not know (here both MAX_POOL_2Ds of a
    bundled model, recoded as FLOOR) becomes a `tir.tflite_operator` naming
    it, at its place in the model, with its operator index; tirconst-import
    prints them."""
    data = with_opcode(
        model_bytes("audio_example1"),
        tflite.BuiltinOperator.MAX_POOL_2D,
        tflite.BuiltinOperator.FLOOR,
    )
    path = tmp_path / "floor.tflite"
    path.write_bytes(data)
    model = read_tflite(path)
    floors = [op.index for op in model.operators if op.opcode == "FLOOR"]
    assert len(floors) == 2
    module = import_tflite(path)
    module.verify()
    kept = [op for op in _func(module).walk() if isinstance(op, tir.TFLiteOperatorOp)]
    assert [op.opcode for op in kept] == ["FLOOR", "FLOOR"]
    assert [op.attributes["tflite.index"].value.data for op in kept] == floors

    out = tmp_path / "out.mlir"
    run = subprocess.run(
        ["tirconst-import", str(path), "-o", str(out)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert out.read_text().count('opcode = "FLOOR"') == 2


def test_float_tensor_where_int8_is_needed() -> None:
    model = read_tflite(MODELS / "tflite_micro_speech.tflite")
    out = model.operators[0].outputs[0]
    model.tensors[out] = dataclasses.replace(
        model.tensors[out], dtype=np.dtype(np.float32)
    )
    with pytest.raises(TFLiteImportError, match=r"operator 0 \(CONV_2D\).*int8"):
        import_tflite(model)


def test_per_axis_quantization_on_an_unhandled_axis() -> None:
    model = read_tflite(MODELS / "tflite_micro_speech.tflite")
    index = model.operators[0].inputs[1]
    filt = model.tensors[index]
    assert filt.quantization is not None
    model.tensors[index] = dataclasses.replace(
        filt,
        quantization=dataclasses.replace(filt.quantization, quantized_dimension=3),
    )
    with pytest.raises(TFLiteImportError, match="operator 0"):
        import_tflite(model)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "not a valid TFLite flatbuffer"),
        (b"\x00" * 64, "not a valid TFLite flatbuffer"),
    ],
)
def test_corrupt_files(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.tflite"
    path.write_bytes(data)
    run = subprocess.run(["tirconst-import", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert message in run.stderr and "Traceback" not in run.stderr


def test_truncated_file(tmp_path: Path) -> None:
    path = tmp_path / "cut.tflite"
    path.write_bytes(model_bytes("audio_example1")[:5000])
    run = subprocess.run(["tirconst-import", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "not a valid TFLite flatbuffer" in run.stderr
    assert "Traceback" not in run.stderr


def test_summary_names_function_constants_and_operators() -> None:
    run = subprocess.run(
        [
            "tirconst-import",
            str(MODELS / "keyword_spotting_mobilenetv2.tflite"),
            "--summary",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "function @main(input0: !tir.buffer<1x59x49x1xi8>" in run.stdout
    assert "tir.conv2d x35" in run.stdout and "tir.depthwise_conv2d x17" in run.stdout
    assert "tir.add x12" in run.stdout and "tir.pad x4" in run.stdout
    assert "constants: " in run.stdout
