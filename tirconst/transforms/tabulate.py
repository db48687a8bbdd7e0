"""`tir-tabulate`: every int8 -> int8 pointwise operator op becomes the
`tir.lookup` of its 256-entry table.

An op with the `Pointwise` trait computes output element i from input
element i alone, by one function for the whole tensor (per-tensor
quantization), and its interpreter kernel is that function. With int8 input
and output that function has 256 values: the pass runs the op's own kernel
(`tirconst.interpreter.operators.KERNELS`, the one the interpreter runs) on
the 256 int8 values -128..127, and the op becomes `tir.lookup ins(%input,
%table)` of a new module-level constant holding the results (ops whose
tables are equal share one constant). Exact by construction: the lookup
returns what the kernel returns, for every input. Why: the NPU runs any
256-entry int8 table as an activation (a lookup-table slot), so one
lowering serves TANH, HARD_SWISH, GELU, EXP, LOG, LEAKY_RELU, the ReLU
family, ABS, NEG and every future pointwise operator; on the CPU a lookup
is also the cheapest form.

An op that is pointwise only when a parameter broadcast against its input
is uniform (`PointwiseWhenUniform`: PRELU whose alpha elements are all
equal, a shared alpha) becomes its lookup too, even though the NPU runs it
as it is: its own lowering takes five NPU ops reading the alpha, the lookup
one table, which fuses into the op before it as its activation.

Left as they are: `tir.lookup` (the pass's own form, declared
`Pointwise(tabulated=True)`), ops the NPU already runs as they are
(`npu_reason` is None: `tir.requantize` as a rescaling pool,
`tir.logistic` as a table), ops whose input or output is not int8, and
ops whose other operands (a table) are not constants, so the function is
not known at compile time. The op's attributes (its TFLite provenance)
move to the lookup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass

from tirconst.analysis.npu_support import npu_reason
from tirconst.core.diagnostics import PassFailedAt
from tirconst.dialects.tir import (
    AllocateConstOp,
    BufferType,
    ConstantOp,
    FuncOp,
    LookupOp,
    OperatorOp,
)
from tirconst.dialects.tir.traits import Pointwise, PointwiseWhenUniform

NAME = "tir-tabulate"
INT8_VALUES = np.arange(-128, 128, dtype=np.int8)
"""The 256 int8 values, in table order: table[i] is the function at i - 128."""


def _int8(v: SSAValue) -> bool:
    return isinstance(v.type, BufferType) and str(v.type.dtype) == "int8"


def _pointwise_operands(op: OperatorOp) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the input operand names, the uniform parameters) of an op that may be
    pointwise (`Pointwise`, or `PointwiseWhenUniform`); ((), ()) otherwise."""
    trait = op.get_trait(Pointwise)
    if trait is not None:
        return trait.operands, ()
    when = op.get_trait(PointwiseWhenUniform)
    if when is not None:
        return when.operands, when.uniform
    return (), ()


def table_of(op: OperatorOp) -> np.ndarray | None:
    """The 256-entry int8 table of a pointwise int8 -> int8 op (its kernel on
    the 256 int8 values, each uniform parameter as its one value), or None
    if the op is not one, its other operands are not constants or a
    uniform parameter's elements differ."""
    operands, uniform = _pointwise_operands(op)
    if len(operands) != 1:
        return None
    # The interpreter's kernels are imported when a model has a pointwise op
    # (30 ms of every compile's start otherwise).
    from tirconst.interpreter.operators import KERNELS

    kernel = KERNELS.get(type(op))
    if kernel is None:
        return None
    (name,) = operands
    x = getattr(op, name)
    if not _int8(x) or not _int8(op.output):
        return None
    args: list[np.ndarray | None] = []
    for slot in op.INPUTS:
        v = getattr(op, slot)
        if v is x:
            args.append(INT8_VALUES.copy())
        elif v is None:
            args.append(None)
        elif isinstance(v.owner, AllocateConstOp) and slot in uniform:
            flat = np.asarray(v.owner.data).reshape(-1)
            if flat.size == 0 or not (flat == flat[0]).all():
                return None  # a parameter that varies: not one function
            args.append(flat[:1])
        elif isinstance(v.owner, AllocateConstOp):
            args.append(v.owner.data)
        else:
            return None  # an operand known only at run time
    try:
        out = np.asarray(kernel.call(op, args, op.params()))
    except (ValueError, TypeError, ArithmeticError, IndexError) as e:
        raise PassFailedAt(
            op, f"{NAME}: its kernel failed on the int8 values: {e}"
        ) from None
    if out.dtype != np.int8 or out.size != 256:
        raise PassFailedAt(
            op, f"{NAME}: its kernel gave {out.dtype} {list(out.shape)}, not 256 int8"
        )
    return out.reshape(256)


