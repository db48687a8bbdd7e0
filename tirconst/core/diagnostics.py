"""One-line diagnostics, below the tools and the interpreter.

Every tool reports bad input as `location: error: message` on stderr and exits
non-zero, never with a Python traceback. Parsed ops remember where they came
from (`LocatingParser`) so a verifier error can point at the source line.
"""

from __future__ import annotations

import dataclasses
import re
import weakref
from typing import Any

from xdsl.context import Context
from xdsl.dialects.builtin import (
    AnyFloat,
    ArrayAttr,
    DictionaryAttr,
    ModuleOp,
    StringAttr,
    SymbolRefAttr,
)
from xdsl.ir import Attribute, Operation, ParametrizedAttribute
from xdsl.parser import Parser
from xdsl.utils.exceptions import (
    DiagnosticException,
    ParseError,
    PassFailedException,
    VerifyException,
)
from xdsl.utils.lexer import Input, Span

# op -> (input, offset, first line): line and column are computed when reported.
_locations: weakref.WeakKeyDictionary[Operation, tuple[Any, int, int]] = (
    weakref.WeakKeyDictionary()
)


class ToolError(Exception):
    """An error a tool reports in one line and exits with status 1."""


class _HexFloatElement(Parser._TensorLiteralElement):
    """A hex literal in a dense list: for a float type it is the bit pattern
    (MLIR's `0x7FC00000` is nan), not an integer to convert."""

    def to_type(self, parser, type):  # type: ignore[override]
        if isinstance(type, AnyFloat) and isinstance(self.value, int):
            raw = self.value.to_bytes(type.compile_time_size, "little")
            return type.unpack(raw, 1)[0]
        return super().to_type(parser, type)


class LocatingParser(Parser):
    """A parser that records each op's source location for diagnostics.

    `line_offset` is the line the text starts at in its file (for
    `--split-input-file` chunks)."""

    line_offset: int = 0

    def _parse_tensor_literal_element(self):  # type: ignore[override]
        element = super()._parse_tensor_literal_element()
        text = element.span.text.lstrip("-").lower()
        if not isinstance(element.value, bool) and text.startswith("0x"):
            return _HexFloatElement(element.is_negative, element.value, element.span)
        return element

    def parse_operation(self) -> Operation:
        start = self.pos
        op = super().parse_operation()
        _locations[op] = (self.lexer.input, start, self.line_offset)
        return op


def location_of(op: Operation) -> str | None:
    """Where `op` was parsed from, or the nearest parsed ancestor."""
    node: Operation | None = op
    while node is not None:
        if node in _locations:
            source, start, line_offset = _locations[node]
            return str(Span(start, start + 1, source, line_offset).get_location())
        node = node.parent_op()
    return None


def describe(op: Operation) -> str:
    """`'tir.conv2d' op in @main`: the op and its enclosing symbol."""
    where = ""
    parent = op.parent_op()
    while parent is not None:
        sym = parent.properties.get("sym_name") or parent.attributes.get("sym_name")
        if isinstance(sym, StringAttr):
            where = f" in @{sym.data}"
            break
        parent = parent.parent_op()
    return f"'{op.name}' op{where}"


def error_line(message: str, where: str | None = None) -> str:
    """The one form of every diagnostic: `where: error: message` (`where` is a
    file, a location or a tool; without it, `error: message`)."""
    return f"{where}: error: {message}" if where else f"error: {message}"


def op_error_line(op: Operation, message: str) -> str:
    """`FILE:L:C: error: 'tir.x' op in @f: message` (no location if `op` was
    not parsed from text)."""
    return error_line(f"{describe(op)}: {message}", location_of(op))


def op_error(op: Operation, message: str) -> ToolError:
    return ToolError(op_error_line(op, message))


class PassFailedAt(PassFailedException):
    """A pass failed at `op`, the xDSL way (a PassFailedException, so
    `xdsl-opt --verify-diagnostics` prints it as one line too).

    `str()` is the whole diagnostic, `FILE:L:C: error: 'tir.x' op in @f:
    message`; `what` is the part after `error: ` and `location` the op's
    source location (None for an op not parsed from text), for a tool that
    names its input itself. Both are taken when raised: the op may be erased
    later."""

    def __init__(self, op: Operation, message: str):
        self.location = location_of(op)
        self.what = f"{describe(op)}: {message}"
        super().__init__(error_line(self.what, self.location))


def diagnostic_line(e: DiagnosticException, where: str | None = None) -> str:
    """A verifier or pass failure as one `error:` line: at the failing op's
    source location if it has one, else at `where` (the tool or input)."""
    if isinstance(e, PassFailedAt):
        return error_line(e.what, e.location or where)
    return error_line(first_line(str(e)), where)


def _first_failure(module: ModuleOp) -> tuple[Operation | None, str] | None:
    """None if `module` verifies; else the op that fails (None if no single
    op's own verifier does) and the message, as one line."""
    try:
        module.verify()
    except DiagnosticException as e:
        # Find the op that failed, to name it and its source location.
        for op in module.walk():
            try:
                op.verify_()
            except VerifyException as inner:
                return op, first_line(str(inner))
        return None, first_line(str(e))
    return None


