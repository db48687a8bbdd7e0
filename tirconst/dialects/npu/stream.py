"""One command stream: `npu.command_stream` holds the accelerator config, the
memory regions its ops address (`npu.region`, with the constant data of the
flash region and where its weight streams lie), the named I/O tensors
(`npu.tensor`) and the NPU operations in order."""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseIntOrFPElementsAttr,
    Float64Type,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    SymbolRefAttr,
    TensorType,
    i64,
)
from xdsl.ir import Attribute, Block, Region
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    opt_prop_def,
    prop_def,
    region_def,
    traits_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import HasParent, IsolatedFromAbove, NoTerminator, SymbolOpInterface
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.npu.attributes import WeightStreamAttr
from tirconst.dialects.npu.fields import float_text
from tirconst.dialects.tir.constant_data import (
    dense_from_numpy,
    make_data,
    numpy_of,
    parse_raw_data,
    print_data,
)
from tirconst.dialects.tir.types import numpy_dtype
from tirconst.formats.ethos_u.weights import ACCELERATORS


def _int(value: int) -> IntegerAttr:
    return IntegerAttr(value, i64)


REGION_KINDS = ("constant", "scratch", "input", "output", "lut")
LUT_REGION = 0x103
TENSOR_KINDS = ("input", "output")


@irdl_op_definition
class CommandStreamOp(IRDLOperation):
    """One Ethos-U command stream for `accelerator` (Vela's
    `--accelerator-config` names): its regions, I/O tensors and operations, in
    the order the NPU runs them. Running it (tirconst-run) fills the input
    tensors, runs the ops on the regions' bytes and reads every tensor back.

    Syntax:
        npu.command_stream @name "ACCELERATOR" { regions, tensors, ops }

    Example:
        npu.command_stream @main "ethos-u55-128" {
          npu.region 1 scratch size 16
          npu.region 3 input size 16
          npu.tensor "input0" input region 3 offset 0 : tensor<1x1x1x16xi8>
          npu.tensor "output0" output region 1 offset 0 : tensor<1x1x1x16xi8>
          npu.dma {src = #npu.range<3, 0, 16>, dest = #npu.range<1, 0, 16>}
        }
    """

    name = "npu.command_stream"
    sym_name = prop_def(StringAttr)
    accelerator = prop_def(StringAttr)
    body = region_def("single_block")
    traits = traits_def(SymbolOpInterface(), NoTerminator(), IsolatedFromAbove())

    def __init__(self, sym_name: str, accelerator: str, body: Region | None = None):
        super().__init__(
            properties={
                "sym_name": StringAttr(sym_name),
                "accelerator": StringAttr(accelerator),
            },
            regions=[body if body is not None else Region(Block())],
        )

    def regions_by_index(self) -> dict[int, RegionOp]:
        return {
            op.index.value.data: op
            for op in self.body.block.ops
            if isinstance(op, RegionOp)
        }

    def region(self, index: int) -> RegionOp | None:
        """The `npu.region` with this index (the regions come first: an op's
        verifier finds its region without walking the whole stream)."""
        for op in self.body.block.ops:
            if isinstance(op, RegionOp) and op.index.value.data == index:
                return op
        return None

    def tensors(self) -> list[TensorOp]:
        return [op for op in self.body.block.ops if isinstance(op, TensorOp)]

    def verify_(self) -> None:
        if self.accelerator.data not in ACCELERATORS:
            raise VerifyException(
                f"unknown accelerator {self.accelerator.data!r} "
                f"(known: {', '.join(ACCELERATORS)})"
            )
        seen: set[int] = set()
        names: set[str] = set()
        for op in self.body.block.ops:
            if isinstance(op, RegionOp):
                if op.index.value.data in seen:
                    raise VerifyException(
                        f"region {op.index.value.data} is declared twice"
                    )
                seen.add(op.index.value.data)
            if isinstance(op, TensorOp):
                if op.tensor_name.data in names:
                    raise VerifyException(
                        f"tensor {op.tensor_name.data!r} is declared twice"
                    )
                names.add(op.tensor_name.data)

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_symbol_name(self.sym_name.data)
        printer.print_string(" ")
        printer.print_string_literal(self.accelerator.data)
        printer.print_string(" ")
        printer.print_region(self.body, print_entry_block_args=False)

    @classmethod
    def parse(cls, parser: Parser) -> CommandStreamOp:
        name = parser.parse_symbol_name().data
        accelerator = parser.parse_str_literal(" (the accelerator config)")
        region = parser.parse_region()
        if not region.blocks:
            region.add_block(Block())
        return cls(name, accelerator, region)


def stream_of(op: IRDLOperation) -> CommandStreamOp | None:
    parent = op.parent_op()
    return parent if isinstance(parent, CommandStreamOp) else None


