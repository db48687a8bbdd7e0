"""Control structure: functions, loops, conditionals, asserts and extern calls
(TVM's PrimFunc, For, IfThenElse, AssertStmt, Evaluate(Call))."""

from __future__ import annotations

from collections.abc import Sequence
from enum import auto

from xdsl.dialects.builtin import (
    ArrayAttr,
    DictionaryAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    StringAttr,
)
from xdsl.ir import Attribute, Block, Region, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    opt_region_def,
    prop_def,
    region_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import (
    IsolatedFromAbove,
    NoTerminator,
    RecursiveMemoryEffect,
    SymbolOpInterface,
)
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.str_enum import StrEnum

from tirconst.dialects.tir.memory import (
    Effect,
    Effects,
    PlacementAttr,
    check_placement,
    lookup_pool,
)
from tirconst.dialects.tir.types import BufferType

_FUNC_PROPS = ("param_placement", "pool_sizes")


@irdl_op_definition
class FuncOp(IRDLOperation):
    """A TIR PrimFunc: a function whose parameters are named buffers.

    The parameter names are part of the function (property `param_names`):
    tools use them as the keys of inputs and outputs. A function returns
    nothing; it computes by writing its buffer parameters.

    Flat memory: the property `param_placement = {input0 = #tir.place<@sram,
    0>}` places parameters in read-write `tir.pool`s (offsets in bytes), as
    `placement` places a `tir.allocate`; every key must name a parameter.
    `pool_sizes = {sram = 4096}` records the function's peak use of each pool
    in bytes (a memory planner fills it): every placement in the function in
    a listed pool must end within it, and it must fit the pool's size. Both print inside
    `attributes {...}`.

    Syntax:
        tir.func @name(%param : !tir.buffer<...>, ...) [attributes {...}] {...}

    Example:
        tir.func @main(%input0 : !tir.buffer<4xi8>, %output0 : !tir.buffer<4xi8>) {
          %c0 = arith.constant 0 : index
          %x = tir.buffer_load %input0[%c0] : !tir.buffer<4xi8>
          tir.buffer_store %x, %output0[%c0] : !tir.buffer<4xi8>
        }
    """

    name = "tir.func"

    sym_name = prop_def(StringAttr)
    param_names = prop_def(ArrayAttr[StringAttr])
    param_placement = opt_prop_def(DictionaryAttr)
    pool_sizes = opt_prop_def(DictionaryAttr)
    body = region_def("single_block")

    traits = traits_def(
        SymbolOpInterface(),
        IsolatedFromAbove(),
        NoTerminator(),
        RecursiveMemoryEffect(),
    )

    def __init__(
        self,
        name: str,
        params: Sequence[tuple[str, BufferType]],
        body: Region | None = None,
    ):
        if body is None:
            body = Region(Block(arg_types=[t for _, t in params]))
        for arg, (pname, _) in zip(body.block.args, params, strict=True):
            arg.name_hint = pname
        super().__init__(
            properties={
                "sym_name": StringAttr(name),
                "param_names": ArrayAttr(StringAttr(n) for n, _ in params),
            },
            regions=[body],
        )

    @property
    def args(self) -> tuple[SSAValue, ...]:
        return tuple(self.body.block.args)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n.data for n in self.param_names.data)

    def param(self, name: str) -> SSAValue:
        """The block argument of the parameter called `name`."""
        try:
            return self.body.block.args[self.names.index(name)]
        except ValueError:
            raise KeyError(
                f"@{self.sym_name.data} has no parameter {name!r} "
                f"(it has {', '.join(self.names) or 'none'})"
            ) from None

    def verify_(self) -> None:
        args = self.body.block.args
        if len(args) != len(self.param_names):
            raise VerifyException(
                f"{len(self.param_names)} parameter names for {len(args)} parameters"
            )
        seen: set[str] = set()
        for n, a in zip(self.names, args, strict=True):
            if not n.isidentifier():
                raise VerifyException(f"parameter name {n!r} is not an identifier")
            if n in seen:
                raise VerifyException(f"duplicate parameter name {n!r}")
            seen.add(n)
            if not isinstance(a.type, BufferType):
                raise VerifyException(
                    f"parameter {n!r} has type {a.type}; parameters must be buffers"
                )
        for n, p in self.placements().items():
            t = self.param(n).type
            assert isinstance(t, BufferType)
            check_placement(
                self, p, t.size_in_bytes, f"parameter {n!r}", constant=False
            )
        self._verify_pool_sizes()

    def placements(self) -> dict[str, PlacementAttr]:
        """Parameter name -> placement (verified: every key names a parameter)."""
        if self.param_placement is None:
            return {}
        out: dict[str, PlacementAttr] = {}
        for n, p in self.param_placement.data.items():
            if n not in self.names:
                raise VerifyException(f"param_placement names no parameter {n!r}")
            if not isinstance(p, PlacementAttr):
                raise VerifyException(
                    f"param_placement of {n!r} must be a #tir.place<@pool, offset>"
                )
            out[n] = p
        return out

    def peaks(self) -> dict[str, int]:
        """Pool name -> recorded peak bytes (`pool_sizes`), verified integers."""
        if self.pool_sizes is None:
            return {}
        out: dict[str, int] = {}
        for n, v in self.pool_sizes.data.items():
            if not isinstance(v, IntegerAttr) or v.value.data < 0:
                raise VerifyException(f"pool_sizes entry {n!r} must be a size in bytes")
            out[n] = v.value.data
        return out

    def _verify_pool_sizes(self) -> None:
        peaks = self.peaks()
        for n, peak in peaks.items():
            pool = lookup_pool(self, n)
            if pool is None:
                raise VerifyException(f"pool_sizes names no tir.pool '@{n}'")
            if pool.size_bytes is not None and peak > pool.size_bytes:
                raise VerifyException(
                    f"pool_sizes records {peak} bytes of '@{n}', which holds "
                    f"{pool.size_bytes}"
                )
        if not peaks:
            return
        for what, p, nbytes in self._placed():
            end = p.byte_offset + nbytes
            if p.pool_name in peaks and end > peaks[p.pool_name]:
                raise VerifyException(
                    f"{what} ends at byte {end} of '@{p.pool_name}', beyond its "
                    f"pool_sizes entry of {peaks[p.pool_name]} bytes"
                )

    def _placed(self) -> list[tuple[str, PlacementAttr, int]]:
        """Every placement in this function: (what, placement, bytes)."""
        out = []
        for n, p in self.placements().items():
            t = self.param(n).type
            assert isinstance(t, BufferType)
            out.append((f"parameter {n!r}", p, t.size_in_bytes))
        for op in self.body.walk():
            p = getattr(op, "effective_placement", None)
            p = p() if p is not None else op.properties.get("placement")
            if isinstance(p, PlacementAttr) and op.results:
                t = op.results[0].type
                assert isinstance(t, BufferType)
                out.append((f"'{op.name}'", p, t.size_in_bytes))
        return out

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_symbol_name(self.sym_name.data)
        printer.print_string("(")
        names_and_args = zip(self.names, self.body.block.args, strict=True)
        for i, (n, arg) in enumerate(names_and_args):
            if i:
                printer.print_string(", ")
            arg.name_hint = n
            printer.print_block_argument(arg)
        printer.print_string(")")
        shown = dict(self.attributes)
        for key in _FUNC_PROPS:
            if key in self.properties:
                shown[key] = self.properties[key]
        printer.print_op_attributes(shown, print_keyword=True)
        printer.print_string(" ")
        printer.print_region(
            self.body, print_entry_block_args=False, print_empty_block=False
        )

    @classmethod
    def parse(cls, parser: Parser) -> FuncOp:
        name = parser.parse_symbol_name().data
        pos = parser.pos
        args = parser.parse_comma_separated_list(
            Parser.Delimiter.PAREN, lambda: parser.parse_argument(expect_type=True)
        )
        names = []
        for a in args:
            if a.name.text[1:].isdigit() or not a.name.text[1:].isidentifier():
                parser.raise_error(
                    f"parameter {a.name.text} needs a name (tools use it as a key)",
                    pos,
                )
            names.append(a.name.text[1:])
        attrs = parser.parse_optional_attr_dict_with_keyword()
        params = [(n, a.type) for n, a in zip(names, args, strict=True)]
        body = parser.parse_region(args)
        if not body.blocks:
            body = None
        op = cls(name, params, body)  # type: ignore[arg-type]
        if attrs is not None:
            for key, value in attrs.data.items():
                if key in _FUNC_PROPS:
                    op.properties[key] = value
                else:
                    op.attributes[key] = value
        return op