def verify_located(module: ModuleOp) -> None:
    """Verify `module`, raising a one-line ToolError at the first bad op."""
    failure = _first_failure(module)
    if failure is None:
        return
    op, message = failure
    raise (op_error(op, message) if op is not None else ToolError(error_line(message)))


def verify_after(module: ModuleOp, stage: str, where: str | None = None) -> None:
    """Verify the module a tool made, before it goes on or is written: a bug in
    the import or in a pass is then a one-line ToolError naming the stage,
    `where: error: after STAGE: 'tir.x' op in @f: message`, never a program
    that silently means something else."""
    failure = _first_failure(module)
    if failure is None:
        return
    op, message = failure
    what = f"{describe(op)}: {message}" if op is not None else message
    raise ToolError(error_line(f"after {stage}: {what}", where))


_Passed = tuple[Operation, tuple[str, ...], list[Any], frozenset[str] | None]
"""An op that verified: the op, what its verifier may read, the symbols it names."""


class StageVerifier:
    """`verify_after` for a tool that runs stages one after another over one
    module (tirconst-compile: the import, then every pass): after each stage
    the module is verified as a whole would be, but an op's verifier is run
    again only if something it may read changed since it last passed.

    What an op's verifier may read, compared by identity (attributes are
    immutable, so a changed property is a new object): its class, parent op
    and block, properties and attributes, operands, their types and owners
    and the owners' properties and attributes, its result types and
    successors, its parent op's properties, attributes and result types,
    and, for every symbol its attributes or its operand owners' name, the
    module-level op of that name and that op's properties and attributes.
    An op with regions (a function walks its body) is verified after every
    stage; so are blocks' and ops' parent links. A failure is reported as
    `verify_after` reports it (the first failing op of a full walk)."""

    def __init__(self, where: str | None = None):
        self.where = where
        self._passed: dict[int, _Passed] = {}
        self._symbols: dict[str, list[Any]] = {}
        self._mentions: dict[int, tuple[Attribute, frozenset[str]]] = {}

    def after(self, module: ModuleOp, stage: str) -> None:
        symbols = self._symbol_table(module)
        changed = {
            name
            for name in symbols.keys() | self._symbols.keys()
            if not _same(symbols.get(name), self._symbols.get(name))
        }
        passed: dict[int, _Passed] = {}
        try:
            self._walk(module, changed, passed)
        except (DiagnosticException, ValueError) as e:
            verify_after(module, stage, self.where)  # names the op, as always
            raise ToolError(
                error_line(f"after {stage}: {first_line(str(e))}", self.where)
            ) from None
        self._passed, self._symbols = passed, symbols

    def _walk(
        self,
        op: Operation,
        changed: set[str],
        passed: dict[int, _Passed],
    ) -> None:
        for region in op.regions:
            if region.parent is not op:
                raise ValueError("Parent pointer of region does not refer to its op")
            for block in region.blocks:
                if block.parent is not region:
                    raise ValueError(
                        "Parent pointer of block does not refer to containing region"
                    )
                for inner in block.ops:
                    if inner.parent is not block:
                        raise ValueError(
                            "Parent pointer of operation does not refer to "
                            "containing region"
                        )
                    self._walk(inner, changed, passed)
        keys, objects = self._inputs(op)
        before = self._passed.get(id(op))
        names: frozenset[str] | None = None  # taken when first needed
        if not (
            op.regions
            or before is None
            or before[1] != keys
            or not _same(before[2], objects)
        ):
            if not changed:
                passed[id(op)] = before  # nothing it reads changed
                return
            names = before[3] if before[3] is not None else self._names(op)
            if changed.isdisjoint(names):
                passed[id(op)] = (op, keys, objects, names)
                return
        # nested ops were walked above, as Operation.verify does first; an
        # empty single block is checked by Block.verify
        for region in op.regions:
            for block in region.blocks:
                if block.first_op is None:
                    block.verify()
        op.verify(verify_nested_ops=False)
        passed[id(op)] = (op, keys, objects, names)

    @staticmethod
    def _inputs(op: Operation) -> tuple[tuple[str, ...], list[Any]]:
        parent = op.parent_op()
        keys = (*op.properties, "|", *op.attributes)
        objects: list[Any] = [type(op), parent, op.parent]
        objects += op.properties.values()
        objects += op.attributes.values()
        for v in op.operands:
            owner = v.owner
            objects += (v, v.type, owner)
            if isinstance(owner, Operation):
                objects += (len(owner.properties), len(owner.attributes))
                objects += owner.properties.values()
                objects += owner.attributes.values()
        objects += (r.type for r in op.results)
        objects += op.successors
        if parent is not None:
            objects += (len(parent.properties), len(parent.attributes))
            objects += parent.properties.values()
            objects += parent.attributes.values()
            objects += (r.type for r in parent.results)
        return keys, objects

    def _names(self, op: Operation) -> frozenset[str]:
        """The symbols the attributes of `op` and of its operands' owners name."""
        out: frozenset[str] = frozenset()
        owners = [op, *(v.owner for v in op.operands)]
        for o in owners:
            if isinstance(o, Operation):
                for a in (*o.properties.values(), *o.attributes.values()):
                    out |= self._mentioned(a)
        return out

    def _mentioned(self, attr: Attribute) -> frozenset[str]:
        hit = self._mentions.get(id(attr))
        if hit is not None and hit[0] is attr:
            return hit[1]
        names: frozenset[str] = frozenset()
        if isinstance(attr, SymbolRefAttr):
            names = frozenset([attr.root_reference.data])
        elif type(attr).__module__.startswith("xdsl."):
            pass  # xDSL's other attributes and types hold no symbol
        elif isinstance(attr, ParametrizedAttribute):
            for p in attr.parameters:
                if isinstance(p, Attribute):
                    names |= self._mentioned(p)
        if isinstance(attr, ArrayAttr):
            for p in attr.data:
                names |= self._mentioned(p)
        elif isinstance(attr, DictionaryAttr):
            for p in attr.data.values():
                names |= self._mentioned(p)
        self._mentions[id(attr)] = (attr, names)
        return names

    @staticmethod
    def _symbol_table(module: ModuleOp) -> dict[str, list[Any]]:
        """Module-level op per symbol name, with what a lookup may read of
        it (an op with regions: a fresh object, so always changed)."""
        out: dict[str, list[Any]] = {}
        for op in module.ops:
            name = op.properties.get("sym_name") or op.attributes.get("sym_name")
            if not isinstance(name, StringAttr):
                continue
            entry: list[Any] = [op, tuple(op.properties), tuple(op.attributes)]
            entry += op.properties.values()
            entry += op.attributes.values()
            if op.regions:
                entry.append(object())
            out.setdefault(name.data, []).extend(entry)
        return out


