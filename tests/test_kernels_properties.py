"""Property tests: the vectorised kernels against slow, obviously-correct Python.

The references below are scalar loops transcribed from TFLite's reference
kernels, using exact rational arithmetic (``fractions.Fraction``) for the
fixed-point rounding rules instead of bit tricks.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tirconst import kernels as K
from tirconst.frontend.tflite_params import (
    compute_padding,
    logistic_table,
    quantize_multiplier,
    softmax_exp_table,
)
from tirconst.kernels import fixedpoint as fp
from tirconst.kernels.reduce import mean_readapted_multiplier

I32_MIN, I32_MAX = -(2**31), 2**31 - 1
HALF = Fraction(1, 2)

settings.register_profile("kernels", max_examples=60, deadline=None)
settings.load_profile("kernels")

int32s = st.integers(I32_MIN, I32_MAX)
multipliers = st.integers(1 << 30, I32_MAX)
shifts = st.integers(-14, 2)


# ---------------------------------------------------------------------------
# Exact scalar references


def wrap(v: int) -> int:
    return (v + 2**31) % 2**32 - 2**31


def ref_srdhm(a: int, b: int) -> int:
    """round(a * b / 2^31), ties towards +inf; saturating INT32_MIN^2."""
    if a == b == I32_MIN:
        return I32_MAX
    return math.floor(Fraction(a * b, 2**31) + HALF)


def ref_rdbp(x: int, e: int) -> int:
    """round(x / 2^e), ties away from zero."""
    q = Fraction(x, 2**e)
    r = math.floor(abs(q) + HALF)
    return r if q >= 0 else -r


def ref_mbqm(x: int, m: int, s: int) -> int:
    return ref_rdbp(ref_srdhm(wrap(x * 2 ** max(s, 0)), m), max(-s, 0))


def ref_mbqm_single(x: int, m: int, s: int) -> int:
    return wrap(math.floor(Fraction(x * m, 2 ** (31 - s)) + HALF))


def clamp(v: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, v))


def round_half_away(v: float) -> int:
    r = math.floor(abs(v) + 0.5)
    return r if v >= 0 else -r


# ---------------------------------------------------------------------------
# Fixed point


@given(st.lists(st.tuples(int32s, int32s), min_size=1, max_size=20))
def test_srdhm(pairs: list[tuple[int, int]]) -> None:
    a, b = (np.array(v, np.int64) for v in zip(*pairs, strict=True))
    got = fp.saturating_rounding_doubling_high_mul(a, b)
    assert got.tolist() == [ref_srdhm(x, y) for x, y in pairs]


@given(st.lists(st.tuples(int32s, st.integers(0, 31)), min_size=1, max_size=20))
def test_rounding_divide_by_pot(pairs: list[tuple[int, int]]) -> None:
    x, e = (np.array(v, np.int64) for v in zip(*pairs, strict=True))
    assert fp.rounding_divide_by_pot(x, e).tolist() == [
        ref_rdbp(a, b) for a, b in pairs
    ]


@given(st.lists(st.tuples(int32s, multipliers, st.integers(-31, 8)), max_size=20))
def test_multiply_by_quantized_multiplier(cases: list[tuple[int, int, int]]) -> None:
    for x, m, s in cases:
        assert fp.multiply_by_quantized_multiplier(x, m, s) == ref_mbqm(x, m, s)
    if cases:
        x, m, s = (np.array(v, np.int64) for v in zip(*cases, strict=True))
        got = fp.multiply_by_quantized_multiplier(x, m, s).tolist()
        assert got == [ref_mbqm(*c) for c in cases]


@given(st.lists(st.tuples(int32s, multipliers, st.integers(-31, 30)), max_size=20))
def test_multiply_by_quantized_multiplier_single_round(
    cases: list[tuple[int, int, int]],
) -> None:
    for x, m, s in cases:
        got = fp.multiply_by_quantized_multiplier_single_round(x, m, s)
        assert got == ref_mbqm_single(x, m, s)


@given(st.floats(2**-31, 2**20, allow_nan=False, allow_infinity=False))
def test_quantize_multiplier_roundtrip(real: float) -> None:
    m, s = quantize_multiplier(real)
    assert 1 << 30 <= m < 1 << 31
    # |m * 2^(s-31) - real| <= half a Q31 step at that exponent
    err = abs(Fraction(m) * Fraction(2) ** (s - 31) - Fraction(real))
    assert err <= Fraction(2) ** (s - 32)


@given(
    st.sampled_from(["SAME", "VALID"]),
    st.integers(1, 60),
    st.integers(1, 7),
    st.integers(1, 4),
    st.integers(1, 3),
)
def test_compute_padding_consistent(
    padding: str, size: int, k: int, stride: int, dilation: int
) -> None:
    eff = (k - 1) * dilation + 1
    assume(padding == "SAME" or size >= eff)
    (top, _, bottom, _), (out, _) = compute_padding(
        padding, (size, size), (k, k), (stride, stride), (dilation, dilation)
    )
    if padding == "SAME":
        assert out == -(-size // stride)
    else:
        assert out == (size - eff) // stride + 1
    assert bottom - top in (0, 1)
    # The padded extent yields exactly `out` windows (kernels derive it so).
    assert (size + top + bottom - eff) // stride + 1 == out


# ---------------------------------------------------------------------------
# Kernel strategies

i8 = st.integers(-128, 127)


def arrays_i8(shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.int8, shape, elements=i8)


@st.composite
def act_ranges(draw: st.DrawFn) -> tuple[int, int]:
    lo = draw(st.integers(-128, 0))
    return lo, draw(st.integers(lo, 127))


@st.composite
def conv_cases(draw: st.DrawFn, depthwise: bool) -> dict:
    n = draw(st.integers(1, 2))
    h, w = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    pad = tuple(draw(st.integers(0, 2)) for _ in range(4))
    assume(h + pad[0] + pad[2] >= (kh - 1) * dilation[0] + 1)
    assume(w + pad[1] + pad[3] >= (kw - 1) * dilation[1] + 1)
    if depthwise:
        c, dm = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        co, fshape = c * dm, (1, kh, kw, c * dm)
    else:
        groups, cf = draw(st.integers(1, 2)), draw(st.integers(1, 3))
        c, co = groups * cf, groups * draw(st.integers(1, 3))
        fshape, dm = (co, kh, kw, cf), 1
    act_min, act_max = draw(act_ranges())
    bias = draw(
        st.none() | hnp.arrays(np.int32, (co,), elements=st.integers(-9999, 9999))
    )
    return dict(
        input=draw(arrays_i8((n, h, w, c))),
        filter=draw(arrays_i8(fshape)),
        bias=bias,
        stride=stride,
        dilation=dilation,
        pad=pad,
        depth_multiplier=dm,
        input_zp=draw(i8),
        output_zp=draw(i8),
        multiplier=np.array(
            draw(st.lists(multipliers, min_size=co, max_size=co)), np.int32
        ),
        shift=np.array(draw(st.lists(shifts, min_size=co, max_size=co)), np.int32),
        act_min=act_min,
        act_max=act_max,
    )


def ref_conv(p: dict, depthwise: bool) -> np.ndarray:
    """Transcription of ConvPerChannel / DepthwiseConvPerChannel."""
    x, w, b = p["input"], p["filter"], p["bias"]
    n, h, wd, c = x.shape
    (sh, sw), (dh, dw) = p["stride"], p["dilation"]
    top, left, bottom, right = p["pad"]
    kh, kw = w.shape[1:3]
    co = w.shape[3] if depthwise else w.shape[0]
    oh = (h + top + bottom - (kh - 1) * dh - 1) // sh + 1
    ow = (wd + left + right - (kw - 1) * dw - 1) // sw + 1
    out = np.zeros((n, oh, ow, co), np.int8)
    cf = 1 if depthwise else w.shape[3]
    per_group = co if depthwise else co // (c // cf)
    for bi in range(n):
        for oy in range(oh):
            for ox in range(ow):
                for oc in range(co):
                    acc = 0
                    for ky in range(kh):
                        for kx in range(kw):
                            iy = oy * sh - top + ky * dh
                            ix = ox * sw - left + kx * dw
                            if not (0 <= iy < h and 0 <= ix < wd):
                                continue
                            if depthwise:
                                ic = oc // p["depth_multiplier"]
                                acc += int(w[0, ky, kx, oc]) * (
                                    int(x[bi, iy, ix, ic]) - p["input_zp"]
                                )
                                continue
                            g = oc // per_group
                            for i in range(cf):
                                acc += int(w[oc, ky, kx, i]) * (
                                    int(x[bi, iy, ix, g * cf + i]) - p["input_zp"]
                                )
                    if b is not None:
                        acc += int(b[oc])
                    v = ref_mbqm(acc, int(p["multiplier"][oc]), int(p["shift"][oc]))
                    out[bi, oy, ox, oc] = clamp(
                        v + p["output_zp"], p["act_min"], p["act_max"]
                    )
    return out


@given(conv_cases(depthwise=False))
def test_conv2d(p: dict) -> None:
    kw = {k: v for k, v in p.items() if k not in ("input", "filter", "bias")}
    kw.pop("depth_multiplier")
    got = K.conv2d(p["input"], p["filter"], p["bias"], **kw)
    np.testing.assert_array_equal(got, ref_conv(p, depthwise=False))


@given(conv_cases(depthwise=True))
def test_depthwise_conv2d(p: dict) -> None:
    kw = {k: v for k, v in p.items() if k not in ("input", "filter", "bias")}
    got = K.depthwise_conv2d(p["input"], p["filter"], p["bias"], **kw)
    np.testing.assert_array_equal(got, ref_conv(p, depthwise=True))


@st.composite
def fc_cases(draw: st.DrawFn) -> dict:
    lead = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)))
    k, co = draw(st.integers(1, 20)), draw(st.integers(1, 6))
    per_channel = draw(st.booleans())
    nm = co if per_channel else 1
    act_min, act_max = draw(act_ranges())
    return dict(
        input=draw(arrays_i8(lead + (k,))),
        filter=draw(arrays_i8((co, k))),
        bias=draw(
            st.none() | hnp.arrays(np.int32, (co,), elements=st.integers(-9999, 9999))
        ),
        input_zp=draw(i8),
        filter_zp=0 if per_channel else draw(st.integers(-10, 10)),
        output_zp=draw(i8),
        multiplier=np.array(
            draw(st.lists(multipliers, min_size=nm, max_size=nm)), np.int32
        ),
        shift=np.array(draw(st.lists(shifts, min_size=nm, max_size=nm)), np.int32),
        act_min=act_min,
        act_max=act_max,
    )


@given(fc_cases())
def test_fully_connected(p: dict) -> None:
    x, w, b = p["input"], p["filter"], p["bias"]
    co, k = w.shape
    rows = x.reshape(-1, k)
    want = np.zeros((rows.shape[0], co), np.int8)
    for r in range(rows.shape[0]):
        for oc in range(co):
            acc = sum(
                (int(w[oc, d]) - p["filter_zp"]) * (int(rows[r, d]) - p["input_zp"])
                for d in range(k)
            )
            acc += 0 if b is None else int(b[oc])
            i = oc if p["multiplier"].size > 1 else 0
            v = ref_mbqm_single(acc, int(p["multiplier"][i]), int(p["shift"][i]))
            want[r, oc] = clamp(v + p["output_zp"], p["act_min"], p["act_max"])
    kw = {k: v for k, v in p.items() if k not in ("input", "filter", "bias")}
    got = K.fully_connected(x, w, b, **kw)
    np.testing.assert_array_equal(got, want)


@st.composite
def pool_cases(draw: st.DrawFn) -> dict:
    n, h, w, c = (draw(st.integers(1, 5)) for _ in range(4))
    window = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    # Padding below the window size, as TFLite's SAME/VALID always produce.
    pad = (
        draw(st.integers(0, window[0] - 1)),
        draw(st.integers(0, window[1] - 1)),
        draw(st.integers(0, window[0] - 1)),
        draw(st.integers(0, window[1] - 1)),
    )
    assume(h + pad[0] + pad[2] >= window[0] and w + pad[1] + pad[3] >= window[1])
    # Every window must overlap the image.
    assume(pad[0] < window[0] and pad[1] < window[1])
    act_min, act_max = draw(act_ranges())
    return dict(
        input=draw(arrays_i8((n, h, w, c))),
        window=window,
        stride=stride,
        pad=pad,
        act_min=act_min,
        act_max=act_max,
    )


def ref_pool(p: dict, kind: str) -> np.ndarray:
    x = p["input"]
    n, h, w, c = x.shape
    (kh, kw), (sh, sw) = p["window"], p["stride"]
    top, left, bottom, right = p["pad"]
    oh = (h + top + bottom - kh) // sh + 1
    ow = (w + left + right - kw) // sw + 1
    out = np.zeros((n, oh, ow, c), np.int8)
    for bi in range(n):
        for oy in range(oh):
            for ox in range(ow):
                for ch in range(c):
                    vals = [
                        int(x[bi, iy, ix, ch])
                        for iy in range(oy * sh - top, oy * sh - top + kh)
                        for ix in range(ox * sw - left, ox * sw - left + kw)
                        if 0 <= iy < h and 0 <= ix < w
                    ]
                    if kind == "max":
                        v = max(vals)
                    else:  # round half away from zero, exactly
                        q = Fraction(sum(vals), len(vals))
                        v = math.floor(abs(q) + HALF) * (1 if q >= 0 else -1)
                    out[bi, oy, ox, ch] = clamp(v, p["act_min"], p["act_max"])
    return out


@given(pool_cases())
def test_avg_pool2d(p: dict) -> None:
    got = K.avg_pool2d(p["input"], **_pool_kw(p))
    np.testing.assert_array_equal(got, ref_pool(p, "avg"))


@given(pool_cases())
def test_max_pool2d(p: dict) -> None:
    got = K.max_pool2d(p["input"], **_pool_kw(p))
    np.testing.assert_array_equal(got, ref_pool(p, "max"))


def _pool_kw(p: dict) -> dict:
    return {k: v for k, v in p.items() if k != "input"}


@st.composite
def broadcast_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, max_side=4))
    sa = tuple(d if draw(st.booleans()) else 1 for d in shape)
    sb = tuple(d if draw(st.booleans()) else 1 for d in shape)
    sb = sb[draw(st.integers(0, len(sb) - 1)) :]
    return draw(arrays_i8(sa)), draw(arrays_i8(sb))


@st.composite
def add_params(draw: st.DrawFn) -> dict:
    # Realistic TFLite add/sub parameters (multipliers below one).
    act_min, act_max = draw(act_ranges())
    return dict(
        lhs_zp=draw(i8),
        rhs_zp=draw(i8),
        output_zp=draw(i8),
        left_shift=20,
        lhs_multiplier=draw(multipliers),
        lhs_shift=draw(st.integers(-8, 0)),
        rhs_multiplier=draw(multipliers),
        rhs_shift=draw(st.integers(-8, 0)),
        output_multiplier=draw(multipliers),
        output_shift=draw(st.integers(-24, -10)),
        act_min=act_min,
        act_max=act_max,
    )


def _ref_addsub(a: int, b: int, p: dict, sign: int) -> int:
    sa = ref_mbqm((a - p["lhs_zp"]) << 20, p["lhs_multiplier"], p["lhs_shift"])
    sb = ref_mbqm((b - p["rhs_zp"]) << 20, p["rhs_multiplier"], p["rhs_shift"])
    raw = wrap(sa + sign * sb)
    v = ref_mbqm(raw, p["output_multiplier"], p["output_shift"]) + p["output_zp"]
    return clamp(v, p["act_min"], p["act_max"])


@given(broadcast_pairs(), add_params(), st.sampled_from([1, -1]))
def test_add_sub(pair: tuple[np.ndarray, np.ndarray], p: dict, sign: int) -> None:
    a, b = pair
    fn = K.add if sign == 1 else K.sub
    got = fn(a, b, **p)
    ba, bb = np.broadcast_arrays(a, b)
    want = [
        _ref_addsub(int(x), int(y), p, sign)
        for x, y in zip(ba.flat, bb.flat, strict=True)
    ]
    assert got.shape == ba.shape
    assert got.reshape(-1).tolist() == want


@given(broadcast_pairs(), st.tuples(i8, i8, i8), multipliers, st.integers(-16, 0))
def test_mul(
    pair: tuple[np.ndarray, np.ndarray], zps: tuple[int, int, int], m: int, s: int
) -> None:
    a, b = pair
    za, zb, zo = zps
    got = K.mul(
        a,
        b,
        lhs_zp=za,
        rhs_zp=zb,
        output_zp=zo,
        output_multiplier=m,
        output_shift=s,
        act_min=-128,
        act_max=127,
    )
    ba, bb = np.broadcast_arrays(a, b)
    want = [
        clamp(ref_mbqm((int(x) - za) * (int(y) - zb), m, s) + zo, -128, 127)
        for x, y in zip(ba.flat, bb.flat, strict=True)
    ]
    assert got.reshape(-1).tolist() == want


@given(
    hnp.array_shapes(min_dims=1, max_dims=4, max_side=5).flatmap(
        lambda shape: st.tuples(
            arrays_i8(shape),
            st.sets(st.integers(0, len(shape) - 1), min_size=1),
        )
    ),
    st.tuples(i8, i8),
    st.floats(0.05, 20),
)
def test_mean(
    case: tuple[np.ndarray, set[int]], zps: tuple[int, int], ratio: float
) -> None:
    x, axes = case
    izp, ozp = zps
    m, s = quantize_multiplier(ratio)
    ax = tuple(sorted(axes))
    count = int(np.prod([x.shape[a] for a in ax]))
    m2, s2 = mean_readapted_multiplier(m, s, count)
    keep = tuple(a for a in range(x.ndim) if a not in axes)
    out_shape = tuple(x.shape[a] for a in keep)
    got = K.mean(
        x,
        axes=ax,
        input_zp=izp,
        output_zp=ozp,
        multiplier=m,
        shift=s,
        output_shape=out_shape,
    )
    want = np.zeros(out_shape, np.int8)
    moved = np.moveaxis(x, keep + ax, tuple(range(x.ndim))).reshape(out_shape + (-1,))
    for idx in np.ndindex(*out_shape):
        total = sum(int(v) for v in moved[idx]) - izp * count
        want[idx] = clamp(ref_mbqm(wrap(total), m2, s2) + ozp, -128, 127)
    np.testing.assert_array_equal(got, want)


def _softmax_row_reference(row: list[int], exp_lut: list[int]) -> list[int]:
    """TFLite's integer int8 softmax of one row on Python integers, built
    from Vela's independent gemmlowp helpers (ethosu.vela.fp_math)."""
    from ethosu.vela import fp_math as vfp

    def i32(v: int) -> int:
        v = int(v) & 0xFFFFFFFF
        return v - (1 << 32) if v >= 1 << 31 else v

    mx = max(row)
    exps = [i32(exp_lut[int(v) - mx + 255]) for v in row]
    total = i32(sum(int(vfp.rounding_divide_by_pot(e, 12)) for e in exps))
    u = total & 0xFFFFFFFF
    clz = 32 - u.bit_length()
    ssm1 = i32((u << clz) - (1 << 31))
    s = ssm1 + (1 << 31) - 1
    half = (s + 1) // 2 if s >= 0 else -((1 - s) // 2)

    def mul(a: int, b: int) -> int:
        return int(vfp.saturating_rounding_mul32(a, b))

    def pot(a: int, n: int) -> int:
        return int(vfp.saturating_rounding_multiply_by_pot(a, n))

    x = i32(1515870810 + mul(half, -1010580540))
    for _ in range(3):
        one_minus = i32((1 << 29) - mul(half, x))
        x = i32(x + pot(mul(x, one_minus), 2))
    recip = pot(x, 1)
    out = []
    for e in exps:
        p = mul(recip, e)  # Q0.31 product
        n = 12 - clz + 31 - 8
        q = (p + (1 << (n - 1))) >> n if p >= 0 else -((-p + (1 << (n - 1)) - 1) >> n)
        out.append(clamp(q - 128, -128, 127))
    return out