@irdl_op_definition
class RegionOp(IRDLOperation):
    """A memory region the stream addresses (the NPU's base-pointer index
    0-7, or 0x103 for the internal lookup-table memory): its kind, its size in
    bytes and, for the constant (flash) region, its data and where the
    encoded weight streams in it lie (`#npu.weight_stream`, so the verifier
    and the interpreter know how each stream was encoded; a scratch region
    may declare streams too: staged copies of encoded weights). Scratch,
    input and output regions start zeroed.

    In a stream that a tir function runs (`npu.invoke`), `pool @NAME` makes
    the region that `tir.pool`: its bytes are the pool's at run time (the
    constant region then holds no data of its own).

    Syntax:
        npu.region INDEX KIND size BYTES [pool @POOL]
                   [streams [#npu.weight_stream<...>, ...]]
                   [= dense<...> : tensor<BYTESxui8>]

    Example:
        npu.command_stream @s "ethos-u55-128" {
          npu.region 0 constant size 4 = dense<[1, 2, 3, 4]> : tensor<4xui8>
          npu.region 1 scratch size 1024
        }
    """

    name = "npu.region"
    index = prop_def(IntegerAttr)
    kind = prop_def(StringAttr)
    size = prop_def(IntegerAttr)
    data = opt_prop_def(DenseIntOrFPElementsAttr)
    streams = opt_prop_def(ArrayAttr[WeightStreamAttr])
    pool = opt_prop_def(SymbolRefAttr)
    traits = traits_def(HasParent(CommandStreamOp))

    def __init__(
        self,
        index: int,
        kind: str,
        size: int,
        data: bytes | np.ndarray | None = None,
        streams: list[WeightStreamAttr] | None = None,
        pool: str | None = None,
    ):
        props: dict[str, Attribute] = {
            "index": _int(index),
            "kind": StringAttr(kind),
            "size": _int(size),
        }
        if data is not None:
            arr = (
                np.frombuffer(bytes(data), np.uint8)
                if isinstance(data, bytes)
                else data
            )
            props["data"] = dense_from_numpy(np.asarray(arr, dtype=np.uint8))
        if streams:
            props["streams"] = ArrayAttr(streams)
        if pool is not None:
            props["pool"] = SymbolRefAttr(pool)
        super().__init__(properties=props)

    @property
    def pool_name(self) -> str | None:
        """The tir.pool this region is (in a stream run by npu.invoke)."""
        return None if self.pool is None else self.pool.root_reference.data

    @property
    def bytes(self) -> np.ndarray | None:
        """The constant data as a read-only uint8 view, or None."""
        return None if self.data is None else numpy_of(self.data).reshape(-1)

    def stream_at(self, address: int, length: int) -> WeightStreamAttr | None:
        found = self.streams_at(address, length)
        return found[0] if found else None

    def streams_at(self, address: int, length: int) -> list[WeightStreamAttr]:
        """Every stream recorded at exactly these bytes (identical bytes may
        serve several ops, each reading them with its own encoding)."""
        return [
            s
            for s in (self.streams.data if self.streams else ())
            if s.address == address and s.length == length
        ]

    def verify_(self) -> None:
        idx, kind = self.index.value.data, self.kind.data
        if kind not in REGION_KINDS:
            raise VerifyException(
                f"region kind must be one of {', '.join(REGION_KINDS)}, got {kind!r}"
            )
        if not (0 <= idx <= 7 or idx == LUT_REGION):
            raise VerifyException(f"region index must be 0-7 or 0x103, got {idx}")
        if (kind == "lut") != (idx == LUT_REGION):
            raise VerifyException("the lut region is region 0x103, and only it")
        if self.size.value.data < 0:
            raise VerifyException("region size must be >= 0")
        if self.data is not None:
            if kind != "constant":
                raise VerifyException(f"only a constant region holds data, not {kind}")
            if numpy_dtype(self.data.get_element_type()) != np.uint8:
                raise VerifyException("region data must be ui8 bytes")
            if self.data.get_shape() != (self.size.value.data,):
                raise VerifyException(
                    f"region data has shape {list(self.data.get_shape())} but the "
                    f"region is {self.size.value.data} bytes"
                )
        for s in self.streams.data if self.streams else ():
            if kind not in ("constant", "scratch"):
                raise VerifyException(
                    "weight streams lie in a constant or scratch region"
                )
            if s.address + s.length > self.size.value.data:
                raise VerifyException(
                    f"weight stream at {s.address} of {s.length} bytes ends "
                    f"outside region {idx} of {self.size.value.data} bytes"
                )

    def print(self, printer: Printer) -> None:
        printer.print_string(
            f" {self.index.value.data} {self.kind.data} size {self.size.value.data}"
        )
        if self.pool is not None:
            printer.print_string(" pool ")
            printer.print_symbol_name(self.pool.root_reference.data)
        if self.streams:
            printer.print_string(" streams [")
            printer.print_list(self.streams.data, printer.print_attribute)
            printer.print_string("]")
        if self.data is not None:
            printer.print_string(" = ")
            print_data(printer, self.data)
            printer.print_string(" : ")
            printer.print_attribute(self.data.type)
        printer.print_op_attributes(self.attributes)

    @classmethod
    def parse(cls, parser: Parser) -> RegionOp:
        index = parser.parse_integer(allow_boolean=False)
        kind = parser.parse_identifier(" (the region kind)")
        parser.parse_keyword("size")
        size = parser.parse_integer(allow_boolean=False, allow_negative=False)
        pool = None
        if parser.parse_optional_keyword("pool"):
            pool = parser.parse_symbol_name().data
        streams = None
        if parser.parse_optional_keyword("streams"):
            pos = parser.pos
            items = parser.parse_comma_separated_list(
                parser.Delimiter.SQUARE, parser.parse_attribute
            )
            if not all(isinstance(s, WeightStreamAttr) for s in items):
                parser.raise_error("streams must be #npu.weight_stream", pos)
            streams = items
        op = cls(index, kind, size, streams=streams, pool=pool)  # type: ignore[arg-type]
        if parser.parse_optional_punctuation("="):
            pos = parser.pos
            raw = parse_raw_data(parser)
            parser.parse_punctuation(":")
            tensor_type = parser.parse_type()
            if not isinstance(tensor_type, TensorType):
                parser.raise_error("region data must have a tensor type", pos)
            op.data = make_data(parser, raw, tensor_type, pos)
        op.attributes |= parser.parse_optional_attr_dict()
        return op


