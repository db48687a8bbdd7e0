"""What the Vela-format writers take: NPU segments of an original model.

IR-independent: a segment is bytes (driver payload, flash blob) and indices
of the original model's operators and tensors, so the compile tool, a test
or a script re-packing Vela's own output can all fill it. Also the checks a
set of segments must pass, and the atomic file write every writer uses.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Region numbers the Ethos-U driver gives the custom operator's inputs.
FLASH_REGION, SCRATCH_REGION, SCRATCH_FAST_REGION = 0, 1, 2


class OutputError(ValueError):
    """The model or the segments cannot be written; names the operator or
    tensor at fault."""


@dataclass(frozen=True)
class SegmentTensor:
    """An original tensor the NPU reads or writes: `tensor` is its index in
    the original subgraph 0, `offset` its byte offset in `region`."""

    tensor: int
    region: int = SCRATCH_REGION
    offset: int = 0


@dataclass(frozen=True)
class NpuSegment:
    """Original operators run as one command stream.

    `payload` is `npu_create_driver_payload`'s bytes, `flash` the read-only
    blob (region 0), `scratch_size` the arena region (1) the stream uses;
    `scratch_fast_size` > 0 gives the fast scratch (region 2) its own tensor,
    else the scratch tensor is passed twice (as Vela's default core does)."""

    operators: frozenset[int]
    payload: bytes
    flash: bytes
    scratch_size: int
    inputs: tuple[SegmentTensor, ...]
    outputs: tuple[SegmentTensor, ...]
    scratch_fast_size: int = 0


def model_bytes(model: bytes | str | Path) -> bytes:
    return model if isinstance(model, bytes) else Path(model).read_bytes()


def _read_model(data: bytes):  # type: ignore[no-untyped-def]
    import tflite

    if data[4:8] != b"TFL3":
        raise OutputError("not a .tflite model (no TFL3 identifier)")
    model = tflite.Model.GetRootAsModel(data, 0)
    if model.SubgraphsLength() != 1:
        raise OutputError(
            f"model has {model.SubgraphsLength()} subgraphs (only 1 is supported)"
        )
    return model


def _buffer_data(data: bytes, model, index: int) -> bytes:  # type: ignore[no-untyped-def]
    buf = model.Buffers(index)
    if buf.DataLength():
        return buf.DataAsNumpy().tobytes()
    if buf.Offset() > 1:  # large models keep data past the flatbuffer
        return data[buf.Offset() : buf.Offset() + buf.Size()]
    return b""


def _ints(as_numpy, length) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(x) for x in as_numpy()] if length() else []


def _check_segments(n_ops: int, n_tensors: int, segments: Sequence[NpuSegment]) -> None:
    seen: dict[int, int] = {}
    for s, seg in enumerate(segments):
        if not seg.operators:
            raise OutputError(f"segment {s} replaces no operator")
        for i in seg.operators:
            if not 0 <= i < n_ops:
                raise OutputError(f"segment {s}: operator {i} is not in the model")
            if i in seen:
                raise OutputError(f"operator {i} is in segments {seen[i]} and {s}")
            seen[i] = s
        if not seg.payload[:4] == b"COP1":
            raise OutputError(f"segment {s}: payload is not a driver payload (COP1)")
        if seg.scratch_size < 0 or seg.scratch_fast_size < 0:
            raise OutputError(f"segment {s}: negative scratch size")
        for t in (*seg.inputs, *seg.outputs):
            if not 0 <= t.tensor < n_tensors:
                raise OutputError(f"segment {s}: tensor {t.tensor} is not in the model")
            if t.region not in (SCRATCH_REGION, SCRATCH_FAST_REGION) or t.offset < 0:
                raise OutputError(
                    f"segment {s}: tensor {t.tensor} at region {t.region} offset "
                    f"{t.offset} is not in the arena (region 1 or 2, offset >= 0)"
                )


def _check_boundaries(
    data: bytes, model, segments: Sequence[NpuSegment], owner: Mapping[int, int]
) -> None:  # type: ignore[no-untyped-def]
    """A segment declares every activation it reads from outside and every
    one it writes that is used outside (by a CPU operator, another segment
    or as a graph output)."""
    sg = model.Subgraphs(0)
    graph_out = set(_ints(sg.OutputsAsNumpy, sg.OutputsLength))
    producer: dict[int, int] = {}
    for i in range(sg.OperatorsLength()):
        for t in _ints(sg.Operators(i).OutputsAsNumpy, sg.Operators(i).OutputsLength):
            producer[t] = i
    for i in range(sg.OperatorsLength()):
        op = sg.Operators(i)
        me = owner.get(i)
        for t in _ints(op.InputsAsNumpy, op.InputsLength):
            if t < 0 or _buffer_data(data, model, sg.Tensors(t).Buffer()):
                continue
            if sg.Tensors(t).IsVariable() and t not in producer:
                continue  # an LSTM's state: the operator's own, reset each run
            src = owner.get(producer[t]) if t in producer else None
            name = sg.Tensors(t).Name().decode()
            if (
                me is not None
                and src != me
                and t not in {x.tensor for x in segments[me].inputs}
            ):
                raise OutputError(
                    f"segment {me}: operator {i} reads tensor {t} '{name}' "
                    "that is not a segment input"
                )
            if (
                src is not None
                and src != me
                and t not in {x.tensor for x in segments[src].outputs}
            ):
                raise OutputError(
                    f"segment {src}: tensor {t} '{name}' is read by operator {i} "
                    "but is not a segment output"
                )
    for t in graph_out:
        src = owner.get(producer.get(t, -1))
        if src is not None and t not in {x.tensor for x in segments[src].outputs}:
            raise OutputError(
                f"segment {src}: graph output {t} '{sg.Tensors(t).Name().decode()}' "
                "is not a segment output"
            )


def write_atomic(path: str | Path, write) -> Path:  # type: ignore[no-untyped-def]
    """Call `write(file)` on a temp file next to `path`, then rename it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def output_path(model: str | Path, out_dir: str | Path, kind: str = "tflite") -> Path:
    """`OUT/MODEL_tirconst.tflite` (or `.npz`): Vela's `MODEL_vela.*` names
    with our tool's name."""
    return (
        Path(out_dir)
        / f"{Path(model).stem}_tirconst.{'npz' if kind == 'raw' else kind}"
    )
