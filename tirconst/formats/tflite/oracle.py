"""Which LiteRT kernels are the oracle an imported operator equals bit for
bit: the reference kernels (`BUILTIN_REF`) for every operator but SUM and
ELU, whose oracle is LiteRT's default, optimized kernel. BUILTIN_REF
registers no ELU, and its int8 SUM reads the data as uint8 when it rescales
(tests/test_importer_operators.py pins both). The importer, the device check
and the support table ask this one fact."""

from __future__ import annotations

from tirconst.formats.tflite.reader import TFLiteModel

__all__ = ["OPTIMIZED", "ORACLES", "REFERENCE", "oracle_resolver"]

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
