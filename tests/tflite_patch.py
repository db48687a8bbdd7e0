"""Make malformed or unsupported .tflite files from real ones, for error tests."""

from __future__ import annotations

import struct
from pathlib import Path

import tflite

MODELS = Path(__file__).resolve().parent.parent / "models"


def model_bytes(name: str) -> bytearray:
    return bytearray((MODELS / f"{name}.tflite").read_bytes())


def with_opcode(data: bytearray, old: int, new: int) -> bytearray:
    """Rewrite every operator code `old` to `new` in place (both code fields)."""
    model = tflite.Model.GetRootAsModel(data, 0)
    patched = 0
    for i in range(model.OperatorCodesLength()):
        code = model.OperatorCodes(i)
        tab = code._tab  # flatbuffers table: field offset + table position
        if max(code.BuiltinCode(), code.DeprecatedBuiltinCode()) != old:
            continue
        if (o := tab.Offset(4)) != 0:
            struct.pack_into("<b", data, tab.Pos + o, min(new, 127))
        if (o := tab.Offset(10)) != 0:
            struct.pack_into("<i", data, tab.Pos + o, new)
        patched += 1
    assert patched, f"model has no operator code {old}"
    return data
