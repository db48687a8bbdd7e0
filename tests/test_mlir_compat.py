"""The generic form of tir IR is upstream MLIR: `iree-opt` (MLIR's opt, shipped
by `iree-base-compiler`) parses it with unregistered dialects allowed, reads the
same constant bytes, and what it prints back reads into tirconst unchanged.

Skipped when `iree-opt` is not on PATH (`pip install iree-base-compiler`).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp
from xdsl.printer import Printer

from tirconst.core.diagnostics import parse_module, verify_located
from tirconst.dialects.tir import AllocateConstOp, ConstantOp, Tir
from tirconst.dialects.tir.types import numpy_dtype
from tirconst.tools.dialect_docs import split_docstring
from tirconst.tools.opt import TirconstOptMain

IREE_OPT = shutil.which("iree-opt")
pytestmark = pytest.mark.skipif(
    IREE_OPT is None, reason="iree-opt not on PATH (pip install iree-base-compiler)"
)

TIR_TESTS = Path(__file__).parent / "filecheck" / "dialects" / "tir"
CTX = TirconstOptMain(args=[]).ctx


def parse(text: str, name: str = "test.mlir") -> ModuleOp:
    module = parse_module(CTX, text, name)
    verify_located(module)
    return module


def generic(module: ModuleOp) -> str:
    out = io.StringIO()
    Printer(stream=out, print_generic_format=True).print_op(module)
    return out.getvalue()


def mlir_opt(text: str, *flags: str) -> str:
    """Run upstream MLIR on `text`; fail the test with its diagnostic if it refuses."""
    assert IREE_OPT is not None
    run = subprocess.run(
        [IREE_OPT, "--allow-unregistered-dialect", *flags, "-"],
        input=text,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        pytest.fail(f"upstream MLIR refused the generic form:\n{run.stderr}")
    return run.stdout


def sources() -> list[tuple[str, str]]:
    """Test inputs and every op's documented example."""
    files = [
        (path.name, path.read_text())
        for path in sorted(TIR_TESTS.glob("*.mlir"))
        if not path.name.startswith("invalid")
    ]
    files = [(n, t) for n, t in files if n != "exit_status.mlir"]
    examples = [
        (op.name, example)
        for op in Tir.operations
        if (example := split_docstring(op).example) is not None
    ]
    return files + examples


@pytest.mark.parametrize("name, text", sources(), ids=[n for n, _ in sources()])
def test_generic_form_parses_in_upstream_mlir(name: str, text: str):
    module = parse(text, name)
    printed = mlir_opt(generic(module), "--mlir-print-op-generic")
    # Upstream reads it back as the same ops: nothing dropped or merged.
    names = [op.name for op in module.walk()][1:]  # without the outer module
    assert re.findall(r'"(tir\.\w+)"\(', printed) == [n for n in names if "tir." in n]


def _constants_in_mlir_output(text: str) -> dict[str, bytes]:
    found = {}
    for m in re.finditer(
        r'"tir.constant"\(\) <\{sym_name = "(\w+)", value = dense<"0x([0-9A-F]*)"> '
        r": tensor<([^>]*)>",
        text,
    ):
        found[m.group(1)] = (bytes.fromhex(m.group(2)), m.group(3))
    return found


def test_upstream_mlir_reads_the_same_constant_bytes():
    """Every module constant of constants.mlir (every dtype, nan, inf, -0.0,
    subnormals, hex and list forms) means the same bytes to MLIR as to us."""
    module = parse((TIR_TESTS / "constants.mlir").read_text())
    ours = {op.sym_name.data: op for op in module.walk() if isinstance(op, ConstantOp)}
    printed = mlir_opt(
        generic(module),
        "--mlir-print-op-generic",
        "--mlir-print-elementsattrs-with-hex-if-larger=0",
    )
    theirs = _constants_in_mlir_output(printed)
    # MLIR writes no hex for no data, nor for a rank-0 value.
    assert set(theirs) == set(ours) - {"empty", "scalar"}
    assert 'sym_name = "scalar", value = dense<42> : tensor<i32>' in printed
    for name, (raw, _) in theirs.items():
        value = ours[name].value
        dtype = numpy_dtype(value.get_element_type())
        expected = ours[name].data
        count = expected.size
        if len(raw) == dtype.itemsize and count > 1:
            raw = raw * count  # MLIR writes a splat once
        got = np.frombuffer(raw, dtype.newbyteorder("<")).reshape(expected.shape)
        if dtype.kind == "b":
            np.testing.assert_array_equal(got, expected, err_msg=name)
        else:
            assert got.tobytes() == expected.tobytes(), name


def test_upstream_output_reads_back_unchanged():
    """tirconst -> generic -> MLIR -> tirconst keeps every op of roundtrip.mlir
    (MLIR renames SSA values and sorts properties; neither is a change)."""
    original = parse((TIR_TESTS / "roundtrip.mlir").read_text())
    back = parse(mlir_opt(generic(original), "--mlir-print-op-generic"), "mlir.mlir")
    assert back.is_structurally_equivalent(original)
    inline = [op for op in back.walk() if isinstance(op, AllocateConstOp)]
    assert inline and all(op.data is not None for op in inline)
