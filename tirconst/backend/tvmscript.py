"""tir as TVMScript that Apache TVM 0.27 parses and compiles.

`to_tvmscript(module)` returns the text and the data of the module's
first-class constants. TVM 0.27 has no `AllocateConst`, so each constant (a
`tir.allocate_const`, inline or naming a `tir.constant`) becomes one more
buffer parameter of its function, named after the constant, and its data goes
out beside the text (`.npz`, keyed by parameter name); a comment in the text
says so. `tirconst-opt -t tvmscript` prints it (`tvmscript{params=F.npz}`
names the data file; with `-o OUT.py` it defaults to `OUT.npz`).

The mapping is the inverse of `tirconst.frontend.tvm`'s: an SSA value used
once, defined right before its user (its ops contiguous, in the order an
importer emits an expression's), is written inline in its user's expression;
any other becomes `name = T.bind(...)` (a TVM let), so nothing is computed
twice or moved across a store, and importing the text gives back the same
ops in the same order. `index` values are TVM's int32 index expressions
(a tir index is 64-bit: index arithmetic that leaves int32 differs in TVM).
int32/int64 `+ - *` flagged `overflow<nsw>` are TVM's own (which assume no
overflow); unflagged ones wrap, so they go out through the unsigned type.
Ops with no TVMScript form (placements, pools, operator ops, `tir.reshape` of
a strided view) are refused with a one-line `TVMScriptExportError` naming them.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from typing import IO, ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    Signedness,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.utils.target import Target

from tirconst.core.files import atomic_output
from tirconst.dialects import tir
from tirconst.dialects.tir.types import DTYPES
from tirconst.interpreter.scalar import float_bits

_DTYPE_OF = {str(t): name for name, (t, _) in DTYPES.items()}
_ARITH_SYMBOL = {
    "arith.addi": "+",
    "arith.subi": "-",
    "arith.muli": "*",
    "arith.addf": "+",
    "arith.subf": "-",
    "arith.mulf": "*",
    "arith.divf": "/",
    "arith.andi": "&",
    "arith.ori": "|",
    "arith.xori": "^",
}
_CALLS = {
    "tir.floordiv": "T.floordiv",
    "tir.floormod": "T.floormod",
    "tir.min": "T.min",
    "tir.max": "T.max",
    "arith.floordivsi": "T.floordiv",
    "arith.shli": "T.shift_left",
}
_SIGNED_CALLS = {  # op -> (TVM call, signedness it reads operands with)
    "arith.divsi": ("T.truncdiv", True),
    "arith.divui": ("T.truncdiv", False),
    "arith.remsi": ("T.truncmod", True),
    "arith.remui": ("T.truncmod", False),
    "arith.shrsi": ("T.shift_right", True),
    "arith.shrui": ("T.shift_right", False),
    "arith.minsi": ("T.min", True),
    "arith.maxsi": ("T.max", True),
    "arith.minui": ("T.min", False),
    "arith.maxui": ("T.max", False),
}
_CMPI = ["==", "!=", "<", "<=", ">", ">=", "<", "<=", ">", ">="]
_CMPF_ORDERED = {1: "==", 2: ">", 3: ">=", 4: "<", 5: "<=", 6: "!="}
_CMPF_UNORDERED = {8: 6, 9: 5, 10: 4, 11: 3, 12: 2, 13: 1}
"""Unordered predicate -> the ordered one it negates (ueq = not one, ...)."""
_KIND_CALL = {
    tir.ForKind.SERIAL: "T.serial",
    tir.ForKind.PARALLEL: "T.parallel",
    tir.ForKind.VECTORIZED: "T.vectorized",
    tir.ForKind.UNROLLED: "T.unroll",
}
MAX_NESTING = 24
"""Inline expressions nest at most this deep (Python's parser stops at 200
parentheses); a deeper one is bound to a name."""
_RESERVED = {"T", "I", "np", "range", "True", "False", "None"}


class TVMScriptExportError(Exception):
    """A module with no TVMScript form; the message is one line."""


def dtype_name(t: Attribute) -> str:
    """The TVM dtype name of a tir scalar type (`index` is int32 in TVM)."""
    if isinstance(t, IndexType):
        return "int32"
    name = _DTYPE_OF.get(str(t))
    if name is None:
        raise TVMScriptExportError(f"type {t} has no TVM dtype")
    return name


def _is_unsigned(t: Attribute) -> bool:
    return isinstance(t, IntegerType) and t.signedness.data == Signedness.UNSIGNED


def _other_signedness(t: IntegerType) -> str:
    w = t.width.data
    return f"int{w}" if _is_unsigned(t) else f"uint{w}"


@dataclass
class TVMScript:
    """Exported TVMScript: the text, and each constant parameter's data."""

    text: str
    params: dict[str, np.ndarray] = field(default_factory=dict)


