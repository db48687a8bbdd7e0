"""`tir-bind-params` from Python: parameters become constants holding exactly
the file's data, the program computes what it computed with that data as
input, and bad files or mismatches are clear errors that bind nothing."""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.utils.exceptions import PassFailedException

from tests.helpers import run
from tirconst.core.context import context, load
from tirconst.dialects.tir import AllocateConstOp, FuncOp
from tirconst.transforms.bind_params import BindParamsPass

ADD = """
tir.func @main(%x : !tir.buffer<2x3xi8>, %w : !tir.buffer<2x3xi8>,
              %unused : !tir.buffer<4xf32>, %y : !tir.buffer<2x3xi8>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  tir.for %i = %c0 to %c2 {
    tir.for %j = %c0 to %c3 {
      %a = tir.buffer_load %x[%i, %j] : !tir.buffer<2x3xi8>
      %b = tir.buffer_load %w[%i, %j] : !tir.buffer<2x3xi8>
      %c = arith.addi %a, %b : i8
      tir.buffer_store %c, %y[%i, %j] : !tir.buffer<2x3xi8>
    }
  }
}
"""

W = np.array([[1, -2, 3], [127, -128, 0]], np.int8)


def bind(text: str, **options):
    module = load(text)
    BindParamsPass(**options).apply(context(), module)
    module.verify()
    return module


def func(module, name: str = "main") -> FuncOp:
    return next(
        f for f in module.walk() if isinstance(f, FuncOp) and f.sym_name.data == name
    )


def test_bound_program_computes_what_it_did_with_the_data_as_input(tmp_path):
    path = tmp_path / "params.npz"
    np.savez(path, w=W, unused=np.ones(4, np.float32))
    after = bind(ADD, file=str(path))
    assert func(after).names == ("x", "y")
    (holder,) = [op for op in after.walk() if isinstance(op, AllocateConstOp)]
    assert holder.buffer.name_hint == "w"
    np.testing.assert_array_equal(holder.data, W)
    x = np.random.default_rng(0).integers(-128, 128, (2, 3), dtype=np.int8)
    before_out = run(ADD, x=x, w=W, unused=np.zeros(4, np.float32))
    after_out = run(after, x=x)
    np.testing.assert_array_equal(after_out["y"], before_out["y"])
    np.testing.assert_array_equal(after_out["y"], x + W)


def test_npy_binds_one_parameter_named_by_the_file_or_param(tmp_path):
    np.save(tmp_path / "w.npy", W)
    assert func(bind(ADD, file=str(tmp_path / "w.npy"))).names == ("x", "unused", "y")
    np.save(tmp_path / "weights.npy", W)
    after = bind(ADD, file=str(tmp_path / "weights.npy"), param="w")
    assert func(after).names == ("x", "unused", "y")


def test_large_data_is_bound_whole(tmp_path):
    big = np.random.default_rng(1).integers(-128, 128, 3_000_000, dtype=np.int8)
    np.save(tmp_path / "w.npy", big)
    text = (
        "tir.func @main(%w : !tir.buffer<3000000xi8>, %y : !tir.buffer<3000000xi8>) {\n"
    )
    text += "  tir.copy ins(%w : !tir.buffer<3000000xi8>)"
    text += " outs(%y : !tir.buffer<3000000xi8>)\n}\n"
    after = bind(text, file=str(tmp_path / "w.npy"))
    (holder,) = [op for op in after.walk() if isinstance(op, AllocateConstOp)]
    assert holder.data.tobytes() == big.tobytes()


@pytest.mark.parametrize(
    "dtype, tir_type",
    [(np.bool_, "i1"), (np.float16, "f16"), (np.uint16, "ui16"), (np.int64, "i64")],
)
def test_every_tir_dtype_binds(tmp_path, dtype, tir_type):
    data = np.array([1, 0, 1], dtype=dtype)
    np.savez(tmp_path / "p.npz", w=data)
    text = f"""
    tir.func @main(%w : !tir.buffer<3x{tir_type}>, %y : !tir.buffer<3x{tir_type}>) {{
      tir.copy ins(%w : !tir.buffer<3x{tir_type}>) outs(%y : !tir.buffer<3x{tir_type}>)
    }}"""
    after = bind(text, file=str(tmp_path / "p.npz"))
    (holder,) = [op for op in after.walk() if isinstance(op, AllocateConstOp)]
    assert holder.data.dtype == data.dtype
    np.testing.assert_array_equal(holder.data, data)


def test_func_option_binds_in_that_function_only(tmp_path):
    np.savez(tmp_path / "p.npz", w=W)
    text = ADD + ADD.replace("@main", "@other")
    after = bind(text, file=str(tmp_path / "p.npz"), func="other")
    assert "w" in func(after, "main").names
    assert "w" not in func(after, "other").names


def error(text: str, **options) -> str:
    module = load(text)
    before = str(module)
    with pytest.raises(PassFailedException) as info:
        BindParamsPass(**options).apply(context(), module)
    assert str(module) == before, "a failed bind must not change the module"
    message = str(info.value)
    assert "\n" not in message.strip()
    return message


def test_errors(tmp_path):
    np.savez(tmp_path / "dtype.npz", w=W.astype(np.float32))
    np.savez(tmp_path / "shape.npz", w=W.reshape(3, 2))
    np.savez(tmp_path / "extra.npz", w=W, nope=W)
    np.savez(tmp_path / "written.npz", y=W)
    np.savez(tmp_path / "complex.npz", w=np.zeros((2, 3), np.complex64))
    np.save(tmp_path / "obj.npy", np.array([{}], dtype=object), allow_pickle=True)
    (tmp_path / "bad.npz").write_bytes(b"PK\x03\x04 truncated")
    p = str(tmp_path)
    assert "holds float32 (no implicit conversion)" in error(ADD, file=f"{p}/dtype.npz")
    assert "has shape [3, 2]" in error(ADD, file=f"{p}/shape.npz")
    assert "'nope' in extra.npz matches no parameter of any tir.func" in error(
        ADD, file=f"{p}/extra.npz"
    )
    assert "is written by 'tir.buffer_store'" in error(ADD, file=f"{p}/written.npz")
    assert "complex64, which is not a TIR dtype" in error(ADD, file=f"{p}/complex.npz")
    assert "cannot read" in error(ADD, file=f"{p}/obj.npy")
    assert "cannot read" in error(ADD, file=f"{p}/bad.npz")
    assert "cannot read" in error(ADD, file=f"{p}/missing.npz")
    assert "needs file=PATH" in error(ADD)
    assert "no tir.func @nope" in error(ADD, file=f"{p}/dtype.npz", func="nope")
    assert "param= is for an .npy" in error(ADD, file=f"{p}/extra.npz", param="w")


def test_function_without_the_parameter(tmp_path):
    np.savez(tmp_path / "p.npz", w=W)
    text = ADD + "tir.func @empty(%q : !tir.buffer<1xi8>) {\n}\n"
    message = error(text, file=str(tmp_path / "p.npz"), func="empty")
    assert message.endswith("matches no parameter of @empty (parameters: q)")
