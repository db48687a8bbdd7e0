"""`tir-plan-memory`: place every buffer of every `tir.func` in a pool
(static memory planning, TVM's Unified Static Memory Planner, RFC 0009).

What it rewrites and why: the program already says when each buffer is live
(`tirconst.analysis.liveness`; the problem is built by `tirconst.analysis.sram`,
whose measure tiling and staging use), so the pass hands those lifetimes to the
planner (`tirconst.planning`) and writes the result into the IR, where the
flat-memory interpreter, the verifier and the backend read it:

- workspaces (`tir.allocate`, staged weight copies included) and, with
  `place-io=true` (the default, as Vela does), the parameters go to the
  read-write pools; each `tir.allocate` gets `placement`, the function
  `param_placement`, and `pool_sizes` records each pool's peak;
- constants (`tir.constant`, and `tir.allocate_const` with inline data) are
  packed into the read-only pool in module order, each aligned;
- with `in-place=true`, an elementwise op (`tir.add/sub/mul`, `requantize`,
  `quantize`, `logistic`) whose output has its input's type, and whose input
  dies there, may write over the input: the planner may overlap the two, and
  where it does the output's `tir.allocate` becomes a `tir.decl_buffer` view
  of the input, so the IR says the bytes are shared.

Pools come from the module's `tir.pool` ops; a module that declares none
gets `tir.pool @sram [size sram-size] alignment sram-alignment` and
`tir.pool @flash read_only alignment sram-alignment`. With `cache-size`
(Vela's arena cache size, for a system whose arena is not its SRAM:
`Dedicated_Sram`) it gets `tir.pool @arena` (unbounded, the arena) and
`tir.pool @sram [size cache-size]` (the cache) instead, in that order
(regions 1 and 2 of the command stream: Vela's scratch and fast scratch):
the tensors the model's runtime hands over (the parameters, what ops
that stay on the CPU read or write, and what is used on both sides of
such an op, passed from one NPU segment to a later one:
`analysis.sram.handed_over`) go to the arena, every other buffer to the
cache where it fits, else the arena. A module that declares pools but no
read-only one gets the flash pool added. Every plan passes the
planner's independent checker; a pool over capacity is a one-line error with
the peak, the lower bound and the largest buffers live at the peak.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import DictionaryAttr, IntegerAttr, ModuleOp
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter
from xdsl.utils.exceptions import PassFailedException

from tirconst.analysis.liveness import Liveness
from tirconst.analysis.sram import problem
from tirconst.dialects.tir.buffers import (
    AllocateConstOp,
    AllocateOp,
    ConstantOp,
    DeclBufferOp,
)
from tirconst.dialects.tir.memory import PlacementAttr, PoolOp
from tirconst.dialects.tir.structure import CallExternOp, FuncOp
from tirconst.dialects.tir.types import BufferType
from tirconst.planning import (
    ALGORITHMS,
    Buffer,
    Plan,
    PlanningError,
    Pool,
    format_pool_table,
    pack_constants,
    plan,
    plan_svg,
)

NAME = "tir-plan-memory"
ARENA, CACHE = "arena", "sram"
"""The pools `cache-size` declares: the arena, and the cache in SRAM."""


@dataclass(frozen=True)
class PlanMemoryPass(ModulePass):
    """Place workspaces, parameters and constants in pools (see the module doc).

    Options: `sram-size` (bytes of the default `sram` pool; none: unbounded),
    `cache-size` (the default pools are an arena and a cache of this many
    bytes, see the module doc),
    `sram-alignment` (16), `flash-pool` (the read-only pool for constants;
    default: the first declared, else a new `flash`), `pools` (a list of
    read-write pools buffers may use, in order of preference; default: all
    declared), `algorithm` (`exact` or a greedy baseline), `time-limit`
    (seconds for `exact`), `place-io`, `reuse-io` (parameters live only while
    used: an input's bytes are reused after its last read, an output's are
    free before its first write, as in Vela; the caller must not expect its
    inputs intact), `in-place`, `plot` (write the plan as SVG) and `report`
    (print the per-pool table on stderr).
    """

    name = "tir-plan-memory"

    sram_size: int | None = None
    cache_size: int | None = None
    sram_alignment: int = 16
    flash_pool: str | None = None
    pools: tuple[str, ...] = ()
    algorithm: str = "exact"
    time_limit: int | float = 60
    place_io: bool = True
    reuse_io: bool = False
    in_place: bool = True
    plot: str | None = None
    report: bool = False

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        self.run(op)

    def run(self, op: ModuleOp) -> dict[str, Plan]:
        """Plan `op` in place; function name -> its plan (for tools, benches)."""
        self._check_options()
        plans: dict[str, Plan] = {}
        rw, flash = self._pools(op)
        constants = self._place_constants(op, flash)
        funcs = [f for f in op.ops if isinstance(f, FuncOp)]
        _refuse_calls(funcs)
        svgs: list[str] = []
        for func in funcs:
            p = self._plan_function(func, rw, constants)
            plans[func.sym_name.data] = p
            svgs.append(plan_svg(p))
            if self.report:
                print(f"@{func.sym_name.data}: {p.summary()}", file=sys.stderr)
                print(format_pool_table(p.pools), file=sys.stderr)
        if self.plot and svgs:
            _write_atomically(self.plot, svgs[0] if len(svgs) == 1 else _stack(svgs))
        return plans

    # -- options and pools -------------------------------------------------------

    def _check_options(self) -> None:
        if self.algorithm.replace("-", "_") not in ALGORITHMS:
            raise PassFailedException(
                f"{NAME}: unknown algorithm {self.algorithm!r} (one of "
                f"{', '.join(sorted(ALGORITHMS))})"
            )
        a = self.sram_alignment
        if a < 1 or a & (a - 1):
            raise PassFailedException(
                f"{NAME}: sram-alignment {a} is not a power of two"
            )
        if self.sram_size is not None and self.sram_size < 0:
            raise PassFailedException(f"{NAME}: sram-size {self.sram_size} is negative")
        if self.cache_size is not None and self.cache_size < 0:
            raise PassFailedException(
                f"{NAME}: cache-size {self.cache_size} is negative"
            )
        if self.cache_size is not None and (self.sram_size is not None or self.pools):
            raise PassFailedException(
                f"{NAME}: cache-size declares the pools: give no sram-size or pools"
            )
        if self.time_limit <= 0:
            raise PassFailedException(f"{NAME}: time-limit must be positive")

    def _pools(self, module: ModuleOp) -> tuple[list[PoolOp], PoolOp]:
        declared = [p for p in module.ops if isinstance(p, PoolOp)]
        by_name = {p.sym_name.data: p for p in declared}
        if not declared:
            align = self.sram_alignment
            declared = [PoolOp("sram", self.sram_size, align)]
            if self.cache_size is not None:
                declared = [
                    PoolOp(ARENA, None, align),
                    PoolOp(CACHE, self.cache_size, align),
                ]
            for pool in reversed(declared):
                _prepend(module, pool)
            by_name = {p.sym_name.data: p for p in declared}
        elif self.sram_size is not None or self.cache_size is not None:
            given = "sram-size" if self.sram_size is not None else "cache-size"
            raise PassFailedException(
                f"{NAME}: {given} applies only to the pool the pass creates; "
                "the module declares its pools (give them a size)"
            )
        if self.pools:
            rw = []
            for n in (s.strip() for p in self.pools for s in p.split(",")):
                pool = by_name.get(n)
                if pool is None:
                    raise PassFailedException(_no_pool(n, by_name))
                if pool.read_only is not None:
                    raise PassFailedException(
                        f"{NAME}: pool '@{n}' is read-only; buffers need a "
                        "read-write pool"
                    )
                rw.append(pool)
        else:
            rw = [p for p in declared if p.read_only is None]
        if not rw:
            raise PassFailedException(
                f"{NAME}: the module declares no read-write tir.pool"
            )
        if self.flash_pool is not None:
            flash = by_name.get(self.flash_pool)
            if flash is None:
                raise PassFailedException(_no_pool(self.flash_pool, by_name))
            if flash.read_only is None:
                raise PassFailedException(
                    f"{NAME}: flash-pool '@{self.flash_pool}' is not read_only"
                )
        else:
            flash = next((p for p in declared if p.read_only is not None), None)
            if flash is None:
                flash = PoolOp("flash", None, self.sram_alignment, read_only=True)
                Rewriter.insert_op(flash, _after(rw[-1]))
        return rw, flash

    # -- constants ---------------------------------------------------------------

    def _place_constants(self, module: ModuleOp, flash: PoolOp) -> dict[str, int]:
        """Pack the constants; {flash pool: bytes used} (empty: no constants)."""
        items: list[tuple[str, int, ConstantOp | AllocateConstOp]] = []
        walked = list(module.walk())
        first_use: dict[str, int] = {}  # constant -> first allocate_const naming it
        for i, o in enumerate(walked):
            if isinstance(o, ConstantOp):
                items.append((f"@{o.sym_name.data}", o.data.nbytes, o))
            elif isinstance(o, AllocateConstOp):
                if o.symbol is None:
                    items.append((f"%{o.buffer.name_hint}#{len(items)}", _nbytes(o), o))
                    first_use[items[-1][0]] = i
                else:
                    o.placement = None  # where its constant is
                    first_use.setdefault(f"@{o.symbol.root_reference.data}", i)
        if not items:
            return {}
        # In order of first use (unused ones last): what the program reads
        # last, such as a CPU op's table after the NPU's weights, ends the
        # flash image.
        items.sort(key=lambda it: first_use.get(it[0], len(walked)))
        name = flash.sym_name.data
        try:
            packing = pack_constants(
                [(k, n) for k, n, _ in items],
                alignment=max(flash.align, self.sram_alignment),
                capacity=flash.size_bytes,
                pool=name,
            )
        except PlanningError as e:
            raise PassFailedException(f"{NAME}: {e}") from None
        for key, _, o in items:
            o.placement = PlacementAttr(name, packing.offsets[key])
        return {name: packing.size}

    # -- workspaces and parameters ----------------------------------------------

    def _plan_function(
        self, func: FuncOp, rw: list[PoolOp], constants: dict[str, int]
    ) -> Plan:
        _sink_allocations(func)
        pool_names = tuple(p.sym_name.data for p in rw)
        io_pools = None
        if self.cache_size is not None:  # the cache first, the arena for the rest
            pool_names, io_pools = (CACHE, ARENA), (ARENA,)
        prob = problem(
            func, self.reuse_io, self.place_io, self.in_place, pool_names, io_pools
        )
        live, ids, shares = prob.live, prob.ids, prob.shares
        buffers = _compress_time(prob.buffers)
        pools = [Pool(p.sym_name.data, p.size_bytes, p.align) for p in rw]
        try:
            result = plan(
                buffers,
                algorithm=self.algorithm.replace("-", "_"),
                time_limit=self.time_limit,
                pools=pools,
                shares=shares,
            )
        except PlanningError as e:
            raise PassFailedException(f"{NAME}: @{func.sym_name.data}: {e}") from None
        over = result.over_capacity()
        if over:
            raise PassFailedException(f"{NAME}: @{func.sym_name.data}: {over[0]}")
        self._write(func, live, ids, result, constants)
        return result

    def _write(
        self,
        func: FuncOp,
        live: Liveness,
        ids: dict[SSAValue, str],
        p: Plan,
        constants: dict[str, int],
    ) -> None:
        by_id = {i: v for v, i in ids.items()}
        shared = {b: a for a, b in p.shared}
        params: dict[str, PlacementAttr] = {}
        replaced: dict[SSAValue, SSAValue] = {}
        for value in live.lifetimes:  # program order: a shared input first
            bid = ids[value]
            if bid not in p.offsets:
                continue
            offset = p.offsets[bid]
            placement = PlacementAttr(p.assignment[bid], offset)
            life = live.lifetimes[value]
            if life.kind == "param":
                params[func.names[func.args.index(value)]] = placement
                continue
            owner = value.owner
            assert isinstance(owner, AllocateOp)
            if bid in shared:
                source = by_id[shared[bid]]
                replaced[value] = _alias(owner, replaced.get(source, source))
            else:
                owner.placement = placement
        func.param_placement = DictionaryAttr(params) if params else None
        used = {r.name: r.peak for r in p.pools if r.buffers} | constants
        func.pool_sizes = (
            DictionaryAttr({k: IntegerAttr(v, 64) for k, v in used.items()})
            if used
            else None
        )


def _compress_time(buffers: list[Buffer]) -> list[Buffer]:
    """Renumber time by the distinct lifetime end points (steps): the same
    overlaps, so the same plans, and a plot whose time axis is not mostly ops
    that touch no buffer."""
    rank = {
        t: k
        for k, t in enumerate(sorted({t for b in buffers for t in (b.start, b.end)}))
    }
    return [
        Buffer(b.id, rank[b.start], rank[b.end], b.size, b.alignment, b.pools)
        for b in buffers
    ]


def _sink_allocations(func: FuncOp) -> None:
    """Move each `tir.allocate` to just before the first op of its block that
    uses it: a workspace is live from its allocation (where the flat-memory
    interpreter marks its bytes undefined), so hoisted allocations would all
    be live at once."""
    for alloc in [o for o in func.walk() if isinstance(o, AllocateOp)]:
        block = alloc.parent_block()
        assert block is not None
        users = set()
        for use in alloc.buffer.uses:
            user = block.find_ancestor_op_in_block(use.operation)
            if user is not None:
                users.add(user)
        if not users:
            continue
        first = next(o for o in block.ops if o in users)
        if first is not alloc.next_op:
            alloc.detach()
            block.insert_op_before(alloc, first)


def _alias(alloc: AllocateOp, source: SSAValue) -> SSAValue:
    """Replace the output's allocation by a view of the input it overwrites."""
    view = DeclBufferOp(source, 0, alloc.buffer.type)  # type: ignore[arg-type]
    view.view.name_hint = alloc.buffer.name_hint
    Rewriter.replace_op(alloc, view)
    return view.view


