"""Constant data: numpy in and out without copies, and a lossless text form.

Data is a builtin `DenseIntOrFPElementsAttr` whose bytes are the array in
row-major little-endian order (bool: one byte per element). In text it is
`dense<[1, 2, 3]>` for a few elements (`dense<42>` for rank 0, as MLIR writes
it) and `dense<"0x0102...">` (MLIR's raw hex form) otherwise, so the text is
never cut and parses in a single pass.
"""

from __future__ import annotations

import binascii
import contextlib
import math
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any, NamedTuple

import numpy as np
from xdsl.dialects.builtin import BytesAttr, DenseIntOrFPElementsAttr, TensorType
from xdsl.ir import Attribute
from xdsl.parser import AttrParser, Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.types import element_type_of, numpy_dtype

LIST_LIMIT = 16
"""Data with at most this many elements prints as a literal list."""

_elide_above: ContextVar[int | None] = ContextVar("tir_elide_above", default=None)


@contextlib.contextmanager
def eliding_constants(above_bytes: int) -> Iterator[None]:
    """Print constant data larger than `above_bytes` as `elided<N bytes>`.

    Elided text is for reading only: the parser refuses it.
    """
    token = _elide_above.set(above_bytes)
    try:
        yield
    finally:
        _elide_above.reset(token)


def dense_from_numpy(
    array: np.ndarray, shape: Sequence[int] | None = None
) -> DenseIntOrFPElementsAttr:
    """Wrap numpy data as a dense attribute, from its bytes (no per-element work)."""
    array = np.asarray(array)
    element_type = element_type_of(array.dtype)
    if shape is None:
        shape = array.shape
    data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"), copy=False)
    return dense_from_bytes(TensorType(element_type, shape), data.tobytes())


def dense_from_bytes(tensor_type: TensorType, raw: bytes) -> DenseIntOrFPElementsAttr:
    """A dense attribute over `raw`, whose size the caller has checked.

    Skips xDSL's generic constraint check, which dominated the time to build
    thousands of constants; the type is a tensor type by construction and
    `check_data_fits` verifies the size.
    """
    attr = DenseIntOrFPElementsAttr.__new__(DenseIntOrFPElementsAttr)
    object.__setattr__(attr, "type", tensor_type)
    object.__setattr__(attr, "data", BytesAttr(raw))
    attr.verify()
    return attr


def numpy_of(attr: DenseIntOrFPElementsAttr) -> np.ndarray:
    """A read-only numpy view of dense data: no copy."""
    dtype = numpy_dtype(attr.get_element_type())
    flat = np.frombuffer(attr.data.data, dtype=dtype.newbyteorder("<"))
    return flat.reshape(attr.get_shape())


def check_data_fits(
    data: DenseIntOrFPElementsAttr, shape: Sequence[int], element_type: Attribute
) -> None:
    """Raise VerifyException unless `data` holds exactly `shape` x `element_type`."""
    if not isinstance(data.type, TensorType):
        raise VerifyException(f"constant data must have a tensor type, got {data.type}")
    if data.get_element_type() != element_type:
        raise VerifyException(
            f"constant data has element type {data.get_element_type()}, "
            f"but the buffer holds {element_type}"
        )
    if tuple(data.get_shape()) != tuple(shape):
        raise VerifyException(
            f"constant data has shape {list(data.get_shape())}, "
            f"but the buffer has shape {list(shape)}"
        )
    dtype = numpy_dtype(element_type)
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data.data.data) != expected:
        raise VerifyException(
            f"constant data has {len(data.data.data)} bytes, expected {expected} "
            f"for {list(shape)} x {element_type}"
        )


# ----------------------------------------------------------------------------- text


def print_data(printer: Printer, data: DenseIntOrFPElementsAttr) -> None:
    raw = data.data.data
    limit = _elide_above.get()
    if limit is not None and len(raw) > limit:
        printer.print_string(f"elided<{len(raw)} bytes>")
        return
    values = numpy_of(data).reshape(-1)
    if values.size <= LIST_LIMIT and _all_finite(values):
        if not data.get_shape():  # rank 0: `dense<42> : tensor<i32>`, as in MLIR
            printer.print_string(f"dense<{_literal(values[0])}>")
            return
        printer.print_string("dense<[" + ", ".join(_literal(v) for v in values) + "]>")
    else:
        if values.dtype.kind == "b":
            # One byte per bool, written 0 or 1 (xDSL's own parser stores true as 0xff).
            raw = (np.frombuffer(raw, np.uint8) != 0).tobytes()
        printer.print_string('dense<"0x')
        printer.print_string(raw.hex())
        printer.print_string('">')


