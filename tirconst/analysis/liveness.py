"""Buffer liveness in program order: when each buffer of a `tir.func` is live.

Ops are numbered in a pre-order walk of the function body (the op order after
tiling and staging is the order in the IR). A buffer is a *root*: a parameter,
a `tir.allocate` or a `tir.allocate_const`; views (`tir.decl_buffer`) and
reshapes (`tir.reshape`) alias their source (`tirconst.analysis.views`), so a
use of a view is a use of its root and keeps it alive. A root is live on the
half-open interval `[start, end)`:

- a workspace from its `tir.allocate` (the flat-memory interpreter marks its
  bytes undefined there) to one past its last use;
- a use inside a `tir.for` that does not contain the root's definition
  extends the lifetime over the whole outermost such loop (later iterations
  read what earlier ones wrote);
- parameters are live for the whole function (`params="call"`, the
  default): the caller owns their bytes before and after the call, and reads
  every one back. With `params="use"` (Vela's view: inputs and outputs are
  scratch tensors) a parameter the function only reads is live from the start
  to its last use, and one it writes from its first use to the end.

The intervals feed `tirconst.planning` directly (its `Buffer` has the same
half-open convention: a buffer dying at `t` and one born at `t` may share
bytes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.ir import BlockArgument, Operation, SSAValue

from tirconst.analysis.views import is_view, root_of, stored_bytes
from tirconst.dialects.tir.buffers import AllocateConstOp, AllocateOp
from tirconst.dialects.tir.memory import Effect, operand_effects
from tirconst.dialects.tir.structure import ForOp, FuncOp
from tirconst.dialects.tir.types import BufferType


@dataclass
class Lifetime:
    """One root buffer: its value, what defines it and when it is live."""

    value: SSAValue
    kind: str
    """"param", "workspace" or "constant"."""
    start: int
    end: int
    uses: list[Operation] = field(default_factory=list)
    """Ops that use the root or a view of it, in program order."""

    @property
    def size(self) -> int:
        """Bytes as stored (an NHCWB16 feature map's channels in whole
        bricks: `views.stored_bytes`)."""
        return stored_bytes(self.value)


@dataclass
class Liveness:
    """Lifetimes of every root buffer of one function."""

    func: FuncOp
    order: dict[Operation, int]
    """Each op of the body -> its time (pre-order position)."""
    lifetimes: dict[SSAValue, Lifetime]
    """Root value -> lifetime, in order of definition."""
    end: int
    """One past the last op: the end of every parameter's life."""

    def root(self, value: SSAValue) -> SSAValue:
        return root_of(value)

    def of(self, value: SSAValue) -> Lifetime:
        return self.lifetimes[root_of(value)]


def _span(op: Operation, order: dict[Operation, int]) -> tuple[int, int]:
    """[first, last + 1) of `op` and everything nested in it."""
    last = order[op]
    for inner in op.walk():
        last = max(last, order[inner])
    return order[op], last + 1


def analyze(func: FuncOp, params: str = "call") -> Liveness:
    """The lifetime of every root buffer of `func` (`params`: see the module)."""
    if params not in ("call", "use"):
        raise ValueError(f"params must be 'call' or 'use', not {params!r}")
    order: dict[Operation, int] = {}
    for op in func.body.walk():
        order[op] = len(order)
    end = len(order)
    lifetimes: dict[SSAValue, Lifetime] = {}
    for arg in func.body.block.args:
        if isinstance(arg.type, BufferType):
            lifetimes[arg] = Lifetime(arg, "param", 0, 1)
    for op in func.body.walk():
        if isinstance(op, AllocateOp | AllocateConstOp):
            kind = "workspace" if isinstance(op, AllocateOp) else "constant"
            t = order[op]
            lifetimes[op.buffer] = Lifetime(op.buffer, kind, t, t + 1)
    for op in func.body.walk():
        if is_view(op):
            continue  # a view is not a use; the ops using the view are
        for operand in op.operands:
            if not isinstance(operand.type, BufferType):
                continue
            root = root_of(operand)
            life = lifetimes.get(root)
            if life is None:
                continue  # a buffer of an enclosing function: not ours
            lo, hi = use_extent(op, root, order)
            life.start = min(life.start, lo)
            life.end = max(life.end, hi)
            if op not in life.uses:
                life.uses.append(op)
    for arg in func.body.block.args:
        if arg in lifetimes:
            life = lifetimes[arg]
            if params == "use":
                _param_by_use(life, end, order)
            else:
                life.start, life.end = 0, max(end, 1)
    return Liveness(func, order, lifetimes, end)


def written(life: Lifetime) -> bool:
    """Whether some use may write the root (unknown effects count as writes)."""
    for op in life.uses:
        e = _effect(op, life.value)
        if e is None or e & Effect.WRITE:
            return True
    return False


def _param_by_use(life: Lifetime, end: int, order: dict[Operation, int]) -> None:
    if not life.uses:
        return
    life.start = 0
    if written(life):
        life.end = max(end, 1)
        first = life.uses[0]
        if _effect(first, life.value) == Effect.WRITE:  # overwritten before read
            life.start = use_extent(first, life.value, order)[0]


def _effect(op: Operation, root: SSAValue) -> Effect | None:
    effects = operand_effects(op)
    if effects is None:
        return None
    out = Effect(0)
    for v, e in effects:
        if root_of(v) is root:
            out |= e
    return out


def _definer(value: SSAValue) -> Operation | None:
    if isinstance(value, BlockArgument):
        return value.block.parent_op()
    owner = value.owner
    return owner if isinstance(owner, Operation) else None


def use_extent(
    use: Operation, root: SSAValue, order: dict[Operation, int]
) -> tuple[int, int]:
    """The times `use` keeps `root` live: the use itself, or the whole of the
    outermost loop around the use that does not also hold the definition."""
    definer = _definer(root)
    lo, hi = order[use], order[use] + 1
    parent = use.parent_op()
    while parent is not None and parent in order:
        if isinstance(parent, ForOp) and not (
            definer is not None and parent.is_ancestor(definer)
        ):
            lo, hi = _span(parent, order)
        parent = parent.parent_op()
    return lo, hi
