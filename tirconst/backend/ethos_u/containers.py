"""The files an Ethos-U command stream comes in, read back.

- A driver payload (`ethosu.vela.api.npu_create_driver_payload`): "COP1",
  driver-action tags (config, NOPs, register reads, SHRAM dump), the
  command-stream tag with the stream's length in words, then the words, all
  little-endian 32-bit.
- A raw `.npz` (`vela --output-format raw`, both cores): `cmd_data` (the
  payload), `weight_data` (the flash blob, region `weight_region`), scratch
  sizes and regions, input/output shapes, regions and offsets.
- A `.tflite` with an `ethos-u` custom operator (Vela's `MODEL_vela.tflite`):
  inputs payload, flash blob, scratch, fast scratch, then the operator's
  feature maps; offsets in the arena come from `OfflineMemoryAllocation`.
"""

from __future__ import annotations

import contextlib
import io
import struct
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from ethosu.vela.api import NpuAccelerator, npu_create_driver_payload

from tirconst.backend.ethos_u.commands import StreamError
from tirconst.formats.tflite import (
    TFLiteImportError,
    TFLiteModel,
    TFLiteOperator,
    read_tflite_bytes,
)

_MAGIC = b"COP1"
# Driver-action tag ids (bits 0-7 of a tag word; bits 8-15 extend a length,
# bits 16-31 are the parameter), as the driver reads them.
# TFLite tensor type -> element size (FLOAT32, FLOAT16, INT32, UINT8, INT64,
# INT16, INT8).
_TAG_CONFIG, _TAG_CMDSTREAM, _TAG_READAPB, _TAG_DUMPSHRAM, _TAG_NOP = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class TensorPlacement:
    """Where a network input or output lives for the NPU."""

    name: str
    shape: tuple[int, ...]
    elem_size: int
    region: int | None
    offset: int | None


@dataclass
class StreamFile:
    """A command stream and what its container says about the memory.

    `words` are the command words (no payload header); `region_sizes` maps
    a region to its declared size in bytes (0: the flash blob, 1: scratch,
    2: fast scratch); `accelerator` is read from the payload's config word
    when it names exactly one configuration; `operator` is the custom
    operator's index when read from a `.tflite`."""

    kind: str
    words: np.ndarray
    words_offset: int  # word offset of the stream inside the payload
    flash: bytes = b""
    region_sizes: dict[int, int] = field(default_factory=dict)
    inputs: list[TensorPlacement] = field(default_factory=list)
    outputs: list[TensorPlacement] = field(default_factory=list)
    config_word: int | None = None
    id_word: int | None = None
    accelerator: NpuAccelerator | None = None
    operator: int | None = None  # the ethos-u operator's index in a .tflite


@cache
def _config_words() -> dict[int, list[NpuAccelerator]]:
    """Config word -> accelerators, from the payloads the package writes."""
    table: dict[int, list[NpuAccelerator]] = {}
    for acc in NpuAccelerator:
        # The package prints a system-config warning on stdout: keep it out.
        with contextlib.redirect_stdout(io.StringIO()):
            head = npu_create_driver_payload([], acc)
        table.setdefault(struct.unpack_from("<I", head, 8)[0], []).append(acc)
    return table


def accelerator_of(config_word: int) -> NpuAccelerator | None:
    """The accelerator a payload config word describes (None if ambiguous)."""
    accs = _config_words().get(config_word, [])
    return accs[0] if len(accs) == 1 else None