@dataclass
class _Tables:
    """The module's table constants, by content (one constant per table)."""

    module: ModuleOp
    by_bytes: dict[bytes, str]
    dropped: set[str] = field(default_factory=set)
    """Constants whose reader this pass replaced (erased if now unread)."""

    def name_for(self, table: np.ndarray, hint: str) -> str:
        key = table.tobytes()
        name = self.by_bytes.get(key)
        if name is not None:
            return name
        names = {o.sym_name.data for o in self.module.ops if isinstance(o, ConstantOp)}
        name, k = hint, 0
        while name in names:
            k += 1
            name = f"{hint}{k}"
        const = ConstantOp(name, table)
        self.module.body.block.insert_op_before(const, self.module.body.block.first_op)  # type: ignore[arg-type]
        self.by_bytes[key] = name
        return name


def _tabulate(op: OperatorOp, tables: _Tables) -> bool:
    pointwise = op.get_trait(Pointwise)
    operands, uniform = _pointwise_operands(op)
    if not operands or (pointwise is not None and pointwise.tabulated):
        return False
    if not uniform and npu_reason(op) is None:
        return False
    table = table_of(op)
    if table is None:
        return False
    name = tables.name_for(table, f"{op.name[4:]}_table")
    block = op.parent_block()
    assert block is not None
    out = op.buffer_type(op.output)
    alloc = AllocateConstOp(name, BufferType((256,), out.element_type))
    block.insert_op_before(alloc, op)
    x = getattr(op, operands[0])
    new = LookupOp.create_op([x, alloc.results[0]], op.output)
    new.attributes |= dict(op.attributes)
    block.insert_op_before(new, op)
    old_inputs = [v for v in op.input_values() if v is not x]
    op.detach()
    op.erase()
    for v in old_inputs:  # a table only this op read
        owner = v.owner
        if isinstance(owner, AllocateConstOp) and not v.uses:
            if owner.symbol is not None:
                tables.dropped.add(owner.symbol.root_reference.data)
            owner.detach()
            owner.erase()
    return True


def _existing_tables(module: ModuleOp) -> dict[bytes, str]:
    """The module's unplaced 256-entry int8 constants, by content."""
    out: dict[bytes, str] = {}
    for o in module.ops:
        if isinstance(o, ConstantOp) and o.placement is None:
            data = o.data
            if data.dtype == np.int8 and data.shape == (256,):
                out.setdefault(data.tobytes(), o.sym_name.data)
    return out


@dataclass(frozen=True)
class TabulatePass(ModulePass):
    """Rewrites every int8 -> int8 pointwise operator op (the `Pointwise`
    trait) that the NPU does not run as it is into `tir.lookup` of the
    256-entry table its own kernel gives on the int8 values (equal tables
    share one constant), so that one table lowering runs them all on the
    NPU, exactly. Ops whose other operands are not constants stay."""

    name = NAME

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        tables = _Tables(op, _existing_tables(op))
        for func in [f for f in op.ops if isinstance(f, FuncOp)]:
            for o in list(func.walk()):
                if isinstance(o, OperatorOp) and o.parent is not None:
                    _tabulate(o, tables)
        _drop_unread(op, tables.dropped)


def _drop_unread(module: ModuleOp, names: set[str]) -> None:
    """The constants of `names` that no `tir.allocate_const` reads any more."""
    read = {
        o.symbol.root_reference.data
        for o in module.walk()
        if isinstance(o, AllocateConstOp) and o.symbol is not None
    }
    for o in list(module.ops):
        if isinstance(o, ConstantOp) and o.sym_name.data in names - read:
            o.detach()
            o.erase()


__all__ = ["INT8_VALUES", "TabulatePass", "table_of"]
