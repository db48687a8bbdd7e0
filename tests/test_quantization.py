"""The real quantization on operator ops: the importer's ops carry scales that
agree with their integers, the derivation lives in the dialect, and slicing by
output channel (`per_channel`, `slice_output_channels`) keeps the op meaning
the same on every channel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects import tir
from tirconst.dialects.tir.quantization import conv_multipliers
from tirconst.frontend.importer import import_tflite
from tirconst.interpreter import run_function
from tirconst.tools.dialect_docs import split_docstring

MODELS = sorted((Path(__file__).resolve().parents[1] / "models").glob("*.tflite"))


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_imported_ops_carry_scales_that_agree(path: Path):
    module = import_tflite(path)
    module.verify()  # the verifier recomputes every integer from the scales
    ops = [op for op in module.walk() if isinstance(op, tir.OperatorOp)]
    for op in ops:
        if op.QUANT_KINDS and not isinstance(op, tir.RequantizeOp | tir.CopyOp):
            assert op.quantization() is not None, f"{op.name} lost its scales"
    weighted = [op for op in ops if op.per_channel() is not None]
    assert weighted, "every bundled model has a convolution or dense layer"


def conv(co: int, seed: int, bias: bool = True) -> tuple[str, dict]:
    rng = np.random.default_rng(seed)
    fs = rng.uniform(0.001, 0.01, co).astype(np.float32)
    mult, shift = conv_multipliers(0.02, fs, 0.05)
    bt = f", !tir.buffer<{co}xi32>" if bias else ""
    bp = f"%b : !tir.buffer<{co}xi32>," if bias else ""
    text = f"""
    tir.func @main(%x : !tir.buffer<1x5x5x3xi8>, %w : !tir.buffer<{co}x3x3x3xi8>,
                   {bp}
                   %y : !tir.buffer<1x3x3x{co}xi8>) {{
      tir.conv2d ins(%x, %w{", %b" if bias else ""} : !tir.buffer<1x5x5x3xi8>,
          !tir.buffer<{co}x3x3x3xi8>{bt}) outs(%y : !tir.buffer<1x3x3x{co}xi8>)
          {{stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>,
           pad = array<i64: 0, 0, 0, 0>, input_zp = -3, output_zp = 4,
           multiplier = array<i32: {", ".join(map(str, mult))}>,
           shift = array<i32: {", ".join(map(str, shift))}>,
           act_min = -128, act_max = 127, input_scale = 0.02 : f32,
           filter_scales = array<f32: {", ".join(repr(float(f)) for f in fs)}>,
           output_scale = 0.05 : f32}}
    }}"""
    inputs = {
        "x": rng.integers(-128, 128, (1, 5, 5, 3), dtype=np.int8),
        "w": rng.integers(-127, 128, (co, 3, 3, 3), dtype=np.int8),
    }
    if bias:
        inputs["b"] = rng.integers(-5000, 5000, co, dtype=np.int32)
    return text, inputs


def _conv_op(text: str) -> tir.Conv2DOp:
    from tirconst.core.context import load

    module = load(text)
    module.verify()
    return next(op for op in module.walk() if isinstance(op, tir.Conv2DOp))


def test_per_channel_names_what_is_indexed_by_output_channel():
    op = _conv_op(conv(6, 0)[0])
    pc = op.per_channel()
    assert pc == tir.PerChannelData(
        6, {"filter": 0, "bias": 0}, ("multiplier", "shift", "filter_scales")
    )
    assert _conv_op(conv(6, 0, bias=False)[0]).per_channel().operands == {"filter": 0}


@pytest.mark.parametrize("start, stop", [(0, 6), (0, 2), (2, 5), (5, 6)])
def test_slicing_by_output_channel_computes_those_channels(start: int, stop: int):
    """Every per-channel datum moves together: the slice, run on the sliced
    filter and bias, gives exactly the original op's channels [start, stop)."""
    text, inputs = conv(6, 1)
    whole = run_function(text, inputs)["y"]
    props = tir.slice_output_channels(_conv_op(text), start, stop)
    n = stop - start
    attrs = ", ".join(
        f"{k} = {v}" for k, v in props.items() if k != "operandSegmentSizes"
    )
    part = f"""
    tir.func @main(%x : !tir.buffer<1x5x5x3xi8>, %w : !tir.buffer<{n}x3x3x3xi8>,
                   %b : !tir.buffer<{n}xi32>, %y : !tir.buffer<1x3x3x{n}xi8>) {{
      tir.conv2d ins(%x, %w, %b : !tir.buffer<1x5x5x3xi8>,
          !tir.buffer<{n}x3x3x3xi8>, !tir.buffer<{n}xi32>)
          outs(%y : !tir.buffer<1x3x3x{n}xi8>) {{{attrs}}}
    }}"""
    _conv_op(part)  # verifies: the sliced scales agree with the sliced integers
    out = run_function(
        part,
        {
            "x": inputs["x"],
            "w": inputs["w"][start:stop],
            "b": inputs["b"][start:stop],
        },
    )["y"]
    assert np.array_equal(out, whole[..., start:stop])


def test_slicing_outside_the_channels_is_refused():
    op = _conv_op(conv(4, 2)[0])
    with pytest.raises(ValueError, match=r"channels \[3, 5\) are not within the 4"):
        tir.slice_output_channels(op, 3, 5)


def test_a_per_tensor_multiplier_is_kept_whole():
    text = """
    tir.func @main(%x : !tir.buffer<2x8xi8>, %w : !tir.buffer<4x8xi8>,
                   %y : !tir.buffer<2x4xi8>) {
      tir.fully_connected ins(%x, %w : !tir.buffer<2x8xi8>, !tir.buffer<4x8xi8>)
          outs(%y : !tir.buffer<2x4xi8>)
          {input_zp = 1, filter_zp = 0, output_zp = -3,
           multiplier = array<i32: 1073741824>, shift = array<i32: -6>,
           act_min = -128, act_max = 127, input_scale = 0.25 : f32,
           filter_scales = array<f32: 0.0625>, output_scale = 2.0 : f32}
    }"""
    from tirconst.core.context import load

    module = load(text)
    op = next(o for o in module.walk() if isinstance(o, tir.FullyConnectedOp))
    props = tir.slice_output_channels(op, 1, 3)
    assert props["multiplier"] == op.properties["multiplier"]
    assert props["filter_scales"] == op.properties["filter_scales"]


def test_create_op_builds_checked_scales():
    text, _ = conv(2, 3)
    op = _conv_op(text)
    params = {**op.params(), **op.quantization()}
    params["output_scale"] = 0.06
    bad = tir.Conv2DOp.create_op([op.input, op.filter, op.bias], op.output, **params)
    with pytest.raises(VerifyException, match=r"multiplier\[0\] = .* disagrees"):
        bad.verify_()


def test_per_channel_of_depthwise_and_fully_connected():
    from tirconst.core.context import load

    for cls in (tir.DepthwiseConv2DOp, tir.FullyConnectedOp):
        module = load(split_docstring(cls).example)
        op = next(o for o in module.walk() if isinstance(o, cls))
        pc = op.per_channel()
        axis = 3 if cls is tir.DepthwiseConv2DOp else 0
        assert pc.operands["filter"] == axis
        assert pc.channels == op.shape(op.filter)[axis]
        assert ("bias" in pc.operands) == (op.bias is not None)
    assert tir.AddOp.per_channel(None) is None  # type: ignore[arg-type]
