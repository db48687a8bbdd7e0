"""The Vela-format writers: our `.tflite` with `ethos-u` operators is
Vela's file again when given the segments Vela chose; the reader reads
what we write; CPU operators stay runnable; the raw `.npz` has Vela's keys
and dtypes; bad segments give one-line errors and no file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.tflite_structure import describe, segments_from_vela
from tests.vela_compile import MODELS, bundled_models, compile_model
from tirconst.backend.ethos_u import read_npz, read_tflite
from tirconst.backend.ethos_u.writers import (
    NpuSegment,
    OutputError,
    SegmentTensor,
    output_path,
    tflite_bytes,
    write_npz,
    write_tflite,
)

ALL = [p.stem for p in bundled_models()]
MIXED = ["autoencoder_example", "image_example1"]  # QUANTIZE/DEQUANTIZE on CPU


@pytest.fixture(scope="module")
def vela_out(tmp_path_factory):
    root = tmp_path_factory.mktemp("vela")
    cache: dict[tuple[str, str, str], Path] = {}

    def get(model: str, fmt: str = "tflite", core: str = "regor") -> Path:
        key = (model, fmt, core)
        if key not in cache:
            done = compile_model(
                MODELS / f"{model}.tflite", core, fmt, root / "-".join(key)
            )
            assert done.path is not None, done.error
            cache[key] = done.path
        return cache[key]

    return get


def _diff(a: dict, b: dict) -> list[str]:
    out = []
    for k in a:
        if isinstance(a[k], list) and len(a[k]) == len(b[k]):
            out += [
                f"{k}[{i}]: {x!r:.200} != {y!r:.200}"
                for i, (x, y) in enumerate(zip(a[k], b[k], strict=True))
                if x != y
            ]
        elif a[k] != b[k]:
            out.append(f"{k}: {a[k]!r:.200} != {b[k]!r:.200}")
    return out


@pytest.mark.parametrize("model", ALL)
def test_rewrite_of_vela_segments_is_vela_file(model, vela_out, tmp_path):
    vela = vela_out(model).read_bytes()
    segments, arena = segments_from_vela(MODELS / f"{model}.tflite", vela)
    assert segments
    ours = write_tflite(
        output_path(model, tmp_path), MODELS / f"{model}.tflite", segments, arena
    )
    assert ours.name == f"{model}_tirconst.tflite"
    assert _diff(describe(vela), describe(ours.read_bytes())) == []
    # the reader sees the same stream, memory and placements in both
    a, b = read_tflite(vela_out(model)), read_tflite(ours)
    assert np.array_equal(a.words, b.words) and a.flash == b.flash
    assert (a.region_sizes, a.inputs, a.outputs) == (
        b.region_sizes,
        b.inputs,
        b.outputs,
    )
    assert a.accelerator == b.accelerator


@pytest.mark.parametrize("model", ALL)
def test_no_segments_keeps_every_operator(model):
    """Every CPU operator is kept: same code, same tensors (by name, with
    their contents), same options field by field."""
    original = (MODELS / f"{model}.tflite").read_bytes()

    def named(view: dict) -> list:
        names = [t[0] for t in view["tensors"]]
        return [
            (
                code,
                [names[i] if i >= 0 else None for i in ins],
                [names[i] for i in outs],
                *rest,
            )
            for code, ins, outs, *rest in view["operators"]
        ]

    a, b = describe(original), describe(tflite_bytes(original, []))
    assert named(a) == named(b)

    # (the original gives each activation an empty buffer of its own, we
    # share buffer 0 as Vela does: compare all but that flag)
    def fields(view: dict) -> list:
        return sorted(t[:7] + t[8:] for t in view["tensors"])

    assert fields(a) == fields(b)
    assert any(op[3] is not None for op in a["operators"])


def _run(model: bytes, x: list[np.ndarray]) -> list[np.ndarray]:
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    it = Interpreter(
        model_content=model, experimental_op_resolver_type=OpResolverType.BUILTIN_REF
    )
    it.allocate_tensors()
    for d, v in zip(it.get_input_details(), x, strict=True):
        it.set_tensor(d["index"], v)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()]


@pytest.mark.parametrize("model", ALL)
def test_no_segments_runs_like_the_original(model):
    """Without an NPU part every operator is a kept CPU operator: LiteRT
    runs our file to the same bits as the original."""
    from ai_edge_litert.interpreter import Interpreter

    original = (MODELS / f"{model}.tflite").read_bytes()
    rng = np.random.default_rng(0)
    inputs = []
    for d in Interpreter(model_content=original).get_input_details():
        if np.issubdtype(d["dtype"], np.integer):
            info = np.iinfo(d["dtype"])
            inputs.append(
                rng.integers(info.min, info.max + 1, d["shape"]).astype(d["dtype"])
            )
        else:
            inputs.append(rng.standard_normal(d["shape"]).astype(d["dtype"]))
    ours = tflite_bytes(original, [])
    for a, b in zip(_run(original, inputs), _run(ours, inputs), strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)


@pytest.mark.parametrize("model", MIXED)
def test_litert_resolves_cpu_ops_of_mixed_file(model, vela_out):
    """LiteRT cannot run `ethos-u`; it loads our file and prepares the CPU
    operators before it, stopping only at the custom operator."""
    from ai_edge_litert.interpreter import Interpreter

    vela = vela_out(model).read_bytes()
    segments, arena = segments_from_vela(MODELS / f"{model}.tflite", vela)
    it = Interpreter(
        model_content=tflite_bytes(MODELS / f"{model}.tflite", segments, arena)
    )
    with pytest.raises(RuntimeError, match="unresolved custom op: ethos-u") as err:
        it.allocate_tensors()
    assert "Node number 1 (ethos-u)" in str(err.value)


@pytest.mark.parametrize(
    "model", ["keyword_spotting_mobilenetv2", "tflite_micro_speech"]
)
def test_npz_matches_vela_raw(model, vela_out, tmp_path):
    raw = vela_out(model, "raw")
    segments, _ = segments_from_vela(
        MODELS / f"{model}.tflite", vela_out(model).read_bytes()
    )
    # the raw file's own placements (same compile, same plan)
    theirs = np.load(raw, allow_pickle=True)
    seg = segments[0]
    seg = NpuSegment(
        seg.operators,
        theirs["cmd_data"].tobytes(),
        theirs["weight_data"].tobytes(),
        int(theirs["scratch_size"]),
        tuple(
            SegmentTensor(t.tensor, int(r), int(o))
            for t, r, o in zip(
                seg.inputs, theirs["input_region"], theirs["input_offset"], strict=True
            )
        ),
        tuple(
            SegmentTensor(t.tensor, int(r), int(o))
            for t, r, o in zip(
                seg.outputs,
                theirs["output_region"],
                theirs["output_offset"],
                strict=True,
            )
        ),
        int(theirs["scratch_fast_size"]),
    )
    path = write_npz(
        output_path(model, tmp_path, "raw"), MODELS / f"{model}.tflite", seg
    )
    assert path.name == f"{model}_tirconst.npz"
    ours = np.load(path, allow_pickle=True)
    assert ours.files == theirs.files
    for key in theirs.files:
        a, b = theirs[key], ours[key]
        assert (a.dtype, a.shape) == (b.dtype, b.shape), key
        if a.dtype == object:
            for x, y in zip(a, b, strict=True):
                assert x.keys() == y.keys() and x["quant_type"] == y["quant_type"]
                for k in ("scale", "zero_point"):
                    assert x[k].dtype == y[k].dtype and np.array_equal(x[k], y[k]), key
        else:
            assert a.tobytes() == b.tobytes(), key
    a, b = read_npz(raw), read_npz(path)
    assert np.array_equal(a.words, b.words) and a.flash == b.flash
    assert (a.region_sizes, a.inputs, a.outputs) == (
        b.region_sizes,
        b.inputs,
        b.outputs,
    )


def _segment(**kw) -> NpuSegment:
    base = dict(
        operators=frozenset({0}),
        payload=b"COP1" + bytes(12),
        flash=b"",
        scratch_size=16,
        inputs=(SegmentTensor(0, 1, 0),),
        outputs=(SegmentTensor(6, 1, 0),),
    )
    base.update(kw)
    return NpuSegment(**base)


@pytest.mark.parametrize(
    "segments, message",
    [
        (
            [_segment(operators=frozenset({99}))],
            "segment 0: operator 99 is not in the model",
        ),
        ([_segment(), _segment()], "operator 0 is in segments 0 and 1"),
        ([_segment(payload=b"junk")], "segment 0: payload is not a driver payload"),
        ([_segment(operators=frozenset())], "segment 0 replaces no operator"),
        (
            [_segment(inputs=(SegmentTensor(999),))],
            "segment 0: tensor 999 is not in the model",
        ),
        (
            [_segment(outputs=(SegmentTensor(6, 0, 0),))],
            "tensor 6 at region 0 offset 0 is not in the arena",
        ),
    ],
)
def test_bad_segments_write_nothing(segments, message, tmp_path):
    out = tmp_path / "m_tirconst.tflite"
    with pytest.raises(OutputError, match=message):
        write_tflite(out, MODELS / "tflite_micro_speech.tflite", segments)
    assert list(tmp_path.iterdir()) == []


def test_segment_must_be_convex_and_placed_once(tmp_path):
    """micro_speech is CONV, RESHAPE, FC, SOFTMAX (tensors 0 -> 6 -> 7 -> 8
    -> 9): a segment {0, 2} would read RESHAPE's output before it runs."""
    model = MODELS / "tflite_micro_speech.tflite"
    seg = _segment(
        operators=frozenset({0, 2}),
        inputs=(SegmentTensor(0, 1, 0), SegmentTensor(7, 1, 0)),
        outputs=(SegmentTensor(6, 1, 0), SegmentTensor(8, 1, 0)),
    )
    with pytest.raises(
        OutputError, match="ethos-u operator reads tensor .* before it is written"
    ):
        tflite_bytes(model, [seg])
    undeclared = _segment(operators=frozenset({0, 1, 2, 3}), inputs=())
    with pytest.raises(
        OutputError,
        match="segment 0: operator 0 reads tensor 0 'input_1_int8' that is not a "
        "segment input",
    ):
        tflite_bytes(model, [undeclared])
    hidden = _segment(operators=frozenset({0}), outputs=())
    with pytest.raises(
        OutputError,
        match="segment 0: tensor 6 .* is read by operator 1 but is not a segment "
        "output",
    ):
        tflite_bytes(model, [hidden])
    last = _segment(operators=frozenset({3}), inputs=(SegmentTensor(8),), outputs=())
    with pytest.raises(
        OutputError,
        match="segment 0: graph output 9 'Identity_int8' is not a segment output",
    ):
        tflite_bytes(model, [last])
    twice = _segment(
        operators=frozenset({0}),
        inputs=(SegmentTensor(0, 1, 0),),
        outputs=(SegmentTensor(6, 1, 64),),
    )
    again = _segment(
        operators=frozenset({1, 2, 3}),
        inputs=(SegmentTensor(6, 1, 32),),
        outputs=(SegmentTensor(9, 1, 0),),
    )
    with pytest.raises(
        OutputError, match="segment 1: tensor 6 at offset 32, already placed at 64"
    ):
        tflite_bytes(model, [twice, again])