def read_payload(data: bytes, kind: str = "payload") -> StreamFile:
    """Parse a driver payload; StreamError names the word offset."""
    if len(data) % 4:
        raise StreamError(
            f"payload size {len(data)} is not a multiple of 4",
            len(data) // 4,
            "payload",
        )
    if data[:4] != _MAGIC:
        raise StreamError(
            f"bad payload header {data[:4]!r} (expected b'COP1')", 0, "payload"
        )
    words = np.frombuffer(data, dtype="<u4")
    n = len(words)
    i = 1
    config = ident = None
    while i < n:
        tag = int(words[i])
        tid, high, param = tag & 0xFF, (tag >> 8) & 0xFF, tag >> 16
        if tid == _TAG_CONFIG:
            if i + 2 >= n:
                raise StreamError("config tag truncated", i, "payload")
            config, ident = int(words[i + 1]), int(words[i + 2])
            i += 3
        elif tid == _TAG_NOP or tid == _TAG_DUMPSHRAM:
            i += 1
        elif tid == _TAG_READAPB:
            i += 1
        elif tid == _TAG_CMDSTREAM:
            length = param | (high << 16)
            start = i + 1
            if start + length > n:
                raise StreamError(
                    f"command stream of {length} words truncated to {n - start}",
                    n,
                    "payload",
                )
            stream = StreamFile(
                kind,
                words[start : start + length].astype(np.uint32),
                start,
                config_word=config,
                id_word=ident,
            )
            if config is not None:
                stream.accelerator = accelerator_of(config)
            return stream
        else:
            raise StreamError(f"unknown driver action tag 0x{tag:08x}", i, "payload")
    raise StreamError("payload has no command stream", n, "payload")


def _npz_bytes(arrays: np.lib.npyio.NpzFile, key: str) -> bytes:
    # Vela's legacy core writes uint8 arrays, regor a 0-d bytes array:
    # tobytes() keeps trailing NULs that bytes(...) of a np.bytes_ drops.
    return np.asarray(arrays[key]).tobytes()


def _npz_int(arrays: np.lib.npyio.NpzFile, key: str, default: int = 0) -> int:
    if key not in arrays.files:
        return default
    return int(np.asarray(arrays[key]).reshape(-1)[0])


def _placements(arrays: np.lib.npyio.NpzFile, prefix: str) -> list[TensorPlacement]:
    if f"{prefix}_shape" not in arrays.files:
        return []
    shapes = np.asarray(arrays[f"{prefix}_shape"])
    out = []
    for k in range(shapes.shape[0] if shapes.ndim == 2 else 0):
        out.append(
            TensorPlacement(
                f"{prefix}{k}",
                tuple(int(d) for d in shapes[k]),
                int(np.asarray(arrays[f"{prefix}_elem_size"]).reshape(-1)[k]),
                int(np.asarray(arrays[f"{prefix}_region"]).reshape(-1)[k]),
                int(np.asarray(arrays[f"{prefix}_offset"]).reshape(-1)[k]),
            )
        )
    return out


def read_npz(path: str | Path) -> StreamFile:
    """Read Vela's `--output-format raw` file (object arrays are never
    unpickled: the quantization entries are not needed)."""
    try:
        arrays = np.load(path, allow_pickle=False)
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as e:
        raise StreamError(f"not a readable .npz: {e}") from None
    with arrays:
        for key in ("cmd_data", "weight_data"):
            if key not in arrays.files:
                raise StreamError(f".npz has no '{key}' array (not a Vela raw output)")
        try:
            stream = read_payload(_npz_bytes(arrays, "cmd_data"), "npz")
            stream.flash = _npz_bytes(arrays, "weight_data")
            weight_region = _npz_int(arrays, "weight_region")
            stream.region_sizes[weight_region] = len(stream.flash)
            for name in ("scratch", "scratch_fast"):
                size = _npz_int(arrays, f"{name}_size")
                region = _npz_int(arrays, f"{name}_region", 1)
                if size:
                    stream.region_sizes[region] = max(
                        size, stream.region_sizes.get(region, 0)
                    )
            stream.inputs = _placements(arrays, "input")
            stream.outputs = _placements(arrays, "output")
        except (KeyError, IndexError, ValueError) as e:
            if isinstance(e, StreamError):
                raise
            raise StreamError(f"malformed Vela raw .npz: {e}") from None
    return stream


def _offline_offsets(model: TFLiteModel) -> dict[int, int]:
    """Tensor index -> arena offset from TFLM's `OfflineMemoryAllocation`
    metadata ([version, subgraph, count, offsets...], -1 = planned online)."""
    raw = model.metadata.get("OfflineMemoryAllocation")
    if not raw:
        return {}
    values = np.frombuffer(raw, dtype="<i4")
    count = int(values[2])
    return {t: int(o) for t, o in enumerate(values[3 : 3 + count]) if o >= 0}


