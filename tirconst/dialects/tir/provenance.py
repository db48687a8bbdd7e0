"""Which model operator an op computes, recorded on the op (MLIR's fused
locations, as discardable attributes): the importer sets it, every pass that
rewrites an op carries it, and the backend reads it; nothing reconstructs it.

- `tflite.index` (an operator op, and each npu op lowered from it): the index
  of the model operator it computes; tiles of one operator share it.
- `tflite.fused` (an operator op): the model operators folded into it by a
  rewrite that erased them (a PAD folded into the next convolution).
- `tflite.name`: the name of the model tensor an operator op writes.
- `tflite.operators` (an `npu.invoke`): the model operators its command
  stream replaces, sorted.
"""

from __future__ import annotations

from collections.abc import Iterable

from xdsl.dialects.builtin import DenseArrayBase, IntegerAttr, StringAttr, i64
from xdsl.ir import Operation

TFLITE_INDEX = "tflite.index"
TFLITE_FUSED = "tflite.fused"
TFLITE_NAME = "tflite.name"
TFLITE_OPERATORS = "tflite.operators"


def model_operators(op: Operation) -> set[int]:
    """The model operators `op` computes: its `tflite.index` (or, on an
    `npu.invoke`, its `tflite.operators`) and what was fused into it."""
    out: set[int] = set()
    index = op.attributes.get(TFLITE_INDEX)
    if isinstance(index, IntegerAttr):
        out.add(index.value.data)
    for key in (TFLITE_FUSED, TFLITE_OPERATORS):
        found = op.attributes.get(key)
        if isinstance(found, DenseArrayBase):
            out.update(int(k) for k in found.get_values())
    return out


def model_index(op: Operation) -> int | None:
    """The op's `tflite.index`: the model operator it computes (None: none)."""
    index = op.attributes.get(TFLITE_INDEX)
    return index.value.data if isinstance(index, IntegerAttr) else None


def fused_operators(op: Operation) -> list[int]:
    """The op's `tflite.fused`: the model operators folded into it."""
    found = op.attributes.get(TFLITE_FUSED)
    return (
        [int(k) for k in found.get_values()]
        if isinstance(found, DenseArrayBase)
        else []
    )


def tensor_name(op: Operation) -> str | None:
    """The op's `tflite.name`: the model tensor it writes (None: unnamed)."""
    name = op.attributes.get(TFLITE_NAME)
    return name.data if isinstance(name, StringAttr) else None


def fuse_into(target: Operation, erased: Operation) -> None:
    """Record on `target` that it now also computes `erased`'s model
    operators (call before erasing `erased`)."""
    fused = (model_operators(target) | model_operators(erased)) - _own(target)
    if fused:
        target.attributes[TFLITE_FUSED] = DenseArrayBase.from_list(i64, sorted(fused))


def set_operators(invoke: Operation, ops: Iterable[Operation]) -> None:
    """Record on `invoke` every model operator `ops` compute."""
    found = set().union(*(model_operators(o) for o in ops))
    if found:
        invoke.attributes[TFLITE_OPERATORS] = DenseArrayBase.from_list(
            i64, sorted(found)
        )


def _own(op: Operation) -> set[int]:
    index = op.attributes.get(TFLITE_INDEX)
    return {index.value.data} if isinstance(index, IntegerAttr) else set()