def _same(a: list[Any] | None, b: list[Any] | None) -> bool:
    """Two lists of the same objects (by identity; names and counts by value)."""
    if a is None or b is None or len(a) != len(b):
        return False
    return all(
        x is y or (type(x) in (tuple, int) and x == y)
        for x, y in zip(a, b, strict=True)
    )


def first_line(text: str) -> str:
    """The message of an exception as one line.

    xDSL continues some messages on a second line (the reason after a
    "does not verify:"); notes after a blank line (the printed IR) are dropped.
    """
    head = text.strip().split("\n\n")[0]
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    return clip(" ".join(lines)) if lines else "unknown error"


MESSAGE_LIMIT = 400
"""Characters of a message shown (a 3000-deep shape is not worth reading)."""


def clip(message: str) -> str:
    if len(message) <= MESSAGE_LIMIT:
        return message
    return message[: MESSAGE_LIMIT - 20] + f"... ({len(message):,} characters)"


def parse_error_line(e: ParseError) -> str:
    return error_line(clip(e.msg), str(e.span.get_location()))


# A string literal as xDSL's lexer reads it, but without its nested repeat
# (`(?:[^"...]+|...)*`), which backtracks exponentially on an unterminated
# string: this form is linear, and `"` that does not end the match marks a
# string cut off (or a bad escape). Comments are skipped as the lexer does.
_STRING_OR_COMMENT = re.compile(
    r'//[^\n]*|"(?:[^"\\\n\v\f]|\\(?:["nt\\]|[0-9A-Fa-f]{2}))*("?)'
)


def check_strings(text: str, name: str, line_offset: int = 0) -> None:
    """Refuse text with an unterminated string literal, in linear time, before
    xDSL's lexer sees it (it would take exponential time: xDSL 0.74's string
    regex backtracks)."""
    if '"' not in text:
        return
    for m in _STRING_OR_COMMENT.finditer(text):
        if m.group(1) == "" and m.group(0).startswith('"'):
            end = m.end()
            bad = text[end : end + 1]
            what = (
                "string literal is not terminated"
                if bad in ("", "\n", "\v", "\f")
                else f"invalid escape in string literal: {text[end : end + 2]!r}"
            )
            span = Span(m.start(), m.start() + 1, Input(text, name), line_offset)
            raise ToolError(error_line(what, str(span.get_location())))


def parse_module(
    ctx: Context,
    text: str | bytes,
    name: str,
    line_offset: int = 0,
    implicit_module: bool = True,
) -> ModuleOp:
    """Parse with locations; a parse error becomes a one-line ToolError."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ToolError(
                error_line(f"not UTF-8 text: {e.reason} at byte {e.start}", name)
            ) from None
    check_strings(text, name, line_offset)
    parser = LocatingParser(ctx, text, name)
    parser.line_offset = line_offset
    try:
        return parser.parse_module(implicit_module)
    except ParseError as e:
        e.span = dataclasses.replace(e.span, line_offset=line_offset)
        raise ToolError(parse_error_line(e)) from None
    except VerifyException as e:
        raise ToolError(error_line(first_line(str(e)), name)) from None