def float_literal(x: float, dtype: str) -> str:
    if math.isnan(x):
        bits = struct.unpack("<Q", struct.pack("<d", x))[0]
        if bits == 0x7FF8000000000000:
            return f'T.{dtype}("nan")'
        raise TVMScriptExportError(f"a nan constant with payload {bits:#x}")
    if math.isinf(x):
        return f'T.{dtype}("{"-" if x < 0 else ""}inf")'
    return f"T.{dtype}({x!r})"


class _FuncExporter:
    def __init__(self, func: tir.FuncOp, params: dict[str, np.ndarray], indent: int):
        self.func = func
        self.params = params
        self.lines: list[str] = []
        self.indent = indent
        self.inline: dict[SSAValue, str] = {}
        """Value -> its expression text (inline or a bound name)."""
        self.dtypes: dict[SSAValue, str] = {}
        """Index value -> the TVM dtype of its expression text."""
        self.used: set[str] = set(_RESERVED)
        self.inlined: set[Operation] = set()
        self.extra_params: list[tuple[str, tir.BufferType, str]] = []

    def fail(self, op: Operation, message: str) -> TVMScriptExportError:
        return TVMScriptExportError(
            f"@{self.func.sym_name.data}: '{op.name}' {message}"
        )

    def fresh(self, hint: str | None, default: str) -> str:
        base = hint if hint and hint.isidentifier() else default
        base = base.replace("__", "_")
        name, k = base, 1
        while name in self.used:
            name = f"{base}_{k}"
            k += 1
        self.used.add(name)
        return name

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.indent + line)

    # -- functions ---------------------------------------------------------

    def export(self) -> list[str]:
        f = self.func
        if f.param_placement is not None or f.pool_sizes is not None:
            raise self.fail(f, "has placements, which TVMScript cannot say")
        for n in f.names:
            self.used.add(n)
        for n, a in zip(f.names, f.args, strict=True):
            self.inline[a] = n
        self.indent += 1
        self.block(f.body.block)
        if not self.lines:
            self.emit("T.evaluate(0)")
        body = self.lines
        self.indent -= 1
        params = [
            f"{n}: {self.buffer_annotation(a.type)}"  # type: ignore[arg-type]
            for n, a in zip(f.names, f.args, strict=True)
        ]
        notes = []
        for name, bt, what in self.extra_params:
            params.append(f"{name}: {self.buffer_annotation(bt)}")
            notes.append(
                f"# '{name}' is the first-class constant {what}: TVM 0.27 has no "
                "AllocateConst, so it is a parameter; its data is in the .npz "
                f"beside this file (key '{name}')."
            )
        pad = "    " * self.indent
        head = [f"{pad}{n}" for n in notes]
        head.append(f"{pad}@T.prim_func")
        head.append(f"{pad}def {f.sym_name.data}({', '.join(params)}):")
        return head + body

    @staticmethod
    def buffer_annotation(bt: tir.BufferType) -> str:
        shape = bt.get_shape()
        dims = "(" + "".join(f"{d}, " for d in shape).rstrip(" ") + ")"
        if len(shape) > 1:
            dims = "(" + ", ".join(str(d) for d in shape) + ")"
        scope = "" if bt.scope.data == "global" else f', scope="{bt.scope.data}"'
        return f'T.Buffer({dims}, "{dtype_name(bt.element_type)}"{scope})'

    # -- statements --------------------------------------------------------

    def block(self, block: Block) -> None:
        self.plan_inlining(block)
        for op in block.ops:
            self.op(op)

    def plan_inlining(self, block: Block) -> None:
        """Which values are written inline: an operand whose single-use
        definition sits right before its user (after the user's later
        operands' own inline definitions), so that the ops of an inline
        expression are contiguous and in the order an importer emits them
        (operands first, left to right). Everything else is bound by name."""
        ops = list(block.ops)

        depth: dict[Operation, int] = {}

        def claim(op: Operation, cursor: int) -> int:
            depth[op] = 1
            for x in reversed(op.operands):
                d = x.owner
                if (
                    cursor >= 0
                    and ops[cursor] is d
                    and isinstance(d, Operation)
                    and self.candidate(d)
                ):
                    cursor = claim(d, cursor - 1)
                    if depth[d] >= MAX_NESTING:
                        break  # d is bound; what precedes it must be too
                    self.inlined.add(d)
                    depth[op] = max(depth[op], depth[d] + 1)
            return cursor

        k = len(ops) - 1
        while k >= 0:
            k = claim(ops[k], k - 1)

    def candidate(self, op: Operation) -> bool:
        if len(op.results) != 1 or op.regions:
            return False
        if not (self.is_scalar(op) or isinstance(op, tir.CallExternOp)):
            return False
        v = op.results[0]
        if not v.has_one_use():
            return False
        return next(iter(v.uses)).operation.parent_block() is op.parent_block()

    def nested(self, block: Block) -> None:
        self.indent += 1
        start = len(self.lines)
        self.block(block)
        if len(self.lines) == start:
            self.emit("T.evaluate(0)")
        self.indent -= 1

    def op(self, op: Operation) -> None:
        if isinstance(op, tir.ForOp):
            call = _KIND_CALL[op.for_kind]
            lb, ub = self.index_expr(op.lb), self.index_expr(op.ub)
            iv = self.fresh(op.induction_var.name_hint, "i")
            self.inline[op.induction_var] = iv
            self.dtypes[op.induction_var] = "int32"
            self.emit(f"for {iv} in {call}({lb}, {ub}):")
            self.nested(op.body.block)
        elif isinstance(op, tir.IfOp):
            self.emit(f"if {self.expr(op.cond)}:")
            self.nested(op.then_region.block)
            if op.else_region is not None and op.else_region.blocks:
                if op.else_region.block.first_op is not None:
                    self.emit("else:")
                    self.nested(op.else_region.block)
        elif isinstance(op, tir.AssertOp):
            self.emit(f"T.Assert({self.expr(op.cond)}, {op.message.data!r})")
        elif isinstance(op, tir.BufferStoreOp):
            target = self.indexed(op.buffer, op.indices)
            self.emit(f"{target} = {self.expr(op.value)}")
        elif isinstance(op, tir.AllocateOp):
            if op.placement is not None:
                raise self.fail(op, "is placed in a pool; TVMScript cannot say so")
            bt = op.buffer.type
            assert isinstance(bt, tir.BufferType)
            name = self.fresh(op.buffer.name_hint, "buf")
            self.inline[op.buffer] = name
            shape = self.buffer_annotation(bt)[len("T.Buffer(") : -1]
            self.emit(f"{name} = T.alloc_buffer({shape})")
        elif isinstance(op, tir.AllocateConstOp):
            self.constant(op)
        elif isinstance(op, tir.DeclBufferOp | tir.ReshapeOp):
            self.view(op)
        elif isinstance(op, tir.CallExternOp):
            call = self.call_extern(op)
            if op.res:
                self.bind_results(op, call)
            else:
                self.emit(f"T.evaluate({call})")
        elif not op.regions and self.is_scalar(op):
            self.scalar(op)
        else:
            raise self.fail(op, "has no TVMScript form")

    def constant(self, op: tir.AllocateConstOp) -> None:
        if op.effective_placement() is not None:
            raise self.fail(op, "is placed in a pool; TVMScript cannot say so")
        bt = op.buffer_type
        if op.symbol is not None:
            sym = op.symbol.root_reference.data
            what = f"@{sym}"
            hint = sym
        else:
            what = "defined inline"
            hint = op.buffer.name_hint or "const"
        name = self.fresh(hint, "const")
        self.inline[op.buffer] = name
        self.extra_params.append((name, bt, what))
        self.params[name] = np.array(op.data, dtype=bt.dtype).reshape(bt.get_shape())

    def view(self, op: tir.DeclBufferOp | tir.ReshapeOp) -> None:
        offset = op.offset.value.data if isinstance(op, tir.DeclBufferOp) else 0
        source = op.source
        while isinstance(source.owner, tir.DeclBufferOp | tir.ReshapeOp):
            owner = source.owner
            if isinstance(owner, tir.DeclBufferOp):
                offset += owner.offset.value.data
            source = owner.source
        vt = op.view.type
        assert isinstance(vt, tir.BufferType)
        name = self.fresh(op.view.name_hint, "view")
        self.inline[op.view] = name
        shape = self.buffer_annotation(vt)[len("T.Buffer(") : -1]
        strides = ""
        if isinstance(op, tir.DeclBufferOp) and op.strides is not None:
            strides = f", strides={tuple(op.element_strides())!r}"
        self.emit(
            f"{name} = T.decl_buffer({shape}, data={self.inline[source]}.data, "
            f"elem_offset={offset}{strides})"
        )

    def call_extern(self, op: tir.CallExternOp) -> str:
        args = []
        for a in op.args:
            if isinstance(a.type, tir.BufferType):
                args.append(f"{self.inline[a]}.data")
            else:
                args.append(self.expr(a))
        ret = dtype_name(op.res[0].type) if op.res else "int32"
        if len(op.res) > 1:
            raise self.fail(op, "has more than one result")
        rest = "".join(", " + a for a in args)
        return f'T.call_extern("{ret}", {op.callee.data!r}{rest})'

    def bind_results(self, op: Operation, text: str) -> None:
        v = op.results[0]
        if self.inlinable(op):
            self.inline[v] = text
            return
        if not v.uses:
            self.emit(f"T.evaluate({text})")
            return
        name = self.fresh(v.name_hint, "v")
        self.emit(f"{name} = T.bind({text})")
        self.inline[v] = name

    # -- scalars -----------------------------------------------------------

    @staticmethod
    def is_scalar(op: Operation) -> bool:
        return op.name.startswith("arith.") or op.name in (
            "tir.floordiv",
            "tir.floormod",
            "tir.min",
            "tir.max",
            "tir.select",
            "tir.cast",
            "tir.buffer_load",
        )

    def inlinable(self, op: Operation) -> bool:
        return op in self.inlined

    def scalar(self, op: Operation) -> None:
        v = op.results[0]
        text = self.scalar_text(op)
        if text is None:  # free: a name or literal, never bound
            return
        if not v.uses:
            return  # dead pure code
        if self.inlinable(op):
            self.inline[v] = text
            return
        name = self.fresh(v.name_hint, "v")
        self.emit(f"{name} = T.bind({text})")
        self.inline[v] = name

    def scalar_text(self, op: Operation) -> str | None:
        """The expression of `op`'s result; None when it is already defined
        in `self.inline` (constants and casts that cost nothing)."""
        v = op.results[0]
        t = v.type
        name = op.name
        if isinstance(op, arith.ConstantOp):
            self.inline[v] = self.literal(op)
            self.dtypes[v] = "int32"
            return None
        if isinstance(op, tir.BufferLoadOp):
            return self.indexed(op.buffer, op.indices)
        if isinstance(op, arith.IndexCastOp | tir.CastOp) and (
            isinstance(t, IndexType) or isinstance(op.operands[0].type, IndexType)
        ):
            return self.index_cast(op)
        if isinstance(op, tir.CastOp):
            src_t = op.input.type
            if (
                isinstance(op.input.owner, arith.ConstantOp)
                and _is_unsigned(t)
                and isinstance(src_t, IntegerType)
                and src_t.width == t.width  # type: ignore[union-attr]
                and op.input.has_one_use()
            ):
                value = op.input.owner.value
                assert isinstance(value, IntegerAttr)
                bits = value.value.data & ((1 << t.width.data) - 1)
                self.inline[v] = f"T.{dtype_name(t)}({bits})"
                return None
            return f'T.Cast("{dtype_name(t)}", {self.expr(op.input)})'
        ops = [
            self.expr(x) if not isinstance(x.type, IndexType) else self.index_expr(x)
            for x in op.operands
        ]
        if isinstance(t, IndexType) or any(
            isinstance(x.type, IndexType) for x in op.operands
        ):
            self.dtypes[v] = "int32"
        if name in _ARITH_SYMBOL:
            a, b = ops
            if t == IntegerType(1) and name in ("arith.andi", "arith.ori"):
                return f"T.{'And' if name == 'arith.andi' else 'Or'}({a}, {b})"
            if t == IntegerType(1) and name == "arith.xori":
                other = op.operands[1].owner
                if (
                    isinstance(other, arith.ConstantOp)
                    and isinstance(other.value, IntegerAttr)
                    and other.value.value.data != 0
                ):
                    return f"T.Not({a})"
                return f"({a} != {b})"
            sym = _ARITH_SYMBOL[name]
            flags = getattr(op, "overflow_flags", None)
            if (
                name in ("arith.addi", "arith.subi", "arith.muli")
                and isinstance(t, IntegerType)
                and not _is_unsigned(t)
                and t.width.data >= 32
                and "nsw" not in {str(f) for f in (flags.data if flags else ())}
            ):
                # wraps: TVM's int32/int64 + - * may not overflow; unsigned wrap
                u = _other_signedness(t)
                return (
                    f'T.Cast("{dtype_name(t)}", (T.Cast("{u}", {a}) {sym} '
                    f'T.Cast("{u}", {b})))'
                )
            return f"({a} {sym} {b})"
        if name in _CALLS:
            return f"{_CALLS[name]}({ops[0]}, {ops[1]})"
        if name in _SIGNED_CALLS:
            call, signed = _SIGNED_CALLS[name]
            return self.with_signedness(op, call, signed, ops)
        if name in ("tir.select", "arith.select"):
            return f"T.Select({ops[0]}, {ops[1]}, {ops[2]})"
        if isinstance(op, arith.CmpiOp):
            pred = op.predicate.value.data
            a, b = ops
            lt = op.lhs.type
            if pred >= 2 and isinstance(lt, IntegerType):
                signed = pred < 6
                if _is_unsigned(lt) == signed:
                    other = _other_signedness(lt)
                    a, b = f'T.Cast("{other}", {a})', f'T.Cast("{other}", {b})'
            return f"({a} {_CMPI[pred]} {b})"
        if isinstance(op, arith.CmpfOp):
            pred = op.predicate.value.data
            a, b = ops
            if pred in _CMPF_ORDERED:
                return f"({a} {_CMPF_ORDERED[pred]} {b})"
            if pred in _CMPF_UNORDERED:
                return f"T.Not({a} {_CMPF_ORDERED[_CMPF_UNORDERED[pred]]} {b})"
            if pred == 7:
                return f"T.And({a} == {a}, {b} == {b})"
            if pred == 14:
                return f"T.Not(T.And({a} == {a}, {b} == {b}))"
            return f"T.bool({pred == 15})"
        if name in ("arith.extsi", "arith.extui", "arith.trunci"):
            src = op.operands[0].type
            assert isinstance(src, IntegerType)
            a = ops[0]
            if name != "arith.trunci" and _is_unsigned(src) == (name == "arith.extsi"):
                a = f'T.Cast("{_other_signedness(src)}", {a})'
            return f'T.Cast("{dtype_name(t)}", {a})'
        if name in (
            "arith.sitofp",
            "arith.uitofp",
            "arith.fptosi",
            "arith.fptoui",
            "arith.extf",
            "arith.truncf",
        ):
            return f'T.Cast("{dtype_name(t)}", {ops[0]})'
        if name == "arith.negf":
            return f"(-{ops[0]})"
        raise self.fail(op, "has no TVMScript form")

    def with_signedness(self, op: Operation, call: str, signed: bool, ops) -> str:
        t = op.results[0].type
        if (
            isinstance(t, IntegerType)
            and _is_unsigned(t) == signed
            and (t.width.data > 1)
        ):
            other = _other_signedness(t)
            a, b = (f'T.Cast("{other}", {x})' for x in ops)
            return f'T.Cast("{dtype_name(t)}", {call}({a}, {b}))'
        return f"{call}({ops[0]}, {ops[1]})"

    def index_cast(self, op: Operation) -> str | None:
        """Index <-> integer: the same expression when the dtypes agree."""
        v, x = op.results[0], op.operands[0]
        if isinstance(v.type, IndexType):
            text = self.expr(x)
            self.dtypes[v] = dtype_name(x.type)
            if v.uses.get_length() <= 1 or self.is_free(x):
                self.inline[v] = text
                return None
            return text
        text = self.index_expr(x)
        want = dtype_name(v.type)
        if self.dtypes.get(x, "int32") == want:
            self.inline[v] = text
            return None
        return f'T.Cast("{want}", {text})'

    def is_free(self, v: SSAValue) -> bool:
        text = self.inline.get(v)
        return text is not None and (text.isidentifier() or text.startswith("T."))

    def literal(self, op: arith.ConstantOp) -> str:
        t = op.result.type
        value = op.value
        if isinstance(t, IndexType):
            assert isinstance(value, IntegerAttr)
            return str(value.value.data)
        if isinstance(value, IntegerAttr):
            if t == IntegerType(1):
                return f"T.bool({bool(value.value.data)})"
            return f"T.{dtype_name(t)}({value.value.data})"
        assert isinstance(value, FloatAttr)
        bits = float_bits(t)
        assert bits is not None
        return float_literal(float(value.value.data), dtype_name(t))

    def expr(self, v: SSAValue) -> str:
        found = self.inline.get(v)
        if found is None:
            raise TVMScriptExportError(
                f"@{self.func.sym_name.data}: a value is used before its "
                "definition was exported"
            )
        return found

    def index_expr(self, v: SSAValue) -> str:
        text = self.expr(v)
        dt = self.dtypes.get(v, "int32")
        if isinstance(v.type, IndexType) and dt != "int32":
            return f'T.Cast("int32", {text})'
        return text

    def indexed(self, buf: SSAValue, indices) -> str:
        idx = [self.expr(i) for i in indices]
        inside = ", ".join(idx) if idx else "()"
        return f"{self.inline[buf]}[{inside}]"


