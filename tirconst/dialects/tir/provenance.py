"""Which model operator an op computes, recorded on the op (MLIR's fused
locations, as discardable attributes): the importer sets it, every pass that
rewrites an op carries it, and the backend reads it; nothing reconstructs it.

- `tflite.index` (an operator op, and each npu op lowered from it): the index
  of the model operator it computes; tiles of one operator share it.
- `tflite.part` (each npu op `convert-tir-to-npu` lowers): which of the
  operator ops computing its model operator it was lowered from (`parts`:
  0, 1, ... in program order: a tile, one of a transpose's copies). An op
  computing no model operator itself (a staged weight copy, a transpose a
  legalization added) lowers to npu ops with the provenance of the op that
  reads what it writes.
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
TFLITE_PART = "tflite.part"


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


def parts(ops: Iterable[Operation]) -> dict[Operation, int]:
    """Each of `ops` (in program order) with a `tflite.index`: which of those
    computing its model operator it is, 0, 1, ... (its `tflite.part`)."""
    seen: dict[int, int] = {}
    out: dict[Operation, int] = {}
    for op in ops:
        index = model_index(op)
        if index is not None:
            out[op] = seen.get(index, 0)
            seen[index] = out[op] + 1
    return out


def set_source(
    ops: Iterable[Operation], origin: Operation, part: int | None = None
) -> None:
    """Record on each of `ops` that it computes part `part` (None: `origin`'s
    own `tflite.part`) of `origin`'s model operator (`tflite.index`)."""
    for op in ops:
        op.attributes[TFLITE_INDEX] = origin.attributes[TFLITE_INDEX]
        if part is not None:
            op.attributes[TFLITE_PART] = IntegerAttr(part, i64)
        elif TFLITE_PART in origin.attributes:
            op.attributes[TFLITE_PART] = origin.attributes[TFLITE_PART]


def source(op: Operation) -> tuple[int, int] | None:
    """(`tflite.index`, `tflite.part` or 0): the model operator and the part
    of it `op` computes (None: no operator)."""
    index = model_index(op)
    if index is None:
        return None
    part = op.attributes.get(TFLITE_PART)
    return index, part.value.data if isinstance(part, IntegerAttr) else 0


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
