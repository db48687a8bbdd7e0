"""Compile a `tir.func` once into Python source, then run it many times.

The interpreter never walks the IR while running: every op becomes a line or
two of straight Python (SSA values are locals, `tir.for` is a `for` over
`range`, loads and stores index typed memoryviews), and the function is
`exec`uted once into a Python function. Range analysis (see `emit_scalar`)
drops the wraparound code and the bounds checks it can prove unnecessary;
everything else is checked as it runs and reported through `Fault`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.ir import Block, Operation, SSAValue

from tirconst.analysis.views import view_window
from tirconst.core.diagnostics import location_of
from tirconst.dialects.tir import (
    AllocateConstOp,
    AllocateOp,
    AssertOp,
    BufferLoadOp,
    BufferStoreOp,
    BufferType,
    CallExternOp,
    DeclBufferOp,
    ForOp,
    FuncOp,
    IfOp,
    ReshapeOp,
)
from tirconst.dialects.tir.memory import Effect, operand_effects
from tirconst.interpreter import (
    emit_scalar,  # noqa: F401 - registers the scalar rules
    operators,
)
from tirconst.interpreter.errors import InterpreterError, format_index, op_failure
from tirconst.interpreter.interfaces import BufInfo, Functions, Interval
from tirconst.interpreter.memory import (
    CONSTANT,
    PARAM,
    WORKSPACE,
    Buffer,
    Frame,
    storage_problem,
)
from tirconst.interpreter.placement import op_placement, param_placements
from tirconst.interpreter.registry import Implementation, emits, semantics_of
from tirconst.interpreter.scalar import HELPERS, Fault, IntType, int_type

LOOP_NEST_LIMIT = 12
"""Loops nested deeper go into a nested def (Python allows 20 nested blocks)."""
INDENT_LIMIT = 48


@dataclass
class CompiledCode:
    """A compiled function: `fn(frame, *param_buffers)`, its fault sites (op
    table for error messages) and its source (for debugging)."""

    fn: Callable[..., None]
    sites: list[Operation]
    source: str


def where(op: Operation) -> str:
    loc = location_of(op)
    return f"at {loc}" if loc else f"by '{op.name}'"


class FunctionEmitter:
    """Emits the Python source of one `tir.func`.

    `tracked` names the parameters whose reads must check initialization (the
    ones not given as inputs).
    """

    def __init__(self, program: Functions, func: FuncOp, tracked: frozenset[str]):
        self.program = program
        self.func = func
        self.tracked = tracked
        self.lines: list[str] = []
        self.indent = 1
        self.loops = 0
        self.names: dict[SSAValue, str] = {}
        self.ranges: dict[SSAValue, Interval] = {}
        self.bufs: dict[SSAValue, BufInfo] = {}
        self.sites: list[Operation] = []
        self.ns: dict[str, Any] = {
            **HELPERS,
            "_Fault": Fault,
            "_fmt": format_index,
            "_undef": undefined_message,
        }
        self._ids = itertools.count()

    # -- bookkeeping used by the rules ------------------------------------------

    def fresh(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.indent + line)

    def value(self, v: SSAValue) -> str:
        return self.names[v]

    def range(self, v: SSAValue) -> Interval:
        r = self.ranges.get(v)
        if r is not None:
            return r
        t = int_type(v.type)
        assert t is not None, f"no interval for a {v.type} value"
        return (t.lo, t.hi)

    def define(self, v: SSAValue, expr: str, interval: Interval | None = None) -> None:
        """Bind `v` to `expr`: a name or literal is aliased, anything else is
        evaluated once into a new local."""
        if expr.isidentifier() or _is_literal(expr):
            self.names[v] = expr
        else:
            name = self.fresh("v")
            self.emit(f"{name} = {expr}")
            self.names[v] = name
        if interval is not None:
            self.ranges[v] = interval

    def int_result(self, v: SSAValue, expr: str, interval: Interval, t: IntType):
        """Define an integer result, wrapping unless `interval` fits `t`."""
        if t.fits(interval):
            self.define(v, expr, interval)
        else:
            self.define(v, t.wrap(expr), (t.lo, t.hi))

    def fault_site(self, op: Operation) -> int:
        """The index by which generated code names `op` in a Fault."""
        self.sites.append(op)
        return len(self.sites) - 1

    def constant(self, value: Any, prefix: str = "_k") -> str:
        """A name for `value` in the generated code's globals."""
        name = self.fresh(prefix)
        self.ns[name] = value
        return name

    def unsupported(self, op: Operation, message: str) -> InterpreterError:
        return op_failure(op, message)

    # -- functions and blocks --------------------------------------------------

    def compile(self) -> CompiledCode:
        params = []
        placed = param_placements(self.func)
        for name, arg in zip(self.func.names, self.func.args, strict=True):
            var = self.fresh("b")
            params.append(var)
            tracked = name in self.tracked
            self.bind_buffer(arg, var, tracked, tracked or name in placed, False)
        self.block(self.func.body.block)
        header = f"def _fn(_F, {', '.join(params)}):" if params else "def _fn(_F):"
        body = self.lines or ["    pass"]
        source = "\n".join([header, *body]) + "\n"
        name = self.func.sym_name.data
        try:
            code = compile(source, f"<tir.func @{name}>", "exec")
        except (SyntaxError, RecursionError, MemoryError) as e:
            raise op_failure(
                self.func, f"too deeply nested for the interpreter ({e})"
            ) from None
        exec(code, self.ns)
        return CompiledCode(self.ns["_fn"], self.sites, source)

    def bind_buffer(
        self, v: SSAValue, var: str, checked: bool, marks: bool, readonly: bool
    ) -> None:
        t = v.type
        assert isinstance(t, BufferType)
        n = var[1:]
        info = BufInfo(var, f"d{n}", f"i{n}", t.get_shape(), checked, marks, readonly)
        self.emit(f"{info.data} = {var}.data")
        if checked or marks:
            self.emit(f"{info.init} = {var}.init")
        self.bufs[v] = info
        self.names[v] = var

    def block(self, block: Block) -> None:
        for op in block.ops:
            self.op(op)

    def op(self, op: Operation) -> None:
        found = semantics_of(op)
        if found is not None and found[0] == "emits":
            found[1](self, op)
            return
        if found is not None and found[0] == "implements":
            self.registered(op, found[1])
            return
        raise self.unsupported(
            op,
            "the interpreter has no semantics for this op (no implementation "
            "is registered for its class)",
        )

    def nested(self, body: Callable[[], None]) -> None:
        """Emit an indented block; `pass` if it came out empty."""
        self.indent += 1
        start = len(self.lines)
        body()
        if len(self.lines) == start:
            self.emit("pass")
        self.indent -= 1

    # -- structure ---------------------------------------------------------------

    def for_op(self, op: ForOp) -> None:
        iv = op.induction_var
        lo, hi = self.range(op.lb)[0], self.range(op.ub)[1] - 1
        name = self.fresh("v")
        self.names[iv] = name
        self.ranges[iv] = (lo, hi) if lo <= hi else (0, 0)
        head = f"for {name} in range({self.value(op.lb)}, {self.value(op.ub)}):"
        if self.loops < LOOP_NEST_LIMIT and self.indent < INDENT_LIMIT:
            self.emit(head)
            self.loops += 1
            self.nested(lambda: self.block(op.body.block))
            self.loops -= 1
            return
        # Too deep for one Python function: the body becomes a nested def.
        fn = self.fresh("_r")
        self.emit(f"def {fn}({name}):")
        outer, self.loops = self.loops, 0
        self.nested(lambda: self.block(op.body.block))
        self.loops = outer
        self.emit(head)
        self.indent += 1
        self.emit(f"{fn}({name})")
        self.indent -= 1

    def if_op(self, op: IfOp) -> None:
        self.emit(f"if {self.value(op.cond)}:")
        self.nested(lambda: self.block(op.then_region.block))
        if op.else_region is not None and op.else_region.blocks:
            else_block = op.else_region.block
            if else_block.first_op is not None:
                self.emit("else:")
                self.nested(lambda: self.block(else_block))

    def assert_op(self, op: AssertOp) -> None:
        k = self.fault_site(op)
        msg = f"assertion failed: {op.message.data}"
        self.emit(f"if not {self.value(op.cond)}: raise _Fault({k}, {msg!r})")

    # -- buffers -----------------------------------------------------------------

    def allocate(self, op: AllocateOp) -> None:
        t = op.buffer.type
        assert isinstance(t, BufferType)
        name = op.buffer.name_hint or "workspace"
        origin = f"allocated {where(op)}"
        placed = op_placement(op)
        if placed is None:
            shape, dtype = t.get_shape(), t.dtype
            if problem := storage_problem(t.size_in_bytes):
                raise op_failure(op, f"the buffer {problem}")

            def make(frame: Frame) -> Buffer:
                return Buffer.fresh(name, shape, dtype, WORKSPACE, origin)
        else:
            pool, offset = placed

            def make(frame: Frame) -> Buffer:
                return frame.pool(pool).place(
                    name,
                    t.get_shape(),
                    t.dtype,
                    offset,
                    kind=WORKSPACE,
                    origin=origin,
                    fresh=True,
                )

        var = self.fresh("b")
        self.emit(f"{var} = {self.constant(make, '_mk')}(_F)")
        self.bind_buffer(op.buffer, var, True, True, False)

    def allocate_const(self, op: AllocateConstOp) -> None:
        t = op.buffer.type
        assert isinstance(t, BufferType)
        try:
            data = np.array(op.data, dtype=t.dtype).reshape(t.get_shape())
        except Exception as e:  # noqa: BLE001 - an unresolvable symbol
            raise op_failure(op, str(e).splitlines()[0]) from None
        name = op.buffer.name_hint or "constant"
        origin = f"defined {where(op)}"
        var = self.fresh("b")
        placed = op_placement(op)
        if placed is None:
            buf = Buffer.fresh(name, t.get_shape(), t.dtype, CONSTANT, origin)
            buf.fill(data)
            self.emit(f"{var} = {self.constant(buf, '_c')}")
        else:
            pool, offset = placed

            def make(frame: Frame) -> Buffer:
                b = frame.pool(pool).place(
                    name,
                    t.get_shape(),
                    t.dtype,
                    offset,
                    kind=CONSTANT,
                    origin=origin,
                    fresh=False,
                )
                b.fill(data)
                return b

            self.emit(f"{var} = {self.constant(make, '_mk')}(_F)")
        self.bind_buffer(op.buffer, var, False, False, True)

    def view(self, op: DeclBufferOp | ReshapeOp) -> None:
        src = self.bufs[op.source]
        t = op.view.type
        assert isinstance(t, BufferType)
        offset, strides = view_window(op)
        var = self.fresh("b")
        name = op.view.name_hint or "view"
        self.emit(
            f"{var} = {src.var}.view({offset}, {t.get_shape()!r}, {name!r}, "
            f"{strides!r})"
        )
        self.bind_buffer(op.view, var, src.checked, src.marks, src.readonly)
        self.bufs[op.view].elem_strides = strides

    def linear_index(
        self, op: Operation, info: BufInfo, indices: Sequence[SSAValue]
    ) -> str:
        """Emit the bounds check (where not proven) and return the linear index."""
        exprs = [self.value(i) for i in indices]
        tests = []
        for e, v, d in zip(exprs, indices, info.shape, strict=True):
            lo, hi = self.range(v)
            if lo < 0 and hi >= d:
                tests.append(f"not 0 <= {e} < {d}")
            elif lo < 0:
                tests.append(f"{e} < 0")
            elif hi >= d:
                tests.append(f"{e} >= {d}")
        if tests:
            k = self.fault_site(op)
            shape = format_index(info.shape)
            tup = "(" + "".join(f"{e}, " for e in exprs) + ")"
            self.emit(
                f"if {' or '.join(tests)}: raise _Fault({k}, 'index ' + _fmt({tup}) + "
                f"' is out of bounds for %' + {info.var}.name + ' of shape {shape}')"
            )
        terms = []
        for e, s, d in zip(exprs, info.strides, info.shape, strict=True):
            if d == 1:
                continue  # the index is 0
            terms.append(e if s == 1 else f"{e} * {s}")
        return " + ".join(terms) or "0"

    def load(self, op: BufferLoadOp) -> None:
        info = self.bufs[op.buffer]
        lin = self.linear_index(op, info, op.indices)
        if info.checked:
            lin = self._bind_index(lin)
            k = self.fault_site(op)
            self.emit(
                f"if {info.init}[{lin}] != {_full(op.buffer)}: "
                f"raise _Fault({k}, _undef({info.var}, {lin}))"
            )
        self.names[op.result] = name = self.fresh("v")
        self.emit(f"{name} = {info.data}[{lin}]")

    def store(self, op: BufferStoreOp) -> None:
        info = self.bufs[op.buffer]
        lin = self.linear_index(op, info, op.indices)
        if info.readonly:
            k = self.fault_site(op)
            self.emit(
                f"raise _Fault({k}, 'stores into %' + {info.var}.name + ', a "
                "constant buffer')"
            )
            return
        if info.marks:
            lin = self._bind_index(lin)
        self.emit(f"{info.data}[{lin}] = {self.value(op.value)}")
        if info.marks:
            self.emit(f"{info.init}[{lin}] = {_full(op.buffer)}")

    def _bind_index(self, lin: str) -> str:
        if lin.isidentifier() or _is_literal(lin):
            return lin
        self.emit(f"_t = {lin}")
        return "_t"

    # -- calls and operators ---------------------------------------------------

    def call_extern(self, op: CallExternOp) -> None:
        call = operators.make_extern_call(self.program, op, self.bufs)
        args = ", ".join(["_F", *(self.value(a) for a in op.args)])
        fn = self.constant(call, "_x")
        results = list(op.res)
        if not results:
            self.emit(f"{fn}({args})")
            return
        names = [self.fresh("v") for _ in results]
        self.emit(f"{', '.join(names)}, = {fn}({args})")
        for r, n in zip(results, names, strict=True):
            self.names[r] = n

    def registered(self, op: Operation, factory: Implementation) -> None:
        """An op implemented in the registry: checks from its declared effects."""
        effects = operand_effects(op)
        if effects is None:
            raise self.unsupported(
                op, "declares no memory effects, so it cannot run (add `effects()`)"
            )
        reads = {v for v, e in effects if e & Effect.READ and v in self.bufs}
        writes = {v for v, e in effects if e & Effect.WRITE and v in self.bufs}
        for v in writes:
            if self.bufs[v].readonly:
                k = self.fault_site(op)
                self.emit(
                    f"raise _Fault({k}, 'writes into %' + {self.bufs[v].var}.name + "
                    "', a constant buffer')"
                )
                return
        operands = list(op.operands)
        check = [
            i for i, v in enumerate(operands) if v in reads and self.bufs[v].checked
        ]
        marks = [i for i, v in enumerate(operands) if v in writes]
        run = factory(op)

        def call(*args: Any) -> None:
            for i in check:
                operators.check_defined(op, args[i])
            run(*args)
            for i in marks:
                args[i].mark_initialized()

        args = ", ".join(self.value(v) for v in operands)
        self.emit(f"{self.constant(call, '_op')}({args})")


