"""Spatial operators on the NPU, checked from the written file's bytes: global
pools (kernel = input, a 1x1 output, any TFLite stride) and a ResNet-8 /
DS-CNN-like network whose convolutions, global average pool and fully
connected layer run as one NPU segment. Each model is compiled, its segments
disassembled from `MODEL_tirconst.tflite` and run in the npu interpreter on
LiteRT's inputs, equal to LiteRT bit for bit; the whole program (NPU and CPU
parts) equals LiteRT too. Outside the NPU's constraints the op stays on the
CPU with a remark."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_device_bytes import (
    assert_device_exact,
    assert_program_equals_litert,
    compiled,
)
from tests.test_importer_litert import litert
from tests.test_tflite_litert import Op, T, build_tflite
from tirconst.backend.ethos_u.decoder import disassemble_segments
from tirconst.backend.ethos_u.disasm_ir import npu_module
from tirconst.interpreter.npu import run_stream


def global_pool_model(
    kind: str,
    hw: tuple[int, int],
    stride: tuple[int, int],
    c: int,
    zp: int,
    scale: float,
    act: int = 0,
    extra: tuple[int, int] = (0, 0),
) -> bytes:
    """One VALID pool of an H×W window with a 1×1 output: the input is the
    window plus `extra` rows and columns (fewer than the stride, so no
    second output)."""
    h, w = hw
    opts = {
        "Padding": 1,
        "StrideW": stride[1],
        "StrideH": stride[0],
        "FilterWidth": w,
        "FilterHeight": h,
        "FusedActivationFunction": act,
    }
    s = float(np.float32(scale))
    shape = (1, h + extra[0], w + extra[1], c)
    tensors = [T(shape, np.int8, s, zp), T((1, 1, 1, c), np.int8, s, zp)]
    return build_tflite(
        tensors, [Op(kind, [0], [1], ("Pool2DOptions", opts))], [0], [1]
    )


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    kind=st.sampled_from(["AVERAGE_POOL_2D", "MAX_POOL_2D"]),
    hw=st.tuples(st.integers(1, 40), st.integers(1, 40)),
    stride=st.tuples(st.integers(1, 50), st.integers(1, 50)),
    c=st.integers(1, 40),
    zp=st.integers(-128, 127),
    scale=st.floats(0.001, 1.0),
    act=st.sampled_from([0, 1, 3]),
    extra=st.tuples(st.integers(0, 49), st.integers(0, 49)),
)
def test_random_global_pool_device_exact(
    tmp_path: Path, kind, hw, stride, c, zp, scale, act, extra
) -> None:
    """A pool with one output of any window and stride is one NPU pool
    (stride 1 where one output element leaves nothing to step over, the
    input cropped to the window), exact from the file."""
    extra = (extra[0] % stride[0], extra[1] % stride[1])
    data = global_pool_model(kind, hw, stride, c, zp, scale, act, extra)
    model, written, remarks = compiled(tmp_path, "gp", data)
    assert not remarks, remarks
    assert assert_device_exact(model, written, seeds=(0,)) == 1
    assert_program_equals_litert(model, 0)


@pytest.mark.parametrize(
    ("hw", "stride"), [((200, 7), (200, 7)), ((256, 3), (9, 9)), ((25, 5), (25, 5))]
)
def test_large_global_average_pool_device_exact(
    tmp_path: Path, hw: tuple[int, int], stride: tuple[int, int]
) -> None:
    """Windows up to the NPU's 256 rows: one pool, TFLite's rounded division
    (1400 and 768 elements: ties and large sums of both signs)."""
    data = global_pool_model("AVERAGE_POOL_2D", hw, stride, 5, -7, 0.03)
    model, written, remarks = compiled(tmp_path, "gp", data)
    assert not remarks
    assert assert_device_exact(model, written) == 1


def test_pool_one_output_row_any_row_stride(tmp_path: Path) -> None:
    """One output row, several columns: the row stride (9) does not count,
    the column stride (2) is the NPU's."""
    opts = {
        "Padding": 1,
        "StrideW": 2,
        "StrideH": 9,
        "FilterWidth": 3,
        "FilterHeight": 6,
        "FusedActivationFunction": 0,
    }
    tensors = [T((1, 6, 9, 4), np.int8, 0.1, 3), T((1, 1, 4, 4), np.int8, 0.1, 3)]
    data = build_tflite(
        tensors, [Op("AVERAGE_POOL_2D", [0], [1], ("Pool2DOptions", opts))], [0], [1]
    )
    model, written, remarks = compiled(tmp_path, "row", data)
    assert not remarks
    assert assert_device_exact(model, written) == 1


