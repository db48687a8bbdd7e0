"""Every bundled model compiled by the installed vela (both cores, tflite and
raw output, U55-128) decodes into API operations, and the memory check of
the decoded program finds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from ethosu.vela.api import NpuAccelerator, NpuBlockOperation, NpuDmaOperation

from tests.vela_compile import CORES, FORMATS, Compiled, bundled_models, compile_model
from tirconst.backend.ethos_u import decode_operations, decode_words, read_stream_file
from tirconst.backend.ethos_u.memcheck import check_memory
from tirconst.backend.ethos_u.verify import verify_compiled

CASES = [(m, c, f) for m in bundled_models() for c in CORES for f in FORMATS]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> dict[tuple[str, str, str], Compiled]:  # type: ignore[no-untyped-def]
    root: Path = tmp_path_factory.mktemp("vela")
    return {
        (m.stem, c, f): compile_model(m, c, f, root / f"{m.stem}-{c}-{f}")
        for m, c, f in CASES
    }


@pytest.mark.parametrize(
    ("model", "core", "fmt"), CASES, ids=[f"{m.stem}-{c}-{f}" for m, c, f in CASES]
)
def test_vela_output_decodes(compiled, model: Path, core: str, fmt: str) -> None:  # type: ignore[no-untyped-def]
    result = compiled[(model.stem, core, fmt)]
    if result.path is None:
        # Regor's raw writer refuses graphs that keep CPU operators.
        assert core == "regor" and fmt == "raw" and "RawWriter" in result.error
        pytest.skip(result.error)
    stream = read_stream_file(result.path)
    assert stream.accelerator == NpuAccelerator.Ethos_U55_128
    assert stream.flash and stream.region_sizes[0] == len(stream.flash)
    ops = decode_operations(decode_words(stream.words))
    assert ops
    for d in ops:
        assert isinstance(d.op, (NpuBlockOperation, NpuDmaOperation))
        if isinstance(d.op, NpuBlockOperation):
            assert all(x > 0 for x in d.op.ifm.shape), d
    # Every weight and bias range lies in a declared region.
    report = check_memory(ops, stream.region_sizes, stream.inputs, stream.outputs)
    assert report.findings == []
    # The model's input is read by the first op that touches its bytes.
    (inp,) = stream.inputs
    assert inp.offset is not None
    assert any(
        a.region == inp.region and a.span[0] <= inp.offset < a.span[1] and not a.write
        for accesses in report.accesses
        for a in accesses
    )


@pytest.mark.parametrize("core", list(CORES))
def test_tflite_and_raw_hold_the_same_stream(compiled, core: str) -> None:  # type: ignore[no-untyped-def]
    pairs = 0
    for m in bundled_models():
        tfl, raw = compiled[(m.stem, core, "tflite")], compiled[(m.stem, core, "raw")]
        if tfl.path is None or raw.path is None:
            continue
        a, b = read_stream_file(tfl.path), read_stream_file(raw.path)
        assert a.words.tolist() == b.words.tolist(), m.stem
        assert a.flash == b.flash, m.stem
        pairs += 1
    assert pairs >= 3


U65_512 = [
    (m, c) for m in ("tflite_micro_speech", "fingerprint_signature_generator")
    for c in CORES
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "core"), U65_512, ids=[f"{m}-{c}" for m, c in U65_512]
)
def test_u65_512_two_weight_streams(tmp_path: Path, name: str, core: str) -> None:
    """Vela's ethos-u65-512 streams deal each weighted op's output channels
    to two cores (conv and depthwise): two weight and scale ranges, and run
    in the npu interpreter (core k: channels k, k + 2, ...) they equal
    LiteRT."""
    model = next(m for m in bundled_models() if m.stem == name)
    result = compile_model(model, core, "tflite", tmp_path, "ethos-u65-512")
    assert result.path is not None, result.error
    stream = read_stream_file(result.path)
    assert stream.accelerator == NpuAccelerator.Ethos_U65_512
    ops = decode_operations(decode_words(stream.words))
    weighted = [d.op for d in ops if getattr(d.op, "weights", None)]
    # Output channels are dealt to two cores: two weight and scale streams.
    assert weighted and all(len(op.weights) == 2 for op in weighted)
    assert all(len(op.biases) == 2 for op in weighted)
    report = check_memory(ops, stream.region_sizes, stream.inputs, stream.outputs)
    assert report.findings == []
    checks = verify_compiled(model, result.path, 0)
    assert checks and all(c.exact for c in checks), [c.line() for c in checks]