def _full(v: SSAValue) -> int:
    t = v.type
    assert isinstance(t, BufferType)
    return int.from_bytes(b"\x01" * t.dtype.itemsize, "little")


def _is_literal(expr: str) -> bool:
    try:
        float(expr)
    except ValueError:
        return expr in ("True", "False")
    return True


def undefined_message(buf: Buffer, linear: int) -> str:
    """The message for reading an element nobody has written."""
    idx = format_index(buf.unravel(linear))
    if buf.kind == PARAM:
        return (
            f"reads {buf.name}{idx}, which is undefined: parameter '{buf.name}' "
            "was not given as an input and this element has not been written"
        )
    hint = ""
    if buf.pool is not None:
        hint = (
            "; if it was written, a buffer allocated later over the same pool bytes "
            "reset them (a memory plan that overlaps live buffers)"
        )
    return f"reads {idx} of {buf.describe()}, which has not been written{hint}"


_STRUCTURE: dict[type[Operation], Callable[[FunctionEmitter, Any], None]] = {
    ForOp: FunctionEmitter.for_op,
    IfOp: FunctionEmitter.if_op,
    AssertOp: FunctionEmitter.assert_op,
    AllocateOp: FunctionEmitter.allocate,
    AllocateConstOp: FunctionEmitter.allocate_const,
    DeclBufferOp: FunctionEmitter.view,
    ReshapeOp: FunctionEmitter.view,
    BufferLoadOp: FunctionEmitter.load,
    BufferStoreOp: FunctionEmitter.store,
    CallExternOp: FunctionEmitter.call_extern,
}
"""Loops, conditionals, buffer accesses, allocations and views: emitted inline."""

for _cls, _rule in _STRUCTURE.items():
    emits(_cls)(_rule)