def test_pools_outside_the_npu_stay_on_the_cpu(tmp_path: Path) -> None:
    """A window of 300 rows (the NPU pools at most 256) and a stride of 4
    with several outputs: on the CPU, each with a remark, still exact."""
    big = global_pool_model("AVERAGE_POOL_2D", (300, 2), (300, 2), 3, 1, 0.05)
    opts = {
        "Padding": 1,
        "StrideW": 4,
        "StrideH": 4,
        "FilterWidth": 2,
        "FilterHeight": 2,
        "FusedActivationFunction": 0,
    }
    tensors = [T((1, 8, 8, 3), np.int8, 0.1, 0), T((1, 2, 2, 3), np.int8, 0.1, 0)]
    strided = build_tflite(
        tensors, [Op("MAX_POOL_2D", [0], [1], ("Pool2DOptions", opts))], [0], [1]
    )
    for name, data, why in (
        ("big", big, "pooling window [300, 2]"),
        ("strided", strided, "stride [4, 4]"),
    ):
        sub = tmp_path / name
        sub.mkdir()
        model, written, remarks = compiled(sub, name, data)
        assert assert_device_exact(model, written, seeds=(0,)) == 0
        assert len(remarks) == 1 and why in remarks[0], remarks
        assert_program_equals_litert(model, 0)


def small_classifier(seed: int = 0, softmax: bool = True) -> bytes:
    """ResNet-8 / DS-CNN-like: CONV_2D 3x3 stride 2 -> DEPTHWISE 3x3 -> CONV_2D
    1x1 -> AVERAGE_POOL_2D 8x8 stride 8 (global) -> RESHAPE -> FULLY_CONNECTED
    -> SOFTMAX, random int8 weights and quantization."""
    rng = np.random.default_rng(seed)

    def weights(shape: tuple[int, ...], s_in: float) -> list[T]:
        w = rng.integers(-127, 128, shape).astype(np.int8)
        co = shape[0] if len(shape) != 4 or shape[0] != 1 else shape[3]
        b = rng.integers(-3000, 3000, co).astype(np.int32)
        return [
            T(w.shape, np.int8, 0.01, 0, data=w),
            T(b.shape, np.int32, float(np.float32(s_in * 0.01)), 0, data=b),
        ]

    def conv_opts(stride: int, act: int) -> dict:
        return {
            "Padding": 0,
            "StrideW": stride,
            "StrideH": stride,
            "FusedActivationFunction": act,
            "DilationWFactor": 1,
            "DilationHFactor": 1,
        }

    pool = {
        "Padding": 1,
        "StrideW": 8,
        "StrideH": 8,
        "FilterWidth": 8,
        "FilterHeight": 8,
        "FusedActivationFunction": 0,
    }
    tensors = [
        T((1, 16, 16, 3), np.int8, 0.05, 3),  # 0 input
        *weights((8, 3, 3, 3), 0.05),  # 1, 2
        T((1, 8, 8, 8), np.int8, 0.1, -20),  # 3
        *weights((1, 3, 3, 8), 0.1),  # 4, 5
        T((1, 8, 8, 8), np.int8, 0.12, -10),  # 6
        *weights((16, 1, 1, 8), 0.12),  # 7, 8
        T((1, 8, 8, 16), np.int8, 0.15, -30),  # 9
        T((1, 1, 1, 16), np.int8, 0.15, -30),  # 10 pooled
        T((2,), np.int32, data=np.array([1, 16], np.int32)),  # 11
        T((1, 16), np.int8, 0.15, -30),  # 12
        *weights((10, 16), 0.15),  # 13, 14
        T((1, 10), np.int8, 0.2, 5),  # 15 logits
        T((1, 10), np.int8, 1 / 256, -128),  # 16 probabilities
    ]
    ops = [
        Op("CONV_2D", [0, 1, 2], [3], ("Conv2DOptions", conv_opts(2, 1))),
        Op(
            "DEPTHWISE_CONV_2D",
            [3, 4, 5],
            [6],
            ("DepthwiseConv2DOptions", {**conv_opts(1, 3), "DepthMultiplier": 1}),
        ),
        Op("CONV_2D", [6, 7, 8], [9], ("Conv2DOptions", conv_opts(1, 1))),
        Op("AVERAGE_POOL_2D", [9], [10], ("Pool2DOptions", pool)),
        Op("RESHAPE", [10, 11], [12], ("ReshapeOptions", {"NewShape": [1, 16]})),
        Op(
            "FULLY_CONNECTED",
            [12, 13, 14],
            [15],
            ("FullyConnectedOptions", {"FusedActivationFunction": 0}),
        ),
    ]
    if softmax:
        ops.append(Op("SOFTMAX", [15], [16], ("SoftmaxOptions", {"Beta": 1.0})))
    return build_tflite(tensors, ops, [0], [16 if softmax else 15])


