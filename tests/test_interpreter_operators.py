"""Operator ops through the interpreter: each op on a small case computed by
hand (the comments show the arithmetic), plus the dispatch's error paths.

Requantization below mostly uses multiplier 2**30 with shift 1 (scale exactly
1.0) or shift 0 (scale 0.5), so the expected values can be worked out on paper.
The kernels themselves are tested bit-exactly against LiteRT elsewhere.
"""

from __future__ import annotations

import numpy as np
import pytest

from tirconst.frontend.tflite_params import softmax_exp_table
from tirconst.interpreter import InterpreterError, run_function

ONE = "multiplier = array<i32: 1073741824>, shift = array<i32: 1>"


def func(params: dict[str, str], body: str) -> str:
    """`tir.func @main` with buffer parameters name -> "4x4xi8" and a body."""
    sig = ", ".join(f"%{n} : !tir.buffer<{t}>" for n, t in params.items())
    return f"tir.func @main({sig}) {{\n{body}\n}}"


def i8(values) -> np.ndarray:
    return np.array(values, dtype=np.int8)


X3 = i8([[1, 2, 3], [4, 5, 6], [7, 8, 9]]).reshape(1, 3, 3, 1)


def test_conv2d_per_channel_requantization_and_clamp():
    # input - input_zp(1) = [[0,1,2],[3,4,5],[6,7,8]].
    # o0 = diagonal 2x2 filter: 0+4, 1+5, 3+7, 4+8 = 4, 6, 10, 12; +10 bias.
    # o1 = all-ones 2x2: 8, 12, 20, 24; -100 bias; then scale 0.5.
    # output_zp -5, clamp [-50, 12].
    src = func(
        {"x": "1x3x3x1xi8", "w": "2x2x2x1xi8", "b": "2xi32", "y": "1x2x2x2xi8"},
        """
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x3x3x1xi8>, !tir.buffer<2x2x2x1xi8>,
                 !tir.buffer<2xi32>) outs(%y : !tir.buffer<1x2x2x2xi8>)
      {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>,
       pad = array<i64: 0, 0, 0, 0>, input_zp = 1, output_zp = -5,
       multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 1, 0>,
       act_min = -50, act_max = 12}""",
    )
    w = i8([[[1, 0], [0, 1]], [[1, 1], [1, 1]]]).reshape(2, 2, 2, 1)
    out = run_function(src, {"x": X3, "w": w, "b": np.array([10, -100], np.int32)})
    # o0: 14, 16, 20, 22 -> 9, 11, 15, 17 -> clamp 9, 11, 12, 12.
    # o1: -92, -88, -80, -76 -> -46, -44, -40, -38 -> -51, -49, -45, -43 -> -50, ...
    assert out["y"][0].tolist() == [[[9, -50], [11, -49]], [[12, -45], [12, -43]]]


def test_conv2d_padding_dilation_and_zero_point():
    # 2x2 all-ones filter, dilation 2 (taps 2 apart), pad 1 all round, stride 1:
    # output (y, x) sums the in-bounds corners of the 3x3 window at (y-1, x-1).
    # With input_zp 1, padding contributes 0 (it is padding with the zero point).
    src = func(
        {"x": "1x3x3x1xi8", "w": "1x2x2x1xi8", "y": "1x3x3x1xi8"},
        f"""
  tir.conv2d ins(%x, %w : !tir.buffer<1x3x3x1xi8>, !tir.buffer<1x2x2x1xi8>)
      outs(%y : !tir.buffer<1x3x3x1xi8>)
      {{stride = array<i64: 1, 1>, dilation = array<i64: 2, 2>,
       pad = array<i64: 1, 1, 1, 1>, input_zp = 1, output_zp = 0, {ONE},
       act_min = -128, act_max = 127}}""",
    )
    out = run_function(src, {"x": X3, "w": np.ones((1, 2, 2, 1), np.int8)})
    # xe = x - 1: corner (0, 0) sees only xe[1][1] = 4; (0, 1) sees xe[1][0] +
    # xe[1][2] = 8; the centre sees 0 + 2 + 6 + 8 = 16.
    assert out["y"].reshape(3, 3).tolist() == [[4, 8, 4], [8, 16, 8], [4, 8, 4]]


