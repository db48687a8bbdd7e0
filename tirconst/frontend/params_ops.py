"""Parameter readers of the data-movement and activation operators
(CONCATENATION, SPLIT, SPLIT_V, SLICE, STRIDED_SLICE, UNPACK, TRANSPOSE,
RELU..., LEAKY_RELU, TANH, MAXIMUM, MINIMUM), as TFLite's Prepare computes
them; see `tflite_params` for the conventions and `operator_table` for which
reader serves which operator.

A reader of an operator with several outputs (SPLIT, SPLIT_V, UNPACK) returns
one parameter dict per output: the importer emits one `tir.strided_slice`
per output.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tirconst.dialects.tir.quantization import (
    conv_multipliers,
    hard_swish_integers,
    leaky_relu_integers,
    prelu_integers,
    relu_integers,
    round_half_away,
    rsqrt_integers,
    squared_difference_integers,
)
from tirconst.formats.tflite.reader import TFLiteTensor
from tirconst.frontend.tflite_params import (
    Ctx,
    elu_table,
    exp_table,
    gelu_table,
    log_table,
    tanh_table,
)

_MOVABLE = (np.dtype(np.int8), np.dtype(np.int16))


def _movable(ctx: Ctx, t: TFLiteTensor, what: str) -> None:
    if t.dtype not in _MOVABLE:
        raise ctx.fail(f"{what} must be int8 or int16, got {t.dtype}", t)


def _same_dtype(ctx: Ctx, x: TFLiteTensor, *outs: TFLiteTensor) -> None:
    _movable(ctx, x, "input")
    for y in outs:
        if y.dtype != x.dtype:
            raise ctx.fail(f"input {x.dtype} and output {y.dtype} differ", y)


def _ints(ctx: Ctx, t: TFLiteTensor, what: str) -> list[int]:
    return [int(v) for v in np.asarray(ctx.const(t, what)).reshape(-1)]


def _axis(ctx: Ctx, axis: int, rank: int) -> int:
    if not -rank <= axis < rank:
        raise ctx.fail(f"axis {axis} is out of range for rank {rank}")
    return axis % rank


def _no_activation(ctx: Ctx) -> None:
    act = ctx.op.options.get("fused_activation", "NONE")
    if act != "NONE":
        raise ctx.fail(f"fused activation {act} is not supported")


# ------------------------------------------------------------ data movement


def concatenation_params(ctx: Ctx) -> dict[str, Any]:
    """concatenation.cc: the int8/int16 kernel copies, so every input must
    have the output's scale and zero point; no fused activation."""
    y = ctx.output()
    xs = [ctx.input(i) for i in range(len(ctx.op.inputs))]
    if not xs:
        raise ctx.fail("needs at least one input")
    _same_dtype(ctx, xs[0], y, *xs[1:])
    _no_activation(ctx)
    rank = len(y.shape)
    axis = _axis(ctx, int(ctx.op.options.get("axis", 0)), rank)
    qy = y.quantization
    for x in xs:
        qx = x.quantization
        if len(x.shape) != rank:
            raise ctx.fail(f"rank {len(x.shape)}, the output's is {rank}", x)
        same = (qx is None and qy is None) or (
            qx is not None
            and qy is not None
            and not qx.per_axis
            and not qy.per_axis
            and np.float32(qx.scale) == np.float32(qy.scale)
            and qx.zero_point == qy.zero_point
        )
        if not same:
            raise ctx.fail(
                "input quantization differs from the output's (TFLite's integer "
                "concatenation does not rescale)",
                x,
            )
    expect = list(xs[0].shape)
    expect[axis] = sum(x.shape[axis] for x in xs)
    ctx.check_shape(y, tuple(expect))
    return {"axis": axis}


