"""Bad and hostile inputs (issue 9): no data lost, no value read wrongly, no
hang, no traceback. Each tool runs in-process (`tests.tool_runner.call`)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tests.tool_runner import assert_clean_error, call, files_in
from tirconst.core.diagnostics import ToolError, check_strings
from tirconst.core.files import atomic_output

ROOT = Path(__file__).resolve().parent.parent
DENSE = (ROOT / "examples" / "dense_layer.mlir").read_text()
MODEL = ROOT / "models" / "tflite_micro_magic_wand.tflite"
CSV = "id,lower,upper,size\na,0,2,16\nb,1,3,8\n"


def nested_fors(depth: int) -> str:
    """A valid program of `depth` nested `tir.for` loops."""
    head = [
        "tir.func @main(%y : !tir.buffer<1xi32>) {",
        "  %c0 = arith.constant 0 : index",
        "  %c1 = arith.constant 1 : index",
        "  %v = arith.constant 7 : i32",
    ]
    body = [f"tir.for %i{k} = %c0 to %c1 {{" for k in range(depth)]
    store = ["tir.buffer_store %v, %y[%c0] : !tir.buffer<1xi32>"]
    return "\n".join(head + body + store + ["}"] * (depth + 1)) + "\n"


# -- data loss ---------------------------------------------------------------


def test_opt_output_may_be_the_input(tmp_path: Path) -> None:
    src = tmp_path / "a.mlir"
    src.write_text(DENSE)
    status, _, err = call(
        "tirconst-opt", str(src), "-p", "tir-fold-constants", "-o", str(src)
    )
    assert status == 0, err
    assert "tir.func @main" in src.read_text()
    assert files_in(tmp_path) == ["a.mlir"]  # no temporary left behind


def test_failed_opt_keeps_an_existing_output(tmp_path: Path) -> None:
    src = tmp_path / "a.mlir"
    src.write_text(DENSE)
    status, _, err = call(
        "tirconst-opt", str(src), "-p", "no-such-pass", "-o", str(src)
    )
    assert_clean_error(status, err, "no-such-pass")
    assert src.read_text() == DENSE
    out = tmp_path / "out.mlir"
    out.write_text("keep me")
    bad = tmp_path / "bad.mlir"
    bad.write_text("tir.func @main( {\n")
    status, _, err = call("tirconst-opt", str(bad), "-o", str(out))
    assert_clean_error(status, err, "bad.mlir:1:")
    assert out.read_text() == "keep me"


def test_failed_opt_creates_no_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mlir"
    bad.write_text("%x = arith.constant : i32\n")
    status, _, err = call("tirconst-opt", str(bad), "-o", str(tmp_path / "new.mlir"))
    assert_clean_error(status, err)
    assert files_in(tmp_path) == ["bad.mlir"]


def test_split_input_failure_leaves_no_partial_output(tmp_path: Path) -> None:
    src = tmp_path / "s.mlir"
    src.write_text(DENSE + "// -----\ntir.func @f( {\n")
    status, _, err = call(
        "tirconst-opt", str(src), "--split-input-file", "-o", str(tmp_path / "o.mlir")
    )
    assert_clean_error(status, err)
    assert files_in(tmp_path) == ["s.mlir"]


def test_run_outputs_written_whole_at_the_given_path(tmp_path: Path) -> None:
    src = tmp_path / "a.mlir"
    src.write_text(DENSE)
    out = tmp_path / "results"  # no .npz suffix is added
    status, _, err = call(
        "tirconst-run", str(src), "--random-inputs", "0", "--outputs", str(out)
    )
    assert status == 0, err
    with np.load(out) as data:
        assert sorted(data.files) == ["input0", "output0"]
    assert files_in(tmp_path) == ["a.mlir", "results"]


@pytest.mark.parametrize("target", [".", "dir"])
def test_run_outputs_to_a_directory_is_refused(tmp_path: Path, target: str) -> None:
    src = tmp_path / "a.mlir"
    src.write_text(DENSE)
    (tmp_path / "dir").mkdir()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        status, _, err = call(
            "tirconst-run", "a.mlir", "--random-inputs", "0", "--outputs", target
        )
    finally:
        os.chdir(cwd)
    assert_clean_error(status, err, "is a directory")
    assert files_in(tmp_path) == ["a.mlir", "dir"]
    assert files_in(tmp_path / "dir") == []


def test_failed_run_writes_no_outputs(tmp_path: Path) -> None:
    src = tmp_path / "a.mlir"
    src.write_text(DENSE.replace("%input0[%i]", "%input0[%c4]"))  # out of bounds
    out = tmp_path / "o.npz"
    out.write_bytes(b"old")
    status, _, err = call(
        "tirconst-run", str(src), "--random-inputs", "0", "--outputs", str(out)
    )
    assert_clean_error(status, err, "tir.buffer_load")
    assert out.read_bytes() == b"old"


def test_import_output_is_atomic(tmp_path: Path) -> None:
    out = tmp_path / "m.mlir"
    out.write_text("keep me")
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(MODEL.read_bytes()[:100])
    status, _, err = call("tirconst-import", str(bad), "-o", str(out))
    assert_clean_error(status, err, "bad.tflite")
    assert out.read_text() == "keep me"
    assert files_in(tmp_path) == ["bad.tflite", "m.mlir"]
    status, _, err = call("tirconst-import", str(MODEL), "-o", str(out))
    assert status == 0, err
    assert "tir.func" in out.read_text()


def test_plan_outputs_are_atomic(tmp_path: Path) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text(CSV)
    status, _, err = call(
        "tirconst-plan",
        str(csv),
        "-o",
        str(tmp_path / "o.csv"),
        "--plot",
        str(tmp_path / "o.svg"),
    )
    assert status == 0, err
    assert "offset" in (tmp_path / "o.csv").read_text()
    assert (tmp_path / "o.svg").read_text().rstrip().endswith("</svg>")
    assert files_in(tmp_path) == ["o.csv", "o.svg", "p.csv"]


def test_plan_full_disk_is_one_line(tmp_path: Path, monkeypatch) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text(CSV)
    import tirconst.core.files as files

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full)
    status, _, err = call("tirconst-plan", str(csv), "-o", str(tmp_path / "o.csv"))
    assert_clean_error(status, err, "No space left on device")
    assert files_in(tmp_path) == ["p.csv"]


def test_plan_unexpected_error_is_one_line(tmp_path: Path, monkeypatch) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text(CSV)
    import tirconst.tools.plan as plan_tool

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(plan_tool, "plan", boom)
    status, _, err = call("tirconst-plan", str(csv))
    assert status == 2
    assert err.strip().splitlines() == [
        f"{csv}: internal error: RuntimeError: boom "
        "(set TIRCONST_DEBUG=1 for a traceback)"
    ]


def test_atomic_output_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "x"
    target.write_text("old")
    target.chmod(0o640)
    with atomic_output(target) as f:
        f.write("new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    with pytest.raises(RuntimeError), atomic_output(target) as f:
        f.write("half")
        raise RuntimeError
    assert target.read_text() == "new"
    assert files_in(tmp_path) == ["x"]


# -- values read wrongly -------------------------------------------------------


def test_negative_elide_threshold_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "a.mlir"
    src.write_text(DENSE)
    status, _, err = call("tirconst-opt", str(src), "--elide-constants-above", "-5")
    assert status == 2 and "not negative" in err


@pytest.mark.parametrize(
    "row, message",
    [
        ("a,0,2,1_0", "malformed size '1_0'"),
        ("a,0,2,\u0661\u0660", "malformed size"),  # Arabic-Indic digits
        ("a,0,2,10,99", "expected 4 columns, found 5"),
        ("a,0x1,2,10", "malformed lower"),
    ],
)
def test_plan_reads_only_plain_integers(tmp_path: Path, row: str, message: str) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text(f"id,lower,upper,size\n{row}\n", encoding="utf-8")
    status, _, err = call("tirconst-plan", str(csv))
    assert_clean_error(status, err, message)


def test_plan_reads_a_byte_order_mark(tmp_path: Path) -> None:
    csv = tmp_path / "p.csv"
    csv.write_bytes(b"\xef\xbb\xbf" + CSV.encode())
    status, out, err = call("tirconst-plan", str(csv))
    assert status == 0, err
    assert out.startswith("peak 24 ")


@pytest.mark.parametrize("value", ["1_0", "\u0661"])
def test_plan_options_are_plain_integers(tmp_path: Path, value: str) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text(CSV)
    status, _, err = call("tirconst-plan", str(csv), "--capacity", value)
    assert status == 2 and "not an integer" in err


# -- hangs ---------------------------------------------------------------------


@pytest.mark.parametrize("tool", ["tirconst-opt", "tirconst-run"])
@pytest.mark.parametrize(
    "text",
    [
        'tir.constant @w = dense<"0x' + "e8" * 40,  # cut off in a hex literal
        '"test.op"() {s = "' + "a" * 60 + "\n} : () -> ()\n",  # in a string
        '"test.op"() {s = "' + "a" * 60 + "\\q" + "a" * 60 + '"} : () -> ()\n',
    ],
)
def test_unterminated_string_is_an_error_not_a_hang(
    tmp_path: Path, tool: str, text: str
) -> None:
    src = tmp_path / "cut.mlir"
    src.write_text(text)
    status, _, err = call(tool, str(src))
    assert_clean_error(status, err, "cut.mlir:1:")
    assert "string literal" in err


def test_string_check_is_not_fooled_by_comments_and_escapes() -> None:
    check_strings('// an "unterminated one in a comment\n%x = "a // b \\" \\0A"\n', "t")
    with pytest.raises(ToolError, match=r"t:2:6: error: string literal is not"):
        check_strings('// ok\n%x = "abc\n', "t")


# -- tracebacks ----------------------------------------------------------------


def test_deeply_nested_loops_are_read(tmp_path: Path) -> None:
    src = tmp_path / "n.mlir"
    src.write_text(nested_fors(150))
    status, out, err = call("tirconst-opt", str(src))
    assert status == 0, err
    assert out.count("tir.for") == 150
    status, _, err = call("tirconst-run", str(src))
    if status:  # the interpreter may refuse, but in one line naming the op
        assert_clean_error(status, err, "'tir.func' op")


def test_deep_list_literal_is_one_line(tmp_path: Path) -> None:
    src = tmp_path / "d.mlir"
    depth = 3000
    src.write_text(
        "tir.func @main() {\n  %a = tir.allocate_const dense<"
        + "[" * depth
        + "1"
        + "]" * depth
        + "> : !tir.buffer<1xi32>\n}\n"
    )
    for tool in ("tirconst-opt", "tirconst-run"):
        status, _, err = call(tool, str(src))
        assert_clean_error(status, err, "d.mlir:2:")
        assert len(err) < 1000  # the message is cut, not 3000 shape entries


@pytest.mark.parametrize(
    "decl",
    [
        "%a = tir.allocate : !tir.buffer<1000000000000000xi32>",
        "%a = tir.allocate at <@sram, 1000000000000000> : !tir.buffer<4xi32>",
    ],
)
def test_huge_buffers_name_the_op(tmp_path: Path, decl: str) -> None:
    src = tmp_path / "h.mlir"
    ty = decl.rsplit(": ", 1)[1]
    src.write_text(
        "tir.pool @sram\n"
        "tir.func @main(%y : !tir.buffer<1xi32>) {\n"
        "  %c0 = arith.constant 0 : index\n"
        f"  {decl}\n"
        "  %v = arith.constant 1 : i32\n"
        f"  tir.buffer_store %v, %a[%c0] : {ty}\n"
        "  tir.buffer_store %v, %y[%c0] : !tir.buffer<1xi32>\n}\n"
    )
    status, _, err = call("tirconst-run", str(src))
    assert_clean_error(status, err, "h.mlir:")
    assert "memory available" in err


def test_huge_parameter_names_the_function(tmp_path: Path) -> None:
    src = tmp_path / "p.mlir"
    src.write_text("tir.func @main(%x : !tir.buffer<1000000000000000xi8>) {\n}\n")
    status, _, err = call("tirconst-run", str(src), "--random-inputs", "0")
    assert_clean_error(status, err, "p.mlir:1:1: error: 'tir.func' op: parameter %x")


@pytest.mark.parametrize("kind", ["empty", "npy", "zip", "garbage"])
def test_bad_inputs_file_is_one_line(tmp_path: Path, kind: str) -> None:
    src = tmp_path / "a.mlir"
    src.write_text(DENSE)
    inputs = tmp_path / "in.npz"
    if kind == "empty":
        inputs.write_bytes(b"")
    elif kind == "npy":
        inputs = tmp_path / "in.npy"
        np.save(inputs, np.zeros(4, np.int8))
    elif kind == "zip":
        with zipfile.ZipFile(inputs, "w") as z:
            z.writestr("input0.npy", b"not an array")
    else:
        inputs.write_bytes(b"\x93NUMPY garbage")
    status, _, err = call("tirconst-run", str(src), "--inputs", str(inputs))
    assert_clean_error(status, err, "in.np")


@pytest.mark.parametrize(
    "target", ["riscv-asm", "llvm", "wat", "x86-asm", "csl", "mps"]
)
def test_targets_that_cannot_print_tir_refuse_it(tmp_path: Path, target: str) -> None:
    src = tmp_path / "a.mlir"
    src.write_text(DENSE)
    status, out, err = call("tirconst-opt", str(src), "-t", target)
    assert_clean_error(status, err, f"target '{target}' cannot emit 'tir.func'")
    assert out == ""


def test_a_target_failing_on_other_ir_is_one_line(tmp_path: Path) -> None:
    src = tmp_path / "m.mlir"
    src.write_text("func.func @f() {\n  func.return\n}\n")
    status, _, err = call("tirconst-opt", str(src), "-t", "riscv-asm")
    assert_clean_error(status, err, "target 'riscv-asm' failed")


def test_non_utf8_input_is_one_line(tmp_path: Path) -> None:
    src = tmp_path / "b.mlir"
    src.write_bytes(b"tir.func @main() {\n}\n\xff\xfe\n")
    for tool in ("tirconst-opt", "tirconst-run"):
        status, _, err = call(tool, str(src))
        assert_clean_error(status, err, "b.mlir")


# -- xdsl-opt's flags keep working -----------------------------------------------


def test_no_implicit_module(tmp_path: Path) -> None:
    src = tmp_path / "a.mlir"
    src.write_text(DENSE)
    status, _, err = call("tirconst-opt", str(src), "--no-implicit-module")
    assert_clean_error(status, err, "builtin.module operation expected")
    src.write_text("builtin.module {\n" + DENSE + "}\n")
    status, out, err = call("tirconst-opt", str(src), "--no-implicit-module")
    assert status == 0, err
    assert out.count("builtin.module") == 1


def test_shrink(tmp_path: Path) -> None:
    src = tmp_path / "a.mlir"
    src.write_text(DENSE)
    status, out, _ = call("tirconst-opt", str(src), "--shrink")
    assert status == 1 and out.strip().endswith("Failure, can't shrink")


def test_every_xdsl_opt_flag_is_offered() -> None:
    import argparse

    from xdsl.xdsl_opt_main import xDSLOptMain

    from tirconst.tools.opt import TirconstOptMain

    def flags(cls: type) -> set[str]:
        parser = argparse.ArgumentParser()
        main = cls.__new__(cls)
        main.available_frontends = {"mlir": None}
        main.available_targets = {"mlir": None}
        main.available_passes = {}
        cls.register_all_arguments(main, parser)
        return {o for a in parser._actions for o in a.option_strings}

    ours, theirs = flags(TirconstOptMain), flags(xDSLOptMain)
    assert theirs <= ours
    assert {"--no-implicit-module", "--shrink"} <= ours
    assert issubclass(TirconstOptMain, xDSLOptMain)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--random-inputs", "-1"], "--random-inputs: must be >= 0"),
        (["--random-inputs", "1_0"], "not an integer: '1_0'"),
    ],
)
def test_run_counts_are_plain_integers(tmp_path: Path, args, message) -> None:
    src = tmp_path / "a.mlir"
    src.write_text(DENSE)
    status, _, err = call("tirconst-run", str(src), *args)
    assert status == 2 and message in err


def test_zero_trials_is_not_equivalence(tmp_path: Path) -> None:
    src = tmp_path / "a.mlir"
    src.write_text(DENSE)
    status, _, err = call(
        "tirconst-run", "--check-equivalent", str(src), str(src), "--trials", "0"
    )
    assert status == 2 and "--trials: must be >= 1" in err


# -- one error path: an unexpected exception is one line naming the input -------


@pytest.mark.parametrize("tool", ["tirconst-opt", "tirconst-run", "tirconst-import"])
def test_unexpected_exception_names_the_input(
    tmp_path: Path, monkeypatch, tool: str
) -> None:
    import tirconst.core.diagnostics as diagnostics
    import tirconst.frontend.importer as importer
    import tirconst.tools.import_tflite as import_tool

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    if tool == "tirconst-import":
        monkeypatch.setattr(import_tool, "import_tflite", boom)
        assert importer.import_tflite is not boom
        src = MODEL
    else:
        monkeypatch.setattr(diagnostics.LocatingParser, "parse_module", boom)
        src = tmp_path / "a.mlir"
        src.write_text(DENSE)
    status, _, err = call(tool, str(src))
    assert status == 2
    assert err.strip().splitlines() == [
        f"{src}: internal error: RuntimeError: boom "
        "(set TIRCONST_DEBUG=1 for a traceback)"
    ]


def _xdsl_opt(*args: str) -> tuple[int, str]:
    """Plain xdsl-opt, in-process: (status, stdout)."""
    import contextlib
    import io

    from xdsl.xdsl_opt_main import xDSLOptMain

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            xDSLOptMain(args=list(args)).run()
            status = 0
        except SystemExit as e:
            status = int(e.code or 0)
    return status, out.getvalue()


@pytest.mark.parametrize(
    "flags",
    [
        [],
        ["--print-op-generic"],
        ["--print-no-properties"],
        ["--split-input-file"],
        ["--allow-unregistered-dialect"],
        ["--disable-verify"],
        ["-f", "mlir"],
        ["-p", "tir-fold-constants", "--print-between-passes"],
        ["-p", "tir-extract-constants,tir-inline-constants", "--print-between-passes"],
        ["--shrink"],
    ],
)
def test_flags_behave_as_in_xdsl_opt(tmp_path: Path, flags: list[str]) -> None:
    src = tmp_path / "a.mlir"
    src.write_text(DENSE + "// -----\n" + DENSE.replace("@main", "@other"))
    theirs = _xdsl_opt(str(src), *flags)
    status, out, err = call("tirconst-opt", str(src), *flags)
    assert (status, out) == theirs, err
