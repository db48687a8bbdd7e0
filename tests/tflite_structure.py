"""Structural view of a `.tflite` (what TFLM reads), for comparing our
writer's output with Vela's, and segments re-extracted from Vela's output."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import tflite
from ethosu.vela.tflite_mapping import builtin_operator_map

from tirconst.backend.ethos_u.writers import CUSTOM_CODE, NpuSegment, SegmentTensor


def _ints(get_np, length) -> list[int]:
    return [int(x) for x in get_np()] if length() else []


def _offline(model) -> list[int]:
    for i in range(model.MetadataLength()):
        md = model.Metadata(i)
        if md.Name() == b"OfflineMemoryAllocation":
            raw = model.Buffers(md.Buffer()).DataAsNumpy().tobytes()
            return [int(v) for v in np.frombuffer(raw, "<i4")]
    return []


def _code(model, op) -> tuple:
    return _opcode(model.OperatorCodes(op.OpcodeIndex()))


def _opcode(c) -> tuple:
    return (
        c.BuiltinCode(),
        c.DeprecatedBuiltinCode(),
        c.CustomCode().decode() if c.CustomCode() else "",
        c.Version(),
    )


def describe(data: bytes) -> dict:
    """Everything TFLM reads, with tensors named rather than numbered (only
    the description string is left out)."""
    m = tflite.Model.GetRootAsModel(data, 0)
    sg = m.Subgraphs(0)

    def buf(index: int) -> bytes:
        return (
            m.Buffers(index).DataAsNumpy().tobytes()
            if m.Buffers(index).DataLength()
            else b""
        )

    tensors = []
    for t in range(sg.TensorsLength()):
        T = sg.Tensors(t)
        q = T.Quantization()
        quant = None
        if q is not None:
            quant = tuple(
                tuple(getattr(q, f"{n}AsNumpy")().tolist())
                if getattr(q, f"{n}Length")()
                else ()
                for n in ("Min", "Max", "Scale", "ZeroPoint")
            ) + (q.QuantizedDimension(),)
        tensors.append(
            (
                T.Name().decode(),
                T.Type(),
                tuple(_ints(T.ShapeAsNumpy, T.ShapeLength)),
                tuple(_ints(T.ShapeSignatureAsNumpy, T.ShapeSignatureLength)),
                quant,
                T.IsVariable(),
                T.HasRank(),
                T.Buffer() == 0,
                buf(T.Buffer()),
            )
        )
    ops = []
    for k in range(sg.OperatorsLength()):
        op = sg.Operators(k)
        opts = None
        if op.BuiltinOptionsType():
            # the options' field values, read by Vela's own deserialiser
            attrs = builtin_operator_map[max(_code(m, op)[:2])][1].deserialize(op)
            opts = (op.BuiltinOptionsType(), repr(sorted(attrs.items())))
        ops.append(
            (
                _code(m, op),
                tuple(_ints(op.InputsAsNumpy, op.InputsLength)),
                tuple(_ints(op.OutputsAsNumpy, op.OutputsLength)),
                opts,
                bytes(op.CustomOptionsAsNumpy()) if op.CustomOptionsLength() else b"",
                op.CustomOptionsFormat(),
            )
        )
    meta = [
        (m.Metadata(i).Name().decode(), buf(m.Metadata(i).Buffer()))
        for i in range(m.MetadataLength())
    ]
    sigs = []
    for i in range(m.SignatureDefsLength()):
        s = m.SignatureDefs(i)
        sigs.append(
            (
                s.SignatureKey(),
                s.SubgraphIndex(),
                tuple(
                    (s.Inputs(j).Name(), s.Inputs(j).TensorIndex())
                    for j in range(s.InputsLength())
                ),
                tuple(
                    (s.Outputs(j).Name(), s.Outputs(j).TensorIndex())
                    for j in range(s.OutputsLength())
                ),
            )
        )
    return {
        "version": m.Version(),
        "opcodes": [
            _opcode(m.OperatorCodes(i)) for i in range(m.OperatorCodesLength())
        ],
        "subgraph": (
            sg.Name(),
            tuple(_ints(sg.InputsAsNumpy, sg.InputsLength)),
            tuple(_ints(sg.OutputsAsNumpy, sg.OutputsLength)),
        ),
        "tensors": tensors,
        "operators": ops,
        "buffers": [buf(i) for i in range(m.BuffersLength())],
        "metadata": meta,
        "signatures": sigs,
    }


def segments_from_vela(
    original: Path, vela: bytes
) -> tuple[list[NpuSegment], dict[int, int]]:
    """The segments (and CPU tensors' arena offsets) that Vela's output
    encodes, in terms of the original model's operators and tensors."""
    om = tflite.Model.GetRootAsModel(original.read_bytes(), 0)
    osg = om.Subgraphs(0)
    index = {osg.Tensors(t).Name(): t for t in range(osg.TensorsLength())}
    producer = {}
    for k in range(osg.OperatorsLength()):
        for t in _ints(osg.Operators(k).OutputsAsNumpy, osg.Operators(k).OutputsLength):
            producer[t] = k
    m = tflite.Model.GetRootAsModel(vela, 0)
    sg = m.Subgraphs(0)
    offsets = _offline(m)[3:]
    cpu_ops: set[int] = set()
    arena: dict[int, int] = {}
    raw = []
    for k in range(sg.OperatorsLength()):
        op = sg.Operators(k)
        ins = _ints(op.InputsAsNumpy, op.InputsLength)
        outs = _ints(op.OutputsAsNumpy, op.OutputsLength)
        if _code(m, op)[2] == CUSTOM_CODE:
            raw.append((ins, outs))
            continue
        for t in outs:
            cpu_ops.add(producer[index[sg.Tensors(t).Name()]])
        for t in ins + outs:
            if t >= 0 and offsets and offsets[t] >= 0:
                arena[index[sg.Tensors(t).Name()]] = offsets[t]
    npu_ops = set(range(osg.OperatorsLength())) - cpu_ops
    segments = []
    for ins, outs in raw:

        def data(t: int) -> bytes:
            return m.Buffers(sg.Tensors(t).Buffer()).DataAsNumpy().tobytes()

        def place(t: int) -> SegmentTensor:
            return SegmentTensor(index[sg.Tensors(t).Name()], 1, offsets[t])

        fast = 0 if ins[3] == ins[2] else int(sg.Tensors(ins[3]).Shape(0))
        segments.append(
            NpuSegment(
                frozenset(npu_ops),
                data(ins[0]),
                data(ins[1]),
                int(sg.Tensors(ins[2]).Shape(0)),
                tuple(place(t) for t in ins[4:]),
                tuple(place(t) for t in outs),
                fast,
            )
        )
    return segments, arena
