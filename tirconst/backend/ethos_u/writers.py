"""Write a compiled network in Vela's output formats.

- `tflite_bytes` / `write_tflite`: the original `.tflite` with each NPU
  segment replaced by one `ethos-u` custom operator, CPU operators kept as
  they were, laid out as Vela 5.2's default core writes `MODEL_vela.tflite`
  (what TensorFlow Lite Micro's Ethos-U kernel runs).
- `write_npz` (module `raw`, re-exported): Vela's `--output-format raw`
  `.npz`.

The inputs are `segments.NpuSegment`s (re-exported here). Files are written
atomically (temp file + rename), only on success.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import flatbuffers
import numpy as np
from ethosu.vela.tflite import (
    Buffer,
    Metadata,
    Model,
    Operator,
    OperatorCode,
    QuantizationParameters,
    SignatureDef,
    SubGraph,
    Tensor,
    TensorMap,
)
from ethosu.vela.tflite_mapping import CustomOptionsSerializer, builtin_operator_map

from tirconst.backend.ethos_u.segments import (
    FLASH_REGION,
    SCRATCH_FAST_REGION,
    SCRATCH_REGION,
    NpuSegment,
    OutputError,
    SegmentTensor,
    _buffer_data,
    _check_boundaries,
    _check_segments,
    _ints,
    _read_model,
    model_bytes,
    output_path,
    write_atomic,
)

CUSTOM_CODE = "ethos-u"
_BUILTIN_CUSTOM = 32  # BuiltinOperator.CUSTOM
_UINT8 = 3  # TensorType.UINT8
_OFFLINE = "OfflineMemoryAllocation"
DESCRIPTION = "Vela Optimised"  # what Vela 5.2's default core writes


def _opcode_key(model, op) -> tuple[int, int, str, int]:  # type: ignore[no-untyped-def]
    c = model.OperatorCodes(op.OpcodeIndex())
    code = c.CustomCode().decode() if c.CustomCode() else ""
    return (
        max(c.BuiltinCode(), c.DeprecatedBuiltinCode()),
        c.DeprecatedBuiltinCode(),
        code,
        c.Version(),
    )


@dataclass
class _NewTensor:
    name: str
    original: int | None  # index in the original subgraph
    data: bytes = b""
    size: int = 0  # for the ethos-u operator's own tensors
    offset: int = -1  # arena offset for OfflineMemoryAllocation


@dataclass
class _NewOp:
    opcode: tuple[int, int, str, int]
    inputs: list[int]  # new tensor indices (-1: optional input absent)
    outputs: list[int]
    original: int | None  # original operator index (CPU ops)
    intermediates: list[int] = field(default_factory=list)  # an integer LSTM's


def _plan(
    data: bytes, model, segments: Sequence[NpuSegment], arena_offsets: Mapping[int, int]
):  # type: ignore[no-untyped-def]
    """New tensors and operators, in the order Vela's default core writes
    them: operators in original order (a segment where its first operator
    was), tensors in order of first use (inputs, then outputs)."""
    sg = model.Subgraphs(0)
    _check_segments(sg.OperatorsLength(), sg.TensorsLength(), segments)
    owner = {i: s for s, seg in enumerate(segments) for i in seg.operators}
    _check_boundaries(data, model, segments, owner)
    tensors: list[_NewTensor] = []
    by_original: dict[int, int] = {}

    def original_tensor(t: int) -> int:
        if t < 0:
            return -1
        if t not in by_original:
            tens = sg.Tensors(t)
            by_original[t] = len(tensors)
            tensors.append(
                _NewTensor(
                    tens.Name().decode(),
                    t,
                    _buffer_data(data, model, tens.Buffer()),
                    offset=arena_offsets.get(t, -1),
                )
            )
        return by_original[t]

    def own_tensor(
        name: str, data_: bytes = b"", size: int = 0, offset: int = -1
    ) -> int:
        tensors.append(_NewTensor(name, None, data_, size or len(data_), offset))
        return len(tensors) - 1

    placed: dict[int, int] = {}

    def place(s: int, t: SegmentTensor) -> int:
        new = original_tensor(t.tensor)
        if placed.get(t.tensor, t.offset) != t.offset:
            raise OutputError(
                f"segment {s}: tensor {t.tensor} at offset {t.offset}, "
                f"already placed at {placed[t.tensor]}"
            )
        placed[t.tensor] = tensors[new].offset = t.offset
        return new

    ops: list[_NewOp] = []
    emitted: set[int] = set()
    # Region 0 is read-only: segments whose blobs are equal read one tensor
    # (TFLM's ethos-u kernel passes each input's data pointer as a region
    # base, and a constant tensor may feed any number of operators).
    flash_tensor: dict[bytes, int] = {}
    for i in range(sg.OperatorsLength()):
        if i in owner:
            s = owner[i]
            if s in emitted:
                continue
            emitted.add(s)
            seg = segments[s]
            suffix = f"_{s}" if s else ""
            cms = own_tensor(f"ethos_u_command_stream{suffix}", seg.payload)
            flash = flash_tensor.get(seg.flash)
            if flash is None:
                flash = own_tensor(f"read_only{suffix}", seg.flash)
                flash_tensor[seg.flash] = flash
            scratch = own_tensor(f"scratch{suffix}", size=seg.scratch_size, offset=0)
            fast = (
                own_tensor(
                    f"scratch_fast{suffix}", size=seg.scratch_fast_size, offset=0
                )
                if seg.scratch_fast_size
                else scratch
            )
            fm_in = [place(s, t) for t in seg.inputs]
            fm_out = [place(s, t) for t in seg.outputs]
            ops.append(
                _NewOp(
                    (_BUILTIN_CUSTOM, _BUILTIN_CUSTOM, CUSTOM_CODE, 1),
                    [cms, flash, scratch, fast, *fm_in],
                    fm_out,
                    None,
                )
            )
        else:
            op = sg.Operators(i)
            ins = (
                [original_tensor(int(t)) for t in op.InputsAsNumpy()]
                if op.InputsLength()
                else []
            )
            outs = (
                [original_tensor(int(t)) for t in op.OutputsAsNumpy()]
                if op.OutputsLength()
                else []
            )
            inter = (
                [original_tensor(int(t)) for t in op.IntermediatesAsNumpy()]
                if op.IntermediatesLength()
                else []
            )
            ops.append(_NewOp(_opcode_key(model, op), ins, outs, i, inter))
    for t in [
        *_ints(sg.InputsAsNumpy, sg.InputsLength),
        *_ints(sg.OutputsAsNumpy, sg.OutputsLength),
    ]:
        original_tensor(t)
    _check_order(sg, tensors, ops)
    return tensors, ops, by_original


def _check_order(sg, tensors: list[_NewTensor], ops: list[_NewOp]) -> None:  # type: ignore[no-untyped-def]
    """Each operator reads only graph inputs, constants and tensors written
    by an operator before it (a segment sits where its first operator was,
    so a segment that is not convex cannot be written)."""
    ready = {
        t
        for t, x in enumerate(tensors)
        if x.original is None or x.data or sg.Tensors(x.original).IsVariable()
    }
    ready |= {
        i
        for i, x in enumerate(tensors)
        if x.original in set(_ints(sg.InputsAsNumpy, sg.InputsLength))
    }
    for op in ops:
        for t in op.inputs:
            if t >= 0 and t not in ready:
                where = (
                    "ethos-u operator"
                    if op.original is None
                    else f"operator {op.original}"
                )
                raise OutputError(
                    f"{where} reads tensor '{tensors[t].name}' before it is written "
                    "(segments must be convex)"
                )
        ready.update(op.outputs)


def _vector(builder: flatbuffers.Builder, values: Iterable[int], dtype: str) -> int:
    return builder.CreateNumpyVector(np.asarray(list(values), dtype=dtype))


def _offsets(builder: flatbuffers.Builder, start, items: list[int]) -> int:  # type: ignore[no-untyped-def]
    start(builder, len(items))
    for off in reversed(items):
        builder.PrependUOffsetTRelative(off)
    return builder.EndVector()


def _write_quantization(builder: flatbuffers.Builder, q) -> int | None:  # type: ignore[no-untyped-def]
    if q is None:
        return None
    if q.DetailsType():
        raise OutputError("custom quantization details are not supported")
    vecs = {}
    for name, dtype in (
        ("Min", "<f4"),
        ("Max", "<f4"),
        ("Scale", "<f4"),
        ("ZeroPoint", "<i8"),
    ):
        if getattr(q, f"{name}Length")():
            vecs[name] = builder.CreateNumpyVector(
                getattr(q, f"{name}AsNumpy")().astype(dtype)
            )
    QuantizationParameters.Start(builder)
    for name, off in vecs.items():
        getattr(QuantizationParameters, f"Add{name}")(builder, off)
    QuantizationParameters.AddQuantizedDimension(builder, q.QuantizedDimension())
    return QuantizationParameters.End(builder)


def _write_tensor(builder: flatbuffers.Builder, sg, t: _NewTensor, buffer: int) -> int:  # type: ignore[no-untyped-def]
    name = builder.CreateString(t.name)
    if t.original is None:
        shape = _vector(builder, [t.size], "<i4")
        Tensor.Start(builder)
        Tensor.AddShape(builder, shape)
        Tensor.AddType(builder, _UINT8)
        Tensor.AddBuffer(builder, buffer)
        Tensor.AddName(builder, name)
        return Tensor.End(builder)
    src = sg.Tensors(t.original)
    if src.Sparsity() is not None:
        raise OutputError(f"tensor '{t.name}': sparse tensors are not supported")
    shape = _vector(builder, _ints(src.ShapeAsNumpy, src.ShapeLength), "<i4")
    signature = (
        _vector(
            builder, _ints(src.ShapeSignatureAsNumpy, src.ShapeSignatureLength), "<i4"
        )
        if src.ShapeSignatureLength()
        else None
    )
    quant = _write_quantization(builder, src.Quantization())
    Tensor.Start(builder)
    Tensor.AddShape(builder, shape)
    Tensor.AddType(builder, src.Type())
    Tensor.AddBuffer(builder, buffer)
    Tensor.AddName(builder, name)
    if quant is not None:
        Tensor.AddQuantization(builder, quant)
    Tensor.AddIsVariable(builder, src.IsVariable())
    if signature is not None:
        Tensor.AddShapeSignature(builder, signature)
    Tensor.AddHasRank(builder, src.HasRank())
    return Tensor.End(builder)


def _write_options(builder: flatbuffers.Builder, model, src, index: int):  # type: ignore[no-untyped-def]
    """(builtin options type, offset, custom options offset, format) of a kept
    CPU operator, re-serialised with Vela's own option serialisers."""
    code = _opcode_key(model, src)[0]
    if src.BuiltinOptions2Type():
        raise OutputError(f"operator {index}: BuiltinOptions2 is not supported")
    custom = None
    if src.CustomOptionsLength():
        custom = builder.CreateNumpyVector(src.CustomOptionsAsNumpy().astype(np.uint8))
    if not src.BuiltinOptionsType():
        return 0, None, custom, src.CustomOptionsFormat()
    entry = builtin_operator_map.get(code)
    serializer = entry[1] if entry else None
    if serializer is None or isinstance(serializer, CustomOptionsSerializer):
        raise OutputError(
            f"operator {index}: cannot copy the options of builtin {code}"
        )
    attrs = serializer.deserialize(src)
    _absent_vectors_empty(serializer, src, attrs)
    if attrs["attribute_read_error"]:
        raise OutputError(
            f"operator {index}: unreadable options {attrs['attribute_read_error']}"
        )
    offset, _ = serializer.serialize(builder, attrs)
    if attrs["attribute_write_error"]:
        raise OutputError(
            f"operator {index}: options not written {attrs['attribute_write_error']}"
        )
    return serializer.builtin_opt_type, offset, custom, src.CustomOptionsFormat()


