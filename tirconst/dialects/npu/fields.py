"""Keyword-struct attributes: the syntax every `#npu.*` attribute shares, and
typed Python access to their fields.

    #npu.NAME<POSITIONAL, ..., key = value, ...>

A subclass, decorated with `@irdl_struct_definition`, lists its fields once,
as typed descriptors in definition order:

    @irdl_struct_definition
    class KernelAttr(StructAttr):
        name = "npu.kernel"
        size = IntsField(positional=True)
        stride = IntsField(default=(1, 1))

The list is the one definition: the decorator derives `FIELDS` (how each is
written) and the IRDL parameters from it; parameter `NAME_attr` holds the
field's xDSL attribute (`IntAttr`, `ArrayAttr[IntAttr]`, `StringAttr`,
`FloatAttr | NoneAttr`, or the nested attribute). `kernel.size` is the
field's Python value, typed for a type checker by the descriptor
(`IntField` -> int, `IntsField` -> tuple[int, ...], `FloatField` ->
float | None, `WordField`/`StrField` -> str, `BoolField` -> bool,
`AttrField(C)` -> C). The values are computed once per attribute (which is
immutable) on first access and kept in its `__dict__`, where later reads
find them directly (the npu interpreter reads them in its inner loop).

Keyed fields equal to their default are not printed, so the common case
reads short; the text round-trips exactly (floats print as Python's shortest
repr, which parses back to the same double).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar, overload

from xdsl.dialects.builtin import (
    ArrayAttr,
    Float64Type,
    FloatAttr,
    IntAttr,
    NoneAttr,
    StringAttr,
)
from xdsl.ir import Attribute, ParametrizedAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

__all__ = [
    "AttrField",
    "BoolField",
    "Field",
    "FloatField",
    "IntField",
    "IntsField",
    "StrField",
    "StructAttr",
    "WordField",
    "float_text",
    "irdl_struct_definition",
]

T = TypeVar("T")
A = TypeVar("A", bound=Attribute)
S = TypeVar("S", bound="type[StructAttr]")
SA = TypeVar("SA", bound="StructAttr")


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()
"""The default of a positional field: it must be given."""


def float_text(value: float) -> str:
    """Shortest exact text of a double that MLIR's lexer reads as a float."""
    text = repr(float(value))
    if "e" in text and "." not in text:
        text = text.replace("e", ".0e")
    return text


