"""Hand-computed cases for the bit-exact int8 kernels and parameter helpers.

Every expected value below is derived by hand in the comments from the TFLite
reference semantics (gemmlowp rounding, C++ truncating division, clamping).
"""

from __future__ import annotations

import numpy as np
import pytest

from tirconst import kernels as K
from tirconst.frontend.tflite_params import (
    calculate_activation_range_quantized,
    compute_padding,
    logistic_table,
    quantize_multiplier,
    softmax_exp_table,
)
from tirconst.kernels import fixedpoint as fp
from tirconst.kernels.reduce import mean_readapted_multiplier

I32_MIN, I32_MAX = -(2**31), 2**31 - 1
HALF = 1 << 30  # 0.5 as a Q31 multiplier


def _i8(v: object) -> np.ndarray:
    return np.asarray(v, dtype=np.int8)


# ---------------------------------------------------------------------------
# Fixed point


def test_srdhm_saturates_int32_min_squared() -> None:
    assert fp.saturating_rounding_doubling_high_mul(I32_MIN, I32_MIN) == I32_MAX
    # One operand off INT32_MIN: (-2^31)(-2^31 + 1) / 2^31 = 2^31 - 1 exactly.
    assert fp.saturating_rounding_doubling_high_mul(I32_MIN, I32_MIN + 1) == I32_MAX


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (HALF, HALF, 1 << 29),  # 0.5 * 0.5 = 0.25
        (-HALF, HALF, -(1 << 29)),
        (1, HALF, 1),  # 0.5 -> 1: ties round up
        (-1, HALF, 0),  # -0.5 -> 0: ties round up (towards +inf) here too
        (3, HALF, 2),  # 1.5 -> 2
        (-3, HALF, -1),  # -1.5 -> -1
        (-5, 3 << 28, -2),  # -5 * 0.375 = -1.875 -> -2
        (I32_MAX, I32_MAX, I32_MAX - 1),  # (2^31-1)^2 / 2^31 = 2^31 - 2 + 2^-31
    ],
)
def test_srdhm_rounding(a: int, b: int, expected: int) -> None:
    assert fp.saturating_rounding_doubling_high_mul(a, b) == expected


@pytest.mark.parametrize(
    ("x", "e", "expected"),
    [
        (5, 1, 3),  # 2.5 -> 3 (half away from zero)
        (-5, 1, -3),  # -2.5 -> -3
        (-4, 1, -2),
        (3, 1, 2),  # 1.5 -> 2
        (-3, 1, -2),  # -1.5 -> -2
        (7, 2, 2),  # 1.75 -> 2
        (-6, 2, -2),  # -1.5 -> -2
        (-5, 2, -1),  # -1.25 -> -1
        (123, 0, 123),
        (I32_MIN, 31, -1),
        (I32_MAX, 31, 1),  # 0.99999... -> 1
        (I32_MIN, 1, -(2**30)),
    ],
)
def test_rounding_divide_by_pot(x: int, e: int, expected: int) -> None:
    assert fp.rounding_divide_by_pot(x, e) == expected


def test_rounding_divide_by_pot_per_element_exponent() -> None:
    out = fp.rounding_divide_by_pot(np.array([5, 5, -5]), np.array([0, 1, 2]))
    assert out.tolist() == [5, 3, -1]


@pytest.mark.parametrize(
    ("x", "m", "shift", "expected"),
    [
        (100, HALF, 0, 50),
        (100, HALF, -1, 25),
        (100, HALF, -2, 13),  # 12.5 -> 13
        (-100, HALF, -2, -13),  # SRDHM exact -50, then -12.5 -> -13
        (-10, HALF, -1, -3),  # -2.5 -> -3 in the second rounding
        (3, HALF, 1, 3),  # left shift first: (3 << 1) * 0.5
        # x << 1 wraps to INT32_MIN in int32, then * 0.5.
        (1 << 30, HALF, 1, -(1 << 30)),
        # Double rounding: 15351 * m / 2^31 = 14015.86 -> 14016, / 128 = 109.5 -> 110
        # (the exact product is 109.4977).
        (15351, 1960687744, -7, 110),
        (5, 0, 0, 0),
    ],
)
def test_multiply_by_quantized_multiplier(
    x: int, m: int, shift: int, expected: int
) -> None:
    assert fp.multiply_by_quantized_multiplier(x, m, shift) == expected


