"""Importing TVM TIR (TVMScript, TVM 0.27): what each node becomes, and a
one-line error naming each node we refuse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tvm.script.parser import parse
from tvm.script.parser import tirx as T

from tests.tvm_oracle import assert_same_as_tvm, random_inputs
from tirconst.dialects import tir
from tirconst.frontend.tvm import TVMImportError, import_tvm, import_tvmscript

ROOT = Path(__file__).resolve().parent.parent


def _func(body: str, params: str, name: str = "main"):
    src = f"@T.prim_func\ndef {name}({params}):\n" + "".join(
        f"    {line}\n" for line in body.strip().splitlines()
    )
    return parse(src, extra_vars={"T": T})


def test_statements_become_tir_ops() -> None:
    func = _func(
        """
x = T.alloc_buffer((8,), "int32", scope="local")
for i in T.parallel(8):
    x[i] = T.Cast("int32", a[i]) + T.call_extern("int32", "f", x[0])
for j in T.vectorized(2, 4):
    if x[j] > T.int32(0):
        T.Assert(x[j] != T.int32(3), "not three")
v = T.decl_buffer((4,), "uint8", data=a.data, elem_offset=4)
T.evaluate(T.call_extern("int32", "g", v.data, a[1]))
""",
        'a: T.Buffer((8,), "uint8")',
    )
    text = str(import_tvm(func))
    for line in [
        "tir.func @main(%a: !tir.buffer<8xui8>)",
        '%x = tir.allocate : !tir.buffer<8xi32, "local">',
        "tir.for %i = %0 to %1 parallel {",
        "%i_1 = arith.index_cast %i : index to i32",
        'tir.call_extern "f"(%',
        "tir.for %j = %",
        "vectorized",
        "tir.assert %",
        '"not three"',
        "%v = tir.decl_buffer %a[4] : !tir.buffer<8xui8> -> !tir.buffer<4xui8>",
        'tir.call_extern "g"(%v, %',
    ]:
        assert line in text, line


def test_unsigned_constants_and_bitwise_not() -> None:
    """arith.constant is signless: a uint constant is a tir.cast of one."""
    func = _func(
        "for i in range(4):\n    a[i] = ~a[i] + T.uint8(200)",
        'a: T.Buffer((4,), "uint8")',
    )
    text = str(import_tvm(func))
    assert "arith.constant -56 : i8" in text and "tir.cast" in text
    assert_same_as_tvm(func, {"a": np.array([0, 1, 55, 255], np.uint8)})


def test_lets_are_ssa_names() -> None:
    func = _func(
        "m = T.bind(a[0] * T.int32(2))\na[1] = m + m", 'a: T.Buffer((4,), "int32")'
    )
    m = import_tvm(func)
    loads = [op for op in m.walk() if isinstance(op, tir.BufferLoadOp)]
    assert len(loads) == 1  # the let is evaluated once
    assert_same_as_tvm(func, random_inputs(func))


def test_non_constant_loop_bounds() -> None:
    func = _func(
        "for i in range(2):\n    for j in range(i, i + 3):\n        b[i, j] = a[j]",
        'a: T.Buffer((5,), "int16"), b: T.Buffer((2, 5), "int16")',
    )
    assert_same_as_tvm(
        func, {"a": np.arange(5, dtype=np.int16), "b": np.zeros((2, 5), np.int16)}
    )


def test_irmodule_imports_every_function() -> None:
    mod = parse(
        """
@I.ir_module
class Mod:
    @T.prim_func
    def second(a: T.Buffer((2,), "int8")):
        a[0] = a[1]

    @T.prim_func
    def first(a: T.Buffer((2,), "int8")):
        a[1] = a[0]
""",
        extra_vars={"T": T, "I": __import__("tvm.script.parser", fromlist=["ir"]).ir},
    )
    m = import_tvm(mod)
    names = [f.sym_name.data for f in m.ops if isinstance(f, tir.FuncOp)]
    assert names == ["first", "second"]


@pytest.mark.parametrize(
    ("body", "params", "message"),
    [
        (
            "while a[0] > T.int32(0):\n    a[0] = a[0] - T.int32(1)",
            'a: T.Buffer((4,), "int32")',
            "TVM statement While is not supported",
        ),
        ("a[0] = n", 'a: T.Buffer((4,), "int32"), n: T.int32', "scalar parameter 'n'"),
        (
            "for i in T.thread_binding(4, thread='threadIdx.x'):\n"
            "    a[i] = T.int32(0)",
            'a: T.Buffer((4,), "int32")',
            "thread binding",
        ),
        (
            "for i in T.serial(0, 4, step=2):\n    a[i] = T.int32(0)",
            'a: T.Buffer((4,), "int32")',
            "step 2 is not 1",
        ),
        (
            "a[0] = T.exp(a[1])",
            'a: T.Buffer((4,), "float32")',
            "TVM call tirx.exp is not supported",
        ),
        (
            "a[0] = T.if_then_else(a[1] > T.int32(0), a[2], a[3])",
            'a: T.Buffer((4,), "int32")',
            "TVM call .*if_then_else is not supported",
        ),
        (
            "a[T.ramp(0, 1, 4)] = a[T.ramp(0, 1, 4)]",
            'a: T.Buffer((4,), "int32")',
            "Ramp",
        ),
        (
            'a[0] = T.Cast("int32", a[1])',
            'a: T.Buffer((4,), "uint64")',
            "dtype uint64 has no tir equivalent",
        ),
    ],
)
def test_unsupported_nodes_are_named(body: str, params: str, message: str) -> None:
    func = _func(body, params)
    with pytest.raises(TVMImportError, match=message) as info:
        import_tvm(func)
    assert "\n" not in str(info.value)


def test_import_tool_on_a_tvmscript_file(tmp_path: Path) -> None:
    out = tmp_path / "scale.mlir"
    tool = [sys.executable, "-m", "tirconst.tools.import_tflite"]
    subprocess.run(
        [*tool, str(ROOT / "examples/tvm_scale.py"), "-o", str(out)], check=True
    )
    text = out.read_text()
    assert "tir.func @scale(%x: !tir.buffer<4x8xi8>" in text
    assert import_tvmscript(ROOT / "examples/tvm_scale.py").is_structurally_equivalent(
        __import__("tirconst.interpreter", fromlist=["load"]).load(text)
    )
    bad = tmp_path / "bad.py"
    bad.write_text("from tvm.script import tirx as T\nx = 1\n")
    r = subprocess.run(
        [*tool, str(bad), "-o", str(tmp_path / "bad.mlir")],
        capture_output=True,
        text=True,
    )
    assert r.returncode != 0 and not (tmp_path / "bad.mlir").exists()
    assert r.stderr.strip().splitlines() == [
        f"{bad}: error: defines no PrimFunc or IRModule at top level"
    ]