@given(
    hnp.array_shapes(min_dims=1, max_dims=3, max_side=6).flatmap(arrays_i8),
    st.floats(0.01, 1.0),
    st.sampled_from([1.0, 0.5, 2.0]),
)
def test_softmax(x: np.ndarray, input_scale: float, beta: float) -> None:
    from ethosu.vela.softmax import SoftMax

    input_scale = float(np.float32(input_scale))
    table = softmax_exp_table(input_scale, beta)
    # The int32 exponentials equal the table Vela builds for its NPU softmax.
    vela = SoftMax(None).generate_exp_table(beta, input_scale)
    assert table.tolist() == [v - (1 << 32) if v >= 1 << 31 else v for v in vela]
    got = K.softmax(x, exp_table=table, output_scale=1 / 256, output_zp=-128)
    want = np.zeros_like(x)
    for idx in np.ndindex(*x.shape[:-1]):
        want[idx] = _softmax_row_reference([int(v) for v in x[idx]], vela)
    np.testing.assert_array_equal(got, want)


@given(st.floats(0.001, 1.0), i8, hnp.arrays(np.int8, 17, elements=i8))
def test_logistic(scale: float, zp: int, x: np.ndarray) -> None:
    table = logistic_table(scale, zp, 1 / 256, -128)
    got = K.logistic(x, table=table)
    for v, o in zip(x.tolist(), got.tolist(), strict=True):
        assert o == table[v + 128]
        # The table holds clamp(round(256 * sigmoid(x)) - 128); allow one step
        # for float32 expf vs double exp at rounding ties.
        real = 1 / (1 + math.exp(-float(np.float32(scale)) * (v - zp)))
        assert abs(o - clamp(round_half_away(real * 256) - 128, -128, 127)) <= 1


