"""UNIDIRECTIONAL_SEQUENCE_LSTM with int8 activations (issue 25): LiteRT's
integer 8x8->16 LSTM imported as `tir.sequence_lstm`, its kernel bit-exact
with LiteRT's reference kernels on hand-built single-operator models (random
shapes, scales, zero points, cell scales, clips, batch- and time-major),
compiled to the NPU (or, past the NPU form's bounds, left on the CPU with
a remark) exact from the written bytes;
the variants LiteRT has but we do not import (CIFG, peephole, projection,
layer norm) are a one-line import error."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_device_bytes import (
    assert_device_exact,
    assert_program_equals_litert,
    compiled,
)
from tests.test_tflite_litert import (
    Op,
    T,
    assert_bit_exact,
    build_tflite,
    litert_tensors,
)
from tirconst.formats.tflite.reader import (
    TFLiteImportError,
    read_tflite,
    read_tflite_bytes,
)
from tirconst.frontend.importer import import_tflite
from tirconst.frontend.operator_table import op_params
from tirconst.interpreter import run_function
from tirconst.kernels.lstm import sigmoid_q3_12, tanh_int16
from tirconst.tools.compile import compile_model

_F32 = np.float32


def _f32(v: float) -> float:
    return float(_F32(v))


def lstm_model(p: dict[str, Any], head: bool = False) -> bytes:
    """One UNIDIRECTIONAL_SEQUENCE_LSTM as the TF converter writes it: 24
    inputs (absent peephole, projection and layer-norm tensors), variable
    output and cell states, five intermediates (four unused float32 ones,
    the hidden state's int8 quantization last). `head`: a FULLY_CONNECTED
    over the last axis after it (an NPU segment behind the CPU LSTM)."""
    rng = np.random.default_rng(p["seed"])
    b, steps, n_in, n_cell = p["batch"], p["time"], p["n_input"], p["n_cell"]
    tm = p["time_major"]
    seq = (steps, b) if tm else (b, steps)
    s_in, zp_in = p["input_q"]
    s_h, zp_h = p["state_q"]
    s_hid, zp_hid = p["hidden_q"]
    tensors = [T((*seq, n_in), np.int8, s_in, zp_in)]
    w_scales = [_f32(s) for s in p["weight_scales"]]
    for g in range(8):
        cols = n_in if g < 4 else n_cell
        w = rng.integers(-127, 128, (n_cell, cols)).astype(np.int8)
        tensors.append(T(w.shape, np.int8, w_scales[g], 0, data=w))
    for g in range(4):
        bias = rng.integers(-p["bias"], p["bias"] + 1, n_cell).astype(np.int32)
        tensors.append(T(bias.shape, np.int32, w_scales[g] * s_in, 0, data=bias))
    tensors.append(T((b, n_cell), np.int8, s_h, zp_h, variable=True))  # 13
    cell_scale = 2.0 ** p["cell_log2"]
    tensors.append(T((b, n_cell), np.int16, cell_scale, 0, variable=True))  # 14
    tensors.append(T((*seq, n_cell), np.int8, s_h, zp_h))  # 15: output
    tensors += [T((0,), np.float32) for _ in range(4)]  # 16-19
    tensors.append(T((0,), np.int8, s_hid, zp_hid))  # 20
    inputs = [0, *range(1, 9), -1, -1, -1, 9, 10, 11, 12, -1, -1, 13, 14]
    inputs += [-1] * 4
    opts = {
        "FusedActivationFunction": 4,  # TANH (the integer kernel's anyway)
        "CellClip": _f32(p["cell_clip"]),
        "ProjClip": 0.0,
        "TimeMajor": tm,
    }
    ops = [
        Op(
            "UNIDIRECTIONAL_SEQUENCE_LSTM",
            inputs,
            [15],
            ("UnidirectionalSequenceLSTMOptions", opts),
            intermediates=[16, 17, 18, 19, 20],
        )
    ]
    out = 15
    if head:
        w = rng.integers(-127, 128, (6, n_cell)).astype(np.int8)
        bias = rng.integers(-500, 500, 6).astype(np.int32)
        tensors += [
            T(w.shape, np.int8, 0.02, 0, data=w),  # 21
            T(bias.shape, np.int32, 0.02 * s_h, 0, data=bias),  # 22
            T((*seq, 6), np.int8, 0.05, 3),  # 23
        ]
        ops.append(
            Op(
                "FULLY_CONNECTED",
                [15, 21, 22],
                [23],
                ("FullyConnectedOptions", {"KeepNumDims": True}),
            )
        )
        out = 23
    return build_tflite(tensors, ops, [0], [out])


def _q(lo: float, hi: float) -> st.SearchStrategy:
    return st.tuples(st.floats(lo, hi).map(_f32), st.integers(-128, 127))


_LSTM = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2**16),
        "batch": st.integers(1, 3),
        "time": st.integers(1, 6),
        "n_input": st.integers(1, 8),
        "n_cell": st.integers(1, 8),
        "time_major": st.booleans(),
        "input_q": _q(0.002, 0.1),
        "state_q": _q(0.002, 0.02),
        "hidden_q": _q(0.002, 0.02),
        "weight_scales": st.lists(st.floats(0.0005, 0.02), min_size=8, max_size=8),
        "bias": st.sampled_from([0, 100, 3000, 40000]),
        "cell_log2": st.integers(-18, -7),  # tanh of 0-6 integer bits and not
        "cell_clip": st.sampled_from([0.0, 0.5, 3.0, 10.0, 1e6]),
    }
)

NETWORK_LIKE = {
    "seed": 0,
    "batch": 1,
    "time": 5,
    "n_input": 4,
    "n_cell": 6,
    "time_major": False,
    "input_q": (_f32(0.0078), 0),
    "state_q": (_f32(0.0026), -5),
    "hidden_q": (_f32(0.0026), -5),
    "weight_scales": [0.0016] * 4 + [0.0022] * 4,
    "bias": 3000,
    "cell_log2": -15,
    "cell_clip": 10.0,
}
"""Quantization like the converter's (models/networks/lstm.tflite)."""


def _feeds(data: bytes, seed: int) -> list[np.ndarray]:
    model = read_tflite_bytes(data)
    rng = np.random.default_rng(seed)
    return [
        rng.integers(-128, 128, model.tensor(i).shape).astype(np.int8)
        for i in model.inputs
    ]


@settings(max_examples=60, deadline=None)
@given(p=_LSTM)
def test_random_lstm_equals_litert(p: dict[str, Any]) -> None:
    """The kernel (every operator output) and the imported tir program equal
    LiteRT's BUILTIN_REF integer LSTM."""
    data = lstm_model(p)
    model = read_tflite_bytes(data)
    feeds = _feeds(data, p["seed"])
    assert_bit_exact(data, model, feeds, str(p))
    module = import_tflite(model)
    ours = run_function(module, {"input0": feeds[0]})["output0"]
    want = litert_tensors(data, model, feeds)[model.outputs[0]]
    assert np.array_equal(ours.reshape(want.shape), want), str(p)


@pytest.mark.parametrize("seed", range(3))
def test_network_like_lstm_equals_litert(seed: int) -> None:
    data = lstm_model({**NETWORK_LIKE, "seed": seed})
    assert_bit_exact(data, read_tflite_bytes(data), _feeds(data, seed), "lstm")


_CONVERTER_WEIGHTS = st.lists(st.floats(0.0005, 0.004), min_size=8, max_size=8)
"""Weight scales as the converter picks them (the bundled models'); _LSTM's
up to 0.02 make many a recurrent term too wide for the NPU's int16 map."""

_LSTM_MIXED = st.one_of(
    _LSTM,
    st.tuples(_LSTM, _CONVERTER_WEIGHTS).map(lambda t: {**t[0], "weight_scales": t[1]}),
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(p=_LSTM_MIXED)
def test_random_lstm_compiles(tmp_path: Path, p: dict[str, Any]) -> None:
    """Compiled: the LSTM runs on the NPU (with the FULLY_CONNECTED after it,
    one segment) exact from the written bytes, or stays on the CPU with a
    one-line remark saying why (then the FULLY_CONNECTED is the segment and
    the written LSTM keeps what LiteRT's Prepare reads: variable states, the
    intermediates' quantization, the same parameters); either way the whole
    program equals LiteRT."""
    data = lstm_model(p, head=True)
    tmp = Path(tempfile.mkdtemp(dir=tmp_path))  # one per example
    model, written, remarks = compiled(tmp, "lstm", data)
    assert assert_device_exact(model, written, seeds=(0,)) == 1
    assert_program_equals_litert(model, 0)
    back = read_tflite(written)
    on_cpu = [op for op in back.operators if op.opcode.endswith("LSTM")]
    lstm_remarks = [r for r in remarks if "sequence_lstm" in r]
    if not on_cpu:
        assert not lstm_remarks, remarks
        return
    (remark,) = lstm_remarks
    assert "\n" not in remark and "recurrent term" in remark, remark
    original = read_tflite_bytes(data)
    assert op_params(back, on_cpu[0]) == op_params(original, original.operators[0])


@pytest.mark.parametrize(
    ("time", "batch", "time_major"),
    [(1, 2, True), (11, 2, True), (6, 3, False)],
)
def test_lstm_chunks_on_the_npu(
    tmp_path: Path, time: int, batch: int, time_major: bool
) -> None:
    """The input terms come per chunk of steps (the largest divisor of the
    step count up to 8; 1 for 11 steps): on the NPU, exact from the bytes,
    batch- and time-major."""
    p = {**NETWORK_LIKE, "time": time, "batch": batch, "time_major": time_major}
    model, written, remarks = compiled(tmp_path, "lstm", lstm_model(p, head=True))
    assert not remarks, remarks
    assert assert_device_exact(model, written, seeds=(0, 1)) == 1


LSTM_MODELS = Path(__file__).resolve().parent.parent / "models" / "lstm"
CONVERTED = sorted(p.stem for p in LSTM_MODELS.glob("*.tflite"))


def test_the_converted_models_are_there() -> None:
    assert CONVERTED == ["sequence_dense", "stacked", "wide_range"]
    cells = {
        name: [
            op_params(m, op)["cell_scale_log2"]
            for op in m.operators
            if op.opcode == "UNIDIRECTIONAL_SEQUENCE_LSTM"
        ]
        for name in CONVERTED
        for m in [read_tflite(LSTM_MODELS / f"{name}.tflite")]
    }
    # 2^-16: LiteRT's tanh of the cell is then the input gate (kernels/lstm.py)
    want = {"sequence_dense": [-15], "stacked": [-15, -16], "wide_range": [-13]}
    assert cells == want


@pytest.mark.parametrize("name", CONVERTED)
def test_converted_lstm_equals_litert(name: str, tmp_path: Path) -> None:
    """The converter's LSTMs: every operator output equals LiteRT's; compiled,
    every operator is on the NPU, one segment exact from the bytes, and the
    whole program equals LiteRT."""
    path = LSTM_MODELS / f"{name}.tflite"
    model = read_tflite(path)
    for seed in range(3):
        assert_bit_exact(path, model, _feeds(path.read_bytes(), seed), name)
    written = tmp_path / "out" / f"{name}_tirconst.tflite"
    remarks: list[str] = []
    compile_model(path, tmp_path / "out", remark=remarks.append)
    assert assert_device_exact(path, written, seeds=(0,)) == 1
    assert not remarks, remarks  # every operator on the NPU
    assert_program_equals_litert(path, 0)


def test_converted_lstm_on_two_cores(tmp_path: Path) -> None:
    """On ethos-u65-512 the LSTM's 1x1 convs read one weight stream and one
    set of records per core (they stayed on the CPU): every operator on the
    NPU, exact from the bytes."""
    from tirconst.backend.ethos_u.decoder import disassemble_segments

    path = LSTM_MODELS / "sequence_dense.tflite"
    written = tmp_path / "out" / "sequence_dense_tirconst.tflite"
    remarks: list[str] = []
    compile_model(path, tmp_path / "out", "ethos-u65-512", remark=remarks.append)
    assert not remarks, remarks
    ops = [d.op for seg in disassemble_segments(written) for d in seg.ops]
    weighted = [op for op in ops if getattr(op, "weights", None)]
    assert weighted and all(len(op.weights) == 2 for op in weighted)
    assert assert_device_exact(path, written, seeds=(0,)) == 1


def _variant(case: str) -> bytes:
    """The network-like LSTM with one input changed to a variant we refuse."""
    p = dict(NETWORK_LIKE)
    data = lstm_model(p)
    model = read_tflite_bytes(data)
    op = model.operators[0]
    ins = list(op.inputs)
    if case == "CIFG":
        ins[1] = ins[5] = -1
    elif case == "peephole":
        ins[9] = 12  # any tensor: the importer refuses its presence
    elif case == "projection":
        ins[16] = 5
    else:
        ins[20] = 9
    op.inputs = tuple(ins)
    return model  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("CIFG", "CIFG"),
        ("peephole", "peephole"),
        ("projection", "projection"),
        ("layer norm", "layer normalization"),
    ],
)
def test_unsupported_variants_are_one_line_errors(case: str, message: str) -> None:
    model = _variant(case)
    with pytest.raises(TFLiteImportError, match=message) as e:
        import_tflite(model)  # type: ignore[arg-type]
    assert "\n" not in str(e.value) and "UNIDIRECTIONAL_SEQUENCE_LSTM" in str(e.value)