@pytest.mark.parametrize(
    ("x", "m", "shift", "expected"),
    [
        (1, HALF, 0, 1),  # 0.5 -> 1
        (-1, HALF, 0, 0),  # -0.5 -> 0 (ties towards +inf)
        (-3, HALF, 0, -1),  # -1.5 -> -1
        (-10, HALF, -1, -2),  # -2.5 -> -2 (double rounding gives -3)
        (15351, 1960687744, -7, 109),  # one rounding of 109.4977
        (7, HALF, 2, 14),
    ],
)
def test_multiply_by_quantized_multiplier_single_round(
    x: int, m: int, shift: int, expected: int
) -> None:
    assert fp.multiply_by_quantized_multiplier_single_round(x, m, shift) == expected


def test_greater_than_one_and_multiply_by_pot() -> None:
    # (3 << 2) * 0.5 = 6
    assert fp.multiply_by_quantized_multiplier_greater_than_one(3, HALF, 2) == 6
    assert fp.saturating_rounding_multiply_by_pot(1 << 29, 2) == I32_MAX
    assert fp.saturating_rounding_multiply_by_pot(-(1 << 29), 2) == I32_MIN
    assert fp.saturating_rounding_multiply_by_pot(3, 2) == 12
    assert fp.saturating_rounding_multiply_by_pot(-5, -1) == -3


def test_wrap_int32() -> None:
    assert fp.wrap_int32(2**31) == I32_MIN
    assert fp.wrap_int32(-(2**31) - 1) == I32_MAX
    assert fp.wrap_int32(2**32 + 5) == 5


# ---------------------------------------------------------------------------
# Parameter helpers


@pytest.mark.parametrize(
    ("real", "expected"),
    [
        (0.0, (0, 0)),
        (0.5, (1 << 30, 0)),
        (1.0, (1 << 30, 1)),
        (0.75, (3 << 29, 0)),
        (0.1, (1717986918, -3)),  # frexp: 0.8 * 2^-3; 0.8 * 2^31 = ...918.4
        (1 - 2**-40, (1 << 30, 1)),  # Q31 rounds up to 2^31: halve, shift + 1
        (0.5 + 2**-32, ((1 << 30) + 1, 0)),  # Q31 value 2^30 + 0.5: tie away
        (2**-32, (1 << 30, -31)),
        (2**-33, (0, 0)),  # shift below -31 flushes to zero
        (-0.5, (-(1 << 30), 0)),
    ],
)
def test_quantize_multiplier(real: float, expected: tuple[int, int]) -> None:
    assert quantize_multiplier(real) == expected


@pytest.mark.parametrize(
    ("act", "scale", "zp", "expected"),
    [
        ("NONE", 0.1, 5, (-128, 127)),
        ("RELU", 0.1, -10, (-10, 127)),
        ("RELU6", 0.05, -128, (-128, -8)),  # 6 / 0.05 = 120
        ("RELU6", 6 / 255, -128, (-128, 127)),
        ("RELU6", 0.01, 0, (0, 127)),  # 600 clipped
        ("RELU_N1_TO_1", 1 / 64, 0, (-64, 64)),
        ("RELU_N1_TO_1", 1 / 128, 0, (-128, 127)),  # +-128 clipped
        ("RELU", 0.1, -200, (-128, 127)),
    ],
)
def test_activation_range(act: str, scale: float, zp: int, expected: tuple) -> None:
    assert calculate_activation_range_quantized(act, scale, zp) == expected


def test_activation_range_rejects_tanh() -> None:
    with pytest.raises(ValueError):
        calculate_activation_range_quantized("TANH", 0.1, 0)