@pytest.mark.parametrize("seed", [0, 1])
def test_small_classifier_one_npu_segment(tmp_path: Path, seed: int) -> None:
    """Convolutions, the global average pool and the fully connected layer
    are one NPU segment (the pool used to split it in two); only the softmax
    may stay on the CPU. Exact from the file's bytes and as a whole program."""
    model, written, remarks = compiled(tmp_path, "net", small_classifier(seed))
    assert all("softmax" in r for r in remarks), remarks
    assert assert_device_exact(model, written) == 1
    assert_program_equals_litert(model, seed)


def reduce_model(
    opcode: str,
    shape: tuple[int, ...],
    axes: list[int],
    keep: bool,
    q_in: tuple[float, int],
    q_out: tuple[float, int],
) -> bytes:
    """One MEAN / REDUCE_MAX / REDUCE_MIN over `axes` (negative allowed)."""
    rank = len(shape)
    red = {a % rank for a in axes}
    out = tuple(
        1 if i in red else d for i, d in enumerate(shape) if keep or i not in red
    )
    f32 = [float(np.float32(q[0])) for q in (q_in, q_out)]
    tensors = [
        T(shape, np.int8, f32[0], q_in[1]),
        T((len(axes),), np.int32, data=np.array(axes, np.int32)),
        T(out, np.int8, f32[1], q_out[1]),
    ]
    op = Op(opcode, [0, 1], [2], ("ReducerOptions", {"KeepDims": keep}))
    return build_tflite(tensors, [op], [0], [2])


def contiguous(shape: tuple[int, ...], axes: list[int]) -> bool:
    """Whether the reduced axes, extent-1 axes aside, are adjacent."""
    red = {a % len(shape) for a in axes}
    live = [i for i in range(len(shape)) if shape[i] > 1]
    pos = [k for k, i in enumerate(live) if i in red]
    return not pos or pos == list(range(pos[0], pos[-1] + 1))


@st.composite
def _reduction(draw: st.DrawFn) -> dict:
    rank = draw(st.integers(1, 4))
    shape = tuple(draw(st.lists(st.integers(1, 9), min_size=rank, max_size=rank)))
    axes = draw(st.sets(st.integers(0, rank - 1), min_size=1))
    axes = [a - rank if draw(st.booleans()) else a for a in sorted(axes)]
    return {"shape": shape, "axes": axes, "keep": draw(st.booleans())}