@given(
    hnp.arrays(
        np.float32,
        st.integers(1, 30),
        elements=st.floats(width=32, allow_nan=True, allow_infinity=True),
    ),
    st.floats(1e-4, 10.0),
    i8,
)
def test_quantize_float(x: np.ndarray, scale: float, zp: int) -> None:
    got = K.quantize(x, scale=scale, zero_point=zp)
    sc = np.float32(scale)
    want = []
    for v in x.tolist():
        with np.errstate(over="ignore", invalid="ignore"):
            q = float(np.float32(np.float32(v) / sc))
        if math.isnan(q) or not -(2.0**31) <= q < 2.0**31:
            r = I32_MIN  # x86 cvttss2si on NaN / out of range
        else:
            r = round_half_away(q)
            r = I32_MIN if r >= 2**31 else r
        want.append(clamp(wrap(r + zp), -128, 127))
    assert got.tolist() == want


@given(
    hnp.arrays(np.int8, st.integers(1, 30), elements=i8), i8, i8, multipliers, shifts
)
def test_requantize(x: np.ndarray, izp: int, ozp: int, m: int, s: int) -> None:
    got = K.quantize(x, scale=1.0, zero_point=ozp, input_zp=izp, multiplier=m, shift=s)
    want = [clamp(ref_mbqm(int(v) - izp, m, s) + ozp, -128, 127) for v in x]
    assert got.tolist() == want