def pack_params(ctx: Ctx) -> dict[str, Any]:
    """PACK (pack.cc): `values_count` inputs of one shape and type stacked
    along a new axis (negative counts from the end of the output); int8 and
    int16 inputs must have the output's scale and zero point."""
    y = ctx.output()
    xs = [ctx.input(i) for i in range(len(ctx.op.inputs))]
    if not xs:
        raise ctx.fail("needs at least one input")
    _same_dtype(ctx, xs[0], y, *xs[1:])
    count = int(ctx.op.options.get("values_count", len(xs)))
    if count != len(xs):
        raise ctx.fail(f"values_count {count} but {len(xs)} inputs")
    rank = len(xs[0].shape)
    axis = _axis(ctx, int(ctx.op.options.get("axis", 0)), rank + 1)
    qy = y.quantization
    for x in xs:
        if tuple(x.shape) != tuple(xs[0].shape):
            raise ctx.fail(f"shape {list(x.shape)}, the first's is {xs[0].shape}", x)
        qx = x.quantization
        same = (qx is None and qy is None) or (
            qx is not None
            and qy is not None
            and not qx.per_axis
            and not qy.per_axis
            and np.float32(qx.scale) == np.float32(qy.scale)
            and qx.zero_point == qy.zero_point
        )
        if not same:
            raise ctx.fail("input quantization differs from the output's", x)
    expect = list(xs[0].shape)
    expect.insert(axis, len(xs))
    ctx.check_shape(y, tuple(expect))
    return {"axis": axis}


def _slice_params(
    x: TFLiteTensor, y: TFLiteTensor, begin: list[int], size: list[int], strides=None
) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "begin": tuple(begin),
        "strides": tuple(strides or [1] * len(begin)),
        "size": tuple(size),
        "output_shape": tuple(y.shape),
    }


def _check_slice(ctx: Ctx, y: TFLiteTensor, size: list[int]) -> None:
    if any(n < 1 for n in size):
        raise ctx.fail(f"empty slice {size} is not supported", y)
    if [d for d in y.shape if d != 1] != [n for n in size if n != 1] or math.prod(
        y.shape
    ) != math.prod(size):
        raise ctx.fail(f"shape {list(y.shape)} but the slice is {size}", y)


def _split_along(
    ctx: Ctx, x: TFLiteTensor, axis: int, sizes: list[int]
) -> list[dict[str, Any]]:
    outs = [ctx.output(i) for i in range(len(ctx.op.outputs))]
    if len(outs) != len(sizes):
        raise ctx.fail(f"{len(outs)} outputs for {len(sizes)} splits")
    _same_dtype(ctx, x, *outs)
    result, at = [], 0
    for y, n in zip(outs, sizes, strict=True):
        begin = [0] * len(x.shape)
        begin[axis] = at
        size = list(x.shape)
        size[axis] = n
        _check_slice(ctx, y, size)
        result.append(_slice_params(x, y, begin, size))
        at += n
    return result