_Q = st.tuples(st.floats(0.005, 0.5), st.integers(-128, 127))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(r=_reduction(), q_in=_Q, q_out=_Q, same=st.booleans())
def test_random_mean_device_exact(tmp_path: Path, r: dict, q_in, q_out, same) -> None:
    """MEAN over any axes, keep_dims or not: over contiguous axes (the
    channels, H or W alone, H and W, any rank) one NPU depthwise sum, exact
    from the file's bytes; otherwise the CPU with a remark."""
    data = reduce_model("MEAN", **r, q_in=q_in, q_out=q_in if same else q_out)
    model, written, remarks = compiled(tmp_path, "mean", data)
    segments = assert_device_exact(model, written, seeds=(0,))
    if contiguous(r["shape"], r["axes"]):
        assert segments == 1 and not remarks, remarks
    else:
        assert segments == 0 and "not contiguous" in remarks[0], remarks
    assert_program_equals_litert(model, 0)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(r=_reduction(), q=_Q, opcode=st.sampled_from(["REDUCE_MAX", "REDUCE_MIN"]))
def test_random_reduce_max_min_device_exact(
    tmp_path: Path, r: dict, q, opcode: str
) -> None:
    """REDUCE_MAX over contiguous axes is one NPU max pool, REDUCE_MIN the
    max pool of the complements (~max(~x), the tables fused into the pool
    or an identity op), exact from the file's bytes; non-contiguous axes
    stay on the CPU with a remark."""
    data = reduce_model(opcode, **r, q_in=q, q_out=q)
    model, written, remarks = compiled(tmp_path, "red", data)
    segments = assert_device_exact(model, written, seeds=(0,))
    if contiguous(r["shape"], r["axes"]):
        assert segments == 1 and not remarks, remarks
    else:
        assert segments == 0 and len(remarks) == 1, remarks
    assert_program_equals_litert(model, 0)


@pytest.mark.parametrize(
    ("opcode", "shape", "axes"),
    [
        ("MEAN", (1, 100, 40, 3), [1, 2]),  # 4000 elements: a 50x80 window
        ("MEAN", (1, 7, 9, 4096), [3]),  # a 1x4096 window, channels as columns
        ("REDUCE_MAX", (1, 250, 250, 2), [1, 2]),  # a 250x250 pool
        ("REDUCE_MAX", (1, 1000, 2), [1]),  # 1000 = 8 x 125
        ("REDUCE_MIN", (1, 250, 250, 2), [1, 2]),  # ~ of a 250x250 pool of ~
    ],
)
def test_large_reductions_device_exact(
    tmp_path: Path, opcode: str, shape: tuple[int, ...], axes: list[int]
) -> None:
    """Reductions at the NPU's window limits: one op, exact."""
    data = reduce_model(opcode, shape, axes, True, (0.05, -3), (0.05, -3))
    model, written, remarks = compiled(tmp_path, "big", data)
    assert not remarks
    assert assert_device_exact(model, written, seeds=(0,)) == 1


