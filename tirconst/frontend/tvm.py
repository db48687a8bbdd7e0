"""Import Apache TVM's TIR (TVM 0.27, `tvm.tirx`) as tir.

`import_tvm(obj)` turns a `tvm.tirx.PrimFunc` or an `IRModule` of them into a
module of `tir.func`s; `import_tvmscript(path)` runs a TVMScript `.py` file
and imports every PrimFunc and IRModule it defines at top level.

The mapping, node by node (docs/tvm.md has the table):

- buffer parameters -> `tir.func` parameters (scalar parameters are refused:
  a `tir.func` computes by writing buffers);
- `AllocBuffer` -> `tir.allocate` (its scope kept), `DeclBuffer` over
  `buffer.data` -> `tir.decl_buffer` (element offset and strides kept);
- `For` -> `tir.for` over `index` (kinds serial, parallel, vectorized and
  unrolled kept); its loop variable's value in the loop variable's dtype is an
  `arith.index_cast` at the top of the body;
- `IfThenElse` -> `tir.if`, `AssertStmt` -> `tir.assert`, `Bind`/`LetStmt`/
  `Let` -> the bound SSA value (a let is a name, SSA has one already),
  `Evaluate(call_extern)` and `call_extern` in expressions -> `tir.call_extern`;
- `TensorLoad`/`BufferStore` -> `tir.buffer_load`/`tir.buffer_store`, each index
  an `arith.index_cast` of its TVM expression (a bare loop variable is the
  loop's `index` directly);
- integer `+ - * & | ^ << >>` and comparisons -> `arith` (signedness from the
  dtype; int32/int64 `+ - *` carry `overflow<nsw>`: TVM assumes they do not
  overflow, its simplifier rewrites them as integers; int8/int16 wrap),
  `Div`/`Mod` (TVM's truncdiv/truncmod) -> `arith.divsi`/`remsi`
  (`divui`/`remui` for unsigned), `FloorDiv`/`FloorMod`/`Min`/`Max`/`Select`/
  `Cast` -> `tir.floordiv`/`floormod`/`min`/`max`/`select`/`cast`; float
  arithmetic and comparisons -> `arith`'s float ops; every comparison is
  ordered (false when either side is nan), `!=` included (`cmpf one`, unlike
  C's `!=`), as TVM's LLVM code generator emits them.

Anything else is refused with a one-line `TVMImportError` naming the node.
TVM is imported lazily: only this module needs `apache-tvm`.
"""

from __future__ import annotations

import runpy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    AnyFloat,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    Signedness,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue

from tirconst.dialects import tir
from tirconst.dialects.tir.types import DTYPES


class TVMImportError(Exception):
    """A TVM node tirconst cannot import; the message is one line."""


FOR_KINDS = {
    0: tir.ForKind.SERIAL,
    1: tir.ForKind.PARALLEL,
    2: tir.ForKind.VECTORIZED,
    3: tir.ForKind.UNROLLED,
}
"""TVM ForKind values -> tir loop kinds (4, thread binding, is refused)."""

_INT_BINARY = {
    "Add": arith.AddiOp,
    "Sub": arith.SubiOp,
    "Mul": arith.MuliOp,
    "BitwiseAnd": arith.AndIOp,
    "BitwiseOr": arith.OrIOp,
    "BitwiseXor": arith.XOrIOp,
    "And": arith.AndIOp,
    "Or": arith.OrIOp,
    "LShift": arith.ShLIOp,
    "FloorDiv": tir.FloorDivOp,
    "FloorMod": tir.FloorModOp,
    "Min": tir.MinOp,
    "Max": tir.MaxOp,
}
_FLOAT_BINARY = {
    "Add": arith.AddfOp,
    "Sub": arith.SubfOp,
    "Mul": arith.MulfOp,
    "Div": arith.DivfOp,
    "Min": tir.MinOp,
    "Max": tir.MaxOp,
}
_CMP = {"EQ": "eq", "NE": "ne", "LT": "lt", "LE": "le", "GT": "gt", "GE": "ge"}
_FLOAT_CMP = {
    "EQ": "oeq",
    "NE": "one",
    "LT": "olt",
    "LE": "ole",
    "GT": "ogt",
    "GE": "oge",
}
_CALL_BINARY = {
    "tirx.shift_left": "LShift",
    "tirx.shift_right": "RShift",
    "tirx.bitwise_and": "BitwiseAnd",
    "tirx.bitwise_or": "BitwiseOr",
    "tirx.bitwise_xor": "BitwiseXor",
}