def _absent_vectors_empty(serializer, src, attrs: dict) -> None:  # type: ignore[no-untyped-def]
    """An absent options vector (a SQUEEZE without squeeze_dims) reads as the
    int 0, which Vela's deserializer refuses: it means an empty vector."""
    table = src.BuiltinOptions()
    options = serializer.cls()
    options.Init(table.Bytes, table.Pos)
    for name, camel, _, _, is_vector in serializer.members:
        if name in attrs["attribute_read_error"] and is_vector:
            if getattr(options, camel + "Length")() == 0:
                attrs[name] = []
                attrs["attribute_read_error"].remove(name)


def tflite_bytes(
    model: bytes | str | Path,
    segments: Sequence[NpuSegment],
    arena_offsets: Mapping[int, int] | None = None,
    description: str = DESCRIPTION,
) -> bytes:
    """The model with `segments` replaced by `ethos-u` operators.

    `arena_offsets` maps original tensor indices (CPU tensors) to their
    offset in the TFLM arena; segment tensors take their SegmentTensor
    offset, the scratch tensors offset 0, the rest -1 (planned by TFLM)."""
    data = model_bytes(model)
    m = _read_model(data)
    sg = m.Subgraphs(0)
    tensors, ops, by_original = _plan(data, m, segments, arena_offsets or {})
    builder = flatbuffers.Builder(
        len(data) + sum(len(s.payload) + len(s.flash) for s in segments) + 1024
    )

    # Buffers: 0 is the empty buffer, constants in tensor order, then metadata.
    buffer_data: list[bytes] = [b""]
    tensor_buffer = []
    for t in tensors:
        if t.data:
            buffer_data.append(t.data)
            tensor_buffer.append(len(buffer_data) - 1)
        else:
            tensor_buffer.append(0)
    metadata: list[tuple[str, int]] = []
    for i in range(m.MetadataLength()):
        md = m.Metadata(i)
        name = md.Name().decode()
        if name == _OFFLINE:
            continue  # replaced by ours
        buffer_data.append(_buffer_data(data, m, md.Buffer()))
        metadata.append((name, len(buffer_data) - 1))
    offline = np.array([0, 1, len(tensors), *(t.offset for t in tensors)], dtype="<i4")
    buffer_data.append(offline.tobytes())
    metadata.append((_OFFLINE, len(buffer_data) - 1))

    opcodes: list[tuple[int, int, str, int]] = []
    for op in ops:
        if op.opcode not in opcodes:
            opcodes.append(op.opcode)
    code_offsets = []
    for builtin, deprecated, custom, version in opcodes:
        custom_off = builder.CreateString(custom) if custom else None
        OperatorCode.Start(builder)
        OperatorCode.AddDeprecatedBuiltinCode(builder, min(deprecated, 127))
        if custom_off is not None:
            OperatorCode.AddCustomCode(builder, custom_off)
        OperatorCode.AddVersion(builder, version)
        OperatorCode.AddBuiltinCode(builder, builtin)
        code_offsets.append(OperatorCode.End(builder))

    tensor_offsets = [
        _write_tensor(builder, sg, t, tensor_buffer[i]) for i, t in enumerate(tensors)
    ]
    op_offsets = []
    for op in ops:
        ins = _vector(builder, op.inputs, "<i4")
        outs = _vector(builder, op.outputs, "<i4")
        inter = _vector(builder, op.intermediates, "<i4") if op.intermediates else None
        if op.original is None:
            opt_type, opt, custom_fmt = 0, None, 0
            custom = builder.CreateNumpyVector(
                np.array(CustomOptionsSerializer.CUSTOM_OPTIONS_NPU_OP, dtype=np.uint8)
            )
        else:
            opt_type, opt, custom, custom_fmt = _write_options(
                builder, m, sg.Operators(op.original), op.original
            )
        Operator.Start(builder)
        Operator.AddOpcodeIndex(builder, opcodes.index(op.opcode))
        Operator.AddInputs(builder, ins)
        Operator.AddOutputs(builder, outs)
        if inter is not None:
            Operator.AddIntermediates(builder, inter)
        if opt is not None:
            Operator.AddBuiltinOptionsType(builder, opt_type)
            Operator.AddBuiltinOptions(builder, opt)
        if custom is not None:
            Operator.AddCustomOptions(builder, custom)
            Operator.AddCustomOptionsFormat(builder, custom_fmt)
        op_offsets.append(Operator.End(builder))

    sg_name = builder.CreateString(sg.Name().decode()) if sg.Name() else None
    t_vec = _offsets(builder, SubGraph.StartTensorsVector, tensor_offsets)
    in_vec = _vector(
        builder,
        [by_original[t] for t in _ints(sg.InputsAsNumpy, sg.InputsLength)],
        "<i4",
    )
    out_vec = _vector(
        builder,
        [by_original[t] for t in _ints(sg.OutputsAsNumpy, sg.OutputsLength)],
        "<i4",
    )
    op_vec = _offsets(builder, SubGraph.StartOperatorsVector, op_offsets)
    SubGraph.Start(builder)
    SubGraph.AddTensors(builder, t_vec)
    SubGraph.AddInputs(builder, in_vec)
    SubGraph.AddOutputs(builder, out_vec)
    SubGraph.AddOperators(builder, op_vec)
    if sg_name is not None:
        SubGraph.AddName(builder, sg_name)
    sg_off = SubGraph.End(builder)

    buffer_offsets = []
    for blob in buffer_data:
        vec = (
            builder.CreateNumpyVector(np.frombuffer(blob, dtype=np.uint8))
            if blob
            else None
        )
        Buffer.Start(builder)
        if vec is not None:
            Buffer.AddData(builder, vec)
        buffer_offsets.append(Buffer.End(builder))
    meta_offsets = []
    for name, buf in metadata:
        n = builder.CreateString(name)
        Metadata.Start(builder)
        Metadata.AddName(builder, n)
        Metadata.AddBuffer(builder, buf)
        meta_offsets.append(Metadata.End(builder))
    sig_offsets = [
        _write_signature(builder, m.SignatureDefs(i), by_original)
        for i in range(m.SignatureDefsLength())
    ]

    codes_vec = _offsets(builder, Model.StartOperatorCodesVector, code_offsets)
    sgs_vec = _offsets(builder, Model.StartSubgraphsVector, [sg_off])
    desc = builder.CreateString(description)
    bufs_vec = _offsets(builder, Model.StartBuffersVector, buffer_offsets)
    meta_vec = _offsets(builder, Model.StartMetadataVector, meta_offsets)
    sigs_vec = (
        _offsets(builder, Model.StartSignatureDefsVector, sig_offsets)
        if sig_offsets
        else None
    )
    Model.Start(builder)
    Model.AddVersion(builder, m.Version())
    Model.AddOperatorCodes(builder, codes_vec)
    Model.AddSubgraphs(builder, sgs_vec)
    Model.AddDescription(builder, desc)
    Model.AddBuffers(builder, bufs_vec)
    Model.AddMetadata(builder, meta_vec)
    if sigs_vec is not None:
        Model.AddSignatureDefs(builder, sigs_vec)
    builder.Finish(Model.End(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def _write_signature(
    builder: flatbuffers.Builder, sig, by_original: Mapping[int, int]
) -> int:  # type: ignore[no-untyped-def]
    def maps(n: int, get) -> int:  # type: ignore[no-untyped-def]
        offs = []
        for j in range(n):
            entry = get(j)
            name = builder.CreateString(entry.Name().decode())
            TensorMap.Start(builder)
            TensorMap.AddName(builder, name)
            TensorMap.AddTensorIndex(builder, by_original[entry.TensorIndex()])
            offs.append(TensorMap.End(builder))
        return offs

    ins = _offsets(
        builder, SignatureDef.StartInputsVector, maps(sig.InputsLength(), sig.Inputs)
    )
    outs = _offsets(
        builder, SignatureDef.StartOutputsVector, maps(sig.OutputsLength(), sig.Outputs)
    )
    key = (
        builder.CreateString(sig.SignatureKey().decode())
        if sig.SignatureKey()
        else None
    )
    SignatureDef.Start(builder)
    SignatureDef.AddInputs(builder, ins)
    SignatureDef.AddOutputs(builder, outs)
    if key is not None:
        SignatureDef.AddSignatureKey(builder, key)
    SignatureDef.AddSubgraphIndex(builder, sig.SubgraphIndex())
    return SignatureDef.End(builder)


def write_tflite(
    path: str | Path,
    model: bytes | str | Path,
    segments: Sequence[NpuSegment],
    arena_offsets: Mapping[int, int] | None = None,
) -> Path:
    """`tflite_bytes` written to `path` atomically (nothing on error)."""
    blob = tflite_bytes(model, segments, arena_offsets)
    return write_atomic(path, lambda f: f.write(blob))


# The raw writer lives in its own module; one import point for both formats.
from tirconst.backend.ethos_u.raw import npz_arrays, write_npz  # noqa: E402

__all__ = [
    "CUSTOM_CODE",
    "DESCRIPTION",
    "FLASH_REGION",
    "SCRATCH_FAST_REGION",
    "SCRATCH_REGION",
    "NpuSegment",
    "OutputError",
    "SegmentTensor",
    "model_bytes",
    "npz_arrays",
    "output_path",
    "tflite_bytes",
    "write_atomic",
    "write_npz",
    "write_tflite",
]