@pytest.mark.parametrize(
    ("padding", "in_hw", "k", "s", "d", "pad", "out"),
    [
        # total 9 rows: 4 on top, 5 at the bottom; 6 columns: 3 / 3
        ("SAME", (49, 40), (10, 8), (2, 2), (1, 1), (4, 3, 5, 3), (25, 20)),
        ("VALID", (7, 7), (3, 3), (2, 2), (1, 1), (0, 0, 0, 0), (3, 3)),
        ("VALID", (8, 8), (3, 3), (2, 2), (1, 1), (0, 0, 0, 0), (3, 3)),
        ("SAME", (5, 5), (3, 3), (1, 1), (2, 2), (2, 2, 2, 2), (5, 5)),
        ("SAME", (6, 6), (1, 1), (2, 2), (1, 1), (0, 0, 0, 0), (3, 3)),
        ("SAME", (42, 1), (3, 1), (3, 1), (1, 1), (0, 0, 0, 0), (14, 1)),
    ],
)
def test_compute_padding(
    padding: str,
    in_hw: tuple[int, int],
    k: tuple[int, int],
    s: tuple[int, int],
    d: tuple[int, int],
    pad: tuple[int, int, int, int],
    out: tuple[int, int],
) -> None:
    assert compute_padding(padding, in_hw, k, s, d) == (pad, out)