@irdl_op_definition
class TensorOp(IRDLOperation):
    """A named input or output of the stream: where it lies (region and byte
    offset, dense row-major), its type, and its quantization if known. The
    names are the tir function's parameter names (input0.., output0..), so a
    tir program and its npu lowering compare by name.

    Syntax:
        npu.tensor "NAME" input|output region R offset OFF : tensor<...>
                   [scale S] [zero_point Z]

    Example:
        npu.command_stream @s "ethos-u55-128" {
          npu.region 3 input size 64
          npu.tensor "input0" input region 3 offset 0 : tensor<1x4x4x4xi8>
              scale 0.5 zero_point -1
        }
    """

    name = "npu.tensor"
    tensor_name = prop_def(StringAttr)
    kind = prop_def(StringAttr)
    region = prop_def(IntegerAttr)
    offset = prop_def(IntegerAttr)
    type = prop_def(TensorType)
    scale = opt_prop_def(FloatAttr)
    zero_point = opt_prop_def(IntegerAttr)
    traits = traits_def(HasParent(CommandStreamOp))

    def __init__(
        self,
        name: str,
        kind: str,
        region: int,
        offset: int,
        type: TensorType,
        scale: float | None = None,
        zero_point: int | None = None,
    ):
        props: dict[str, Attribute] = {
            "tensor_name": StringAttr(name),
            "kind": StringAttr(kind),
            "region": _int(region),
            "offset": _int(offset),
            "type": type,
        }
        if scale is not None:
            props["scale"] = FloatAttr(scale, Float64Type())
        if zero_point is not None:
            props["zero_point"] = _int(zero_point)
        super().__init__(properties=props)

    @property
    def dtype(self) -> np.dtype:
        return numpy_dtype(self.type.element_type)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.type.get_shape())

    @property
    def nbytes(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64)) * self.dtype.itemsize

    def verify_(self) -> None:
        if self.kind.data not in TENSOR_KINDS:
            raise VerifyException(
                f"tensor kind must be input or output, got {self.kind.data!r}"
            )
        _ = self.dtype  # raises for an element type without a numpy dtype
        stream = stream_of(self)
        if stream is None:
            return
        name, index = self.tensor_name.data, self.region.value.data
        region = stream.region(index)
        if region is None:
            raise VerifyException(
                f"tensor {name!r} is in region {index}, which the stream does not "
                "declare"
            )
        offset, size = self.offset.value.data, region.size.value.data
        end = offset + self.nbytes
        if offset < 0 or end > size:
            raise VerifyException(
                f"tensor {name!r} (bytes {offset}..{end}) lies outside region {index} "
                f"of {size} bytes"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_string_literal(self.tensor_name.data)
        region, offset = self.region.value.data, self.offset.value.data
        printer.print_string(f" {self.kind.data} region {region} offset {offset} : ")
        printer.print_attribute(self.type)
        if self.scale is not None:
            printer.print_string(f" scale {float_text(self.scale.value.data)}")
        if self.zero_point is not None:
            printer.print_string(f" zero_point {self.zero_point.value.data}")
        printer.print_op_attributes(self.attributes)

    @classmethod
    def parse(cls, parser: Parser) -> TensorOp:
        name = parser.parse_str_literal(" (the tensor name)")
        kind = parser.parse_identifier(" (input or output)")
        parser.parse_keyword("region")
        region = parser.parse_integer(allow_boolean=False)
        parser.parse_keyword("offset")
        offset = parser.parse_integer(allow_boolean=False)
        parser.parse_punctuation(":")
        pos = parser.pos
        t = parser.parse_type()
        if not isinstance(t, TensorType):
            parser.raise_error("npu.tensor needs a tensor type", pos)
        scale = zp = None
        if parser.parse_optional_keyword("scale"):
            scale = float(parser.parse_number())
        if parser.parse_optional_keyword("zero_point"):
            zp = parser.parse_integer(allow_boolean=False)
        op = cls(name, kind, region, offset, t, scale, zp)
        op.attributes |= parser.parse_optional_attr_dict()
        return op
