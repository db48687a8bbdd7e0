"""Which LiteRT kernels are the oracle an imported operator equals bit for
bit: the reference kernels (`BUILTIN_REF`) for every operator but SUM and
ELU, whose oracle is LiteRT's default, optimized kernel. BUILTIN_REF
registers no ELU, and its int8 SUM reads the data as uint8 when it rescales
(tests/test_importer_operators.py pins both). The importer, the device check
and the support table ask this one fact.

`oracle_interpreter` builds the oracle: LiteRT on a model, with that
resolver, on a copy of the model whose operator versions BUILTIN_REF does
not register are lowered where the kernel is the same (`REFERENCE_VERSIONS`);
an operator LiteRT cannot run is an `OracleError`, one line naming it."""

from __future__ import annotations

import os
import re
import struct
from typing import Any

import tflite
from tflite.utils import BUILTIN_OPCODE2NAME

from tirconst.formats.tflite.reader import TFLiteModel, read_tflite_bytes

__all__ = [
    "OPTIMIZED",
    "ORACLES",
    "REFERENCE",
    "REFERENCE_VERSIONS",
    "OracleError",
    "oracle_content",
    "oracle_interpreter",
    "oracle_resolver",
]

REFERENCE = "BUILTIN_REF"
"""LiteRT's reference kernels: the oracle of almost every operator."""
OPTIMIZED = "BUILTIN_WITHOUT_DEFAULT_DELEGATES"
"""LiteRT's default (optimized) kernels, without the XNNPACK delegate."""

ORACLES: dict[str, str] = {"SUM": OPTIMIZED, "ELU": OPTIMIZED}
"""TFLite operator -> its oracle's `OpResolverType` name, where it is not
REFERENCE."""


def oracle_resolver(model: TFLiteModel) -> str:
    """The LiteRT op resolver (an `OpResolverType` name) that checks `model`:
    REFERENCE, or OPTIMIZED when an operator's oracle is the optimized
    kernel (SUM, ELU). LiteRT runs one resolver per model, so in a model
    with SUM or ELU the other operators are checked against their
    optimized kernels too, which may differ from the reference ones (int8
    SOFTMAX's float table does, on about 1 element in 10^5)."""
    oracles = {ORACLES.get(op.opcode, REFERENCE) for op in model.operators}
    return OPTIMIZED if OPTIMIZED in oracles else REFERENCE


REFERENCE_VERSIONS: dict[str, int] = {
    # TILE: op_version.cc gives an int8 input version 3, a string one 2,
    # any other 1; register_ref.cc registers Register_TILE() for versions
    # 1-2, the very kernel register.cc registers for 1-3, and that kernel
    # switches on the tensor type, never on the version (BUILTIN_REF runs an
    # int8 TILE marked version 1 or 2 with the same int8 code). Version 3
    # added no semantics, only the int8 marker TFLite's converter writes
    # (Keras 3's UpSampling2D(nearest) is RESHAPE, TILE, RESHAPE).
    "TILE": 2,
    # DEPTH_TO_SPACE: op_version.cc gives an int8 input version 2, any other
    # 1; register_ref.cc registers Register_DEPTH_TO_SPACE_REF() for
    # version 1 only, and its Prepare and Eval switch on the tensor type
    # (float32, uint8, int8, int32, int64 alike), never on the version.
    # Version 2 added no semantics, only the int8 marker.
    "DEPTH_TO_SPACE": 1,
}
"""TFLite operator -> the highest version BUILTIN_REF registers, for the
operators whose newer versions only mark input types the registered kernel
already runs. The oracle lowers such versions (`oracle_content`); no other
operator's version is ever changed."""


class OracleError(ValueError):
    """LiteRT cannot run a model as its oracle (one-line message)."""


def oracle_content(data: bytes, resolver: str = REFERENCE) -> bytes:
    """`data`, or a copy whose operator codes above `REFERENCE_VERSIONS`
    have that version when the oracle is the reference resolver (the only
    change: each such code's int32 `version` field, rewritten in place)."""
    if resolver != REFERENCE:
        return data
    model = tflite.Model.GetRootAs(data, 0)
    patched: bytearray | None = None
    for i in range(model.OperatorCodesLength()):
        oc = model.OperatorCodes(i)
        code = max(int(oc.BuiltinCode()), int(oc.DeprecatedBuiltinCode()))
        top = REFERENCE_VERSIONS.get(BUILTIN_OPCODE2NAME.get(code, ""))
        if top is None or oc.Version() <= top:
            continue
        # A version above the default 1 is stored, at vtable slot 8.
        at = oc._tab.Pos + oc._tab.Offset(8)
        patched = patched if patched is not None else bytearray(data)
        struct.pack_into("<i", patched, at, top)
    return data if patched is None else bytes(patched)


_MISSING = re.compile(r"Didn't find op for builtin opcode '(\w+)' version '(\d+)'")


def oracle_interpreter(
    source: str | os.PathLike[str] | bytes, *, preserve_all_tensors: bool = False
) -> Any:
    """LiteRT's `Interpreter` on `source` (a path or the model's bytes) with
    its oracle kernels (`oracle_resolver`, `oracle_content`), its tensors
    allocated. Raises `OracleError` naming an operator LiteRT cannot run."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    if isinstance(source, bytes):
        data, name = source, "the model"
    else:
        with open(source, "rb") as f:
            data = f.read()
        name = os.path.basename(os.fspath(source))
    model = read_tflite_bytes(data)
    resolver = oracle_resolver(model)
    try:
        interp = Interpreter(
            model_content=oracle_content(data, resolver),
            experimental_op_resolver_type=OpResolverType[resolver],
            experimental_preserve_all_tensors=preserve_all_tensors,
        )
        interp.allocate_tensors()
    except (RuntimeError, ValueError) as e:
        text = str(e)
        missing = _MISSING.search(text)
        if missing is None:
            first = (text.strip().splitlines() or [type(e).__name__])[0]
            raise OracleError(f"LiteRT ({resolver}) cannot run {name}: {first}") from e
        opcode, version = missing.groups()
        where = ", ".join(
            f"#{op.index}" for op in model.operators if op.opcode == opcode
        )
        raise OracleError(
            f"the oracle cannot run {opcode} version {version} ({where} of "
            f"{name}): LiteRT's {resolver} kernels do not register it"
        ) from e
    return interp
