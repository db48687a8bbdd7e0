"""The SRAM a tiling would need, asked of the untiled program.

`tir-tile`'s budget search measures many candidate tilings. Each is measured
here without rewriting anything: the program the tiling (and, unless weights
stay in flash, `tir-stage-weights` one op ahead) would make is modelled as a
sequence of ops, each with the root buffers it touches, laid out from the
untiled function by the units, settings and tile grids of
`tirconst.analysis.tiling` (the ones `tir-tile` rewrites by). On that
sequence the measure is `tirconst.analysis.sram`'s, unchanged: lifetimes as
`tirconst.analysis.liveness` gives them (a workspace from its first use to
its last, parameters for the call or, with `reuse_io`, while used), the
in-place pairs an elementwise op may share, and the aligned lower bound
(`sram.need`). So the figure, where it peaks and the unit there are the ones
`sram_peak` gives for the rewritten program (tests/test_sram_measure.py
checks that along every bundled model's search).

What the model knows of the rewrite: a tiled unit's ops are replaced, at its
last op, by its tiles (`tile_grid`; a cascade's producers computed into
stripe workspaces before each consumer tile), each preceded by the views
it reads and writes (`tir.decl_buffer`: no bytes, no use) and the stripe
workspaces; a depth slice reads a new constant per sliced constant and
box, placed after the constant; a constant no op reads any more goes.
Staging copies the filter and bias constants of each computing op (all
operator ops but copies; fully connected ones only with `weights=all`)
into a workspace of their own, before the previous computing op (or the op
itself after an op the NPU does not run), moving the constant there when
it comes later. A tile runs where its op does: the NPU or not (`npu_reason`
of the op).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation, SSAValue

from tirconst.analysis.constant_uses import Box
from tirconst.analysis.liveness import use_extent
from tirconst.analysis.npu_support import npu_reason
from tirconst.analysis.sram import ALIGNMENT, need
from tirconst.analysis.tiling import (
    Reason,
    Setting,
    functions,
    input_rows,
    tile_grid,
    units,
    windowed,
)
from tirconst.analysis.views import is_view, root_of, strided_parent
from tirconst.dialects.tir.buffers import AllocateConstOp, AllocateOp
from tirconst.dialects.tir.convolution_ops import WeightedOp
from tirconst.dialects.tir.memory import Effect, operand_effects
from tirconst.dialects.tir.operators import OperatorOp
from tirconst.dialects.tir.structure import FuncOp
from tirconst.dialects.tir.traits import (
    CopyLike,
    Elementwise,
    RereadsOperand,
    operator,
)
from tirconst.dialects.tir.types import BufferType
from tirconst.planning import Buffer
from tirconst.planning.bounds import share_groups

Unit = tuple[str, int]
"""A unit of the search: (function name, index among its units)."""

STAGED_OPERANDS = ("filter", "bias")
"""The weight operands `tir-stage-weights` copies into SRAM."""


def staged_operands(op: Operation) -> tuple[str, ...]:
    """The operands of `op` `tir-stage-weights` may copy into SRAM: its
    weights (`STAGED_OPERANDS`) and an operand its lowering re-reads per
    output element (`RereadsOperand`: a PRELU's alpha)."""
    reread = op.get_trait(RereadsOperand)
    return STAGED_OPERANDS + ((reread.operand,) if reread is not None else ())


def computes(op: Operation) -> bool:
    """Whether `tir-stage-weights` stages for `op`: an operator op, not a
    copy (a copy moves data; the staged copies are copies)."""
    return isinstance(op, OperatorOp) and not op.has_trait(CopyLike)


class _New:
    """A buffer the rewrite would make (a stripe workspace, a staged copy,
    a constant slice): its bytes and element type."""

    __slots__ = ("size", "type")

    def __init__(self, type_: BufferType) -> None:
        self.type = type_
        self.size = type_.size_in_bytes


Value = SSAValue | _New


@dataclass(eq=False)
class _View:
    """A view the rewrite would declare: its root and its source value."""

    source: Value
    root: Value
    type: BufferType


Operand = Value | _View


@dataclass(eq=False)
class _Op:
    """One op of the modelled program: its name, its unit, what it touches.

    `real` is the op itself where the rewrite keeps it (its nested ops are
    numbered after it, as a walk does); else `source`, the op a tile comes
    from. `operands` are the (value, effect) pairs of a new op (a kept op's:
    the staged copies it reads instead of constants), `named` its operands
    by name where they differ from the op's; `defines` the workspace or
    constant it allocates."""

    name: str
    unit: Unit | None = None
    real: Operation | None = None
    source: OperatorOp | None = None
    operands: list[tuple[Operand, Effect | None]] = field(default_factory=list)
    named: dict[str, Operand] = field(default_factory=dict)
    defines: Value | None = None
    kind: str = ""
    """"workspace" or "constant" when it allocates; "view"; "" otherwise."""


def _root(v: Operand) -> Value:
    if isinstance(v, _View):
        return v.root
    return v if isinstance(v, _New) else root_of(v)


def _type(v: Operand) -> BufferType:
    t = v.type
    assert isinstance(t, BufferType)
    return t


def _shape(v: Operand) -> tuple[int, ...]:
    return tuple(_type(v).get_shape())


# ---------------------------------------------------------------- the tiles


@dataclass
class _Tiles:
    """The tile ops of the units of one module, as `tir-tile` emits them."""

    slices: dict[tuple[int, Box], _Op] = field(default_factory=dict)
    after: dict[int, list[_Op]] = field(default_factory=dict)
    """Constant op id -> the slices placed after it, in order."""
    sliced: list[AllocateConstOp] = field(default_factory=list)

    def view(self, buf: Operand, shape: tuple[int, ...], seq: list[_Op]) -> Operand:
        if tuple(shape) == _shape(buf):
            return buf
        base: Operand = buf
        if isinstance(buf, SSAValue):
            base = strided_parent(buf)[0]  # as `tir-tile` declares views
        elif isinstance(buf, _View):
            base = buf.source
        t = _type(buf)
        v = _View(base, _root(buf), BufferType(list(shape), t.element_type, t.scope))
        seq.append(_Op("tir.decl_buffer", operands=[(base, None)], kind="view"))
        return v

    def channel_slice(
        self, v: SSAValue, axis: int, c0: int, c1: int, seq: list[_Op]
    ) -> Operand:
        shape = _shape(v)
        lo = tuple(c0 if d == axis else 0 for d in range(len(shape)))
        hi = tuple(c1 if d == axis else n for d, n in enumerate(shape))
        box = Box(lo, hi)
        if box == Box.whole(shape):
            return v
        holder = v.owner
        if not isinstance(holder, AllocateConstOp):
            return self.view(v, box.shape, seq)
        key = (id(holder), box)
        if key not in self.slices:
            t = _type(v)
            new = _New(BufferType(list(box.shape), t.element_type, t.scope))
            made = _Op("tir.allocate_const", defines=new, kind="constant")
            self.after.setdefault(id(holder), []).append(made)
            self.slices[key] = made
            if holder not in self.sliced:
                self.sliced.append(holder)
        new_value = self.slices[key].defines
        assert new_value is not None
        return new_value

    def emit(
        self,
        chain: list[OperatorOp],
        k: int,
        rows: tuple[int, int],
        chans: tuple[int, int],
        out: Operand,
        unit: Unit | None,
        seq: list[_Op],
    ) -> None:
        op = chain[k]
        (y0, y1), (c0, c1) = rows, chans
        values: dict[str, Operand] = {}
        pc = op.per_channel()
        if pc is not None and (c0, c1) != (0, pc.channels):
            for name, axis in pc.operands.items():
                v = op.input_named(name)
                assert v is not None
                values[name] = self.channel_slice(v, axis, c0, c1, seq)
        trait = windowed(op)
        if trait is not None:
            x = trait.input(op)
            n, _, w, ci = _shape(x)
            win = input_rows(op, y0, y1)
            i0, i1 = trait.input_channels(op, c0, c1, ci)
            if k > 0:
                t = _type(x)
                tmp = _New(
                    BufferType([n, win.hi - win.lo, w, ci], t.element_type, t.scope)
                )
                seq.append(_Op("tir.allocate", defines=tmp, kind="workspace"))
                self.emit(chain, k - 1, (win.lo, win.hi), (0, ci), tmp, unit, seq)
                values["input"] = tmp
            else:
                values["input"] = self.view(x, (n, win.hi - win.lo, w, i1 - i0), seq)
        elif (ew := op.get_trait(Elementwise)) is not None:
            n, _, w, _ = _shape(op.output)
            for name, v in zip(ew.operands, ew.values(op), strict=True):
                values[name] = self.view(v, (n, y1 - y0, w, c1 - c0), seq)
        tile = _Op(op.name, unit, source=op)
        for name in op.INPUTS:
            v = getattr(op, name)
            if v is not None:
                tile.named[name] = values.get(name, v)
                tile.operands.append((tile.named[name], Effect.READ))
        tile.operands.append((out, Effect.WRITE))
        seq.append(tile)

    def tile(self, chain: list[OperatorOp], s: Setting, unit: Unit) -> list[_Op] | None:
        """The ops replacing `chain` (None: it stays whole)."""
        grid = tile_grid(chain, s)
        if grid is None:
            return None
        last = chain[-1]
        out = last.output
        oshape = _shape(out)
        seq: list[_Op] = []
        for y0, y1 in grid.stripes:
            for c0, c1 in grid.slices:
                if grid.spatial:
                    shp = (oshape[0], y1 - y0, oshape[2], c1 - c0)
                else:
                    shp = (*oshape[:-1], c1 - c0)
                view = self.view(out, shp, seq)
                self.emit(chain, len(chain) - 1, (y0, y1), (c0, c1), view, unit, seq)
        return seq


def _tiled(
    func: FuncOp,
    cascade: bool,
    settings: dict[Unit, Setting],
    tiles: _Tiles,
    reason: Reason,
) -> list[_Op]:
    """The top-level ops of `func` once tiled as `settings` say."""
    fname = func.sym_name.data
    unit_of: dict[Operation, Unit] = {}
    at_last: dict[Operation, list[_Op]] = {}
    erased: set[Operation] = set()
    for i, chain in enumerate(units(func, cascade, reason)):
        for o in chain:
            unit_of[o] = (fname, i)
        s = settings.get((fname, i))
        if s is None or not s.tiles():
            continue
        parts = [(chain, s)] if not s.parts else []
        first = 0
        for n, part in s.parts:
            if part.tiles():
                parts.append((chain[first : first + n], part))
            first += n
        for part_chain, setting in parts:
            seq = tiles.tile(part_chain, setting, (fname, i))
            if seq is None:
                continue
            at_last[part_chain[-1]] = seq
            erased.update(part_chain)
            for o in part_chain[1:]:
                trait = windowed(o)
                assert trait is not None  # a cascade's ops are windowed
                t = trait.input(o).owner
                if isinstance(t, AllocateOp) and all(
                    u.operation in erased for u in t.buffer.uses
                ):
                    erased.add(t)
    out: list[_Op] = []
    for op in func.body.block.ops:
        out += at_last.get(op, [])
        if op in erased:
            continue
        kind = ""
        defines: Value | None = None
        if isinstance(op, AllocateOp):
            kind, defines = "workspace", op.buffer
        elif isinstance(op, AllocateConstOp):
            kind, defines = "constant", op.buffer
        elif is_view(op):
            kind = "view"
        out.append(_Op(op.name, unit_of.get(op), real=op, defines=defines, kind=kind))
        out += tiles.after.get(id(op), [])
    # A constant sliced for every op that read it goes (`Tiler.finish`).
    gone = {
        id(h)
        for h in tiles.sliced
        if not any(u.operation not in erased for u in h.buffer.uses)
        and not any(v is h.buffer for o in out if o.real is None for v, _ in o.operands)
    }
    return [o for o in out if o.real is None or id(o.real) not in gone]


# ---------------------------------------------------------------- staging


def _staged(ops: list[_Op], fc: bool) -> list[_Op]:
    """`ops` with each computing op's weights copied into SRAM one op ahead
    (`tir-stage-weights` with its defaults)."""
    pos = {id(o): float(i) for i, o in enumerate(ops)}
    before: dict[int, list[_Op]] = {}
    moved: set[int] = set()
    const_op = {id(o.defines): o for o in ops if o.kind == "constant"}
    previous: _Op | None = None
    for op in ops:
        src = op.real if op.real is not None else op.source
        if src is None or not computes(src):
            continue
        assert isinstance(src, OperatorOp)
        ahead = previous is not None and npu_reason(_op_of(previous)) is None
        anchor = previous if ahead and previous is not None else op
        previous = op
        if isinstance(src, WeightedOp) and not src.WEIGHTS_REUSED and not fc:
            continue
        for name in staged_operands(src):
            value = _named(op, name)
            if value is None or isinstance(value, _View):
                continue
            holder = const_op.get(id(value))
            if holder is None:
                continue
            pre = before.setdefault(id(anchor), [])
            if pos[id(holder)] >= pos[id(anchor)]:
                # the constant must be defined before its copy
                moved.add(id(holder))
                pos[id(holder)] = pos[id(anchor)] - 1 + (len(pre) + 1) * 1e-6
                pre.append(holder)
            t = _type(value)
            buf = _New(BufferType(t.get_shape(), t.element_type, t.scope))
            pre.append(_Op("tir.allocate", defines=buf, kind="workspace"))
            pre.append(
                _Op("tir.copy", operands=[(value, Effect.READ), (buf, Effect.WRITE)])
            )
            op.named[name] = buf
            if op.real is None:
                op.operands = [(buf if v is value else v, e) for v, e in op.operands]
            else:  # the kept op now reads the copy (the constant is no buffer)
                op.operands.append((buf, Effect.READ))
    out: list[_Op] = []
    for op in ops:
        out += before.get(id(op), [])
        if id(op) not in moved:  # a moved constant is where it was moved to
            out.append(op)
    return out


def _named(op: _Op, name: str) -> Operand | None:
    if op.real is not None:
        if not isinstance(op.real, OperatorOp) or name not in op.real.INPUTS:
            return None
        v = op.real.input_named(name)
        if v is None:
            return None
        return op.named.get(name, v)
    return op.named.get(name)


def _op_of(op: _Op) -> Operation:
    src = op.real if op.real is not None else op.source
    assert src is not None
    return src


# ---------------------------------------------------------------- measure


@dataclass(frozen=True)
class TiledPeak:
    """The measure of a tiling: `bytes` at the highest (over the functions),
    `where` it is (`'op' in @func`) and the unit nearest it (None: none)."""

    bytes: int
    where: str
    unit: Unit | None


@dataclass
class _Life:
    key: Value
    kind: str
    start: int
    end: int
    size: int
    uses: list[int] = field(default_factory=list)
    """The times of the ops using it, in program order."""
    lows: list[int] = field(default_factory=list)
    """Where each use's extent starts (a use in a loop: the loop's start)."""
    effects: list[Effect | None] = field(default_factory=list)


def tiled_peak(
    module: ModuleOp,
    cascade: bool,
    settings: dict[Unit, Setting],
    weights: str,
    reuse_io: bool = False,
    reason: Reason = npu_reason,
) -> TiledPeak:
    """The SRAM the program tiled as `settings` say (and staged unless
    `weights` is `flash`; `all` stages fully connected weights too) needs as
    `tir-plan-memory` places it (see the module doc): what `sram_peak` gives
    for it, largest over the functions (a later function on a tie). The
    units are `tir-tile`'s by `reason` (`tiling.tileable`)."""
    tiles = _Tiles()
    programs = [
        (f, _tiled(f, cascade, settings, tiles, reason)) for f in functions(module)
    ]
    best = TiledPeak(0, "", None)
    for func, ops in programs:
        if weights != "flash":
            ops = _staged(ops, weights == "all")
        peak = _peak(func, ops, reuse_io)
        if peak is None or peak[0] < best.bytes:
            continue
        bytes_, index = peak
        unit = None
        for j in [*range(index, len(ops)), *range(index, -1, -1)]:
            if ops[j].unit is not None:
                unit = ops[j].unit
                break
        where = f"'{ops[index].name}' in @{func.sym_name.data}"
        best = TiledPeak(bytes_, where, unit)
    return best


def _peak(func: FuncOp, ops: list[_Op], reuse_io: bool) -> tuple[int, int] | None:
    """(measure, index of the top-level op where it is first reached) of the
    modelled program `ops` of `func`; None without buffers."""
    # Times: a pre-order walk (a kept op's nested ops after it).
    order: dict[Operation, int] = {}
    top_of: list[int] = []  # time -> index of its top-level op
    times: list[int] = []  # top-level index -> time
    for i, o in enumerate(ops):
        times.append(len(top_of))
        if o.real is not None:
            for inner in o.real.walk():
                order[inner] = len(top_of)
                top_of.append(i)
        else:
            top_of.append(i)
    end = len(top_of)
    lives: dict[int, _Life] = {}
    keys: list[Value] = []

    def born(key: Value, kind: str, t: int, size: int) -> None:
        lives[id(key)] = _Life(key, kind, t, t + 1, size)
        keys.append(key)

    for arg in func.body.block.args:
        if isinstance(arg.type, BufferType):
            born(arg, "param", 0, arg.type.size_in_bytes)
    for i, o in enumerate(ops):
        if o.real is not None:
            for inner in o.real.walk():
                if isinstance(inner, AllocateOp | AllocateConstOp):
                    kind = "workspace" if isinstance(inner, AllocateOp) else "constant"
                    t = _type(inner.buffer)
                    born(inner.buffer, kind, order[inner], t.size_in_bytes)
        elif o.defines is not None:
            assert isinstance(o.defines, _New)
            born(o.defines, o.kind, times[i], o.defines.size)

    def use(life: _Life, lo: int, hi: int, t: int, e: Effect | None) -> None:
        life.start = min(life.start, lo)
        life.end = max(life.end, hi)
        if t not in life.uses:
            life.uses.append(t)
            life.lows.append(lo)
            life.effects.append(e)
        else:  # an op touching the root through several operands
            k = life.uses.index(t)
            prev = life.effects[k]
            life.effects[k] = None if prev is None or e is None else prev | e

    for i, o in enumerate(ops):
        if o.kind == "view":
            continue
        if o.real is not None:
            for inner in o.real.walk():
                if is_view(inner):
                    continue
                effects = operand_effects(inner)
                for operand in inner.operands:
                    if not isinstance(operand.type, BufferType):
                        continue
                    root = root_of(operand)
                    life = lives.get(id(root))
                    if life is None:
                        continue
                    lo, hi = use_extent(inner, root, order)
                    use(life, lo, hi, order[inner], _effect(effects, root))
        t = times[i]
        for v, e in o.operands:  # a tile's, a copy's; a kept op's staged ones
            life = lives.get(id(_root(v)))
            if life is not None:
                use(life, t, t + 1, t, e)
    for life in lives.values():
        if life.kind != "param":
            continue
        if not reuse_io:
            life.start, life.end = 0, max(end, 1)
        elif life.uses:
            life.start = 0
            if any(e is None or e & Effect.WRITE for e in life.effects):
                life.end = max(end, 1)
                if life.effects[0] == Effect.WRITE:  # overwritten before read
                    life.start = life.lows[0]
    starts = {id(k): _start(lives[id(k)]) for k in keys}
    ids = {id(k): str(n) for n, k in enumerate(keys)}
    buffers = [
        Buffer(ids[id(k)], starts[id(k)], lives[id(k)].end, lives[id(k)].size, 1, ())
        for k in keys
        if lives[id(k)].kind != "constant"
    ]
    if not buffers:
        return None
    shares = _in_place_pairs(ops, order, lives, ids, starts)
    levels = need(share_groups(buffers, shares), end, ALIGNMENT)
    peak = max(levels)
    return peak, top_of[levels.index(peak)]


def _effect(effects, root: SSAValue) -> Effect | None:
    if effects is None:
        return None
    out = Effect(0)
    for v, e in effects:
        if root_of(v) is root:
            out |= e
    return out


def _start(life: _Life) -> int:
    """A workspace's life starts at its first use (`sram._start`)."""
    if life.kind != "workspace" or not life.uses:
        return life.start
    return max(life.start, min(life.lows))


def _in_place_pairs(
    ops: list[_Op],
    order: dict[Operation, int],
    lives: dict[int, _Life],
    ids: dict[int, str],
    starts: dict[int, int],
) -> list[tuple[str, str]]:
    """`sram._in_place_pairs` on the modelled program. Only kept ops pair: a
    tile writes a view of the output (or, in a cascade, a stripe workspace
    of a windowed op), a staged copy reads a constant."""
    pairs: list[tuple[str, str]] = []
    taken: set[str] = set()
    for o in ops:
        if o.real is None:
            continue
        for op in o.real.walk():
            if not op.has_trait(Elementwise):
                continue
            out = operator(op).output
            if out.owner is not None and not isinstance(out.owner, AllocateOp):
                continue
            b = lives.get(id(out))
            if b is None or b.kind != "workspace":
                continue
            for v in operator(op).input_values():
                if v.type != out.type or not isinstance(v.owner, AllocateOp):
                    continue
                a = lives[id(v)]
                if a.end != order[op] + 1 or ids[id(v)] in taken:
                    continue
                if v.owner.parent_block() is not out.owner.parent_block():
                    continue
                if starts[id(v)] <= starts[id(out)] <= a.end <= b.end:
                    pairs.append((ids[id(v)], ids[id(out)]))
                    taken.add(ids[id(v)])
                    break
    return pairs