def test_conv2d_stride():
    src = func(
        {"x": "1x3x3x1xi8", "w": "1x1x1x1xi8", "y": "1x2x2x1xi8"},
        f"""
  tir.conv2d ins(%x, %w : !tir.buffer<1x3x3x1xi8>, !tir.buffer<1x1x1x1xi8>)
      outs(%y : !tir.buffer<1x2x2x1xi8>)
      {{stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>,
       pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, {ONE},
       act_min = -128, act_max = 127}}""",
    )
    out = run_function(src, {"x": X3, "w": i8([[[[-1]]]])})
    assert out["y"].reshape(2, 2).tolist() == [[-1, -3], [-7, -9]]


def test_depthwise_conv2d_with_depth_multiplier():
    # Output channel o reads input channel o // 2.
    # o0: all ones over channel 0 = 1+2+3+4 = 10; o1: top-left of channel 0 = 1;
    # o2: all ones over channel 1 = -10; o3: 2 x bottom-right of channel 1 = -8.
    # Bias [0, 1, 2, 3].
    src = func(
        {"x": "1x2x2x2xi8", "w": "1x2x2x4xi8", "b": "4xi32", "y": "1x1x1x4xi8"},
        """
  tir.depthwise_conv2d ins(%x, %w, %b : !tir.buffer<1x2x2x2xi8>,
      !tir.buffer<1x2x2x4xi8>, !tir.buffer<4xi32>) outs(%y : !tir.buffer<1x1x1x4xi8>)
      {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>,
       pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0,
       multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>,
       shift = array<i32: 1, 1, 1, 1>, act_min = -128, act_max = 127,
       depth_multiplier = 2}""",
    )
    x = np.stack([i8([[1, 2], [3, 4]]), i8([[-1, -2], [-3, -4]])], axis=-1)[None]
    w = np.zeros((1, 2, 2, 4), np.int8)
    w[..., 0] = 1
    w[0, 0, 0, 1] = 1
    w[..., 2] = 1
    w[0, 1, 1, 3] = 2
    out = run_function(src, {"x": x, "w": w, "b": np.arange(4, dtype=np.int32)})
    assert out["y"].reshape(-1).tolist() == [10, 2, -8, -5]


def test_fully_connected():
    # rows [1,2,3] and [-1,0,1] times filter rows [1,1,1] and [1,-1,2], bias
    # [5, -5], output_zp 3: [[6+5, 5-5], [0+5, 1-5]] + 3.
    src = func(
        {"x": "2x3xi8", "w": "2x3xi8", "b": "2xi32", "y": "2x2xi8"},
        f"""
  tir.fully_connected ins(%x, %w, %b : !tir.buffer<2x3xi8>, !tir.buffer<2x3xi8>,
      !tir.buffer<2xi32>) outs(%y : !tir.buffer<2x2xi8>)
      {{input_zp = 0, filter_zp = 0, output_zp = 3, {ONE},
       act_min = -128, act_max = 127}}""",
    )
    out = run_function(
        src,
        {
            "x": i8([[1, 2, 3], [-1, 0, 1]]),
            "w": i8([[1, 1, 1], [1, -1, 2]]),
            "b": np.array([5, -5], np.int32),
        },
    )
    assert out["y"].tolist() == [[14, 3], [8, -1]]


POOL = """
  tir.{op} ins(%x : !tir.buffer<1x{h}x{w}x1xi8>)
      outs(%y : !tir.buffer<1x{oh}x{ow}x1xi8>)
      {{window = array<i64: {kh}, {kw}>, stride = array<i64: {sh}, {sw}>,
       pad = array<i64: {pad}>, act_min = -128, act_max = 127}}"""


