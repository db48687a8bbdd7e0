"""Keyword-struct attributes: the syntax every `#npu.*` attribute shares.

    #npu.NAME<POSITIONAL, ..., key = value, ...>

A subclass declares its IRDL parameters and a `FIELDS` tuple saying how each
is written: positional or `key = value`, and its kind (an integer, a list of
integers, an optional float, a bare keyword from a fixed set, a string, a
boolean, or a nested attribute). Keyed fields equal to their default are not
printed, so the common case reads short; the text round-trips exactly (floats
print as Python's shortest repr, which parses back to the same double).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from xdsl.dialects.builtin import (
    ArrayAttr,
    Float64Type,
    FloatAttr,
    IntAttr,
    NoneAttr,
    StringAttr,
)
from xdsl.ir import Attribute, ParametrizedAttribute
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

__all__ = ["Field", "StructAttr", "float_text"]


@dataclass(frozen=True)
class Field:
    """How one parameter is written. `kind`: int, ints, float?, word, str, bool,
    attr. `choices` constrains a word; `default` (a Python value) makes a
    keyed field optional in text."""

    name: str
    kind: str
    positional: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()


def float_text(value: float) -> str:
    """Shortest exact text of a double that MLIR's lexer reads as a float."""
    text = repr(float(value))
    if "e" in text and "." not in text:
        text = text.replace("e", ".0e")
    return text


def to_attribute(field: Field, value: Any) -> Attribute:
    """The parameter attribute of a Python value."""
    kind = field.kind
    if kind == "int":
        return IntAttr(int(value))
    if kind == "bool":
        return IntAttr(1 if value else 0)
    if kind == "ints":
        return ArrayAttr(IntAttr(int(v)) for v in value)
    if kind == "float?":
        if value is None:
            return NoneAttr()
        return FloatAttr(float(value), Float64Type())
    if kind in ("word", "str"):
        return StringAttr(str(value))
    if kind == "attr":
        assert isinstance(value, Attribute)
        return value
    raise AssertionError(kind)


def to_python(field: Field, attr: Attribute) -> Any:
    """The Python value of a parameter attribute."""
    kind = field.kind
    if kind == "int":
        assert isinstance(attr, IntAttr)
        return attr.data
    if kind == "bool":
        assert isinstance(attr, IntAttr)
        return bool(attr.data)
    if kind == "ints":
        assert isinstance(attr, ArrayAttr)
        return tuple(a.data for a in attr.data)  # type: ignore[union-attr]
    if kind == "float?":
        return None if isinstance(attr, NoneAttr) else attr.value.data  # type: ignore
    if kind in ("word", "str"):
        assert isinstance(attr, StringAttr)
        return attr.data
    return attr


class StructAttr(ParametrizedAttribute):
    """Base of the keyword-struct attributes (see the module docstring)."""

    FIELDS: ClassVar[tuple[Field, ...]] = ()

    @classmethod
    def make(cls, **values: Any):
        """Build from Python values; missing keyed fields take their default."""
        params = []
        for f in cls.FIELDS:
            if f.name in values:
                value = values.pop(f.name)
            elif f.positional and f.default is None and f.kind != "float?":
                raise TypeError(f"{cls.__name__}: missing {f.name}")
            else:
                value = f.default
            params.append(to_attribute(f, value))
        if values:
            raise TypeError(f"{cls.__name__}: unknown fields {sorted(values)}")
        return cls(*params)

    def value(self, name: str) -> Any:
        """A field's Python value (the values are immutable: computed once per
        attribute, which is itself immutable, and kept beside it)."""
        values = self.__dict__.get("_python_values")
        if values is None:
            values = {
                f.name: to_python(f, attr)
                for f, attr in zip(self.FIELDS, self.parameters, strict=True)
            }
            object.__setattr__(self, "_python_values", values)
        try:
            return values[name]
        except KeyError:
            raise KeyError(name) from None

    def __getitem__(self, name: str) -> Any:
        return self.value(name)

    def verify(self) -> None:
        for f, attr in zip(self.FIELDS, self.parameters, strict=True):
            if f.kind == "word" and f.choices and to_python(f, attr) not in f.choices:
                raise VerifyException(
                    f"#{self.name}: {f.name} must be one of "
                    f"{', '.join(f.choices)}, got {to_python(f, attr)}"
                )

    # ---------------------------------------------------------------- text

    @classmethod
    def _parse_value(cls, parser: AttrParser, f: Field) -> Any:
        kind = f.kind
        if kind == "int":
            return parser.parse_integer(allow_boolean=False)
        if kind == "bool":
            value = parser.parse_optional_boolean()
            if value is None:
                parser.raise_error(f"expected true or false for {f.name}")
            return value
        if kind == "ints":
            return parser.parse_comma_separated_list(
                parser.Delimiter.SQUARE,
                lambda: parser.parse_integer(allow_boolean=False),
            )
        if kind == "float?":
            if parser.parse_optional_keyword("none"):
                return None
            value = parser.parse_optional_number()
            if value is None:
                parser.raise_error(f"expected a number or none for {f.name}")
            return float(value)
        if kind == "word":
            pos = parser.pos
            word = parser.parse_identifier(f" for {f.name}")
            if f.choices and word not in f.choices:
                parser.raise_error(
                    f"{f.name} must be one of {', '.join(f.choices)}", pos, parser.pos
                )
            return word
        if kind == "str":
            return parser.parse_str_literal(f" for {f.name}")
        return parser.parse_attribute()

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        values: dict[str, Any] = {}
        positional = [f for f in cls.FIELDS if f.positional]
        keyed = {f.name: f for f in cls.FIELDS if not f.positional}
        with parser.in_angle_brackets():
            for i, f in enumerate(positional):
                if i:
                    parser.parse_punctuation(",")
                values[f.name] = cls._parse_value(parser, f)
            assert positional, "a struct attribute starts with a positional field"
            while parser.parse_optional_punctuation(","):
                pos = parser.pos
                key = parser.parse_identifier(" (a field name)")
                if key not in keyed or key in values:
                    what = "repeated" if key in values else "unknown"
                    parser.raise_error(
                        f"{what} field {key!r} in #{cls.name} "
                        f"(fields: {', '.join(keyed)})",
                        pos,
                        parser.pos,
                    )
                parser.parse_punctuation("=")
                values[key] = cls._parse_value(parser, keyed[key])
        return [to_attribute(f, values.get(f.name, f.default)) for f in cls.FIELDS]

    @staticmethod
    def _print_value(printer: Printer, f: Field, value: Any) -> None:
        kind = f.kind
        if kind == "bool":
            printer.print_string("true" if value else "false")
        elif kind == "ints":
            printer.print_string("[" + ", ".join(str(v) for v in value) + "]")
        elif kind == "float?":
            printer.print_string("none" if value is None else float_text(value))
        elif kind == "str":
            printer.print_string_literal(value)
        elif kind == "attr":
            printer.print_attribute(value)
        else:
            printer.print_string(str(value))

    def print_parameters(self, printer: Printer) -> None:
        parts: list[tuple[Field, Any]] = []
        for f, attr in zip(self.FIELDS, self.parameters, strict=True):
            value = to_python(f, attr)
            default = f.default
            if f.kind == "ints" and default is not None:
                default = tuple(default)
            if f.positional or value != default:
                parts.append((f, value))
        printer.print_string("<")
        for i, (f, value) in enumerate(parts):
            if i:
                printer.print_string(", ")
            if not f.positional:
                printer.print_string(f"{f.name} = ")
            self._print_value(printer, f, value)
        printer.print_string(">")