def split_params(ctx: Ctx) -> list[dict[str, Any]]:
    """SPLIT(axis, input): `num_splits` equal parts along the axis."""
    axis_t, x = ctx.input(0), ctx.input(1)
    (axis,) = _ints(ctx, axis_t, "axis") or [0]
    axis = _axis(ctx, axis, len(x.shape))
    n = int(ctx.op.options.get("num_splits", len(ctx.op.outputs)))
    if n < 1 or x.shape[axis] % n:
        raise ctx.fail(f"axis {axis} of {list(x.shape)} does not split in {n}", x)
    return _split_along(ctx, x, axis, [x.shape[axis] // n] * n)


def split_v_params(ctx: Ctx) -> list[dict[str, Any]]:
    """SPLIT_V(input, size_splits, axis): parts of the given sizes (one may
    be -1: the rest)."""
    x, sizes_t, axis_t = ctx.input(0), ctx.input(1), ctx.input(2)
    (axis,) = _ints(ctx, axis_t, "axis") or [0]
    axis = _axis(ctx, axis, len(x.shape))
    sizes = _ints(ctx, sizes_t, "size_splits")
    if sizes.count(-1) == 1:
        sizes[sizes.index(-1)] = x.shape[axis] - (sum(sizes) + 1)
    if any(s < 0 for s in sizes) or sum(sizes) != x.shape[axis]:
        raise ctx.fail(f"size_splits {sizes} do not add up to {x.shape[axis]}")
    return _split_along(ctx, x, axis, sizes)


def unpack_params(ctx: Ctx) -> list[dict[str, Any]]:
    """UNPACK: the input's `num` slices along `axis`, that axis dropped."""
    x = ctx.input(0)
    axis = _axis(ctx, int(ctx.op.options.get("axis", 0)), len(x.shape))
    return _split_along(ctx, x, axis, [1] * x.shape[axis])


def slice_params(ctx: Ctx) -> dict[str, Any]:
    """SLICE(input, begin, size): size -1 means to the end."""
    x, y = ctx.input(0), ctx.output()
    _same_dtype(ctx, x, y)
    begin = _ints(ctx, ctx.input(1), "begin")
    size = _ints(ctx, ctx.input(2), "size")
    if len(begin) != len(x.shape) or len(size) != len(x.shape):
        raise ctx.fail(f"begin {begin} / size {size} for a rank-{len(x.shape)} input")
    size = [
        d - b if n == -1 else n for d, b, n in zip(x.shape, begin, size, strict=True)
    ]
    for d, b, n in zip(x.shape, begin, size, strict=True):
        if b < 0 or b + n > d:
            raise ctx.fail(f"slice from {begin} of size {size} leaves {list(x.shape)}")
    _check_slice(ctx, y, size)
    return _slice_params(x, y, begin, size)


def strided_slice_params(ctx: Ctx) -> dict[str, Any]:
    """STRIDED_SLICE(input, begin, end, strides) with begin/end/shrink-axis
    masks, as strided_slice_logic.h's StartForAxis / StopForAxis compute the
    range (negative indices count from the end, then clamped); ellipsis and
    new-axis masks are not supported."""
    x, y = ctx.input(0), ctx.output()
    _same_dtype(ctx, x, y)
    o = ctx.op.options
    for key in ("ellipsis_mask", "new_axis_mask"):
        if int(o.get(key, 0)):
            raise ctx.fail(f"{key} is not supported")
    if o.get("offset", False):
        raise ctx.fail("offset strided slices are not supported")
    rank = len(x.shape)
    begin = _ints(ctx, ctx.input(1), "begin")
    end = _ints(ctx, ctx.input(2), "end")
    strides = _ints(ctx, ctx.input(3), "strides")
    if not len(begin) == len(end) == len(strides) == rank:
        raise ctx.fail(f"begin/end/strides for a rank-{rank} input")
    bm, em = int(o.get("begin_mask", 0)), int(o.get("end_mask", 0))
    sm = int(o.get("shrink_axis_mask", 0))
    starts, sizes = [], []
    for i, (d, s) in enumerate(zip(x.shape, strides, strict=True)):
        if s == 0:
            raise ctx.fail("stride 0")
        if bm >> i & 1:
            start = 0 if s > 0 else d - 1
        else:
            start = begin[i] + d if begin[i] < 0 else begin[i]
            start = min(max(start, 0), d) if s > 0 else min(max(start, -1), d - 1)
        if sm >> i & 1:
            stop = start + 1
        elif em >> i & 1:
            stop = d if s > 0 else -1
        else:
            stop = end[i] + d if end[i] < 0 else end[i]
            stop = min(max(stop, 0), d) if s > 0 else min(max(stop, -1), d - 1)
        span, step = (stop - start, s) if s > 0 else (start - stop, -s)
        n = max(0, -(-span // step))
        starts.append(start)
        sizes.append(n)
    _check_slice(ctx, y, sizes)
    return _slice_params(x, y, starts, sizes, strides)


def transpose_params(ctx: Ctx) -> dict[str, Any]:
    """TRANSPOSE(input, perm)."""
    x, y = ctx.input(0), ctx.output()
    _same_dtype(ctx, x, y)
    perm = _ints(ctx, ctx.input(1), "perm")
    rank = len(x.shape)
    perm = [p + rank if p < 0 else p for p in perm]
    if sorted(perm) != list(range(rank)):
        raise ctx.fail(f"perm {perm} is not a permutation of {rank} axes")
    ctx.check_shape(y, tuple(x.shape[p] for p in perm))
    return {"perm": tuple(perm)}


def _paddings(ctx: Ctx, x: TFLiteTensor) -> list[int]:
    pads = np.asarray(ctx.const(ctx.input(1), "paddings"), dtype=np.int64)
    if pads.shape != (len(x.shape), 2):
        raise ctx.fail(
            f"paddings shape {list(pads.shape)} for a rank-{len(x.shape)} input"
        )
    if (pads < 0).any():
        raise ctx.fail("negative paddings are not supported", ctx.input(1))
    return [int(v) for v in pads.reshape(-1)]


def _padded(x: TFLiteTensor, pads: list[int]) -> tuple[int, ...]:
    return tuple(d + pads[2 * i] + pads[2 * i + 1] for i, d in enumerate(x.shape))


def padv2_params(ctx: Ctx) -> dict[str, Any]:
    """PADV2(input, paddings, constant_values): the fill is the stored
    constant value (pad.cc copies it unchanged; without it, the output zero
    point)."""
    x, y = ctx.input(0), ctx.output()
    _same_dtype(ctx, x, y)
    pads = _paddings(ctx, x)
    ctx.check_shape(y, _padded(x, pads))
    c = ctx.optional_input(2)
    if c is None:
        q = y.quantization
        return {"padding": tuple(pads), "pad_value": q.zero_point if q else 0}
    if c.dtype != x.dtype:
        raise ctx.fail(f"constant_values must be {x.dtype}, got {c.dtype}", c)
    values = np.asarray(ctx.const(c, "constant_values")).reshape(-1)
    if values.size != 1:
        raise ctx.fail("constant_values must hold one value", c)
    return {"padding": tuple(pads), "pad_value": int(values[0])}


def mirror_pad_params(ctx: Ctx) -> dict[str, Any]:
    """MIRROR_PAD(input, paddings), mode REFLECT (0) or SYMMETRIC (1)."""
    x, y = ctx.input(0), ctx.output()
    _same_dtype(ctx, x, y)
    pads = _paddings(ctx, x)
    mode = int(ctx.op.options.get("mode", 0))
    for i, d in enumerate(x.shape):
        if max(pads[2 * i : 2 * i + 2]) > d - 1 + mode:
            raise ctx.fail(f"axis {i}: padding {pads[2 * i : 2 * i + 2]} exceeds {d}")
    ctx.check_shape(y, _padded(x, pads))
    return {"padding": tuple(pads), "mode": mode}


def tile_params(ctx: Ctx) -> dict[str, Any]:
    """TILE(input, multiples)."""
    x, y = ctx.input(0), ctx.output()
    _same_dtype(ctx, x, y)
    m = _ints(ctx, ctx.input(1), "multiples")
    if len(m) != len(x.shape) or min(m, default=1) < 1:
        raise ctx.fail(f"multiples {m} for a rank-{len(x.shape)} input")
    ctx.check_shape(y, tuple(d * k for d, k in zip(x.shape, m, strict=True)))
    return {"multiples": tuple(m)}


def reverse_params(ctx: Ctx) -> dict[str, Any]:
    """REVERSE_V2(input, axis)."""
    x, y = ctx.input(0), ctx.output()
    _same_dtype(ctx, x, y)
    axes = [_axis(ctx, a, len(x.shape)) for a in _ints(ctx, ctx.input(1), "axis")]
    if len(set(axes)) != len(axes):
        raise ctx.fail(f"axes {axes} repeat")
    ctx.check_shape(y, tuple(x.shape))
    return {"axes": tuple(axes)}


def resize_params(ctx: Ctx) -> dict[str, Any]:
    """RESIZE_NEAREST_NEIGHBOR / RESIZE_BILINEAR(input, size): NHWC, the
    output's height and width from the constant size; bilinear needs equal
    input and output quantization (its integer kernel does not rescale)."""
    x, y = ctx.input(0), ctx.output()
    _same_dtype(ctx, x, y)
    if len(x.shape) != 4:
        raise ctx.fail(f"expects a 4-D input, got {list(x.shape)}", x)
    size = _ints(ctx, ctx.input(1), "size")
    if len(size) != 2 or min(size) < 1:
        raise ctx.fail(f"size {size} must be two positive extents", ctx.input(1))
    ctx.check_shape(y, (x.shape[0], size[0], size[1], x.shape[3]))
    o = ctx.op.options
    align, half = (
        bool(o.get("align_corners", False)),
        bool(o.get("half_pixel_centers", False)),
    )
    if align and half:
        raise ctx.fail("align_corners with half_pixel_centers is not supported")
    if ctx.op.opcode == "RESIZE_BILINEAR":
        qx, qy = x.quantization, y.quantization
        if (
            qx is None
            or qy is None
            or (
                np.float32(qx.scales[0]) != np.float32(qy.scales[0])
                or qx.zero_point != qy.zero_point
            )
        ):
            raise ctx.fail("output quantization differs from the input's", y)
    return {"align_corners": int(align), "half_pixel_centers": int(half)}


# --------------------------------------------------------------- reductions


def _reduced(ctx: Ctx, x: TFLiteTensor, y: TFLiteTensor) -> tuple[int, ...]:
    rank = len(x.shape)
    raw = _ints(ctx, ctx.input(1), "axis")
    axes = tuple(sorted({_axis(ctx, a, rank) for a in raw}))
    keep = bool(ctx.op.options.get("keep_dims", False))
    ctx.check_shape(
        y,
        tuple(
            1 if i in axes else d
            for i, d in enumerate(x.shape)
            if keep or i not in axes
        ),
    )
    return axes


def reduce_extremum_params(ctx: Ctx) -> dict[str, Any]:
    """REDUCE_MAX, REDUCE_MIN: reduce.cc requires equal input and output
    quantization and compares stored values."""
    x, y = ctx.input(0), ctx.output()
    _same_dtype(ctx, x, y)
    qx, qy = x.quantization, y.quantization
    if (qx is None) != (qy is None) or (
        qx is not None
        and qy is not None
        and (
            np.float32(qx.scales[0]) != np.float32(qy.scales[0])
            or qx.zero_point != qy.zero_point
        )
    ):
        raise ctx.fail("output quantization differs from the input's", y)
    return {"axes": _reduced(ctx, x, y), "output_shape": tuple(y.shape)}


def sum_params(ctx: Ctx) -> dict[str, Any]:
    """SUM int8: the axes and zero points, and the float32 quotient
    input_scale / output_scale the optimized kernel rescales the sum by
    (`tir.sum`)."""
    x, y = ctx.input(0), ctx.output()
    in_s, in_zp = ctx.int8(x, "input")
    out_s, out_zp = ctx.int8(y, "output")
    return {
        "axes": _reduced(ctx, x, y),
        "input_zp": in_zp,
        "output_zp": out_zp,
        "scale": float(np.float32(in_s) / np.float32(out_s)),
        "output_shape": tuple(y.shape),
    }


def arg_max_params(ctx: Ctx) -> dict[str, Any]:
    """ARG_MAX(input, axis): int32 or int64 indices of int8 data (LiteRT's
    kernel has no int16 case)."""
    x, y = ctx.input(0), ctx.output()
    if x.dtype != np.int8:
        raise ctx.fail(f"input must be int8, got {x.dtype}", x)
    if y.dtype not in (np.dtype(np.int32), np.dtype(np.int64)):
        raise ctx.fail(f"output must be int32 or int64, got {y.dtype}", y)
    (axis,) = _ints(ctx, ctx.input(1), "axis")[:1] or [0]
    axis = _axis(ctx, axis, len(x.shape))
    ctx.check_shape(y, tuple(d for i, d in enumerate(x.shape) if i != axis))
    return {"axis": axis}


# -------------------------------------------------------------- activations

_RELU_BOUNDS = {
    "RELU": (0.0, math.inf),
    "RELU6": (0.0, 6.0),
    "RELU_N1_TO_1": (-1.0, 1.0),
    "RELU_0_TO_1": (0.0, 1.0),
}


def relu_params(ctx: Ctx) -> dict[str, Any]:
    """RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1 (ReluPrepare, QuantizedReluX):
    the clamp is ``output_zp + roundf(bound / output_scale)`` in float32,
    within int8 (an infinite upper bound is 127)."""
    x, y = ctx.input(0), ctx.output()
    in_s, in_zp = ctx.int8(x, "input")
    out_s, out_zp = ctx.int8(y, "output")
    ctx.check_shape(y, tuple(x.shape))
    lo, hi = _RELU_BOUNDS[ctx.op.opcode]

    def q(bound: float) -> int:
        v = float(np.float32(bound) / np.float32(out_s))
        return out_zp + int(round_half_away(v))

    m, s = relu_integers(in_s, out_s)
    return {
        "input_zp": in_zp,
        "output_zp": out_zp,
        "multiplier": m,
        "shift": s,
        "act_min": max(-128, q(lo)),
        "act_max": 127 if math.isinf(hi) else min(127, q(hi)),
    }


def leaky_relu_params(ctx: Ctx) -> dict[str, Any]:
    """LEAKY_RELU (LeakyReluPrepare)."""
    x, y = ctx.input(0), ctx.output()
    in_s, in_zp = ctx.int8(x, "input")
    out_s, out_zp = ctx.int8(y, "output")
    ctx.check_shape(y, tuple(x.shape))
    alpha = float(np.float32(ctx.op.options.get("alpha", 0.0)))
    try:
        integers = leaky_relu_integers(in_s, alpha, out_s)
    except ValueError as e:
        raise ctx.fail(f"unsupported alpha {alpha}: {e}") from None
    return {"input_zp": in_zp, "output_zp": out_zp, **integers}


def leaky_relu_scales(ctx: Ctx) -> dict[str, Any]:
    """Input and output scales and alpha."""
    x, y = ctx.input(0), ctx.output()
    return {
        "input_scale": float(np.float32(ctx.int8(x, "input")[0])),
        "output_scale": float(np.float32(ctx.int8(y, "output")[0])),
        "alpha": float(np.float32(ctx.op.options.get("alpha", 0.0))),
    }


def _lut_params(ctx: Ctx, build) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    x, y = ctx.input(0), ctx.output()
    in_s, in_zp = ctx.int8(x, "input")
    out_s, out_zp = ctx.int8(y, "output")
    ctx.check_shape(y, tuple(x.shape))
    return {"table": build(in_s, in_zp, out_s, out_zp)}


def tanh_params(ctx: Ctx) -> dict[str, Any]:
    """TANH int8: the 256-entry table LiteRT builds in Prepare."""
    return _lut_params(ctx, tanh_table)


def exp_params(ctx: Ctx) -> dict[str, Any]:
    """EXP int8: the table of expf."""
    return _lut_params(ctx, exp_table)


def log_params(ctx: Ctx) -> dict[str, Any]:
    """LOG int8: the table of logf."""
    return _lut_params(ctx, log_table)


def gelu_params(ctx: Ctx) -> dict[str, Any]:
    """GELU int8: the table of the exact or (option) approximate GELU."""
    approximate = bool(ctx.op.options.get("approximate", False))
    return _lut_params(ctx, lambda *q: gelu_table(*q, approximate=approximate))


def elu_params(ctx: Ctx) -> dict[str, Any]:
    """ELU int8: the table of expm1f below zero, the identity above."""
    return _lut_params(ctx, elu_table)


def min_max_params(ctx: Ctx) -> dict[str, Any]:
    """MAXIMUM, MINIMUM: stored values compared, numpy broadcasting."""
    a, b, y = ctx.input(0), ctx.input(1), ctx.output()
    _same_dtype(ctx, a, b, y)
    try:
        shape = np.broadcast_shapes(tuple(a.shape), tuple(b.shape))
    except ValueError:
        raise ctx.fail(
            f"shapes {list(a.shape)} and {list(b.shape)} do not broadcast"
        ) from None
    ctx.check_shape(y, tuple(shape))
    return {}


def min_max_quantization(ctx: Ctx) -> dict[str, Any]:
    """MAXIMUM, MINIMUM of per-tensor quantized int8: both operands' and the
    output's scales and zero points (the kernel compares stored values and
    needs none; the NPU runs the op only when all three are equal). None for
    other data."""
    tensors = (ctx.input(0), ctx.input(1), ctx.output())
    out: dict[str, Any] = {}
    for role, t in zip(("lhs", "rhs", "output"), tensors, strict=True):
        q = t.quantization
        if t.dtype != np.int8 or q is None or q.per_axis or q.zero_points.size > 1:
            return {}
        if not q.scale > 0 or not math.isfinite(q.scale):
            return {}
        out[f"{role}_scale"] = float(np.float32(q.scale))
        out[f"{role}_zp"] = int(q.zero_point)
    return out


def hard_swish_params(ctx: Ctx) -> dict[str, Any]:
    """HARD_SWISH int8 (HardSwishPrepare)."""
    x, y = ctx.input(0), ctx.output()
    in_s, in_zp = ctx.int8(x, "input")
    out_s, out_zp = ctx.int8(y, "output")
    ctx.check_shape(y, tuple(x.shape))
    try:
        integers = hard_swish_integers(in_s, out_s)
    except ValueError as e:  # TFLite's Prepare fails here
        raise ctx.fail(f"unsupported scales: {e}", y) from None
    return {"input_zp": in_zp, "output_zp": out_zp, **integers}


def abs_params(ctx: Ctx) -> dict[str, Any]:
    """ABS int8 (elementwise.cc AbsPrepare)."""
    x, y = ctx.input(0), ctx.output()
    in_s, in_zp = ctx.int8(x, "input")
    out_s, out_zp = ctx.int8(y, "output")
    ctx.check_shape(y, tuple(x.shape))
    m, s = relu_integers(in_s, out_s)
    return {"input_zp": in_zp, "output_zp": out_zp, "multiplier": m, "shift": s}


def rsqrt_params(ctx: Ctx) -> dict[str, Any]:
    """RSQRT int8 (elementwise.cc RsqrtPrepare)."""
    x, y = ctx.input(0), ctx.output()
    in_s, in_zp = ctx.int8(x, "input")
    out_s, out_zp = ctx.int8(y, "output")
    ctx.check_shape(y, tuple(x.shape))
    m, s = rsqrt_integers(in_s, out_s)
    return {"input_zp": in_zp, "output_zp": out_zp, "multiplier": m, "shift": s}


def neg_params(ctx: Ctx) -> dict[str, Any]:
    """NEG: the stored values negated (no parameters); int8, int16 or float32
    (the float NEG the TF converter leaves between a DEQUANTIZE and a
    QUANTIZE: a CPU op)."""
    x, y = ctx.input(0), ctx.output()
    if x.dtype == np.float32:
        if y.dtype != x.dtype:
            raise ctx.fail(f"input {x.dtype} and output {y.dtype} differ", y)
    else:
        _same_dtype(ctx, x, y)
    ctx.check_shape(y, tuple(x.shape))
    return {}


def squared_difference_params(ctx: Ctx) -> dict[str, Any]:
    """SQUARED_DIFFERENCE int8 (squared_difference.cc Prepare)."""
    a, b, y = ctx.input(0), ctx.input(1), ctx.output()
    a_s, a_zp = ctx.int8(a, "lhs")
    b_s, b_zp = ctx.int8(b, "rhs")
    out_s, out_zp = ctx.int8(y, "output")
    try:
        shape = np.broadcast_shapes(tuple(a.shape), tuple(b.shape))
    except ValueError:
        raise ctx.fail(
            f"shapes {list(a.shape)} and {list(b.shape)} do not broadcast"
        ) from None
    ctx.check_shape(y, tuple(shape))
    try:
        integers = squared_difference_integers(a_s, b_s, out_s)
    except ValueError as e:
        raise ctx.fail(f"unsupported scales: {e}", y) from None
    return {"lhs_zp": a_zp, "rhs_zp": b_zp, "output_zp": out_zp, **integers}


def prelu_params(ctx: Ctx) -> dict[str, Any]:
    """PRELU(input, alpha) int8 (PreluPrepare)."""
    x, a, y = ctx.input(0), ctx.input(1), ctx.output()
    in_s, in_zp = ctx.int8(x, "input")
    a_s, a_zp = ctx.int8(a, "alpha")
    out_s, out_zp = ctx.int8(y, "output")
    try:
        shape = np.broadcast_shapes(tuple(x.shape), tuple(a.shape))
    except ValueError:
        shape = None
    if shape != tuple(x.shape):
        raise ctx.fail(f"alpha {list(a.shape)} does not broadcast to the input", a)
    ctx.check_shape(y, tuple(x.shape))
    return {
        "input_zp": in_zp,
        "alpha_zp": a_zp,
        "output_zp": out_zp,
        **prelu_integers(in_s, a_s, out_s),
    }


def prelu_scales(ctx: Ctx) -> dict[str, Any]:
    """Input, alpha and output scales."""
    return {
        "input_scale": float(np.float32(ctx.int8(ctx.input(0), "input")[0])),
        "alpha_scale": float(np.float32(ctx.int8(ctx.input(1), "alpha")[0])),
        "output_scale": float(np.float32(ctx.int8(ctx.output(), "output")[0])),
    }


def batch_matmul_params(ctx: Ctx) -> dict[str, Any]:
    """BATCH_MATMUL int8 (batch_matmul.cc Prepare): QuantizeMultiplier of
    lhs_scale * rhs_scale / output_scale in double; no activation."""
    a, b, y = ctx.input(0), ctx.input(1), ctx.output()
    a_s, a_zp = ctx.int8(a, "lhs")
    b_s, b_zp = ctx.int8(b, "rhs")
    out_s, out_zp = ctx.int8(y, "output")
    if len(a.shape) < 2 or len(b.shape) < 2:
        raise ctx.fail("lhs and rhs need at least 2 axes")
    o = ctx.op.options
    adj_x, adj_y = int(bool(o.get("adj_x", False))), int(bool(o.get("adj_y", False)))
    m, k = (a.shape[-1], a.shape[-2]) if adj_x else (a.shape[-2], a.shape[-1])
    k2, n = (b.shape[-1], b.shape[-2]) if adj_y else (b.shape[-2], b.shape[-1])
    if k != k2:
        raise ctx.fail(f"lhs depth {k} and rhs depth {k2} differ")
    try:
        batch = np.broadcast_shapes(tuple(a.shape[:-2]), tuple(b.shape[:-2]))
    except ValueError:
        raise ctx.fail("batch axes do not broadcast") from None
    ctx.check_shape(y, (*batch, m, n))
    mult, shift = conv_multipliers(a_s, [b_s], out_s)
    return {
        "adj_x": adj_x,
        "adj_y": adj_y,
        "lhs_zp": a_zp,
        "rhs_zp": b_zp,
        "output_zp": out_zp,
        "multiplier": int(mult[0]),
        "shift": int(shift[0]),
    }