@pytest.mark.parametrize(
    ("opcode", "shape", "axes", "why"),
    [
        ("MEAN", (1, 70, 70, 2), [1, 2], "4900 reduced elements exceed"),
        ("MEAN", (1, 3, 4, 5), [1, 3], "not contiguous"),
        ("REDUCE_MAX", (1, 2, 257 * 3), [2], "fits no NPU window"),
        ("REDUCE_MIN", (1, 3, 4, 5), [1, 3], "not contiguous"),
    ],
)
def test_reductions_outside_the_npu_remark(
    tmp_path: Path, opcode: str, shape: tuple[int, ...], axes: list[int], why: str
) -> None:
    data = reduce_model(opcode, shape, axes, False, (0.05, 4), (0.05, 4))
    model, written, remarks = compiled(tmp_path, "cpu", data)
    assert assert_device_exact(model, written, seeds=(0,)) == 0
    assert len(remarks) == 1 and why in remarks[0], remarks
    assert_program_equals_litert(model, 0)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    k=st.tuples(st.integers(1, 9), st.integers(1, 9)),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    hw=st.tuples(st.integers(1, 14), st.integers(1, 14)),
    c=st.integers(1, 20),
    zp=st.integers(-128, 127),
    act=st.sampled_from([0, 1, 3]),
)
def test_random_padded_average_pool_device_exact(
    tmp_path: Path, k, stride, hw, c, zp, act
) -> None:
    """SAME average pools: one unpadded NPU pool per block of outputs whose
    windows clip alike, so each divides by TFLite's in-bounds count; exact
    from the file's bytes."""
    (kh, kw), (sy, sx), (h, w) = k, stride, hw
    opts = {
        "Padding": 0,
        "StrideW": sx,
        "StrideH": sy,
        "FilterWidth": kw,
        "FilterHeight": kh,
        "FusedActivationFunction": act,
    }
    oh, ow = -(-h // sy), -(-w // sx)
    tensors = [T((1, h, w, c), np.int8, 0.04, zp), T((1, oh, ow, c), np.int8, 0.04, zp)]
    data = build_tflite(
        tensors, [Op("AVERAGE_POOL_2D", [0], [1], ("Pool2DOptions", opts))], [0], [1]
    )
    model, written, remarks = compiled(tmp_path, "same", data)
    assert not remarks, remarks
    assert assert_device_exact(model, written, seeds=(0,)) == 1


def arg_max_model(
    shape: tuple[int, ...], axis: int, out: type, q: tuple[float, int]
) -> bytes:
    """One ARG_MAX along `axis` (negative allowed) to int32 or int64."""
    rank = len(shape)
    kept = tuple(d for i, d in enumerate(shape) if i != axis % rank)
    tensors = [
        T(shape, np.int8, float(np.float32(q[0])), q[1]),
        T((1,), np.int32, data=np.array([axis], np.int32)),
        T(kept, out),
    ]
    opts = ("ArgMaxOptions", {"OutputType": 2 if out is np.int32 else 4})
    return build_tflite(tensors, [Op("ARG_MAX", [0, 1], [2], opts)], [0], [2])


def assert_stream_equals_litert(model: Path, written: Path, x: np.ndarray) -> None:
    """The one NPU segment of `written`, disassembled and run on `x`, equals
    LiteRT's output on `x` (`assert_device_exact` draws its inputs over the
    whole int8 range, where a row's maximum is rarely tied)."""
    (dis,) = disassemble_segments(written)
    module = npu_module(dis)
    tensors = module.ops.first.tensors()  # type: ignore[union-attr]
    (src,) = [t for t in tensors if t.kind.data == "input"]
    (dst,) = [t for t in tensors if t.kind.data == "output"]
    got = run_stream(module, {src.tensor_name.data: x.reshape(src.shape)})
    interp = litert(model, {"input0": x})
    want = interp.get_tensor(interp.get_output_details()[0]["index"])
    assert np.array_equal(got[dst.tensor_name.data].reshape(want.shape), want)


@st.composite
def _arg_max(draw: st.DrawFn) -> dict:
    rank = draw(st.integers(1, 4))
    lead = draw(st.lists(st.integers(1, 6), min_size=rank - 1, max_size=rank - 1))
    depth = draw(st.one_of(st.integers(1, 127), st.sampled_from([1, 2, 127, 128, 140])))
    shape = (*lead, depth)
    axis = draw(st.sampled_from([-1, rank - 1] if draw(st.booleans()) else range(rank)))
    return {
        "shape": shape,
        "axis": axis,
        "out": draw(st.sampled_from([np.int32, np.int64])),
    }


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(p=_arg_max(), q=_Q, spread=st.integers(1, 4))
def test_random_arg_max_device_exact(tmp_path: Path, p: dict, q, spread: int) -> None:
    """ARG_MAX along the depth of at most 127 channels, to int32 or int64,
    any quantization: on the NPU (int16 keys 128·x + 127 − c, two max pools
    and a SUB), compiled, disassembled from the written file, run, equal to
    LiteRT, also on inputs of few distinct values (ties: the first index);
    the whole program too; along another axis or over more channels it
    stays on the CPU with Vela's reason."""
    model, written, remarks = compiled(tmp_path, "argmax", arg_max_model(**p, q=q))
    segments = assert_device_exact(model, written, seeds=(0,))
    shape, axis = p["shape"], p["axis"] % len(p["shape"])
    if axis != len(shape) - 1:
        assert segments == 0 and "not the depth" in remarks[0], remarks
    elif shape[-1] > 127:
        assert segments == 0 and "exceeds 127" in remarks[0], remarks
    else:
        assert segments == 1 and not remarks, remarks
        rng = np.random.default_rng(spread)
        x = (rng.integers(-spread, spread + 1, shape) * 40 + q[1]).clip(-128, 127)
        assert_stream_equals_litert(model, written, x.astype(np.int8))
    assert_program_equals_litert(model, 0)


def resize_model(
    hw: tuple[int, int], out: tuple[int, int], c: int, mode: int, dtype, zp: int
) -> bytes:
    """One RESIZE_NEAREST_NEIGHBOR (mode 0 plain, 1 align_corners, 2 half
    pixel centers) of a batch-1 NHWC input."""
    opts = {"AlignCorners": mode == 1, "HalfPixelCenters": mode == 2}
    tensors = [
        T((1, *hw, c), dtype, 0.1, zp),
        T((2,), np.int32, data=np.array(out, np.int32)),
        T((1, *out, c), dtype, 0.1, zp),
    ]
    op = Op(
        "RESIZE_NEAREST_NEIGHBOR", [0, 1], [2], ("ResizeNearestNeighborOptions", opts)
    )
    return build_tflite(tensors, [op], [0], [2])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    hw=st.tuples(st.integers(1, 9), st.integers(1, 9)),
    factor=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    odd=st.booleans(),
    c=st.integers(1, 20),
    mode=st.integers(0, 2),
    int16=st.booleans(),
    zp=st.integers(-128, 127),
)
def test_random_resize_nearest_device_exact(
    tmp_path: Path, hw, factor, odd, c, mode, int16, zp
) -> None:
    """RESIZE_NEAREST_NEIGHBOR upscales by integer factors (and, with `odd`,
    to sizes that are not multiples): strided 1×1 copies when the index map
    splits into a few arithmetic runs, exact from the file's bytes; else the
    CPU with a remark. Plain integer upscales always go to the NPU."""
    out = tuple(
        d * f - (1 if odd and d * f > 1 else 0) for d, f in zip(hw, factor, strict=True)
    )
    dtype = np.int16 if int16 else np.int8
    data = resize_model(hw, out, c, mode, dtype, 0 if int16 else zp)
    model, written, remarks = compiled(tmp_path, "rn", data)
    segments = assert_device_exact(model, written, seeds=(0,))
    if not odd and mode != 1:
        assert segments == 1 and not remarks, remarks
    if segments == 0:
        assert len(remarks) == 1 and "resize_nearest" in remarks[0], remarks
    assert_program_equals_litert(model, 0)


