"""Read a ``.tflite`` flatbuffer into plain dataclasses.

The flatbuffer is decoded with the maintained ``tflite`` schema package (the
generated Python accessors for ``tensorflow/compiler/mlir/lite/schema/schema.fbs``);
this module only walks the accessors eagerly, converts everything to numpy /
Python values, and reports problems as :class:`TFLiteImportError`.

Only subgraph 0 is read; models with more than one subgraph are rejected.
One reader serves the whole project (`tirconst.formats.tflite`): the
frontend's importer, the backend's packager and checker, and the
disassembler's reading of written files.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import tflite
from tflite.ActivationFunctionType import ActivationFunctionType
from tflite.BuiltinOptions import BuiltinOptions
from tflite.Padding import Padding
from tflite.TensorType import TensorType
from tflite.utils import BUILTIN_OPCODE2NAME

__all__ = [
    "TFLiteImportError",
    "TFLiteQuantization",
    "TFLiteTensor",
    "TFLiteOperator",
    "TFLiteModel",
    "read_tflite",
    "read_tflite_bytes",
]


class TFLiteImportError(Exception):
    """A ``.tflite`` file that cannot be imported (one-line message)."""


_NUMPY_DTYPES: dict[int, np.dtype] = {
    TensorType.FLOAT32: np.dtype("<f4"),
    TensorType.FLOAT16: np.dtype("<f2"),
    TensorType.FLOAT64: np.dtype("<f8"),
    TensorType.INT8: np.dtype("i1"),
    TensorType.UINT8: np.dtype("u1"),
    TensorType.INT16: np.dtype("<i2"),
    TensorType.UINT16: np.dtype("<u2"),
    TensorType.INT32: np.dtype("<i4"),
    TensorType.UINT32: np.dtype("<u4"),
    TensorType.INT64: np.dtype("<i8"),
    TensorType.UINT64: np.dtype("<u8"),
    TensorType.BOOL: np.dtype("?"),
    TensorType.COMPLEX64: np.dtype("<c8"),
    TensorType.COMPLEX128: np.dtype("<c16"),
}
_TENSOR_TYPE_NAMES = {
    v: k for k, v in vars(TensorType).items() if not k.startswith("_")
}
_ACTIVATION_NAMES = {
    v: k for k, v in vars(ActivationFunctionType).items() if not k.startswith("_")
}
_PADDING_NAMES = {v: k for k, v in vars(Padding).items() if not k.startswith("_")}
_OPTIONS_CLASS_NAMES = {
    v: k
    for k, v in vars(BuiltinOptions).items()
    if not k.startswith("_") and isinstance(v, int)
}


@dataclass(frozen=True)
class TFLiteQuantization:
    """Affine quantization of a tensor: ``real = scale * (q - zero_point)``.

    ``scales`` / ``zero_points`` have one entry for per-tensor quantization and
    one entry per slice along ``quantized_dimension`` for per-axis quantization.
    """

    scales: np.ndarray  # float32
    zero_points: np.ndarray  # int64
    quantized_dimension: int

    @property
    def per_axis(self) -> bool:
        """True when there is more than one (scale, zero point) pair."""
        return self.scales.size > 1

    @property
    def scale(self) -> float:
        """The per-tensor scale (error if per-axis)."""
        if self.per_axis:
            raise ValueError("per-axis quantization has no single scale")
        return float(self.scales[0])

    @property
    def zero_point(self) -> int:
        """The per-tensor zero point (error if per-axis)."""
        if self.zero_points.size > 1:
            raise ValueError("per-axis quantization has no single zero point")
        return int(self.zero_points[0]) if self.zero_points.size else 0


@dataclass
class TFLiteTensor:
    """One tensor of subgraph 0."""

    index: int
    name: str
    shape: tuple[int, ...]
    dtype: np.dtype
    quantization: TFLiteQuantization | None
    data: np.ndarray | None = None  # constant contents, shaped, read-only
    is_variable: bool = False

    @property
    def is_constant(self) -> bool:
        """True when the tensor has buffer data."""
        return self.data is not None


@dataclass
class TFLiteOperator:
    """One operator of subgraph 0, in execution order.

    ``inputs`` / ``outputs`` are tensor indices, -1 for an absent optional
    input. ``options`` holds the decoded builtin options with normalised keys
    (see :func:`_decode_options`). ``intermediates``: the tensors whose
    quantization an integer LSTM reads (its gates' and hidden state's).
    """

    index: int
    opcode: str
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    options: dict[str, Any] = field(default_factory=dict)
    version: int = 1
    custom_code: str | None = None
    intermediates: tuple[int, ...] = ()


@dataclass
class TFLiteModel:
    """Subgraph 0 of a TFLite model."""

    tensors: list[TFLiteTensor]
    operators: list[TFLiteOperator]
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    description: str = ""
    schema_version: int = 3
    name: str = ""
    metadata: dict[str, bytes] = field(default_factory=dict)
    """The model's metadata buffers by name (e.g. TFLM's
    `OfflineMemoryAllocation`)."""

    def tensor(self, index: int) -> TFLiteTensor:
        """The tensor with the given index."""
        return self.tensors[index]


def read_tflite(path: str | os.PathLike[str]) -> TFLiteModel:
    """Read a ``.tflite`` file. Raises :class:`TFLiteImportError`."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise TFLiteImportError(f"cannot read {os.fspath(path)!r}: {e}") from e
    model = read_tflite_bytes(data)
    model.name = os.path.splitext(os.path.basename(os.fspath(path)))[0]
    return model