def _model(path: str | Path) -> TFLiteModel:
    try:
        return read_tflite_bytes(Path(path).read_bytes())
    except TFLiteImportError as e:
        raise StreamError(f"not a readable .tflite ({e})") from None


def _ethos_u_operators(model: TFLiteModel) -> list[TFLiteOperator]:
    return [op for op in model.operators if op.custom_code == "ethos-u"]


def read_tflite(path: str | Path) -> StreamFile:
    """Read the first `ethos-u` custom operator of a `.tflite` file."""
    found = read_tflite_segments(path)
    if not found:
        raise StreamError("no ethos-u custom operator in the model")
    return found[0]


def read_tflite_segments(path: str | Path) -> list[StreamFile]:
    """Every `ethos-u` custom operator of a `.tflite` file (the NPU segments,
    in operator order; none when every operator runs on the CPU), each with
    its own payload, flash and tensors."""
    model = _model(path)
    return [_segment(model, op) for op in _ethos_u_operators(model)]


def _tensor_bytes(model: TFLiteModel, t: int) -> bytes:
    data = model.tensor(t).data
    return b"" if data is None else data.tobytes()


def _segment(model: TFLiteModel, op: TFLiteOperator) -> StreamFile:
    """The StreamFile of `op`, an ethos-u operator."""
    k, inputs = op.index, list(op.inputs)
    if len(inputs) < 3:
        raise StreamError(
            f"ethos-u operator {k} has {len(inputs)} inputs (expected >= 3)"
        )

    def size(t: int) -> int:
        return int(np.prod(model.tensor(t).shape))

    payload = _tensor_bytes(model, inputs[0])
    if not payload:
        raise StreamError(f"ethos-u operator {k} has an empty command stream")
    stream = read_payload(payload, "tflite")
    stream.operator = k
    stream.flash = _tensor_bytes(model, inputs[1])
    stream.region_sizes = {0: len(stream.flash), 1: size(inputs[2])}
    if len(inputs) > 3:
        stream.region_sizes[2] = size(inputs[3])
    offsets = _offline_offsets(model)

    def place(t: int) -> TensorPlacement:
        tensor = model.tensor(t)
        offset = offsets.get(t)
        return TensorPlacement(
            tensor.name,
            tensor.shape,
            tensor.dtype.itemsize,
            1 if offset is not None else None,
            offset,
        )

    stream.inputs = [place(t) for t in inputs[4:]]
    stream.outputs = [place(t) for t in op.outputs]
    return stream


def tflite_flash_bytes(path: str | Path) -> int:
    """The bytes a `.tflite` ships for the NPU: its `ethos-u` operators'
    driver payloads and read-only blobs (inputs 0 and 1), each tensor once
    however many operators read it (segments may share one blob)."""
    model = _model(path)
    found = {t for op in _ethos_u_operators(model) for t in op.inputs[:2]}
    return sum(len(_tensor_bytes(model, t)) for t in found)


def read_stream_files(path: str | Path) -> list[StreamFile]:
    """Every command stream of a file: each `ethos-u` operator of a `.tflite`
    (its NPU segments, in order), else the one of a payload or `.npz`."""
    p = Path(path)
    if p.read_bytes()[4:8] == b"TFL3":
        return read_tflite_segments(p)
    return [read_stream_file(p)]


def read_stream_file(path: str | Path) -> StreamFile:
    """Read a payload, a raw `.npz` or a `.tflite`, chosen by content."""
    p = Path(path)
    head = p.read_bytes()[:8]
    if head[:4] == _MAGIC:
        return read_payload(p.read_bytes())
    if head[:2] == b"PK":
        return read_npz(p)
    if head[4:8] == b"TFL3":
        return read_tflite(p)
    if p.suffix == ".npz":
        return read_npz(p)
    if p.suffix == ".tflite":
        return read_tflite(p)
    return read_payload(p.read_bytes())
