"""`tir-inline-constants`: give each reference to a module constant its own
inline copy of the data (the inverse of `tir-extract-constants`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects.builtin import (
    ModuleOp,
)
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import Rewriter
from xdsl.utils.exceptions import PassFailedException

from tirconst.analysis.symbol_uses import referenced_symbols
from tirconst.dialects.tir.buffers import AllocateConstOp, ConstantOp

NAME = "tir-inline-constants"


@dataclass
class InlineConstant(RewritePattern):
    """`allocate_const @w` -> `allocate_const dense<...>` with @w's data."""

    inlined: set[str] = field(default_factory=set)

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: AllocateConstOp, rewriter: PatternRewriter) -> None:
        if op.symbol is None:
            return
        const = op.constant_op()
        if const is None:
            raise PassFailedException(
                f"{NAME}: {op.symbol} does not name a tir.constant"
            )
        # Shares the immutable attribute: the copy is made only when printed.
        # In place: creating and replacing thousands of ops costs more.
        op.value = const.value
        op.symbol = None
        if op.placement is None:  # the data stays where the constant was
            op.placement = const.placement
        rewriter.notify_op_modified(op)
        self.inlined.add(const.sym_name.data)


def erase_unreferenced(module: ModuleOp, names: set[str]) -> list[str]:
    """Erase the module constants among `names` that nothing references."""
    still = referenced_symbols(module)
    erased = []
    for op in list(module.body.block.ops):
        if isinstance(op, ConstantOp) and op.sym_name.data in names:
            if op.sym_name.data not in still:
                erased.append(op.sym_name.data)
                Rewriter.erase_op(op)
    return erased


@dataclass(frozen=True)
class InlineConstantsPass(ModulePass):
    """Inline module constants into every `tir.allocate_const` that names one.

    Each reference gets its own inline copy of the data, so a function can be
    moved, sliced or compressed on its own. A placed constant's placement
    goes with its data. Constants that were referenced
    before and no longer are, are removed; constants that nothing referenced
    to begin with are left as they are.
    """

    name = NAME

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        pattern = InlineConstant()
        PatternRewriteWalker(pattern, apply_recursively=False).rewrite_module(op)
        erase_unreferenced(op, pattern.inlined)