def read_tflite_bytes(data: bytes | bytearray) -> TFLiteModel:
    """Decode an in-memory ``.tflite`` flatbuffer. Raises :class:`TFLiteImportError`.

    Any exception the flatbuffer accessors raise while walking the buffer
    (out-of-range offsets of a truncated or corrupt file) is reported as
    ``not a valid TFLite flatbuffer: ...``.
    """
    data = bytes(data)
    if len(data) < 8 or not tflite.Model.ModelBufferHasIdentifier(data, 0):
        raise TFLiteImportError(
            "not a valid TFLite flatbuffer: missing 'TFL3' file identifier"
        )
    try:
        return _read_model(data)
    except TFLiteImportError:
        raise
    except Exception as e:  # the flatbuffers accessors raise many kinds
        detail = (str(e).splitlines() or [type(e).__name__])[0]
        raise TFLiteImportError(
            f"not a valid TFLite flatbuffer: truncated or corrupt data ({detail})"
        ) from e


def _read_model(data: bytes) -> TFLiteModel:
    fb = tflite.Model.GetRootAs(data, 0)
    version = fb.Version()
    if version != 3:
        raise TFLiteImportError(
            f"not a valid TFLite flatbuffer: schema version {version}, expected 3"
        )
    n_sub = fb.SubgraphsLength()
    if n_sub == 0:
        raise TFLiteImportError("model has no subgraph")
    if n_sub > 1:
        raise TFLiteImportError(
            f"model has {n_sub} subgraphs; only single-subgraph models are supported"
        )
    sg = fb.Subgraphs(0)
    buffers = [fb.Buffers(i) for i in range(fb.BuffersLength())]
    tensors = [
        _read_tensor(sg.Tensors(i), i, buffers, data) for i in range(sg.TensorsLength())
    ]
    opcodes = [
        _read_opcode(fb.OperatorCodes(i)) for i in range(fb.OperatorCodesLength())
    ]
    n_t = len(tensors)
    operators = []
    for i in range(sg.OperatorsLength()):
        op = _read_operator(sg.Operators(i), i, opcodes)
        for t in op.inputs + op.outputs:
            if not -1 <= t < n_t:
                raise TFLiteImportError(
                    f"not a valid TFLite flatbuffer: operator {i} ({op.opcode}) "
                    f"references tensor {t} of {n_t}"
                )
        operators.append(op)
    inputs = _int_tuple(sg.InputsAsNumpy())
    outputs = _int_tuple(sg.OutputsAsNumpy())
    for t in inputs + outputs:
        if not 0 <= t < n_t:
            raise TFLiteImportError(
                f"not a valid TFLite flatbuffer: subgraph input/output tensor {t} "
                f"of {n_t}"
            )
    desc = fb.Description()
    metadata = {}
    for i in range(fb.MetadataLength()):
        meta = fb.Metadata(i)
        b = int(meta.Buffer())
        raw = _buffer_bytes(buffers[b], data) if 0 <= b < len(buffers) else None
        metadata[(meta.Name() or b"").decode("utf-8", "replace")] = raw or b""
    return TFLiteModel(
        tensors=tensors,
        operators=operators,
        inputs=inputs,
        outputs=outputs,
        description=desc.decode("utf-8", "replace") if desc else "",
        schema_version=version,
        metadata=metadata,
    )


