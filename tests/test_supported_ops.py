"""docs/supported-ops.md: generated from the registries and Vela's report by
`python -m tirconst.tools.supported_ops`, current, and complete: every one
of Vela 5.2's 55 U55 operators has a row, every NPU support rule documents
its constraints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tirconst.analysis.npu_support import SUPPORT
from tirconst.frontend.operator_table import OPERATORS
from tirconst.tools.supported_ops import (
    DEFAULT_OUTPUT,
    main,
    read_vela_report,
    render,
    rule_text,
    support,
)


def test_file_is_current() -> None:
    assert DEFAULT_OUTPUT.exists() and DEFAULT_OUTPUT.read_text() == render(), (
        "docs/supported-ops.md is stale: run `python -m tirconst.tools.supported_ops`"
    )


def test_check_command(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "tirconst.tools.supported_ops", "--check"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and run.stdout == "", run.stderr
    out = tmp_path / "ops.md"
    assert main(["--check", "--output", str(out)]) == 1 and not out.exists()
    assert main(["--output", str(out)]) == 0 and out.read_text() == render()
    out.write_text(out.read_text().replace("| CONV_2D |", "| CONV_3D |"))
    assert main(["--check", "--output", str(out)]) == 1


def test_unwritable_output_is_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--output", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("supported_ops: error:") and err.count("\n") == 1


def test_vela_report_has_the_55_u55_operators() -> None:
    report = read_vela_report()
    assert report.version == "5.2.0"
    assert len(report.operators) == 55
    assert {"CONV_2D", "UNIDIRECTIONAL_SEQUENCE_LSTM", "SUM", "PACK"} <= set(
        report.operators
    )
    assert any("quantization" in g for g in report.generic)
    assert report.specific["ARG_MAX"][-1].endswith("along the depth axis.")


def test_every_operator_has_a_row_saying_what_we_do() -> None:
    text = render()
    for op in read_vela_report().operators:
        (row,) = [ln for ln in text.splitlines() if ln.startswith(f"| {op} |")]
        s = support(op)
        assert bool(s.imported) == (op in OPERATORS)
        assert f"| {s.npu} |" in row


@pytest.mark.parametrize(
    "rule",
    sorted(set(SUPPORT.values()), key=lambda r: r.__name__),
    ids=lambda r: r.__name__,
)
def test_every_support_rule_documents_its_constraints(rule) -> None:  # type: ignore[no-untyped-def]
    """The rule's docstring is the constraint text of the table."""
    assert rule_text(rule), f"{rule.__name__} has no docstring"