def test_mean_readapted_multiplier() -> None:
    # count 4: s = 2, (2^30 << 2) / 4 = 2^30, shift 1 - 2 = -1
    assert mean_readapted_multiplier(1 << 30, 1, 4) == (1 << 30, -1)
    # count 3: s = 1, 2^31 / 3 = 715827882
    assert mean_readapted_multiplier(1 << 30, 1, 3) == (715827882, 0)
    # s capped by 31 + shift
    assert mean_readapted_multiplier(1 << 30, -30, 1024) == ((1 << 31) // 1024, -31)


# ---------------------------------------------------------------------------
# Convolutions

_IDENT = {"multiplier": np.array([HALF], np.int32), "shift": np.array([1], np.int32)}


def test_conv2d_same_padding_equals_skipping() -> None:
    # Real values v = 1..9 stored as v + 3 with input_zp 3; 2x2 all-ones filter;
    # SAME stride 1 pads 1 at the bottom/right. acc + bias 10:
    # [[22, 26, 19], [34, 38, 25], [25, 27, 19]]; * 0.5 rounds half up:
    # [[11, 13, 10], [17, 19, 13], [13, 14, 10]]; + output_zp -2.
    v = np.arange(1, 10).reshape(1, 3, 3, 1)
    out = K.conv2d(
        _i8(v + 3),
        _i8(np.ones((1, 2, 2, 1))),
        np.array([10], np.int32),
        stride=(1, 1),
        dilation=(1, 1),
        pad=(0, 0, 1, 1),
        input_zp=3,
        output_zp=-2,
        multiplier=np.array([HALF], np.int32),
        shift=np.array([0], np.int32),
        act_min=-128,
        act_max=127,
    )
    assert out[0, :, :, 0].tolist() == [[9, 11, 8], [15, 17, 11], [11, 12, 8]]


def test_conv2d_int8_extremes_per_channel() -> None:
    # x - zp = -128 - 127 = -255 on 4 channels, weights -128 / 127:
    # ch0: 4 * (-255)(-128) = 130560; * 0.5 / 2^10 = 63.75 -> 64
    # ch1: 4 * (-255)(127) = -129540; * 0.5 * 2 = -129540 -> clamp -128
    x = _i8(np.full((1, 1, 1, 4), -128))
    w = _i8(np.stack([np.full((1, 1, 4), -128), np.full((1, 1, 4), 127)]))
    out = K.conv2d(
        x,
        w,
        None,
        stride=(1, 1),
        dilation=(1, 1),
        pad=(0, 0, 0, 0),
        input_zp=127,
        output_zp=0,
        multiplier=np.array([HALF, HALF], np.int32),
        shift=np.array([-10, 1], np.int32),
        act_min=-128,
        act_max=60,
    )
    assert out.reshape(-1).tolist() == [60, -128]  # 64 clamped by act_max


def test_conv2d_dilation_edges() -> None:
    # v[i, j] = 5 i + j; 3x3 ones with dilation 2 (effective 5x5).
    v = _i8(np.arange(25).reshape(1, 5, 5, 1))
    w = _i8(np.ones((1, 3, 3, 1)))
    common = dict(
        dilation=(2, 2), input_zp=0, output_zp=0, act_min=-128, act_max=127, **_IDENT
    )
    # VALID: one output, taps at rows/cols 0, 2, 4: 0+2+4+10+12+14+20+22+24 = 108.
    out = K.conv2d(v, w, None, stride=(1, 1), pad=(0, 0, 0, 0), **common)
    assert out.shape == (1, 1, 1, 1) and out.item() == 108
    # SAME stride 2 pads 2 on each side: corner (0, 0) sees (0,0) (0,2) (2,0)
    # (2,2) = 24; the centre 108; corner (2, 2) sees 12 + 14 + 22 + 24 = 72.
    out = K.conv2d(v, w, None, stride=(2, 2), pad=(2, 2, 2, 2), **common)
    assert out.shape == (1, 3, 3, 1)
    assert (out[0, 0, 0, 0], out[0, 1, 1, 0], out[0, 2, 2, 0]) == (24, 108, 72)


def test_conv2d_grouped() -> None:
    # 2 groups of one channel: output 0 sees input channel 0, output 1 channel 1.
    x = _i8([[[[3, -4]]]])
    w = _i8([[[[2]]], [[[5]]]])
    out = K.conv2d(
        x,
        w,
        None,
        stride=(1, 1),
        dilation=(1, 1),
        pad=(0, 0, 0, 0),
        input_zp=0,
        output_zp=0,
        act_min=-128,
        act_max=127,
        **_IDENT,
    )
    assert out.reshape(-1).tolist() == [6, -20]


def test_conv2d_rejects_bad_shapes() -> None:
    with pytest.raises(ValueError):
        K.conv2d(
            _i8(np.zeros((1, 2, 2, 3))),
            _i8(np.zeros((1, 3, 3, 3))),
            None,
            stride=(1, 1),
            dilation=(1, 1),
            pad=(0, 0, 0, 0),
            input_zp=0,
            output_zp=0,
            act_min=-128,
            act_max=127,
            **_IDENT,
        )
    with pytest.raises(TypeError):  # int8 or int16 (16x8) only
        K.conv2d(
            np.zeros((1, 2, 2, 1), np.int32),
            _i8(np.zeros((1, 1, 1, 1))),
            None,
            stride=(1, 1),
            dilation=(1, 1),
            pad=(0, 0, 0, 0),
            input_zp=0,
            output_zp=0,
            act_min=-128,
            act_max=127,
            **_IDENT,
        )


def test_depthwise_depth_multiplier() -> None:
    # oc = ic * 2 + m: [3*1, 3*2, -4*3, -4*4] + bias [0, 0, 0, 1]
    out = K.depthwise_conv2d(
        _i8([[[[3, -4]]]]),
        _i8([[[[1, 2, 3, 4]]]]),
        np.array([0, 0, 0, 1], np.int32),
        stride=(1, 1),
        dilation=(1, 1),
        pad=(0, 0, 0, 0),
        depth_multiplier=2,
        input_zp=0,
        output_zp=0,
        multiplier=np.full(4, HALF, np.int32),
        shift=np.ones(4, np.int32),
        act_min=-128,
        act_max=127,
    )
    assert out.reshape(-1).tolist() == [3, 6, -12, -15]


def test_depthwise_padding_uses_zero_point() -> None:
    # All inputs equal the zero point -> 0 real; padding must add nothing
    # either: output = bias only (5 * 1 -> 5) + output_zp 1.
    out = K.depthwise_conv2d(
        _i8(np.full((1, 3, 3, 2), -7)),
        _i8(np.full((1, 3, 3, 2), 100)),
        np.array([5, 5], np.int32),
        stride=(1, 1),
        dilation=(1, 1),
        pad=(1, 1, 1, 1),
        depth_multiplier=1,
        input_zp=-7,
        output_zp=1,
        multiplier=np.full(2, HALF, np.int32),
        shift=np.ones(2, np.int32),
        act_min=-128,
        act_max=127,
    )
    assert out.shape == (1, 3, 3, 2) and (out == 6).all()


def test_fully_connected_single_rounding_and_clamp() -> None:
    # input - zp = [0, 1, 2]; rows: ones -> 3, [-128, 0, 127] -> 254, zeros -> 0;
    # bias [1, -4, -10] -> [4, 250, -10]; * 0.25 (single rounding):
    # 1, 62.5 -> 63, -2.5 -> -2; + output_zp 3 -> [4, 66, 1].
    out = K.fully_connected(
        _i8([[1, 2, 3]]),
        _i8([[1, 1, 1], [-128, 0, 127], [0, 0, 0]]),
        np.array([1, -4, -10], np.int32),
        input_zp=1,
        filter_zp=0,
        output_zp=3,
        multiplier=np.array([HALF], np.int32),
        shift=np.array([-1], np.int32),
        act_min=-128,
        act_max=127,
    )
    assert out.tolist() == [[4, 66, 1]]


def test_fully_connected_keep_num_dims_and_filter_zp() -> None:
    # (x - 0) * (w - (-1)): w + 1 = [1, 2]; x rows [1, 1], [2, 3] -> 3, 8.
    out = K.fully_connected(
        _i8([[[1, 1], [2, 3]]]),
        _i8([[0, 1]]),
        None,
        input_zp=0,
        filter_zp=-1,
        output_zp=0,
        multiplier=np.array([HALF], np.int32),
        shift=np.array([1], np.int32),
        act_min=-128,
        act_max=127,
        output_shape=(1, 2, 1),
    )
    assert out.shape == (1, 2, 1) and out.reshape(-1).tolist() == [3, 8]


# ---------------------------------------------------------------------------
# Pooling


def test_avg_pool_rounding() -> None:
    pool = dict(window=(2, 2), stride=(2, 2), pad=(0, 0, 0, 0))
    # 11 / 4 = 2.75: (11 + 2) / 4 = 3; -11: (-11 - 2) / 4 = -3 (truncation)
    out = K.avg_pool2d(
        _i8([[[[1], [2]], [[3], [5]]]]), act_min=-128, act_max=127, **pool
    )
    assert out.item() == 3
    out = K.avg_pool2d(
        _i8([[[[-1], [-2]], [[-3], [-5]]]]), act_min=-128, act_max=127, **pool
    )
    assert out.item() == -3
    # ties: 1.5 -> 2, -1.5 -> -2
    row = dict(window=(1, 2), stride=(1, 2), pad=(0, 0, 0, 0))
    assert K.avg_pool2d(_i8([[[[1], [2]]]]), act_min=-128, act_max=127, **row) == 2
    assert K.avg_pool2d(_i8([[[[-1], [-2]]]]), act_min=-128, act_max=127, **row) == -2
    # INT8_MIN everywhere: -1152 / 9 -> -128
    out = K.avg_pool2d(
        _i8(np.full((1, 3, 3, 1), -128)),
        window=(3, 3),
        stride=(1, 1),
        pad=(0, 0, 0, 0),
        act_min=-128,
        act_max=127,
    )
    assert out.item() == -128


def test_avg_pool_same_padding_counts_only_inside() -> None:
    # 3x3 input 1..9, 2x2 window stride 2, SAME: pad 1 bottom/right.
    # (1+2+4+5)/4 = 3; (3+6)/2 = 4.5 -> 5; (7+8)/2 = 7.5 -> 8; 9/1 = 9
    out = K.avg_pool2d(
        _i8(np.arange(1, 10).reshape(1, 3, 3, 1)),
        window=(2, 2),
        stride=(2, 2),
        pad=(0, 0, 1, 1),
        act_min=-128,
        act_max=127,
    )
    assert out[0, :, :, 0].tolist() == [[3, 5], [8, 9]]


def test_max_pool_padding_and_activation() -> None:
    x = _i8(np.full((1, 2, 2, 1), -128))
    kw = dict(window=(2, 2), stride=(1, 1), pad=(1, 1, 0, 0))
    out = K.max_pool2d(x, act_min=-128, act_max=127, **kw)
    assert out.shape == (1, 2, 2, 1) and (out == -128).all()  # padding never wins
    out = K.max_pool2d(x, act_min=-100, act_max=127, **kw)
    assert (out == -100).all()
    x = _i8([[[[1], [9]], [[-5], [7]]]])
    out = K.max_pool2d(x, act_min=-128, act_max=8, **kw)
    assert out[0, :, :, 0].tolist() == [[1, 8], [1, 8]]


# ---------------------------------------------------------------------------
# Elementwise

# Equal scales 0.1: twice_max 0.2 -> input multipliers 0.5 = (2^30, 0);
# output 0.2 / (2^20 * 0.1) = 2^-19 = (2^30, -18).
_ADD = dict(
    left_shift=20,
    lhs_multiplier=HALF,
    lhs_shift=0,
    rhs_multiplier=HALF,
    rhs_shift=0,
    output_multiplier=HALF,
    output_shift=-18,
    act_min=-128,
    act_max=127,
)


def test_add_and_sub() -> None:
    zps = dict(lhs_zp=0, rhs_zp=0, output_zp=0)
    assert K.add(_i8([3, 127, -128]), _i8([4, 127, -128]), **zps, **_ADD).tolist() == [
        7,
        127,
        -128,
    ]
    assert K.sub(_i8([3, 127]), _i8([4, -128]), **zps, **_ADD).tolist() == [-1, 127]
    # lhs -128 is real 0 with lhs_zp -128; output_zp shifts the result.
    out = K.add(_i8([-128]), _i8([4]), lhs_zp=-128, rhs_zp=0, output_zp=5, **_ADD)
    assert out.tolist() == [9]


def test_add_broadcasts() -> None:
    zps = dict(lhs_zp=0, rhs_zp=0, output_zp=0)
    out = K.add(_i8([[1], [2]]), _i8([10, 20, 30]), **zps, **_ADD)
    assert out.tolist() == [[11, 21, 31], [12, 22, 32]]


def test_mul() -> None:
    # 0.5 * 0.5 / 1 = 0.25 = (2^30, -1): 12 -> 3, 15 -> 3.75 -> 4, 16384 -> 127
    kw = dict(
        lhs_zp=0,
        rhs_zp=0,
        output_zp=0,
        output_multiplier=HALF,
        output_shift=-1,
        act_min=-128,
        act_max=127,
    )
    out = K.mul(_i8([3, 3, -128, -3]), _i8([4, 5, -128, 5]), **kw)
    assert out.tolist() == [3, 4, 127, -4]  # -3.75 -> -4
    assert K.mul(_i8([[1], [2]]), _i8([4, 8]), **kw).tolist() == [[1, 2], [2, 4]]


# ---------------------------------------------------------------------------
# Shape, reduce, activations, (de)quantize


def test_pad_reshape_squeeze() -> None:
    out = K.pad(_i8([[[[5], [6]]]]), padding=(0, 0, 1, 0, 0, 1, 0, 0), pad_value=-3)
    assert out[0, :, :, 0].tolist() == [[-3, -3, -3], [5, 6, -3]]
    with pytest.raises(ValueError):
        K.pad(_i8([1, 2]), padding=(1,), pad_value=0)
    assert K.reshape(_i8([[1, 2], [3, 4]]), output_shape=(4,)).tolist() == [1, 2, 3, 4]
    assert K.squeeze(_i8([[[1], [2]]]), output_shape=(2,)).tolist() == [1, 2]


def test_mean() -> None:
    same = dict(multiplier=HALF, shift=1)  # input_scale / output_scale = 1
    x = _i8([[[[1], [2]], [[3], [5]]]])
    # 11 * 2^30 / 2^31 = 5.5 -> 6; / 2 = 3 (true 2.75)
    out = K.mean(x, axes=(1, 2), input_zp=0, output_zp=0, output_shape=(1, 1), **same)
    assert out.tolist() == [[3]]
    # -11: SRDHM -5.5 -> -5 (ties up), RDBP -2.5 -> -3
    out = K.mean(-x, axes=(1, 2), input_zp=0, output_zp=0, output_shape=(1, 1), **same)
    assert out.tolist() == [[-3]]
    # All at the zero point -> exactly the output zero point, keep_dims shape.
    out = K.mean(
        _i8(np.full((1, 2, 2, 3), -128)),
        axes=(-3, 2),
        input_zp=-128,
        output_zp=7,
        output_shape=(1, 1, 1, 3),
        **same,
    )
    assert out.shape == (1, 1, 1, 3) and (out == 7).all()
    # count 3: multiplier 2^31 / 3, 6 -> 1.99999999907 -> 2
    out = K.mean(
        _i8([1, 2, 3]), axes=(0,), input_zp=0, output_zp=0, output_shape=(), **same
    )
    assert out.item() == 2


def test_softmax_table() -> None:
    table = softmax_exp_table(0.1, 1.0)
    # int32 Q0.31 exponentials indexed by the difference to the row max + 255
    assert table.dtype == np.int32 and table[255] == 2**31 - 1
    assert np.all(np.diff(table.astype(np.int64)) >= 0)
    kw = dict(exp_table=table, output_scale=1 / 256, output_zp=-128)
    # 4 equal logits: 1 / (4 / 256) = 64 -> -128 + 64
    assert K.softmax(_i8([[9, 9, 9, 9]]), **kw).tolist() == [[-64] * 4]
    # exp(-25.5) is negligible: 256 -> clamp 127; the other ~0 -> -128
    assert K.softmax(_i8([[127, -128]]), **kw).tolist() == [[127, -128]]
    # two equal + much smaller: 128 each -> 0
    assert K.softmax(_i8([[100, 100, -128]]), **kw).tolist() == [[0, 0, -128]]


def test_softmax_is_the_integer_algorithm() -> None:
    """A row where TFLite's float-table softmax (optimized kernels) gives 11
    and the integer reference kernel, which LiteRT's BUILTIN_REF runs, 10."""
    row = [32, -48, -16, 16, 80, -64, 16, 96, -48, -48, 16, -112, -96, 112, 16]
    row += [32, -128, 0, 16, -16, -112, 48, -80, 0, 16, -80, 0, -32, -80, -32]
    row += [-48, 0, -112, 16, 48]
    table = softmax_exp_table(float(np.float32(0.1)), 0.5)
    out = K.softmax(_i8([row]), exp_table=table, output_scale=1 / 256, output_zp=-128)
    assert out[0, 13] == 10


def test_logistic_table() -> None:
    table = logistic_table(0.1, 0, 1 / 256, -128)
    assert table.dtype == np.int8 and table.shape == (256,)
    # sigmoid(0) = 0.5 -> 128 - 128 = 0; sigmoid(12.7) * 256 -> 256 -> 127;
    # sigmoid(-12.8) * 256 = 0.0007 -> 0 -> -128
    assert table[128] == 0 and table[255] == 127 and table[0] == -128
    out = K.logistic(_i8([-128, 0, 127]), table=table)
    assert out.tolist() == [-128, 0, 127]
    assert np.all(np.diff(table.astype(int)) >= 0)


def test_quantize_float() -> None:
    x = np.array([0.25, -0.25, 0.75, 100, -100, np.nan, 1.2], np.float32)
    # x / 0.5 = 0.5, -0.5, 1.5 round away -> 1, -1, 2; + zp 1; 1.2/0.5 = 2.4 -> 2
    # NaN -> INT32_MIN (x86 cvttss2si) + 1 -> clamp -128
    out = K.quantize(x, scale=0.5, zero_point=1)
    assert out.tolist() == [2, 0, 3, 127, -128, -128, 3]
    # With a negative zero point INT32_MIN + zp wraps to a large positive value.
    nan = np.array([np.nan, -np.inf], np.float32)
    assert K.quantize(nan, scale=0.5, zero_point=-5).tolist() == [127, 127]


def test_requantize_and_dequantize() -> None:
    out = K.quantize(
        _i8([10, -10, 127]),
        scale=1.0,
        zero_point=3,
        input_zp=0,
        multiplier=HALF,
        shift=0,
    )
    assert out.tolist() == [8, -2, 67]  # 5 + 3, -5 + 3, 63.5 -> 64 + 3
    with pytest.raises(ValueError):
        K.quantize(_i8([1]), scale=1.0, zero_point=0)
    out = K.dequantize(_i8([-1, 0, 127]), scale=0.5, zero_point=-1)
    assert out.dtype == np.float32 and out.tolist() == [0.0, 0.5, 64.0]


def test_rsqrt_remembered_multipliers_are_the_computed_ones() -> None:
    """RSQRT's 1/sqrt(v) multipliers are remembered per v (a pure function
    of the int): a table built once the cache holds other zero points' values
    equals the one built from an empty cache, and every remembered value
    equals the one computed afresh."""
    from tirconst.kernels import elementwise

    remembered = elementwise._inv_sqrt_multiplier_exp
    x = np.arange(-128, 128, dtype=np.int8)
    args = {"output_zp": 2, "multiplier": 1 << 30, "shift": 1}
    remembered.cache_clear()
    cold = K.rsqrt(x, input_zp=40, **args)
    for zp in (-128, -3):
        K.rsqrt(x, input_zp=zp, **args)
    np.testing.assert_array_equal(K.rsqrt(x, input_zp=40, **args), cold)
    for v in range(1, 256):
        assert remembered(v) == remembered.__wrapped__(v)
