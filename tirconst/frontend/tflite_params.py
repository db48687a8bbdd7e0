"""Integer operator parameters, computed as TFLite's Prepare/Eval compute them.

:class:`Ctx` is one :class:`~tirconst.formats.tflite.reader.TFLiteOperator` being
read; each ``*_params(ctx)`` reader maps it to a plain dict whose keys are the
keyword arguments of the matching kernel in :mod:`tirconst.kernels` (and the
properties of the matching IR op), each ``*_scales(ctx)`` reader to the float32
scales the IR op carries. Which reader serves which TFLite operator is
:mod:`tirconst.frontend.operators`' table.
The numbers replicate the int8 paths that LiteRT's ``BUILTIN_REF`` resolver
runs (verified bit-exactly against LiteRT, see ``tests/test_tflite_litert.py``).

Conventions: multipliers/shifts follow ``QuantizeMultiplier`` (shift > 0 is a
left shift); ``act_min``/``act_max`` are in the output's quantised domain;
2-D ``pad`` is ``(top, left, bottom, right)``; per-channel arrays are np.int32.
"""

from __future__ import annotations

import ctypes
import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from tirconst.dialects.tir.quantization import (
    add_sub_integers,
    conv_multipliers,
    mul_integers,
    quantize_multiplier,
    quantize_multiplier_smaller_than_one_exp,
    rescale_integers,
    round_half_away,
)
from tirconst.formats.tflite.reader import (
    TFLiteImportError,
    TFLiteModel,
    TFLiteOperator,
    TFLiteTensor,
)
from tirconst.kernels.fixedpoint import (
    exp_on_negative_values,
    saturating_rounding_doubling_high_mul,
    wrap_int32,
)

__all__ = [
    "Ctx",
    "quantize_multiplier",
    "quantize_multiplier_smaller_than_one_exp",
    "calculate_activation_range_quantized",
    "compute_padding",
    "softmax_exp_table",
    "logistic_table",
    "lut_table",
    "tanh_table",
    "exp_table",
    "log_table",
    "gelu_table",
    "elu_table",
]

INT8_MIN = -128
INT8_MAX = 127


# --------------------------------------------------------------------------
# quantization_util.cc / kernel_util.cc helpers


def calculate_activation_range_quantized(
    activation: str,
    scale: float,
    zero_point: int,
    qmin: int = INT8_MIN,
    qmax: int = INT8_MAX,
) -> tuple[int, int]:
    """Mirror of ``tflite::CalculateActivationRangeQuantized``.

    ``quantize(f) = zero_point + (int)round(f / scale)`` in float32 for the
    fused activation's real bounds (0, 6, -1, 1), intersected with
    ``[qmin, qmax]``.
    """

    def q(f: float) -> int:
        v = float(np.float32(f) / np.float32(scale))
        return int(zero_point) + int(round_half_away(v))

    if activation == "NONE":
        return qmin, qmax
    if activation == "RELU":
        return max(qmin, q(0.0)), qmax
    if activation == "RELU6":
        return max(qmin, q(0.0)), min(qmax, q(6.0))
    if activation == "RELU_N1_TO_1":
        return max(qmin, q(-1.0)), min(qmax, q(1.0))
    raise ValueError(f"unsupported fused activation {activation}")


