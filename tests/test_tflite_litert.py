"""Bit-exactness of the reference runner against LiteRT's BUILTIN_REF kernels
(for a model with SUM or ELU its default kernels: `oracle_interpreter`).

* every bundled model (``models/*.tflite``), several seeded random inputs,
  every intermediate tensor compared (``experimental_preserve_all_tensors``);
* synthetic single-operator models (written here with the ``tflite`` schema
  builders) covering what the bundled models do not: SUB, MUL, SQUEEZE,
  int8->int8 QUANTIZE, RELU_N1_TO_1, dilation, depth multipliers, grouped
  conv, per-channel FULLY_CONNECTED, broadcasting, keep_dims, NaN/inf inputs;
* error paths of the reader and of the parameter computation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import flatbuffers
import numpy as np
import pytest
import tflite
from tflite.BuiltinOptions import BuiltinOptions
from tflite.TensorType import TensorType
from tflite.utils import BUILTIN_OPCODE2NAME

from tests.tflite_reference_runner import ReferenceRunner, first_mismatch
from tirconst.formats.tflite.oracle import oracle_interpreter
from tirconst.formats.tflite.reader import (
    TFLiteImportError,
    TFLiteModel,
    read_tflite,
    read_tflite_bytes,
)
from tirconst.frontend.operator_table import op_params

litert = pytest.importorskip("ai_edge_litert.interpreter")

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
MODELS = sorted(MODELS_DIR.glob("*.tflite"))


# ---------------------------------------------------------------------------
# LiteRT


def _interpreter(source: Path | bytes) -> Any:
    return oracle_interpreter(
        source if isinstance(source, Path) else bytes(source),
        preserve_all_tensors=True,
    )


def litert_tensors(
    source: Path | bytes, model: TFLiteModel, feeds: list[np.ndarray]
) -> dict[int, np.ndarray]:
    """Run LiteRT once; every operator output by tensor index."""
    it = _interpreter(source)
    it.allocate_tensors()
    details = it.get_input_details()
    assert [d["index"] for d in details] == list(model.inputs)
    for d, v in zip(details, feeds, strict=True):
        it.set_tensor(d["index"], v)
    it.invoke()
    wanted = {o for op in model.operators for o in op.outputs if o >= 0}
    return {i: it.get_tensor(i).copy() for i in wanted}


def assert_bit_exact(
    source: Path | bytes, model: TFLiteModel, feeds: list[np.ndarray], label: str
) -> None:
    theirs = litert_tensors(source, model, feeds)
    ours = ReferenceRunner(model)(feeds)
    where = first_mismatch(model, ours, theirs)
    assert where is None, f"{label}: first differing {where}"
    for i in model.outputs:
        assert ours[i].tobytes() == theirs[i].tobytes(), f"{label}: output {i}"


# ---------------------------------------------------------------------------
# Bundled models


def _model_feed(model: TFLiteModel, index: int, rng: np.random.Generator) -> np.ndarray:
    t = model.tensors[index]
    if t.dtype == np.int8:
        return rng.integers(-128, 128, t.shape).astype(np.int8)
    assert t.dtype == np.float32, t.dtype
    # Float input feeding a QUANTIZE: cover its range plus some saturation.
    consumer = next(op for op in model.operators if index in op.inputs)
    q = model.tensors[consumer.outputs[0]].quantization
    lo = q.scale * (-128 - q.zero_point)
    hi = q.scale * (127 - q.zero_point)
    pad = 0.1 * (hi - lo)
    return rng.uniform(lo - pad, hi + pad, t.shape).astype(np.float32)


def test_bundled_models_present() -> None:
    assert len(MODELS) == 8, [p.name for p in MODELS]


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_model_bit_exact(path: Path) -> None:
    model = read_tflite(path)
    runner = ReferenceRunner(model)
    for seed in range(4):
        rng = np.random.default_rng(seed)
        feeds = [_model_feed(model, i, rng) for i in model.inputs]
        theirs = litert_tensors(path, model, feeds)
        ours = runner(feeds)
        where = first_mismatch(model, ours, theirs)
        assert where is None, f"{path.stem} seed {seed}: first differing {where}"
        for i in model.outputs:
            assert ours[i].tobytes() == theirs[i].tobytes()


# ---------------------------------------------------------------------------
# A minimal .tflite writer for synthetic single-operator models

_OPCODE = {name: code for code, name in BUILTIN_OPCODE2NAME.items()}
_TENSOR_TYPE = {
    np.dtype(np.float32): TensorType.FLOAT32,
    np.dtype(np.int8): TensorType.INT8,
    np.dtype(np.int16): TensorType.INT16,
    np.dtype(np.int32): TensorType.INT32,
    np.dtype(np.int64): TensorType.INT64,
    np.dtype(np.uint8): TensorType.UINT8,
}
_ACT = {"NONE": 0, "RELU": 1, "RELU_N1_TO_1": 2, "RELU6": 3, "TANH": 4}
_SAME, _VALID = 0, 1


@dataclass
class T:
    """A tensor to write: per-tensor or per-axis quantisation, optional data."""

    shape: tuple[int, ...]
    dtype: Any = np.int8
    scale: float | list[float] | None = None
    zp: int | list[int] | None = None
    qdim: int = 0
    data: np.ndarray | None = None
    signature: tuple[int, ...] | None = None
    variable: bool = False  # a state tensor (an LSTM's)


@dataclass
class Op:
    opcode: str
    inputs: list[int]
    outputs: list[int]
    options: tuple[str, dict[str, Any]] | None = None
    intermediates: list[int] | None = None  # an integer LSTM's
    version: int = 1  # the operator code's version


def _vector(b: flatbuffers.Builder, start: Callable, values: list, kind: str) -> int:
    start(b, len(values))
    for v in reversed(values):
        getattr(b, "Prepend" + kind)(v)
    return b.EndVector()


def build_tflite(
    tensors: list[T],
    ops: list[Op],
    inputs: list[int],
    outputs: list[int],
    subgraphs: int = 1,
) -> bytes:
    """Serialise a one-subgraph model (repeated ``subgraphs`` times)."""
    b = flatbuffers.Builder(1024)
    tflite.BufferStart(b)
    buffers = [tflite.BufferEnd(b)]
    tensor_buffer = []
    for t in tensors:
        if t.data is None:
            tensor_buffer.append(0)
            continue
        raw = np.ascontiguousarray(np.asarray(t.data, dtype=t.dtype)).tobytes()
        b.StartVector(1, len(raw), 16)
        b.head = b.head - len(raw)
        b.Bytes[b.head : b.head + len(raw)] = raw
        vec = b.EndVector()
        tflite.BufferStart(b)
        tflite.BufferAddData(b, vec)
        tensor_buffer.append(len(buffers))
        buffers.append(tflite.BufferEnd(b))
    tensor_offsets = []
    for i, t in enumerate(tensors):
        name = b.CreateString(f"t{i}")
        shape = _vector(b, tflite.TensorStartShapeVector, list(t.shape), "Int32")
        sig = None
        if t.signature is not None:
            sig = _vector(
                b, tflite.TensorStartShapeSignatureVector, list(t.signature), "Int32"
            )
        quant = None
        if t.scale is not None:
            scales = np.atleast_1d(np.asarray(t.scale, np.float32)).tolist()
            zps = np.atleast_1d(np.asarray(t.zp or 0, np.int64)).tolist()
            zps = zps * len(scales) if len(zps) == 1 else zps
            sv = _vector(
                b, tflite.QuantizationParametersStartScaleVector, scales, "Float32"
            )
            zv = _vector(
                b, tflite.QuantizationParametersStartZeroPointVector, zps, "Int64"
            )
            tflite.QuantizationParametersStart(b)
            tflite.QuantizationParametersAddScale(b, sv)
            tflite.QuantizationParametersAddZeroPoint(b, zv)
            tflite.QuantizationParametersAddQuantizedDimension(b, t.qdim)
            quant = tflite.QuantizationParametersEnd(b)
        tflite.TensorStart(b)
        tflite.TensorAddShape(b, shape)
        if sig is not None:
            tflite.TensorAddShapeSignature(b, sig)
        tflite.TensorAddType(b, _TENSOR_TYPE[np.dtype(t.dtype)])
        tflite.TensorAddBuffer(b, tensor_buffer[i])
        tflite.TensorAddName(b, name)
        if t.variable:
            tflite.TensorAddIsVariable(b, True)
        if quant is not None:
            tflite.TensorAddQuantization(b, quant)
        tensor_offsets.append(tflite.TensorEnd(b))
    names = list(dict.fromkeys((o.opcode, o.version) for o in ops))
    opcodes = []
    for n, version in names:
        tflite.OperatorCodeStart(b)
        tflite.OperatorCodeAddDeprecatedBuiltinCode(b, min(_OPCODE[n], 127))
        tflite.OperatorCodeAddBuiltinCode(b, _OPCODE[n])
        tflite.OperatorCodeAddVersion(b, version)
        opcodes.append(tflite.OperatorCodeEnd(b))
    op_offsets = []
    for o in ops:
        opt = None
        if o.options is not None:
            cls, fields = o.options
            vecs = {
                k: _vector(b, getattr(tflite, f"{cls}Start{k}Vector"), list(v), "Int32")
                for k, v in fields.items()
                if isinstance(v, (list, tuple))
            }
            getattr(tflite, f"{cls}Start")(b)
            for k, v in fields.items():
                getattr(tflite, f"{cls}Add{k}")(b, vecs.get(k, v))
            opt = getattr(tflite, f"{cls}End")(b)
        iv = _vector(b, tflite.OperatorStartInputsVector, o.inputs, "Int32")
        ov = _vector(b, tflite.OperatorStartOutputsVector, o.outputs, "Int32")
        mv = None
        if o.intermediates is not None:
            mv = _vector(
                b, tflite.OperatorStartIntermediatesVector, o.intermediates, "Int32"
            )
        tflite.OperatorStart(b)
        tflite.OperatorAddOpcodeIndex(b, names.index((o.opcode, o.version)))
        tflite.OperatorAddInputs(b, iv)
        tflite.OperatorAddOutputs(b, ov)
        if mv is not None:
            tflite.OperatorAddIntermediates(b, mv)
        if opt is not None:
            tflite.OperatorAddBuiltinOptionsType(b, getattr(BuiltinOptions, cls))
            tflite.OperatorAddBuiltinOptions(b, opt)
        op_offsets.append(tflite.OperatorEnd(b))

    def offsets(start: Callable, offs: list[int]) -> int:
        start(b, len(offs))
        for x in reversed(offs):
            b.PrependUOffsetTRelative(x)
        return b.EndVector()

    graphs = []
    for _ in range(subgraphs):
        tv = offsets(tflite.SubGraphStartTensorsVector, tensor_offsets)
        opv = offsets(tflite.SubGraphStartOperatorsVector, op_offsets)
        iv = _vector(b, tflite.SubGraphStartInputsVector, inputs, "Int32")
        ov = _vector(b, tflite.SubGraphStartOutputsVector, outputs, "Int32")
        tflite.SubGraphStart(b)
        tflite.SubGraphAddTensors(b, tv)
        tflite.SubGraphAddOperators(b, opv)
        tflite.SubGraphAddInputs(b, iv)
        tflite.SubGraphAddOutputs(b, ov)
        graphs.append(tflite.SubGraphEnd(b))
    sgv = offsets(tflite.ModelStartSubgraphsVector, graphs)
    ocv = offsets(tflite.ModelStartOperatorCodesVector, opcodes)
    bv = offsets(tflite.ModelStartBuffersVector, buffers)
    tflite.ModelStart(b)
    tflite.ModelAddVersion(b, 3)
    tflite.ModelAddOperatorCodes(b, ocv)
    tflite.ModelAddSubgraphs(b, sgv)
    tflite.ModelAddBuffers(b, bv)
    b.Finish(tflite.ModelEnd(b), file_identifier=b"TFL3")
    return bytes(b.Output())


# ---------------------------------------------------------------------------
# Random single-operator cases

Case = tuple[list[T], list[Op], list[int], list[int]]


def _f32(v: float) -> float:
    return float(np.float32(v))


def _q(rng: np.random.Generator, lo: float = 0.005, hi: float = 0.1) -> tuple:
    return _f32(rng.uniform(lo, hi)), int(rng.integers(-128, 128))


def _i8(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.integers(-128, 128, shape).astype(np.int8)


def _act(rng: np.random.Generator) -> int:
    return int(rng.choice([0, 1, 2, 3]))


def _out_size(size: int, k: int, s: int, d: int, padding: int) -> int:
    eff = (k - 1) * d + 1
    return (size + s - 1) // s if padding == _SAME else (size + s - eff) // s


def _conv_case(rng: np.random.Generator, kind: str) -> Case:
    n = int(rng.integers(1, 3))
    h, w = (int(v) for v in rng.integers(3, 12, 2))
    kh, kw = (int(v) for v in rng.integers(1, 5, 2))
    sh, sw = (int(v) for v in rng.integers(1, 4, 2))
    dh, dw = (int(v) for v in rng.integers(1, 3, 2))
    padding = int(rng.integers(0, 2))
    if padding == _VALID:
        h, w = max(h, (kh - 1) * dh + 1), max(w, (kw - 1) * dw + 1)
    in_s, in_zp = _q(rng)
    out_s, out_zp = _q(rng, 0.02, 0.5)
    if kind == "depthwise":
        c = int(rng.integers(1, 6))
        dm = int(rng.integers(1, 4))
        co = c * dm
        fshape, qdim = (1, kh, kw, co), 3
    else:
        groups = int(rng.integers(2, 4)) if kind == "grouped" else 1
        cf = int(rng.integers(1, 6))
        c, co = cf * groups, groups * int(rng.integers(1, 5))
        fshape, qdim = (co, kh, kw, cf), 0
    per_channel = bool(rng.integers(0, 2))
    fs = [_f32(v) for v in rng.uniform(0.001, 0.05, co if per_channel else 1)]
    oh = _out_size(h, kh, sh, dh, padding)
    ow = _out_size(w, kw, sw, dw, padding)
    tensors = [
        T((n, h, w, c), np.int8, in_s, in_zp),
        T(fshape, np.int8, fs, 0, qdim, data=_i8(rng, fshape)),
        # LiteRT's int8 conv kernels require the bias input.
        T(
            (co,),
            np.int32,
            [_f32(in_s * s) for s in fs],
            0,
            data=rng.integers(-5000, 5000, co).astype(np.int32),
        ),
        T((n, oh, ow, co), np.int8, out_s, out_zp),
    ]
    common = {
        "Padding": padding,
        "StrideW": sw,
        "StrideH": sh,
        "FusedActivationFunction": _act(rng),
        "DilationWFactor": dw,
        "DilationHFactor": dh,
    }
    if kind == "depthwise":
        op = Op(
            "DEPTHWISE_CONV_2D",
            [0, 1, 2],
            [3],
            ("DepthwiseConv2DOptions", {**common, "DepthMultiplier": dm}),
        )
    else:
        op = Op("CONV_2D", [0, 1, 2], [3], ("Conv2DOptions", common))
    return tensors, [op], [0], [3]


def _fc_case(rng: np.random.Generator) -> Case:
    k, co = int(rng.integers(1, 40)), int(rng.integers(1, 20))
    keep = bool(rng.integers(0, 2))
    lead = tuple(int(v) for v in rng.integers(1, 4, int(rng.integers(1, 3))))
    oshape = lead + (co,) if keep else (int(np.prod(lead)), co)
    in_s, in_zp = _q(rng)
    out_s, out_zp = _q(rng, 0.02, 0.5)
    per_channel = bool(rng.integers(0, 2))
    fs = [_f32(v) for v in rng.uniform(0.001, 0.05, co if per_channel else 1)]
    tensors = [
        T(lead + (k,), np.int8, in_s, in_zp),
        T((co, k), np.int8, fs, 0, 0, data=_i8(rng, (co, k))),
    ]
    inputs = [0, 1, -1]
    if rng.integers(0, 3):
        bias = rng.integers(-5000, 5000, co).astype(np.int32)
        tensors.append(T((co,), np.int32, [_f32(in_s * s) for s in fs], 0, data=bias))
        inputs[2] = 2
    tensors.append(T(oshape, np.int8, out_s, out_zp))
    opts = {"FusedActivationFunction": _act(rng), "KeepNumDims": keep}
    out = len(tensors) - 1
    op = Op("FULLY_CONNECTED", inputs, [out], ("FullyConnectedOptions", opts))
    return tensors, [op], [0], [out]


def _pool_case(rng: np.random.Generator, opcode: str) -> Case:
    n = int(rng.integers(1, 3))
    h, w, c = (int(v) for v in rng.integers(2, 12, 3))
    kh, kw = (int(v) for v in rng.integers(1, 5, 2))
    sh, sw = (int(v) for v in rng.integers(1, 4, 2))
    padding = int(rng.integers(0, 2))
    if padding == _VALID:
        h, w = max(h, kh), max(w, kw)
    oh, ow = _out_size(h, kh, sh, 1, padding), _out_size(w, kw, sw, 1, padding)
    s, zp = _q(rng)
    opts = {
        "Padding": padding,
        "StrideW": sw,
        "StrideH": sh,
        "FilterWidth": kw,
        "FilterHeight": kh,
        "FusedActivationFunction": _act(rng),
    }
    tensors = [T((n, h, w, c), np.int8, s, zp), T((n, oh, ow, c), np.int8, s, zp)]
    return tensors, [Op(opcode, [0], [1], ("Pool2DOptions", opts))], [0], [1]


def _binary_case(rng: np.random.Generator, opcode: str) -> Case:
    rank = int(rng.integers(1, 5))
    shape = [int(v) for v in rng.integers(1, 6, rank)]
    sa = [d if rng.integers(0, 3) else 1 for d in shape]
    sb = [d if rng.integers(0, 3) else 1 for d in shape]
    if rng.integers(0, 2):
        sb = sb[int(rng.integers(0, rank)) :]  # lower-rank right operand
    out = np.broadcast_shapes(tuple(sa), tuple(sb))
    (s1, z1), (s2, z2), (so, zo) = _q(rng), _q(rng), _q(rng)
    cls = {"ADD": "AddOptions", "SUB": "SubOptions", "MUL": "MulOptions"}.get(opcode)
    tensors = [
        T(tuple(sa), np.int8, s1, z1),
        T(tuple(sb), np.int8, s2, z2),
        T(tuple(out), np.int8, so, zo),
    ]
    opts = (cls, {"FusedActivationFunction": _act(rng)}) if cls else None
    return tensors, [Op(opcode, [0, 1], [2], opts)], [0, 1], [2]


def _pad_case(rng: np.random.Generator) -> Case:
    rank = int(rng.integers(1, 5))
    shape = tuple(int(v) for v in rng.integers(1, 6, rank))
    pads = rng.integers(0, 3, (rank, 2)).astype(np.int32)
    s, zp = _q(rng)
    out = tuple(int(d + p.sum()) for d, p in zip(shape, pads, strict=True))
    tensors = [
        T(shape, np.int8, s, zp),
        T((rank, 2), np.int32, data=pads),
        T(out, np.int8, s, zp),
    ]
    return tensors, [Op("PAD", [0, 1], [2])], [0], [2]


def _mean_case(rng: np.random.Generator) -> Case:
    rank = int(rng.integers(1, 5))
    shape = tuple(int(v) for v in rng.integers(1, 8, rank))
    axes = sorted(rng.choice(rank, int(rng.integers(1, rank + 1)), replace=False))
    axes = [int(a) - rank if rng.integers(0, 2) else int(a) for a in axes]
    keep = bool(rng.integers(0, 2))
    red = {a % rank for a in axes}
    out = tuple(
        1 if i in red else d for i, d in enumerate(shape) if keep or i not in red
    )
    s_in, z_in = _q(rng)
    s_out, z_out = (s_in, z_in) if rng.integers(0, 2) else _q(rng)
    tensors = [
        T(shape, np.int8, s_in, z_in),
        T((len(axes),), np.int32, data=np.array(axes, np.int32)),
        T(out, np.int8, s_out, z_out),
    ]
    op = Op("MEAN", [0, 1], [2], ("ReducerOptions", {"KeepDims": keep}))
    return tensors, [op], [0], [2]


def _reshape_case(rng: np.random.Generator, opcode: str) -> Case:
    shape = tuple(int(v) for v in rng.integers(1, 4, 3)) + (1,)
    s, zp = _q(rng)
    if opcode == "SQUEEZE":
        out = tuple(d for d in shape if d != 1)
        tensors = [T(shape, np.int8, s, zp), T(out, np.int8, s, zp)]
        return tensors, [Op("SQUEEZE", [0], [1], ("SqueezeOptions", {}))], [0], [1]
    tensors = [
        T(shape, np.int8, s, zp),
        T((1,), np.int32, data=np.array([-1], np.int32)),
        T((int(np.prod(shape)),), np.int8, s, zp),
    ]
    op = Op("RESHAPE", [0, 1], [2], ("ReshapeOptions", {"NewShape": [-1]}))
    return tensors, [op], [0], [2]


def _softmax_case(rng: np.random.Generator) -> Case:
    shape = tuple(int(v) for v in rng.integers(1, 10, int(rng.integers(1, 4))))
    # up to 256 channels: the NPU runs it (test_device_bytes checks it does)
    shape = shape[:-1] + (int(rng.choice([shape[-1], 256])),)
    s, zp = _q(rng, 0.01, 0.5)
    beta = _f32(rng.choice([1.0, 0.5, 2.0, rng.uniform(0.1, 3)]))
    tensors = [T(shape, np.int8, s, zp), T(shape, np.int8, 1 / 256, -128)]
    op = Op("SOFTMAX", [0], [1], ("SoftmaxOptions", {"Beta": beta}))
    return tensors, [op], [0], [1]


def _logistic_case(rng: np.random.Generator) -> Case:
    s, zp = _q(rng, 0.01, 0.5)
    tensors = [T((2, 256), np.int8, s, zp), T((2, 256), np.int8, 1 / 256, -128)]
    return tensors, [Op("LOGISTIC", [0], [1])], [0], [1]


def _quantize_case(rng: np.random.Generator, kind: str) -> Case:
    shape = (3, 100)
    s, zp = _q(rng)
    if kind == "float":
        return (
            [T(shape, np.float32), T(shape, np.int8, s, zp)],
            [Op("QUANTIZE", [0], [1])],
            [0],
            [1],
        )
    if kind == "int8":
        s2, z2 = _q(rng)
        return (
            [T(shape, np.int8, s2, z2), T(shape, np.int8, s, zp)],
            [Op("QUANTIZE", [0], [1])],
            [0],
            [1],
        )
    return (
        [T(shape, np.int8, s, zp), T(shape, np.float32)],
        [Op("DEQUANTIZE", [0], [1])],
        [0],
        [1],
    )


def _float_neg_case(rng: np.random.Generator, kind: str) -> Case:
    """NEG of float32 data; `chain`: int8 -> DEQUANTIZE -> NEG -> QUANTIZE,
    as the TF converter leaves it in a layer norm."""
    shape = (*_shape(rng, 0, 3), 32)  # room for the special floats
    if kind == "float":
        tensors = [T(shape, np.float32), T(shape, np.float32)]
        return tensors, [Op("NEG", [0], [1])], [0], [1]
    (s_in, z_in), (s_out, z_out) = _q(rng), _q(rng)
    tensors = [
        T(shape, np.int8, s_in, z_in),
        T(shape, np.float32),
        T(shape, np.float32),
        T(shape, np.int8, s_out, z_out),
    ]
    ops = [
        Op("DEQUANTIZE", [0], [1]),
        Op("NEG", [1], [2]),
        Op("QUANTIZE", [2], [3]),
    ]
    return tensors, ops, [0], [3]


def _shape(rng: np.random.Generator, lo: int = 1, hi: int = 5) -> tuple[int, ...]:
    rank = int(rng.integers(lo, hi))
    return tuple(int(v) for v in rng.integers(1, 6, rank))


def _dtype(rng: np.random.Generator) -> Any:
    return np.int16 if rng.integers(0, 4) == 0 else np.int8


def _concat_case(rng: np.random.Generator) -> Case:
    shape = _shape(rng)
    axis = int(rng.integers(0, len(shape)))
    n = int(rng.integers(1, 5))
    dt = _dtype(rng)
    s, zp = _q(rng)
    zp = 0 if dt == np.int16 else zp
    parts = []
    for _ in range(n):
        p = list(shape)
        p[axis] = int(rng.integers(1, 5))
        parts.append(T(tuple(p), dt, s, zp))
    out = list(shape)
    out[axis] = sum(t.shape[axis] for t in parts)
    tensors = [*parts, T(tuple(out), dt, s, zp)]
    neg = axis - len(shape) if rng.integers(0, 2) else axis
    op = Op(
        "CONCATENATION", list(range(n)), [n], ("ConcatenationOptions", {"Axis": neg})
    )
    return tensors, [op], list(range(n)), [n]


def pack_case(
    shape: tuple[int, ...], n: int, axis: int, dt: Any, s: float, zp: int
) -> Case:
    """PACK of `n` inputs of `shape` along `axis` (-rank-1 <= axis <= rank)."""
    out = list(shape)
    out.insert(axis % (len(shape) + 1), n)
    tensors = [T(shape, dt, s, zp) for _ in range(n)] + [T(tuple(out), dt, s, zp)]
    op = Op(
        "PACK", list(range(n)), [n], ("PackOptions", {"ValuesCount": n, "Axis": axis})
    )
    return tensors, [op], list(range(n)), [n]


def _pack_case(rng: np.random.Generator) -> Case:
    shape = _shape(rng, 1, 4)
    dt = _dtype(rng)
    s, zp = _q(rng)
    zp = 0 if dt == np.int16 else zp
    axis = int(rng.integers(-len(shape) - 1, len(shape) + 1))
    return pack_case(shape, int(rng.integers(1, 5)), axis, dt, s, zp)


def _split_case(rng: np.random.Generator, opcode: str) -> Case:
    shape = list(_shape(rng))
    axis = int(rng.integers(0, len(shape)))
    dt = _dtype(rng)
    s, zp = _q(rng)
    zp = 0 if dt == np.int16 else zp
    if opcode == "SPLIT":
        n = int(rng.integers(1, 4))
        shape[axis] *= n
        sizes = [shape[axis] // n] * n
    elif opcode == "SPLIT_V":
        sizes = [int(v) for v in rng.integers(1, 4, int(rng.integers(1, 4)))]
        shape[axis] = sum(sizes)
    else:  # UNPACK
        sizes = [1] * shape[axis]
    outs = []
    for n in sizes:
        o = list(shape)
        o[axis] = n
        if opcode == "UNPACK":
            del o[axis]
        outs.append(T(tuple(o), dt, s, zp))
    neg = axis - len(shape) if rng.integers(0, 2) else axis
    x = T(tuple(shape), dt, s, zp)
    k = len(sizes)
    if opcode == "SPLIT":
        tensors = [T((1,), np.int32, data=np.array([neg], np.int32)), x, *outs]
        op = Op(
            "SPLIT", [0, 1], list(range(2, 2 + k)), ("SplitOptions", {"NumSplits": k})
        )
        return tensors, [op], [1], list(range(2, 2 + k))
    if opcode == "SPLIT_V":
        given = list(sizes)
        if rng.integers(0, 2):
            given[int(rng.integers(0, k))] = -1
        tensors = [
            x,
            T((k,), np.int32, data=np.array(given, np.int32)),
            T((1,), np.int32, data=np.array([neg], np.int32)),
            *outs,
        ]
        outputs = list(range(3, 3 + k))
        op = Op("SPLIT_V", [0, 1, 2], outputs, ("SplitVOptions", {"NumSplits": k}))
        return tensors, [op], [0], outputs
    opts = ("UnpackOptions", {"Num": k, "Axis": neg})
    return (
        [x, *outs],
        [Op("UNPACK", [0], list(range(1, 1 + k)), opts)],
        [0],
        list(range(1, 1 + k)),
    )


def _slice_case(rng: np.random.Generator) -> Case:
    shape = _shape(rng)
    begin = [int(rng.integers(0, d)) for d in shape]
    size = [int(rng.integers(1, d - b + 1)) for d, b in zip(shape, begin, strict=True)]
    given = [-1 if rng.integers(0, 4) == 0 else n for n in size]
    size = [
        d - b if g == -1 else g for d, b, g in zip(shape, begin, given, strict=True)
    ]
    dt = _dtype(rng)
    s, zp = _q(rng)
    zp = 0 if dt == np.int16 else zp
    r = len(shape)
    tensors = [
        T(shape, dt, s, zp),
        T((r,), np.int32, data=np.array(begin, np.int32)),
        T((r,), np.int32, data=np.array(given, np.int32)),
        T(tuple(size), dt, s, zp),
    ]
    return tensors, [Op("SLICE", [0, 1, 2], [3], ("SliceOptions", {}))], [0], [3]


def _strided_slice_case(rng: np.random.Generator) -> Case:
    shape = _shape(rng)
    r = len(shape)
    begin, end, strides, out = [], [], [], []
    bm = em = sm = 0
    for i, d in enumerate(shape):
        stride = int(rng.choice([1, 1, 2, 3, -1, -2]))
        shrink = d > 0 and rng.integers(0, 5) == 0
        b = int(rng.integers(-d, d))
        e = int(rng.integers(-d - 1, d + 1))
        if rng.integers(0, 4) == 0:
            bm |= 1 << i
        if rng.integers(0, 4) == 0:
            em |= 1 << i
        if shrink:
            sm |= 1 << i
            stride = 1
        begin.append(b)
        end.append(e)
        strides.append(stride)
        # TFLite's range logic, to know the output shape.
        start = 0 if bm >> i & 1 and stride > 0 else (d - 1 if bm >> i & 1 else b)
        if not bm >> i & 1:
            start = start + d if start < 0 else start
            start = min(max(start, 0), d) if stride > 0 else min(max(start, -1), d - 1)
        if shrink:
            stop = start + 1
        elif em >> i & 1:
            stop = d if stride > 0 else -1
        else:
            stop = e + d if e < 0 else e
            stop = min(max(stop, 0), d) if stride > 0 else min(max(stop, -1), d - 1)
        span, step = (stop - start, stride) if stride > 0 else (start - stop, -stride)
        n = max(0, -(-span // step))
        if n == 0 or (shrink and not 0 <= start < d):
            return _strided_slice_case(rng)  # empty: draw again
        if not shrink:
            out.append(n)
    dt = _dtype(rng)
    s, zp = _q(rng)
    zp = 0 if dt == np.int16 else zp
    tensors = [
        T(shape, dt, s, zp),
        T((r,), np.int32, data=np.array(begin, np.int32)),
        T((r,), np.int32, data=np.array(end, np.int32)),
        T((r,), np.int32, data=np.array(strides, np.int32)),
        T(tuple(out), dt, s, zp),
    ]
    opts = {"BeginMask": bm, "EndMask": em, "ShrinkAxisMask": sm}
    op = Op("STRIDED_SLICE", [0, 1, 2, 3], [4], ("StridedSliceOptions", opts))
    return tensors, [op], [0], [4]


def _transpose_case(rng: np.random.Generator) -> Case:
    shape = _shape(rng, 1, 6) if rng.integers(0, 2) else _shape(rng)
    perm = [int(p) for p in rng.permutation(len(shape))]
    dt = _dtype(rng)
    s, zp = _q(rng)
    zp = 0 if dt == np.int16 else zp
    tensors = [
        T(shape, dt, s, zp),
        T((len(shape),), np.int32, data=np.array(perm, np.int32)),
        T(tuple(shape[p] for p in perm), dt, s, zp),
    ]
    return tensors, [Op("TRANSPOSE", [0, 1], [2], ("TransposeOptions", {}))], [0], [2]


def _unary_case(rng: np.random.Generator, opcode: str) -> Case:
    shape = _shape(rng)
    s_in, z_in = _q(rng, 0.01, 0.2)
    s_out, z_out = (s_in, z_in) if rng.integers(0, 3) == 0 else _q(rng, 0.005, 0.1)
    if opcode == "TANH" and rng.integers(0, 2):
        s_out, z_out = 1 / 128, 0
    tensors = [T(shape, np.int8, s_in, z_in), T(shape, np.int8, s_out, z_out)]
    opts = None
    if opcode == "GELU":
        opts = ("GeluOptions", {"Approximate": bool(rng.integers(0, 2))})
    if opcode == "LEAKY_RELU":
        alpha = _f32(rng.choice([0.1, 0.2, 0.01, rng.uniform(0.0, 1.0)]))
        opts = ("LeakyReluOptions", {"Alpha": alpha})
    return tensors, [Op(opcode, [0], [1], opts)], [0], [1]


def _rsqrt_case(rng: np.random.Generator) -> Case:
    """RSQRT with input zero point -128: every int8 input is >= 0 as a real
    value (LiteRT refuses negative ones at run time)."""
    shape = _shape(rng)
    s_in, s_out = _f32(rng.uniform(0.001, 0.5)), _f32(rng.uniform(0.005, 0.1))
    z_out = int(rng.integers(-128, 128))
    tensors = [T(shape, np.int8, s_in, -128), T(shape, np.int8, s_out, z_out)]
    return tensors, [Op("RSQRT", [0], [1])], [0], [1]


def _min_max_case(rng: np.random.Generator, opcode: str) -> Case:
    rank = int(rng.integers(1, 5))
    shape = [int(v) for v in rng.integers(1, 6, rank)]
    sa = [d if rng.integers(0, 3) else 1 for d in shape]
    sb = [d if rng.integers(0, 3) else 1 for d in shape]
    if rng.integers(0, 2):
        sb = sb[int(rng.integers(0, rank)) :]
    out = np.broadcast_shapes(tuple(sa), tuple(sb))
    dt = _dtype(rng)
    s, zp = _q(rng)
    zp = 0 if dt == np.int16 else zp
    tensors = [T(tuple(sa), dt, s, zp), T(tuple(sb), dt, s, zp), T(out, dt, s, zp)]
    op = Op(opcode, [0, 1], [2], ("MaximumMinimumOptions", {}))
    return tensors, [op], [0, 1], [2]


def _pad_like_case(rng: np.random.Generator, opcode: str) -> Case:
    shape = _shape(rng)
    dt = np.int8 if opcode == "PADV2" else _dtype(rng)
    s, zp = _q(rng)
    zp = 0 if dt == np.int16 else zp
    x = T(shape, dt, s, zp)
    r = len(shape)
    if opcode in ("PADV2", "MIRROR_PAD"):
        mode = int(rng.integers(0, 2))
        hi = [d - 1 + mode if opcode == "MIRROR_PAD" else 3 for d in shape]
        pads = np.array(
            [[rng.integers(0, h + 1) for _ in range(2)] for h in hi], np.int32
        )
        out = tuple(int(d + p.sum()) for d, p in zip(shape, pads, strict=True))
        tensors = [x, T((r, 2), np.int32, data=pads)]
        if opcode == "PADV2":
            fill = np.array([rng.integers(-128, 128)], np.int8)
            tensors.append(T((1,), np.int8, s, zp, data=fill))
            return (
                [*tensors, T(out, dt, s, zp)],
                [Op("PADV2", [0, 1, 2], [3])],
                [0],
                [3],
            )
        opts = ("MirrorPadOptions", {"Mode": mode})
        return [*tensors, T(out, dt, s, zp)], [Op(opcode, [0, 1], [2], opts)], [0], [2]
    if opcode == "TILE":
        m = [int(v) for v in rng.integers(1, 4, r)]
        out = tuple(d * k for d, k in zip(shape, m, strict=True))
        tensors = [x, T((r,), np.int32, data=np.array(m, np.int32)), T(out, dt, s, zp)]
        return tensors, [Op("TILE", [0, 1], [2])], [0], [2]
    axis = int(rng.integers(-r, r))
    tensors = [
        x,
        T((1,), np.int32, data=np.array([axis], np.int32)),
        T(shape, dt, s, zp),
    ]
    return tensors, [Op("REVERSE_V2", [0, 1], [2])], [0], [2]


def _reduce_case(rng: np.random.Generator, opcode: str) -> Case:
    shape = _shape(rng)
    rank = len(shape)
    dt = np.int8 if opcode == "ARG_MAX" else _dtype(rng)
    s_in, z_in = _q(rng)
    z_in = 0 if dt == np.int16 else z_in
    if opcode == "ARG_MAX":
        axis = int(rng.integers(-rank, rank))
        out_dt = np.int32 if rng.integers(0, 2) else np.int64
        out = tuple(d for i, d in enumerate(shape) if i != axis % rank)
        tensors = [
            T(shape, dt, s_in, z_in),
            T((1,), np.int32, data=np.array([axis], np.int32)),
            T(out, out_dt),
        ]
        opts = ("ArgMaxOptions", {"OutputType": 2 if out_dt == np.int32 else 4})
        return tensors, [Op("ARG_MAX", [0, 1], [2], opts)], [0], [2]
    axes = sorted(rng.choice(rank, int(rng.integers(1, rank + 1)), replace=False))
    axes = [int(a) - rank if rng.integers(0, 2) else int(a) for a in axes]
    keep = bool(rng.integers(0, 2))
    red = {a % rank for a in axes}
    out = tuple(
        1 if i in red else d for i, d in enumerate(shape) if keep or i not in red
    )
    s_out, z_out = (s_in, z_in)
    tensors = [
        T(shape, dt, s_in, z_in),
        T((len(axes),), np.int32, data=np.array(axes, np.int32)),
        T(out, dt, s_out, z_out),
    ]
    op = Op(opcode, [0, 1], [2], ("ReducerOptions", {"KeepDims": keep}))
    return tensors, [op], [0], [2]


def sum_case(
    shape: tuple[int, ...],
    axes: list[int],
    keep: bool,
    q_in: tuple[float, int],
    q_out: tuple[float, int],
) -> Case:
    """An int8 SUM of `shape` over `axes` (negative ones too)."""
    red = {a % len(shape) for a in axes}
    out = tuple(
        1 if i in red else d for i, d in enumerate(shape) if keep or i not in red
    )
    tensors = [
        T(shape, np.int8, *q_in),
        T((len(axes),), np.int32, data=np.array(axes, np.int32)),
        T(out, np.int8, *q_out),
    ]
    op = Op("SUM", [0, 1], [2], ("ReducerOptions", {"KeepDims": keep}))
    return tensors, [op], [0], [2]


def _sum_case(rng: np.random.Generator) -> Case:
    """SUM with the output quantization the input's (a third of the cases)
    or its own, over spans the float32 rescale of small and large sums."""
    shape = _shape(rng)
    rank = len(shape)
    axes = sorted(rng.choice(rank, int(rng.integers(1, rank + 1)), replace=False))
    axes = [int(a) - rank if rng.integers(0, 2) else int(a) for a in axes]
    q_in = _q(rng, 0.005, 0.1)
    q_out = q_in if rng.integers(0, 3) == 0 else _q(rng, 0.01, 2.0)
    return sum_case(shape, axes, bool(rng.integers(0, 2)), q_in, q_out)


def _resize_case(rng: np.random.Generator, opcode: str) -> Case:
    n, h, w, c = (int(v) for v in rng.integers(1, 6, 4))
    oh, ow = (int(v) for v in rng.integers(1, 13, 2))
    dt = _dtype(rng)
    s, zp = _q(rng)
    zp = 0 if dt == np.int16 else zp
    mode = int(rng.integers(0, 3))  # plain, align_corners, half_pixel_centers
    cls = {
        "RESIZE_NEAREST_NEIGHBOR": "ResizeNearestNeighborOptions",
        "RESIZE_BILINEAR": "ResizeBilinearOptions",
    }[opcode]
    opts = {"AlignCorners": mode == 1, "HalfPixelCenters": mode == 2}
    tensors = [
        T((n, h, w, c), dt, s, zp),
        T((2,), np.int32, data=np.array([oh, ow], np.int32)),
        T((n, oh, ow, c), dt, s, zp),
    ]
    return tensors, [Op(opcode, [0, 1], [2], (cls, opts))], [0], [2]


def _prelu_case(rng: np.random.Generator) -> Case:
    shape = tuple(int(v) for v in rng.integers(1, 6, int(rng.integers(1, 5))))
    ashape = tuple(d if rng.integers(0, 2) else 1 for d in shape)
    ashape = ashape[int(rng.integers(0, len(ashape))) :]
    s_in, z_in = _q(rng, 0.01, 0.2)
    s_a, z_a = _q(rng, 0.001, 0.02)
    s_out, z_out = _q(rng, 0.005, 0.1)
    tensors = [
        T(shape, np.int8, s_in, z_in),
        T(ashape, np.int8, s_a, z_a, data=_i8(rng, ashape)),
        T(shape, np.int8, s_out, z_out),
    ]
    return tensors, [Op("PRELU", [0, 1], [2])], [0], [2]


def _transpose_conv_case(rng: np.random.Generator) -> Case:
    n, h, w = (int(v) for v in rng.integers(1, 5, 3))
    ci, co = (int(v) for v in rng.integers(1, 6, 2))
    kh, kw = (int(v) for v in rng.integers(1, 5, 2))
    sh, sw = (int(v) for v in rng.integers(1, 4, 2))
    padding = int(rng.integers(0, 2))
    if padding == _SAME:
        oh, ow = h * sh, w * sw
    else:
        oh, ow = (h - 1) * sh + kh, (w - 1) * sw + kw
    in_s, in_zp = _q(rng)
    out_s, out_zp = _q(rng, 0.02, 0.5)
    per_channel = bool(rng.integers(0, 2))
    fs = [_f32(v) for v in rng.uniform(0.001, 0.05, co if per_channel else 1)]
    tensors = [
        T((4,), np.int32, data=np.array([n, oh, ow, co], np.int32)),
        T((co, kh, kw, ci), np.int8, fs, 0, 0, data=_i8(rng, (co, kh, kw, ci))),
        T((n, h, w, ci), np.int8, in_s, in_zp),
    ]
    inputs = [0, 1, 2]
    if rng.integers(0, 2):
        bias = rng.integers(-5000, 5000, co).astype(np.int32)
        tensors.append(T((co,), np.int32, [_f32(in_s * s) for s in fs], 0, data=bias))
        inputs.append(3)
    tensors.append(T((n, oh, ow, co), np.int8, out_s, out_zp))
    out = len(tensors) - 1
    opts = {"Padding": padding, "StrideW": sw, "StrideH": sh}
    op = Op("TRANSPOSE_CONV", inputs, [out], ("TransposeConvOptions", opts))
    return tensors, [op], [2], [out]


def _batch_matmul_case(rng: np.random.Generator) -> Case:
    m, k, n = (int(v) for v in rng.integers(1, 9, 3))
    batch = tuple(int(v) for v in rng.integers(1, 4, int(rng.integers(0, 3))))
    ba = tuple(d if rng.integers(0, 2) else 1 for d in batch)
    bb = tuple(d if rng.integers(0, 2) else 1 for d in batch)
    adj_x, adj_y = bool(rng.integers(0, 2)), bool(rng.integers(0, 2))
    sa = ba + ((k, m) if adj_x else (m, k))
    sb = bb + ((n, k) if adj_y else (k, n))
    out = np.broadcast_shapes(ba, bb) + (m, n)
    (s1, z1), (s2, z2) = _q(rng, 0.01, 0.1), _q(rng, 0.01, 0.1)
    so, zo = _q(rng, 0.05, 1.0)
    const_rhs = bool(rng.integers(0, 2))
    tensors = [
        T(sa, np.int8, s1, z1),
        T(sb, np.int8, s2, z2, data=_i8(rng, sb) if const_rhs else None),
        T(out, np.int8, so, zo),
    ]
    opts = ("BatchMatMulOptions", {"AdjX": adj_x, "AdjY": adj_y})
    inputs = [0] if const_rhs else [0, 1]
    return tensors, [Op("BATCH_MATMUL", [0, 1], [2], opts)], inputs, [2]


def _expand_dims_case(rng: np.random.Generator) -> Case:
    shape = _shape(rng)
    axis = int(rng.integers(-len(shape) - 1, len(shape) + 1))
    out = list(shape)
    out.insert(axis % (len(shape) + 1), 1)
    s, zp = _q(rng)
    tensors = [
        T(shape, np.int8, s, zp),
        T((1,), np.int32, data=np.array([axis], np.int32)),
        T(tuple(out), np.int8, s, zp),
    ]
    return (
        tensors,
        [Op("EXPAND_DIMS", [0, 1], [2], ("ExpandDimsOptions", {}))],
        [0],
        [2],
    )


CASES: dict[str, Callable[[np.random.Generator], Case]] = {
    "conv2d": lambda r: _conv_case(r, "plain"),
    "conv2d_grouped": lambda r: _conv_case(r, "grouped"),
    "depthwise_conv2d": lambda r: _conv_case(r, "depthwise"),
    "fully_connected": _fc_case,
    "avg_pool2d": lambda r: _pool_case(r, "AVERAGE_POOL_2D"),
    "max_pool2d": lambda r: _pool_case(r, "MAX_POOL_2D"),
    "add": lambda r: _binary_case(r, "ADD"),
    "sub": lambda r: _binary_case(r, "SUB"),
    "mul": lambda r: _binary_case(r, "MUL"),
    "pad": _pad_case,
    "mean": _mean_case,
    "reshape": lambda r: _reshape_case(r, "RESHAPE"),
    "squeeze": lambda r: _reshape_case(r, "SQUEEZE"),
    "softmax": _softmax_case,
    "logistic": _logistic_case,
    "quantize_float": lambda r: _quantize_case(r, "float"),
    "quantize_int8": lambda r: _quantize_case(r, "int8"),
    "dequantize": lambda r: _quantize_case(r, "dequantize"),
    "concatenation": _concat_case,
    "split": lambda r: _split_case(r, "SPLIT"),
    "split_v": lambda r: _split_case(r, "SPLIT_V"),
    "unpack": lambda r: _split_case(r, "UNPACK"),
    "pack": _pack_case,
    "slice": _slice_case,
    "strided_slice": _strided_slice_case,
    "transpose": _transpose_case,
    "expand_dims": _expand_dims_case,
    "batch_matmul": _batch_matmul_case,
    "transpose_conv": _transpose_conv_case,
    "prelu": _prelu_case,
    "resize_nearest": lambda r: _resize_case(r, "RESIZE_NEAREST_NEIGHBOR"),
    "resize_bilinear": lambda r: _resize_case(r, "RESIZE_BILINEAR"),
    "reduce_max": lambda r: _reduce_case(r, "REDUCE_MAX"),
    "reduce_min": lambda r: _reduce_case(r, "REDUCE_MIN"),
    "arg_max": lambda r: _reduce_case(r, "ARG_MAX"),
    "padv2": lambda r: _pad_like_case(r, "PADV2"),
    "mirror_pad": lambda r: _pad_like_case(r, "MIRROR_PAD"),
    "tile": lambda r: _pad_like_case(r, "TILE"),
    "reverse_v2": lambda r: _pad_like_case(r, "REVERSE_V2"),
    "relu": lambda r: _unary_case(r, "RELU"),
    "relu6": lambda r: _unary_case(r, "RELU6"),
    "relu_n1_to_1": lambda r: _unary_case(r, "RELU_N1_TO_1"),
    "relu_0_to_1": lambda r: _unary_case(r, "RELU_0_TO_1"),
    "leaky_relu": lambda r: _unary_case(r, "LEAKY_RELU"),
    "tanh": lambda r: _unary_case(r, "TANH"),
    "hard_swish": lambda r: _unary_case(r, "HARD_SWISH"),
    "exp": lambda r: _unary_case(r, "EXP"),
    "log": lambda r: _unary_case(r, "LOG"),
    "gelu": lambda r: _unary_case(r, "GELU"),
    "elu": lambda r: _unary_case(r, "ELU"),
    "sum": _sum_case,
    "maximum": lambda r: _min_max_case(r, "MAXIMUM"),
    "abs": lambda r: _unary_case(r, "ABS"),
    "neg": lambda r: _unary_case(r, "NEG"),
    "neg_float": lambda r: _float_neg_case(r, "float"),
    "neg_float_chain": lambda r: _float_neg_case(r, "chain"),
    "rsqrt": _rsqrt_case,
    "squared_difference": lambda r: _binary_case(r, "SQUARED_DIFFERENCE"),
    "minimum": lambda r: _min_max_case(r, "MINIMUM"),
}

_SPECIAL_FLOATS = np.array(
    [np.nan, np.inf, -np.inf, 1e30, -1e30, 3e9, -3e9, 0.0, -0.0], np.float32
)


def _synthetic_feed(
    t: T, rng: np.random.Generator, consumer_scale: float | None
) -> np.ndarray:
    if np.dtype(t.dtype) == np.int16:
        return rng.integers(-32768, 32768, t.shape).astype(np.int16)
    if np.dtype(t.dtype) != np.float32:
        return _i8(rng, t.shape)
    v = rng.normal(0, 3, t.shape).astype(np.float32)
    flat = v.reshape(-1)
    flat[: _SPECIAL_FLOATS.size] = _SPECIAL_FLOATS
    if consumer_scale is not None:  # exact rounding ties x.5 * scale
        ties = (np.arange(-10, 10) + np.float32(0.5)) * np.float32(consumer_scale)
        flat[20 : 20 + ties.size] = ties
    return v


@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize("case", sorted(CASES))
def test_single_op_bit_exact(case: str, seed: int) -> None:
    rng = np.random.default_rng([seed, sorted(CASES).index(case)])
    tensors, ops, inputs, outputs = CASES[case](rng)
    data = build_tflite(tensors, ops, inputs, outputs)
    model = read_tflite_bytes(data)
    scale = tensors[outputs[0]].scale if case == "quantize_float" else None
    feeds = [_synthetic_feed(tensors[i], rng, scale) for i in inputs]
    assert_bit_exact(data, model, feeds, f"{case} seed {seed}")


# Scale triples found by search such that each alternative way of deriving
# the integer parameters (float32 instead of double arithmetic, or vice versa)
# or of rounding (single instead of gemmlowp double rounding, or vice versa)
# changes at least one output of an exhaustive input sweep.
_EVERY_PAIR = (
    np.repeat(np.arange(-128, 128), 256).astype(np.int8).reshape(1, 65536),
    np.tile(np.arange(-128, 128), 256).astype(np.int8).reshape(1, 65536),
)
_RAMP = np.arange(-128, 128).astype(np.int8)


def _discriminating_case(name: str) -> tuple[bytes, list[np.ndarray]]:
    if name in ("ADD", "SUB", "MUL"):
        s1, s2, so = {
            "ADD": (0.11062473058700562, 0.04458349198102951, 0.10883408784866333),
            "SUB": (0.029858997091650963, 0.14179767668247223, 0.08843880891799927),
            "MUL": (0.04071478173136711, 0.02418774925172329, 0.050858769565820694),
        }[name]
        cls = {"ADD": "AddOptions", "SUB": "SubOptions", "MUL": "MulOptions"}[name]
        shape = (1, 65536)
        tensors = [T(shape, np.int8, s1, 3), T(shape, np.int8, s2, -7)]
        tensors.append(T(shape, np.int8, so, 1))
        ops = [Op(name, [0, 1], [2], (cls, {"FusedActivationFunction": 0}))]
        return build_tflite(tensors, ops, [0, 1], [2]), list(_EVERY_PAIR)
    if name == "FULLY_CONNECTED":
        s1, s2, so = 0.12951160967350006, 0.18379080295562744, 1.85109281539917
        tensors = [
            T((256, 1), np.int8, s1, 3),
            T((256, 1), np.int8, s2, 0, data=_RAMP.reshape(256, 1)),
            T((256, 256), np.int8, so, 1),
        ]
        ops = [Op(name, [0, 1, -1], [2], ("FullyConnectedOptions", {}))]
        return build_tflite(tensors, ops, [0], [2]), [_RAMP.reshape(256, 1)]
    if name == "CONV_2D":
        s1, s2, so = 0.02911977656185627, 0.11264988034963608, 4.906258583068848
        tensors = [
            T((1, 256, 1, 1), np.int8, s1, 3),
            T((256, 1, 1, 1), np.int8, s2, 0, data=_RAMP.reshape(256, 1, 1, 1)),
            T((256,), np.int32, s1 * s2, 0, data=np.zeros(256, np.int32)),
            T((1, 256, 1, 256), np.int8, so, 1),
        ]
        opts = {"Padding": _VALID, "StrideW": 1, "StrideH": 1}
        ops = [Op(name, [0, 1, 2], [3], ("Conv2DOptions", opts))]
        return build_tflite(tensors, ops, [0], [3]), [_RAMP.reshape(1, 256, 1, 1)]
    assert name == "MEAN"
    s_in, s_out = 0.05523348227143288, 0.12722410261631012
    x = np.random.default_rng(0).integers(-128, 128, (64, 1, 4, 256)).astype(np.int8)
    tensors = [
        T(x.shape, np.int8, s_in, 3),
        T((2,), np.int32, data=np.array([1, 2], np.int32)),
        T((64, 256), np.int8, s_out, 1),
    ]
    ops = [Op(name, [0, 1], [2], ("ReducerOptions", {"KeepDims": False}))]
    return build_tflite(tensors, ops, [0], [2]), [x]


@pytest.mark.parametrize(
    "name", ["ADD", "SUB", "MUL", "FULLY_CONNECTED", "CONV_2D", "MEAN"]
)
def test_parameter_arithmetic_and_rounding(name: str) -> None:
    data, feeds = _discriminating_case(name)
    assert_bit_exact(data, read_tflite_bytes(data), feeds, name)


def test_options_are_decoded() -> None:
    rng = np.random.default_rng(0)
    tensors, ops, inputs, outputs = _conv_case(rng, "depthwise")
    model = read_tflite_bytes(build_tflite(tensors, ops, inputs, outputs))
    o = model.operators[0].options
    src = ops[0].options[1]
    assert o["stride"] == (src["StrideH"], src["StrideW"])
    assert o["dilation"] == (src["DilationHFactor"], src["DilationWFactor"])
    assert o["padding"] == ("SAME", "VALID")[src["Padding"]]
    assert o["depth_multiplier"] == src["DepthMultiplier"]
    assert o["fused_activation"] in ("NONE", "RELU", "RELU_N1_TO_1", "RELU6")
    real = read_tflite(MODELS_DIR / "tflite_micro_magic_wand.tflite")
    pool = real.operators[4].options
    assert pool == {
        "padding": "SAME",
        "stride": (3, 1),
        "filter_size": (3, 1),
        "fused_activation": "NONE",
    }
    assert real.operators[1].options["dilation"] == (1, 1)


def test_reader_tensors() -> None:
    m = read_tflite(MODELS_DIR / "keyword_spotting_mobilenetv2.tflite")
    assert m.name == "keyword_spotting_mobilenetv2"
    conv = m.operators[0]
    assert conv.opcode == "CONV_2D"
    f = m.tensors[conv.inputs[1]]
    assert f.data is not None and f.data.dtype == np.int8 and f.data.shape == f.shape
    assert f.quantization is not None and f.quantization.per_axis
    assert f.quantization.quantized_dimension == 0
    assert f.quantization.scales.size == f.shape[0]
    b = m.tensors[conv.inputs[2]]
    assert b.dtype == np.int32 and b.data is not None
    x = m.tensors[m.inputs[0]]
    assert x.data is None and x.shape == (1, 59, 49, 1)
    assert not f.data.flags.writeable


# ---------------------------------------------------------------------------
# Error paths


def _model_bytes(name: str) -> bytes:
    return (MODELS_DIR / f"{name}.tflite").read_bytes()


@pytest.mark.parametrize("cut", [0, 4, 7, 8, 16, 100, 1000, 6000])
def test_truncated_file(cut: int) -> None:
    data = _model_bytes("fingerprint_signature_generator")
    with pytest.raises(TFLiteImportError, match="not a valid TFLite flatbuffer"):
        read_tflite_bytes(data[:cut])


def test_garbage_bytes(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    path = tmp_path / "garbage.tflite"
    path.write_bytes(rng.integers(0, 256, 4096).astype(np.uint8).tobytes())
    with pytest.raises(TFLiteImportError, match="not a valid TFLite flatbuffer"):
        read_tflite(path)
    # The right identifier in front of garbage is still rejected.
    data = b"\x10\x00\x00\x00TFL3" + bytes(rng.integers(0, 256, 64).astype(np.uint8))
    with pytest.raises(TFLiteImportError, match="not a valid TFLite flatbuffer"):
        read_tflite_bytes(data)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TFLiteImportError, match="cannot read"):
        read_tflite(tmp_path / "nope.tflite")


def test_error_messages_are_one_line() -> None:
    data = _model_bytes("audio_example1")
    for cut in range(8, len(data), 997):
        try:
            read_tflite_bytes(data[:cut])
        except TFLiteImportError as e:
            assert "\n" not in str(e)


def test_multiple_subgraphs_rejected() -> None:
    tensors = [T((1, 4), np.int8, 0.1, 0), T((1, 4), np.int8, 0.1, 0)]
    data = build_tflite(tensors, [Op("RESHAPE", [0], [1])], [0], [1], subgraphs=2)
    with pytest.raises(TFLiteImportError, match="2 subgraphs"):
        read_tflite_bytes(data)


def test_dynamic_shape_rejected_but_dynamic_batch_allowed() -> None:
    def model(sig: tuple[int, ...]) -> bytes:
        tensors = [
            T((1, 4), np.int8, 0.1, 0, signature=sig),
            T((1, 4), np.int8, 0.1, 0),
        ]
        return build_tflite(tensors, [Op("RESHAPE", [0], [1])], [0], [1])

    with pytest.raises(TFLiteImportError, match=r"tensor 0 't0' has a dynamic shape"):
        read_tflite_bytes(model((1, -1)))
    assert read_tflite_bytes(model((-1, 4))).tensors[0].shape == (1, 4)


def _float_conv_model() -> bytes:
    rng = np.random.default_rng(0)
    w = rng.normal(size=(2, 3, 3, 1)).astype(np.float32)
    tensors = [
        T((1, 5, 5, 1), np.float32),
        T((2, 3, 3, 1), np.float32, data=w),
        T((2,), np.float32, data=np.zeros(2, np.float32)),
        T((1, 3, 3, 2), np.float32),
    ]
    opts = {"Padding": _VALID, "StrideW": 1, "StrideH": 1}
    return build_tflite(
        tensors, [Op("CONV_2D", [0, 1, 2], [3], ("Conv2DOptions", opts))], [0], [3]
    )


def test_float_model_rejected_by_params() -> None:
    data = _float_conv_model()
    model = read_tflite_bytes(data)  # a valid model, just not int8
    assert model.tensors[1].data.dtype == np.float32
    with pytest.raises(
        TFLiteImportError,
        match=r"^operator 0 \(CONV_2D\), tensor 0 't0': input must be int8, got float",
    ):
        op_params(model, model.operators[0])
    with pytest.raises(TFLiteImportError, match=r"operator 0 \(CONV_2D\)"):
        ReferenceRunner(model)


def _conv_model(**changes: Any) -> TFLiteModel:
    rng = np.random.default_rng(1)
    tensors, ops, inputs, outputs = _conv_case(rng, "plain")
    for k, v in changes.items():
        idx, attr = k.split("_", 1)
        setattr(tensors[int(idx[1:])], attr, v)
    return read_tflite_bytes(build_tflite(tensors, ops, inputs, outputs))


def test_unsupported_quantization_rejected() -> None:
    # Per-axis quantisation of an activation.
    m = _conv_model(t0_scale=[0.1, 0.2], t0_zp=[0, 0], t0_qdim=3)
    with pytest.raises(TFLiteImportError, match=r"tensor 0 't0': input has per-axis"):
        op_params(m, m.operators[0])
    # Conv weights quantised along the wrong axis.
    n = _conv_model().tensors[1].shape[3]
    assert n > 1
    m = _conv_model(t1_scale=[0.01] * n, t1_zp=[0] * n, t1_qdim=3)
    with pytest.raises(TFLiteImportError, match=r"tensor 1 't1'.*per axis 3"):
        op_params(m, m.operators[0])
    # Asymmetric weights.
    m = _conv_model(t1_scale=0.01, t1_zp=3)
    with pytest.raises(TFLiteImportError, match="filter zero points must be 0"):
        op_params(m, m.operators[0])
    # Missing quantisation on the output.
    m = _conv_model(t3_scale=None)
    with pytest.raises(TFLiteImportError, match="output has no quantization"):
        op_params(m, m.operators[0])


def test_unsupported_activation_and_operator_rejected() -> None:
    tensors = [T((1, 4), np.int8, 0.1, 0)] * 3
    op = Op("ADD", [0, 1], [2], ("AddOptions", {"FusedActivationFunction": 4}))
    m = read_tflite_bytes(build_tflite(tensors, [op], [0, 1], [2]))
    with pytest.raises(TFLiteImportError, match="unsupported fused activation TANH"):
        op_params(m, m.operators[0])
    m = read_tflite_bytes(build_tflite(tensors[:2], [Op("FLOOR", [0], [1])], [0], [1]))
    with pytest.raises(
        TFLiteImportError, match=r"operator 0 \(FLOOR\): operator is not supported"
    ):
        op_params(m, m.operators[0])


def test_softmax_output_quantization_checked() -> None:
    tensors = [T((1, 4), np.int8, 0.1, 0), T((1, 4), np.int8, 0.1, 0)]
    op = Op("SOFTMAX", [0], [1], ("SoftmaxOptions", {"Beta": 1.0}))
    m = read_tflite_bytes(build_tflite(tensors, [op], [0], [1]))
    with pytest.raises(TFLiteImportError, match="scale 1/256 and zero point -128"):
        op_params(m, m.operators[0])