class Field(Generic[T]):
    """One field of a struct attribute: a typed read-only descriptor (the
    Python value of a `StructAttr` instance's field) and how the field is
    written. Positional fields are required; keyed ones have a default and
    are printed only when they differ from it. Subclasses say how a value
    becomes a parameter attribute and text and back."""

    PARAM: ClassVar[Any] = Attribute
    """The IRDL type of the field's parameter."""
    TYPE_TEXT: ClassVar[str] = ""
    """The Python type of the value, for the dialect reference."""

    __slots__ = ("default", "name", "positional")

    def __init__(self, *, positional: bool = False, default: Any = REQUIRED):
        if positional == (default is not REQUIRED):
            raise TypeError("a positional field has no default, a keyed one has")
        self.name = ""
        self.positional = positional
        self.default: T = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Field[T]: ...

    @overload
    def __get__(self, obj: StructAttr, owner: type | None = None) -> T: ...

    def __get__(self, obj: StructAttr | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        # The first read of any field: every value goes into the instance's
        # __dict__, which shadows this (non-data) descriptor from now on.
        values = {
            f.name: f.to_python(attr)
            for f, attr in zip(obj.FIELDS, obj.parameters, strict=True)
        }
        obj.__dict__.update(values)
        return values[self.name]

    @property
    def param(self) -> Any:
        return self.PARAM

    @property
    def type_text(self) -> str:
        return self.TYPE_TEXT

    def to_attribute(self, value: T) -> Attribute:
        raise NotImplementedError

    def to_python(self, attr: Attribute) -> T:
        raise NotImplementedError

    def parse(self, parser: AttrParser) -> T:
        raise NotImplementedError

    def text(self, value: T) -> str:
        return str(value)

    def print_value(self, printer: Printer, value: T) -> None:
        printer.print_string(self.text(value))

    def check(self, value: T) -> None:
        """Raise VerifyException if `value` is not allowed (beyond its type)."""


class IntField(Field[int]):
    """An integer (`IntAttr`)."""

    PARAM = IntAttr
    TYPE_TEXT = "int"

    def to_attribute(self, value: int) -> Attribute:
        return IntAttr(int(value))

    def to_python(self, attr: Attribute) -> int:
        assert isinstance(attr, IntAttr)
        return attr.data

    def parse(self, parser: AttrParser) -> int:
        return parser.parse_integer(allow_boolean=False)


class BoolField(Field[bool]):
    """`true` or `false` (an `IntAttr` of 0 or 1)."""

    PARAM = IntAttr
    TYPE_TEXT = "bool"

    def to_attribute(self, value: bool) -> Attribute:
        return IntAttr(1 if value else 0)

    def to_python(self, attr: Attribute) -> bool:
        assert isinstance(attr, IntAttr)
        return bool(attr.data)

    def parse(self, parser: AttrParser) -> bool:
        value = parser.parse_optional_boolean()
        if value is None:
            parser.raise_error(f"expected true or false for {self.name}")
        return value

    def text(self, value: bool) -> str:
        return "true" if value else "false"


class IntsField(Field[tuple[int, ...]]):
    """A list of integers, `[1, 2]` (an `ArrayAttr` of `IntAttr`)."""

    PARAM = ArrayAttr[IntAttr]
    TYPE_TEXT = "tuple[int, ...]"

    def __init__(self, *, positional: bool = False, default: Any = REQUIRED):
        if default is not REQUIRED:
            default = tuple(default)
        super().__init__(positional=positional, default=default)

    def to_attribute(self, value: Sequence[int]) -> Attribute:  # type: ignore[override]
        return ArrayAttr(IntAttr(int(v)) for v in value)

    def to_python(self, attr: Attribute) -> tuple[int, ...]:
        assert isinstance(attr, ArrayAttr)
        return tuple(a.data for a in attr.data)  # type: ignore[union-attr]

    def parse(self, parser: AttrParser) -> tuple[int, ...]:
        return tuple(
            parser.parse_comma_separated_list(
                parser.Delimiter.SQUARE,
                lambda: parser.parse_integer(allow_boolean=False),
            )
        )

    def text(self, value: tuple[int, ...]) -> str:
        return "[" + ", ".join(str(v) for v in value) + "]"


class FloatField(Field["float | None"]):
    """A float or `none` (a 64-bit `FloatAttr`, or `NoneAttr`); keyed, none
    unless given."""

    PARAM = FloatAttr | NoneAttr
    TYPE_TEXT = "float | None"

    def __init__(self, *, default: float | None = None):
        super().__init__(default=default)

    def to_attribute(self, value: float | None) -> Attribute:
        if value is None:
            return NoneAttr()
        return FloatAttr(float(value), Float64Type())

    def to_python(self, attr: Attribute) -> float | None:
        if isinstance(attr, NoneAttr):
            return None
        assert isinstance(attr, FloatAttr)
        return attr.value.data

    def parse(self, parser: AttrParser) -> float | None:
        if parser.parse_optional_keyword("none"):
            return None
        value = parser.parse_optional_number()
        if value is None:
            parser.raise_error(f"expected a number or none for {self.name}")
        return float(value)

    def text(self, value: float | None) -> str:
        return "none" if value is None else float_text(value)


class StrField(Field[str]):
    """A string literal, `"text"` (a `StringAttr`)."""

    PARAM = StringAttr
    TYPE_TEXT = "str"

    def to_attribute(self, value: str) -> Attribute:
        return StringAttr(str(value))

    def to_python(self, attr: Attribute) -> str:
        assert isinstance(attr, StringAttr)
        return attr.data

    def parse(self, parser: AttrParser) -> str:
        return parser.parse_str_literal(f" for {self.name}")

    def print_value(self, printer: Printer, value: str) -> None:
        printer.print_string_literal(value)


class WordField(StrField):
    """A bare keyword from a fixed set (a `StringAttr`)."""

    __slots__ = ("choices",)

    def __init__(
        self,
        choices: Sequence[str],
        *,
        positional: bool = False,
        default: Any = REQUIRED,
    ):
        super().__init__(positional=positional, default=default)
        self.choices = tuple(choices)

    @property
    def type_text(self) -> str:
        return "str: " + " | ".join(self.choices)

    def parse(self, parser: AttrParser) -> str:
        pos = parser.pos
        word = parser.parse_identifier(f" for {self.name}")
        if word not in self.choices:
            parser.raise_error(
                f"{self.name} must be one of {', '.join(self.choices)}", pos, parser.pos
            )
        return word

    def print_value(self, printer: Printer, value: str) -> None:
        printer.print_string(value)

    def check(self, value: str) -> None:
        if value not in self.choices:
            raise VerifyException(
                f"{self.name} must be one of {', '.join(self.choices)}, got {value}"
            )


class AttrField(Field[A]):
    """A nested attribute of class `cls` (the value is the attribute)."""

    __slots__ = ("cls",)

    def __init__(self, cls: type[A], *, positional: bool = False):
        super().__init__(positional=positional)
        self.cls = cls

    @property
    def param(self) -> Any:
        return self.cls

    @property
    def type_text(self) -> str:
        return f"`#{getattr(self.cls, 'name', self.cls.__name__)}`"

    def to_attribute(self, value: A) -> Attribute:
        assert isinstance(value, self.cls)
        return value

    def to_python(self, attr: Attribute) -> A:
        assert isinstance(attr, self.cls)
        return attr

    def parse(self, parser: AttrParser) -> A:
        pos = parser.pos
        attr = parser.parse_attribute()
        if not isinstance(attr, self.cls):
            parser.raise_error(
                f"{self.name} must be #{getattr(self.cls, 'name', '?')}",
                pos,
                parser.pos,
            )
        return attr

    def print_value(self, printer: Printer, value: A) -> None:
        printer.print_attribute(value)


class StructAttr(ParametrizedAttribute):
    """Base of the keyword-struct attributes (see the module docstring)."""

    FIELDS: ClassVar[tuple[Field[Any], ...]] = ()
    """The fields in order (derived by `irdl_struct_definition`)."""
    FIELD_NAMES: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def make(cls: type[SA], **values: Any) -> SA:
        """Build from Python values; missing keyed fields take their default."""
        params = []
        for f in cls.FIELDS:
            if f.name in values:
                value = values.pop(f.name)
            elif f.default is REQUIRED:
                raise TypeError(f"{cls.__name__}: missing {f.name}")
            else:
                value = f.default
            params.append(f.to_attribute(value))
        if values:
            raise TypeError(f"{cls.__name__}: unknown fields {sorted(values)}")
        return cls(*params)

    def replace(self: SA, **changes: Any) -> SA:
        """A copy with some fields changed (Python values)."""
        return self.make(
            **({f.name: getattr(self, f.name) for f in self.FIELDS} | changes)
        )

    def verify(self) -> None:
        for f in self.FIELDS:
            try:
                f.check(getattr(self, f.name))
            except VerifyException as e:
                raise VerifyException(f"#{self.name}: {e}") from None

    # ---------------------------------------------------------------- text

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        values: dict[str, Any] = {}
        positional = [f for f in cls.FIELDS if f.positional]
        keyed = {f.name: f for f in cls.FIELDS if not f.positional}
        with parser.in_angle_brackets():
            for i, f in enumerate(positional):
                if i:
                    parser.parse_punctuation(",")
                values[f.name] = f.parse(parser)
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
                values[key] = keyed[key].parse(parser)
        return [f.to_attribute(values.get(f.name, f.default)) for f in cls.FIELDS]

    def print_parameters(self, printer: Printer) -> None:
        parts = []
        for f in self.FIELDS:
            value = getattr(self, f.name)
            if f.positional or value != f.default:
                parts.append((f, value))
        printer.print_string("<")
        for i, (f, value) in enumerate(parts):
            if i:
                printer.print_string(", ")
            if not f.positional:
                printer.print_string(f"{f.name} = ")
            f.print_value(printer, value)
        printer.print_string(">")


def irdl_struct_definition(cls: S) -> S:
    """`irdl_attr_definition` for a `StructAttr` subclass: its `Field`
    descriptors (in definition order) become `FIELDS` and the IRDL
    parameters `NAME_attr`; the descriptors stay as the typed accessors."""
    fields = [v for v in vars(cls).values() if isinstance(v, Field)]
    if not fields or not fields[0].positional:
        raise TypeError(f"{cls.__name__}: a struct starts with a positional field")
    order = [f.positional for f in fields]
    if order != sorted(order, reverse=True):
        raise TypeError(f"{cls.__name__}: positional fields come before keyed ones")
    for f in fields:
        delattr(cls, f.name)  # IRDL reads class members as parameter defaults
    annotations = dict(cls.__dict__.get("__annotations__", {}))
    annotations.update({f"{f.name}_attr": f.param for f in fields})
    cls.__annotations__ = annotations
    cls.FIELDS = tuple(fields)
    cls.FIELD_NAMES = frozenset(f.name for f in fields)
    cls = irdl_attr_definition(cls)
    for f in fields:
        setattr(cls, f.name, f)
    return cls
