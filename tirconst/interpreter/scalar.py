"""TIR scalar semantics on Python ints and floats.

An integer SSA value is held as a Python int in its type's canonical range:
signed for signless `iN` (N > 1), `siN` and `index` (64-bit); unsigned for
`uiN` and `i1` (0 or 1). Every operation wraps its result to that range (two's
complement, at the type's width), unless range analysis proves it is already
there. Ops whose result TIR leaves undefined (division by zero, overflowing
division, shifts by the width or more, float-to-int out of range, and signed
or unsigned overflow of an `arith` op flagged `overflow<nsw>` or `<nuw>`, as
TVM's signed arithmetic is) raise `Fault`, which the caller turns into an
error naming the op.

Floats are Python floats rounded to their type after every operation (f16 and
f32 through `struct`, which rounds to nearest even; an IEEE f64 result rounded
once more to f32 or f16 is the correctly rounded result for + - * /).
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import (
    Float16Type,
    Float32Type,
    Float64Type,
    IndexType,
    IntegerType,
    Signedness,
)
from xdsl.ir import Attribute


class Fault(Exception):
    """An undefined scalar operation, raised by generated code: op table index
    `k` and a message; the function's entry turns it into an op error."""

    def __init__(self, k: int, message: str):
        super().__init__(message)
        self.k = k
        self.message = message


@dataclass(frozen=True)
class IntType:
    """An integer type as the interpreter sees it: width and canonical range."""

    width: int
    signed: bool

    @property
    def lo(self) -> int:
        return -(1 << (self.width - 1)) if self.signed else 0

    @property
    def hi(self) -> int:
        return (1 << (self.width - 1)) - 1 if self.signed else (1 << self.width) - 1

    @property
    def mask(self) -> int:
        return (1 << self.width) - 1

    def fits(self, interval: tuple[int, int] | None) -> bool:
        """Is every value in `interval` already canonical for this type?"""
        return interval is not None and self.lo <= interval[0] <= interval[1] <= self.hi

    def wrap(self, expr: str) -> str:
        """Python source wrapping the integer `expr` to the canonical range."""
        if self.signed:
            half = 1 << (self.width - 1)
            return f"((({expr}) + {half}) & {self.mask}) - {half}"
        return f"(({expr}) & {self.mask})"

    def wrap_value(self, value: int) -> int:
        value &= self.mask
        if self.signed and value > self.hi:
            value -= 1 << self.width
        return value

    def as_signed(self, expr: str) -> str:
        """`expr` (canonical) read as a signed two's-complement number."""
        if self.signed:
            return expr
        half = 1 << (self.width - 1)
        return f"((({expr}) ^ {half}) - {half})"

    def as_unsigned(self, expr: str) -> str:
        """`expr` (canonical) read as an unsigned number."""
        if not self.signed:
            return expr
        return f"(({expr}) & {self.mask})"


INDEX = IntType(64, True)


def int_type(t: Attribute) -> IntType | None:
    """The IntType of an integer or index type; None for anything else."""
    if isinstance(t, IndexType):
        return INDEX
    if isinstance(t, IntegerType):
        w = t.width.data
        unsigned = t.signedness.data == Signedness.UNSIGNED or w == 1
        return IntType(w, not unsigned)
    return None


def float_bits(t: Attribute) -> int | None:
    """16, 32 or 64 for f16/f32/f64; None for anything else."""
    if isinstance(t, Float16Type):
        return 16
    if isinstance(t, Float32Type):
        return 32
    if isinstance(t, Float64Type):
        return 64
    return None


# ------------------------------------------------------------------- floats

_F32 = struct.Struct("<f")
_F16 = struct.Struct("<e")


