"""`tir-tile`: stripe operator ops over OFM height and depth, slice their
constants, and cascade chains of ops so intermediates never exist whole."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects.builtin import DenseArrayBase, ModuleOp, i64
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.utils.exceptions import PassFailedException

from tirconst.analysis.constant_uses import Box
from tirconst.analysis.npu_support import NpuReasons, npu_reason
from tirconst.analysis.tiled_sram import tiled_peak
from tirconst.analysis.tiling import (
    Reason,
    Setting,
    TileCost,
    functions,
    input_rows,
    tile_grid,
    units,
    windowed,
)
from tirconst.analysis.views import strided_parent
from tirconst.dialects.tir.buffers import (
    AllocateConstOp,
    AllocateOp,
    DeclBufferOp,
    row_major_strides,
)
from tirconst.dialects.tir.operators import OperatorOp, slice_output_channels
from tirconst.dialects.tir.traits import Elementwise
from tirconst.dialects.tir.types import BufferType
from tirconst.formats.ethos_u.hardware import DEPTH_GRANULE
from tirconst.transforms.slice_constants import (
    SliceState,
    erase_unreferenced_symbols,
    slice_holder,
)

NAME = "tir-tile"


def _shape(v: SSAValue) -> tuple[int, ...]:
    assert isinstance(v.type, BufferType)
    return v.type.get_shape()


@dataclass
class Tiler:
    """Rewrites units into tiles, slicing constants with `tir-slice-constants`'
    machinery (one module constant per constant and box)."""

    module: ModuleOp
    state: SliceState = field(init=False)
    holders: dict[tuple[int, Box], AllocateConstOp] = field(default_factory=dict)
    sliced: list[AllocateConstOp] = field(default_factory=list)
    last_slice: dict[int, AllocateConstOp] = field(default_factory=dict)
    costs: list[TileCost] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.state = SliceState(self.module)

    # -- views and slices --------------------------------------------------------

    def view(
        self, buf: SSAValue, lo: tuple[int, ...], shape: tuple[int, ...], at: Operation
    ) -> SSAValue:
        """A view of `buf` (of its base, if `buf` is a view) of `shape` from `lo`."""
        src = _shape(buf)
        if tuple(shape) == src:
            return buf
        base, start, strides = strided_parent(buf)
        off = start + sum(i * s for i, s in zip(lo, strides, strict=True))
        bt = buf.type
        assert isinstance(bt, BufferType)
        vt = BufferType(list(shape), bt.element_type, bt.scope)
        plain = tuple(strides) == row_major_strides(shape)
        v = DeclBufferOp(base, off, vt, None if plain else strides)
        Rewriter.insert_op(v, InsertPoint.before(at))
        v.view.name_hint = buf.name_hint
        return v.view

    def channel_slice(
        self, v: SSAValue, axis: int, c0: int, c1: int, at: Operation
    ) -> SSAValue:
        """Channels [c0, c1) of `v` along `axis`: a new constant if `v` is one."""
        shape = _shape(v)
        lo = tuple(c0 if d == axis else 0 for d in range(len(shape)))
        hi = tuple(c1 if d == axis else n for d, n in enumerate(shape))
        box = Box(lo, hi)
        if box == Box.whole(shape):
            return v
        holder = v.owner
        if not isinstance(holder, AllocateConstOp):
            return self.view(v, lo, box.shape, at)
        key = (id(holder), box)
        if key not in self.holders:
            k = sum(1 for h, _ in self.holders if h == id(holder))
            new = slice_holder(self.state, holder, box, k)
            after = self.last_slice.get(id(holder), holder)
            Rewriter.insert_op(new, InsertPoint.after(after))
            self.last_slice[id(holder)] = new
            self.holders[key] = new
            if holder not in self.sliced:
                self.sliced.append(holder)
        return self.holders[key].buffer

    # -- one tile ----------------------------------------------------------------

    def emit(
        self,
        chain: list[OperatorOp],
        k: int,
        rows: tuple[int, int],
        chans: tuple[int, int],
        out: SSAValue,
        at: Operation,
        cost: TileCost,
    ) -> None:
        """Emit chain[k] computing output rows and channels into `out`,
        preceded by the producer tiles its input window needs."""
        op = chain[k]
        (y0, y1), (c0, c1) = rows, chans
        props = dict(op.properties)
        values: dict[str, SSAValue] = {}
        pc = op.per_channel()
        if pc is not None and (c0, c1) != (0, pc.channels):
            props = slice_output_channels(op, c0, c1)
            for name, axis in pc.operands.items():
                values[name] = self.channel_slice(getattr(op, name), axis, c0, c1, at)
        trait = windowed(op)
        if trait is not None:
            x = trait.input(op)
            n, _, w, ci = _shape(x)
            win = input_rows(op, y0, y1)
            i0, i1 = trait.input_channels(op, c0, c1, ci)
            pad = trait.with_pad_rows(op, win.top, win.bottom)
            props = {**props, trait.padding: DenseArrayBase.from_list(i64, pad)}
            if k > 0:
                bt = x.type
                assert isinstance(bt, BufferType)
                tmp = AllocateOp(
                    BufferType([n, win.hi - win.lo, w, ci], bt.element_type, bt.scope),
                    f"{x.name_hint or 'stripe'}_rows{win.lo}",
                )
                Rewriter.insert_op(tmp, InsertPoint.before(at))
                self.emit(chain, k - 1, (win.lo, win.hi), (0, ci), tmp.buffer, at, cost)
                values["input"] = tmp.buffer
            else:
                values["input"] = self.view(
                    x, (0, win.lo, 0, i0), (n, win.hi - win.lo, w, i1 - i0), at
                )
            cost.recomputed_rows += win.hi - win.lo
        elif (ew := op.get_trait(Elementwise)) is not None:
            n, _, w, _ = _shape(op.output)
            for name, v in zip(ew.operands, ew.values(op), strict=True):
                values[name] = self.view(
                    v, (0, y0, 0, c0), (n, y1 - y0, w, c1 - c0), at
                )
        new = op.clone()
        operands = [
            values.get(name, v)
            for name in op.INPUTS
            if (v := getattr(op, name)) is not None
        ]
        new.operands = [*operands, out]
        new.properties = props
        Rewriter.insert_op(new, InsertPoint.before(at))
        cost.ops += 1

    def tile(self, chain: list[OperatorOp], s: Setting) -> None:
        """Replace `chain` (a cascade, or one op) by its tiles."""
        last = chain[-1]
        out = last.output
        oshape = _shape(out)
        grid = tile_grid(chain, s)
        if grid is None:
            return
        stripes, slices, spatial = grid.stripes, grid.slices, grid.spatial
        cost = TileCost(", ".join(f"'{o.name}' %{o.output.name_hint}" for o in chain))
        whole_rows = sum(
            _shape(t.input(o))[1] for o in chain if (t := windowed(o)) is not None
        )
        weights = sum(
            o.buffer_type(o.input_named("filter")).size_in_bytes
            for o in chain
            if o.per_channel() is not None
        )
        for y0, y1 in stripes:
            for c0, c1 in slices:
                if spatial:
                    lo, shp = (0, y0, 0, c0), (oshape[0], y1 - y0, oshape[2], c1 - c0)
                else:
                    lo = tuple(0 for _ in oshape[:-1]) + (c0,)
                    shp = (*oshape[:-1], c1 - c0)
                view = self.view(out, lo, shp, last)
                self.emit(chain, len(chain) - 1, (y0, y1), (c0, c1), view, last, cost)
        cost.recomputed_rows = max(0, cost.recomputed_rows - whole_rows * len(slices))
        cost.extra_weight_bytes = weights * (len(stripes) - 1)
        self.costs.append(cost)
        # a cascade's ops past the first are windowed: their inputs are the
        # intermediates
        intermediates = [
            t.input(o).owner for o in chain[1:] if (t := windowed(o)) is not None
        ]
        for o in reversed(chain):
            Rewriter.erase_op(o)
        for t in intermediates:
            if isinstance(t, AllocateOp) and not t.buffer.uses:
                Rewriter.erase_op(t)

    def finish(self) -> None:
        """Drop constants nothing reads any more."""
        for holder in self.sliced:
            if not holder.buffer.uses:
                Rewriter.erase_op(holder)
        erase_unreferenced_symbols(self.module, self.state.sliced_symbols)


def apply_settings(
    module: ModuleOp, cascade: bool, settings: dict[tuple[str, int], Setting]
) -> list[TileCost]:
    """Tile every unit of every function as `settings` says (keyed by function
    name and unit index; missing: untiled)."""
    tiler = Tiler(module)
    for func in functions(module):
        for i, chain in enumerate(units(func, cascade)):
            s = settings.get((func.sym_name.data, i))
            if s is None or not s.tiles():
                continue
            if not s.parts:
                tiler.tile(chain, s)
                continue
            first = 0
            for n, part in s.parts:
                if part.tiles():
                    tiler.tile(chain[first : first + n], part)
                first += n
    tiler.finish()
    return tiler.costs


def ladder(chain: list[OperatorOp], weights: str = "conv") -> list[Setting]:
    """The settings tried for a unit, least extra work first: for a cascade,
    fewer rows per stripe, then (three ops or more) the chain cut in two at
    its smallest intermediate, both parts from untiled to one row per
    stripe together, then cut at every intermediate smaller than the one
    before it and no larger than the one after (`_dips`: a long network
    chain, where the peak lies between two such dips), the parts again
    stepped down together; for a weighted op whose weights are staged
    (`weights` not `flash`), thinner depth slices (smaller staged weight
    slices). Other single ops gain nothing from tiling (their whole input and
    output stay live)."""
    last = chain[-1]
    out = _shape(last.output)
    steps = [Setting()]
    if len(chain) > 1:
        steps += _halvings(out[1])
        if len(chain) > 2:
            # Then the cascade cut in two at its smallest intermediate, both parts
            # stepped down together: stripe buffers of a long chain hold the rows
            # every producer recomputes for one stripe of the last op (six ops with
            # three 2x2 pools: 20 rows of the first output per output row), more
            # than a whole small intermediate between two shorter chains.
            sizes = [math.prod(_shape(o.output)) for o in chain[:-1]]
            cut = sizes.index(min(sizes)) + 1
            a, b = chain[:cut], chain[cut:]
            last_a = _shape(a[-1].output)
            rows_a = [Setting()] + (_halvings(last_a[1]) if len(a) > 1 else [])
            rows_b = [Setting()] + (_halvings(out[1]) if len(b) > 1 else [])
            for k in range(max(len(rows_a), len(rows_b))):
                sa = rows_a[min(k, len(rows_a) - 1)]
                sb = rows_b[min(k, len(rows_b) - 1)]
                steps.append(Setting(parts=((len(a), sa), (len(b), sb))))
            cuts = _dips(sizes)
            if len(cuts) > 1:
                steps += _parts_together(chain, cuts)
    elif last.per_channel() is not None and weights != "flash":
        d = out[-1]
        while d > DEPTH_GRANULE:
            d = max(DEPTH_GRANULE, -(-d // 2 // DEPTH_GRANULE) * DEPTH_GRANULE)
            steps.append(Setting(depth=d))
    return steps


def _dips(sizes: list[int]) -> list[int]:
    """Where to cut a chain whose intermediates have these sizes: after each
    intermediate smaller than the one before it (the first: than the one
    after) and no larger than the one after it (the last: any), so each
    part runs from one dip to the next (MobileNet's stride-2 layers)."""
    cuts = []
    for j, v in enumerate(sizes):
        before = sizes[j - 1] if j else None
        after = sizes[j + 1] if j + 1 < len(sizes) else None
        if before is None:
            dip = after is not None and v < after
        else:
            dip = v < before and (after is None or v <= after)
        if dip:
            cuts.append(j + 1)
    return cuts


def _parts_together(chain: list[OperatorOp], cuts: list[int]) -> list[Setting]:
    """The chain cut at `cuts`, every part from untiled to one row per
    stripe together (a part of one op stays whole)."""
    bounds = [0, *cuts, len(chain)]
    parts = [chain[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
    ladders = [
        [Setting()] + (_halvings(_shape(p[-1].output)[1]) if len(p) > 1 else [])
        for p in parts
    ]
    return [
        Setting(
            parts=tuple(
                (len(p), rows[min(k, len(rows) - 1)])
                for p, rows in zip(parts, ladders, strict=True)
            )
        )
        for k in range(max(len(r) for r in ladders))
    ]


def _halvings(height: int) -> list[Setting]:
    """Stripes of half the rows, then half again, down to one row."""
    out = []
    r = height
    while r > 1:
        r = -(-r // 2)
        out.append(Setting(rows=r))
    return out


@dataclass(frozen=True)
class Step:
    """One point of the search: the settings, the SRAM they need (the
    measure of `tirconst.analysis.sram`, the largest over the functions),
    where that peak is, and the unit there (None: no unit near it)."""

    settings: dict[tuple[str, int], Setting]
    peak: int
    where: str
    unit: tuple[str, int] | None


def measure(
    module: ModuleOp,
    cascade: bool,
    settings: dict[tuple[str, int], Setting],
    weights: str,
    reuse_io: bool = False,
    reason: Reason = npu_reason,
) -> Step:
    """The SRAM the tiled (and, unless weights=flash, staged) program needs
    as `tir-plan-memory` places it: asked of `tirconst.analysis.tiled_sram`,
    which measures the program these settings would give without making
    it."""
    m = tiled_peak(module, cascade, settings, weights, reuse_io, reason)
    return Step(settings, m.bytes, m.where, m.unit)


def path(
    module: ModuleOp, cascade: bool, budget: int, weights: str, reuse_io: bool = False
) -> list[Step]:
    """The one search, greedy: from untiled, while the peak is over `budget`
    (0: always), move the unit at the peak one step down its ladder; stop at
    the first step that fits or when that unit has no step left. The path
    does not depend on `budget` (it only says where to stop), so every budget
    at or above a step's peak stops at or before that step."""
    reason = NpuReasons()  # each step asks the same ops again
    ladders = {
        (f.sym_name.data, i): ladder(c, weights)
        for f in functions(module)
        for i, c in enumerate(units(f, cascade, reason))
    }
    step = dict.fromkeys(ladders, 0)
    steps: list[Step] = []
    while True:
        settings = {u: ladders[u][k] for u, k in step.items()}
        steps.append(measure(module, cascade, settings, weights, reuse_io, reason))
        peak, unit = steps[-1].peak, steps[-1].unit
        if peak <= budget or unit is None or step[unit] + 1 >= len(ladders[unit]):
            return steps
        step[unit] += 1


def least(steps: list[Step]) -> Step:
    """The first step of a path that needs the least SRAM."""
    return min(steps, key=lambda s: s.peak)


def choose(
    module: ModuleOp, cascade: bool, budget: int, weights: str, reuse_io: bool = False
) -> dict[tuple[str, int], Setting]:
    """The first step of the search that fits `budget`. Fails (one line,
    naming the least SRAM the search reaches) when none does."""
    steps = path(module, cascade, budget, weights, reuse_io)
    if steps[-1].peak > budget:
        low = least(steps)
        raise PassFailedException(
            f"{NAME}: budget={budget} bytes does not fit: the least SRAM the "
            f"tiling search reaches is {low.peak} bytes ({low.peak - budget} over, "
            f"peak at {low.where})"
        )
    return steps[-1].settings


def search(
    module: ModuleOp, cascade: bool, budget: int, weights: str, reuse_io: bool = False
) -> tuple[dict[tuple[str, int], Setting], int, str]:
    """(settings, peak, where) of the first step that fits `budget`, else of
    the least SRAM the search reaches (budget=0: that least)."""
    steps = path(module, cascade, budget, weights, reuse_io)
    s = steps[-1] if steps[-1].peak <= budget else least(steps)
    return s.settings, s.peak, s.where


@dataclass(frozen=True)
class TilePass(ModulePass):
    """Split operator ops into tiles over OFM height and depth.

    Conv, depthwise, pooling (height and depth), fully connected (depth) and
    same-shape elementwise ops (height and depth) become one op per tile: the
    tile reads a `tir.decl_buffer` strided view of the whole input (its input
    window: padding stays at the top only on the first stripe and at the
    bottom only on the last) and writes a strided view of the whole output.
    A depth slice reads only its output channels' weights and bias, which
    become new constants (`tir-slice-constants`' machinery: `@w_slice<k>`),
    and its per-channel requantization (`slice_output_channels`); depthwise
    slices also view their input channels. Depth slices are multiples of 16
    (Ethos-U's OFM depth granule), the last taking the rest, so each tile can
    become one NPU op. An op the NPU cannot run (`npu_reason`) stays whole
    and outside cascades: the CPU runs the model's operator on whole tensors.

    `cascade=true` computes chains of windowed ops (each intermediate a
    workspace read only by the next op) stripe by stripe: for each stripe of
    the last op, each producer computes just the rows its consumer's window
    needs into its own small `tir.allocate` (overlap rows are recomputed), so
    the intermediate never exists whole and each stripe buffer is live only
    between its producer and consumer tiles. Chains end before an op with one
    output row (a global reduction cannot be striped). The budget search may
    cut a chain in two at its smallest intermediate (`ladder`).

    Explicit: `rows=R` output rows per stripe (for a cascade, of its last op),
    `depth=D` channels per slice (0: whole). Or `budget=B` bytes: the pass
    keeps the first tiling of its one greedy search (see `path`) whose SRAM
    fits, measured as `tir-plan-memory` places the program
    (`tirconst.analysis.sram`: workspaces, and the inputs and outputs as
    placed, live only while used with `reuse-io=true`), with weights staged
    as `weights=` says (`conv`: all but FC, as Vela; `all`; `flash`: none,
    which is also the measure to use before `tir-stage-weights{keep-peak=true}`,
    whose copies never raise it); `report=true` prints the per-unit cost
    (tiles, recomputed rows, extra weight reads). When no step fits, a
    one-line error names the least SRAM the search reaches, or with
    `soft=true` (a budget that is a target, as Vela's arena cache size: Vela
    goes over it when its schedule cannot fit) the pass keeps the tiling
    reaching that least and says so in a remark. `smallest=true`
    keeps the first tiling reaching that least, whatever the extra work;
    with `slack=P` the first within P% of it instead, which needs far fewer
    tiles (what `tirconst-compile` does without `--sram-budget`). Every
    budget at or above the SRAM of the tiling `smallest` keeps is met.
    """

    name = NAME

    rows: int = 0
    depth: int = 0
    cascade: bool = False
    budget: int = 0
    soft: bool = False
    smallest: bool = False
    slack: int = 0
    weights: str = "conv"
    reuse_io: bool = False
    report: bool = False

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if min(self.rows, self.depth, self.budget, self.slack) < 0:
            raise PassFailedException(
                f"{NAME}: rows, depth, budget and slack must be >= 0"
            )
        if self.depth % DEPTH_GRANULE:
            raise PassFailedException(
                f"{NAME}: depth={self.depth} is not a multiple of {DEPTH_GRANULE} "
                "(the Ethos-U OFM depth granule)"
            )
        if self.weights not in ("conv", "all", "flash"):
            raise PassFailedException(
                f"{NAME}: weights must be conv, all or flash, got {self.weights!r}"
            )
        if (self.budget or self.smallest) and (self.rows or self.depth):
            raise PassFailedException(
                f"{NAME}: give budget, smallest or rows/depth, not several"
            )
        if self.smallest:  # the search run to its end: the least SRAM it finds
            steps = path(op, self.cascade, 0, self.weights, self.reuse_io)
            low = least(steps).peak
            # with slack, the first tiling within slack% of it: less work
            target = low + low * self.slack // 100
            settings = next(s for s in steps if s.peak <= target).settings
        elif self.budget and self.soft:
            settings, peak, where = search(
                op, self.cascade, self.budget, self.weights, self.reuse_io
            )
            if peak > self.budget:
                print(
                    f"{NAME}: remark: budget={self.budget} bytes does not fit: "
                    f"kept the least SRAM the tiling search reaches, {peak} bytes "
                    f"(peak at {where})",
                    file=sys.stderr,
                )
        elif self.budget:
            settings = choose(
                op, self.cascade, self.budget, self.weights, self.reuse_io
            )
        else:
            s = Setting(self.rows, self.depth)
            settings = {
                (f.sym_name.data, i): s
                for f in functions(op)
                for i, _ in enumerate(units(f, self.cascade))
            }
        costs = apply_settings(op, self.cascade, settings)
        if self.report:
            for c in costs:
                print(f"{NAME}: {c.format()}", file=sys.stderr)
