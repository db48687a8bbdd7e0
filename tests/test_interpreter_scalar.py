"""TIR scalar semantics in the interpreter: hand-computed corner cases, and
hypothesis properties against plain-numpy formulations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.interp_programs import _np, apply, run_constant
from tirconst.interpreter import InterpreterError

INT8_MIN, INT8_MAX = -128, 127
I32_MIN, I32_MAX = -(2**31), 2**31 - 1
I64_MIN, I64_MAX = -(2**63), 2**63 - 1


# ------------------------------------------------------------ wraparound


@pytest.mark.parametrize(
    "op, t, a, b, expect",
    [
        ("arith.addi", "i8", [127, -128, 100], [1, -1, 100], [-128, 127, -56]),
        ("arith.subi", "i8", [-128, 127], [1, -1], [127, -128]),
        ("arith.muli", "i8", [64, -128, 16], [2, -1, 16], [-128, -128, 0]),
        ("arith.addi", "i16", [32767], [1], [-32768]),
        ("arith.addi", "i32", [I32_MAX, I32_MIN], [1, -1], [I32_MIN, I32_MAX]),
        ("arith.muli", "i32", [65536], [65536], [0]),
        ("arith.addi", "i64", [I64_MAX], [1], [I64_MIN]),
        ("arith.muli", "i64", [2**62], [4], [0]),
    ],
)
def test_integer_ops_wrap_at_the_type_width(op, t, a, b, expect):
    assert apply(op, t, a, b).tolist() == expect


@pytest.mark.parametrize(
    "body, rt, expect",
    [
        # Operands are constants, so range analysis knows them exactly: the
        # wrap must still happen when the exact result leaves the type.
        (
            "%a = arith.constant 127 : i8\n %b = arith.constant 1 : i8\n"
            " %z = arith.addi %a, %b : i8",
            "i8",
            -128,
        ),
        (
            "%a = arith.constant -128 : i8\n %b = arith.constant -1 : i8\n"
            " %z = arith.muli %a, %b : i8",
            "i8",
            -128,
        ),
        (
            "%a = arith.constant 100 : i8\n %b = arith.constant 27 : i8\n"
            " %z = arith.addi %a, %b : i8",
            "i8",
            127,
        ),
        ("%a = arith.constant 255 : i8\n %z = arith.extui %a : i8 to i32", "i32", 255),
        ("%a = arith.constant -1 : i32\n %z = arith.trunci %a : i32 to i8", "i8", -1),
        ("%a = arith.constant 511 : i32\n %z = arith.trunci %a : i32 to i8", "i8", -1),
        (
            "%a = arith.constant -1 : index\n %z = arith.index_cast %a : index to i32",
            "i32",
            -1,
        ),
        ("%a = arith.constant true\n %z = arith.extui %a : i1 to i32", "i32", 1),
        ("%a = arith.constant true\n %z = arith.extsi %a : i1 to i32", "i32", -1),
    ],
)
def test_constant_operands(body, rt, expect):
    assert run_constant(body, rt) == expect


# -------------------------------------------------------------- division


def test_floordiv_and_floormod_on_negatives():
    a = [-7, 7, -7, 7, -128, -128, 127, 0]
    b = [2, -2, -2, 2, 3, -3, -128, -5]
    assert apply("tir.floordiv", "i8", a, b).tolist() == [-4, -4, 3, 3, -43, 42, -1, 0]
    assert apply("tir.floormod", "i8", a, b).tolist() == [1, -1, -1, 1, 1, -2, -1, 0]


def test_floordiv_by_a_constant_divisor():
    # A constant positive divisor compiles to Python's // and %.
    body = (
        "%a = arith.constant -7 : i32\n %b = arith.constant 2 : i32\n"
        " %z = tir.{op} %a, %b : i32"
    )
    assert run_constant(body.format(op="floordiv"), "i32") == -4
    assert run_constant(body.format(op="floormod"), "i32") == 1


def test_unsigned_floordiv_compares_unsigned():
    assert apply("tir.floordiv", "ui8", [255, 7], [2, 2]).tolist() == [127, 3]
    assert apply("tir.max", "ui8", [200, 1], [100, 0]).tolist() == [200, 1]
    assert apply("tir.max", "i8", [-56, 1], [100, 0]).tolist() == [100, 1]


def test_c_division_truncates_toward_zero():
    a, b = [-7, 7, -7, 7, INT8_MIN], [2, -2, -2, 2, 1]
    assert apply("arith.divsi", "i8", a, b).tolist() == [-3, -3, 3, 3, INT8_MIN]
    assert apply("arith.remsi", "i8", a, b).tolist() == [-1, 1, -1, 1, 0]
    # -1 is 255 unsigned.
    assert apply("arith.divui", "i8", [-1], [2]).tolist() == [127]
    assert apply("arith.remui", "i8", [-1], [16]).tolist() == [15]
    assert apply("arith.floordivsi", "i8", [-7], [2]).tolist() == [-4]
    assert apply("arith.ceildivsi", "i8", [-7, 7], [2, 2]).tolist() == [-3, 4]


@pytest.mark.parametrize(
    ("flag", "a", "b", "ok"),
    [
        ("nsw", [2147483647], [1], False),
        ("nsw", [-2147483648], [-1], False),
        ("nsw", [2147483646], [1], True),
        ("nuw", [-1], [1], False),  # 4294967295 + 1 unsigned
        ("nuw", [-2], [1], True),
        ("nsw, nuw", [-1], [-1], False),  # signed fine, unsigned overflows
    ],
)
def test_overflow_flags_make_overflow_an_error(flag, a, b, ok):
    """`overflow<nsw>` / `<nuw>` (TVM's int32 rule): overflow is undefined."""
    text = f"""
    tir.func @main(%a : !tir.buffer<1xi32>, %b : !tir.buffer<1xi32>,
                   %r : !tir.buffer<1xi32>) {{
      %c0 = arith.constant 0 : index
      %x = tir.buffer_load %a[%c0] : !tir.buffer<1xi32>
      %y = tir.buffer_load %b[%c0] : !tir.buffer<1xi32>
      %s = arith.addi %x, %y overflow<{flag}> : i32
      tir.buffer_store %s, %r[%c0] : !tir.buffer<1xi32>
    }}"""
    from tirconst.interpreter import run_function

    inputs = {"a": np.array(a, np.int32), "b": np.array(b, np.int32)}
    if ok:
        assert run_function(text, inputs)["r"].tolist() == [a[0] + b[0]]
        return
    with pytest.raises(
        InterpreterError, match=r"'arith.addi' op in @main: \w+ overflow"
    ):
        run_function(text, inputs)


@pytest.mark.parametrize(
    "op, t, a, b, message",
    [
        ("arith.divsi", "i8", [INT8_MIN], [-1], r"division overflow \(-128 / -1\)"),
        ("arith.remsi", "i8", [INT8_MIN], [-1], "division overflow"),
        ("tir.floordiv", "i8", [INT8_MIN], [-1], "division overflow"),
        ("tir.floordiv", "i32", [5], [0], "division by zero"),
        ("tir.floormod", "i8", [5], [0], "division by zero"),
        ("arith.divui", "i8", [5], [0], "division by zero"),
        ("arith.shli", "i8", [1], [8], "shift by 8 is not below the bit width 8"),
        ("arith.shrsi", "i32", [1], [-1], "shift by 4294967295 is not below"),
    ],
)
def test_undefined_integer_ops_are_errors(op, t, a, b, message):
    with pytest.raises(InterpreterError, match=f"'{op}' op in @main: {message}"):
        apply(op, t, a, b)


# ------------------------------------------------------- shifts, compares


def test_shifts():
    assert apply("arith.shli", "i8", [1, 3], [7, 6]).tolist() == [-128, -64]
    assert apply("arith.shrsi", "i8", [-128, -1], [1, 7]).tolist() == [-64, -1]
    assert apply("arith.shrui", "i8", [-128, -1], [1, 7]).tolist() == [64, 1]


def test_comparisons_read_signedness_from_the_predicate():
    a, b = [-1, 1, 5], [1, -1, 5]
    assert apply("arith.cmpi slt,", "i8", a, b, rt="i1").tolist() == [
        True,
        False,
        False,
    ]
    assert apply("arith.cmpi ult,", "i8", a, b, rt="i1").tolist() == [
        False,
        True,
        False,
    ]
    assert apply("arith.cmpi uge,", "i8", a, b, rt="i1").tolist() == [True, False, True]
    assert apply("arith.maxui", "i8", [-56], [100]).tolist() == [-56]
    assert apply("arith.minsi", "i8", [-56], [100]).tolist() == [-56]


# ------------------------------------------------------------------ casts


def test_integer_casts():
    assert apply("tir.cast", "i32", [300, -129, 128], rt="i8").tolist() == [
        44,
        127,
        -128,
    ]
    assert apply("tir.cast", "i8", [-1, -128], rt="ui8").tolist() == [255, 128]
    assert apply("tir.cast", "ui8", [200, 255], rt="i32").tolist() == [200, 255]
    assert apply("tir.cast", "i8", [0, -3], rt="i1").tolist() == [False, True]
    assert apply("tir.cast", "i1", [True, False], rt="i32").tolist() == [1, 0]
    assert apply("arith.extsi", "i8", [-1, 127], rt="i32").tolist() == [-1, 127]
    assert apply("arith.extui", "i8", [-1, 127], rt="i32").tolist() == [255, 127]
    assert apply("arith.trunci", "i32", [0x1FF, 0x80], rt="i8").tolist() == [-1, -128]


def test_float_to_int_truncates_and_checks_range():
    assert apply("tir.cast", "f32", [2.7, -2.7, 127.9], rt="i8").tolist() == [
        2,
        -2,
        127,
    ]
    assert apply("arith.fptosi", "f32", [-128.5], rt="i8").tolist() == [-128]
    assert apply("arith.fptoui", "f32", [200.5], rt="i8").tolist() == [-56]
    for bad in (128.0, math.nan, math.inf):
        with pytest.raises(InterpreterError, match="'tir.cast' op in @main: "):
            apply("tir.cast", "f32", [bad], rt="i8")


def test_int_to_float_rounds_once_to_nearest_even():
    # 2**24 + 1 is a tie between 2**24 and 2**24 + 2: even wins.
    got = apply("tir.cast", "i32", [16777217, 16777219, -5], rt="f32")
    assert got.tolist() == [16777216.0, 16777220.0, -5.0]
    big = [2**63 - 1, -(2**63) + 1]
    assert apply("arith.sitofp", "i64", big, rt="f32").tolist() == [
        float(np.float32(2**63)),
        float(np.float32(-(2**63))),
    ]
    assert apply("arith.uitofp", "i8", [-1], rt="f32").tolist() == [255.0]


def same_floats(x: np.ndarray, y: np.ndarray) -> bool:
    """Bit for bit, except that any NaN matches any NaN (the sign and payload
    of a generated NaN are the platform's, not TIR's)."""
    nan = np.isnan(x)
    return bool((nan == np.isnan(y)).all()) and x[~nan].tobytes() == y[~nan].tobytes()


def test_float_arithmetic_rounds_to_the_type():
    a = np.array([0.1, 1e38, 1.0, 0.0, 3.0], np.float32)
    b = np.array([0.2, 1e38, 0.0, 0.0, 7.0], np.float32)
    got = apply("arith.addf", "f32", a, b)
    assert got.tobytes() == (a + b).tobytes()
    with np.errstate(all="ignore"):
        div = apply("arith.divf", "f32", a, b)
        assert same_floats(div, a / b)
    h = np.array([1000.0, 0.1], np.float16)
    with np.errstate(over="ignore"):
        assert apply("arith.mulf", "f16", h, h).tobytes() == (h * h).tobytes()
    assert apply("arith.truncf", "f32", [65520.0], rt="f16").tolist() == [math.inf]


def test_min_max_and_select_on_floats():
    a = np.array([1.5, -0.0, math.nan], np.float32)
    b = np.array([-2.0, 0.0, 1.0], np.float32)
    assert apply("tir.min", "f32", a, b)[:2].tolist() == [-2.0, 0.0]
    assert math.copysign(1, apply("arith.minimumf", "f32", a, b)[1]) == -1
    assert math.isnan(apply("arith.maximumf", "f32", a, b)[2])
    assert apply("arith.maxnumf", "f32", a, b)[2] == 1.0


# ------------------------------------------------- properties vs numpy


def _c_div(a, b):
    q = np.abs(a) // np.abs(b)
    return np.where((a < 0) != (b < 0), -q, q)


def _wide(f):
    return lambda a, b: f(a.astype(np.int64), b.astype(np.int64)).astype(a.dtype)


PROPERTIES = [
    ("arith.addi", "i8", _wide(np.add)),
    ("arith.subi", "i16", _wide(np.subtract)),
    ("arith.muli", "i32", _wide(np.multiply)),
    ("arith.muli", "i64", np.multiply),
    ("arith.divsi", "i32", _wide(_c_div)),
    ("arith.remsi", "i8", _wide(np.fmod)),
    ("tir.floordiv", "i8", _wide(np.floor_divide)),
    ("tir.floormod", "i32", _wide(np.mod)),
    ("tir.floordiv", "ui8", _wide(np.floor_divide)),
    ("tir.max", "i16", np.maximum),
    ("tir.min", "ui16", np.minimum),
    ("arith.xori", "i32", np.bitwise_xor),
    ("arith.andi", "i8", np.bitwise_and),
    ("arith.shrsi", "i32", lambda a, b: a >> (b & 31)),
]


@pytest.mark.parametrize(
    "op, t, reference", PROPERTIES, ids=[f"{op}-{t}" for op, t, _ in PROPERTIES]
)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_integer_ops_match_numpy(op, t, reference, data):
    dtype = _np(t)
    a = data.draw(hnp.arrays(dtype, 16))
    b = data.draw(hnp.arrays(dtype, 16))
    if "div" in op or "rem" in op or "mod" in op:
        b[b == 0] = 1
        if dtype.kind == "i":  # INT_MIN / -1 overflows (tested above)
            b[(a == np.iinfo(dtype).min) & (b == -1)] = 1
    if "shr" in op:
        b &= 31
    assert apply(op, t, a, b).tolist() == reference(a, b).tolist()


CASTS = [("i32", "i8"), ("i8", "ui8"), ("ui16", "i8"), ("i64", "i16"), ("i8", "i32")]


@pytest.mark.parametrize("src, dst", CASTS)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_integer_casts_match_numpy(src, dst, data):
    a = data.draw(hnp.arrays(_np(src), 16))
    assert apply("tir.cast", src, a, rt=dst).tolist() == a.astype(_np(dst)).tolist()


@settings(max_examples=30, deadline=None)
@given(
    a=hnp.arrays(np.float32, 16, elements=st.floats(width=32, allow_nan=False)),
    b=hnp.arrays(np.float32, 16, elements=st.floats(width=32, allow_nan=False)),
)
def test_float32_ops_match_numpy(a, b):
    with np.errstate(all="ignore"):
        for op, ref in (
            ("arith.addf", a + b),
            ("arith.mulf", a * b),
            ("arith.divf", a / b),
        ):
            assert same_floats(apply(op, "f32", a, b), ref), op


@settings(max_examples=30, deadline=None)
@given(a=hnp.arrays(np.int32, 16))
def test_int32_to_float32_matches_numpy(a):
    assert (
        apply("tir.cast", "i32", a, rt="f32").tobytes()
        == a.astype(np.float32).tobytes()
    )
