"""Round trips through TVMScript (TVM 0.27): TVMScript -> tir -> TVMScript
parses in TVM and computes the same; tir -> TVMScript -> tir is the same
module; first-class constants go out as parameters with their data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tvm.script.parser import parse
from tvm.script.parser import tirx as T

from tests.tvm_oracle import (
    assert_same_results,
    random_inputs,
    run_tvm,
    tvm_objects,
)
from tirconst.backend.tvmscript import TVMScriptExportError, to_tvmscript
from tirconst.frontend.tvm import import_tvm
from tirconst.interpreter import load, run_function

ROOT = Path(__file__).resolve().parent.parent

PROGRAMS = {
    "arith": (
        """
for i in range(16):
    c[i] = (a[i] + b[i]) * T.int32(3) - T.truncdiv(a[i], T.int32(7))
    c[i] = c[i] ^ (T.floormod(b[i], T.int32(5)) << T.int32(2))
""",
        'a: T.Buffer((16,), "int32"), b: T.Buffer((16,), "int32"), '
        'c: T.Buffer((16,), "int32")',
    ),
    "mixed_dtypes": (
        """
for i in T.parallel(8):
    w = T.bind(T.Cast("int16", a[i]) * T.Cast("int16", b[i]))
    c[i] = T.Cast("float32", w) / T.float32(3.0)
    d[i] = T.Cast("uint8", T.min(T.max(w, T.int16(0)), T.int16(255)))
    d[i] = d[i] >> T.uint8(1) | ~d[i]
""",
        'a: T.Buffer((8,), "int8"), b: T.Buffer((8,), "int8"), '
        'c: T.Buffer((8,), "float32"), d: T.Buffer((8,), "uint8")',
    ),
    "control": (
        """
x = T.alloc_buffer((4, 4), "int32", scope="local")
for i in T.serial(4):
    for j in T.unroll(4):
        if a[i, j] > a[j, i]:
            x[i, j] = a[i, j] - a[j, i]
        else:
            x[i, j] = T.Select(a[i, j] == a[j, i], T.int32(0), T.int32(-1))
v = T.decl_buffer((2, 4), "int32", data=a.data, elem_offset=8)
for k in T.vectorized(4):
    v[1, k] = x[0, k] + x[3, k]
T.Assert(x[0, 0] == T.int32(0), "diagonal is zero")
for k in range(1, 3):
    b[k] = T.Cast("bool", x[k, k + 1]) and not T.Cast("bool", x[k + 1, k])
""",
        'a: T.Buffer((4, 4), "int32"), b: T.Buffer((4,), "bool")',
    ),
    "floats": (
        """
for i in range(12):
    m = T.bind(T.max(a[i], T.float32(-2.5)) * T.float32(0.1))
    b[i] = T.Cast("float16", m) + T.float16(1.0)
    k = T.bind(T.Cast("int32", T.min(m, T.float32(1e6))))
    c[i] = T.Select(a[i] != a[i], T.int32(-1), k)
