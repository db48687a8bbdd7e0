"""`tir-fold-constants` from Python: folded reads and folded arithmetic compute
what the interpreter computes, loops whose constant reads fold lose the
constant, and what must not fold stays."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.helpers import assert_equivalent
from tirconst.core.context import context, load
from tirconst.dialects.tir import AllocateConstOp, BufferLoadOp, ConstantOp
from tirconst.interpreter.program import run_function
from tirconst.transforms.fold_constants import FoldConstantsPass


def fold(text: str):
    module = load(text)
    FoldConstantsPass().apply(context(), module)
    module.verify()
    return module


def ops(module, kind) -> list:
    return [op for op in module.walk() if isinstance(op, kind)]


LOOP_NEST = """
tir.constant @bias = dense<[10, 20, 30]> : tensor<3xi32>
tir.func @main(%x : !tir.buffer<3x4xi32>, %y : !tir.buffer<3x4xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %bias = tir.allocate_const @bias : !tir.buffer<3xi32>
  %scale = tir.allocate_const dense<[[5, 5, 5, 5], [5, 5, 5, 5], [1, 2, 3, 4]]>
      : !tir.buffer<3x4xi32>
  %view = tir.decl_buffer %scale[4] : !tir.buffer<3x4xi32> -> !tir.buffer<4xi32>
  tir.for %i = %c0 to %c3 {
    tir.for %j = %c0 to %c4 {
      %a = tir.buffer_load %x[%i, %j] : !tir.buffer<3x4xi32>
      %s = tir.buffer_load %view[%j] : !tir.buffer<4xi32>
      %b = tir.buffer_load %bias[%c1] : !tir.buffer<3xi32>
      %r0 = tir.buffer_load %scale[%c0, %j] : !tir.buffer<3x4xi32>
      %m = arith.muli %a, %s : i32
      %mm = arith.muli %m, %r0 : i32
      %r = arith.addi %mm, %b : i32
      tir.buffer_store %r, %y[%i, %j] : !tir.buffer<3x4xi32>
    }
  }
}
"""


def test_loop_nest_whose_constant_reads_fold_loses_the_constants():
    after = fold(LOOP_NEST)
    assert ops(after, AllocateConstOp) == []
    assert ops(after, ConstantOp) == [], "the module constant went with its last use"
    loads = ops(after, BufferLoadOp)
    assert [str(load.buffer.name_hint) for load in loads] == ["x"]
    assert_equivalent(LOOP_NEST, after)


def test_a_varying_region_does_not_fold():
    text = LOOP_NEST.replace("%scale[4]", "%scale[6]")  # the view now spans rows 1-2
    after = fold(text)
    assert len(ops(after, AllocateConstOp)) == 1
    assert_equivalent(text, after)


def test_written_constant_is_not_folded():
    text = """
    tir.func @main(%y : !tir.buffer<2xi8>) {
      %c0 = arith.constant 0 : index
      %w = tir.allocate_const dense<[7, 7]> : !tir.buffer<2xi8>
      %v = tir.buffer_load %w[%c0] : !tir.buffer<2xi8>
      tir.buffer_store %v, %w[%c0] : !tir.buffer<2xi8>
    }"""
    after = fold(text)
    assert len(ops(after, BufferLoadOp)) == 1


def test_nans_do_not_fold_but_infinities_do():
    nan = np.array([np.float32("nan")]).view(np.uint32)[0] | 1  # a payload
    data = np.array([nan, 0x7F800000], np.uint32).view(np.float32)
    text = f"""
    tir.func @main(%y : !tir.buffer<2xf32>) {{
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %w = tir.allocate_const dense<"0x{data.tobytes().hex()}"> : !tir.buffer<2xf32>
      %a = tir.buffer_load %w[%c0] : !tir.buffer<2xf32>
      %b = tir.buffer_load %w[%c1] : !tir.buffer<2xf32>
      tir.buffer_store %a, %y[%c0] : !tir.buffer<2xf32>
      tir.buffer_store %b, %y[%c1] : !tir.buffer<2xf32>
    }}"""
    after = fold(text)
    assert [load.result.name_hint for load in ops(after, BufferLoadOp)] == ["a"]
    assert_equivalent(text, load(str(after)))  # through the text, bit for bit


def test_overflowing_nsw_ops_stay_for_run_time():
    """`overflow<nsw>` (TVM's int32 rule): an overflowing fold is undefined,
    so it stays (the interpreter then reports it); one that fits folds."""
    text = """
    tir.func @main(%y : !tir.buffer<2xi32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %big = arith.constant 2147483647 : i32
      %one = arith.constant 1 : i32
      %two = arith.constant 2 : i32
      %a = arith.addi %big, %one overflow<nsw> : i32
      %b = arith.addi %one, %two overflow<nsw> : i32
      tir.buffer_store %a, %y[%c0] : !tir.buffer<2xi32>
      tir.buffer_store %b, %y[%c1] : !tir.buffer<2xi32>
    }"""
    after = str(fold(text))
    assert "arith.addi %big, %one overflow<nsw>" in after
    assert "%one, %two" not in after and "arith.constant 3 : i32" in after


# --------------------------------------------- scalar folds vs the interpreter

INT_TYPES = {"i8": 8, "i32": 32, "i64": 64}
INT_BINARY = [
    "arith.addi",
    "arith.subi",
    "arith.muli",
    "arith.andi",
    "arith.ori",
    "arith.xori",
    "arith.shli",
    "arith.shrsi",
    "arith.shrui",
    "arith.divsi",
    "arith.remsi",
    "arith.divui",
    "arith.remui",
    "arith.floordivsi",
    "arith.ceildivsi",
    "arith.ceildivui",
    "arith.minsi",
    "arith.maxsi",
    "arith.minui",
    "arith.maxui",
    "tir.floordiv",
    "tir.floormod",
    "tir.min",
    "tir.max",
]
FLOAT_BINARY = [
    "arith.addf",
    "arith.subf",
    "arith.mulf",
    "arith.divf",
    "arith.maximumf",
    "arith.minimumf",
    "arith.maxnumf",
    "arith.minnumf",
    "tir.min",
    "tir.max",
]
CMPI = ["eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge"]
CMPF = [
    "oeq",
    "ogt",
    "oge",
    "olt",
    "ole",
    "one",
    "ord",
    "ueq",
    "ugt",
    "uge",
    "ult",
    "ule",
    "une",
    "uno",
]


def program(consts: list[tuple[str, str]], body: str, result: str, rtype: str) -> str:
    lines = [f"  %k{i} = arith.constant {v} : {t}" for i, (v, t) in enumerate(consts)]
    return f"""
    tir.func @main(%y : !tir.buffer<1x{rtype}>) {{
      %c0 = arith.constant 0 : index
    {chr(10).join(lines)}
      {body}
      tir.buffer_store {result}, %y[%c0] : !tir.buffer<1x{rtype}>
    }}"""


def folds_like_the_interpreter(text: str) -> None:
    from tirconst.interpreter import InterpreterError

    try:
        result = run_function(text, {})["y"]
    except InterpreterError:
        assume(False)  # undefined at run time (x / 0, ...): nothing to compare
    after = fold(text)
    if np.issubdtype(result.dtype, np.floating) and np.isnan(result).any():
        assert _unfolded(after), "a NaN result must not fold"
    else:
        assert_folded(after)
    assert_equivalent(text, load(str(after)), trials=1)


FOLDED = ("builtin.module", "tir.func", "arith.constant", "tir.buffer_store")


def _unfolded(module) -> list[str]:
    return [op.name for op in module.walk() if op.name not in FOLDED]


def assert_folded(module) -> None:
    """Folding happened: only constants and the store of the result are left."""
    assert not _unfolded(module), f"not folded: {_unfolded(module)}"


def int_value(width: int):
    edges = [0, 1, -1, 2, -(1 << (width - 1)), (1 << (width - 1)) - 1, width, width - 1]
    return st.one_of(
        st.sampled_from(edges), st.integers(-(1 << (width - 1)), (1 << (width - 1)) - 1)
    )


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(INT_BINARY), st.sampled_from(sorted(INT_TYPES)), st.data())
def test_integer_ops_fold_like_the_interpreter(op, t, data):
    a, b = data.draw(int_value(INT_TYPES[t])), data.draw(int_value(INT_TYPES[t]))
    text = program([(str(a), t), (str(b), t)], f"%r = {op} %k0, %k1 : {t}", "%r", t)
    folds_like_the_interpreter(text)


floats = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, -1.5, 65504.0, 1e-8, 3.4e38]),
    st.floats(-1e6, 1e6, allow_nan=False, width=32),
)


def float_text(x: float) -> str:
    return repr(float(x)) if math.isfinite(x) and "e" not in repr(x) else f"{x:.17e}"


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(FLOAT_BINARY),
    st.sampled_from(["f16", "f32", "f64"]),
    floats,
    floats,
)
def test_float_ops_fold_like_the_interpreter(op, t, a, b):
    if t == "f16":
        assume(abs(a) <= 65504 and abs(b) <= 65504)
    consts = [(float_text(a), t), (float_text(b), t)]
    folds_like_the_interpreter(program(consts, f"%r = {op} %k0, %k1 : {t}", "%r", t))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(CMPI), int_value(8), int_value(8))
def test_cmpi_folds_like_the_interpreter(pred, a, b):
    consts = [(str(a), "i8"), (str(b), "i8")]
    body = (
        f"%c = arith.cmpi {pred}, %k0, %k1 : i8\n      %r = arith.extui %c : i1 to i8"
    )
    folds_like_the_interpreter(program(consts, body, "%r", "i8"))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(CMPF), floats, st.one_of(floats, st.just(float("nan"))))
def test_cmpf_folds_like_the_interpreter(pred, a, b):
    consts = [
        (float_text(a), "f32"),
        ("0x7FC00000" if math.isnan(b) else float_text(b), "f32"),
    ]
    body = (
        f"%c = arith.cmpf {pred}, %k0, %k1 : f32\n      %r = arith.extui %c : i1 to i8"
    )
    folds_like_the_interpreter(program(consts, body, "%r", "i8"))


CASTS = ["i1", "i8", "i32", "i64", "f16", "f32", "f64"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CASTS), st.sampled_from(CASTS), st.data())
def test_tir_cast_folds_like_the_interpreter(src, dst, data):
    if src.startswith("f"):
        v = data.draw(st.floats(-3e4, 3e4, allow_nan=False))
        value = float_text(v)
    elif src == "i1":
        value = data.draw(st.sampled_from(["true", "false"]))
    else:
        value = str(data.draw(int_value(int(src[1:]))))
    if src == "i1":
        text = program(
            [],
            f"%k0 = arith.constant {value}\n      %r = tir.cast %k0 : i1 to {dst}",
            "%r",
            dst,
        )
    else:
        text = program([(value, src)], f"%r = tir.cast %k0 : {src} to {dst}", "%r", dst)
    folds_like_the_interpreter(text)


@pytest.mark.parametrize(
    "body, t",
    [
        ("%r = arith.extsi %k0 : i8 to i32", "i32"),
        ("%r = arith.extui %k0 : i8 to i32", "i32"),
        ("%r = arith.trunci %k1 : i32 to i8", "i8"),
        ("%r = arith.sitofp %k0 : i8 to f32", "f32"),
        ("%r = arith.uitofp %k0 : i8 to f32", "f32"),
        (
            "%f = arith.sitofp %k1 : i32 to f64\n%r = arith.fptosi %f : f64 to i32",
            "i32",
        ),
        (
            "%i = arith.index_cast %k1 : i32 to index\n"
            "%r = arith.index_cast %i : index to i32",
            "i32",
        ),
        (
            "%c = arith.cmpi slt, %k0, %k1 : i8\n%r = arith.select %c, %k0, %k0 : i8",
            "i8",
        ),
        ("%r = arith.negf %k2 : f32", "f32"),
        ("%r = arith.truncf %k3 : f64 to f16", "f16"),
        ("%r = arith.extf %k2 : f32 to f64", "f64"),
    ],
)
def test_conversions_fold_like_the_interpreter(body, t):
    consts = [("-3", "i8"), ("300", "i32"), ("2.5", "f32"), ("0.1", "f64")]
    if "%k1 : i8" in body:
        consts[1] = ("5", "i8")
    text = program(consts, body, "%r", t)
    after = fold(text)
    assert_folded(after)
    assert_equivalent(text, load(str(after)), trials=1)


def test_undefined_ops_stay():
    consts = [("1", "i8"), ("0", "i8"), ("8", "i8"), ("-128", "i8"), ("-1", "i8")]
    for name, operands in [
        ("arith.divsi", "%k0, %k1"),  # by zero
        ("arith.shli", "%k0, %k2"),  # by the width
        ("tir.floordiv", "%k3, %k4"),  # overflows
    ]:
        after = fold(program(consts, f"%r = {name} {operands} : i8", "%r", "i8"))
        assert [op.name for op in after.walk() if op.name == name] == [name]


@pytest.mark.parametrize("t, w", [("i8", 8), ("i32", 32), ("i64", 64)])
def test_min_floormod_minus_one_folds_to_zero(t, w):
    # Defined (0) for the interpreter, unlike MIN floordiv -1: so it folds.
    text = program(
        [(str(-(1 << (w - 1))), t), ("-1", t)],
        f"%r = tir.floormod %k0, %k1 : {t}",
        "%r",
        t,
    )
    folds_like_the_interpreter(text)