def f32(x: float) -> float:
    """`x` rounded to the nearest float32 (ties to even; overflow to inf)."""
    try:
        return _F32.unpack(_F32.pack(x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def f16(x: float) -> float:
    """`x` rounded to the nearest float16 (ties to even; overflow to inf)."""
    try:
        return _F16.unpack(_F16.pack(x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


ROUND = {16: "_f16", 32: "_f32", 64: ""}
"""Float width -> name of the rounding helper in generated code."""


def fdiv(a: float, b: float) -> float:
    """IEEE division (Python raises on a zero divisor; IEEE gives inf or nan).

    0/0 is the machine's default nan, computed as `inf - inf` is, so its bits
    are the ones compiled code gets (TVM's, checked: negative on x86); a nan
    dividend passes through."""
    if b == 0.0:
        if a != a:
            return a
        if a == 0.0:
            return math.inf - math.inf
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def maximumf(a: float, b: float) -> float:
    """arith.maximumf: nan if either is nan; +0 > -0."""
    if a != a or b != b:
        return math.nan
    if a == b == 0.0:
        return b if math.copysign(1.0, a) < 0 else a
    return a if a > b else b


def minimumf(a: float, b: float) -> float:
    """arith.minimumf: nan if either is nan; -0 < +0."""
    if a != a or b != b:
        return math.nan
    if a == b == 0.0:
        return a if math.copysign(1.0, a) < 0 else b
    return a if a < b else b


def maxnumf(a: float, b: float) -> float:
    """arith.maxnumf (IEEE maxNum): the other operand if one is nan."""
    if a != a:
        return b
    if b != b:
        return a
    return maximumf(a, b)


def minnumf(a: float, b: float) -> float:
    """arith.minnumf (IEEE minNum): the other operand if one is nan."""
    if a != a:
        return b
    if b != b:
        return a
    return minimumf(a, b)


def int_to_float(v: int, bits: int) -> float:
    """An integer rounded once to the nearest float of `bits` bits."""
    if -(1 << 53) <= v <= 1 << 53:
        x = float(v)  # exact
        return x if bits == 64 else f32(x) if bits == 32 else f16(x)
    if bits == 64:
        return float(v)  # Python rounds big ints correctly
    if bits == 16:
        return math.copysign(math.inf, v)
    dt = np.int64 if v < 1 << 63 else np.uint64
    return float(np.array(v, dtype=dt).astype(np.float32))


def float_to_int(x: float, lo: int, hi: int, k: int) -> int:
    """Truncate toward zero; nan, inf or a result outside [lo, hi] is a Fault."""
    if x != x or x in (math.inf, -math.inf):
        raise Fault(k, f"cannot convert {x} to an integer")
    v = int(x)
    if not lo <= v <= hi:
        raise Fault(k, f"{x} is out of range [{lo}, {hi}] of the integer type")
    return v


def bits_of_float(x: float, bits: int) -> int:
    """The IEEE bit pattern of `x` as an unsigned int."""
    fmt = {16: "<e", 32: "<f", 64: "<d"}[bits]
    return int.from_bytes(struct.pack(fmt, x), "little")


def float_of_bits(v: int, bits: int) -> float:
    """The float whose IEEE bit pattern is the unsigned int `v`."""
    fmt = {16: "<e", 32: "<f", 64: "<d"}[bits]
    return struct.unpack(fmt, (v & ((1 << bits) - 1)).to_bytes(bits // 8, "little"))[0]


# ------------------------------------------------------------- integers

# Arguments arrive already read with the signedness the op needs.


def _zero(b: int, k: int) -> None:
    if b == 0:
        raise Fault(k, "division by zero")


def div_trunc(a: int, b: int, hi: int, k: int) -> int:
    """C division (toward zero); a result above `hi` is overflow."""
    _zero(b, k)
    q = abs(a) // abs(b)
    q = -q if (a < 0) != (b < 0) else q
    if q > hi:
        raise Fault(k, f"division overflow ({a} / {b})")
    return q


def rem_trunc(a: int, b: int, hi: int, k: int) -> int:
    """C remainder (sign of the dividend); undefined where division overflows."""
    q = div_trunc(a, b, hi, k)
    return a - q * b


def div_floor(a: int, b: int, hi: int, k: int) -> int:
    """Floor division (TIR floordiv, arith.floordivsi)."""
    _zero(b, k)
    q = a // b
    if q > hi:
        raise Fault(k, f"division overflow ({a} floordiv {b})")
    return q


def mod_floor(a: int, b: int, k: int) -> int:
    """Floor modulo (TIR floormod): the result has the divisor's sign."""
    _zero(b, k)
    return a % b


def div_ceil(a: int, b: int, hi: int, k: int) -> int:
    """Ceiling division (arith.ceildivsi / ceildivui)."""
    _zero(b, k)
    q = -((-a) // b)
    if q > hi:
        raise Fault(k, f"division overflow ({a} ceildiv {b})")
    return q


def shift_amount(b: int, width: int, k: int) -> int:
    """A shift amount (read unsigned) must be below the width."""
    if b >= width:
        raise Fault(k, f"shift by {b} is not below the bit width {width}")
    return b


def no_overflow(v: int, lo: int, hi: int, k: int, flag: str) -> None:
    """An `overflow<nsw|nuw>` op's exact result must be in [lo, hi]."""
    if not lo <= v <= hi:
        kind = "signed" if flag == "nsw" else "unsigned"
        raise Fault(k, f"{kind} overflow ({flag}): {v} is outside [{lo}, {hi}]")


HELPERS = {
    "_f32": f32,
    "_f16": f16,
    "_fdiv": fdiv,
    "_maximumf": maximumf,
    "_minimumf": minimumf,
    "_maxnumf": maxnumf,
    "_minnumf": minnumf,
    "_i2f": int_to_float,
    "_f2i": float_to_int,
    "_fbits": bits_of_float,
    "_bitsf": float_of_bits,
    "_div": div_trunc,
    "_rem": rem_trunc,
    "_fdivi": div_floor,
    "_fmod": mod_floor,
    "_cdiv": div_ceil,
    "_shamt": shift_amount,
    "_ovf": no_overflow,
    "_inf": math.inf,
    "_nan": math.nan,
}
"""Names generated code may call."""