def _all_finite(values: np.ndarray) -> bool:
    # nan and inf have no decimal literal; such data prints as hex.
    return values.dtype.kind != "f" or bool(np.isfinite(values).all())


def _literal(value: Any) -> str:
    if isinstance(value, np.bool_):
        return "true" if value else "false"
    if isinstance(value, np.floating):
        text = repr(float(value))
        # MLIR float literals need a '.': `1e-05` must read `1.0e-05`.
        mantissa, e, exponent = text.partition("e")
        return f"{mantissa}.0{e}{exponent}" if e and "." not in mantissa else text
    return str(int(value))


class HexBits(int):
    """An integer literal written in hex (`0x7FC00000`): for a float type it is
    the element's bit pattern, as MLIR reads it, not a number to convert."""


class Literals(NamedTuple):
    """A `dense<[...]>` literal list: flat values and the nesting's shape."""

    values: list[Any]
    shape: tuple[int, ...]


RawData = bytes | Literals
_HEX_OPEN = 'dense<"0x'

# Hex payloads already decoded by `lift_hex` while reading: (marker, blobs).
_lifted: ContextVar[tuple[str, list[bytes]] | None] = ContextVar(
    "tir_lifted_hex", default=None
)
LIFT_ABOVE = 4096
"""Hex payloads of at least this many digits are decoded while reading."""


@contextlib.contextmanager
def lift_hex(lines: Iterable[bytes]) -> Iterator[str]:
    """Read MLIR text line by line, decoding large `dense<"0x...">` payloads to
    bytes on the way; yields the remaining text, to parse in the `with` block.

    The whole hex text of a module is never held in memory (it is twice the
    size of the data), and the parser takes the decoded bytes as they are.
    """
    import secrets  # with hmac and hashlib: only text input needs it

    marker = f"#lifted-{secrets.token_hex(6)}-"
    blobs: list[bytes] = []
    parts: list[str] = []
    opening = _HEX_OPEN.encode()
    for line in lines:
        pos = 0
        pieces: list[bytes] = []
        while (start := line.find(opening, pos)) != -1:
            begin = start + len(opening)
            end = line.find(b'"', begin)
            if end == -1:
                break
            if end - begin >= LIFT_ABOVE:
                try:
                    blob = binascii.unhexlify(line[begin:end])
                except binascii.Error:
                    blob = None  # left in the text for the parser to report
                if blob is not None:
                    pieces += [line[pos:begin], f"{marker}{len(blobs)}".encode()]
                    blobs.append(blob)
                    pos = end
                    continue
            pieces.append(line[pos:end])
            pos = end
        pieces.append(line[pos:])
        parts.append(b"".join(pieces).decode("utf-8"))
    token = _lifted.set((marker, blobs))
    try:
        yield "".join(parts)
    finally:
        _lifted.reset(token)


def _lifted_blob(text: str, begin: int, end: int) -> bytes | None:
    table = _lifted.get()
    if table is None or not text.startswith(table[0], begin):
        return None
    return table[1][int(text[begin + len(table[0]) : end])]


def parse_raw_data(parser: AttrParser) -> RawData:
    """Parse `dense<...>` before the element type is known (it follows)."""
    if parser.parse_optional_keyword("elided"):
        parser.raise_error(
            "constant data was elided when this text was printed; elided text is "
            "for reading only and cannot be parsed back"
        )
    # Fast path: `dense<"0x...">` read straight from the text, not token by token.
    text, start = parser.lexer.input.content, parser.pos
    if text.startswith(_HEX_OPEN, start):
        begin = start + len(_HEX_OPEN)
        end = text.find('"', begin)
        if end != -1 and text.startswith('">', end):
            raw = _lifted_blob(text, begin, end)
            if raw is None:
                try:
                    raw = bytes.fromhex(text[begin:end])
                except ValueError:
                    parser.raise_error("malformed hex constant data", start)
            parser._resume_from(end + 2)  # pyright: ignore[reportPrivateUsage]
            return raw
    parser.parse_keyword("dense")
    with parser.in_angle_brackets():
        pos = parser.pos
        if (hex_text := parser.parse_optional_str_literal()) is not None:
            if not hex_text.startswith(("0x", "0X")):
                parser.raise_error('expected a hex string "0x..."', pos)
            try:
                return bytes.fromhex(hex_text[2:])
            except ValueError:
                parser.raise_error("malformed hex constant data", pos)
        return _parse_list(parser)


