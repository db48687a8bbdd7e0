"""The Ethos-U's int16 SIGMOID and TANH activation functions, read from
Vela's own streams: Vela compiles an int16 LOGISTIC / TANH to a 1x1 average
pool with OFM_SCALE taking the input to 1/(3*4096) and the hardware
function as its activation. Disassembled to npu IR (`#npu.activation<sigmoid>`
/ `<tanh>`) and run by the npu interpreter, the stream equals LiteRT
BUILTIN_REF on every int16 input; it survives the round trip npu IR ->
Vela -> payload -> npu IR. Vela's integer LSTM (its gates use these
functions) decodes and runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.test_disasm_npu import npu_module_of, roundtrip
from tests.test_tflite_litert import Op, T, _interpreter, build_tflite
from tests.vela_compile import CORES, compile_model
from tirconst.dialects.npu import PoolingOp
from tirconst.interpreter.npu import run_stream

EVERY = np.arange(-32768, 32768).astype(np.int16).reshape(1, 64, 64, 16)
MODELS = Path(__file__).resolve().parent.parent / "models"


def _model(opcode: str, scale: float) -> bytes:
    shape = EVERY.shape
    return build_tflite(
        [T(shape, np.int16, scale, 0), T(shape, np.int16, 1 / 32768, 0)],
        [Op(opcode, [0], [1])],
        [0],
        [1],
    )


def _litert(model: bytes, x: np.ndarray) -> np.ndarray:
    it = _interpreter(model)
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], x)
    it.invoke()
    return it.get_tensor(it.get_output_details()[0]["index"])


# 2^-12 (and 2^-11 for tanh) take the exact (3 << k, 0) scale; the others a
# 15-bit multiplier and a shift, rounded half up into the function.
SCALES = [2**-12, 2**-11, 9e-5, 3.1e-4, 1.7e-3]


@pytest.mark.parametrize("core", list(CORES))
@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("opcode", ["LOGISTIC", "TANH"])
def test_vela_int16_function_equals_litert(
    tmp_path: Path, opcode: str, scale: float, core: str
) -> None:
    model = _model(opcode, scale)
    path = tmp_path / "m.tflite"
    path.write_bytes(model)
    compiled = compile_model(path, core, "tflite", tmp_path / "out")
    assert compiled.path is not None, compiled.error
    module = npu_module_of(compiled.path)
    module.verify()
    ops = [o for o in module.ops.first.body.block.ops if isinstance(o, PoolingOp)]
    kind = "sigmoid" if opcode == "LOGISTIC" else "tanh"
    assert [o.activation.kind for o in ops if o.activation] == [kind]
    want = _litert(model, EVERY)
    got = run_stream(module, {"t0": EVERY})["t1"].reshape(want.shape)
    wrong = np.flatnonzero(got != want)
    assert wrong.size == 0, (EVERY.reshape(-1)[wrong[:5]], got.reshape(-1)[wrong[:5]])
    back = roundtrip(module)
    (op,) = [o for o in back.ops.first.body.block.ops if isinstance(o, PoolingOp)]
    assert op.activation is not None and op.activation.kind == kind
    again = run_stream(back, {"t0": EVERY})["t1"].reshape(want.shape)
    np.testing.assert_array_equal(again, want)


@pytest.mark.parametrize(
    "model",
    [MODELS / "networks" / "lstm.tflite", MODELS / "lstm" / "wide_range.tflite"],
)
def test_vela_lstm_stream_runs(tmp_path: Path, model: Path) -> None:
    """Vela's LSTM (legacy core): int8 x int8 -> int16 fully connected
    gates, int16 adds with the hardware sigmoid/tanh, int16 muls for the
    cell: every op decodes and runs. Vela's hardware sigmoid/tanh is not
    LiteRT's gemmlowp one, so the result is close to LiteRT's, not equal."""
    compiled = compile_model(model, "legacy", "tflite", tmp_path)
    assert compiled.path is not None, compiled.error
    module = npu_module_of(compiled.path)
    kinds = {
        o.activation.kind
        for o in module.ops.first.body.block.ops
        if getattr(o, "activation", None) is not None
    }
    assert {"sigmoid", "tanh"} <= kinds
    tensors = module.ops.first.tensors()
    rng = np.random.default_rng(0)
    inputs = {  # the LSTM's states (int16 cell, int8 hidden) are inputs too
        t.tensor_name.data: rng.integers(-100, 100, t.shape).astype(t.dtype)
        for t in tensors
        if t.kind.data == "input"
    }
    out = run_stream(module, inputs)
    assert all(t.tensor_name.data in out for t in tensors if t.kind.data == "output")


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("opcode", ["ADD", "SUB", "MUL"])
def test_vela_int16_elementwise_equals_litert(
    tmp_path: Path, opcode: str, seed: int
) -> None:
    """int16 ADD/SUB/MUL as Vela emits them (the LSTM's cell update is
    int16 MULs and an ADD): OFM_SCALE and operand scales with TFL rounding,
    saturation to int16, equal to LiteRT on random scales and operands."""
    rng = np.random.default_rng(seed)
    s = [float(np.float32(rng.uniform(1e-5, 1e-3))) for _ in range(3)]
    shape = (1, 4, 4, 8)
    cls = {"ADD": "AddOptions", "SUB": "SubOptions", "MUL": "MulOptions"}[opcode]
    act = int(rng.integers(0, 2)) if opcode != "SUB" else 0
    model = build_tflite(
        [T(shape, np.int16, s[0], 0), T(shape, np.int16, s[1], 0)]
        + [T(shape, np.int16, s[2], 0)],
        [Op(opcode, [0, 1], [2], (cls, {"FusedActivationFunction": act}))],
        [0, 1],
        [2],
    )
    path = tmp_path / "m.tflite"
    path.write_bytes(model)
    compiled = compile_model(path, "legacy", "tflite", tmp_path / "out")
    assert compiled.path is not None, compiled.error
    module = npu_module_of(compiled.path)
    x = rng.integers(-32768, 32768, shape).astype(np.int16)
    y = rng.integers(-32768, 32768, shape).astype(np.int16)
    it = _interpreter(model)
    it.allocate_tensors()
    for d, v in zip(it.get_input_details(), (x, y), strict=True):
        it.set_tensor(d["index"], v)
    it.invoke()
    want = it.get_tensor(it.get_output_details()[0]["index"])
    got = run_stream(module, {"t0": x, "t1": y})["t2"].reshape(shape)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("scale", [(3e-4, 1e-3), (1e-4, 5e-4), (1e-3, 3e-3)])
def test_vela_int16_exp_table_equals_litert(tmp_path: Path, scale) -> None:  # type: ignore[no-untyped-def]
    """The 16-bit interpolating lookup table, read from Vela's own int16 EXP
    (a 2048-byte table DMA'd into eight slots, the activation of a 1×1
    pool): 512 entries of slope << 16 | base, the value's top 9 bits pick
    one, its low 7 interpolate rounding half up. Regor's stream equals
    LiteRT on every int16 input (truncating the interpolation would differ
    on about 1 in 5). The legacy core's stream (an ADD of 0 with the table)
    decodes and runs; its float-built table differs from LiteRT's in a
    few entries, so its values do there too."""
    in_s, out_s = scale
    shape = EVERY.shape
    model = build_tflite(
        [T(shape, np.int16, in_s, 0), T(shape, np.int16, out_s, 0)],
        [Op("EXP", [0], [1])],
        [0],
        [1],
    )
    path = tmp_path / "m.tflite"
    path.write_bytes(model)
    want = _litert(model, EVERY)
    for core in CORES:
        compiled = compile_model(path, core, "tflite", tmp_path / core)
        assert compiled.path is not None, compiled.error
        module = npu_module_of(compiled.path)
        module.verify()
        got = run_stream(module, {"t0": EVERY})["t1"].reshape(want.shape)
        wrong = np.count_nonzero(got != want)
        if core == "regor":
            assert wrong == 0, wrong
        else:
            assert wrong < want.size // 100, wrong