def compute_padding(
    padding: str,
    in_hw: tuple[int, int],
    filter_hw: tuple[int, int],
    stride: tuple[int, int],
    dilation: tuple[int, int] = (1, 1),
) -> tuple[tuple[int, int, int, int], tuple[int, int]]:
    """Mirror of ``tflite::ComputePaddingHeightWidth``.

    Returns ``((top, left, bottom, right), (out_h, out_w))``. TFLite keeps the
    top/left padding and an ``offset`` (odd total padding goes to the
    bottom/right); the reference kernels realise bottom/right implicitly by
    clipping windows to the image, which is ``bottom = top + offset``.
    """
    out: list[int] = []
    before: list[int] = []
    after: list[int] = []
    for size, k, s, d in zip(in_hw, filter_hw, stride, dilation, strict=True):
        eff = (k - 1) * d + 1
        if s <= 0:
            raise ValueError("stride must be positive")
        if padding == "SAME":
            o = (size + s - 1) // s
        elif padding == "VALID":
            o = (size + s - eff) // s
        else:
            raise ValueError(f"unsupported padding {padding}")
        total = max((o - 1) * s + eff - size, 0)
        out.append(o)
        before.append(total // 2)
        after.append(total // 2 + total % 2)
    return (before[0], before[1], after[0], after[1]), (out[0], out[1])


# --------------------------------------------------------------------------
# Lookup tables (activations.cc)


@functools.cache
def _libm() -> ctypes.CDLL | None:
    """glibc's libm, found once and when first needed (`find_library` runs
    ldconfig: 16 ms at every import otherwise; importing it, subprocess)."""
    import ctypes.util

    lib = ctypes.util.find_library("m")
    try:
        return ctypes.CDLL(lib) if lib else None
    except OSError:
        return None


@functools.cache
def _libm_function(name: str, ctype: type) -> Callable[[float], float] | None:
    libm = _libm()
    fn = getattr(libm, name, None) if libm is not None else None
    if fn is None:
        return None
    fn.restype = ctype
    fn.argtypes = [ctype]
    return fn


def _libm_float(name: str, fallback: Callable[[np.ndarray], np.ndarray]):  # type: ignore[no-untyped-def]
    """glibc's float32 function `name` (expf, tanhf, ...) on arrays: LiteRT
    calls it, and numpy's float32 versions may differ by an ulp."""

    def apply(a: np.ndarray) -> np.ndarray:
        a = np.asarray(a, np.float32)
        fn = _libm_function(name, ctypes.c_float)
        if fn is None:
            return fallback(a).astype(np.float32)
        return np.array([fn(float(v)) for v in a.ravel()], np.float32).reshape(a.shape)

    return apply


_expf = _libm_float("expf", np.exp)
_tanhf = _libm_float("tanhf", np.tanh)
_erff = _libm_float("erff", np.vectorize(math.erf, otypes=[np.float64]))
_logf = _libm_float("logf", np.log)
_expm1f = _libm_float("expm1f", np.expm1)


def softmax_exp_table(input_scale: float, beta: float) -> np.ndarray:
    """The int32 exponentials of TFLite's integer int8 softmax (what LiteRT's
    reference kernel computes per element; also the table Vela's NPU softmax
    looks up): ``table[i]`` = exp(beta · input_scale · (i − 255)) in Q0.31
    for the difference ``d = i − 255`` to the row maximum.

    ``PreprocessSoftmaxScaling``: the multiplier of beta · input_scale · 2^26
    (capped at 2^31 − 1, quantized greater than one: left shift ``e``), the
    difference rescaled to Q5.26 by ``SRDHM(d · 2^e, multiplier)``, then
    gemmlowp's ``exp_on_negative_values``; differences below
    ``diff_min = −floor(31 · 2^26 / 2^e)`` (``CalculateInputRadius``) give 0.
    """
    real = min(float(beta) * float(input_scale) * float(1 << 26), float((1 << 31) - 1))
    multiplier, left_shift = quantize_multiplier(real)
    if left_shift < 0:
        raise ValueError(
            f"softmax beta * input scale {real / (1 << 26)} is below 2^-26"
        )
    diff_min = -math.floor(31.0 * (1 << 26) / (1 << left_shift))
    diff = np.arange(-255, 1, dtype=np.int64)
    scaled = saturating_rounding_doubling_high_mul(
        wrap_int32(diff << left_shift), multiplier
    )
    table = exp_on_negative_values(scaled, 5)
    return np.where(diff >= diff_min, table, 0).astype(np.int32)


def _libm_double(name: str, fallback: Callable[[float], float]):  # type: ignore[no-untyped-def]
    """glibc's double function `name` (exp, ...) on one value: LiteRT's
    tables call it, and numpy's vectorized versions may differ by an ulp."""

    def apply(v: float) -> float:
        fn = _libm_function(name, ctypes.c_double)
        return float(fn(float(v))) if fn is not None else fallback(v)

    return apply


_exp = _libm_double("exp", math.exp)


def int16_lut(func: Callable[[float], float], lo: float, hi: float) -> np.ndarray:
    """LiteRT's ``gen_lut<double, int16_t, int16_t>(func, lo, hi, -1, 1)``:
    513 int16 entries for int16 inputs over [lo, hi] (512 steps, the last
    entry only for the slope), outputs over [-1, 1] scaled by 32768. Each
    sample is round(func · 32768) minus half its midpoint error (the linear
    interpolation between it and the next sample against func at the
    midpoint, rounded), clamped to int16; every step in double, ``round``
    half away from zero."""
    steps = 512
    step = (hi - lo) / steps
    half = step / 2
    scale = 65536.0 / 2.0
    out = np.empty(steps + 1, np.int16)
    for i in range(steps):
        val = func(lo + i * step)
        mid = func(lo + i * step + half)
        nxt = func(lo + (i + 1) * step)
        sample = round_half_away(val * scale)
        interp = round_half_away((nxt * scale + round_half_away(val * scale)) / 2)
        bias = round_half_away((interp - round_half_away(mid * scale)) / 2)
        out[i] = min(max(sample - bias, -32768.0), 32767.0)
    out[steps] = min(max(round_half_away(func(hi) * scale), -32768.0), 32767.0)
    return out


@functools.cache
def _softmax_int16_tables() -> bytes:
    exp_lut = int16_lut(_exp, -10.0, 0.0)
    recip_lut = int16_lut(lambda v: 1.0 / (1.0 + v), 0.0, 1.0)
    return np.concatenate([exp_lut, recip_lut]).tobytes()


def softmax_int16_tables() -> np.ndarray:
    """The int16 SOFTMAX's two tables (SoftmaxPrepare), one after the other:
    exp on [-10, 0] and 1 / (1 + x) on [0, 1], 513 entries each
    (:func:`int16_lut`)."""
    return np.frombuffer(_softmax_int16_tables(), np.int16).copy()


def lut_table(
    transform: Callable[[np.ndarray], np.ndarray],
    input_scale: float,
    input_zp: int,
    output_scale: float,
    output_zp: int,
) -> np.ndarray:
    """Mirror of ``LUTPopulate<int8_t>`` for a float32 function `transform`.

    Returns int8[256], ``table[i]`` = output for input value ``i - 128``:
    ``clamp((int)(round(transform(input_scale * (v - input_zp)) * (1 /
    output_scale)) + output_zp))`` with every step in float32.
    """
    v = np.arange(-128, 128, dtype=np.int32)
    deq = np.float32(input_scale) * (v - int(input_zp)).astype(np.float32)
    inv = np.float32(1.0) / np.float32(output_scale)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        t = np.asarray(transform(deq), np.float32) * inv
        r = np.trunc(t)
        r = np.where(np.abs(t - r) >= 0.5, r + np.sign(t), r).astype(np.float32)
        # Clamped as a float: a value past the integers (EXP's 4e19) is 127,
        # as LiteRT gives; NaN (LOG of 0 or less) is -128, as LiteRT's float
        # -> int conversion gives on x86.
        q = np.clip(r + np.float32(output_zp), INT8_MIN, INT8_MAX)
    return np.where(np.isnan(q), INT8_MIN, q).astype(np.int8)


def logistic_table(
    input_scale: float, input_zp: int, output_scale: float, output_zp: int
) -> np.ndarray:
    """LOGISTIC's table: :func:`lut_table` of ``1 / (1 + expf(-x))``."""

    def sigmoid(x: np.ndarray) -> np.ndarray:
        return np.float32(1.0) / (np.float32(1.0) + _expf(-x))

    return lut_table(sigmoid, input_scale, input_zp, output_scale, output_zp)


def exp_table(
    input_scale: float, input_zp: int, output_scale: float, output_zp: int
) -> np.ndarray:
    """EXP's table (exp.cc): :func:`lut_table` of ``expf``."""
    return lut_table(_expf, input_scale, input_zp, output_scale, output_zp)


def log_table(
    input_scale: float, input_zp: int, output_scale: float, output_zp: int
) -> np.ndarray:
    """LOG's table: :func:`lut_table` of ``logf``."""
    return lut_table(_logf, input_scale, input_zp, output_scale, output_zp)


def gelu_table(
    input_scale: float,
    input_zp: int,
    output_scale: float,
    output_zp: int,
    approximate: bool,
) -> np.ndarray:
    """GELU's table (GeluPrepare, reference_ops::GeluTransform[Approximate]),
    float32 throughout: ``0.5 * x * (1 + erff(x * float(1/sqrt 2)))``, or
    with `approximate` ``0.5 * x * (1 + tanhf(float(sqrt(2/pi)) * (x +
    0.044715 * x * x * x)))``."""
    f = np.float32
    half, one = f(0.5), f(1.0)

    def exact(x: np.ndarray) -> np.ndarray:
        return half * x * (one + _erff(x * f(math.sqrt(0.5))))

    def approx(x: np.ndarray) -> np.ndarray:
        k = f(2.0 / math.sqrt(math.pi) * math.sqrt(0.5))
        return half * x * (one + _tanhf(k * (x + f(0.044715) * x * x * x)))

    fn = approx if approximate else exact
    return lut_table(fn, input_scale, input_zp, output_scale, output_zp)


def elu_table(
    input_scale: float, input_zp: int, output_scale: float, output_zp: int
) -> np.ndarray:
    """ELU's table (EluPrepare, activations.cc): :func:`lut_table` of
    ``x < 0 ? expm1f(x) : x``."""

    def elu(x: np.ndarray) -> np.ndarray:
        return np.where(x < 0, _expm1f(x), x).astype(np.float32)

    return lut_table(elu, input_scale, input_zp, output_scale, output_zp)


def tanh_table(
    input_scale: float, input_zp: int, output_scale: float, output_zp: int
) -> np.ndarray:
    """TANH's table: :func:`lut_table` of ``tanhf``."""
    return lut_table(_tanhf, input_scale, input_zp, output_scale, output_zp)


# --------------------------------------------------------------------------
# Per-operator parameters


class Ctx:
    """One operator being converted; produces uniform error messages."""

    def __init__(self, model: TFLiteModel, op: TFLiteOperator) -> None:
        self.model = model
        self.op = op

    def fail(self, msg: str, tensor: TFLiteTensor | None = None) -> TFLiteImportError:
        where = f"operator {self.op.index} ({self.op.opcode})"
        if tensor is not None:
            where += f", tensor {tensor.index} '{tensor.name}'"
        return TFLiteImportError(f"{where}: {msg}")

    def optional_input(self, i: int) -> TFLiteTensor | None:
        if i >= len(self.op.inputs) or self.op.inputs[i] < 0:
            return None
        return self.model.tensors[self.op.inputs[i]]

    def input(self, i: int) -> TFLiteTensor:
        t = self.optional_input(i)
        if t is None:
            raise self.fail(f"missing input {i}")
        return t

    def output(self, i: int = 0) -> TFLiteTensor:
        if i >= len(self.op.outputs) or self.op.outputs[i] < 0:
            raise self.fail(f"missing output {i}")
        return self.model.tensors[self.op.outputs[i]]

    def int8(self, t: TFLiteTensor, what: str) -> tuple[float, int]:
        """(scale, zero point) of a per-tensor quantised int8 tensor."""
        if t.dtype != np.int8:
            raise self.fail(f"{what} must be int8, got {t.dtype}", t)
        q = t.quantization
        if q is None:
            raise self.fail(f"{what} has no quantization parameters", t)
        if q.per_axis or q.zero_points.size > 1:
            raise self.fail(
                f"{what} has per-axis quantization (axis {q.quantized_dimension}); "
                "only per-tensor is supported here",
                t,
            )
        if not q.scale > 0 or not math.isfinite(q.scale):
            raise self.fail(f"{what} has invalid scale {q.scale}", t)
        return q.scale, q.zero_point

    def int16(self, t: TFLiteTensor, what: str) -> tuple[float, int]:
        """(scale, 0) of a per-tensor quantised int16 tensor: TFLite's 16x8
        kernels require the zero point 0."""
        if t.dtype != np.int16:
            raise self.fail(f"{what} must be int16, got {t.dtype}", t)
        q = t.quantization
        if q is None:
            raise self.fail(f"{what} has no quantization parameters", t)
        if q.per_axis or q.zero_points.size > 1:
            raise self.fail(f"{what} has per-axis quantization", t)
        if not q.scale > 0 or not math.isfinite(q.scale):
            raise self.fail(f"{what} has invalid scale {q.scale}", t)
        if q.zero_point != 0:
            raise self.fail(
                f"{what} is int16 with zero point {q.zero_point}; TFLite's int16 "
                "kernels require 0",
                t,
            )
        return q.scale, 0

    def feature_map(self, t: TFLiteTensor, what: str) -> tuple[float, int]:
        """(scale, zero point) of an int8 tensor or (16x8) int16 one."""
        return self.int16(t, what) if t.dtype == np.int16 else self.int8(t, what)

    def feature_maps(
        self, x: TFLiteTensor, y: TFLiteTensor
    ) -> tuple[float, int, float, int]:
        """Input and output (scale, zero point) of an operator on int8 data,
        or on int16 data in and out (its 16x8 form)."""
        in_s, in_zp = self.feature_map(x, "input")
        if x.dtype == np.int16 and y.dtype != np.int16:
            raise self.fail(f"output must be int16 as the input, got {y.dtype}", y)
        out_s, out_zp = self.feature_map(y, "output")
        if y.dtype == np.int16 and x.dtype != np.int16:
            raise self.fail(f"input must be int16 as the output, got {x.dtype}", x)
        return in_s, in_zp, out_s, out_zp

    def const(self, t: TFLiteTensor, what: str) -> np.ndarray:
        if t.data is None:
            raise self.fail(f"{what} must be a constant tensor", t)
        return t.data

    def activation(
        self, scale: float, zp: int, dtype: np.dtype | None = None
    ) -> tuple[int, int]:
        """The fused activation's clamp in the output's quantized domain
        (int8, or int16 when `dtype` is)."""
        act = self.op.options.get("fused_activation", "NONE")
        info = np.iinfo(np.int8 if dtype is None else dtype)
        try:
            return calculate_activation_range_quantized(
                act, scale, zp, int(info.min), int(info.max)
            )
        except ValueError:
            raise self.fail(f"unsupported fused activation {act}") from None

    def check_shape(self, t: TFLiteTensor, expected: tuple[int, ...]) -> None:
        if tuple(t.shape) != tuple(expected):
            raise self.fail(f"shape {list(t.shape)} but expected {list(expected)}", t)


def _filter_scales(ctx: Ctx, f: TFLiteTensor, axis: int, channels: int) -> np.ndarray:
    """Per-channel filter scales (broadcasting a per-tensor scale), zp == 0."""
    if f.dtype != np.int8:
        raise ctx.fail(f"filter must be int8, got {f.dtype}", f)
    q = f.quantization
    if q is None:
        raise ctx.fail("filter has no quantization parameters", f)
    if q.per_axis:
        if q.quantized_dimension != axis:
            raise ctx.fail(
                f"filter is quantized per axis {q.quantized_dimension}; only axis "
                f"{axis} is supported",
                f,
            )
        if q.scales.size != channels:
            raise ctx.fail(
                f"filter has {q.scales.size} scales for {channels} channels", f
            )
    if np.any(q.zero_points != 0):
        raise ctx.fail("filter zero points must be 0 (symmetric int8 weights)", f)
    return np.broadcast_to(q.scales.astype(np.float32), (channels,))


def _bias(ctx: Ctx, idx: int, channels: int, dtype: type = np.int32) -> None:
    """The optional constant bias: int32, int64 for the 16x8 kernels."""
    b = ctx.optional_input(idx)
    if b is None:
        return
    if b.dtype != dtype:
        raise ctx.fail(f"bias must be {np.dtype(dtype)}, got {b.dtype}", b)
    ctx.const(b, "bias")
    if b.shape != (channels,):
        raise ctx.fail(f"bias has shape {list(b.shape)}, expected [{channels}]", b)


def _conv_common(ctx: Ctx, depthwise: bool) -> dict[str, Any]:
    x, f, y = ctx.input(0), ctx.input(1), ctx.output()
    in_s, in_zp, out_s, out_zp = ctx.feature_maps(x, y)
    ctx.const(f, "filter")
    if len(x.shape) != 4 or len(f.shape) != 4:
        raise ctx.fail(
            f"expects 4-D input and filter, got {list(x.shape)}, {list(f.shape)}"
        )
    co = f.shape[3] if depthwise else f.shape[0]
    scales = _filter_scales(ctx, f, 3 if depthwise else 0, co)
    _bias(ctx, 2, co, _bias_dtype(x))
    o = ctx.op.options
    stride = o.get("stride", (1, 1))
    dilation = o.get("dilation", (1, 1))
    pad, (oh, ow) = compute_padding(
        o.get("padding", "VALID"), x.shape[1:3], f.shape[1:3], stride, dilation
    )
    if depthwise:
        dm = int(o.get("depth_multiplier", 1))
        if f.shape[0] != 1 or dm <= 0 or x.shape[3] * dm != co:
            # TFLite derives the multiplier from the shapes when they disagree
            # with the option (depthwise_conv.cc), so do the same.
            if f.shape[0] != 1 or co % x.shape[3]:
                raise ctx.fail(
                    f"filter {list(f.shape)} does not match input depth {x.shape[3]}", f
                )
            dm = co // x.shape[3]
    elif x.shape[3] % f.shape[3] or co % (x.shape[3] // f.shape[3]):
        raise ctx.fail(
            f"filter {list(f.shape)} does not match input depth {x.shape[3]}", f
        )
    ctx.check_shape(y, (x.shape[0], oh, ow, co))
    mult, shift = conv_multipliers(in_s, scales, out_s)
    act_min, act_max = ctx.activation(out_s, out_zp, y.dtype)
    p: dict[str, Any] = {
        "stride": tuple(int(s) for s in stride),
        "dilation": tuple(int(d) for d in dilation),
        "pad": pad,
    }
    if depthwise:
        p["depth_multiplier"] = dm
    p.update(
        input_zp=in_zp,
        output_zp=out_zp,
        multiplier=mult,
        shift=shift,
        act_min=act_min,
        act_max=act_max,
    )
    return p


def _bias_dtype(x: TFLiteTensor) -> type:
    """The bias type of a weighted operator on `x`: int64 for int16 input
    (the 16x8 kernels; LiteRT's int32-bias variant is not imported)."""
    return np.int64 if x.dtype == np.int16 else np.int32


def conv2d_params(ctx: Ctx) -> dict[str, Any]:
    return _conv_common(ctx, depthwise=False)


def depthwise_params(ctx: Ctx) -> dict[str, Any]:
    return _conv_common(ctx, depthwise=True)


def transpose_conv_params(ctx: Ctx) -> dict[str, Any]:
    """TRANSPOSE_CONV(output_shape, weights, input, bias?) int8
    (transpose_conv.cc Prepare): per-channel multipliers as CONV_2D's, the
    padding computed from the output size as a convolution's (its top/left
    is the output window's offset)."""
    f, x, y = ctx.input(1), ctx.input(2), ctx.output()
    in_s, in_zp = ctx.int8(x, "input")
    out_s, out_zp = ctx.int8(y, "output")
    ctx.const(f, "filter")
    if len(x.shape) != 4 or len(f.shape) != 4:
        raise ctx.fail(
            f"expects 4-D input and filter, got {list(x.shape)}, {list(f.shape)}"
        )
    co = f.shape[0]
    scales = _filter_scales(ctx, f, 0, co)
    _bias(ctx, 3, co)
    if f.shape[3] != x.shape[3]:
        raise ctx.fail(f"filter {list(f.shape)} does not match input depth", f)
    shape = [int(v) for v in np.asarray(ctx.const(ctx.input(0), "output_shape"))]
    ctx.check_shape(y, tuple(shape))
    if shape[0] != x.shape[0] or shape[3] != co:
        raise ctx.fail(f"output shape {shape} does not fit the input and filter", y)
    o = ctx.op.options
    stride = o.get("stride", (1, 1))
    (top, left, _, _), (ih, iw) = compute_padding(
        o.get("padding", "VALID"), tuple(shape[1:3]), f.shape[1:3], stride
    )
    if (ih, iw) != tuple(x.shape[1:3]):
        raise ctx.fail(
            f"input {list(x.shape)} is not what a convolution of the output "
            f"{shape} gives ({ih}x{iw})",
            x,
        )
    mult, shift = conv_multipliers(in_s, scales, out_s)
    act_min, act_max = ctx.activation(out_s, out_zp)
    return {
        "stride": tuple(int(s) for s in stride),
        "pad": (top, left),
        "input_zp": in_zp,
        "output_zp": out_zp,
        "multiplier": mult,
        "shift": shift,
        "act_min": act_min,
        "act_max": act_max,
    }


def transpose_conv_scales(ctx: Ctx) -> dict[str, Any]:
    """Input, per-channel filter and output scales of TRANSPOSE_CONV."""
    f = ctx.input(1)
    assert f.quantization is not None
    fs = f.quantization.scales.astype(np.float32).reshape(-1)
    return {
        "input_scale": _scale(ctx, ctx.input(2)),
        "filter_scales": np.ascontiguousarray(np.broadcast_to(fs, (f.shape[0],))),
        "output_scale": _scale(ctx, ctx.output()),
    }


def fully_connected_params(ctx: Ctx) -> dict[str, Any]:
    x, f, y = ctx.input(0), ctx.input(1), ctx.output()
    in_s, in_zp, out_s, out_zp = ctx.feature_maps(x, y)
    ctx.const(f, "filter")
    if ctx.op.options.get("weights_format", 0) != 0:
        raise ctx.fail("shuffled FULLY_CONNECTED weights are not supported", f)
    if len(f.shape) != 2:
        raise ctx.fail(f"filter must be 2-D, got {list(f.shape)}", f)
    co, k = f.shape
    if f.dtype != np.int8 or f.quantization is None:
        raise ctx.fail("filter must be quantized int8", f)
    fq = f.quantization
    _bias(ctx, 2, co, _bias_dtype(x))
    n = int(np.prod(x.shape, dtype=np.int64))
    if k == 0 or n % k:
        raise ctx.fail(f"input size {n} is not a multiple of the filter depth {k}", x)
    if int(np.prod(y.shape, dtype=np.int64)) != n // k * co or y.shape[-1:] != (co,):
        raise ctx.fail(
            f"output shape {list(y.shape)} does not match [{n // k}, {co}]", y
        )
    if fq.per_axis:
        scales = _filter_scales(ctx, f, 0, co)
        filter_zp = 0
    else:
        # GetQuantizedConvolutionMultipler; the double product matches LiteRT.
        scales = fq.scales.astype(np.float32)
        filter_zp = fq.zero_point
    if x.dtype == np.int16 and filter_zp != 0:
        raise ctx.fail("a 16x8 FULLY_CONNECTED needs filter zero point 0", f)
    mult, shift = conv_multipliers(in_s, scales, out_s)
    if int(shift.max()) > 30:
        # The single-rounding requantisation FULLY_CONNECTED uses cannot
        # express it (TFLITE_SINGLE_ROUNDING builds clamp it).
        raise ctx.fail(f"effective output scale too large (shift {int(shift.max())})")
    act_min, act_max = ctx.activation(out_s, out_zp, y.dtype)
    return {
        "input_zp": in_zp,
        "filter_zp": filter_zp,
        "output_zp": out_zp,
        "multiplier": mult,
        "shift": shift,
        "act_min": act_min,
        "act_max": act_max,
        "output_shape": tuple(y.shape),
    }


def pool_params(ctx: Ctx) -> dict[str, Any]:
    x, y = ctx.input(0), ctx.output()
    _, _, out_s, out_zp = ctx.feature_maps(x, y)
    if len(x.shape) != 4:
        raise ctx.fail(f"expects a 4-D input, got {list(x.shape)}", x)
    o = ctx.op.options
    window = o.get("filter_size", (1, 1))
    stride = o.get("stride", (1, 1))
    pad, (oh, ow) = compute_padding(
        o.get("padding", "VALID"), x.shape[1:3], window, stride
    )
    ctx.check_shape(y, (x.shape[0], oh, ow, x.shape[3]))
    act_min, act_max = ctx.activation(out_s, out_zp, y.dtype)
    return {
        "window": tuple(int(v) for v in window),
        "stride": tuple(int(v) for v in stride),
        "pad": pad,
        "act_min": act_min,
        "act_max": act_max,
    }


def add_sub_params(ctx: Ctx) -> dict[str, Any]:
    a, b, y = ctx.input(0), ctx.input(1), ctx.output()
    a_s, a_zp = ctx.int8(a, "lhs")
    b_s, b_zp = ctx.int8(b, "rhs")
    out_s, out_zp = ctx.int8(y, "output")
    _check_broadcast(ctx, a, b, y)
    try:
        integers = add_sub_integers(a_s, b_s, out_s)
    except ValueError as e:  # TFLite fails Prepare with a CHECK here
        raise ctx.fail(f"unsupported scales: {e}", y) from None
    act_min, act_max = ctx.activation(out_s, out_zp)
    return {
        "lhs_zp": a_zp,
        "rhs_zp": b_zp,
        "output_zp": out_zp,
        **integers,
        "act_min": act_min,
        "act_max": act_max,
    }


def _check_broadcast(
    ctx: Ctx, a: TFLiteTensor, b: TFLiteTensor, y: TFLiteTensor
) -> None:
    try:
        shape = np.broadcast_shapes(tuple(a.shape), tuple(b.shape))
    except ValueError:
        raise ctx.fail(
            f"shapes {list(a.shape)} and {list(b.shape)} do not broadcast"
        ) from None
    ctx.check_shape(y, shape)


def mul_params(ctx: Ctx) -> dict[str, Any]:
    a, b, y = ctx.input(0), ctx.input(1), ctx.output()
    a_s, a_zp = ctx.int8(a, "lhs")
    b_s, b_zp = ctx.int8(b, "rhs")
    out_s, out_zp = ctx.int8(y, "output")
    _check_broadcast(ctx, a, b, y)
    integers = mul_integers(a_s, b_s, out_s)
    act_min, act_max = ctx.activation(out_s, out_zp)
    return {
        "lhs_zp": a_zp,
        "rhs_zp": b_zp,
        "output_zp": out_zp,
        **integers,
        "act_min": act_min,
        "act_max": act_max,
    }


def pad_params(ctx: Ctx) -> dict[str, Any]:
    x, pads_t, y = ctx.input(0), ctx.input(1), ctx.output()
    ctx.int8(x, "input")
    _, out_zp = ctx.int8(y, "output")
    pads = np.asarray(ctx.const(pads_t, "paddings"), dtype=np.int64)
    if pads.shape != (len(x.shape), 2):
        raise ctx.fail(
            f"paddings shape {list(pads.shape)} for a rank-{len(x.shape)} input"
        )
    if (pads < 0).any():
        raise ctx.fail("negative paddings are not supported", pads_t)
    ctx.check_shape(
        y, tuple(int(d + p0 + p1) for d, (p0, p1) in zip(x.shape, pads, strict=True))
    )
    # pad.cc: without a constant_values input the fill is the output zero point.
    return {"padding": tuple(int(v) for v in pads.reshape(-1)), "pad_value": out_zp}


def mean_params(ctx: Ctx) -> dict[str, Any]:
    x, axes_t, y = ctx.input(0), ctx.input(1), ctx.output()
    in_s, in_zp, out_s, out_zp = ctx.feature_maps(x, y)
    rank = len(x.shape)
    axes_raw = np.asarray(ctx.const(axes_t, "axis"), dtype=np.int64).reshape(-1)
    if any(not -rank <= a < rank for a in axes_raw):
        raise ctx.fail(f"axis {axes_raw.tolist()} out of range for rank {rank}", axes_t)
    axes = tuple(sorted({int(a) % rank for a in axes_raw}))
    keep = bool(ctx.op.options.get("keep_dims", False))
    expected = tuple(
        1 if i in axes else d for i, d in enumerate(x.shape) if keep or i not in axes
    )
    ctx.check_shape(y, expected)
    m, s = rescale_integers(in_s, out_s)
    return {
        "axes": axes,
        "input_zp": in_zp,
        "output_zp": out_zp,
        "multiplier": m,
        "shift": s,
        "output_shape": tuple(y.shape),
    }


def reshape_params(ctx: Ctx) -> dict[str, Any]:
    x, y = ctx.input(0), ctx.output()
    if x.dtype != y.dtype:
        raise ctx.fail(f"input {x.dtype} and output {y.dtype} differ", y)
    if int(np.prod(x.shape, dtype=np.int64)) != int(np.prod(y.shape, dtype=np.int64)):
        raise ctx.fail(f"cannot reshape {list(x.shape)} to {list(y.shape)}", y)
    return {"output_shape": tuple(y.shape)}


def softmax_params(ctx: Ctx) -> dict[str, Any]:
    x, y = ctx.input(0), ctx.output()
    if x.dtype == np.int16 or y.dtype == np.int16:
        return _softmax_int16_params(ctx)
    in_s, _ = ctx.int8(x, "input")
    out_s, out_zp = ctx.int8(y, "output")
    ctx.check_shape(y, tuple(x.shape))
    # SoftmaxPrepare's int8 requirements.
    if out_zp != -128 or abs(out_s - 1 / 256) > 0.001 / 256:
        raise ctx.fail(
            f"int8 softmax output must have scale 1/256 and zero point -128, got "
            f"{out_s} / {out_zp}",
            y,
        )
    beta = float(ctx.op.options.get("beta", 1.0))
    try:  # TFLite fails Prepare with a CHECK here
        table = softmax_exp_table(in_s, beta)
    except ValueError as e:
        raise ctx.fail(str(e), x) from None
    return {
        "exp_table": table,
        "output_scale": float(np.float32(out_s)),
        "output_zp": out_zp,
    }


def _softmax_int16_params(ctx: Ctx) -> dict[str, Any]:
    """SoftmaxPrepare for int16 in and out (zero points 0): the two tables
    (:func:`softmax_int16_tables`) and QuantizeMultiplier of input_scale ·
    beta (a float product) / (10 / 65535), which maps a difference of
    -65535 to -10.0 at the exp table's input."""
    x, y = ctx.input(0), ctx.output()
    in_s, _, _, _ = ctx.feature_maps(x, y)
    ctx.check_shape(y, tuple(x.shape))
    if not 1 <= len(x.shape) <= 4:
        raise ctx.fail(f"int16 softmax takes 1 to 4 dimensions, got {len(x.shape)}", x)
    beta = np.float32(ctx.op.options.get("beta", 1.0))
    real = float(np.float32(in_s) * beta) / (10.0 / 65535.0)
    if not real > 0 or not math.isfinite(real):
        raise ctx.fail(f"input scale times beta {real} gives no multiplier", x)
    multiplier, shift = quantize_multiplier(real)
    if not -31 <= shift <= 30:
        raise ctx.fail(f"input scale times beta {real} is out of range", x)
    return {
        "exp_table": softmax_int16_tables(),
        "input_multiplier": multiplier,
        "input_left_shift": shift,
    }


def logistic_params(ctx: Ctx) -> dict[str, Any]:
    x, y = ctx.input(0), ctx.output()
    in_s, in_zp = ctx.int8(x, "input")
    out_s, out_zp = ctx.int8(y, "output")
    ctx.check_shape(y, tuple(x.shape))
    return {"table": logistic_table(in_s, in_zp, out_s, out_zp)}


def quantize_params(ctx: Ctx) -> dict[str, Any]:
    """QUANTIZE of float32 to int8, or the requantization of int8 or int16
    to int8 or int16 (``reference_ops::Requantize``)."""
    x, y = ctx.input(0), ctx.output()
    if x.dtype == np.float32 and y.dtype == np.int16:
        raise ctx.fail("QUANTIZE from float32 to int16 is not supported", y)
    out_s, out_zp = ctx.feature_map(y, "output")
    ctx.check_shape(y, tuple(x.shape))
    if x.dtype == np.float32:
        return {"scale": float(np.float32(out_s)), "zero_point": out_zp}
    if x.dtype in (np.int8, np.int16):
        in_s, in_zp = ctx.feature_map(x, "input")
        m, s = rescale_integers(in_s, out_s)
        return {
            "scale": float(np.float32(out_s)),
            "zero_point": out_zp,
            "input_zp": in_zp,
            "multiplier": m,
            "shift": s,
        }
    raise ctx.fail(f"QUANTIZE from {x.dtype} is not supported", x)


def dequantize_params(ctx: Ctx) -> dict[str, Any]:
    x, y = ctx.input(0), ctx.output()
    in_s, in_zp = ctx.int8(x, "input")
    if y.dtype != np.float32:
        raise ctx.fail(f"DEQUANTIZE to {y.dtype} is not supported", y)
    ctx.check_shape(y, tuple(x.shape))
    return {"scale": float(np.float32(in_s)), "zero_point": in_zp}


# --------------------------------------------------------------------------
# Float32 scales (and zero points the kernel does not take) of the tensors an
# operator touches, keyed by the IR op's quantization property names. Called
# after the operator's parameter reader succeeded (it checks the tensors).


def _scale(ctx: Ctx, t: TFLiteTensor) -> float:
    return float(np.float32(ctx.feature_map(t, "tensor")[0]))


def _zp(ctx: Ctx, t: TFLiteTensor) -> int:
    return int(ctx.feature_map(t, "tensor")[1])


def weighted_scales(ctx: Ctx) -> dict[str, Any]:
    """CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED: input, per-channel filter
    (a per-tensor conv filter scale broadcast to every channel), output."""
    f = ctx.input(1)
    code = ctx.op.opcode
    co = f.shape[3] if code == "DEPTHWISE_CONV_2D" else f.shape[0]
    assert f.quantization is not None
    fs = f.quantization.scales.astype(np.float32).reshape(-1)
    if fs.size == 1 and code != "FULLY_CONNECTED":
        fs = np.broadcast_to(fs, (co,))
    return {
        "input_scale": _scale(ctx, ctx.input(0)),
        "filter_scales": np.ascontiguousarray(fs),
        "output_scale": _scale(ctx, ctx.output()),
    }


def binary_scales(ctx: Ctx) -> dict[str, Any]:
    """Two operands and the output."""
    return {
        "lhs_scale": _scale(ctx, ctx.input(0)),
        "rhs_scale": _scale(ctx, ctx.input(1)),
        "output_scale": _scale(ctx, ctx.output()),
    }


def in_out_scales(ctx: Ctx) -> dict[str, Any]:
    """Input and output scales."""
    return {
        "input_scale": _scale(ctx, ctx.input(0)),
        "output_scale": _scale(ctx, ctx.output()),
    }


def in_out_quantization(ctx: Ctx) -> dict[str, Any]:
    """Input and output scales and zero points."""
    x, y = ctx.input(0), ctx.output()
    return {
        "input_scale": _scale(ctx, x),
        "input_zp": _zp(ctx, x),
        "output_scale": _scale(ctx, y),
        "output_zp": _zp(ctx, y),
    }


def softmax_scales(ctx: Ctx) -> dict[str, Any]:
    """int8 SOFTMAX: the input scale and zero point; int16: input and output
    scales."""
    if ctx.input(0).dtype == np.int16:
        return in_out_scales(ctx)
    return input_quantization(ctx)


def input_quantization(ctx: Ctx) -> dict[str, Any]:
    """Input scale and zero point."""
    return {
        "input_scale": _scale(ctx, ctx.input(0)),
        "input_zp": _zp(ctx, ctx.input(0)),
    }


def requantize_scales(ctx: Ctx) -> dict[str, Any]:
    """QUANTIZE int8/int16 -> int8/int16: the input scale (the output's is
    a parameter); nothing for float input."""
    if ctx.input(0).dtype not in (np.int8, np.int16):
        return {}
    return {"input_scale": _scale(ctx, ctx.input(0))}