def pool(op, x, window, stride, pad, out_hw):
    (h, w), (kh, kw), (sh, sw), (oh, ow) = x.shape, window, stride, out_hw
    src = func(
        {"x": f"1x{h}x{w}x1xi8", "y": f"1x{oh}x{ow}x1xi8"},
        POOL.format(
            op=op,
            h=h,
            w=w,
            oh=oh,
            ow=ow,
            kh=kh,
            kw=kw,
            sh=sh,
            sw=sw,
            pad=", ".join(map(str, pad)),
        ),
    )
    return run_function(src, {"x": x.reshape(1, h, w, 1)})["y"].reshape(oh, ow)


def test_avg_pool_rounds_ties_away_from_zero_and_ignores_padding():
    # Windows of two: 1.5 -> 2 and -1.5 -> -2.
    x = i8([[1, 2, -1, -2]])
    assert pool("avg_pool2d", x, (1, 2), (1, 2), (0, 0, 0, 0), (1, 2)).tolist() == [
        [2, -2]
    ]
    # Right padding of 1: the last window holds only 7, averaged over 1.
    x = i8([[3, 4, 7]])
    assert pool("avg_pool2d", x, (1, 2), (1, 2), (0, 0, 0, 1), (1, 2)).tolist() == [
        [4, 7]
    ]


def test_max_pool_ignores_padding():
    # Padding top and left by 1: the corner window sees only -5, not 0 or -128.
    x = i8([[-5, 3], [-128, 2]])
    got = pool("max_pool2d", x, (2, 2), (1, 1), (1, 1, 0, 0), (2, 2))
    assert got.tolist() == [[-5, 3], [-5, 3]]


ADD_SUB = """
  tir.{op} ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>)
      outs(%y : !tir.buffer<2x3xi8>)
      {{lhs_zp = -5, rhs_zp = 3, output_zp = 0, left_shift = 20,
       lhs_multiplier = 1073741824, lhs_shift = 0,
       rhs_multiplier = 1073741824, rhs_shift = 0,
       output_multiplier = 1073741824, output_shift = -18,
       act_min = -128, act_max = 127}}"""


@pytest.mark.parametrize(
    "op, expect",
    [
        # (a + 5) + (b - 3) = a + b + 2, each side scaled by 2**20 * 0.5 and the
        # sum back by 0.5 * 2**-18; -251 and 130 saturate.
        ("add", [[3, 22, -128], [127, -88, -121]]),
        # (a + 5) - (b - 3) = a - b + 8; 134 and 135 saturate.
        ("sub", [[7, 8, 5], [127, -102, 127]]),
    ],
)
def test_add_and_sub_with_broadcasting(op, expect):
    src = func({"a": "2x3xi8", "b": "3xi8", "y": "2x3xi8"}, ADD_SUB.format(op=op))
    a = i8([[0, 10, -128], [127, -100, 2]])
    b = i8([1, 10, -125])
    out = run_function(src, {"a": a, "b": b})
    assert out["y"].tolist() == expect


def test_mul_requantizes_with_rounding():
    # a * b / 128: 128 -> 1, -128 -> -1, 300 -> 2.34 -> 2, 192 -> 1.5 -> 2,
    # -16256 -> -127.
    src = func(
        {"a": "5xi8", "b": "5xi8", "y": "5xi8"},
        """
  tir.mul ins(%a, %b : !tir.buffer<5xi8>, !tir.buffer<5xi8>)
      outs(%y : !tir.buffer<5xi8>)
      {lhs_zp = 0, rhs_zp = 0, output_zp = 0,
       output_multiplier = 1073741824, output_shift = -6,
       act_min = -128, act_max = 127}""",
    )
    out = run_function(
        src, {"a": i8([64, -64, 100, 96, 127]), "b": i8([2, 2, 3, 2, -128])}
    )
    assert out["y"].tolist() == [1, -1, 2, 2, -127]