def to_tvmscript(module: ModuleOp) -> TVMScript:
    """The TVMScript of `module`'s `tir.func`s: one `@T.prim_func` for one
    function, an `@I.ir_module class Module` for several."""
    funcs = [op for op in module.ops if isinstance(op, tir.FuncOp)]
    for op in module.ops:
        if not isinstance(op, tir.FuncOp | tir.ConstantOp):
            raise TVMScriptExportError(
                f"'{op.name}' has no TVMScript form (TVMScript holds PrimFuncs)"
            )
    if not funcs:
        raise TVMScriptExportError("the module holds no tir.func")
    params: dict[str, np.ndarray] = {}
    header = [
        "# Exported by tirconst (tirconst.backend.tvmscript) for Apache TVM 0.27.",
        "from tvm.script import ir as I",
        "from tvm.script import tirx as T",
        "",
    ]
    lines: list[str] = []
    if len(funcs) == 1:
        lines += _FuncExporter(funcs[0], params, 0).export()
    else:
        lines += ["@I.ir_module", "class Module:"]
        for k, f in enumerate(funcs):
            if k:
                lines.append("")
            lines += _FuncExporter(f, params, 1).export()
    if params:
        header.insert(
            1,
            "# TVM 0.27 has no AllocateConst: each first-class constant is a "
            "parameter, its data in the .npz beside this file.",
        )
    return TVMScript("\n".join(header + lines) + "\n", params)


def write_tvmscript(
    module: ModuleOp, output: IO[str], params_path: str | None
) -> TVMScript:
    """Write `module`'s TVMScript to `output` and its constants' data to
    `params_path` (an `.npz`, written atomically; required when there are
    constants)."""
    script = to_tvmscript(module)
    if script.params:
        if params_path is None:
            raise TVMScriptExportError(
                f"the module has {len(script.params)} first-class constant(s), which "
                "go out as parameters: name their data file with "
                "tvmscript{params=FILE.npz} or write with -o"
            )
        with atomic_output(params_path, binary=True) as f:
            np.savez(f, **script.params)
        script.text = script.text.replace(
            "in the .npz beside this file",
            f"in {params_path.rsplit('/', 1)[-1]} beside this file",
        )
    output.write(script.text)
    return script


@dataclass(frozen=True)
class TVMScriptTarget(Target):
    """`-t tvmscript[{params=FILE.npz}]`: the module as TVMScript (TVM 0.27);
    the data of first-class constants goes to `params`."""

    name: ClassVar[str] = "tvmscript"

    params: str | None = None

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        write_tvmscript(module, output, self.params)