def _parse_list(parser: AttrParser) -> Literals:
    values: list[Any] = []

    def element() -> tuple[int, ...]:
        """Parse one element or nested list; return its shape."""
        if parser.parse_optional_punctuation("["):
            if parser.parse_optional_punctuation("]"):
                return (0,)
            inner = element()
            count = 1
            while parser.parse_optional_punctuation(","):
                pos = parser.pos
                if element() != inner:
                    parser.raise_error(
                        "nested lists of constant data must all have the same shape",
                        pos,
                    )
                count += 1
            parser.parse_punctuation("]")
            return (count, *inner)
        if (b := parser.parse_optional_boolean()) is not None:
            values.append(b)
            return ()
        start = parser.pos
        value = parser.parse_number()
        text = parser.lexer.input.content[start : parser.pos].strip()
        if isinstance(value, int) and text.lstrip("-").lower().startswith("0x"):
            value = HexBits(value)
        values.append(value)
        return ()

    shape = element()
    return Literals(values, shape)


def make_data(
    parser: Parser | AttrParser, raw: RawData, tensor_type: TensorType, pos: int
) -> DenseIntOrFPElementsAttr:
    """Build the dense attribute of `raw` for `tensor_type`, or report at `pos`."""
    try:
        dtype = numpy_dtype(tensor_type.element_type)
    except VerifyException as e:
        parser.raise_error(str(e), pos)
    shape = tensor_type.get_shape()
    if any(d < 0 for d in shape):
        parser.raise_error("constant data must have a static shape", pos)
    count = int(np.prod(shape, dtype=np.int64))
    if isinstance(raw, bytes):
        if len(raw) != count * dtype.itemsize:
            parser.raise_error(
                f"constant data has {len(raw)} bytes, but {list(shape)} x "
                f"{tensor_type.element_type} needs {count * dtype.itemsize}",
                pos,
            )
        return dense_from_bytes(tensor_type, raw)
    # A flat list fills any shape (it is what the printer writes); a nested one
    # must have the type's shape.
    if len(raw.shape) > 1 and raw.shape != tuple(shape):
        parser.raise_error(
            f"constant data has shape {list(raw.shape)}, but the type has shape "
            f"{list(shape)}",
            pos,
        )
    if len(raw.values) != count:
        parser.raise_error(
            f"constant data has {len(raw.values)} elements, but shape {list(shape)} "
            f"holds {count}",
            pos,
        )
    array = _array_from_literals(parser, raw.values, dtype, pos)
    return dense_from_bytes(tensor_type, array.tobytes())


def _floats_with_bit_patterns(
    parser: Parser | AttrParser, raw: list[Any], dtype: np.dtype, pos: int
) -> np.ndarray:
    """Float data where hex literals are bit patterns (nan, inf, exact values)."""
    array = np.zeros(len(raw), dtype)
    bits = array.view(np.dtype(f"u{dtype.itemsize}"))
    width = 8 * dtype.itemsize
    for i, v in enumerate(raw):
        if isinstance(v, HexBits):
            if not 0 <= v < 1 << width:
                parser.raise_error(
                    f"hex literal {v:#x} is not a {width}-bit pattern for {dtype}"
                    + (" (a bit pattern has no sign)" if v < 0 else ""),
                    pos,
                )
            bits[i] = int(v)
            continue
        with np.errstate(over="ignore"):
            x = dtype.type(float(v))
        if not (math.isfinite(float(v)) and math.isfinite(x)):
            parser.raise_error(f"value {v} is out of range for {dtype}", pos)
        array[i] = x
    return array


def _array_from_literals(
    parser: Parser | AttrParser, raw: list[Any], dtype: np.dtype, pos: int
) -> np.ndarray:
    if dtype.kind == "b":
        for v in raw:
            if not (isinstance(v, bool) or (isinstance(v, int) and v in (0, 1))):
                parser.raise_error(f"value {v} is not a bool (true/false, 0/1)", pos)
        return np.array([bool(v) for v in raw], dtype=dtype)
    for v in raw:
        if isinstance(v, bool):
            parser.raise_error(f"boolean {str(v).lower()} in {dtype} data", pos)
    if dtype.kind == "f":
        if any(isinstance(v, HexBits) for v in raw):
            return _floats_with_bit_patterns(parser, raw, dtype, pos)
        values = [float(v) for v in raw]
        with np.errstate(over="ignore"):
            array = np.array(values, dtype=dtype)
        for v, x in zip(values, array, strict=True):
            # Decimal literals are finite: inf here means the value overflowed.
            if not (math.isfinite(v) and math.isfinite(x)):
                shown = f"value {v}" if math.isfinite(v) else "a value"
                parser.raise_error(f"{shown} is out of range for {dtype}", pos)
        return array
    info = np.iinfo(dtype)
    for v in raw:
        if isinstance(v, float) or not info.min <= int(v) <= info.max:
            parser.raise_error(f"value {v} does not fit in {dtype}", pos)
    return np.array(raw, dtype=dtype)