def _refuse_calls(funcs: list[FuncOp]) -> None:
    """A function called by another would share its caller's pools while the
    caller's buffers are live; planning across calls is not done."""
    names = {f.sym_name.data for f in funcs}
    for f in funcs:
        for o in f.walk():
            if isinstance(o, CallExternOp) and o.callee.data in names:
                raise PassFailedException(
                    f"{NAME}: @{f.sym_name.data} calls @{o.callee.data}; planning "
                    "across calls is not supported (inline the callee first)"
                )


def _nbytes(o: AllocateConstOp) -> int:
    t = o.buffer.type
    assert isinstance(t, BufferType)
    return t.size_in_bytes


def _no_pool(name: str, by_name: dict[str, PoolOp]) -> str:
    have = ", ".join("@" + n for n in by_name) or "none"
    return f"{NAME}: no tir.pool '@{name}' in the module (it declares {have})"


def _prepend(module: ModuleOp, op: Operation) -> None:
    block: Block = module.body.block
    first = block.first_op
    if first is None:
        block.add_op(op)
    else:
        block.insert_op_before(op, first)


def _after(op: Operation):
    from xdsl.rewriter import InsertPoint

    return InsertPoint.after(op)


def _stack(svgs: list[str]) -> str:
    """Several functions' plans, one below the other, in one SVG."""
    import re

    parts, y, width = [], 0, 0
    for s in svgs:
        m = re.search(r'width="(\d+)" height="(\d+)"', s)
        assert m is not None
        w, h = int(m.group(1)), int(m.group(2))
        body = s.split("\n", 1)[1]
        parts.append(f'<g transform="translate(0,{y})">{body}</g>')
        y, width = y + h, max(width, w)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}">'
    )
    return head + "\n".join(parts) + "</svg>\n"


def _write_atomically(path: str, text: str) -> None:
    """Write `path` via a temporary file in the same directory and a rename."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".plot-", dir=directory)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as e:
        raise PassFailedException(f"{NAME}: cannot write {path!r}: {e}") from None
