"""Python source for `arith` and the tir scalar ops, with interval analysis.

Each rule reads its operands' expressions and intervals from the emitter and
defines its result. Intervals (lo, hi) bound an integer value's canonical
representation; when the exact result of an op provably fits its type, the
wraparound code is left out, which is most index arithmetic and most int8 to
int32 arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from xdsl.dialects import arith
from xdsl.dialects.builtin import FloatAttr, IntegerAttr
from xdsl.ir import Operation, SSAValue

from tirconst.dialects.tir import scalar as tir_scalar
from tirconst.interpreter.interfaces import Emitter, Interval
from tirconst.interpreter.registry import emits
from tirconst.interpreter.scalar import ROUND, IntType, float_bits, int_type

Rule = Callable[[Emitter, Operation], None]


def _full(t: IntType) -> Interval:
    return (t.lo, t.hi)


def _union(a: Interval, b: Interval) -> Interval:
    return (min(a[0], b[0]), max(a[1], b[1]))


def _mul(a: Interval, b: Interval) -> Interval:
    p = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]]
    return (min(p), max(p))


def _const(em: Emitter, v: SSAValue) -> int | None:
    lo, hi = em.range(v)
    return lo if lo == hi else None


def _signed_view(t: IntType, expr: str, r: Interval) -> tuple[str, Interval]:
    """The operand read as signed, with its interval."""
    if t.signed or r[1] < 1 << (t.width - 1):
        return expr, r
    return t.as_signed(expr), (-(1 << (t.width - 1)), (1 << (t.width - 1)) - 1)


def _unsigned_view(t: IntType, expr: str, r: Interval) -> tuple[str, Interval]:
    """The operand read as unsigned, with its interval."""
    if not t.signed or r[0] >= 0:
        return expr, r
    return t.as_unsigned(expr), (0, t.mask)


def _operands(em: Emitter, op: Operation):
    a, b = op.operands[0], op.operands[1]
    return em.value(a), em.value(b), em.range(a), em.range(b), int_type(a.type)


# ---------------------------------------------------------------- integers


def _binary(compute: Callable[[Interval, Interval], Interval], symbol: str) -> Rule:
    """addi/subi/muli. With `overflow<nsw>` (`nuw`) a result out of the signed
    (unsigned) range is undefined, as LLVM's poison and TVM's rule for signed
    arithmetic (its simplifier computes in the integers): a Fault."""

    def rule(em: Emitter, op: Operation) -> None:
        a, b, ra, rb, t = _operands(em, op)
        assert t is not None
        flags = getattr(op, "overflow_flags", None)
        for flag in sorted(str(f) for f in (flags.data if flags else ())):
            signed = flag == "nsw"
            view = _signed_view if signed else _unsigned_view
            (va, ia), (vb, ib) = view(t, a, ra), view(t, b, rb)
            if signed:
                lo, hi = -(1 << (t.width - 1)), (1 << (t.width - 1)) - 1
            else:
                lo, hi = 0, t.mask
            exact = compute(ia, ib)
            if lo <= exact[0] and exact[1] <= hi:
                continue  # proven not to overflow
            k = em.fault_site(op)
            em.emit(f"_ovf({va} {symbol} {vb}, {lo}, {hi}, {k}, {flag!r})")
        em.int_result(op.results[0], f"{a} {symbol} {b}", compute(ra, rb), t)

    return rule


def _add(a: Interval, b: Interval) -> Interval:
    return (a[0] + b[0], a[1] + b[1])


def _sub(a: Interval, b: Interval) -> Interval:
    return (a[0] - b[1], a[1] - b[0])


def _division(kind: str, signed: bool) -> Rule:
    """divsi/divui/remsi/remui/floordivsi/ceildivsi/ceildivui, and tir's
    floordiv/floormod, which read operands with their type's own signedness."""

    def rule(em: Emitter, op: Operation) -> None:
        a, b, ra, rb, t = _operands(em, op)
        assert t is not None
        k = em.fault_site(op)
        if kind in ("floordiv", "floormod"):  # tir: the type's own signedness
            va, ia, vb, ib = a, ra, b, rb
            lo, hi = t.lo, t.hi
        elif signed:
            (va, ia), (vb, ib) = _signed_view(t, a, ra), _signed_view(t, b, rb)
            lo, hi = -(1 << (t.width - 1)), (1 << (t.width - 1)) - 1
        else:
            (va, ia), (vb, ib) = _unsigned_view(t, a, ra), _unsigned_view(t, b, rb)
            lo, hi = 0, t.mask
        c = ib[0] if ib[0] == ib[1] else None
        floor_like = kind in ("floordiv", "floordivsi") or ia[0] >= 0
        if c is not None and c > 0 and kind != "ceildiv":
            if kind in ("div", "floordiv", "floordivsi") and floor_like:
                em.int_result(
                    op.results[0], f"{va} // {c}", (ia[0] // c, ia[1] // c), t
                )
                return
            if kind in ("rem", "floormod") and (kind == "floormod" or ia[0] >= 0):
                top = c - 1 if ia[0] < 0 or ia[1] >= c else ia[1]
                em.int_result(op.results[0], f"{va} % {c}", (0, top), t)
                return
        call = {
            "div": f"_div({va}, {vb}, {hi}, {k})",
            "rem": f"_rem({va}, {vb}, {hi}, {k})",
            "floordiv": f"_fdivi({va}, {vb}, {hi}, {k})",
            "floordivsi": f"_fdivi({va}, {vb}, {hi}, {k})",
            "ceildiv": f"_cdiv({va}, {vb}, {hi}, {k})",
            "floormod": f"_fmod({va}, {vb}, {k})",
        }[kind]
        em.int_result(op.results[0], call, (lo, hi), t)

    return rule


def _minmax(pick_first_if: str, view: str) -> Rule:
    """min/max: the canonical operand chosen by comparing the views."""

    def rule(em: Emitter, op: Operation) -> None:
        a, b = op.operands[0], op.operands[1]
        ea, eb = em.value(a), em.value(b)
        t = int_type(a.type)
        if t is None:  # tir.min/max on floats: C's `a < b ? a : b`
            em.define(op.results[0], f"({ea} if {ea} {pick_first_if} {eb} else {eb})")
            return
        ra, rb = em.range(a), em.range(b)
        if view == "s":
            (va, _), (vb, _) = _signed_view(t, ea, ra), _signed_view(t, eb, rb)
        elif view == "u":
            (va, _), (vb, _) = _unsigned_view(t, ea, ra), _unsigned_view(t, eb, rb)
        else:
            va, vb = ea, eb
        em.define(
            op.results[0],
            f"({ea} if {va} {pick_first_if} {vb} else {eb})",
            _union(ra, rb),
        )

    return rule


def _bitwise(symbol: str) -> Rule:
    def rule(em: Emitter, op: Operation) -> None:
        a, b, ra, rb, t = _operands(em, op)
        assert t is not None
        r = _full(t)
        if symbol == "&" and (ra[0] >= 0 or rb[0] >= 0):
            r = (0, min(x[1] for x in (ra, rb) if x[0] >= 0))
        elif ra[0] >= 0 and rb[0] >= 0:
            r = (0, (1 << max(ra[1], rb[1]).bit_length()) - 1)
        # Python's bitwise ops on canonical values stay canonical.
        em.define(op.results[0], f"{a} {symbol} {b}", r)

    return rule


def _shift(kind: str) -> Rule:
    def rule(em: Emitter, op: Operation) -> None:
        a, b, ra, rb, t = _operands(em, op)
        assert t is not None
        ub, rub = _unsigned_view(t, b, rb)
        c = rub[0] if rub[0] == rub[1] and rub[0] < t.width else None
        amount = (
            str(c) if c is not None else f"_shamt({ub}, {t.width}, {em.fault_site(op)})"
        )
        if kind == "shl":
            r = (ra[0] << c, ra[1] << c) if c is not None else (-(1 << 200), 1 << 200)
            em.int_result(op.results[0], f"{a} << {amount}", r, t)
            return
        va, rv = (_signed_view if kind == "shrs" else _unsigned_view)(t, a, ra)
        r = (
            (rv[0] >> c, rv[1] >> c)
            if c is not None
            else (min(rv[0], 0), max(rv[1], 0))
        )
        em.int_result(op.results[0], f"{va} >> {amount}", r, t)

    return rule


_CMPI = ["==", "!=", "<", "<=", ">", ">=", "<", "<=", ">", ">="]


def _cmpi(em: Emitter, op: Operation) -> None:
    assert isinstance(op, arith.CmpiOp)
    pred = op.predicate.value.data
    t = int_type(op.lhs.type)
    assert t is not None
    a, b = em.value(op.lhs), em.value(op.rhs)
    ra, rb = em.range(op.lhs), em.range(op.rhs)
    if 2 <= pred <= 5:
        a, b = _signed_view(t, a, ra)[0], _signed_view(t, b, rb)[0]
    elif pred >= 6:
        a, b = _unsigned_view(t, a, ra)[0], _unsigned_view(t, b, rb)[0]
    em.define(op.result, f"({a} {_CMPI[pred]} {b})", (0, 1))


def _select(em: Emitter, op: Operation) -> None:
    c, x, y = (em.value(v) for v in op.operands)
    r = None
    if int_type(op.results[0].type) is not None:
        r = _union(em.range(op.operands[1]), em.range(op.operands[2]))
    em.define(op.results[0], f"({x} if {c} else {y})", r)


def _extend(signed: bool) -> Rule:
    def rule(em: Emitter, op: Operation) -> None:
        src, dst = int_type(op.operands[0].type), int_type(op.results[0].type)
        assert src is not None and dst is not None
        a, ra = em.value(op.operands[0]), em.range(op.operands[0])
        view = _signed_view if signed else _unsigned_view
        e, r = view(src, a, ra)
        em.int_result(op.results[0], e, r, dst)

    return rule


def _truncate(em: Emitter, op: Operation) -> None:
    dst = int_type(op.results[0].type)
    assert dst is not None
    em.int_result(
        op.results[0], em.value(op.operands[0]), em.range(op.operands[0]), dst
    )


def _index_cast(em: Emitter, op: Operation) -> None:
    src = int_type(op.operands[0].type)
    dst = int_type(op.results[0].type)
    assert src is not None and dst is not None
    e, r = _signed_view(src, em.value(op.operands[0]), em.range(op.operands[0]))
    em.int_result(op.results[0], e, r, dst)


# ------------------------------------------------------------------ floats


def _round(bits: int, expr: str) -> str:
    helper = ROUND[bits]
    return f"{helper}({expr})" if helper else f"({expr})"


def _float_binary(template: str) -> Rule:
    def rule(em: Emitter, op: Operation) -> None:
        bits = float_bits(op.results[0].type)
        assert bits is not None
        a, b = em.value(op.operands[0]), em.value(op.operands[1])
        em.define(op.results[0], _round(bits, template.format(a=a, b=b)))

    return rule


def _float_pick(helper: str) -> Rule:
    def rule(em: Emitter, op: Operation) -> None:
        a, b = em.value(op.operands[0]), em.value(op.operands[1])
        em.define(op.results[0], f"{helper}({a}, {b})")

    return rule


_CMPF = [
    "False",
    "({a} == {b})",
    "({a} > {b})",
    "({a} >= {b})",
    "({a} < {b})",
    "({a} <= {b})",
    "({a} < {b} or {a} > {b})",
    "({a} == {a} and {b} == {b})",
    "(not ({a} < {b} or {a} > {b}))",
    "(not ({a} <= {b}))",
    "(not ({a} < {b}))",
    "(not ({a} >= {b}))",
    "(not ({a} > {b}))",
    "({a} != {b})",
    "({a} != {a} or {b} != {b})",
    "True",
]


def _cmpf(em: Emitter, op: Operation) -> None:
    assert isinstance(op, arith.CmpfOp)
    a, b = em.value(op.lhs), em.value(op.rhs)
    em.define(op.result, _CMPF[op.predicate.value.data].format(a=a, b=b), (0, 1))


def _int_to_float(signed: bool) -> Rule:
    def rule(em: Emitter, op: Operation) -> None:
        src = int_type(op.operands[0].type)
        bits = float_bits(op.results[0].type)
        assert src is not None and bits is not None
        view = _signed_view if signed else _unsigned_view
        e, _ = view(src, em.value(op.operands[0]), em.range(op.operands[0]))
        em.define(op.results[0], f"_i2f({e}, {bits})")

    return rule


def _float_to_int(signed: bool) -> Rule:
    def rule(em: Emitter, op: Operation) -> None:
        dst = int_type(op.results[0].type)
        assert dst is not None
        w = dst.width
        lo, hi = (-(1 << (w - 1)), (1 << (w - 1)) - 1) if signed else (0, dst.mask)
        a = em.value(op.operands[0])
        call = f"_f2i({a}, {lo}, {hi}, {em.fault_site(op)})"
        em.int_result(op.results[0], call, (lo, hi), dst)

    return rule


def _float_convert(em: Emitter, op: Operation) -> None:
    src, dst = float_bits(op.operands[0].type), float_bits(op.results[0].type)
    assert src is not None and dst is not None
    a = em.value(op.operands[0])
    em.define(op.results[0], a if dst >= src else _round(dst, a))


def _bitcast(em: Emitter, op: Operation) -> None:
    src_t, dst_t = op.operands[0].type, op.results[0].type
    a = em.value(op.operands[0])
    si, di = int_type(src_t), int_type(dst_t)
    sf, df = float_bits(src_t), float_bits(dst_t)
    if si is not None and di is not None:
        e, r = _unsigned_view(si, a, em.range(op.operands[0]))
        em.int_result(op.results[0], e, r, di)
    elif si is not None and df is not None:
        e, _ = _unsigned_view(si, a, em.range(op.operands[0]))
        em.define(op.results[0], f"_bitsf({e}, {df})")
    elif sf is not None and di is not None:
        em.int_result(op.results[0], f"_fbits({a}, {sf})", (0, di.mask), di)
    else:
        em.define(op.results[0], f"_bitsf(_fbits({a}, {sf}), {df})")


# -------------------------------------------------------------- constants


def float_literal(value: float) -> str:
    if math.isnan(value):
        return "_nan"
    if math.isinf(value):
        return "_inf" if value > 0 else "(-_inf)"
    return repr(value)


def _constant(em: Emitter, op: Operation) -> None:
    assert isinstance(op, arith.ConstantOp)
    value = op.value
    t = int_type(op.result.type)
    if t is not None and isinstance(value, IntegerAttr):
        v = t.wrap_value(value.value.data)
        em.define(op.result, str(v), (v, v))
        return
    bits = float_bits(op.result.type)
    if bits is not None and isinstance(value, FloatAttr):
        x = float(value.value.data)
        x = {16: _f16_const, 32: _f32_const, 64: float}[bits](x)
        em.define(op.result, float_literal(x))
        return
    raise em.unsupported(op, "only scalar integer and float constants are supported")


def _f32_const(x: float) -> float:
    from tirconst.interpreter.scalar import f32

    return f32(x)


def _f16_const(x: float) -> float:
    from tirconst.interpreter.scalar import f16

    return f16(x)


# -------------------------------------------------------------- tir.cast


def _cast(em: Emitter, op: Operation) -> None:
    src_t, dst_t = op.operands[0].type, op.results[0].type
    a = em.value(op.operands[0])
    si, di = int_type(src_t), int_type(dst_t)
    sf, df = float_bits(src_t), float_bits(dst_t)
    if di is not None and di.width == 1:
        em.define(op.results[0], f"({a} != 0)", (0, 1))
    elif si is not None and di is not None:
        em.int_result(op.results[0], a, em.range(op.operands[0]), di)
    elif si is not None and df is not None:
        em.define(op.results[0], f"_i2f({a}, {df})")
    elif sf is not None and di is not None:
        call = f"_f2i({a}, {di.lo}, {di.hi}, {em.fault_site(op)})"
        em.define(op.results[0], call, (di.lo, di.hi))
    else:
        _float_convert(em, op)


RULES: dict[type[Operation], Rule] = {
    arith.ConstantOp: _constant,
    arith.AddiOp: _binary(_add, "+"),
    arith.SubiOp: _binary(_sub, "-"),
    arith.MuliOp: _binary(_mul, "*"),
    arith.DivSIOp: _division("div", True),
    arith.DivUIOp: _division("div", False),
    arith.RemSIOp: _division("rem", True),
    arith.RemUIOp: _division("rem", False),
    arith.FloorDivSIOp: _division("floordivsi", True),
    arith.CeilDivSIOp: _division("ceildiv", True),
    arith.CeilDivUIOp: _division("ceildiv", False),
    arith.MinSIOp: _minmax("<", "s"),
    arith.MaxSIOp: _minmax(">", "s"),
    arith.MinUIOp: _minmax("<", "u"),
    arith.MaxUIOp: _minmax(">", "u"),
    arith.AndIOp: _bitwise("&"),
    arith.OrIOp: _bitwise("|"),
    arith.XOrIOp: _bitwise("^"),
    arith.ShLIOp: _shift("shl"),
    arith.ShRSIOp: _shift("shrs"),
    arith.ShRUIOp: _shift("shru"),
    arith.CmpiOp: _cmpi,
    arith.SelectOp: _select,
    arith.ExtSIOp: _extend(True),
    arith.ExtUIOp: _extend(False),
    arith.TruncIOp: _truncate,
    arith.IndexCastOp: _index_cast,
    arith.AddfOp: _float_binary("{a} + {b}"),
    arith.SubfOp: _float_binary("{a} - {b}"),
    arith.MulfOp: _float_binary("{a} * {b}"),
    arith.DivfOp: _float_binary("_fdiv({a}, {b})"),
    arith.NegfOp: lambda em, op: em.define(
        op.results[0], f"(-{em.value(op.operands[0])})"
    ),
    arith.MaximumfOp: _float_pick("_maximumf"),
    arith.MinimumfOp: _float_pick("_minimumf"),
    arith.MaxnumfOp: _float_pick("_maxnumf"),
    arith.MinnumfOp: _float_pick("_minnumf"),
    arith.CmpfOp: _cmpf,
    arith.SIToFPOp: _int_to_float(True),
    arith.UIToFPOp: _int_to_float(False),
    arith.FPToSIOp: _float_to_int(True),
    arith.FPToUIOp: _float_to_int(False),
    arith.ExtFOp: _float_convert,
    arith.TruncFOp: _float_convert,
    arith.BitcastOp: _bitcast,
    tir_scalar.FloorDivOp: _division("floordiv", True),
    tir_scalar.FloorModOp: _division("floormod", True),
    tir_scalar.MinOp: _minmax("<", ""),
    tir_scalar.MaxOp: _minmax(">", ""),
    tir_scalar.SelectOp: _select,
    tir_scalar.CastOp: _cast,
}
"""Op class -> rule emitting its Python source (registered below)."""

for _cls, _rule in RULES.items():
    emits(_cls)(_rule)