def _int_tuple(arr: Any) -> tuple[int, ...]:
    # The generated *AsNumpy accessors return the int 0 for an absent vector.
    if isinstance(arr, int):
        return ()
    return tuple(int(x) for x in arr)


def _read_opcode(oc: Any) -> tuple[str, int, str | None]:
    # Mirrors tflite::GetBuiltinCode: the larger of the deprecated int8 field
    # and the int32 field.
    code = max(int(oc.BuiltinCode()), int(oc.DeprecatedBuiltinCode()))
    name = BUILTIN_OPCODE2NAME.get(code)
    if name is None:
        raise TFLiteImportError(f"unknown builtin operator code {code}")
    custom = oc.CustomCode()
    return name, int(oc.Version()), custom.decode() if custom else None


def _read_tensor(t: Any, index: int, buffers: list[Any], data: bytes) -> TFLiteTensor:
    name_b = t.Name()
    name = name_b.decode("utf-8", "replace") if name_b else f"tensor_{index}"
    shape = _int_tuple(t.ShapeAsNumpy())
    signature = _int_tuple(t.ShapeSignatureAsNumpy())
    # A -1 batch dimension in the signature is what Keras exports by default;
    # TFLite runs such a model at the stored ``shape`` (batch 1) unless
    # resized, so only other unknown dimensions count as dynamic.
    if any(d < 0 for d in shape) or any(d < 0 for d in signature[1:]):
        sig = signature or shape
        raise TFLiteImportError(
            f"tensor {index} '{name}' has a dynamic shape {list(sig)}; "
            "only static shapes are supported"
        )
    ttype = int(t.Type())
    dtype = _NUMPY_DTYPES.get(ttype)
    if dtype is None:
        tname = _TENSOR_TYPE_NAMES.get(ttype, str(ttype))
        raise TFLiteImportError(
            f"tensor {index} '{name}' has unsupported element type {tname}"
        )
    if t.Sparsity() is not None:
        raise TFLiteImportError(f"tensor {index} '{name}' is sparse; not supported")
    quant = _read_quantization(t.Quantization(), index, name)
    const = None
    b = int(t.Buffer())
    if b >= len(buffers):
        raise TFLiteImportError(
            f"not a valid TFLite flatbuffer: tensor {index} '{name}' uses buffer {b} "
            f"of {len(buffers)}"
        )
    if b > 0:
        raw = _buffer_bytes(buffers[b], data)
        if raw is not None and len(raw) > 0:
            expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
            if len(raw) != expected:
                raise TFLiteImportError(
                    f"not a valid TFLite flatbuffer: tensor {index} '{name}' has "
                    f"{len(raw)} data bytes, shape {list(shape)} needs {expected}"
                )
            const = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
            const = const.astype(dtype.newbyteorder("="), copy=False)
            const.setflags(write=False)
    return TFLiteTensor(
        index=index,
        name=name,
        shape=shape,
        dtype=dtype.newbyteorder("="),
        quantization=quant,
        data=const,
        is_variable=bool(t.IsVariable()),
    )


def _buffer_bytes(buf: Any, data: bytes) -> bytes | None:
    offset = int(buf.Offset())
    if offset > 1:  # data stored after the flatbuffer (models > 2 GB)
        size = int(buf.Size())
        if offset + size > len(data):
            raise TFLiteImportError(
                "not a valid TFLite flatbuffer: buffer data past end of file"
            )
        return data[offset : offset + size]
    if buf.DataIsNone():
        return None
    arr = buf.DataAsNumpy()
    n = int(buf.DataLength())
    if isinstance(arr, int) or arr.size != n:
        raise TFLiteImportError(
            "not a valid TFLite flatbuffer: buffer data past end of file"
        )
    return arr.tobytes()


