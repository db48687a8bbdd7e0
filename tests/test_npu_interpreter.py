"""The npu interpreter: hand-computed cases per op and rounding mode, layouts,
strides and tile boxes, lookup tables, DMA; random ops built as tir and as npu
(weights encoded through Vela's API) give the same bits; bad programs fail
with one line."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    Float64Type,
    FloatAttr,
    StringAttr,
    i64,
)

from tests.npu_cases import (
    block,
    conv_stream,
    pool_stream,
    random_conv,
    tir_conv_text,
    tir_fc_text,
    tir_pool_text,
)
from tirconst.core.diagnostics import ToolError
from tirconst.dialects.npu import (
    ActivationAttr,
    AddressRangeAttr,
    DmaOp,
    ElementwiseOp,
    FeatureMapAttr,
    KernelAttr,
    PoolingOp,
)
from tirconst.dialects.npu.build import (
    LUT_REGION,
    SCRATCH,
    StreamBuilder,
)
from tirconst.formats.ethos_u.hardware import LUT_ADDRESS
from tirconst.interpreter import InterpreterError, check_equivalent, run_function
from tirconst.interpreter.npu import NpuProgram, run_stream
from tirconst.interpreter.npu.arithmetic import scale_accumulator
from tirconst.kernels import add, mul

# ------------------------------------------------------------- arithmetic


def test_rounding_modes_by_hand():
    acc = np.array([5, -5, 6, -6, 7, -7])
    # scale 1, shift 1: halves; ties 2.5, -2.5, and exact 3, -3, then 3.5 / -3.5
    nat = scale_accumulator(acc, np.array(1), np.array(1), "natural")
    assert nat.tolist() == [3, -2, 3, -3, 4, -3]  # half up
    trunc = scale_accumulator(acc, np.array(1), np.array(1), "truncate")
    assert trunc.tolist() == [2, -2, 3, -3, 3, -3]  # toward zero
    # TFL, all in SaturatingRoundingDoublingHighMul (scale 2^30, shift 31):
    # its nudge rounds negative ties toward zero
    tfl = scale_accumulator(acc, np.array(2**30), np.array(31), "tfl")
    assert tfl.tolist() == [3, -2, 3, -3, 4, -3]
    # TFL with the halving in RoundingDivideByPOT (scale 2^31 - 1, shift 32):
    # ties away from zero
    tfl = scale_accumulator(acc, np.array(2**31 - 1), np.array(32), "tfl")
    assert tfl.tolist() == [3, -3, 3, -3, 4, -4]


def test_conv_by_hand_each_rounding_mode():
    # 1x1 conv, one output channel: acc = bias + sum((x - zp) * w)
    x = np.array([[[[3, -1, 4, 2]]]], np.int8)
    w = np.array([[[[1, 2, -1, 3]]]], np.int8)
    # (3-1)*1 + (-1-1)*2 + (4-1)*-1 + (2-1)*3 = 2 - 4 - 3 + 3 = -2; + bias 7 = 5
    # scale 2^30, shift 31-(-1)... use TFLite (m, s) = (2^30, 0): 5 * 0.5 = 2.5
    expect = {"tfl": 3, "natural": 3, "truncate": 2}
    for mode, want in expect.items():
        module = conv_stream(
            x.shape, w, [7], [2**30], [0], input_zp=1, output_zp=10, rounding=mode
        )
        y = run_stream(module, {"input0": x})["output0"]
        assert y.reshape(-1).tolist() == [want + 10], mode
    # a negative tie: bias -4 gives acc -6, scaled by 1/4 (TFLite shift -1):
    # -1.5, which TFL's RoundingDivideByPOT takes to -2, natural (half up)
    # and truncate to -1
    expect = {"tfl": -2, "natural": -1, "truncate": -1}
    for mode, want in expect.items():
        module = conv_stream(x.shape, w, [-4], [2**30], [-1], input_zp=1, rounding=mode)
        y = run_stream(module, {"input0": x})["output0"]
        assert y.reshape(-1).tolist() == [want], mode


def test_activation_clamps_with_the_ofm_scale():
    x = np.full((1, 1, 1, 8), 100, np.int8)
    w = np.ones((1, 1, 1, 8), np.int8)
    act = ActivationAttr.make(kind="clamp", min=0.0, max=6.0)
    # 800 * 2^30 >> 31 = 400 -> clamp: OFM scale 1 (none), so max 6 -> 6
    module = conv_stream(x.shape, w, [0], [2**30], [0], act=act)
    assert run_stream(module, {"input0": x})["output0"].item() == 6


# ------------------------------------------------------------- layouts


def _copy_pool(ifm: FeatureMapAttr, ofm: FeatureMapAttr) -> PoolingOp:
    """A 1x1 max pool: an identity copy between two feature maps."""
    return PoolingOp.create(
        properties={
            "pool_type": StringAttr("max"),
            "ifm": ifm,
            "ofm": ofm,
            "kernel": KernelAttr.make(size=(1, 1)),
            "block_config": block(1, 1, 16),
        }
    )


def test_nhcwb16_layout_and_back():
    b = StreamBuilder()
    x = b.tensor("input0", "input", (1, 2, 3, 20))
    y = b.tensor("output0", "output", (1, 2, 3, 20))
    raw = b.tensor("bricks", "output", (1, 2 * 3 * 32), region=SCRATCH)
    mid = FeatureMapAttr.make(
        dtype="int8", shape=(2, 3, 20), region=SCRATCH, address=raw.address,
        layout="nhcwb16",
    )  # fmt: skip
    b.add(_copy_pool(x, mid))
    b.add(_copy_pool(mid, y))
    data = np.random.default_rng(0).integers(-128, 128, (1, 2, 3, 20)).astype(np.int8)
    out = run_stream(b.module(), {"input0": data})
    np.testing.assert_array_equal(out["output0"], data)
    # bricks: [y][c // 16][x][c % 16], channels padded to 32
    bricks = out["bricks"].reshape(2, 2, 3, 16)
    for c in range(20):
        np.testing.assert_array_equal(bricks[:, c // 16, :, c % 16], data[0, :, :, c])


def test_strides_and_tile_boxes():
    """An OFM written as four tiles at scattered addresses, with strides of a
    wider tensor, read back as the same tiles: identity; bytes where the tile
    box says."""
    b = StreamBuilder()
    x = b.tensor("input0", "input", (1, 4, 4, 2))
    y = b.tensor("output0", "output", (1, 4, 4, 2))
    store = b.tensor("store", "output", (1, 512), region=SCRATCH)
    base = store.address
    # h0=1 (tile 0 has 1 row), h1=3 (tile 1 has 3 rows), w0=2; row stride 32 bytes
    tiled = FeatureMapAttr.make(
        dtype="int8", shape=(4, 4, 2), region=SCRATCH, address=base,
        tiles=(1, 3, 2, base + 128, base + 256, base + 384), strides=(32, 2, 1),
    )  # fmt: skip
    b.add(_copy_pool(x, tiled))
    b.add(_copy_pool(tiled, y))
    data = np.arange(32, dtype=np.int8).reshape(1, 4, 4, 2)
    out = run_stream(b.module(), {"input0": data})
    np.testing.assert_array_equal(out["output0"], data)
    mem = out["store"].reshape(-1)
    at = {0: (0, 0, 0), 128: (0, 0, 2), 256: (1, 0, 0), 384: (3, 0, 2)}
    for offset, (row, row0, col) in at.items():
        del row0
        np.testing.assert_array_equal(
            mem[offset : offset + 4], data[0, row, col : col + 2].reshape(-1)
        )
    # tile 2 (rows >= 1, columns < 2): row 2 of the tensor is tile-2 row 1
    np.testing.assert_array_equal(mem[256 + 32 : 256 + 36], data[0, 2, 0:2].reshape(-1))


# ------------------------------------------------------------- other ops


def test_lookup_table_activation_after_a_dma():
    b = StreamBuilder()
    b.uses_lut = True
    table = (np.arange(256) - 128)[::-1].astype(np.int8)  # table[x + 128] = -1 - x
    t = b.constant(table.tobytes())
    slot = 3
    b.add(
        DmaOp.create(
            properties={
                "src": t,
                "dest": AddressRangeAttr.make(
                    region=LUT_REGION,
                    address=LUT_ADDRESS["ethos-u55-128"] + 256 * slot,
                    length=256,
                ),
            }
        )
    )
    x = b.tensor("input0", "input", (1, 1, 4, 4))
    y = b.tensor("output0", "output", (1, 1, 4, 4))
    op = _copy_pool(x, y)
    op.properties["activation"] = ActivationAttr.make(kind="table", slot=slot)
    b.add(op)
    data = np.arange(-8, 8, dtype=np.int8).reshape(1, 1, 4, 4)
    out = run_stream(b.module(), {"input0": data})["output0"]
    np.testing.assert_array_equal(out, -1 - data)


def test_dma_copies_bytes():
    b = StreamBuilder()
    x = b.tensor("input0", "input", (32,), "int8")
    y = b.tensor("output0", "output", (32,), "int8")
    b.add(
        DmaOp.create(
            properties={
                "src": AddressRangeAttr.make(region=3, address=x.address, length=32),
                "dest": AddressRangeAttr.make(region=4, address=y.address, length=32),
            }
        )
    )
    data = np.arange(32, dtype=np.int8)
    np.testing.assert_array_equal(
        run_stream(b.module(), {"input0": data})["output0"], data
    )


@pytest.mark.parametrize("kind", ["add", "mul"])
def test_elementwise_matches_tflite(kind: str):
    rng = np.random.default_rng(5)
    b = StreamBuilder()
    a = b.tensor("input0", "input", (1, 3, 4, 5), scale=0.05, zero_point=3)
    c = b.tensor("input1", "input", (1, 1, 4, 5), scale=0.02, zero_point=-7)
    y = b.tensor("output0", "output", (1, 3, 4, 5), scale=0.07, zero_point=1)
    b.add(
        ElementwiseOp.create(
            properties={
                "op_type": StringAttr(kind),
                "ifm": a,
                "ifm2": c,
                "ofm": y,
                "block_config": block(1, 4, 8),
            }
        )
    )
    xa = rng.integers(-128, 128, (1, 3, 4, 5)).astype(np.int8)
    xc = rng.integers(-128, 128, (1, 1, 4, 5)).astype(np.int8)
    out = run_stream(b.module(), {"input0": xa, "input1": xc})["output0"]
    from tirconst.frontend.tflite_params import quantize_multiplier

    common = {
        "lhs_zp": 3,
        "rhs_zp": -7,
        "output_zp": 1,
        "act_min": -128,
        "act_max": 127,
    }
    s = [float(np.float32(v)) for v in (0.05, 0.02, 0.07)]
    if kind == "mul":
        m, sh = quantize_multiplier(
            float(np.float32(np.float32(0.05) * np.float32(0.02)) / np.float32(0.07))
        )
        ref = mul(xa, xc, output_multiplier=m, output_shift=sh, **common)
    else:
        twice = 2 * max(s[0], s[1])
        lm, ls = quantize_multiplier(s[0] / twice)
        rm, rs = quantize_multiplier(s[1] / twice)
        om, os_ = quantize_multiplier(twice / ((1 << 20) * s[2]))
        ref = add(xa, xc, left_shift=20, lhs_multiplier=lm, lhs_shift=ls,
                  rhs_multiplier=rm, rhs_shift=rs, output_multiplier=om,
                  output_shift=os_, **common)  # fmt: skip
    np.testing.assert_array_equal(out, ref)


# ------------------------------------------------------------- tir == npu

_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def conv_cases(draw, depthwise: bool):
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    dy, dx = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    sy, sx = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    ci = draw(st.integers(1, 40))
    co = ci if depthwise else draw(st.integers(1, 40))
    pad = tuple(draw(st.integers(0, k - 1)) for k in (kh, kw, kh, kw))
    pad = (pad[0] * dy, pad[1] * dx, pad[2] * dy, pad[3] * dx)
    h = draw(st.integers((kh - 1) * dy + 1, 12))
    w = draw(st.integers((kw - 1) * dx + 1, 12))
    # ethos-u65-512 deals the output channels to two cores, each with its
    # stream of half the block depth (a multiple of 8: blocks of 16 or more).
    accelerator = draw(st.sampled_from(["ethos-u55-128", "ethos-u65-512"]))
    two = accelerator == "ethos-u65-512"
    block_depth = draw(st.sampled_from([16, 32, 64] if two else [8, 16, 32, 64]))
    traversal = (
        "depth_first"
        if depthwise
        else draw(st.sampled_from(["depth_first", "part_kernel_first"]))
    )
    seed = draw(st.integers(0, 2**32 - 1))
    return (
        kh, kw, (dy, dx), (sy, sx), ci, co, pad, h, w, block_depth, traversal,
        seed, accelerator,
    )  # fmt: skip


def _check_conv(case, depthwise: bool) -> None:
    kh, kw, dil, stride, ci, co, pad, h, w, depth, traversal, seed, acc = case
    rng = np.random.default_rng(seed)
    wts, bias, m, s = random_conv(rng, co, kh, kw, 1 if depthwise else ci)
    kwargs = dict(
        stride=stride, dilation=dil, pad=pad, input_zp=int(rng.integers(-20, 20)),
        output_zp=int(rng.integers(-20, 20)), depthwise=depthwise,
    )  # fmt: skip
    x_shape = (1, h, w, ci)
    tir = tir_conv_text(x_shape, wts, bias, m, s, **kwargs)
    npu = conv_stream(
        x_shape, wts, bias, m, s, block_depth=depth, traversal=traversal,
        accelerator=acc, **kwargs,
    )  # fmt: skip
    check_equivalent(tir, NpuProgram(npu), trials=2)


@_SETTINGS
@given(conv_cases(depthwise=False))
def test_random_conv_tir_equals_npu(case):
    _check_conv(case, depthwise=False)


@_SETTINGS
@given(conv_cases(depthwise=True))
def test_random_depthwise_tir_equals_npu(case):
    _check_conv(case, depthwise=True)


@_SETTINGS
@given(
    st.integers(1, 300),
    st.integers(1, 40),
    st.sampled_from([8, 16, 32, 64]),
    st.integers(0, 2**32 - 1),
)
def test_random_fully_connected_tir_equals_npu_natural(k, co, depth, seed):
    rng = np.random.default_rng(seed)
    w, bias, m, s = random_conv(rng, co, 1, 1, k)
    izp, ozp = int(rng.integers(-20, 20)), int(rng.integers(-20, 20))
    tir = tir_fc_text(k, w.reshape(co, k), bias, m, s, input_zp=izp, output_zp=ozp)
    npu = conv_stream(
        (1, 1, 1, k), w, bias, m, s, input_zp=izp, output_zp=ozp,
        rounding="natural", block_depth=depth,
    )  # fmt: skip
    check_equivalent(tir, NpuProgram(npu), trials=2)


@_SETTINGS
@given(
    st.sampled_from(["max", "average"]),
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(1, 20),
    st.data(),
)
def test_random_pool_tir_equals_npu(kind, kh, kw, sy, sx, c, data):
    if kind == "max":
        pad = tuple(data.draw(st.integers(0, k - 1)) for k in (kh, kw, kh, kw))
    else:
        pad = (0, 0, 0, 0)
    h = data.draw(st.integers(kh, 10))
    w = data.draw(st.integers(kw, 10))
    zp = data.draw(st.integers(-10, 10))
    x_shape = (1, h, w, c)
    tir = tir_pool_text(x_shape, kind, (kh, kw), (sy, sx), pad)
    if kind == "max":
        npu = pool_stream(x_shape, kind, (kh, kw), (sy, sx), pad, zp=zp)
    else:  # the zero-point-transparent form (docs/ethos-u.md)
        npu = pool_stream(x_shape, kind, (kh, kw), (sy, sx), pad, rounding="natural")
    check_equivalent(tir, NpuProgram(npu), trials=2)


@pytest.mark.parametrize("zp", [-128, -3])
def test_average_pool_with_zero_points_rounds_ties_up(zp):
    """With negative zero points in the registers the NPU sums x − zp ≥ 0, so
    a negative tie rounds toward +∞: not TFLite, and the interpreter says so
    (it runs the registers, not the float scale). -1 -1 0 0 averages to
    -0.5, which TFLite rounds to -1."""
    tir = tir_pool_text((1, 2, 2, 1), "average", (2, 2), (2, 2))
    npu = pool_stream((1, 2, 2, 1), "average", (2, 2), (2, 2), zp=zp)
    x = np.array([-1, -1, 0, 0], np.int8).reshape(1, 2, 2, 1)
    assert run_function(tir, {"input0": x})["output0"].reshape(-1)[0] == -1
    assert run_stream(npu, {"input0": x})["output0"].reshape(-1)[0] == 0
    fixed = pool_stream((1, 2, 2, 1), "average", (2, 2), (2, 2), rounding="natural")
    assert run_stream(fixed, {"input0": x})["output0"].reshape(-1)[0] == -1


# ------------------------------------------------------------- bad input


def _one_line(e: pytest.ExceptionInfo) -> str:
    text = str(e.value)
    assert "\n" not in text and "Traceback" not in text
    return text


def test_out_of_region_read_is_one_line():
    b = StreamBuilder()
    x = b.tensor("input0", "input", (1, 2, 2, 4))
    y = b.tensor("output0", "output", (1, 2, 2, 4))
    wide = FeatureMapAttr.make(dtype="int8", shape=(2, 2, 4), region=3,
                               address=0, strides=(400, 4, 1))  # fmt: skip
    b.add(_copy_pool(wide, y))
    del x
    module = b.module()
    # the verifier refuses it ...
    with pytest.raises(ToolError) as e:
        NpuProgram(module)
    assert "outside region 3" in _one_line(e)
    # ... and so does the interpreter, for a stream built without verifying
    from tirconst.interpreter.npu.program import StreamFunction

    with pytest.raises(InterpreterError) as e:
        StreamFunction(module.ops.first)({})  # type: ignore[arg-type]
    assert "npu.pooling" in _one_line(e) and "outside region 3" in str(e.value)


def test_undecodable_weight_stream_is_one_line():
    rng = np.random.default_rng(0)
    w, bias, m, s = random_conv(rng, 8, 1, 1, 8)
    module = conv_stream((1, 1, 1, 8), w, bias, m, s, block_depth=8)
    region = next(op for op in module.walk() if op.name == "npu.region")
    data = np.array(region.bytes)
    data[:16] = 0xFF  # garbage where the stream begins
    region.data = type(region)(0, "constant", data.size, data).data  # type: ignore
    with pytest.raises(InterpreterError) as e:
        run_stream(module, {"input0": np.zeros((1, 1, 1, 8), np.int8)})
    assert "npu.conv2d" in _one_line(e) and "weight stream" in str(e.value)


def test_malformed_bias_records_are_one_line():
    rng = np.random.default_rng(0)
    w, bias, m, s = random_conv(rng, 8, 1, 1, 8)
    module = conv_stream((1, 1, 1, 8), w, bias, m, s, block_depth=8)
    region = next(op for op in module.walk() if op.name == "npu.region")
    conv = next(op for op in module.walk() if op.name == "npu.conv2d")
    data = np.array(region.bytes)
    data[conv.biases.data[0].address + 9] = 0xFF  # reserved bits of a record
    region.data = type(region)(0, "constant", data.size, data).data  # type: ignore
    with pytest.raises(InterpreterError) as e:
        run_stream(module, {"input0": np.zeros((1, 1, 1, 8), np.int8)})
    assert "reserved" in _one_line(e)


def test_wrong_input_is_one_line():
    module = pool_stream((1, 2, 2, 4), "max", (1, 1), (1, 1))
    with pytest.raises(InterpreterError) as e:
        run_stream(module, {"input0": np.zeros((1, 2, 2, 5), np.int8)})
    assert "input0" in _one_line(e)
    with pytest.raises(InterpreterError) as e:
        run_stream(module, {"nope": np.zeros(1)})
    assert "no tensor 'nope'" in _one_line(e)


def test_unused_names_are_quiet():
    # the block_config helper and ArrayAttr/DenseArrayBase imports stay in use
    assert isinstance(block(1, 1, 8), DenseArrayBase) and ArrayAttr([]) is not None
    assert i64 is not None


def test_pooling_rescale_by_hand():
    """A 1x1 average pool with an explicit (scale, shift) is a requantize:
    (x - zp_in) * 2^30 >> 31, truncated, + zp_out."""
    b = StreamBuilder()
    x = b.tensor("input0", "input", (1, 1, 1, 4), scale=0.5, zero_point=1)
    y = b.tensor("output0", "output", (1, 1, 1, 4), scale=1.0, zero_point=-2)
    op = _copy_pool(x, y)
    op.properties["pool_type"] = StringAttr("average")
    op.properties["rescale"] = DenseArrayBase.from_list(i64, [2**30, 31])
    op.properties["rounding_mode"] = StringAttr("truncate")
    b.add(op)
    data = np.array([[[[6, -6, 1, 127]]]], np.int8)
    out = run_stream(b.module(), {"input0": data})["output0"]
    # (5, -7, 0, 126) / 2 truncated = (2, -3, 0, 63), + (-2)
    assert out.reshape(-1).tolist() == [0, -5, -2, 61]


def test_elementwise_scalar_min_max_by_hand():
    b = StreamBuilder()
    x = b.tensor("input0", "input", (1, 1, 1, 4))
    y = b.tensor("output0", "output", (1, 1, 1, 4))
    z = b.tensor("output1", "output", (1, 1, 1, 4))
    scalar = FeatureMapAttr.make(dtype="int8", shape=(1, 1, 1), region=3,
                                 scale=0.5, zero_point=1)  # fmt: skip
    for kind, out in (("max", y), ("min", z)):
        props = {
            "op_type": StringAttr(kind),
            "ifm": x,
            "ifm2": scalar,
            "ifm2_scalar": FloatAttr(1.25, Float64Type()),
            "ofm": out,
            "block_config": block(1, 1, 8),
        }
        b.add(ElementwiseOp.create(properties=props))
    data = np.array([[[[-5, 3, 4, 100]]]], np.int8)
    out = run_stream(b.module(), {"input0": data})
    # 1.25 / 0.5 = 2.5, rounded away from zero = 3, + zp 1 = 4
    assert out["output0"].reshape(-1).tolist() == [4, 4, 4, 100]
    assert out["output1"].reshape(-1).tolist() == [-5, 3, 4, 4]


def test_reduce_sum_to_int32_by_hand():
    b = StreamBuilder()
    x = b.tensor("input0", "input", (1, 2, 2, 3), zero_point=2)
    y = b.tensor("output0", "output", (1, 1, 1, 3), "int32")
    op = _copy_pool(x, y)
    op.properties["pool_type"] = StringAttr("reduce_sum")
    op.properties["kernel"] = KernelAttr.make(size=(2, 2))
    b.add(op)
    data = np.array([100, -100, 1, 100, -100, 2, 100, -100, 3, 127, -128, 4], np.int8)
    out = run_stream(b.module(), {"input0": data.reshape(1, 2, 2, 3)})["output0"]
    # sums of (x - 2): 427 - 8, -428 - 8, 10 - 8
    assert out.reshape(-1).tolist() == [419, -436, 2]


def test_two_cores_deal_the_output_channels():
    """On ethos-u65-512 core k computes output channels k, k + 2, ... from
    its own stream and records: one range of each per core, the channels
    dealt back as Vela's weight_compressor deals them (swapping the cores'
    ranges gives other outputs); a core count the op does not have is
    refused."""
    rng = np.random.default_rng(3)
    w, bias, m, s = random_conv(rng, 6, 3, 3, 5)
    kwargs = dict(pad=(1, 1, 1, 1), input_zp=2, output_zp=-3, block_depth=16)
    tir = tir_conv_text((1, 5, 4, 5), w, bias, m, s, pad=(1, 1, 1, 1), input_zp=2,
                        output_zp=-3)  # fmt: skip
    npu = conv_stream((1, 5, 4, 5), w, bias, m, s, accelerator="ethos-u65-512",
                      **kwargs)  # fmt: skip
    conv = next(op for op in npu.walk() if op.name == "npu.conv2d")
    assert len(conv.weights.data) == len(conv.biases.data) == 2
    check_equivalent(tir, NpuProgram(npu), trials=2)
    x = {"input0": rng.integers(-128, 128, (1, 5, 4, 5), dtype=np.int8)}
    want = run_stream(npu, x)["output0"]
    swapped = npu.clone()
    c2 = next(op for op in swapped.walk() if op.name == "npu.conv2d")
    c2.properties["weights"] = ArrayAttr(list(reversed(conv.weights.data)))
    c2.properties["biases"] = ArrayAttr(list(reversed(conv.biases.data)))
    got = run_stream(swapped, x)["output0"]
    assert not np.array_equal(got, want)
    assert np.array_equal(got[..., 0::2], want[..., 1::2])  # core 1's channels
    one = npu.clone()
    c1 = next(op for op in one.walk() if op.name == "npu.conv2d")
    c1.properties["weights"] = ArrayAttr(conv.weights.data[:1])
    c1.properties["biases"] = ArrayAttr(conv.biases.data[:1])
    with pytest.raises(ToolError) as e:
        NpuProgram(one)
    assert "1 weight ranges, expected 2" in _one_line(e)
