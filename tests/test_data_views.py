"""Concatenation, split and slice as addressing (`tir-data-views`), on small
TFLite models against LiteRT: each compiled program equals LiteRT in the
interpreters and from the written file's bytes, and the data movement joins
the NPU ops around it in one segment (no CPU operator)."""

from __future__ import annotations

from dataclasses import dataclass, field
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
from tests.test_tflite_litert import Op, T, build_tflite
from tirconst.analysis.views import place_of, root_of, view_of
from tirconst.core.context import load
from tirconst.dialects.tir import AllocateOp, ConcatenationOp, FuncOp, StridedSliceOp
from tirconst.tools.compile import Compiler

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def f32(v: float) -> float:
    return float(np.float32(v))


@dataclass
class Graph:
    """A small model under construction: tensors, operators, inputs."""

    rng: np.random.Generator
    tensors: list[T] = field(default_factory=list)
    ops: list[Op] = field(default_factory=list)
    inputs: list[int] = field(default_factory=list)

    def tensor(self, t: T) -> int:
        self.tensors.append(t)
        return len(self.tensors) - 1

    def input(self, shape: tuple[int, ...], q: tuple[float, int]) -> int:
        i = self.tensor(T(shape, np.int8, *q))
        self.inputs.append(i)
        return i

    def pool(self, x: int, q: tuple[float, int], k: int, kind: str) -> int:
        """A SAME pool of window k, stride 1: the shape stays."""
        y = self.tensor(T(self.tensors[x].shape, np.int8, *q))
        opts = {
            "Padding": 0,
            "StrideW": 1,
            "StrideH": 1,
            "FilterWidth": k,
            "FilterHeight": k,
            "FusedActivationFunction": 0,
        }
        self.ops.append(Op(kind, [x], [y], ("Pool2DOptions", opts)))
        return y

    def conv(self, x: int, q_in: tuple[float, int], co: int, q: tuple) -> int:
        """A 1x1 convolution to `co` channels."""
        n, h, w, ci = self.tensors[x].shape
        wt = self.rng.integers(-127, 128, (co, 1, 1, ci)).astype(np.int8)
        ws = [f32(self.rng.uniform(0.002, 0.02)) for _ in range(co)]
        wi = self.tensor(T(wt.shape, np.int8, ws, [0] * co, 0, wt))
        bias = self.rng.integers(-300, 300, co).astype(np.int32)
        bs = [q_in[0] * s for s in ws]
        bi = self.tensor(T((co,), np.int32, bs, [0] * co, 0, bias))
        y = self.tensor(T((n, h, w, co), np.int8, *q))
        opts = {"Padding": 0, "StrideW": 1, "StrideH": 1, "FusedActivationFunction": 0}
        self.ops.append(Op("CONV_2D", [x, wi, bi], [y], ("Conv2DOptions", opts)))
        return y

    def add(self, a: int, b: int, qa: tuple, qb: tuple, q: tuple) -> int:
        y = self.tensor(T(self.tensors[a].shape, np.int8, *q))
        opts = ("AddOptions", {"FusedActivationFunction": 0})
        self.ops.append(Op("ADD", [a, b], [y], opts))
        return y

    def build(self, outputs: list[int]) -> bytes:
        return build_tflite(self.tensors, self.ops, self.inputs, outputs)


def _q(rng: np.random.Generator) -> tuple[float, int]:
    return f32(rng.uniform(0.01, 0.1)), int(rng.integers(-100, 100))


def _producer(g: Graph, shape: tuple[int, ...], q: tuple, kind: str) -> int:
    """A tensor of `shape` quantized `q`, made by an NPU op of `kind` from a
    model input (or the model input itself: "input")."""
    if kind == "input":
        return g.input(shape, q)
    if kind in ("MAX_POOL_2D", "AVERAGE_POOL_2D"):
        x = g.input(shape, q)
        k = 1 if kind == "AVERAGE_POOL_2D" else int(g.rng.integers(1, 4))
        return g.pool(x, q, k, kind)
    if kind == "CONV_2D":
        qi = _q(g.rng)
        x = g.input((*shape[:3], int(g.rng.integers(1, 5))), qi)
        return g.conv(x, qi, shape[3], q)
    qa, qb = _q(g.rng), _q(g.rng)
    a, b = g.input(shape, qa), g.input(shape, qb)
    return g.add(a, b, qa, qb, q)


