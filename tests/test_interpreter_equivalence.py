"""The equivalence check, from Python, from the pytest helper and from the
command line; it must fail on deliberately changed programs."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import assert_equivalent, assert_not_equivalent
from tirconst.interpreter import (
    InterpreterError,
    NotEquivalentError,
    check_equivalent,
    run_function,
)
from tirconst.tools.run import main

SQUARES = """
tir.func @main(%a : !tir.buffer<2x8xi8>, %c : !tir.buffer<2x8xi32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  tir.for %i = %c0 to %c2 {
    tir.for %j = %c0 to %c8 {
      %v = tir.buffer_load %a[%i, %j] : !tir.buffer<2x8xi8>
      %w = arith.extsi %v : i8 to i32
      %s = arith.muli %w, %w : i32
      tir.buffer_store %s, %c[%i, %j] : !tir.buffer<2x8xi32>
    }
  }
}
"""


def test_a_program_is_equivalent_to_itself():
    result = check_equivalent(SQUARES, SQUARES, trials=4)
    assert result.functions == ["main"]
    assert result.buffers == 8  # 2 parameters x 4 trials


def test_a_changed_program_is_caught_with_buffer_and_index():
    # Skip the last element: c[1, 7] keeps its input value.
    changed = SQUARES.replace(
        "tir.for %j = %c0 to %c8",
        "%c7 = arith.constant 7 : index\n    tir.for %j = %c0 to %c7",
    )
    with pytest.raises(NotEquivalentError) as e:
        check_equivalent(SQUARES, changed, seed=5)
    err = e.value
    assert (err.function, err.buffer, err.index, err.trial) == ("main", "c", (0, 7), 0)
    a = run_function(SQUARES, {"a": _inputs(5)["a"]})["c"]
    assert err.before == int(a[0, 7])
    assert str(err).startswith(
        f"error: not equivalent: @main: c[0, 7] is {err.before} before and "
        f"{err.after} after (2 of 16 elements differ; trial 0, inputs seeded with 5)"
    )


def _inputs(seed):
    from tirconst.interpreter import random_inputs

    return random_inputs(SQUARES, seed=seed)


def test_a_one_bit_change_is_caught():
    changed = SQUARES.replace("arith.muli %w, %w", "arith.xori %w, %w").replace(
        "%s = arith.xori",
        "%x = arith.muli %w, %w : i32\n      %one = arith.constant "
        "1 : i32\n      %s = arith.xori",
    )
    changed = changed.replace("%s = arith.xori %w, %w", "%s = arith.xori %x, %one")
    assert_not_equivalent(SQUARES, changed)


def test_signatures_and_functions_must_match():
    other = SQUARES.replace("%c : !tir.buffer<2x8xi32>)", "%d : !tir.buffer<2x8xi32>)")
    other = other.replace("%c[", "%d[")
    with pytest.raises(NotEquivalentError, match="@main has parameters"):
        check_equivalent(SQUARES, other)
    renamed = SQUARES.replace("@main", "@other")
    with pytest.raises(
        NotEquivalentError, match="after: error: not equivalent: it has no"
    ):
        check_equivalent(SQUARES, renamed)
    assert check_equivalent(SQUARES, SQUARES, function="main").functions == ["main"]


def test_a_failing_program_is_an_error_not_a_difference():
    broken = SQUARES.replace("%c[%i, %j]", "%c[%j, %i]")
    with pytest.raises(InterpreterError) as e:
        check_equivalent(SQUARES, broken)
    assert not isinstance(e.value, NotEquivalentError)
    assert "out of bounds for %c of shape [2, 8]" in str(e.value)


def test_the_pytest_helper_fails_with_the_difference():
    changed = SQUARES.replace("arith.muli %w, %w", "arith.addi %w, %w")
    with pytest.raises(pytest.fail.Exception, match=r"@main: c\[0, 0\] is"):
        assert_equivalent(SQUARES, changed)
    assert_equivalent(SQUARES, SQUARES, trials=1)


# ------------------------------------ loop-level programs vs operator ops

MAX_POOL_OP = """
tir.func @main(%x : !tir.buffer<1x4x4x2xi8>, %y : !tir.buffer<1x2x2x2xi8>) {
  tir.max_pool2d ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%y : !tir.buffer<1x2x2x2xi8>)
      {window = array<i64: 2, 2>, stride = array<i64: 2, 2>,
       pad = array<i64: 0, 0, 0, 0>, act_min = ACT_MIN, act_max = 127}
}
"""

MAX_POOL_LOOPS = """
tir.func @main(%x : !tir.buffer<1x4x4x2xi8>, %y : !tir.buffer<1x2x2x2xi8>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %lowest = arith.constant -128 : i8
  %act_min = arith.constant ACT_MIN : i8
  tir.for %oy = %c0 to %c2 {
    tir.for %ox = %c0 to %c2 {
      tir.for %ch = %c0 to %c2 {
        tir.buffer_store %lowest, %y[%c0, %oy, %ox, %ch] : !tir.buffer<1x2x2x2xi8>
        tir.for %ky = %c0 to %c2 {
          tir.for %kx = %c0 to %c2 {
            %sy = arith.muli %oy, %c2 : index
            %iy = arith.addi %sy, %ky : index
            %sx = arith.muli %ox, %c2 : index
            %ix = arith.addi %sx, %kx : index
            %v = tir.buffer_load %x[%c0, %iy, %ix, %ch] : !tir.buffer<1x4x4x2xi8>
            %m = tir.buffer_load %y[%c0, %oy, %ox, %ch] : !tir.buffer<1x2x2x2xi8>
            %n = tir.max %m, %v : i8
            tir.buffer_store %n, %y[%c0, %oy, %ox, %ch] : !tir.buffer<1x2x2x2xi8>
          }
        }
        %r = tir.buffer_load %y[%c0, %oy, %ox, %ch] : !tir.buffer<1x2x2x2xi8>
        %c = tir.max %r, %act_min : i8
        tir.buffer_store %c, %y[%c0, %oy, %ox, %ch] : !tir.buffer<1x2x2x2xi8>
      }
    }
  }
}
"""


def test_loop_level_max_pool_equals_the_operator_op():
    op, loops = (s.replace("ACT_MIN", "-20") for s in (MAX_POOL_OP, MAX_POOL_LOOPS))
    assert_equivalent(op, loops, trials=5)
    # A loop nest with the wrong clamp is caught.
    assert_not_equivalent(op, MAX_POOL_LOOPS.replace("ACT_MIN", "-21"))


FC_OP = """
tir.func @main(%x : !tir.buffer<3x16xi8>, %y : !tir.buffer<3x4xi8>) {
  %w = tir.allocate_const @w : !tir.buffer<4x16xi8>
  %b = tir.allocate_const @b : !tir.buffer<4xi32>
  tir.fully_connected ins(%x, %w, %b : !tir.buffer<3x16xi8>, !tir.buffer<4x16xi8>,
      !tir.buffer<4xi32>) outs(%y : !tir.buffer<3x4xi8>)
      {input_zp = -3, filter_zp = 0, output_zp = 5,
       multiplier = array<i32: 1518500250>, shift = array<i32: -7>,
       act_min = -100, act_max = 127}
}
"""

# The same, with TFLite's integer requantization written out in i64 `arith`:
# acc = bias + sum (x + 3) * w; SaturatingRoundingDoublingHighMul by 1518500250
# ((acc * m + nudge) / 2**31, C division); RoundingDivideByPOT by 7 (ties away
# from zero); + 5; clamp to [-100, 127].
FC_LOOPS = """
tir.func @main(%x : !tir.buffer<3x16xi8>, %y : !tir.buffer<3x4xi8>) {
  %w = tir.allocate_const @w : !tir.buffer<4x16xi8>
  %b = tir.allocate_const @b : !tir.buffer<4xi32>
  %acc = tir.allocate : !tir.buffer<i32>
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %in_off = arith.constant 3 : i32
  %m = arith.constant 1518500250 : i64
  %pos_nudge = arith.constant 1073741824 : i64
  %neg_nudge = arith.constant -1073741823 : i64
  %two31 = arith.constant 2147483648 : i64
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %e = arith.constant 7 : i64
  %mask = arith.constant 127 : i64
  %half = arith.constant 63 : i64
  %out_zp = arith.constant 5 : i64
  %lo = arith.constant -100 : i64
  %hi = arith.constant 127 : i64
  tir.for %r = %c0 to %c3 {
    tir.for %o = %c0 to %c4 {
      %bias = tir.buffer_load %b[%o] : !tir.buffer<4xi32>
      tir.buffer_store %bias, %acc[] : !tir.buffer<i32>
      tir.for %k = %c0 to %c16 {
        %xv = tir.buffer_load %x[%r, %k] : !tir.buffer<3x16xi8>
        %wv = tir.buffer_load %w[%o, %k] : !tir.buffer<4x16xi8>
        %x32 = arith.extsi %xv : i8 to i32
        %w32 = arith.extsi %wv : i8 to i32
        %xs = arith.addi %x32, %in_off : i32
        %p = arith.muli %xs, %w32 : i32
        %a = tir.buffer_load %acc[] : !tir.buffer<i32>
        %s = arith.addi %a, %p : i32
        tir.buffer_store %s, %acc[] : !tir.buffer<i32>
      }
      %a32 = tir.buffer_load %acc[] : !tir.buffer<i32>
      %a64 = arith.extsi %a32 : i32 to i64
      %ab = arith.muli %a64, %m : i64
      %nonneg = arith.cmpi sge, %ab, %zero : i64
      %nudge = arith.select %nonneg, %pos_nudge, %neg_nudge : i64
      %abn = arith.addi %ab, %nudge : i64
      %high = arith.divsi %abn, %two31 : i64
      %rem = arith.andi %high, %mask : i64
      %neg = arith.cmpi slt, %high, %zero : i64
      %negbit = arith.extui %neg : i1 to i64
      %threshold = arith.addi %half, %negbit : i64
      %shifted = arith.shrsi %high, %e : i64
      %up = arith.cmpi sgt, %rem, %threshold : i64
      %upbit = arith.extui %up : i1 to i64
      %q = arith.addi %shifted, %upbit : i64
      %qz = arith.addi %q, %out_zp : i64
      %c1 = arith.maxsi %qz, %lo : i64
      %c2 = arith.minsi %c1, %hi : i64
      %out = arith.trunci %c2 : i64 to i8
      tir.buffer_store %out, %y[%r, %o] : !tir.buffer<3x4xi8>
    }
  }
}
"""


def _with_constants(src: str, seed: int) -> str:
    rng = np.random.default_rng(seed)
    w = rng.integers(-128, 128, (4, 16)).astype(np.int8)
    b = rng.integers(-3000, 3000, 4).astype(np.int32)
    hexdata = lambda a: '"0x' + a.tobytes().hex() + '"'  # noqa: E731
    consts = (
        f"tir.constant @w = dense<{hexdata(w)}> : tensor<4x16xi8>\n"
        f"tir.constant @b = dense<{hexdata(b)}> : tensor<4xi32>\n"
    )
    return consts + src


def test_loop_level_requantization_equals_the_fully_connected_kernel():
    for seed in (0, 1):
        assert_equivalent(
            _with_constants(FC_OP, seed), _with_constants(FC_LOOPS, seed), trials=3
        )


# ---------------------------------------------------------- command line


def test_cli_reports_one_line_and_exits_nonzero(tmp_path, capsys):
    before, after = tmp_path / "before.mlir", tmp_path / "after.mlir"
    before.write_text(SQUARES)
    after.write_text(SQUARES.replace("arith.muli %w, %w", "arith.addi %w, %w"))
    main(["--check-equivalent", str(before), str(before)])
    assert capsys.readouterr().out.startswith("equivalent: @main (3 trials")
    with pytest.raises(SystemExit) as e:
        main(["--check-equivalent", str(before), str(after), "--seed", "9"])
    assert e.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "inputs seeded with 9" in err[0]


def test_cli_split_input_file(tmp_path, capsys):
    changed = SQUARES.replace("arith.muli %w, %w", "arith.addi %w, %w")
    before, after = tmp_path / "b.mlir", tmp_path / "a.mlir"
    before.write_text(SQUARES + "// -----\n" + SQUARES)
    after.write_text(SQUARES + "// -----\n" + changed)
    with pytest.raises(SystemExit):
        main(["--check-equivalent", "--split-input-file", str(before), str(after)])
    captured = capsys.readouterr()
    assert captured.out.count("equivalent: @main") == 1
    assert "not equivalent" in captured.err
    after.write_text(SQUARES)
    with pytest.raises(SystemExit):
        main(["--check-equivalent", "--split-input-file", str(before), str(after)])
    assert "2 chunks in" in capsys.readouterr().err


def test_cli_usage_errors_are_one_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["--trials"])
    assert e.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    bad = tmp_path / "bad.mlir"
    bad.write_text("tir.func @main(%x : !tir.buffer<4xi8>) {\n  %v = nonsense\n}\n")
    with pytest.raises(SystemExit) as e:
        main([str(bad), "--random-inputs", "0"])
    err = capsys.readouterr().err.strip()
    assert e.value.code == 1 and err.startswith(f"{bad}:") and "\n" not in err
