"""Buffers and structure in the interpreter: views, workspaces and their init
tracking, constants, bounds, control flow, extern calls, inputs and outputs."""

from __future__ import annotations

import numpy as np
import pytest

from tirconst.interpreter import InterpreterError, Program, random_inputs, run_function

COPY_THROUGH_VIEW = """
tir.func @main(%x : !tir.buffer<2x4xi8>, %y : !tir.buffer<8xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %row1 = tir.decl_buffer %y[4] : !tir.buffer<8xi8> -> !tir.buffer<4xi8>
  %flat = tir.reshape %x : !tir.buffer<2x4xi8> -> !tir.buffer<8xi8>
  %c7 = arith.constant 7 : index
  tir.for %i = %c0 to %c4 {
    %v = tir.buffer_load %x[%c1, %i] : !tir.buffer<2x4xi8>
    tir.buffer_store %v, %row1[%i] : !tir.buffer<4xi8>
    %j = arith.subi %c7, %i : index
    %w = tir.buffer_load %flat[%i] : !tir.buffer<8xi8>
    tir.buffer_store %w, %y[%i] : !tir.buffer<8xi8>
  }
}
"""


def test_views_share_storage_with_their_source():
    x = np.arange(8, dtype=np.int8).reshape(2, 4)
    out = run_function(COPY_THROUGH_VIEW, {"x": x})
    # y[4:] written through the decl_buffer view, y[:4] read through reshape.
    assert out["y"].tolist() == [0, 1, 2, 3, 4, 5, 6, 7]
    assert out["x"].tolist() == x.tolist()


WORKSPACE = """
tir.func @main(%x : !tir.buffer<4xi32>, %y : !tir.buffer<4xi32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %cw = arith.constant WRITTEN : index
  %t = tir.allocate : !tir.buffer<4xi32, "local">
  tir.for %i = %c0 to %cw {
    %v = tir.buffer_load %x[%i] : !tir.buffer<4xi32>
    %d = arith.addi %v, %v : i32
    tir.buffer_store %d, %t[%i] : !tir.buffer<4xi32, "local">
  }
  tir.for %i = %c0 to %c4 {
    %v = tir.buffer_load %t[%i] : !tir.buffer<4xi32, "local">
    tir.buffer_store %v, %y[%i] : !tir.buffer<4xi32>
  }
}
"""


def test_workspace_round_trip():
    x = np.array([1, -2, 3, 2**30], np.int32)
    out = run_function(WORKSPACE.replace("WRITTEN", "4"), {"x": x})
    assert out["y"].tolist() == [2, -4, 6, -(2**31)]


def test_reading_an_unwritten_workspace_element_is_an_error():
    x = np.zeros(4, np.int32)
    with pytest.raises(InterpreterError) as e:
        run_function(WORKSPACE.replace("WRITTEN", "3"), {"x": x})
    msg = str(e.value)
    assert msg.startswith("<string>:13:5: error: 'tir.buffer_load' op in @main: ")
    assert "reads [3] of %t (workspace allocated at <string>:6:3)" in msg
    assert "which has not been written" in msg


def test_a_workspace_in_a_loop_is_fresh_each_iteration():
    src = """
tir.func @main(%y : !tir.buffer<2xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %v = arith.constant 5 : i8
  tir.for %i = %c0 to %c2 {
    %t = tir.allocate : !tir.buffer<1xi8>
    %first = arith.cmpi eq, %i, %c0 : index
    tir.if %first {
      tir.buffer_store %v, %t[%c0] : !tir.buffer<1xi8>
    }
    %r = tir.buffer_load %t[%c0] : !tir.buffer<1xi8>
    tir.buffer_store %r, %y[%i] : !tir.buffer<2xi8>
  }
}"""
    with pytest.raises(InterpreterError, match=r"reads \[0\] of %t \(workspace"):
        run_function(src, {})


OUT_OF_BOUNDS = """
tir.func @main(%x : !tir.buffer<4x4xi8>, %y : !tir.buffer<4x4xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %hi = arith.constant HI : index
  tir.for %i = %c0 to %hi {
    tir.for %j = %c0 to %hi {
      %v = tir.buffer_load %x[%i, %j] : !tir.buffer<4x4xi8>
      %k = arith.subi %j, %c1 : index
      tir.buffer_store %v, %y[%i, %KIDX] : !tir.buffer<4x4xi8>
    }
  }
}
"""


def test_out_of_bounds_load_names_op_and_indices():
    x = np.zeros((4, 4), np.int8)
    src = OUT_OF_BOUNDS.replace("HI", "5").replace("KIDX", "j")
    with pytest.raises(InterpreterError) as e:
        run_function(src, {"x": x})
    assert str(e.value) == (
        "<string>:8:7: error: 'tir.buffer_load' op in @main: index [0, 4] is out "
        "of bounds for %x of shape [4, 4]"
    )


