"""`tir-extract-constants`: move inline constant data to module-level symbols,
one symbol per distinct content."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    ModuleOp,
    SymbolRefAttr,
)
from xdsl.ir import Attribute, Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.utils.exceptions import PassFailedException

from tirconst.analysis.constant_uses import function_of, symbol_name
from tirconst.analysis.symbol_uses import rename_symbols
from tirconst.dialects.tir.buffers import AllocateConstOp, ConstantOp
from tirconst.dialects.tir.structure import FuncOp

NAME = "tir-extract-constants"

ContentKey = tuple[Attribute, tuple[int, ...], bytes]


def content_key(data: DenseIntOrFPElementsAttr) -> ContentKey:
    """Element type, shape and a digest of the bytes: equal data, equal key."""
    digest = hashlib.blake2b(data.data.data, digest_size=16).digest()
    return data.get_element_type(), tuple(data.get_shape()), digest


def same_content(a: DenseIntOrFPElementsAttr, b: DenseIntOrFPElementsAttr) -> bool:
    """Exact comparison, behind the digest (no trust in hash uniqueness)."""
    return (
        a is b
        or a.get_element_type() == b.get_element_type()
        and tuple(a.get_shape()) == tuple(b.get_shape())
        and a.data.data == b.data.data
    )


@dataclass
class ConstantTable:
    """The module's constants by content, and the names already taken."""

    module: ModuleOp
    prefix: str = ""
    by_content: dict[ContentKey, list[ConstantOp]] = field(default_factory=dict)
    symbols: dict[str, Operation] = field(default_factory=dict)
    """Symbols in the module before the pass ran."""
    created: set[str] = field(default_factory=set)
    last: Operation | None = None
    """The constant new ones go after (keeps constants first, in order)."""

    def __post_init__(self) -> None:
        for op in self.module.body.block.ops:
            name = symbol_name(op)
            if name is not None:
                self.symbols.setdefault(name, op)

    def find(
        self, data: DenseIntOrFPElementsAttr
    ) -> tuple[ConstantOp | None, ContentKey]:
        """The constant holding `data`, if any, and the key to `add` it under."""
        key = content_key(data)
        for const in self.by_content.get(key, ()):
            if same_content(const.value, data):
                return const, key
        return None, key

    def add(self, const: ConstantOp, key: ContentKey) -> None:
        self.by_content.setdefault(key, []).append(const)

    def new_name(self, holder: AllocateConstOp) -> str:
        """`<prefix><func>_<ssa name>`, made unique among the names this pass
        creates; a clash with a symbol that was already there is an error."""
        func = function_of(holder)
        fname = func.sym_name.data if func is not None else "module"
        base = f"{self.prefix}{fname}_{holder.buffer.name_hint or 'const'}"
        if base in self.symbols:
            other = self.symbols[base]
            what = (
                "a tir.constant with different data"
                if isinstance(other, ConstantOp)
                else f"a '{other.name}'"
            )
            raise PassFailedException(
                f"{NAME}: constant %{holder.buffer.name_hint or '?'} in @{fname} "
                f"would be @{base}, but the module already has {what} of that "
                "name (rename it, or set prefix=)"
            )
        name, k = base, 0
        while name in self.created or name in self.symbols:
            k += 1
            name = f"{base}_{k}"
        self.created.add(name)
        return name


@dataclass
class ExtractConstant(RewritePattern):
    """Make an inline `allocate_const` reference a module constant with its
    data: an existing one with the same content, or a new one."""

    table: ConstantTable

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: AllocateConstOp, rewriter: PatternRewriter) -> None:
        if op.value is None:
            return
        const, key = self.table.find(op.value)
        if const is None:
            # The attribute is shared, not copied: attributes are immutable.
            const = ConstantOp(self.table.new_name(op), op.value)
            where = (
                InsertPoint.after(self.table.last)
                if self.table.last is not None
                else InsertPoint.at_start(self.table.module.body.block)
            )
            rewriter.insert(const, where)
            self.table.last = const
            self.table.add(const, key)
        # In place: creating and replacing thousands of ops costs more.
        op.value = None
        op.symbol = SymbolRefAttr(const.sym_name)
        rewriter.notify_op_modified(op)


def merge_duplicate_constants(module: ModuleOp, table: ConstantTable) -> None:
    """Index the module's constants; a later one with the content of an earlier
    one is erased and its references renamed (the data is kept once)."""
    renamed: dict[str, str] = {}
    for op in list(module.body.block.ops):
        if not isinstance(op, ConstantOp):
            continue
        first, key = table.find(op.value)
        if first is None:
            table.add(op, key)
        elif first.placement != op.placement:
            continue  # the same bytes in two places are two constants
        else:
            renamed[op.sym_name.data] = first.sym_name.data
            table.symbols.pop(op.sym_name.data, None)
            Rewriter.erase_op(op)
    if renamed:
        rename_symbols(module, renamed)


@dataclass(frozen=True)
class ExtractConstantsPass(ModulePass):
    """Move inline constant data into module-level `tir.constant` symbols.

    Functions then only reference the data (`tir.allocate_const @name`), which
    is what a runtime or a memory planner wants: one copy of each weight in
    the module, placed once. Constants are deduplicated across all functions
    by content (element type, shape and bytes: a hash first, then an exact
    comparison), including constants already in the module; references to a
    duplicate module constant are renamed to the first. A new constant is
    named `<prefix><function>_<ssa name>`; if that name is already a symbol
    of the module, the pass stops with an error rather than rename silently.
    """

    name = NAME

    prefix: str = ""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        # Each module is a symbol table of its own: a nested module's
        # functions get constants in that module, not in the outer one.
        for module in [m for m in op.walk() if isinstance(m, ModuleOp)]:
            table = ConstantTable(module, self.prefix)
            merge_duplicate_constants(module, table)
            for const in module.body.block.ops:
                if isinstance(const, ConstantOp):
                    table.last = const
            walker = PatternRewriteWalker(
                ExtractConstant(table), apply_recursively=False
            )
            for func in [f for f in module.body.block.ops if isinstance(f, FuncOp)]:
                walker.rewrite_region(func.body)