def element_type(dtype: str, what: str) -> Attribute:
    """The tir element type of a TVM dtype name."""
    found = DTYPES.get(dtype)
    if found is None:
        raise TVMImportError(
            f"{what}: dtype {dtype} has no tir equivalent "
            f"(expected one of {', '.join(DTYPES)})"
        )
    return found[0]


def _kind(node: Any) -> str:
    return type(node).__name__


def _dtype(node: Any) -> str:
    """The dtype name of a TVM expression (or of a variable)."""
    return str(node.ty.dtype)


def _is_unsigned(t: Attribute) -> bool:
    return isinstance(t, IntegerType) and (
        t.signedness.data == Signedness.UNSIGNED or t.width.data == 1
    )


class _FuncImporter:
    """Imports one PrimFunc: statements into blocks, expressions into SSA ops."""

    def __init__(self, name: str):
        self.name = name
        self.values: dict[int, SSAValue] = {}
        """TVM variable (by object id) -> its SSA value (buffers, lets)."""
        self.loop_index: dict[int, SSAValue] = {}
        """TVM loop variable -> the `index` induction variable."""
        self.block: Block = Block()

    def fail(self, message: str) -> TVMImportError:
        return TVMImportError(f"@{self.name}: {message}")

    def add(self, op: Operation) -> SSAValue:
        self.block.add_op(op)
        return op.results[0] if op.results else None  # type: ignore[return-value]

    # -- functions ---------------------------------------------------------

    def function(self, func: Any) -> tir.FuncOp:
        params: list[tuple[str, tir.BufferType]] = []
        for p in func.params:
            pname = str(p.name)
            ty = p.ty
            if _kind(ty) != "BufferType":
                raise self.fail(
                    f"scalar parameter '{pname}' ({ty}) is not supported: "
                    "tir.func parameters are buffers"
                )
            params.append((pname, self.buffer_type(ty, f"parameter '{pname}'")))
        op = tir.FuncOp(self.name, params)
        for p, arg in zip(func.params, op.args, strict=True):
            self.values[p.id_] = arg
        self.block = op.body.block
        self.stmt(func.body)
        return op

    def buffer_type(self, ty: Any, what: str, *, view: bool = False):
        shape = []
        for d in ty.shape:
            if _kind(d) != "IntImm":
                raise self.fail(f"{what}: dimension {d} is not a constant")
            shape.append(int(d.value))
        if not view:
            if _kind(ty.elem_offset) != "IntImm" or int(ty.elem_offset.value) != 0:
                raise self.fail(f"{what}: element offset {ty.elem_offset} is not 0")
            if len(ty.strides):
                raise self.fail(f"{what}: strides are supported on views only")
        et = element_type(str(ty.dtype.dtype), what)
        return tir.BufferType(shape, et, str(ty.storage_scope))

    # -- statements --------------------------------------------------------

    def stmt(self, s: Any) -> None:
        kind = _kind(s)
        handler = getattr(self, f"stmt_{kind}", None)
        if handler is None:
            raise self.fail(f"TVM statement {kind} is not supported")
        handler(s)

    def stmt_SeqStmt(self, s: Any) -> None:
        for x in s.seq:
            self.stmt(x)

    def stmt_AllocBuffer(self, s: Any) -> None:
        if len(s.annotations):
            raise self.fail(f"AllocBuffer annotations {s.annotations} are not kept")
        var = s.buffer
        bt = self.buffer_type(var.ty, f"buffer '{var.name}'")
        self.values[var.id_] = self.add(tir.AllocateOp(bt, str(var.name)))

    def stmt_DeclBuffer(self, s: Any) -> None:
        var = s.buffer
        what = f"DeclBuffer '{var.name}'"
        data = s.data
        if (
            _kind(data) != "Call"
            or data.op.name != "tirx.buffer_data"
            or data.args[0].id_ not in self.values
        ):
            raise self.fail(
                f"{what}: only views of a known buffer's data are supported"
            )
        source = self.values[data.args[0].id_]
        src_t = source.type
        assert isinstance(src_t, tir.BufferType)
        ty = var.ty
        view_t = self.buffer_type(ty, what, view=True)
        if view_t.element_type != src_t.element_type:
            raise self.fail(f"{what}: its dtype differs from its source's")
        if _kind(ty.elem_offset) != "IntImm":
            raise self.fail(f"{what}: element offset {ty.elem_offset} is not constant")
        strides = None
        if len(ty.strides):
            if any(_kind(x) != "IntImm" for x in ty.strides):
                raise self.fail(f"{what}: strides {ty.strides} are not constant")
            strides = [int(x.value) for x in ty.strides]
        op = tir.DeclBufferOp(source, int(ty.elem_offset.value), view_t, strides)
        op.view.name_hint = str(var.name)
        self.values[var.id_] = self.add(op)

    def stmt_Bind(self, s: Any) -> None:
        self.values[s.var.id_] = self.expr(s.value)

    def stmt_LetStmt(self, s: Any) -> None:
        self.values[s.var.id_] = self.expr(s.value)
        if getattr(s, "body", None) is not None:
            self.stmt(s.body)

    def stmt_For(self, s: Any) -> None:
        kind = FOR_KINDS.get(int(s.kind))
        if kind is None:
            raise self.fail(f"For loop '{s.loop_var.name}': thread binding is refused")
        if s.step is not None and not (
            _kind(s.step) == "IntImm" and int(s.step.value) == 1
        ):
            raise self.fail(f"For loop '{s.loop_var.name}': step {s.step} is not 1")
        if len(s.annotations):
            raise self.fail(f"For loop '{s.loop_var.name}': annotations are not kept")
        if _kind(s.min) == "IntImm" and _kind(s.extent) == "IntImm":
            lo = int(s.min.value)
            lb = self.index_constant(lo)
            ub = self.index_constant(lo + int(s.extent.value))
        else:
            lb = self.index(s.min)
            lo_val = self.expr(s.min)
            ext = self.expr(s.extent)
            end = self.add(arith.AddiOp(lo_val, ext))
            ub = self.add(arith.IndexCastOp(end, IndexType()))
        op = tir.ForOp(lb, ub, kind=kind)
        iv = op.induction_var
        iv.name_hint = str(s.loop_var.name)
        self.add(op)
        outer, self.block = self.block, op.body.block
        et = element_type(_dtype(s.loop_var), f"loop variable '{s.loop_var.name}'")
        value = self.add(arith.IndexCastOp(iv, et))
        value.name_hint = str(s.loop_var.name)
        self.values[s.loop_var.id_] = value
        self.loop_index[s.loop_var.id_] = iv
        self.stmt(s.body)
        self.block = outer

    def stmt_IfThenElse(self, s: Any) -> None:
        cond = self.expr(s.condition)
        then_region = Region(Block())
        else_region = Region(Block()) if s.else_case is not None else None
        outer = self.block
        self.block = then_region.block
        self.stmt(s.then_case)
        if else_region is not None:
            self.block = else_region.block
            self.stmt(s.else_case)
        self.block = outer
        self.add(tir.IfOp(cond, then_region, else_region))

    def stmt_AssertStmt(self, s: Any) -> None:
        cond = self.expr(s.condition)
        message = "".join(str(p.value) for p in s.message_parts)
        self.add(tir.AssertOp(cond, message))

    def stmt_Evaluate(self, s: Any) -> None:
        v = s.value
        if _kind(v) == "IntImm":
            return  # T.evaluate(0): nothing to do
        if _kind(v) == "Call" and v.op.name == "tirx.call_extern":
            self.call_extern(v, with_result=False)
            return
        raise self.fail(f"Evaluate of {_kind(v)} {v} is not supported")

    def stmt_BufferStore(self, s: Any) -> None:
        buf = self.buffer(s.buffer)
        value = self.expr(s.value)
        indices = [self.index(i) for i in s.indices]
        self.add(tir.BufferStoreOp(value, buf, indices))

    # -- expressions -------------------------------------------------------

    def buffer(self, var: Any) -> SSAValue:
        found = self.values.get(var.id_)
        if found is None or not isinstance(found.type, tir.BufferType):
            raise self.fail(f"'{var.name}' is not a buffer defined here")
        return found

    def int_constant(self, v: int, t: Attribute) -> SSAValue:
        """An integer constant; an unsigned one is a `tir.cast` of the signless
        constant with the same bits (`arith.constant` takes signless types)."""
        assert isinstance(t, IntegerType)
        if not _is_unsigned(t) or t.width.data == 1:
            return self.add(arith.ConstantOp(IntegerAttr(v, t)))
        width = t.width.data
        bits = v - (1 << width) if v >= 1 << (width - 1) else v
        c = self.add(arith.ConstantOp(IntegerAttr(bits, IntegerType(width))))
        return self.add(tir.CastOp(c, t))

    def index_constant(self, v: int) -> SSAValue:
        return self.add(arith.ConstantOp(IntegerAttr(v, IndexType())))

    def index(self, e: Any) -> SSAValue:
        """A TVM integer expression as an `index` value."""
        if _kind(e) == "Var" and e.id_ in self.loop_index:
            return self.loop_index[e.id_]
        if _kind(e) == "IntImm":
            return self.index_constant(int(e.value))
        v = self.expr(e)
        if not isinstance(v.type, IntegerType) or v.type.width.data == 1:
            raise self.fail(f"index {e} is not an integer")
        if _is_unsigned(v.type):  # arith.index_cast would sign-extend
            return self.add(tir.CastOp(v, IndexType()))
        return self.add(arith.IndexCastOp(v, IndexType()))

    def expr(self, e: Any) -> SSAValue:
        kind = _kind(e)
        if kind == "IntImm":
            return self.int_constant(int(e.value), element_type(_dtype(e), str(e)))
        if kind == "FloatImm":
            t = element_type(_dtype(e), f"constant {e}")
            assert isinstance(t, AnyFloat)
            return self.add(arith.ConstantOp(FloatAttr(float(e.value), t)))
        if kind == "Var":
            found = self.values.get(e.id_)
            if found is None or isinstance(found.type, tir.BufferType):
                raise self.fail(f"variable '{e.name}' is not defined here")
            return found
        if kind == "TensorLoad":
            buf = self.buffer(e.source)
            indices = [self.index(i) for i in e.indices]
            return self.add(tir.BufferLoadOp(buf, indices))
        if kind == "Let":
            self.values[e.var.id_] = self.expr(e.value)
            return self.expr(e.body)
        if kind in ("EQ", "NE", "LT", "LE", "GT", "GE"):
            return self.compare(kind, e.a, e.b)
        if kind == "Not":
            a = self.expr(e.a)
            true = self.add(arith.ConstantOp(IntegerAttr(1, IntegerType(1))))
            return self.add(arith.XOrIOp(a, true))
        if kind == "BitwiseNot":
            return self.bitwise_not(e.a, e)
        if kind == "Select":
            c = self.expr(e.condition)
            x = self.expr(e.true_value)
            y = self.expr(e.false_value)
            return self.add(tir.SelectOp(c, x, y))
        if kind == "Cast":
            t = element_type(str(e.ty.dtype), f"Cast {e}")
            return self.add(tir.CastOp(self.expr(e.value), t))
        if kind == "Call":
            return self.call(e)
        if hasattr(e, "a") and hasattr(e, "b"):
            return self.binary(kind, e)
        raise self.fail(f"TVM expression {kind} ({e}) is not supported")

    def binary(self, kind: str, e: Any) -> SSAValue:
        a, b = self.expr(e.a), self.expr(e.b)
        return self.binary_values(kind, a, b, e)

    def binary_values(self, kind: str, a: SSAValue, b: SSAValue, e: Any) -> SSAValue:
        t = a.type
        if a.type != b.type:
            raise self.fail(f"{kind} of {a.type} and {b.type} ({e})")
        if isinstance(t, AnyFloat):
            cls = _FLOAT_BINARY.get(kind)
            if cls is None:
                raise self.fail(f"{kind} on floats ({e}) is not supported")
            return self.add(cls(a, b))
        unsigned = _is_unsigned(t)
        if kind == "Div":
            cls = arith.DivUIOp if unsigned else arith.DivSIOp
        elif kind == "Mod":
            cls = arith.RemUIOp if unsigned else arith.RemSIOp
        elif kind == "RShift":
            cls = arith.ShRUIOp if unsigned else arith.ShRSIOp
        else:
            cls = _INT_BINARY.get(kind)
            if cls is None:
                raise self.fail(f"TVM expression {kind} ({e}) is not supported")
        if kind in ("Add", "Sub", "Mul") and not unsigned and t.width.data >= 32:
            # TVM's rule: int32/int64 arithmetic does not overflow (its code is
            # LLVM `nsw`, its simplifier computes in the integers): nsw
            nsw = arith.IntegerOverflowAttr([arith.IntegerOverflowFlag.NSW])
            return self.add(cls(a, b, overflow=nsw))
        return self.add(cls(a, b))

    def compare(self, kind: str, ea: Any, eb: Any) -> SSAValue:
        a, b = self.expr(ea), self.expr(eb)
        if isinstance(a.type, AnyFloat):
            return self.add(arith.CmpfOp(a, b, _FLOAT_CMP[kind]))
        pred = _CMP[kind]
        if pred not in ("eq", "ne"):
            pred = ("u" if _is_unsigned(a.type) else "s") + pred
        return self.add(arith.CmpiOp(a, b, pred))

    def call(self, e: Any) -> SSAValue:
        name = str(e.op.name)
        if name in _CALL_BINARY:
            return self.binary_values(
                _CALL_BINARY[name], self.expr(e.args[0]), self.expr(e.args[1]), e
            )
        if name == "tirx.bitwise_not":
            return self.bitwise_not(e.args[0], e)
        if name == "tirx.call_extern":
            return self.call_extern(e, with_result=True)
        raise self.fail(f"TVM call {name} is not supported")

    def bitwise_not(self, operand: Any, e: Any) -> SSAValue:
        a = self.expr(operand)
        t = a.type
        if not isinstance(t, IntegerType):
            raise self.fail(f"bitwise_not of {t} ({e})")
        ones = (1 << t.width.data) - 1 if _is_unsigned(t) else -1
        c = self.int_constant(ones, t)
        return self.add(arith.XOrIOp(a, c))

    def call_extern(self, e: Any, *, with_result: bool) -> SSAValue:
        callee = e.args[0]
        if _kind(callee) != "StringImm":
            raise self.fail(f"call_extern needs a function name, got {callee}")
        args: list[SSAValue] = []
        for x in e.args[1:]:
            if _kind(x) == "Call" and x.op.name == "tirx.buffer_data":
                args.append(self.buffer(x.args[0]))
            else:
                args.append(self.expr(x))
        results: Sequence[Attribute] = ()
        if with_result:
            results = [element_type(_dtype(e), f"call_extern {callee.value}")]
        return self.add(tir.CallExternOp(str(callee.value), args, results))