PRODUCERS = ["input", "MAX_POOL_2D", "AVERAGE_POOL_2D", "CONV_2D", "ADD"]


def _check(tmp: Path, name: str, data: bytes, segments: int = 1) -> None:
    model, written, remarks = compiled(tmp, name, data)
    assert not remarks, remarks
    assert assert_device_exact(model, written, seeds=(0,)) == segments
    assert_program_equals_litert(model, 1)


def _no_data_ops(model: Path) -> None:
    """Nothing of the concatenation or slices is left as an op."""
    module, _ = Compiler(model, "ethos-u55-128", None).run()
    left = [
        op for op in module.walk() if isinstance(op, ConcatenationOp | StridedSliceOp)
    ]
    assert not left


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    axis=st.integers(0, 3),
    kinds=st.lists(st.sampled_from(PRODUCERS), min_size=2, max_size=4),
    consumer=st.booleans(),
)
def test_concatenation_of_npu_ops(
    tmp_path: Path, seed: int, axis: int, kinds: list[str], consumer: bool
) -> None:
    """CONCATENATION along any axis of 2-4 tensors made by convs, pools, adds
    (written in place) or model inputs (copied by the NPU), then optionally
    a pool reading the whole: one NPU segment, equal to LiteRT."""
    rng = np.random.default_rng(seed)
    g = Graph(rng)
    base = [1, *(int(v) for v in rng.integers(1, 6, 3))]
    q = _q(rng)
    parts = []
    for kind in kinds:
        shape = list(base)
        shape[axis] = 1 if axis == 0 else int(rng.integers(1, 5))
        parts.append(_producer(g, tuple(shape), q, kind))
    out = list(base)
    out[axis] = sum(g.tensors[p].shape[axis] for p in parts)
    cat = g.tensor(T(tuple(out), np.int8, *q))
    neg = axis - 4 if rng.integers(0, 2) else axis
    g.ops.append(
        Op("CONCATENATION", parts, [cat], ("ConcatenationOptions", {"Axis": neg}))
    )
    last = cat
    if consumer and axis != 0:  # a batch of several is no NPU feature map
        last = g.pool(cat, q, int(rng.integers(1, 4)), "MAX_POOL_2D")
    data = g.build([last])
    _check(tmp_path, "concat", data)
    _no_data_ops(tmp_path / "concat.tflite")


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    axis=st.integers(1, 3),
    opcode=st.sampled_from(["SPLIT", "SPLIT_V", "SLICE", "STRIDED_SLICE", "UNPACK"]),
    produced=st.booleans(),
)
def test_split_read_in_place(
    tmp_path: Path, seed: int, axis: int, opcode: str, produced: bool
) -> None:
    """SPLIT, SPLIT_V, SLICE, STRIDED_SLICE (stride 1, or 2 across H/W) and
    UNPACK of a model input or of an NPU op's result, each part read by an
    NPU op (an UNPACK's 3-D parts by an ADD): one NPU segment, the parts
    read in place (or, an UNPACK of the channels, copied by the NPU), equal
    to LiteRT."""
    rng = np.random.default_rng(seed)
    g = Graph(rng)
    q = _q(rng)
    shape = [1, *(int(v) for v in rng.integers(2, 7, 3))]
    x = _producer(g, tuple(shape), q, "CONV_2D" if produced else "input")
    d = shape[axis]
    outs: list[int] = []
    if opcode == "UNPACK":
        parts = []
        for _ in range(d):
            p = list(shape)
            del p[axis]
            parts.append(g.tensor(T(tuple(p), np.int8, *q)))
        opts = ("UnpackOptions", {"Num": d, "Axis": axis})
        g.ops.append(Op("UNPACK", [x], parts, opts))
        for p in parts:
            outs.append(g.add(p, p, q, q, _q(rng)))
    elif opcode in ("SPLIT", "SPLIT_V"):
        if opcode == "SPLIT":
            n = next(k for k in (3, 2, 1) if d % k == 0)
            sizes = [d // n] * n
        else:
            cut = sorted({int(v) for v in rng.integers(1, d, 2)})
            sizes = [b - a for a, b in zip([0, *cut], [*cut, d], strict=True)]
        parts = []
        for s in sizes:
            p = list(shape)
            p[axis] = s
            parts.append(g.tensor(T(tuple(p), np.int8, *q)))
        ax = g.tensor(T((1,), np.int32, data=np.array([axis], np.int32)))
        if opcode == "SPLIT":
            opts = ("SplitOptions", {"NumSplits": len(sizes)})
            g.ops.append(Op("SPLIT", [ax, x], parts, opts))
        else:
            sz = g.tensor(T((len(sizes),), np.int32, data=np.array(sizes, np.int32)))
            opts = ("SplitVOptions", {"NumSplits": len(sizes)})
            g.ops.append(Op("SPLIT_V", [x, sz, ax], parts, opts))
    else:
        begin = [0, *(int(rng.integers(0, v)) for v in shape[1:])]
        size = [
            1,
            *(
                int(rng.integers(1, v - b + 1))
                for v, b in zip(shape[1:], begin[1:], strict=True)
            ),
        ]
        step = [1, *(int(rng.integers(1, 3)) if i < 2 else 1 for i in range(3))]
        if opcode == "SLICE":
            step = [1, 1, 1, 1]
        count = [-(-n // s) for n, s in zip(size, step, strict=True)]
        part = g.tensor(T(tuple(count), np.int8, *q))
        b = g.tensor(T((4,), np.int32, data=np.array(begin, np.int32)))
        if opcode == "SLICE":
            s = g.tensor(T((4,), np.int32, data=np.array(size, np.int32)))
            g.ops.append(Op("SLICE", [x, b, s], [part], ("SliceOptions", {})))
        else:
            end = [a + n for a, n in zip(begin, size, strict=True)]
            e = g.tensor(T((4,), np.int32, data=np.array(end, np.int32)))
            st_ = g.tensor(T((4,), np.int32, data=np.array(step, np.int32)))
            opts = ("StridedSliceOptions", {"BeginMask": 0, "EndMask": 0})
            g.ops.append(Op("STRIDED_SLICE", [x, b, e, st_], [part], opts))
        parts = [part]
    for p in parts if opcode != "UNPACK" else []:
        qo = _q(rng)
        if rng.integers(0, 2):
            outs.append(g.conv(p, q, int(rng.integers(1, 4)), qo))
        else:
            outs.append(g.pool(p, q, int(rng.integers(1, 4)), "MAX_POOL_2D"))
    data = g.build(outs)
    _check(tmp_path, "split", data)
    _no_data_ops(tmp_path / "split.tflite")


def fire(g: Graph, x: int, qx: tuple, sq: int, ex: int) -> tuple[int, tuple]:
    """SqueezeNet's fire module on `x`: a 1x1 squeeze conv, two expand convs
    (1x1 and 3x3 SAME, ReLU) and their channel concatenation."""
    rng = g.rng
    qs, qe = _q(rng), (f32(rng.uniform(0.01, 0.1)), -128)
    s = g.conv(x, qx, sq, qs)
    e1 = g.conv(s, qs, ex, qe)
    n, h, w, _ = g.tensors[s].shape
    wt = rng.integers(-127, 128, (ex, 3, 3, sq)).astype(np.int8)
    ws = [f32(rng.uniform(0.002, 0.02)) for _ in range(ex)]
    wi = g.tensor(T(wt.shape, np.int8, ws, [0] * ex, 0, wt))
    bias = rng.integers(-300, 300, ex).astype(np.int32)
    bi = g.tensor(T((ex,), np.int32, [qs[0] * v for v in ws], [0] * ex, 0, bias))
    e3 = g.tensor(T((n, h, w, ex), np.int8, *qe))
    opts = {"Padding": 0, "StrideW": 1, "StrideH": 1, "FusedActivationFunction": 1}
    g.ops.append(Op("CONV_2D", [s, wi, bi], [e3], ("Conv2DOptions", opts)))
    cat = g.tensor(T((n, h, w, 2 * ex), np.int8, *qe))
    opts = ("ConcatenationOptions", {"Axis": 3})
    g.ops.append(Op("CONCATENATION", [e1, e3], [cat], opts))
    return cat, qe


def fire_module(
    seed: int = 0, h: int = 8, w: int = 8, c: int = 8, sq: int = 4, ex: int = 8,
    modules: int = 1,
) -> bytes:  # fmt: skip
    """conv -> fire module(s) -> conv: a SqueezeNet-like model."""
    g = Graph(np.random.default_rng(seed))
    qx = _q(g.rng)
    x = g.input((1, h, w, c), qx)
    y, q = x, qx
    for _ in range(modules):
        y, q = fire(g, y, q, sq, ex)
    return g.build([g.conv(y, q, c, _q(g.rng))])


def test_fire_module_is_one_segment(tmp_path: Path) -> None:
    """conv -> two convs -> concat -> conv compiles into ONE NPU segment,
    bit-exact from the file; the expand convs write their channels of the
    concatenated tensor, which the planner places once."""
    data = fire_module(modules=2)
    _check(tmp_path, "fire", data)
    module, _ = Compiler(tmp_path / "fire.tflite", "ethos-u55-128", None).run()
    assert not [op for op in module.walk() if isinstance(op, ConcatenationOp)]


def test_views_module() -> None:
    """view_of composes offsets and strides through decl_buffer and reshape
    (the verifier refuses a reshape of a strided view); place_of adds the
    placement, None for an unplaced root."""
    text = """
    tir.pool @sram size 1024 alignment 16
    tir.func @f(%x : !tir.buffer<1x4x4x6xi8>)
        attributes {param_placement = {x = #tir.place<@sram, 32>}} {
      %a = tir.decl_buffer %x[24] : !tir.buffer<1x4x4x6xi8> -> !tir.buffer<1x3x4x6xi8>
      %r = tir.reshape %a : !tir.buffer<1x3x4x6xi8> -> !tir.buffer<12x6xi8>
      %c = tir.decl_buffer %x[2] strides [96, 24, 6, 1]
          : !tir.buffer<1x4x4x6xi8> -> !tir.buffer<1x4x4x3xi8>
      %w = tir.allocate : !tir.buffer<8xi8>
    }
    """
    func = next(op for op in load(text).walk() if isinstance(op, FuncOp))
    ops = list(func.body.block.ops)
    a, r, c, w = (op.results[0] for op in ops)
    x = func.args[0]
    assert view_of(r).root is x and view_of(r).offset == 24
    assert view_of(r).strides == (6, 1) and view_of(r).dense
    vc = view_of(c)
    assert (vc.offset, vc.strides, vc.dense) == (2, (96, 24, 6, 1), False)
    assert root_of(c) is x and root_of(w) is w
    p = place_of(c)
    assert p is not None and (p.pool, p.offset, p.strides) == (
        "sram",
        34,
        (96, 24, 6, 1),
    )
    assert place_of(w) is None and isinstance(w.owner, AllocateOp)


def _cpu_maximum(g: Graph, x: int, q: tuple[float, int]) -> int:
    """MAXIMUM(x, x) quantized `q`, unlike x: it stays on the CPU (the NPU,
    as Vela, compares operands and output of one quantization)."""
    y = g.tensor(T(g.tensors[x].shape, np.int8, *q))
    g.ops.append(Op("MAXIMUM", [x, x], [y]))
    return y


@pytest.mark.parametrize("where", ["between", "after"])
def test_cpu_operator_beside_a_concatenation(tmp_path: Path, where: str) -> None:
    """A CPU operator (a MAXIMUM of operands quantized unlike its output,
    which the NPU does not take) between a part's producer and the
    concatenation: the part crosses NPU segments as a model tensor, so it is
    not written in place but copied; a CPU operator reading the
    concatenated tensor reads it whole. Either way exact from the file."""
    g = Graph(np.random.default_rng(3))
    q = (1 / 256, -128)
    qx = _q(g.rng)
    x = g.input((1, 4, 4, 3), qx)
    a = g.conv(x, qx, 5, q)
    wide = 260
    if where == "between":
        b = _cpu_maximum(g, g.input((1, 4, 4, wide), _q(g.rng)), q)
    else:
        b = g.conv(x, qx, wide, q)
    cat = g.tensor(T((1, 4, 4, 5 + wide), np.int8, *q))
    opts = ("ConcatenationOptions", {"Axis": 3})
    g.ops.append(Op("CONCATENATION", [a, b], [cat], opts))
    if where == "between":
        last = g.conv(cat, q, 4, _q(g.rng))
    else:
        last = _cpu_maximum(g, cat, (1 / 128, -1))
    model, written, remarks = compiled(tmp_path, where, g.build([last]))
    assert remarks and all("quantized unlike" in r for r in remarks)
    assert assert_device_exact(model, written, seeds=(0, 1)) == (
        2 if where == "between" else 1
    )
    assert_program_equals_litert(model, 0)
    _no_data_ops(model)
