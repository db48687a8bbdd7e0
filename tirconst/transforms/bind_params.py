"""`tir-bind-params`: turn function parameters into constants from a file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ArrayAttr, ModuleOp, StringAttr
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint
from xdsl.utils.exceptions import PassFailedException

from tirconst.analysis.constant_uses import writers_of
from tirconst.dialects.tir.buffers import AllocateConstOp
from tirconst.dialects.tir.constant_data import dense_from_numpy
from tirconst.dialects.tir.structure import FuncOp
from tirconst.dialects.tir.types import BufferType, element_type_of

NAME = "tir-bind-params"


def load_params(path: str, param: str | None = None) -> dict[str, np.ndarray]:
    """Name -> array from an `.npz`, or from an `.npy` named by `param` (default:
    the file's stem). Raises PassFailedException if the file cannot be read."""
    if not path:
        raise PassFailedException(f"{NAME}: needs file=PATH (an .npz or .npy)")
    try:
        loaded = np.load(path, allow_pickle=False)
    except Exception as e:  # numpy raises many kinds for bad files
        raise PassFailedException(f"{NAME}: cannot read {path!r}: {e}") from None
    if isinstance(loaded, np.ndarray):
        name = param or os.path.splitext(os.path.basename(path))[0]
        return {name: loaded}
    if param is not None:
        raise PassFailedException(f"{NAME}: param= is for an .npy; {path!r} is an .npz")
    try:
        with loaded:
            arrays = {k: loaded[k] for k in loaded.files}
    except Exception as e:
        raise PassFailedException(f"{NAME}: cannot read {path!r}: {e}") from None
    if not arrays:
        # Binding nothing is never what was meant: say so instead of a no-op.
        raise PassFailedException(f"{NAME}: {path!r} holds no arrays")
    return arrays


def check_binding(func: FuncOp, name: str, array: np.ndarray, source: str) -> None:
    """Raise PassFailedException unless `array` fits parameter `name` exactly."""
    bt = func.param(name).type
    assert isinstance(bt, BufferType)
    where = f"@{func.sym_name.data} parameter {name!r} is {bt}"
    try:
        element_type_of(array.dtype)
    except ValueError:
        raise PassFailedException(
            f"{NAME}: {where}, but {source} holds {array.dtype}, which is not a TIR "
            "dtype"
        ) from None
    if array.dtype != bt.dtype:
        raise PassFailedException(
            f"{NAME}: {where} ({bt.dtype}), but {source} holds {array.dtype} "
            "(no implicit conversion)"
        )
    if tuple(array.shape) != bt.get_shape():
        raise PassFailedException(
            f"{NAME}: {where}, but {source} has shape {list(array.shape)}"
        )
    writers = writers_of(func.param(name))
    if writers:
        raise PassFailedException(
            f"{NAME}: @{func.sym_name.data} parameter {name!r} is written by "
            f"'{writers[0].name}'; only parameters the function reads can be bound"
        )


@dataclass
class BindFuncParams(RewritePattern):
    """Replace the parameters of a function named in `params` by an
    `allocate_const` of the data; drop a bound parameter nothing uses."""

    params: Mapping[str, np.ndarray]
    only: str | None = None
    """Bind in this function only."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: FuncOp, rewriter: PatternRewriter) -> None:
        if self.only is not None and op.sym_name.data != self.only:
            return
        bound = [n for n in op.names if n in self.params]
        if not bound:
            return
        block = op.body.block
        where = InsertPoint.at_start(block)
        for name in bound:
            arg = op.param(name)
            if arg.uses:
                bt = arg.type
                assert isinstance(bt, BufferType)
                const = AllocateConstOp(dense_from_numpy(self.params[name]), bt, name)
                rewriter.insert(const, where)
                where = InsertPoint.after(const)
                rewriter.replace_all_uses_with(arg, const.buffer)
            kept = [n for n in op.names if n != name]
            rewriter.erase_block_argument(arg)
            op.param_names = ArrayAttr(StringAttr(n) for n in kept)
        rewriter.notify_op_modified(op)


@dataclass(frozen=True)
class BindParamsPass(ModulePass):
    """Bind parameters to data, as TVM's BindParams did.

    Every parameter whose name is a key of the `.npz` at `file` (or, for an
    `.npy`, the name `param`, by default the file's stem) becomes a
    `tir.allocate_const` of that data at the top of the function, so later
    passes see the weights as constants. Restricted to `@func` if given.
    Parameters nothing reads are dropped. The data must match the parameter's
    dtype and shape exactly; a key that names no parameter is an error, so no
    data is ignored silently.
    """

    name = NAME

    file: str = ""
    func: str | None = None
    param: str | None = None

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        params = load_params(self.file, self.param)
        funcs = [f for f in op.walk() if isinstance(f, FuncOp)]
        if self.func is not None:
            funcs = [f for f in funcs if f.sym_name.data == self.func]
            if not funcs:
                raise PassFailedException(
                    f"{NAME}: no tir.func @{self.func} in the module"
                )
        source = os.path.basename(self.file)
        matched: set[str] = set()
        for f in funcs:
            for name in f.names:
                if name in params:
                    check_binding(f, name, params[name], f"{source}[{name!r}]")
                    matched.add(name)
        unmatched = [k for k in params if k not in matched]
        if unmatched:
            scope = f"@{self.func}" if self.func is not None else "any tir.func"
            have = sorted({n for f in funcs for n in f.names})
            raise PassFailedException(
                f"{NAME}: {', '.join(map(repr, unmatched))} in {source} matches no "
                f"parameter of {scope} (parameters: {', '.join(have) or 'none'})"
            )
        PatternRewriteWalker(
            BindFuncParams(params, self.func), apply_recursively=False
        ).rewrite_module(op)