def test_out_of_bounds_store_with_a_negative_index():
    x = np.zeros((4, 4), np.int8)
    src = OUT_OF_BOUNDS.replace("HI", "4").replace("KIDX", "k")
    with pytest.raises(
        InterpreterError,
        match=r"'tir.buffer_store' op in @main: index \[0, -1\] is out of bounds "
        r"for %y of shape \[4, 4\]",
    ):
        run_function(src, {"x": x})


CONSTANTS = """
tir.constant @w = dense<[10, 20, 30, 40]> : tensor<4xi16>
tir.func @main(%y : !tir.buffer<4xi16>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %w = tir.allocate_const @w : !tir.buffer<4xi16>
  %d = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi16>
  tir.for %i = %c0 to %c4 {
    %a = tir.buffer_load %w[%i] : !tir.buffer<4xi16>
    %b = tir.buffer_load %d[%i] : !tir.buffer<4xi16>
    %s = arith.subi %a, %b : i16
    STORE
  }
}
"""


def test_inline_and_module_constants():
    out = run_function(CONSTANTS.replace("STORE", ""), {"y": np.zeros(4, np.int16)})
    assert out["y"].tolist() == [0, 0, 0, 0]
    src = CONSTANTS.replace("STORE", "tir.buffer_store %s, %y[%i] : !tir.buffer<4xi16>")
    assert run_function(src, {})["y"].tolist() == [9, 18, 27, 36]


def test_storing_into_a_constant_is_an_error():
    src = CONSTANTS.replace("STORE", "tir.buffer_store %s, %w[%i] : !tir.buffer<4xi16>")
    with pytest.raises(
        InterpreterError,
        match="'tir.buffer_store' op in @main: stores into %w, a constant buffer",
    ):
        run_function(src, {"y": np.zeros(4, np.int16)})


CONTROL = """
tir.func @main(%x : !tir.buffer<6xi32>, %y : !tir.buffer<6xi32>) {
  %c0 = arith.constant 0 : index
  %c6 = arith.constant 6 : index
  %zero = arith.constant 0 : i32
  %limit = arith.constant 1000 : i32
  tir.for %i = %c0 to %c6 parallel {
    %v = tir.buffer_load %x[%i] : !tir.buffer<6xi32>
    %small = arith.cmpi slt, %v, %limit : i32
    tir.assert %small, "input too large"
    %neg = arith.cmpi slt, %v, %zero : i32
    tir.if %neg {
      %m = arith.subi %zero, %v : i32
      tir.buffer_store %m, %y[%i] : !tir.buffer<6xi32>
    } else {
      %s = tir.select %neg, %zero, %v : i32
      tir.buffer_store %s, %y[%i] : !tir.buffer<6xi32>
    }
  }
}
"""


def test_if_else_select_and_assert():
    x = np.array([-3, 0, 5, -1000, 999, 7], np.int32)
    assert run_function(CONTROL, {"x": x})["y"].tolist() == [3, 0, 5, 1000, 999, 7]
    x[2] = 1000
    with pytest.raises(
        InterpreterError,
        match=r"<string>:10:5: error: 'tir.assert' op in @main: assertion failed: "
        "input too large",
    ):
        run_function(CONTROL, {"x": x})


def test_deep_loop_nests_compile():
    # 24 nested loops: more than Python's 20 statically nested blocks.
    depth = 24
    lines = [
        "tir.func @main(%y : !tir.buffer<2xi32>) {",
        "%c0 = arith.constant 0 : index",
        "%c1 = arith.constant 1 : index",
        "%c2 = arith.constant 2 : index",
        "%one = arith.constant 1 : i32",
        "%zero = arith.constant 0 : i32",
        "tir.buffer_store %zero, %y[%c0] : !tir.buffer<2xi32>",
        "tir.buffer_store %zero, %y[%c1] : !tir.buffer<2xi32>",
    ]
    for d in range(depth):
        lines.append(f"tir.for %i{d} = %c0 to {'%c2' if d < 3 else '%c1'} {{")
    lines += [
        "%v = tir.buffer_load %y[%i0] : !tir.buffer<2xi32>",
        "%w = arith.addi %v, %one : i32",
        "tir.buffer_store %w, %y[%i0] : !tir.buffer<2xi32>",
    ]
    lines += ["}"] * (depth + 1)
    assert run_function("\n".join(lines), {})["y"].tolist() == [4, 4]


EXTERN = """
tir.func @main(%x : !tir.buffer<3xi32>, %y : !tir.buffer<3xi32>) {
  %c2 = arith.constant 2 : i32
  %n = tir.call_extern "scale_into"(%x, %y, %c2)
      : (!tir.buffer<3xi32>, !tir.buffer<3xi32>, i32) -> i32
  %c0 = arith.constant 0 : index
  tir.buffer_store %n, %y[%c0] : !tir.buffer<3xi32>
}
"""


