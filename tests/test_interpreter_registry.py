"""Ops own their semantics: the interpreter runs any op class registered with
`@implements`, with definedness tracked from the op's declared per-operand
effects; an op with no implementation, or no effects, is a one-line error."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from xdsl.context import Context
from xdsl.ir import Dialect
from xdsl.irdl import IRDLOperation, irdl_op_definition, operand_def

from tirconst.analysis.constant_uses import ConstantUses, writers_of
from tirconst.core.context import context
from tirconst.core.diagnostics import parse_module
from tirconst.dialects.tir import AllocateConstOp, BufferType, ForOp
from tirconst.dialects.tir.memory import Effect, Effects, operand_effects
from tirconst.interpreter import InterpreterError, run_function
from tirconst.interpreter.memory import Buffer
from tirconst.interpreter.registry import implementation_of, implements


@irdl_op_definition
class NegateOp(IRDLOperation):
    """toy.negate %x, %y: y = -x (a dialect the tir interpreter never saw)."""

    name = "toy.negate"
    source = operand_def(BufferType)
    dest = operand_def(BufferType)
    assembly_format = "$source `,` $dest attr-dict `:` type($source) `,` type($dest)"

    def effects(self) -> Effects:
        return [(self.source, Effect.READ), (self.dest, Effect.WRITE)]


@irdl_op_definition
class OpaqueOp(IRDLOperation):
    """toy.opaque %x: no implementation registered."""

    name = "toy.opaque"
    source = operand_def(BufferType)
    assembly_format = "$source attr-dict `:` type($source)"


@irdl_op_definition
class SilentOp(IRDLOperation):
    """toy.silent %x: an implementation, but no declared effects."""

    name = "toy.silent"
    source = operand_def(BufferType)
    assembly_format = "$source attr-dict `:` type($source)"


@implements(NegateOp)
def negate(op: NegateOp) -> Callable[..., None]:
    def run(src: Buffer, dst: Buffer) -> None:
        dst.array()[...] = -src.array()

    return run


@implements(SilentOp)
def silent(op: SilentOp) -> Callable[..., None]:
    return lambda src: None


def toy_context() -> Context:
    ctx = context().clone()
    ctx.load_dialect(Dialect("toy", [NegateOp, OpaqueOp, SilentOp]))
    return ctx


def parse(text: str):
    return parse_module(toy_context(), text, "toy.mlir")


NEGATE = """
tir.func @main(%x : !tir.buffer<4xi8>, %y : !tir.buffer<4xi8>) {
  %t = tir.allocate : !tir.buffer<4xi8>
  toy.negate %x, %t : !tir.buffer<4xi8>, !tir.buffer<4xi8>
  toy.negate %t, %y : !tir.buffer<4xi8>, !tir.buffer<4xi8>
}
"""


def test_a_new_dialect_plugs_in():
    x = np.array([1, -2, 3, 127], np.int8)
    out = run_function(parse(NEGATE), {"x": x})
    assert out["y"].tolist() == x.tolist()
    ops = list(parse(NEGATE).walk())
    assert [implementation_of(op) for op in ops if op.name == "toy.negate"] == [
        negate,
        negate,
    ]


def test_reads_are_tracked_from_the_declared_effects():
    # %x is not given, so the first negate reads undefined data.
    with pytest.raises(
        InterpreterError,
        match=r"toy.mlir:4:3: error: 'toy.negate' op in @main: reads \[0\] of %x "
        r"\(parameter of @main\), which has not been written",
    ):
        run_function(parse(NEGATE), {})
    # The written operand counts as defined: %y is an output only.
    assert run_function(parse(NEGATE), {"x": np.zeros(4, np.int8)})["y"].size == 4


def test_writes_into_a_constant_are_refused():
    src = NEGATE.replace(
        "%t = tir.allocate : !tir.buffer<4xi8>",
        "%t = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi8>",
    )
    with pytest.raises(InterpreterError, match="writes into %t, a constant buffer"):
        run_function(parse(src), {"x": np.zeros(4, np.int8)})


def test_an_op_without_implementation_is_a_clean_error():
    src = """
tir.func @main(%x : !tir.buffer<4xi8>) {
  toy.opaque %x : !tir.buffer<4xi8>
}"""
    with pytest.raises(
        InterpreterError,
        match=r"^toy.mlir:3:3: error: 'toy.opaque' op in @main: the interpreter has "
        r"no semantics for this op \(no implementation is registered",
    ):
        run_function(parse(src), {})
    silent_src = src.replace("toy.opaque", "toy.silent")
    with pytest.raises(InterpreterError, match="'toy.silent' op in @main: declares no"):
        run_function(parse(silent_src), {})


def test_registering_a_class_twice_is_refused():
    with pytest.raises(ValueError, match="NegateOp already has its semantics"):
        implements(NegateOp)(lambda op: lambda *a: None)


def test_analyses_use_the_declared_effects():
    src = """
tir.func @main(%y : !tir.buffer<4xi8>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %w = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi8>
  %v = tir.allocate_const dense<[5, 6, 7, 8]> : !tir.buffer<4xi8>
  tir.for %i = %c0 to %c4 {
    toy.negate %w, %y : !tir.buffer<4xi8>, !tir.buffer<4xi8>
    toy.opaque %v : !tir.buffer<4xi8>
  }
}"""
    module = parse(src)
    w, v = [op for op in module.walk() if isinstance(op, AllocateConstOp)]
    loop = next(op for op in module.walk() if isinstance(op, ForOp))
    # A loop has its body's effects on outer values; an unknown op makes it unknown.
    assert operand_effects(loop) is None
    negate_op = next(op for op in module.walk() if isinstance(op, NegateOp))
    y = negate_op.dest
    assert operand_effects(negate_op) == [(w.buffer, Effect.READ), (y, Effect.WRITE)]
    # %w is only read (by its declared effect): a constant passes may rewrite;
    # %v is given to an op with no declared effects: it may be written.
    assert writers_of(w.buffer) == []
    assert [op.name for op in writers_of(v.buffer)] == ["toy.opaque"]
    uses = ConstantUses()
    assert [r.writes for r in uses.reads(w)] == [False]
    assert [r.writes for r in uses.reads(v)] == [True]


def test_one_registry_for_tir_scalar_structure_and_npu_ops():
    """Every op the interpreters run is found in the one class-keyed registry,
    by kind: tir operators and npu.invoke are implemented, scalar and
    structure ops emitted inline, npu block ops executed on NPU memory; a
    class takes one semantics only, whatever its kind."""
    from xdsl.dialects import arith

    from tirconst.dialects import npu
    from tirconst.dialects.tir import AddOp, CopyOp
    from tirconst.interpreter.registry import emits, semantics_of

    def kind(cls: type) -> str | None:
        found = semantics_of(cls.__new__(cls))  # no operands needed to look up
        return found[0] if found else None

    assert kind(AddOp) == kind(CopyOp) == kind(npu.InvokeOp) == "implements"
    assert kind(ForOp) == kind(arith.AddiOp) == "emits"
    assert kind(npu.Conv2DOp) == kind(npu.DmaOp) == "executes"
    with pytest.raises(ValueError, match="AddiOp already has its semantics"):
        emits(arith.AddiOp)(lambda em, op: None)