class ForKind(StrEnum):
    """TIR ForKind."""

    SERIAL = auto()
    PARALLEL = auto()
    VECTORIZED = auto()
    UNROLLED = auto()


@irdl_op_definition
class ForOp(IRDLOperation):
    """A TIR `For` loop: runs its body for `%i` in [`lb`, `ub`) step 1.

    A kind other than serial is written after the bounds. The kinds do not
    change the result; they are scheduling hints for code generation. TVM's
    rule: a parallel loop runs its iterations on threads, so they must not
    depend on each other (TVM's result is undefined otherwise; here they run
    in order), and TVM vectorizes no loop holding a let or an if.

    Syntax:
        tir.for %i = %lb to %ub [parallel | vectorized | unrolled] {...}

    Example:
        tir.func @zero(%out : !tir.buffer<8xi32>) {
          %c0 = arith.constant 0 : index
          %c8 = arith.constant 8 : index
          %zero = arith.constant 0 : i32
          tir.for %i = %c0 to %c8 unrolled {
            tir.buffer_store %zero, %out[%i] : !tir.buffer<8xi32>
          }
        }
    """

    name = "tir.for"

    lb = operand_def(IndexType)
    ub = operand_def(IndexType)
    kind = prop_def(StringAttr)
    """serial, parallel, vectorized or unrolled (TIR ForKind)."""
    body = region_def("single_block")

    traits = traits_def(NoTerminator(), RecursiveMemoryEffect())

    def __init__(
        self,
        lb: SSAValue,
        ub: SSAValue,
        body: Region | None = None,
        kind: ForKind = ForKind.SERIAL,
    ):
        if body is None:
            body = Region(Block(arg_types=[IndexType()]))
        super().__init__(
            operands=[lb, ub], properties={"kind": StringAttr(kind)}, regions=[body]
        )

    @property
    def induction_var(self) -> SSAValue:
        return self.body.block.args[0]

    @property
    def for_kind(self) -> ForKind:
        return ForKind(self.kind.data)

    def verify_(self) -> None:
        if self.kind.data not in set(ForKind):
            raise VerifyException(
                f"unknown loop kind {self.kind.data!r} (expected one of "
                f"{', '.join(ForKind)})"
            )
        args = self.body.block.args
        if len(args) != 1 or not isinstance(args[0].type, IndexType):
            raise VerifyException("tir.for body must take one index argument")

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_block_argument(self.induction_var, print_type=False)
        printer.print_string(" = ")
        printer.print_ssa_value(self.lb)
        printer.print_string(" to ")
        printer.print_ssa_value(self.ub)
        if self.kind.data != ForKind.SERIAL:
            printer.print_string(f" {self.kind.data}")
        printer.print_string(" ")
        printer.print_region(
            self.body, print_entry_block_args=False, print_empty_block=False
        )
        printer.print_op_attributes(self.attributes)

    @classmethod
    def parse(cls, parser: Parser) -> ForOp:
        iv = parser.parse_argument(expect_type=False)
        parser.parse_punctuation("=")
        lb = parser.resolve_operand(parser.parse_unresolved_operand(), IndexType())
        parser.parse_keyword("to")
        ub = parser.resolve_operand(parser.parse_unresolved_operand(), IndexType())
        kind = ForKind.SERIAL
        pos = parser.pos
        if (word := parser.parse_optional_identifier()) is not None:
            if word not in set(ForKind):
                parser.raise_error(
                    f"unknown loop kind {word!r} (expected one of "
                    f"{', '.join(ForKind)})",
                    pos,
                    parser.pos,
                )
            kind = ForKind(word)
        body = parser.parse_region([iv.resolve(IndexType())])
        op = cls(lb, ub, body if body.blocks else None, kind)
        op.attributes |= parser.parse_optional_attr_dict()
        return op


