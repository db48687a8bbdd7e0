"""The dialect reference `dialects/tir.md`: generated from the op definitions by
`python -m tirconst.tools.dialect_docs`, current, and complete: every op has its
meaning, syntax and an example that parses and verifies with tirconst-opt.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from xdsl.irdl import IRDLOperation

from tirconst.core.diagnostics import ToolError, parse_module, verify_located
from tirconst.dialects.npu import Npu
from tirconst.dialects.tir import Tir
from tirconst.tools.dialect_docs import (
    DEFAULT_OUTPUT_DIR,
    main,
    op_syntax,
    render,
    render_op,
    split_docstring,
)
from tirconst.tools.opt import TirconstOptMain

REFERENCE = DEFAULT_OUTPUT_DIR / "tir.md"
OPS = list(Tir.operations) + list(Npu.operations)
CTX = TirconstOptMain(args=[]).ctx


def run_docs(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tirconst.tools.dialect_docs", *args],
        capture_output=True,
        text=True,
    )


def test_reference_is_current():
    assert REFERENCE.exists(), "run `python -m tirconst.tools.dialect_docs`"
    assert REFERENCE.read_text() == render(Tir), (
        "dialects/tir.md is stale: run `python -m tirconst.tools.dialect_docs`"
    )


def test_npu_reference_is_current():
    path = DEFAULT_OUTPUT_DIR / "npu.md"
    assert path.exists() and path.read_text() == render(Npu), (
        "dialects/npu.md is stale: run `python -m tirconst.tools.dialect_docs`"
    )


def test_check_command_passes_on_the_repository():
    run = run_docs("--check")
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""  # --check writes nothing


def test_check_command_fails_on_a_stale_or_missing_file(tmp_path: Path):
    run = run_docs("--check", "--output-dir", str(tmp_path), "tir")
    assert run.returncode == 1
    assert "tir.md is stale" in run.stderr
    assert not (tmp_path / "tir.md").exists()

    assert main(["--output-dir", str(tmp_path), "tir"]) == 0
    assert (tmp_path / "tir.md").read_text() == render(Tir)
    assert main(["--check", "--output-dir", str(tmp_path), "tir"]) == 0

    stale = (tmp_path / "tir.md").read_text().replace("tir.conv2d", "tir.conv3d", 1)
    (tmp_path / "tir.md").write_text(stale)
    assert main(["--check", "--output-dir", str(tmp_path), "tir"]) == 1


def test_unknown_dialect_is_one_line_error(tmp_path: Path):
    run = run_docs("--output-dir", str(tmp_path), "nope")
    assert run.returncode == 1
    assert run.stderr.strip() == (
        "dialect_docs: error: unknown dialect 'nope' (known: npu, tir)"
    )
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_every_op_has_meaning_syntax_and_example(op: type[IRDLOperation]):
    doc = split_docstring(op)
    assert doc.meaning, f"{op.name} has no docstring"
    assert doc.example, f"{op.name} has no `Example:` block"
    assert "Example:" not in doc.meaning and "Syntax:" not in doc.meaning
    syntax = op_syntax(op, doc)
    assert op.name in syntax
    section = render_op(op)
    assert section.startswith(f"### `{op.name}`")
    assert doc.example in section and syntax in section
    # Every operand and property of the definition is listed.
    op_def = op.get_irdl_definition()
    for name, _ in op_def.operands:
        assert f"| `{name}` |" in section, f"{op.name}: operand {name}"
    for name in op_def.properties:
        if name != "operandSegmentSizes":
            assert f"| `{name}` |" in section, f"{op.name}: property {name}"


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_every_example_parses_and_verifies(op: type[IRDLOperation]):
    example = split_docstring(op).example
    assert example is not None
    try:
        module = parse_module(CTX, example, f"{op.name} example")
        verify_located(module)
    except ToolError as e:
        pytest.fail(f"the example of {op.name} does not verify: {e}")
    # and it shows the op it documents
    assert op.name in {o.name for o in module.walk()}


def test_docstring_sections_are_split():
    class Undocumented:
        """Does things."""

    doc = split_docstring(Undocumented)
    assert doc.meaning == "Does things." and doc.example is None

    class Documented:
        """Does things.

        Syntax:
            x.y %a

        Example:
            x.y %b
              // indented lines stay in the block

        Afterwards.
        """

    doc = split_docstring(Documented)
    assert doc.syntax == "x.y %a"
    assert doc.example == "x.y %b\n  // indented lines stay in the block"
    assert doc.meaning == "Does things.\n\nAfterwards."


def test_generator_refuses_an_op_with_no_example(monkeypatch: pytest.MonkeyPatch):
    op = OPS[0]
    monkeypatch.setattr(op, "__doc__", "Only a meaning.")
    with pytest.raises(ToolError, match=f"{op.name} .* has no `Example:` block"):
        render_op(op)
