"""The `!tir.buffer` type and the TIR dtypes it admits."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import (
    ArrayAttr,
    Float16Type,
    Float32Type,
    Float64Type,
    IntAttr,
    IntegerType,
    Signedness,
    StringAttr,
    TensorType,
)
from xdsl.ir import Attribute, ParametrizedAttribute, TypeAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

i1 = IntegerType(1)
i8 = IntegerType(8)
i16 = IntegerType(16)
i32 = IntegerType(32)
i64 = IntegerType(64)
ui8 = IntegerType(8, Signedness.UNSIGNED)
ui16 = IntegerType(16, Signedness.UNSIGNED)
ui32 = IntegerType(32, Signedness.UNSIGNED)
f16 = Float16Type()
f32 = Float32Type()
f64 = Float64Type()

# TIR dtype name -> (MLIR element type, numpy dtype). Signless iN is TIR's intN.
DTYPES: dict[str, tuple[Attribute, np.dtype]] = {
    "bool": (i1, np.dtype(np.bool_)),
    "int8": (i8, np.dtype(np.int8)),
    "int16": (i16, np.dtype(np.int16)),
    "int32": (i32, np.dtype(np.int32)),
    "int64": (i64, np.dtype(np.int64)),
    "uint8": (ui8, np.dtype(np.uint8)),
    "uint16": (ui16, np.dtype(np.uint16)),
    "uint32": (ui32, np.dtype(np.uint32)),
    "float16": (f16, np.dtype(np.float16)),
    "float32": (f32, np.dtype(np.float32)),
    "float64": (f64, np.dtype(np.float64)),
}
_NUMPY_OF = {str(t): dt for t, dt in DTYPES.values()}
_ELEMENT_OF = {dt: t for t, dt in DTYPES.values()}


_DTYPE_OF_ATTR: dict[Attribute, np.dtype] = {}  # printing an attribute is slow


def numpy_dtype(element_type: Attribute) -> np.dtype:
    """The numpy dtype of a TIR element type; raises VerifyException otherwise."""
    found = _DTYPE_OF_ATTR.get(element_type)
    if found is not None:
        return found
    try:
        found = _DTYPE_OF_ATTR[element_type] = _NUMPY_OF[str(element_type)]
        return found
    except KeyError:
        raise VerifyException(
            f"{element_type} is not a TIR dtype (expected one of "
            f"{', '.join(str(t) for t, _ in DTYPES.values())})"
        ) from None


def element_type_of(dtype: np.dtype | type) -> Attribute:
    """The TIR element type of a numpy dtype (of either byte order)."""
    dt = np.dtype(dtype).newbyteorder("=")
    if dt not in _ELEMENT_OF:
        raise ValueError(f"numpy dtype {dt} has no TIR equivalent")
    return _ELEMENT_OF[dt]


def scalar_type(element_type: Attribute) -> Attribute:
    """The SSA type of a loaded element: signless, as `arith` requires."""
    if isinstance(element_type, IntegerType):
        return IntegerType(element_type.width.data)
    return element_type


@irdl_attr_definition
class BufferType(ParametrizedAttribute, TypeAttribute):
    """A TIR Buffer: a dense row-major array of `element_type` in a memory scope.

    The scope defaults to "global". Rank 0 (`!tir.buffer<i32>`) holds one
    scalar. The element type is a TIR dtype: i1 (bool), i8, i16, i32, i64, ui8,
    ui16, ui32, f16, f32 or f64.

    Syntax:
        !tir.buffer<DIMxDIMx...xDTYPE[, "scope"]>

    Example:
        tir.func @f(%x : !tir.buffer<4x4xi8>, %s : !tir.buffer<i32, "shared">) {
        }
    """

    name = "tir.buffer"

    shape: ArrayAttr[IntAttr]
    element_type: Attribute
    scope: StringAttr

    def __init__(
        self,
        shape: Sequence[int],
        element_type: Attribute,
        scope: str | StringAttr = "global",
    ):
        if isinstance(scope, str):
            scope = StringAttr(scope)
        super().__init__(ArrayAttr(IntAttr(d) for d in shape), element_type, scope)

    def get_shape(self) -> tuple[int, ...]:
        return tuple(d.data for d in self.shape.data)

    @property
    def dtype(self) -> np.dtype:
        return numpy_dtype(self.element_type)

    @property
    def num_elements(self) -> int:
        return math.prod(self.get_shape())  # Python ints: no overflow, fast

    @property
    def size_in_bytes(self) -> int:
        return self.num_elements * self.dtype.itemsize

    def verify(self) -> None:
        numpy_dtype(self.element_type)
        for d in self.get_shape():
            if d < 0:
                raise VerifyException(f"buffer dimension must be >= 0, got {d}")

    @classmethod
    def new(cls, params: Sequence[Attribute]) -> BufferType:
        # Buffer types repeat a lot in big modules; share one immutable instance.
        key = tuple(params)
        if (cached := _INSTANCES.get(key)) is None:
            cached = _INSTANCES[key] = super().new(params)
        return cached

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        if (fast := _parse_common_form(parser)) is not None:
            return fast
        with parser.in_angle_brackets():
            pos = parser.pos
            shape, element_type = parser.parse_ranked_shape()
            try:
                numpy_dtype(element_type)
            except VerifyException as e:
                parser.raise_error(str(e), pos, parser.pos)
            scope = "global"
            if parser.parse_optional_punctuation(","):
                scope = parser.parse_str_literal(" for the memory scope")
        if any(d < 0 for d in shape):
            parser.raise_error("tir.buffer dimensions must be static")
        return (
            ArrayAttr(IntAttr(d) for d in shape),
            element_type,
            StringAttr(scope),
        )

    def tensor_type(self) -> TensorType:
        """The tensor type of constant data filling this buffer."""
        if (cached := _TENSOR_TYPES.get(self)) is None:
            cached = _TENSOR_TYPES[self] = TensorType(
                self.element_type, self.get_shape()
            )
        return cached

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string("<")
        for d in self.get_shape():
            printer.print_string(f"{d}x")
        printer.print_attribute(self.element_type)
        if self.scope.data != "global":
            printer.print_string(", ")
            printer.print_string_literal(self.scope.data)
        printer.print_string(">")


_INSTANCES: dict[tuple[Attribute, ...], BufferType] = {}
_TENSOR_TYPES: dict[BufferType, TensorType] = {}
_PARAMS_OF_TEXT: dict[str, tuple[Attribute, ...]] = {}
_COMMON_FORM = re.compile(r'<((?:\d+x)*)(i\d+|ui\d+|f16|f32|f64)(?:, "(\w*)")?>')


def _parse_common_form(parser: AttrParser) -> tuple[Attribute, ...] | None:
    """Parse `<4x4xi8>` / `<4xi8, "scope">` straight from the text, memoized.

    Parsing types token by token dominated the time to read modules with
    thousands of constants; anything unusual falls back to the full parser.
    """
    start = parser.pos  # the `<`
    match = _COMMON_FORM.match(parser.lexer.input.content, start)
    if match is None:
        return None
    text = match.group(0)
    params = _PARAMS_OF_TEXT.get(text)
    if params is None:
        dims, element, scope = match.groups()
        element_type = {str(t): t for t, _ in DTYPES.values()}.get(element)
        if element_type is None:
            return None
        shape = [int(d) for d in dims.split("x")[:-1]]
        params = _PARAMS_OF_TEXT[text] = (
            ArrayAttr(IntAttr(d) for d in shape),
            element_type,
            StringAttr(scope if scope is not None else "global"),
        )
    parser._resume_from(match.end())  # pyright: ignore[reportPrivateUsage]
    return params