def test_failed_write_keeps_existing_file(tmp_path):
    out = tmp_path / "m_tirconst.tflite"
    out.write_bytes(b"previous")
    with pytest.raises(OutputError):
        write_tflite(
            out, MODELS / "tflite_micro_speech.tflite", [_segment(payload=b"")]
        )
    assert out.read_bytes() == b"previous" and len(list(tmp_path.iterdir())) == 1


def test_not_a_model(tmp_path):
    with pytest.raises(OutputError, match="not a .tflite model"):
        write_tflite(tmp_path / "x.tflite", b"\0" * 64, [])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("same", [True, False])
def test_segments_with_one_blob_share_one_read_only_tensor(same, tmp_path):
    """Region 0 is read-only: two segments whose blobs are equal read one
    `read_only` tensor (the file holds the blob once); different blobs get
    a tensor each. The file's flash is each tensor once."""
    from tirconst.backend.ethos_u import tflite_flash_bytes

    first = _segment(flash=bytes(range(48)), outputs=(SegmentTensor(6, 1, 64),))
    second = _segment(
        operators=frozenset({1, 2, 3}),
        payload=b"COP1" + bytes(20),
        flash=first.flash if same else bytes(40),
        inputs=(SegmentTensor(6, 1, 64),),
        outputs=(SegmentTensor(9, 1, 0),),
    )
    path = write_tflite(
        tmp_path / "m.tflite", MODELS / "tflite_micro_speech.tflite", [first, second]
    )
    d = describe(path.read_bytes())
    names = [t[0] for t in d["tensors"]]
    ethos = [o for o in d["operators"] if o[0][2] == "ethos-u"]
    assert len(ethos) == 2
    flash = [names[o[1][1]] for o in ethos]
    assert flash == (
        ["read_only", "read_only"] if same else ["read_only", "read_only_1"]
    )
    assert sum(n.startswith("read_only") for n in names) == (1 if same else 2)
    assert [d["tensors"][o[1][1]][-1] for o in ethos] == [first.flash, second.flash]
    payloads = len(first.payload) + len(second.payload)
    blobs = len(first.flash) + (0 if same else len(second.flash))
    assert tflite_flash_bytes(path) == payloads + blobs