def import_tvm(obj: Any) -> ModuleOp:
    """A tir module of the PrimFunc `obj`, or of every PrimFunc in the IRModule
    `obj` (in name order)."""
    import tvm  # noqa: F401 - fails clearly when apache-tvm is missing

    funcs = _functions(obj, "the object")
    module = ModuleOp([])
    for name, f in funcs:
        module.body.block.add_op(_FuncImporter(name).function(f))
    module.verify()
    return module


def _functions(obj: Any, where: str) -> list[tuple[str, Any]]:
    kind = _kind(obj)
    if kind == "PrimFunc":
        name = (
            obj.attrs["global_symbol"]
            if obj.attrs and ("global_symbol" in obj.attrs)
            else "main"
        )
        return [(str(name), obj)]
    if kind == "IRModule":
        out = []
        for gv, f in sorted(obj.functions.items(), key=lambda kv: kv[0].name_hint):
            if _kind(f) != "PrimFunc":
                raise TVMImportError(
                    f"{where}: function '{gv.name_hint}' is a {_kind(f)}, "
                    "not a PrimFunc"
                )
            out.append((str(gv.name_hint), f))
        return out
    raise TVMImportError(f"{where} is a {kind}, not a PrimFunc or IRModule")


def import_tvmscript(path: str | Path) -> ModuleOp:
    """Run the TVMScript file `path` and import the PrimFuncs and IRModules it
    defines at top level (in order of definition)."""
    import tvm  # noqa: F401

    try:
        namespace = runpy.run_path(str(path), run_name="__tvmscript__")
    except SyntaxError as e:
        raise TVMImportError(f"line {e.lineno}: {e.msg}") from None
    except Exception as e:  # noqa: BLE001 - TVM's parser raises many kinds
        first = str(e).strip().splitlines()
        raise TVMImportError(
            f"TVM could not run it: {type(e).__name__}: {first[-1] if first else ''}"
        ) from None
    funcs: list[tuple[str, Any]] = []
    for key, value in namespace.items():
        kind = _kind(value)
        if kind == "PrimFunc":
            has_symbol = value.attrs is not None and "global_symbol" in value.attrs
            funcs.append(
                (str(value.attrs["global_symbol"]) if has_symbol else key, value)
            )
        elif kind == "IRModule":
            funcs += _functions(value, key)
    if not funcs:
        raise TVMImportError("defines no PrimFunc or IRModule at top level")
    names = [n for n, _ in funcs]
    if len(set(names)) != len(names):
        raise TVMImportError(f"two functions are named the same ({names})")
    module = ModuleOp([])
    for name, f in funcs:
        module.body.block.add_op(_FuncImporter(name).function(f))
    module.verify()
    return module