@irdl_op_definition
class IfOp(IRDLOperation):
    """TIR `IfThenElse`: runs `then` if the i1 condition holds, else `else`.

    Syntax:
        tir.if %cond {...} [else {...}]

    Example:
        tir.func @relu(%x : !tir.buffer<i32>) {
          %v = tir.buffer_load %x[] : !tir.buffer<i32>
          %zero = arith.constant 0 : i32
          %negative = arith.cmpi slt, %v, %zero : i32
          tir.if %negative {
            tir.buffer_store %zero, %x[] : !tir.buffer<i32>
          } else {
            tir.buffer_store %v, %x[] : !tir.buffer<i32>
          }
        }
    """

    name = "tir.if"

    cond = operand_def(IntegerType(1))
    then_region = region_def("single_block")
    else_region = opt_region_def("single_block")

    traits = traits_def(NoTerminator(), RecursiveMemoryEffect())

    def __init__(
        self, cond: SSAValue, then_region: Region, else_region: Region | None = None
    ):
        super().__init__(
            operands=[cond],
            regions=[then_region, else_region if else_region is not None else []],
        )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_ssa_value(self.cond)
        printer.print_string(" ")
        printer.print_region(self.then_region)
        if self.else_region is not None and self.else_region.blocks:
            printer.print_string(" else ")
            printer.print_region(self.else_region)
        printer.print_op_attributes(self.attributes)

    @classmethod
    def parse(cls, parser: Parser) -> IfOp:
        cond = parser.resolve_operand(parser.parse_unresolved_operand(), IntegerType(1))
        then_region = parser.parse_region()
        else_region = None
        if parser.parse_optional_keyword("else"):
            else_region = parser.parse_region()
        for r in (then_region, else_region):
            if r is not None and not r.blocks:
                r.add_block(Block())
        op = cls(cond, then_region, else_region)
        op.attributes |= parser.parse_optional_attr_dict()
        return op