def test_resize_nearest_outside_the_npu_remark(tmp_path: Path) -> None:
    """A 9x upscale is 81 copies, more than the 64 allowed: the CPU."""
    data = resize_model((2, 2), (18, 18), 3, 0, np.int8, 1)
    model, written, remarks = compiled(tmp_path, "rn", data)
    assert assert_device_exact(model, written, seeds=(0,)) == 0
    assert len(remarks) == 1 and "9x9 copies exceed 64" in remarks[0], remarks


def conv_bias(rng: np.random.Generator, s_in: float, fs: list[float]) -> T:
    """A conv's int32 bias, quantised per output channel at input scale
    times filter scale."""
    return T(
        (len(fs),),
        np.int32,
        [float(np.float32(s_in * f)) for f in fs],
        0,
        data=rng.integers(-3000, 3000, len(fs)).astype(np.int32),
    )


def transpose_conv_model(
    rng: np.random.Generator,
    hw: tuple[int, int],
    ci: int,
    co: int,
    k: tuple[int, int],
    stride: tuple[int, int],
    same: bool,
    act: int = 0,
) -> bytes:
    """One TRANSPOSE_CONV with a bias, per-channel filter scales, output
    size as TFLite's converter gives it (SAME: input × stride; VALID: input
    × stride + max(kernel − stride, 0))."""
    (h, w), (kh, kw), (sy, sx) = hw, k, stride
    if same:
        oh, ow = h * sy, w * sx
    else:
        oh, ow = h * sy + max(kh - sy, 0), w * sx + max(kw - sx, 0)
    wt = rng.integers(-127, 128, (co, kh, kw, ci)).astype(np.int8)
    fs = [float(np.float32(v)) for v in rng.uniform(0.002, 0.03, co)]
    s_in = float(np.float32(rng.uniform(0.01, 0.1)))
    tensors = [
        T((4,), np.int32, data=np.array([1, oh, ow, co], np.int32)),
        T((co, kh, kw, ci), np.int8, fs, 0, 0, data=wt),
        T((1, h, w, ci), np.int8, s_in, int(rng.integers(-20, 20))),
        conv_bias(rng, s_in, fs),
        T((1, oh, ow, co), np.int8, 0.3, int(rng.integers(-20, 20))),
    ]
    opts = {"Padding": 0 if same else 1, "StrideW": sx, "StrideH": sy}
    if act:
        opts["FusedActivationFunction"] = act
    op = Op("TRANSPOSE_CONV", [0, 1, 2, 3], [4], ("TransposeConvOptions", opts))
    return build_tflite(tensors, [op], [2], [4])


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**16),
    hw=st.tuples(st.integers(1, 6), st.integers(1, 6)),
    ci=st.integers(1, 6),
    co=st.integers(1, 6),
    k=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    stride=st.sampled_from([(1, 1), (2, 2), (1, 2), (2, 1), (3, 3)]),
    same=st.booleans(),
)
def test_random_transpose_conv_device_exact(
    tmp_path: Path, seed, hw, ci, co, k, stride, same
) -> None:
    """TRANSPOSE_CONV as one stride-1 convolution per output phase, each
    writing every stride-th row and column: exact from the file's bytes. A
    kernel smaller than its stride (outputs no tap reaches) stays on the CPU
    with a remark."""
    data = transpose_conv_model(
        np.random.default_rng(seed), hw, ci, co, k, stride, same
    )
    model, written, remarks = compiled(tmp_path, "tc", data)
    segments = assert_device_exact(model, written, seeds=(0,))
    if k[0] >= stride[0] and k[1] >= stride[1]:
        assert segments == 1 and not remarks, remarks
    else:
        assert segments == 0 and "smaller than stride" in remarks[0], remarks
    assert_program_equals_litert(model, 0)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    hw=st.tuples(st.integers(1, 9), st.integers(1, 9)),
    factor=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    c=st.integers(1, 20),
    mode=st.integers(0, 2),
    zp=st.integers(-128, 127),
)
def test_random_resize_bilinear_device_exact(
    tmp_path: Path, hw, factor, c, mode, zp
) -> None:
    """RESIZE_BILINEAR by 1 or 2 per axis: plain, average pools of 1, 2 or 4
    values per output phase; with half-pixel centers, depthwise convolutions
    of 16ths (weights 1, 3, 9 and the clamped ends); exact from the file's
    bytes; what stays on the CPU (align_corners) says why."""
    out = (hw[0] * factor[0], hw[1] * factor[1])
    opts = {"AlignCorners": mode == 1, "HalfPixelCenters": mode == 2}
    tensors = [
        T((1, *hw, c), np.int8, 0.1, zp),
        T((2,), np.int32, data=np.array(out, np.int32)),
        T((1, *out, c), np.int8, 0.1, zp),
    ]
    op = Op("RESIZE_BILINEAR", [0, 1], [2], ("ResizeBilinearOptions", opts))
    model, written, remarks = compiled(
        tmp_path, "rb", build_tflite(tensors, [op], [0], [2])
    )
    segments = assert_device_exact(model, written, seeds=(0,))
    upscale = max(factor) <= 2 and (max(factor) == 1 or mode != 1)
    if upscale:
        assert segments == 1 and not remarks, remarks
    elif segments == 0:  # (an extent of 1 may still resize by copies)
        assert "resize_bilinear" in remarks[0], remarks
    assert_program_equals_litert(model, 0)