""",
        'a: T.Buffer((12,), "float32"), b: T.Buffer((12,), "float16"), '
        'c: T.Buffer((12,), "int32")',
    ),
}


def _func(body: str, params: str):
    src = (
        "@T.prim_func\ndef main("
        + params
        + "):\n"
        + "".join(f"    {line}\n" for line in body.strip().splitlines())
    )
    return parse(src, extra_vars={"T": T})


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_tvmscript_to_tir_to_tvmscript(name: str, tmp_path: Path) -> None:
    original = _func(*PROGRAMS[name])
    module = import_tvm(original)
    script = to_tvmscript(module)
    (back,) = tvm_objects(script.text, tmp_path)  # TVM parses it
    again = import_tvm(back)
    assert again.is_structurally_equivalent(module), script.text
    for seed in range(2):
        inputs = random_inputs(original, seed)
        expected = run_tvm(original, inputs)
        assert_same_results(run_tvm(back, inputs), expected, "exported: ")
        assert_same_results(run_function(module, inputs), expected, "tirconst: ")


TIR = """
tir.constant @w = dense<[3, -1, 4, -1, 5, -9, 2, 6]> : tensor<8xi8>
tir.func @main(%x : !tir.buffer<2x8xi8>, %y : !tir.buffer<2x8xi32>) {
  %w = tir.allocate_const @w : !tir.buffer<8xi8>
  %bias = tir.allocate_const dense<[100, -100]> : !tir.buffer<2xi32>
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  tir.for %n = %c0 to %c2 {
    %c8 = arith.constant 8 : index
    %c0b = arith.constant 0 : index
    tir.for %c = %c0b to %c8 parallel {
      %a = tir.buffer_load %x[%n, %c] : !tir.buffer<2x8xi8>
      %b = tir.buffer_load %w[%c] : !tir.buffer<8xi8>
      %p = arith.muli %a, %b : i8
      %p32 = tir.cast %p : i8 to i32
      %bb = tir.buffer_load %bias[%n] : !tir.buffer<2xi32>
      %s = arith.addi %p32, %bb : i32
      tir.buffer_store %s, %y[%n, %c] : !tir.buffer<2x8xi32>
    }
  }
}
"""


def test_tir_to_tvmscript_to_tir_with_constants(tmp_path: Path) -> None:
    module = load(TIR)
    script = to_tvmscript(module)
    assert "TVM 0.27 has no AllocateConst" in script.text
    assert "'w' is the first-class constant @w" in script.text
    assert sorted(script.params) == ["bias", "w"]
    assert script.params["w"].tolist() == [3, -1, 4, -1, 5, -9, 2, 6]
    (back,) = tvm_objects(script.text, tmp_path)
    x = np.random.default_rng(0).integers(-128, 128, (2, 8), dtype=np.int8)
    ours = run_function(module, {"x": x})
    theirs = run_tvm(back, {"x": x, "y": np.zeros((2, 8), np.int32), **script.params})
    assert_same_results({"y": ours["y"]}, {"y": theirs["y"]})
    # back in tir: the constants are parameters now; binding them restores them
    again = import_tvm(back)
    names = [f.names for f in again.ops][0]
    assert names == ("x", "y", "w", "bias")


def test_opt_target_writes_script_and_data(tmp_path: Path) -> None:
    src = tmp_path / "m.mlir"
    src.write_text(TIR)
    out = tmp_path / "m.py"
    tool = [sys.executable, "-m", "tirconst.tools.opt"]
    subprocess.run([*tool, str(src), "-t", "tvmscript", "-o", str(out)], check=True)
    data = np.load(tmp_path / "m.npz")
    assert sorted(data.files) == ["bias", "w"]
    assert "its data is in the .npz" not in out.read_text()
    assert "in m.npz beside this file" in out.read_text()
    (back,) = tvm_objects(out.read_text(), tmp_path)
    assert [p.name for p in back.params] == ["x", "y", "w", "bias"]
    # to stdout, constants need a named data file
    r = subprocess.run(
        [*tool, str(src), "-t", "tvmscript"], capture_output=True, text=True
    )
    assert r.returncode != 0
    assert r.stderr.strip().splitlines() == [
        f"{src}: error: the module has 2 first-class constant(s), which go out as "
        "parameters: name their data file with tvmscript{params=FILE.npz} or "
        "write with -o"
    ]
    npz = tmp_path / "d.npz"
    r = subprocess.run(
        [*tool, str(src), "-t", f'tvmscript{{params="{npz}"}}'],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "@T.prim_func" in r.stdout and np.load(npz)["bias"].tolist() == [100, -100]


def test_refused_exports_are_named() -> None:
    placed = load("""
tir.pool @sram size 64
tir.func @main(%x : !tir.buffer<4xi8>) {
  %s = tir.allocate at <@sram, 0> : !tir.buffer<4xi8>
}
""")
    with pytest.raises(TVMScriptExportError, match="'tir.pool' has no TVMScript form"):
        to_tvmscript(placed)
    op = load("""
tir.func @main(%x : !tir.buffer<4xi8>, %y : !tir.buffer<4xi8>) {
  tir.copy ins(%x : !tir.buffer<4xi8>) outs(%y : !tir.buffer<4xi8>)
}
""")
    with pytest.raises(TVMScriptExportError, match="'tir.copy' has no TVMScript form"):
        to_tvmscript(op)


def test_readme_tvmscript_commands_run(tmp_path: Path) -> None:
    """README "Using it": import a TVMScript file, bind its weights, export."""
    import re
    import shutil

    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    (block,) = [b for b in blocks if "tvm_scale.py" in b]
    (tmp_path / "examples").mkdir()
    shutil.copy(ROOT / "examples/tvm_scale.py", tmp_path / "examples")
    for line in block.strip().splitlines():
        subprocess.run(line.split("#")[0], shell=True, cwd=tmp_path, check=True)
    (back,) = tvm_objects((tmp_path / "bound.py").read_text(), tmp_path)
    params = dict(np.load(tmp_path / "bound.npz"))
    x = np.arange(32, dtype=np.int8).reshape(4, 8) - 16
    theirs = run_tvm(back, {"x": x, "y": np.zeros((4, 8), np.int8), **params})
    ours = run_function(load((tmp_path / "bound.mlir").read_text()), {"x": x}, "scale")
    assert_same_results({"y": ours["y"]}, {"y": theirs["y"]})