def test_pad():
    src = func(
        {"x": "2x3xi8", "y": "4x4xi8"},
        """
  tir.pad ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<4x4xi8>)
      {padding = array<i64: 1, 1, 0, 1>, pad_value = -128}""",
    )
    out = run_function(src, {"x": i8([[1, 2, 3], [4, 5, 6]])})
    m = -128
    assert out["y"].tolist() == [[m, m, m, m], [1, 2, 3, m], [4, 5, 6, m], [m, m, m, m]]


@pytest.mark.parametrize("out_shape", ["1x2", "1x1x1x2"])
def test_mean_over_spatial_axes(out_shape):
    # Channel 0 holds 1, 2, 3, 6 (mean 3); channel 1 their negatives.
    src = func(
        {"x": "1x2x2x2xi8", "y": f"{out_shape}xi8"},
        f"""
  tir.mean ins(%x : !tir.buffer<1x2x2x2xi8>) outs(%y : !tir.buffer<{out_shape}xi8>)
      {{axes = array<i64: 1, 2>, input_zp = 0, output_zp = 0,
       multiplier = 1073741824, shift = 1}}""",
    )
    c0 = i8([[1, 2], [3, 6]])
    x = np.stack([c0, -c0], axis=-1)[None]
    assert out_of(src, {"x": x}).reshape(-1).tolist() == [3, -3]


def out_of(src, inputs):
    return run_function(src, inputs)["y"]


SOFTMAX = func(
    {"x": "1x3xi8", "t": "256xi32", "y": "1x3xi8"},
    """
  tir.softmax ins(%x, %t : !tir.buffer<1x3xi8>, !tir.buffer<256xi32>)
      outs(%y : !tir.buffer<1x3xi8>)
      {output_scale = 0.00390625 : f32, output_zp = -128}""",
)


def test_softmax():
    table = softmax_exp_table(0.25, 1.0)
    # Equal inputs: each gets 1/3, i.e. 256/3 = 85.3 -> 85, minus 128.
    assert out_of(SOFTMAX, {"x": i8([[7, 7, 7]]), "t": table}).tolist() == [[-43] * 3]
    # A table that is 0 beyond distance 0: the max takes everything (256 - 128
    # saturates to 127), the others get 0 - 128.
    table = np.zeros(256, np.int32)
    table[255] = 2**31 - 1
    assert out_of(SOFTMAX, {"x": i8([[5, 0, -3]]), "t": table}).tolist() == [
        [127, -128, -128]
    ]


def test_logistic_reads_its_table():
    src = func(
        {"x": "3xi8", "t": "256xi8", "y": "3xi8"},
        """
  tir.logistic ins(%x, %t : !tir.buffer<3xi8>, !tir.buffer<256xi8>)
      outs(%y : !tir.buffer<3xi8>)""",
    )
    table = (127 - np.arange(256)).astype(np.int8)  # table[i + 128]
    assert out_of(src, {"x": i8([-128, 0, 127]), "t": table}).tolist() == [
        127,
        -1,
        -128,
    ]


def test_quantize_and_dequantize():
    q = func(
        {"x": "5xf32", "y": "5xi8"},
        """
  tir.quantize ins(%x : !tir.buffer<5xf32>) outs(%y : !tir.buffer<5xi8>)
      {scale = 0.5 : f32, zero_point = -1}""",
    )
    # x / 0.5 = 0, 2, -2.5, 2000, -1.5: ties away from zero, -1, saturate.
    x = np.array([0.0, 1.0, -1.25, 1000.0, -0.75], np.float32)
    assert out_of(q, {"x": x}).tolist() == [-1, 1, -4, 127, -3]
    d = func(
        {"x": "4xi8", "y": "4xf32"},
        """
  tir.dequantize ins(%x : !tir.buffer<4xi8>) outs(%y : !tir.buffer<4xf32>)
      {scale = 0.5 : f32, zero_point = -1}""",
    )
    assert out_of(d, {"x": i8([-128, -1, 0, 127])}).tolist() == [-63.5, 0.0, 0.5, 64.0]