def test_tiled_chain_through_a_reshaped_mean(tmp_path: Path) -> None:
    """CONV_2D -> MEAN over the channels -> CONV_2D under an SRAM budget that
    makes tir-tile stripe the convolutions: the mean's depthwise sum reads
    and writes through reshape views (tiling used to fail on a view among
    a workspace's users); exact from the file's bytes."""
    from tirconst.tools.compile import compile_model

    rng = np.random.default_rng(3)
    conv = (
        "Conv2DOptions",
        {
            "Padding": 0,
            "StrideW": 1,
            "StrideH": 1,
            "FusedActivationFunction": 0,
            "DilationWFactor": 1,
            "DilationHFactor": 1,
        },
    )
    w1 = rng.integers(-127, 128, (16, 1, 1, 16)).astype(np.int8)
    w2 = rng.integers(-127, 128, (8, 1, 1, 1)).astype(np.int8)
    tensors = [
        T((1, 24, 24, 16), np.int8, 0.05, 1),
        T(w1.shape, np.int8, 0.01, 0, data=w1),
        T(
            (16,),
            np.int32,
            float(np.float32(0.0005)),
            0,
            data=np.arange(16, dtype=np.int32),
        ),
        T((1, 24, 24, 16), np.int8, 0.1, -3),
        T((1,), np.int32, data=np.array([3], np.int32)),
        T((1, 24, 24, 1), np.int8, 0.07, 4),
        T(w2.shape, np.int8, 0.01, 0, data=w2),
        T((8,), np.int32, float(np.float32(0.0007)), 0, data=np.zeros(8, np.int32)),
        T((1, 24, 24, 8), np.int8, 0.2, 0),
    ]
    ops = [
        Op("CONV_2D", [0, 1, 2], [3], conv),
        Op("MEAN", [3, 4], [5], ("ReducerOptions", {"KeepDims": True})),
        Op("CONV_2D", [5, 6, 7], [8], conv),
    ]
    model = tmp_path / "chain.tflite"
    model.write_bytes(build_tflite(tensors, ops, [0], [8]))
    remarks: list[str] = []
    compile_model(model, tmp_path / "out", sram_budget=30000, remark=remarks.append)
    assert not remarks
    written = tmp_path / "out" / "chain_tirconst.tflite"
    assert assert_device_exact(model, written, seeds=(0,)) == 1


def test_segment_whose_ops_all_read_one_constant(tmp_path: Path) -> None:
    """A 1x1 -> 2x2 half-pixel resize is four depthwise copies reading one
    weight constant (each allocating it): the segment still takes the flash
    blob as an operand (a constant's allocation clobbers nothing)."""
    opts = {"AlignCorners": False, "HalfPixelCenters": True}
    tensors = [
        T((1, 1, 1, 3), np.int8, 0.1, 0),
        T((2,), np.int32, data=np.array([2, 2], np.int32)),
        T((1, 2, 2, 3), np.int8, 0.1, 0),
    ]
    op = Op("RESIZE_BILINEAR", [0, 1], [2], ("ResizeBilinearOptions", opts))
    model, written, remarks = compiled(
        tmp_path, "rb", build_tflite(tensors, [op], [0], [2])
    )
    assert not remarks
    assert assert_device_exact(model, written) == 1
