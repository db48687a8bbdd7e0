"""Buffers and constants: allocate, allocate_const, module constants, views, loads
and stores (TVM's Allocate, AllocateConst, DeclBuffer, BufferLoad, BufferStore)."""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import (
    I64,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    IndexType,
    IntegerAttr,
    StringAttr,
    SymbolRefAttr,
    TensorType,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import (
    MemoryAllocEffect,
    MemoryReadEffect,
    MemoryWriteEffect,
    NoMemoryEffect,
    SymbolOpInterface,
    SymbolTable,
)
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.constant_data import (
    check_data_fits,
    dense_from_numpy,
    make_data,
    numpy_of,
    parse_raw_data,
    print_data,
)
from tirconst.dialects.tir.memory import (
    Effect,
    Effects,
    PlacementAttr,
    check_placement,
    parse_placement,
    print_placement,
    refuse_legacy_placement,
)
from tirconst.dialects.tir.traits import ViewLike
from tirconst.dialects.tir.types import BufferType


@irdl_op_definition
class AllocateOp(IRDLOperation):
    """A workspace buffer (TIR `Allocate`): uninitialized storage of the result type.

    Its contents are undefined until stored to. A memory planner places it in
    flat memory with the `placement` property: a read-write `tir.pool` and a
    byte offset, as in `tir.allocate at <@sram, 64> : !tir.buffer<16xi8>`.
    The verifier checks the pool exists, the offset is aligned and the buffer
    fits. The interpreter then keeps its bytes in that pool, where overlapping
    buffers share bytes (docs/interpreter.md, "Flat memory").

    Example:
        tir.func @f() {
          %scratch = tir.allocate : !tir.buffer<64xi32, "shared">
        }
    """

    name = "tir.allocate"

    placement = opt_prop_def(PlacementAttr)
    buffer = result_def(BufferType)

    traits = traits_def(MemoryAllocEffect())

    assembly_format = "(`at` $placement^)? attr-dict `:` type($buffer)"

    def __init__(
        self,
        buffer_type: BufferType,
        name: str | None = None,
        placement: PlacementAttr | None = None,
    ):
        super().__init__(
            result_types=[buffer_type],
            properties={} if placement is None else {"placement": placement},
        )
        if name is not None:
            self.buffer.name_hint = name

    @property
    def buffer_type(self) -> BufferType:
        assert isinstance(self.buffer.type, BufferType)
        return self.buffer.type

    def verify_(self) -> None:
        refuse_legacy_placement(self)
        if self.placement is not None:
            bt = self.buffer.type
            assert isinstance(bt, BufferType)
            check_placement(
                self, self.placement, bt.size_in_bytes, "workspace", constant=False
            )


class ConstantResolveError(VerifyException):
    pass


# Module -> {symbol name -> tir.constant}; entries are re-checked on each hit, so
# an IR change can only cause a rebuild, never a wrong answer.
_symbol_index: weakref.WeakKeyDictionary[Operation, dict[str, Operation]] = (
    weakref.WeakKeyDictionary()
)


def lookup_constant(user: Operation, symbol: str) -> ConstantOp | None:
    """The `tir.constant` named `symbol` in the symbol table around `user`."""
    anchor = user.parent_op()
    while anchor is not None and not anchor.has_trait(SymbolTable):
        anchor = anchor.parent_op()
    if anchor is None:
        return None
    index = _symbol_index.get(anchor)
    found = index.get(symbol) if index is not None else None
    if (
        found is None
        or found.parent_op() is not anchor
        or (isinstance(found, ConstantOp) and found.sym_name.data != symbol)
    ):
        index = {}
        for o in anchor.regions[0].block.ops:
            sym = o.properties.get("sym_name") or o.attributes.get("sym_name")
            if isinstance(sym, StringAttr):
                index.setdefault(sym.data, o)
        _symbol_index[anchor] = index
        found = index.get(symbol)
    return found if isinstance(found, ConstantOp) else None


@irdl_op_definition
class ConstantOp(IRDLOperation):
    """A module-level constant (TVM's module constant storage), named by a symbol.

    `allocate_const @name` reads it. Keeping data here lets several functions
    share one copy. Data of up to 16 elements prints as a list, larger data as
    hex; both are exact.

    It may be placed in a read-only `tir.pool` (`at <@flash, 0>`, offset in
    bytes); the verifier checks the pool, the alignment and the fit.

    An Ethos-U encoded weight constant (made by `tir-encode-weights`) is 1-D
    ui8 bytes, with `{tir.raw_bytes = N}` (the raw bytes it replaced). How the
    bytes were encoded is the `encoded_weights` property of the weighted ops
    that read them (whose verifier checks that the sections fit), not an
    attribute here: the verifier refuses one.

    Syntax:
        tir.constant @name = dense<[...] | "0x..."> : tensor<...>
            [at <@pool, offset>] [{attrs}]

    Example:
        tir.pool @flash read_only
        tir.constant @weights = dense<[1, -2, 3, -4]> : tensor<2x2xi8> at <@flash, 0>
    """

    name = "tir.constant"

    sym_name = prop_def(StringAttr)
    value = prop_def(DenseIntOrFPElementsAttr)
    placement = opt_prop_def(PlacementAttr)

    traits = traits_def(SymbolOpInterface(), NoMemoryEffect())

    def __init__(self, sym_name: str, value: DenseIntOrFPElementsAttr | np.ndarray):
        if isinstance(value, np.ndarray):
            value = dense_from_numpy(value)
        super().__init__(properties={"sym_name": StringAttr(sym_name), "value": value})

    @property
    def data(self) -> np.ndarray:
        """The data as a read-only numpy array (a view, not a copy)."""
        return numpy_of(self.value)

    def set_data(self, array: np.ndarray) -> None:
        self.value = dense_from_numpy(array)

    def verify_(self) -> None:
        check_data_fits(
            self.value, self.value.get_shape(), self.value.get_element_type()
        )
        refuse_legacy_placement(self)
        if self.placement is not None:
            nbytes = numpy_of(self.value).nbytes
            check_placement(self, self.placement, nbytes, "constant", constant=True)
        if "encoded_weights" in self.attributes:
            raise VerifyException(
                "encoded_weights belongs on the op reading the constant, not on "
                "the constant"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_symbol_name(self.sym_name.data)
        printer.print_string(" = ")
        print_data(printer, self.value)
        printer.print_string(" : ")
        printer.print_attribute(self.value.type)
        print_placement(printer, self.placement)
        printer.print_op_attributes(self.attributes)

    @classmethod
    def parse(cls, parser: Parser) -> ConstantOp:
        name = parser.parse_symbol_name().data
        parser.parse_punctuation("=")
        pos = parser.pos
        raw = parse_raw_data(parser)
        parser.parse_punctuation(":")
        tensor_type = parser.parse_type()
        if not isinstance(tensor_type, TensorType):
            parser.raise_error("tir.constant data must have a tensor type", pos)
        op = cls(name, make_data(parser, raw, tensor_type, pos))
        op.placement = parse_placement(parser)
        op.attributes |= parser.parse_optional_attr_dict()
        return op


@irdl_op_definition
class AllocateConstOp(IRDLOperation):
    """A buffer holding constant data (TIR `AllocateConst`, RFC 0022).

    The data is either inline or the module-level `tir.constant` it names.
    Exactly one of the two is set; both are lossless in text at any size.
    It may be placed in a read-only `tir.pool` (`at <@flash, 64>`); one that
    names a placed `tir.constant` is where that constant is, so a placement
    of its own must agree.

    Syntax:
        %buf = tir.allocate_const dense<[...] | "0x..."> : !tir.buffer<...>
            [at <@pool, offset>] [{attrs}]
        %buf = tir.allocate_const @name : !tir.buffer<...> [at <@pool, offset>]

    Example:
        tir.constant @w = dense<"0x000102030405060708090a0b0c0d0e0f10"> : tensor<17xi8>
        tir.func @f() {
          %w = tir.allocate_const @w : !tir.buffer<17xi8>
          %bias = tir.allocate_const dense<[100, -100]> : !tir.buffer<2xi32>
        }
    """

    name = "tir.allocate_const"

    value = opt_prop_def(DenseIntOrFPElementsAttr)
    symbol = opt_prop_def(SymbolRefAttr)
    placement = opt_prop_def(PlacementAttr)
    buffer = result_def(BufferType)

    traits = traits_def(NoMemoryEffect())

    def __init__(
        self,
        data: np.ndarray | DenseIntOrFPElementsAttr | str | SymbolRefAttr,
        buffer_type: BufferType | None = None,
        name: str | None = None,
    ):
        props: dict[str, Attribute] = {}
        if isinstance(data, str | SymbolRefAttr):
            props["symbol"] = SymbolRefAttr(data) if isinstance(data, str) else data
            if buffer_type is None:
                raise ValueError("a symbol reference needs an explicit buffer type")
        else:
            if isinstance(data, np.ndarray):
                data = dense_from_numpy(data)
            props["value"] = data
            if buffer_type is None:
                buffer_type = BufferType(data.get_shape(), data.get_element_type())
        super().__init__(properties=props, result_types=[buffer_type])
        if name is not None:
            self.buffer.name_hint = name

    @property
    def buffer_type(self) -> BufferType:
        assert isinstance(self.buffer.type, BufferType)
        return self.buffer.type

    def constant_op(self) -> ConstantOp | None:
        """The module constant this op reads, if it reads one."""
        if self.symbol is None:
            return None
        return lookup_constant(self, self.symbol.root_reference.data)

    def dense(self) -> DenseIntOrFPElementsAttr:
        """The data attribute, inline or from the module constant."""
        if self.value is not None:
            return self.value
        const = self.constant_op()
        if const is None:
            raise ConstantResolveError(f"constant {self.symbol} not found")
        return const.value

    @property
    def data(self) -> np.ndarray:
        """The data as a read-only numpy array (a view, not a copy)."""
        return numpy_of(self.dense())

    def set_data(self, array: np.ndarray) -> None:
        """Replace the data inline (a module constant it named is left as is)."""
        if tuple(array.shape) != self.buffer_type.get_shape():
            raise ValueError(
                f"new data has shape {array.shape}, buffer is "
                f"{self.buffer_type.get_shape()}"
            )
        self.value = dense_from_numpy(array.astype(self.buffer_type.dtype, copy=False))
        self.symbol = None

    def effective_placement(self) -> PlacementAttr | None:
        """Its own placement, else that of the module constant it names."""
        if self.placement is not None or self.symbol is None:
            return self.placement
        const = self.constant_op()
        return None if const is None else const.placement

    def verify_(self) -> None:
        if (self.value is None) == (self.symbol is None):
            raise VerifyException(
                "tir.allocate_const needs exactly one of inline data or a symbol"
            )
        refuse_legacy_placement(self)
        bt = self.buffer_type
        if self.placement is not None:
            check_placement(
                self, self.placement, bt.size_in_bytes, "constant", constant=True
            )
        if self.value is not None:
            check_data_fits(self.value, bt.get_shape(), bt.element_type)
            return
        assert self.symbol is not None
        if self.symbol.nested_references.data:
            raise VerifyException(
                f"{self.symbol} must name a tir.constant of this module directly"
            )
        name = self.symbol.root_reference.data
        const = self.constant_op()
        if const is None:
            raise VerifyException(f"'@{name}' does not name a tir.constant")
        try:
            check_data_fits(const.value, bt.get_shape(), bt.element_type)
        except VerifyException as e:
            raise VerifyException(f"'@{name}': {e}") from None
        if None not in (self.placement, const.placement) and (
            self.placement != const.placement
        ):
            raise VerifyException(
                f"placed at {self.placement}, but '@{name}' is at {const.placement}"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        if self.symbol is not None:
            printer.print_attribute(self.symbol)
        else:
            assert self.value is not None
            print_data(printer, self.value)
        printer.print_string(" : ")
        printer.print_attribute(self.buffer.type)
        print_placement(printer, self.placement)
        printer.print_op_attributes(self.attributes)

    @classmethod
    def parse(cls, parser: Parser) -> AllocateConstOp:
        pos = parser.pos
        symbol = parser.parse_optional_symbol_name()
        raw = None if symbol is not None else parse_raw_data(parser)
        parser.parse_punctuation(":")
        buffer_type = parser.parse_type()
        if not isinstance(buffer_type, BufferType):
            parser.raise_error("tir.allocate_const must produce a !tir.buffer", pos)
        if symbol is not None:
            op = cls(SymbolRefAttr(symbol), buffer_type)
        else:
            assert raw is not None
            op = cls(
                make_data(parser, raw, buffer_type.tensor_type(), pos), buffer_type
            )
        op.placement = parse_placement(parser)
        op.attributes |= parser.parse_optional_attr_dict()
        return op


def row_major_strides(shape: Sequence[int]) -> tuple[int, ...]:
    out, step = [], 1
    for d in reversed(shape):
        out.append(step)
        step *= d
    return tuple(reversed(out))


def is_strided_view(value: SSAValue) -> bool:
    """Whether `value` is a `tir.decl_buffer` view with non-row-major strides."""
    owner = value.owner
    return isinstance(owner, DeclBufferOp) and owner.is_strided


@irdl_op_definition
class DeclBufferOp(IRDLOperation):
    """A view of a buffer (TIR `DeclBuffer`): the source's storage from element
    `offset` on, seen with the result's shape. Writes through the view write
    the source.

    With `strides` (one per view dimension, in elements of the source), view
    element `[i, j, ...]` is source element `offset + i * s0 + j * s1 + ...`
    in row-major order: a height stripe or a channel slice of an NHWC tensor
    is a view, not a copy. The verifier checks the view's last element lies
    inside the source. A strided view is not itself the source of another
    view or a reshape (view the original buffer instead).

    Example:
        tir.func @f(%x : !tir.buffer<4x4xi8>) {
          %row1 = tir.decl_buffer %x[4] : !tir.buffer<4x4xi8> -> !tir.buffer<4xi8>
          %col2 = tir.decl_buffer %x[2] strides [4]
              : !tir.buffer<4x4xi8> -> !tir.buffer<4xi8>
        }
    """

    name = "tir.decl_buffer"

    source = operand_def(BufferType)
    offset = prop_def(IntegerAttr[I64])
    strides = opt_prop_def(DenseArrayBase.constr(I64))
    view = result_def(BufferType)

    traits = traits_def(NoMemoryEffect(), ViewLike())

    assembly_format = (
        "$source `[` $offset `]` (`strides` $strides^)? attr-dict `:` type($source) "
        "`->` type($view)"
    )

    def __init__(
        self,
        source: SSAValue,
        offset: int,
        view_type: BufferType,
        strides: Sequence[int] | None = None,
    ):
        props: dict[str, Attribute] = {"offset": IntegerAttr(offset, 64)}
        if strides is not None:
            props["strides"] = DenseArrayBase.from_list(i64, list(strides))
        super().__init__(operands=[source], properties=props, result_types=[view_type])

    def view_layout(self) -> tuple[int, tuple[int, ...] | None]:
        """(element offset, element strides): the `ViewLike` interface."""
        return self.offset.value.data, self.element_strides()

    def element_strides(self) -> tuple[int, ...]:
        """The view's strides in source elements (row-major without `strides`)."""
        if self.strides is None:
            view = self.view.type
            assert isinstance(view, BufferType)
            return row_major_strides(view.get_shape())
        return tuple(self.strides.get_values())

    @property
    def is_strided(self) -> bool:
        view = self.view.type
        assert isinstance(view, BufferType)
        return self.element_strides() != row_major_strides(view.get_shape())

    def verify_(self) -> None:
        src, view = self.source.type, self.view.type
        assert isinstance(src, BufferType) and isinstance(view, BufferType)
        if src.element_type != view.element_type:
            raise VerifyException(
                f"view element type {view.element_type} differs from the source's "
                f"{src.element_type}"
            )
        off = self.offset.value.data
        strides = self.element_strides()
        shape = view.get_shape()
        if len(strides) != len(shape):
            raise VerifyException(
                f"{len(strides)} strides given for a rank-{len(shape)} view"
            )
        if any(st < 0 for st in strides):
            raise VerifyException(f"strides {list(strides)} must not be negative")
        if self.is_strided and is_strided_view(self.source):
            raise VerifyException(
                "the source is itself a strided view; view its source instead"
            )
        last = off + sum((d - 1) * st for d, st in zip(shape, strides, strict=True))
        if off < 0 or (view.num_elements and last >= src.num_elements):
            raise VerifyException(
                f"view of {view.num_elements} elements at offset {off} exceeds the "
                f"source's {src.num_elements} elements"
                + (f" (its last element is {last})" if self.strides else "")
            )


@irdl_op_definition
class ReshapeOp(IRDLOperation):
    """TFLite RESHAPE/SQUEEZE as a view: the same elements in row-major order,
    seen with another shape.

    Example:
        tir.func @f(%x : !tir.buffer<1x4x4x2xi8>) {
          %flat = tir.reshape %x : !tir.buffer<1x4x4x2xi8> -> !tir.buffer<32xi8>
        }
    """

    name = "tir.reshape"

    source = operand_def(BufferType)
    view = result_def(BufferType)

    traits = traits_def(NoMemoryEffect(), ViewLike())

    assembly_format = "$source attr-dict `:` type($source) `->` type($view)"

    def __init__(self, source: SSAValue, view_type: BufferType):
        super().__init__(operands=[source], result_types=[view_type])

    def view_layout(self) -> tuple[int, tuple[int, ...] | None]:
        """(0, None): the source's elements in row-major order (`ViewLike`)."""
        return 0, None

    def verify_(self) -> None:
        src, view = self.source.type, self.view.type
        assert isinstance(src, BufferType) and isinstance(view, BufferType)
        if (
            src.element_type != view.element_type
            or src.num_elements != view.num_elements
        ):
            raise VerifyException(
                f"reshape must keep the element type and count: {src} -> {view}"
            )
        if is_strided_view(self.source):
            raise VerifyException(
                "cannot reshape a strided view (its elements are not contiguous)"
            )


def _print_indexed(printer: Printer, buffer: SSAValue, indices: Sequence[SSAValue]):
    printer.print_ssa_value(buffer)
    printer.print_string("[")
    printer.print_list(indices, printer.print_ssa_value)
    printer.print_string("]")


def _parse_indexed(parser: Parser):
    buf = parser.parse_unresolved_operand()
    indices = parser.parse_comma_separated_list(
        Parser.Delimiter.SQUARE, parser.parse_unresolved_operand
    )
    return buf, indices


def _check_indices(buffer: SSAValue, indices: Sequence[SSAValue]) -> BufferType:
    bt = buffer.type
    assert isinstance(bt, BufferType)
    if len(indices) != len(bt.shape):
        raise VerifyException(
            f"{len(indices)} indices given for a rank-{len(bt.shape)} buffer"
        )
    return bt


@irdl_op_definition
class BufferLoadOp(IRDLOperation):
    """Read one element (TIR `BufferLoad`).

    Indices are `index` values, one per dimension; the result has the buffer's
    element type.

    Syntax:
        %v = tir.buffer_load %buffer[%i, ...] [{attrs}] : !tir.buffer<...>

    Example:
        tir.func @f(%x : !tir.buffer<4x4xi8>) {
          %c1 = arith.constant 1 : index
          %v = tir.buffer_load %x[%c1, %c1] : !tir.buffer<4x4xi8>
        }
    """

    name = "tir.buffer_load"

    buffer = operand_def(BufferType)
    indices = var_operand_def(IndexType)
    result = result_def()

    traits = traits_def(MemoryReadEffect())

    def __init__(self, buffer: SSAValue, indices: Sequence[SSAValue]):
        bt = buffer.type
        assert isinstance(bt, BufferType)
        super().__init__(operands=[buffer, indices], result_types=[bt.element_type])

    def effects(self) -> Effects:
        return [(self.buffer, Effect.READ)]

    def verify_(self) -> None:
        bt = _check_indices(self.buffer, self.indices)
        if self.result.type != bt.element_type:
            raise VerifyException(
                f"result type {self.result.type} differs from the buffer's element "
                f"type {bt.element_type}"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        _print_indexed(printer, self.buffer, self.indices)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.buffer.type)

    @classmethod
    def parse(cls, parser: Parser) -> BufferLoadOp:
        pos = parser.pos
        buf, indices = _parse_indexed(parser)
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        bt = parser.parse_type()
        if not isinstance(bt, BufferType):
            parser.raise_error("expected a !tir.buffer type", pos)
        buffer = parser.resolve_operand(buf, bt)
        idx = [parser.resolve_operand(i, IndexType()) for i in indices]
        op = cls(buffer, idx)
        op.attributes |= attrs
        return op


@irdl_op_definition
class BufferStoreOp(IRDLOperation):
    """Write one element (TIR `BufferStore`); the value has the element type.

    Syntax:
        tir.buffer_store %value, %buffer[%i, ...] [{attrs}] : !tir.buffer<...>

    Example:
        tir.func @f(%x : !tir.buffer<4x4xi8>) {
          %c1 = arith.constant 1 : index
          %v = arith.constant -7 : i8
          tir.buffer_store %v, %x[%c1, %c1] : !tir.buffer<4x4xi8>
        }
    """

    name = "tir.buffer_store"

    value = operand_def()
    buffer = operand_def(BufferType)
    indices = var_operand_def(IndexType)

    traits = traits_def(MemoryWriteEffect())

    def __init__(self, value: SSAValue, buffer: SSAValue, indices: Sequence[SSAValue]):
        super().__init__(operands=[value, buffer, indices])

    def effects(self) -> Effects:
        return [(self.buffer, Effect.WRITE)]

    def verify_(self) -> None:
        bt = _check_indices(self.buffer, self.indices)
        if self.value.type != bt.element_type:
            raise VerifyException(
                f"stored value has type {self.value.type}, but the buffer holds "
                f"{bt.element_type}"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_ssa_value(self.value)
        printer.print_string(", ")
        _print_indexed(printer, self.buffer, self.indices)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.buffer.type)

    @classmethod
    def parse(cls, parser: Parser) -> BufferStoreOp:
        pos = parser.pos
        value = parser.parse_unresolved_operand()
        parser.parse_punctuation(",")
        buf, indices = _parse_indexed(parser)
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        bt = parser.parse_type()
        if not isinstance(bt, BufferType):
            parser.raise_error("expected a !tir.buffer type", pos)
        op = cls(
            parser.resolve_operand(value, bt.element_type),
            parser.resolve_operand(buf, bt),
            [parser.resolve_operand(i, IndexType()) for i in indices],
        )
        op.attributes |= attrs
        return op