def test_cell_scale_must_be_a_power_of_two() -> None:
    model = read_tflite_bytes(lstm_model(NETWORK_LIKE))
    cell = model.tensor(model.operators[0].inputs[19])
    assert cell.quantization is not None
    cell.quantization.scales[:] = _F32(3e-5)
    with pytest.raises(TFLiteImportError, match="cell state scale") as e:
        import_tflite(model)
    assert "\n" not in str(e.value)


def test_missing_hidden_intermediate_is_an_error() -> None:
    model = read_tflite_bytes(lstm_model(NETWORK_LIKE))
    model.operators[0].intermediates = ()
    with pytest.raises(TFLiteImportError, match="intermediate"):
        import_tflite(model)


# The int16 gemmlowp functions over every input, hashed: the tables were
# checked equal, value for value, to gemmlowp's fixedpoint.h (logistic of
# FixedPoint<int16_t, 3>, tanh of FixedPoint<int16_t, k>, compiled with g++)
# when the kernel was written; LiteRT's integer LSTM calls exactly these.
_GEMMLOWP_SHA256 = {
    "sigmoid": "44168980e98373fcf68adda21fdb4d006b79a4ca14df0269ff958e49f9fa6062",
    "tanh0": "7dfff607d0ea23f26e97381570dc526c09e7e35712bb5189e3446a74c40195fd",
    "tanh1": "fb776c014fac7629065f2a77399d275a8aaf30392a9fbe0199d7218f3a06e0e4",
    "tanh2": "ad9e4552d55f09f5540bf0bffc1b4ed83c2c7ce5d77cb51fef2e900d4e4147ba",
    "tanh3": "6d2c95677d4eb6e25f2c8bec6e3135082a0f64cdde758d75414b7c1de542115f",
    "tanh4": "22e8b026529f39771f93c8fb7ecff865c9e75fca5923a2a8e63c21380d6be4e0",
    "tanh5": "4aad698c1ba273d4966d2b3cc31fa76d30322d1f05339bc5626965be88d5e904",
    "tanh6": "fd771a11c73c2d1390c3b8289e6c61c290d6c399bdf63a79f1d09a49b53af09f",
}


def _table_hash(values: np.ndarray) -> str:
    return hashlib.sha256(values.astype("<i2").tobytes()).hexdigest()


def test_fixed_point_functions_pin_gemmlowp() -> None:
    raw = np.arange(-32768, 32768)
    got = {"sigmoid": _table_hash(sigmoid_q3_12(raw))}
    for k in range(7):
        got[f"tanh{k}"] = _table_hash(tanh_int16(raw, k))
    assert got == _GEMMLOWP_SHA256


def test_fixed_point_functions_approximate_sigmoid_and_tanh() -> None:
    raw = np.arange(-32768, 32768)
    s = sigmoid_q3_12(raw) / 32768
    assert np.abs(s - 1 / (1 + np.exp(-raw / 4096))).max() < 1e-3
    for k in range(7):
        t = tanh_int16(raw, k) / 32768
        assert np.abs(t - np.tanh(raw / 2.0 ** (15 - k))).max() < 1e-3, k