def test_call_extern_runs_python_functions():
    seen = []

    def scale_into(x, y, k):
        seen.append(k)
        y[...] = x * k
        return int(x.sum())

    out = run_function(
        EXTERN, {"x": np.array([1, 2, 3], np.int32)}, externs={"scale_into": scale_into}
    )
    assert seen == [2]
    assert out["y"].tolist() == [6, 4, 6]


def test_call_extern_errors():
    x = {"x": np.zeros(3, np.int32)}
    with pytest.raises(
        InterpreterError,
        match="no extern 'scale_into' was given .* no tir.func @scale_into",
    ):
        run_function(EXTERN, x)
    with pytest.raises(
        InterpreterError, match=r"extern returned 4294967296, which is not"
    ):
        run_function(EXTERN, x, externs={"scale_into": lambda *a: 2**32})
    with pytest.raises(
        InterpreterError, match="extern 'scale_into' failed: ZeroDivision"
    ):
        run_function(EXTERN, x, externs={"scale_into": lambda *a: 1 // 0})


def test_call_extern_of_a_tir_function():
    src = """
tir.func @double(%a : !tir.buffer<2xi8>, %b : !tir.buffer<2xi8>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  tir.for %i = %c0 to %c2 {
    %v = tir.buffer_load %a[%i] : !tir.buffer<2xi8>
    %d = arith.addi %v, %v : i8
    tir.buffer_store %d, %b[%i] : !tir.buffer<2xi8>
  }
}
tir.func @main(%x : !tir.buffer<2xi8>, %y : !tir.buffer<2xi8>) {
  %t = tir.allocate : !tir.buffer<2xi8>
  tir.call_extern "double"(%x, %t) : (!tir.buffer<2xi8>, !tir.buffer<2xi8>) -> ()
  tir.call_extern "double"(%t, %y) : (!tir.buffer<2xi8>, !tir.buffer<2xi8>) -> ()
}
"""
    out = run_function(src, {"x": np.array([3, 40], np.int8)})
    assert out["y"].tolist() == [12, -96]


def test_unsupported_ops_are_reported_at_compile_time():
    src = """
tir.func @main(%y : !tir.buffer<1xi32>) {
  %a = arith.constant 1 : i32
  %lo, %hi = arith.mului_extended %a, %a : i32
}"""
    with pytest.raises(
        InterpreterError,
        match="'arith.mului_extended' op in @main: the interpreter has no semantics",
    ):
        run_function(src, {"y": np.zeros(1, np.int32)})


# ------------------------------------------------------------ inputs, outputs


def test_input_errors():
    fn = Program(WORKSPACE.replace("WRITTEN", "4")).function("main")
    with pytest.raises(InterpreterError, match="input 'x' of @main has dtype int64"):
        fn({"x": [1, 2, 3, 4]})
    with pytest.raises(
        InterpreterError, match=r"has shape \[2, 2\], but the parameter"
    ):
        fn({"x": np.zeros((2, 2), np.int32)})
    with pytest.raises(InterpreterError, match="@main has no parameter 'z'"):
        fn({"x": np.zeros(4, np.int32), "z": np.zeros(4, np.int32)})
    with pytest.raises(InterpreterError, match="no tir.func @other .it has @main"):
        Program(WORKSPACE.replace("WRITTEN", "4")).function("other")


def test_outputs_must_be_given_or_fully_written():
    src = """
tir.func @main(%x : !tir.buffer<2xi8>, %y : !tir.buffer<2xi8>, %z : !tir.buffer<2xi8>) {
  %c0 = arith.constant 0 : index
  %v = tir.buffer_load %x[%c0] : !tir.buffer<2xi8>
  tir.buffer_store %v, %y[%c0] : !tir.buffer<2xi8>
}"""
    x = np.array([7, 8], np.int8)
    with pytest.raises(InterpreterError, match=r"'y' .* and y\[1\] was never written"):
        run_function(src, {"x": x, "z": x})
    with pytest.raises(InterpreterError, match="'z' of @main was neither given"):
        run_function(src, {"x": x, "y": x})
    out = run_function(src, {"x": x, "y": np.zeros(2, np.int8), "z": x})
    assert out["y"].tolist() == [7, 0]


def test_random_inputs_are_seeded_and_typed():
    a = random_inputs(CONSTANTS.replace("STORE", ""), seed=3)
    b = random_inputs(CONSTANTS.replace("STORE", ""), seed=3)
    c = random_inputs(CONSTANTS.replace("STORE", ""), seed=4)
    assert a["y"].dtype == np.int16 and a["y"].shape == (4,)
    assert a["y"].tolist() == b["y"].tolist() != c["y"].tolist()


def test_inputs_are_not_modified():
    x = np.arange(8, dtype=np.int8).reshape(2, 4)
    y = np.zeros(8, np.int8)
    run_function(COPY_THROUGH_VIEW, {"x": x, "y": y})
    assert y.tolist() == [0] * 8