def test_requantize():
    # (x - 3) * 1.0 (multiplier 2**30, shift 1) - 1, saturated to int8.
    src = func(
        {"x": "4xi8", "y": "4xi8"},
        """
  tir.requantize ins(%x : !tir.buffer<4xi8>) outs(%y : !tir.buffer<4xi8>)
      {scale = 0.5 : f32, zero_point = -1, input_zp = 3,
       multiplier = 1073741824, shift = 1}""",
    )
    assert out_of(src, {"x": i8([3, 10, -128, 127])}).tolist() == [-1, 6, -128, 123]


def test_copy_and_reshape():
    src = func(
        {"x": "2x3xi8", "y": "3x2xi8"},
        """
  %t = tir.allocate : !tir.buffer<6xi8>
  %v = tir.reshape %t : !tir.buffer<6xi8> -> !tir.buffer<3x2xi8>
  tir.copy ins(%x : !tir.buffer<2x3xi8>) outs(%t : !tir.buffer<6xi8>)
  tir.copy ins(%v : !tir.buffer<3x2xi8>) outs(%y : !tir.buffer<3x2xi8>)""",
    )
    assert out_of(src, {"x": i8([[1, 2, 3], [4, 5, 6]])}).tolist() == [
        [1, 2],
        [3, 4],
        [5, 6],
    ]


# ------------------------------------------------------------- error paths

UNWRITTEN = func(
    {"y": "2x2xi8"},
    """
  %t = tir.allocate : !tir.buffer<2x2xi8>
  %c0 = arith.constant 0 : index
  %v = arith.constant 1 : i8
  tir.buffer_store %v, %t[%c0, %c0] : !tir.buffer<2x2xi8>
  tir.copy ins(%t : !tir.buffer<2x2xi8>) outs(%y : !tir.buffer<2x2xi8>)""",
)


def test_operator_reading_an_unwritten_workspace():
    with pytest.raises(
        InterpreterError,
        match=r"'tir.copy' op in @main: reads \[0, 1\] of %t \(workspace allocated",
    ):
        run_function(UNWRITTEN, {})


def test_operator_writing_a_constant():
    src = func(
        {"x": "2xi8"},
        """
  %w = tir.allocate_const dense<[1, 2]> : !tir.buffer<2xi8>
  tir.copy ins(%x : !tir.buffer<2xi8>) outs(%w : !tir.buffer<2xi8>)""",
    )
    with pytest.raises(InterpreterError, match="writes into %w, a constant buffer"):
        run_function(src, {"x": i8([1, 2])})


def test_kernel_problems_are_reported_on_the_op(monkeypatch):
    from tirconst.dialects.tir import MulOp
    from tirconst.interpreter import operators
    from tirconst.interpreter.registry import _SEMANTICS

    src = func(
        {"a": "5xi8", "b": "5xi8", "y": "5xi8"},
        """
  tir.mul ins(%a, %b : !tir.buffer<5xi8>, !tir.buffer<5xi8>)
      outs(%y : !tir.buffer<5xi8>)
      {lhs_zp = 0, rhs_zp = 0, output_zp = 0,
       output_multiplier = 1073741824, output_shift = -6,
       act_min = -128, act_max = 127}""",
    )
    x = {"a": i8([1] * 5), "b": i8([1] * 5)}

    def mul(lhs, rhs, **params):
        return np.zeros(4, np.int8)

    monkeypatch.setitem(operators.KERNELS, MulOp, operators.Kernel(mul))
    with pytest.raises(
        InterpreterError, match=r"kernel mul returned int8 \[4\], but the"
    ):
        run_function(src, x)

    def wrong_params(lhs, rhs, *, scale):
        return lhs

    monkeypatch.setitem(operators.KERNELS, MulOp, operators.Kernel(wrong_params))
    with pytest.raises(InterpreterError, match="kernel wrong_params: .*unexpected"):
        run_function(src, x)

    monkeypatch.delitem(_SEMANTICS, MulOp)
    with pytest.raises(InterpreterError, match="no implementation is registered"):
        run_function(src, x)
