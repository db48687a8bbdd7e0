"""Operators the importer does not know stay on the CPU, as Vela leaves them.

A model with DEPTH_TO_SPACE, SPACE_TO_DEPTH and GATHER between convolutions
(as Keras' lambdas convert) imports with each of them as one
`tir.tflite_operator`; the compile leaves them on the CPU with a remark
naming them, compiles the convolutions around them into NPU segments, and
writes the model with the operators kept as they were. Every segment, read
back from the written bytes, equals LiteRT (whose kernels the oracle runs
the kept operators with), and the CPU operators are Vela 5.2's.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from tests.test_tflite_litert import Op, T, build_tflite
from tests.vela_compile import compile_model as vela_compile
from tests.vela_compile import cpu_operators
from tirconst.backend.ethos_u.verify import verify_compiled
from tirconst.dialects import tir
from tirconst.formats.tflite.reader import (
    TFLiteImportError,
    read_tflite,
    read_tflite_bytes,
)
from tirconst.frontend.importer import import_tflite
from tirconst.tools.compile import compile_model

CONV = {
    "Padding": 0,  # SAME
    "StrideW": 1,
    "StrideH": 1,
    "FusedActivationFunction": 1,  # RELU
    "DilationWFactor": 1,
    "DilationHFactor": 1,
}


def kept_chain(kept: tuple[str, ...], seed: int = 0) -> bytes:
    """CONV_2D, then per name in `kept` that operator (version 2, the int8
    one, as TFLite's converter writes it) followed by a CONV_2D: 8x8x8 in,
    each data movement keeping its input's quantization (LiteRT requires
    it)."""
    rng = np.random.default_rng(seed)
    tensors: list[T] = []
    ops: list[Op] = []

    def add(t: T) -> int:
        tensors.append(t)
        return len(tensors) - 1

    def quant() -> tuple[float, int]:
        return float(np.float32(rng.uniform(0.02, 0.1))), int(rng.integers(-20, 20))

    def conv(x: int, c_out: int) -> int:
        shape = tensors[x].shape
        w = rng.integers(-127, 128, (c_out, 3, 3, shape[3])).astype(np.int8)
        b = rng.integers(-3000, 3000, c_out).astype(np.int32)
        wi = add(T(w.shape, np.int8, 0.02, 0, data=w))
        bi = add(T(b.shape, np.int32, 0.02 * tensors[x].scale, 0, data=b))  # type: ignore[operator]
        y = add(T((*shape[:3], c_out), np.int8, *quant()))
        ops.append(Op("CONV_2D", [x, wi, bi], [y], ("Conv2DOptions", CONV)))
        return y

    x = conv(add(T((1, 8, 8, 4), np.int8, *quant())), 8)
    for name in kept:
        n, h, w, c = tensors[x].shape
        s, zp = tensors[x].scale, tensors[x].zp
        if name == "DEPTH_TO_SPACE":
            y = add(T((n, 2 * h, 2 * w, c // 4), np.int8, s, zp))
            ops.append(
                Op(name, [x], [y], ("DepthToSpaceOptions", {"BlockSize": 2}), version=2)
            )
        elif name == "SPACE_TO_DEPTH":
            y = add(T((n, h // 2, w // 2, 4 * c), np.int8, s, zp))
            ops.append(
                Op(name, [x], [y], ("SpaceToDepthOptions", {"BlockSize": 2}), version=2)
            )
        else:  # GATHER: a channel permutation (a constant index vector)
            idx = rng.permutation(c)[: c - 2].astype(np.int32)
            i = add(T(idx.shape, np.int32, data=idx))
            y = add(T((n, h, w, idx.size), np.int8, s, zp))
            opts = ("GatherOptions", {"Axis": -1, "BatchDims": 0})
            ops.append(Op(name, [x, i], [y], opts, version=2))
        x = conv(y, 8)
    return build_tflite(tensors, ops, [0], [x])


KEPT = ("DEPTH_TO_SPACE", "SPACE_TO_DEPTH", "GATHER")


def test_import_keeps_each_unknown_operator() -> None:
    """Each becomes a `tir.tflite_operator` naming it and its version, with
    its operator index, reading the tensor the convolution before wrote and
    writing the buffer the packager finds it by (`op<k>_<opcode>`)."""
    model = read_tflite_bytes(kept_chain(KEPT))
    module = import_tflite(model)
    module.verify()
    kept = [op for op in module.walk() if isinstance(op, tir.TFLiteOperatorOp)]
    assert [(op.opcode, op.version) for op in kept] == [(k, 2) for k in KEPT]
    for op in kept:
        index = op.attributes["tflite.index"].value.data  # type: ignore[attr-defined]
        assert model.operators[index].opcode == op.opcode
        assert len(op.input_values()) == 1  # GATHER's indices stay constant
        assert op.output.name_hint == f"op{index}_{op.opcode.lower()}"


@pytest.mark.parametrize("kept", [(k,) for k in KEPT] + [KEPT], ids="+".join)
def test_kept_operators_compile_around_the_cpu(
    tmp_path: Path, kept: tuple[str, ...]
) -> None:
    """Compiled and written: one NPU segment per convolution run, each exact
    from the file's bytes on three seeds; the kept operators are the
    written model's CPU operators, as they were (options, version, constant
    inputs), one remark and one CPU row of the per-layer CSV naming each;
    Vela leaves the same ones."""
    model = tmp_path / "kept.tflite"
    model.write_bytes(kept_chain(kept))
    remarks: list[str] = []
    result = compile_model(model, tmp_path / "out", remark=remarks.append)
    written = tmp_path / "out" / "kept_tirconst.tflite"
    assert result.cpu_ops == len(kept)
    for name in kept:
        assert sum(name in r and "stays on the CPU" in r for r in remarks) == 1
    for seed in range(3):
        checks = verify_compiled(model, written, seed)
        assert len(checks) == len(kept) + 1
        for c in checks:
            assert c.exact, c.line()
    ours = cpu_operators(written)
    assert ours == list(kept)
    with open(tmp_path / "out" / "kept_per-layer.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    cpu_rows = [r["Original Operator"] for r in rows if r["Target"] == "CPU"]
    assert cpu_rows == list(kept)  # named as the model names them
    original, out = read_tflite(model), read_tflite(written)
    for name in kept:
        (a,) = [op for op in original.operators if op.opcode == name]
        (b,) = [op for op in out.operators if op.opcode == name]
        assert (a.version, a.options) == (b.version, b.options)
        for ta, tb in zip(a.inputs, b.inputs, strict=True):
            da, db = original.tensor(ta).data, out.tensor(tb).data
            assert (da is None) == (db is None)
            assert da is None or np.array_equal(da, db)
    vela = vela_compile(model, "regor", "tflite", tmp_path / "vela")
    assert vela.path is not None, vela.error
    assert cpu_operators(vela.path) == ours


def test_a_compiled_model_is_refused_in_one_line(tmp_path: Path) -> None:
    """A written model's `ethos-u` operators are NPU segments, not
    operators to keep for the CPU: importing it again is one line naming
    each, whatever else it keeps."""
    model = tmp_path / "kept.tflite"
    model.write_bytes(kept_chain(("GATHER",)))
    compile_model(model, tmp_path / "out", remark=lambda _: None)
    with pytest.raises(TFLiteImportError) as e:
        import_tflite(tmp_path / "out" / "kept_tirconst.tflite")
    message = str(e.value)
    assert "\n" not in message
    assert message.startswith("unsupported operator kind(s) CUSTOM, not imported")
    assert message.count("an NPU segment: the model is already compiled") == 2
    assert "GATHER" not in message
