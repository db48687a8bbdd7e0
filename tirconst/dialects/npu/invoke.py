"""`npu.invoke`: where a tir function hands a segment of its work to the NPU.

After `convert-tir-to-npu` a tir function keeps what stays on the CPU and,
in place of each contiguous run of NPU work, one `npu.invoke` of a
module-level `npu.command_stream`. The stream's regions are the function's
`tir.pool`s (each `npu.region` names its pool), so the NPU reads and writes
the same planned bytes the CPU ops do.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import SymbolRefAttr
from xdsl.ir import Operation, SSAValue
from xdsl.irdl import (
    AttrSizedOperandSegments,
    IRDLOperation,
    irdl_op_definition,
    prop_def,
    var_operand_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.npu.stream import CommandStreamOp
from tirconst.dialects.tir.memory import Effect, Effects
from tirconst.dialects.tir.types import BufferType


def _symbol_table_lookup(op: Operation, name: str) -> Operation | None:
    anchor = op.parent_op()
    while anchor is not None and anchor.parent_op() is not None:
        anchor = anchor.parent_op()
    if anchor is None:
        return None
    for candidate in anchor.regions[0].block.ops if anchor.regions else ():
        if isinstance(candidate, CommandStreamOp) and candidate.sym_name.data == name:
            return candidate
    return None


@irdl_op_definition
class InvokeOp(IRDLOperation):
    """Runs the module's `npu.command_stream @stream` on the planned memory
    of the enclosing tir function: each region of the stream is the
    `tir.pool` its `npu.region` names (region 0 the flash pool with the
    constants, 1.. the SRAM pools, 0x103 the NPU's own lookup-table memory,
    fresh for each invoke), so the stream's ops read and write the pools'
    bytes at their placements. `ins` are the buffers the stream reads before
    writing them, `outs` the buffers it writes that are used afterwards (or
    are parameters); buffers only the stream uses are not operands. Its
    effects: reads `ins`, writes `outs`.

    Syntax:
        npu.invoke @STREAM ins(%a, ... : T, ...) outs(%b, ... : T, ...)

    Example:
        tir.pool @sram size 32 alignment 16
        tir.func @f(%input0 : !tir.buffer<16xi8>, %output0 : !tir.buffer<16xi8>)
            attributes {param_placement = {input0 = #tir.place<@sram, 0>,
                                           output0 = #tir.place<@sram, 16>}} {
          npu.invoke @f_npu0 ins(%input0 : !tir.buffer<16xi8>)
              outs(%output0 : !tir.buffer<16xi8>)
        }
        npu.command_stream @f_npu0 "ethos-u55-128" {
          npu.region 1 scratch size 32 pool @sram
          npu.dma {src = #npu.range<1, 0, 16>, dest = #npu.range<1, 16, 16>}
        }
    """

    name = "npu.invoke"
    stream = prop_def(SymbolRefAttr)
    ins = var_operand_def(BufferType)
    outs = var_operand_def(BufferType)
    irdl_options = (AttrSizedOperandSegments(as_property=True),)

    def __init__(
        self, stream: str, ins: Sequence[SSAValue], outs: Sequence[SSAValue]
    ) -> None:
        super().__init__(
            operands=[list(ins), list(outs)],
            properties={"stream": SymbolRefAttr(stream)},
        )

    def effects(self) -> Effects:
        return [(v, Effect.READ) for v in self.ins] + [
            (v, Effect.WRITE) for v in self.outs
        ]

    def stream_op(self) -> CommandStreamOp | None:
        found = _symbol_table_lookup(self, self.stream.root_reference.data)
        return found if isinstance(found, CommandStreamOp) else None

    def verify_(self) -> None:
        if self.parent_op() is None or self.parent_op().parent_op() is None:  # type: ignore[union-attr]
            return
        if self.stream_op() is None:
            raise VerifyException(
                f"@{self.stream.root_reference.data} is not an npu.command_stream "
                "of the module"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_symbol_name(self.stream.root_reference.data)
        for key, values in (("ins", self.ins), ("outs", self.outs)):
            printer.print_string(f" {key}(")
            printer.print_list(values, printer.print_ssa_value)
            if values:
                printer.print_string(" : ")
                printer.print_list([v.type for v in values], printer.print_attribute)
            printer.print_string(")")
        printer.print_op_attributes(self.attributes)

    @classmethod
    def parse(cls, parser: Parser) -> InvokeOp:
        name = parser.parse_symbol_name().data
        groups: list[list[SSAValue]] = []
        for key in ("ins", "outs"):
            parser.parse_keyword(key)
            parser.parse_punctuation("(")
            pos = parser.pos
            names = parser.parse_optional_undelimited_comma_separated_list(
                parser.parse_optional_unresolved_operand,
                parser.parse_unresolved_operand,
            )
            values: list[SSAValue] = []
            if names:
                parser.parse_punctuation(":")
                types = parser.parse_comma_separated_list(
                    Parser.Delimiter.NONE, parser.parse_type
                )
                if len(types) != len(names):
                    parser.raise_error(
                        f"{len(names)} operands but {len(types)} types", pos
                    )
                values = [
                    parser.resolve_operand(n, t)
                    for n, t in zip(names, types, strict=True)
                ]
            parser.parse_punctuation(")")
            groups.append(values)
        op = cls(name, groups[0], groups[1])
        op.attributes |= parser.parse_optional_attr_dict()
        return op
