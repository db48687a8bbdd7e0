"""Small tir programs for the interpreter tests, built from templates."""

from __future__ import annotations

import functools

import numpy as np

from tirconst.interpreter import Program


def buf(n: int | tuple[int, ...], t: str) -> str:
    shape = (n,) if isinstance(n, int) else n
    return "!tir.buffer<" + "".join(f"{d}x" for d in shape) + t + ">"


@functools.cache
def elementwise(op: str, t: str, rt: str | None = None, n: int = 8, arity: int = 2):
    """`r[i] = op(a[i], b[i])` (or `op(a[i])`) over n elements.

    `op` is written as in IR up to its operands, e.g. "arith.addi" or
    "arith.cmpi slt,"; the type suffix is `: t` for binary ops and `: t to rt`
    for unary ones (casts)."""
    rt = rt or t
    args = "%x, %y" if arity == 2 else "%x"
    suffix = t if arity == 2 else f"{t} to {rt}"
    second = f", %b : {buf(n, t)}" if arity == 2 else ""
    load_b = f"%y = tir.buffer_load %b[%i] : {buf(n, t)}" if arity == 2 else ""
    return Program(
        f"""
tir.func @main(%a : {buf(n, t)}{second}, %r : {buf(n, rt)}) {{
  %c0 = arith.constant 0 : index
  %cn = arith.constant {n} : index
  tir.for %i = %c0 to %cn {{
    %x = tir.buffer_load %a[%i] : {buf(n, t)}
    {load_b}
    %z = {op} {args} : {suffix}
    tir.buffer_store %z, %r[%i] : {buf(n, rt)}
  }}
}}"""
    )


def apply(op: str, t: str, a, b=None, rt: str | None = None, dtype=None):
    """Run `elementwise` on lists/arrays `a` (and `b`); return r."""
    a = np.asarray(a, dtype=dtype or _np(t))
    arity = 1 if b is None else 2
    fn = elementwise(op, t, rt, len(a), arity).function("main")
    inputs = {"a": a}
    if b is not None:
        inputs["b"] = np.asarray(b, dtype=dtype or _np(t))
    return fn(inputs)["r"]


def _np(t: str) -> np.dtype:
    return np.dtype(
        {
            "i1": np.bool_,
            "i8": np.int8,
            "i16": np.int16,
            "i32": np.int32,
            "i64": np.int64,
            "ui8": np.uint8,
            "ui16": np.uint16,
            "ui32": np.uint32,
            "f16": np.float16,
            "f32": np.float32,
            "f64": np.float64,
        }[t]
    )


def constant_expr(body: str, rt: str) -> Program:
    """A program storing one scalar computed from constants: `body` defines
    `%z : rt` (no loads, so range analysis sees exact intervals)."""
    return Program(
        f"""
tir.func @main(%r : {buf(1, rt)}) {{
  %c0 = arith.constant 0 : index
  {body}
  tir.buffer_store %z, %r[%c0] : {buf(1, rt)}
}}"""
    )


def run_constant(body: str, rt: str):
    """The scalar `constant_expr(body, rt)` computes."""
    return constant_expr(body, rt).function("main")({})["r"][0]