def _read_quantization(q: Any, index: int, name: str) -> TFLiteQuantization | None:
    if q is None:
        return None
    if q.DetailsType() != 0:
        raise TFLiteImportError(
            f"tensor {index} '{name}' uses custom quantization; not supported"
        )
    scales = q.ScaleAsNumpy()
    if isinstance(scales, int) or scales.size == 0:
        return None  # min/max-only or empty quantization: not quantized
    scales = np.array(scales, dtype=np.float32)
    zps = q.ZeroPointAsNumpy()
    zps = (
        np.zeros(scales.shape, np.int64)
        if isinstance(zps, int)
        else np.array(zps, dtype=np.int64)
    )
    if zps.size != scales.size:
        raise TFLiteImportError(
            f"tensor {index} '{name}' has {scales.size} scales but "
            f"{zps.size} zero points"
        )
    return TFLiteQuantization(scales, zps, int(q.QuantizedDimension()))


def _snake(name: str) -> str:
    # "DilationHFactor" -> "dilation_h_factor", "PotScaleInt16" -> "pot_scale_int16"
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _read_operator(
    op: Any, index: int, opcodes: list[tuple[str, int, str | None]]
) -> TFLiteOperator:
    oi = int(op.OpcodeIndex())
    if not 0 <= oi < len(opcodes):
        raise TFLiteImportError(
            f"not a valid TFLite flatbuffer: operator {index} has opcode index {oi}"
        )
    name, version, custom = opcodes[oi]
    options = _decode_options(op)
    return TFLiteOperator(
        index=index,
        opcode=name,
        inputs=_int_tuple(op.InputsAsNumpy()),
        outputs=_int_tuple(op.OutputsAsNumpy()),
        options=options,
        version=version,
        custom_code=custom,
        intermediates=_int_tuple(op.IntermediatesAsNumpy()),
    )


def _decode_options(op: Any) -> dict[str, Any]:
    """Decode the builtin options table generically, then normalise keys.

    Every scalar accessor becomes a snake_case key; vector accessors become
    tuples. Normalised keys: ``stride`` (h, w), ``dilation`` (h, w),
    ``filter_size`` (h, w), ``padding`` "SAME"/"VALID", ``fused_activation``
    ("NONE", "RELU", "RELU6", "RELU_N1_TO_1", ...).
    """
    otype = int(op.BuiltinOptionsType())
    if otype == 0:
        return {}
    cls_name = _OPTIONS_CLASS_NAMES.get(otype)
    cls = getattr(tflite, cls_name, None) if cls_name else None
    table = op.BuiltinOptions()
    if cls is None or table is None:
        return {}
    obj = cls()
    obj.Init(table.Bytes, table.Pos)
    raw: dict[str, Any] = {}
    for attr in dir(cls):
        if not attr[:1].isupper() or attr.startswith(("GetRootAs", "Init")):
            continue
        if attr.endswith(("IsNone", "Length", "BufferHasIdentifier")):
            continue
        if attr.endswith("AsNumpy"):
            base = attr[: -len("AsNumpy")]
            if getattr(obj, base + "IsNone")():
                continue
            raw[_snake(base)] = _int_tuple(getattr(obj, attr)())
            continue
        if hasattr(cls, attr + "AsNumpy") or hasattr(cls, attr + "Length"):
            continue  # element accessor of a vector
        fn = getattr(obj, attr)
        if not callable(fn):
            continue
        try:
            val = fn()
        except TypeError:
            continue  # needs arguments: element accessor of a table vector
        if isinstance(val, (bool, int, float)):
            raw[_snake(attr)] = val
    return _normalise(raw)


def _normalise(raw: dict[str, Any]) -> dict[str, Any]:
    out = dict(raw)
    for key, h, w in (
        ("stride", "stride_h", "stride_w"),
        ("dilation", "dilation_h_factor", "dilation_w_factor"),
        ("filter_size", "filter_height", "filter_width"),
    ):
        if h in out and w in out:
            out[key] = (int(out.pop(h)), int(out.pop(w)))
    if "padding" in out:
        out["padding"] = _PADDING_NAMES.get(out["padding"], str(out["padding"]))
    if "fused_activation_function" in out:
        act = out.pop("fused_activation_function")
        out["fused_activation"] = _ACTIVATION_NAMES.get(act, str(act))
    return out