@given(hnp.arrays(np.int8, st.integers(1, 30), elements=i8), st.floats(1e-4, 10.0), i8)
def test_dequantize(x: np.ndarray, scale: float, zp: int) -> None:
    got = K.dequantize(x, scale=scale, zero_point=zp)
    s = float(np.float32(scale))
    assert got.tolist() == [float(np.float32(s * (int(v) - zp))) for v in x]


@given(
    hnp.array_shapes(min_dims=1, max_dims=4, max_side=4).flatmap(
        lambda shape: st.tuples(
            arrays_i8(shape),
            st.lists(
                st.integers(0, 2), min_size=2 * len(shape), max_size=2 * len(shape)
            ),
        )
    ),
    i8,
)
def test_pad(case: tuple[np.ndarray, list[int]], value: int) -> None:
    x, padding = case
    got = K.pad(x, padding=tuple(padding), pad_value=value)
    before, after = padding[0::2], padding[1::2]
    assert got.shape == tuple(
        d + b + a for d, b, a in zip(x.shape, before, after, strict=True)
    )
    for idx in np.ndindex(*got.shape):
        src = tuple(i - b for i, b in zip(idx, before, strict=True))
        inside = all(0 <= s < d for s, d in zip(src, x.shape, strict=True))
        assert got[idx] == (x[src] if inside else value)