@irdl_op_definition
class AssertOp(IRDLOperation):
    """TIR `AssertStmt`: stops the program with `message` if the condition is false.

    Example:
        tir.func @check(%n : !tir.buffer<i32>) {
          %v = tir.buffer_load %n[] : !tir.buffer<i32>
          %zero = arith.constant 0 : i32
          %positive = arith.cmpi sgt, %v, %zero : i32
          tir.assert %positive, "n must be positive"
        }
    """

    name = "tir.assert"

    cond = operand_def(IntegerType(1))
    message = prop_def(StringAttr)

    assembly_format = "$cond `,` $message attr-dict"

    def __init__(self, cond: SSAValue, message: str):
        super().__init__(operands=[cond], properties={"message": StringAttr(message)})


@irdl_op_definition
class CallExternOp(IRDLOperation):
    """TIR `Evaluate(Call(extern))`: calls an external function by name.

    `tir.call_extern "fn"(%a, %b) : (!tir.buffer<4xi8>, i32) -> ()`. The callee
    may read and write buffer arguments (its effects: READ|WRITE on each
    buffer argument; a constant is passed read-only). The interpreter runs
    callees registered with it by name.

    Example:
        tir.func @f(%x : !tir.buffer<16xi8>) {
          %n = arith.constant 16 : i32
          tir.call_extern "my_kernel"(%x, %n) : (!tir.buffer<16xi8>, i32) -> ()
        }
    """

    name = "tir.call_extern"

    callee = prop_def(StringAttr)
    args = var_operand_def()
    res = var_result_def()

    assembly_format = "$callee `(` $args `)` attr-dict `:` functional-type($args, $res)"

    def __init__(
        self,
        callee: str,
        args: Sequence[SSAValue],
        result_types: Sequence[Attribute] = (),
    ):
        super().__init__(
            operands=[args],
            properties={"callee": StringAttr(callee)},
            result_types=[result_types],
        )

    def effects(self) -> Effects:
        return [
            (a, Effect.READ | Effect.WRITE)
            for a in self.args
            if isinstance(a.type, BufferType)
        ]
