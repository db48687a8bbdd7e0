"""tirconst-compile on every bundled model: the compiled program (npu part in
the npu interpreter, CPU part in the tir interpreter, on the planned pool
bytes) equals LiteRT's reference kernels; the bytes written for the device,
disassembled and run, too; bad input is one line and leaves nothing."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from tests.test_importer_litert import litert
from tests.test_tflite_litert import Op, T, build_tflite
from tests.tflite_patch import MODELS
from tests.vela_compile import estimate_file
from tirconst.analysis.performance import estimate
from tirconst.backend.ethos_u.containers import (
    read_tflite,
    read_tflite_segments,
    tflite_flash_bytes,
)
from tirconst.backend.ethos_u.summary import read_summary
from tirconst.backend.ethos_u.verify import verify_compiled
from tirconst.dialects import tir
from tirconst.interpreter import random_inputs, run_function
from tirconst.tools import compile as compile_tool
from tirconst.tools.compile import (
    Compiler,
    compile_limits,
    compile_model,
    pipeline_text,
    system_config,
)
from tirconst.transforms.data_views import DataViewsPass
from tirconst.transforms.encode_weights import EncodeWeightsPass
from tirconst.transforms.tile import TilePass

ALL_MODELS = sorted(p.stem for p in MODELS.glob("*.tflite"))
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("compiled")
    for name in ALL_MODELS:
        compile_model(MODELS / f"{name}.tflite", out)
    return out


@pytest.mark.parametrize("name", ALL_MODELS)
def test_compiled_program_equals_litert(name: str) -> None:
    """The lowered module, run on its planned memory, gives LiteRT's outputs."""
    path = MODELS / f"{name}.tflite"
    module, _ = Compiler(path, "ethos-u55-128", None).run()
    for seed in (0, 1, 2):
        inputs = {
            k: v
            for k, v in random_inputs(module, seed=seed).items()
            if k.startswith("input")  # the plan may reuse an input's bytes
        }
        ours = run_function(module, inputs)
        interp = litert(path, inputs)
        for i, d in enumerate(interp.get_output_details()):
            want = interp.get_tensor(d["index"])
            got = ours[f"output{i}"].reshape(want.shape)
            assert np.array_equal(got, want), f"{name} seed {seed} output{i}"


@pytest.mark.parametrize("name", ALL_MODELS)
def test_outputs_in_vela_formats(name: str, compiled: Path) -> None:
    ours = compiled / f"{name}_tirconst.tflite"
    stream = read_tflite(ours)
    assert stream.words.size > 0 and stream.flash is not None
    summary = read_summary(compiled / f"{name}_summary_tirconst.csv")
    assert float(summary["sram_memory_used"]) > 0
    assert (compiled / f"{name}_per-layer.csv").read_text().count("\n") > 1
    assert "<svg" in (compiled / f"{name}_memory.svg").read_text()


@pytest.mark.parametrize("name", ALL_MODELS)
def test_device_bytes_equal_litert(name: str, compiled: Path) -> None:
    """Every NPU segment of our `.tflite`, read back from the file,
    disassembled and run, equals LiteRT at its outputs, bit for bit."""
    written = compiled / f"{name}_tirconst.tflite"
    for seed in (0, 1, 2):
        checks = verify_compiled(MODELS / f"{name}.tflite", written, seed)
        assert checks
        for c in checks:
            assert c.exact, f"{name} seed {seed}: {c.line()}"


def _conv3x3(rng: np.random.Generator, c_in: int, c_out: int) -> list[T]:
    """A random 3x3 int8 filter and its int32 bias, as tensors."""
    w = rng.integers(-127, 128, (c_out, 3, 3, c_in)).astype(np.int8)
    b = rng.integers(-3000, 3000, c_out).astype(np.int32)
    return [
        T(w.shape, np.int8, 0.02, 0, data=w),
        T(b.shape, np.int32, 1e-3, 0, data=b),
    ]


def two_segment_model(seed: int = 0) -> bytes:
    """CONV_2D -> MEAN -> CONV_2D: the mean over axes 1 and 3 (not
    adjacent) stays on the CPU, so the compile has two NPU segments with a
    CPU operator between them."""
    rng = np.random.default_rng(seed)

    def conv(c_in: int, c_out: int) -> list[T]:
        return _conv3x3(rng, c_in, c_out)

    opts = (
        "Conv2DOptions",
        {
            "Padding": 0,
            "StrideW": 1,
            "StrideH": 1,
            "FusedActivationFunction": 0,
            "DilationWFactor": 1,
            "DilationHFactor": 1,
        },
    )
    tensors = [
        T((1, 8, 8, 4), np.int8, 0.05, 3),
        *conv(4, 260),
        T((1, 8, 8, 260), np.int8, 0.1, -5),
        T((2,), np.int32, data=np.array([1, 3], np.int32)),
        T((1, 1, 8, 1), np.int8, 0.02, 1),
        *conv(1, 6),
        T((1, 1, 8, 6), np.int8, 0.08, 2),
    ]
    ops = [
        Op("CONV_2D", [0, 1, 2], [3], opts),
        Op("MEAN", [3, 4], [5], ("ReducerOptions", {"KeepDims": True})),
        Op("CONV_2D", [5, 6, 7], [8], opts),
    ]
    return build_tflite(tensors, ops, [0], [8])


def test_two_segments_carry_the_flash_once(tmp_path: Path) -> None:
    """Two NPU segments read one `read_only` tensor (region 0 is read-only
    and TFLM's ethos-u operator takes any constant tensor as a region), so
    the file holds the blob once and the summary's flash is the file's; each
    segment, disassembled from the file and run, equals LiteRT."""
    import tflite

    model = tmp_path / "two.tflite"
    model.write_bytes(two_segment_model())
    result = compile_model(model, tmp_path / "out")
    written = tmp_path / "out" / "two_tirconst.tflite"
    m = tflite.Model.GetRootAsModel(written.read_bytes(), 0)
    sg = m.Subgraphs(0)
    ethos = [
        sg.Operators(k)
        for k in range(sg.OperatorsLength())
        if m.OperatorCodes(sg.Operators(k).OpcodeIndex()).CustomCode() == b"ethos-u"
    ]
    assert len(ethos) == 2
    assert ethos[0].Inputs(1) == ethos[1].Inputs(1)
    names = [sg.Tensors(t).Name().decode() for t in range(sg.TensorsLength())]
    assert sum(n.startswith("read_only") for n in names) == 1
    streams = read_tflite_segments(written)
    assert streams[0].flash == streams[1].flash
    payloads = sum(4 * (s.words_offset + len(s.words)) for s in streams)
    assert tflite_flash_bytes(written) == len(streams[0].flash) + payloads
    summary = read_summary(tmp_path / "out" / "two_summary_tirconst.csv")
    flash_kib = float(summary["off_chip_flash_memory_used"])
    assert flash_kib * 1024 == result.flash_bytes == tflite_flash_bytes(written)
    for seed in (0, 1, 2):
        checks = verify_compiled(model, written, seed)
        assert len(checks) == 2
        for c in checks:
            assert c.exact, f"seed {seed}: {c.line()}"


def pad_between_segments_model(seed: int = 0) -> bytes:
    """CONV_2D -> CONV_2D -> PAD -> MAX_POOL_2D -> ADD(first conv's output):
    the pad, read only by a pool, is not folded and stays on the CPU, so
    the compile has two NPU segments, and the first conv's output crosses
    the pad (written by segment 0, read by segment 1, not by the pad)."""
    rng = np.random.default_rng(seed)

    def conv(c_in: int, c_out: int) -> list[T]:
        return _conv3x3(rng, c_in, c_out)

    same = {
        "Padding": 0,
        "StrideW": 1,
        "StrideH": 1,
        "FusedActivationFunction": 0,
    }
    dilation = {"DilationWFactor": 1, "DilationHFactor": 1}
    pool = {"Padding": 1, "StrideW": 1, "StrideH": 1, "FilterWidth": 3}
    pool |= {"FilterHeight": 3, "FusedActivationFunction": 0}
    paddings = np.array([[0, 0], [1, 1], [1, 1], [0, 0]], np.int32)
    tensors = [
        T((1, 16, 16, 4), np.int8, 0.05, 3),
        *conv(4, 8),
        T((1, 16, 16, 8), np.int8, 0.1, -5),  # 3: crosses the pad
        *conv(8, 8),
        T((1, 16, 16, 8), np.int8, 0.1, 2),
        T((4, 2), np.int32, data=paddings),
        T((1, 18, 18, 8), np.int8, 0.1, 2),
        T((1, 16, 16, 8), np.int8, 0.1, 2),
        T((1, 16, 16, 8), np.int8, 0.15, -1),
    ]
    ops = [
        Op("CONV_2D", [0, 1, 2], [3], ("Conv2DOptions", same | dilation)),
        Op("CONV_2D", [3, 4, 5], [6], ("Conv2DOptions", same | dilation)),
        Op("PAD", [6, 7], [8]),
        Op("MAX_POOL_2D", [8], [9], ("Pool2DOptions", pool)),
        Op("ADD", [3, 9], [10], ("AddOptions", {"FusedActivationFunction": 0})),
    ]
    return build_tflite(tensors, ops, [0], [10])


@pytest.mark.parametrize(
    ("accelerator", "optimise"),
    [
        # Size: tir-tile must leave the pad (a CPU op) whole and out of the
        # conv -> pad -> pool cascade: the CPU runs PAD on whole tensors.
        ("ethos-u55-128", "Size"),
        # A dedicated-SRAM U65: tensor 3, left by segment 0 for segment 1
        # across the pad, must be in the arena (the cache does not outlive
        # a segment).
        ("ethos-u65-256", "Performance"),
    ],
)
def test_cpu_op_between_segments_is_exact(
    tmp_path: Path, accelerator: str, optimise: str
) -> None:
    model = tmp_path / "padded.tflite"
    model.write_bytes(pad_between_segments_model())
    config = system_config(accelerator, optimise=optimise)
    result = compile_model(model, tmp_path / "out", accelerator, config=config)
    assert result.cpu_ops == 1
    written = result.outputs["padded_tirconst.tflite"]
    for seed in (0, 1):
        checks = verify_compiled(model, written, seed)
        assert len(checks) == 2
        for c in checks:
            assert c.exact, f"seed {seed}: {c.line()}"


@pytest.mark.parametrize("name", ALL_MODELS)
def test_summary_is_the_file(name: str, compiled: Path) -> None:
    """The summary's figures are what the written `.tflite` holds: flash its
    ethos-u payloads and read-only tensors, SRAM its scratch tensor, passes
    the decoded NPU operations plus the CPU operators."""
    import tflite

    from tirconst.backend.ethos_u import disassemble_segments

    summary = read_summary(compiled / f"{name}_summary_tirconst.csv")
    written = compiled / f"{name}_tirconst.tflite"
    assert float(summary["off_chip_flash_memory_used"]) * 1024 == (
        tflite_flash_bytes(written)
    )
    streams = read_tflite_segments(written)
    assert {float(summary["sram_memory_used"]) * 1024} == {
        s.region_sizes[1] for s in streams
    }
    m = tflite.Model.GetRootAsModel(written.read_bytes(), 0)
    sg = m.Subgraphs(0)
    cpu = sum(
        m.OperatorCodes(sg.Operators(k).OpcodeIndex()).CustomCode() != b"ethos-u"
        for k in range(sg.OperatorsLength())
    )
    npu = sum(len(d.ops) for d in disassemble_segments(written))
    assert int(summary["passes_before_fusing"]) == npu + cpu


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            n,
            marks=pytest.mark.xfail(
                strict=True,
                reason="with the softmax on the NPU for both (1184 bytes of "
                "table and constants, ~320 stream words; Vela's costs more), "
                "the rest of our file is ~0.5% larger than regor's: the "
                "margin came from the CPU softmax",
            ),
        )
        if n == "keyword_spotting_mobilenetv2"
        else n
        for n in ALL_MODELS
    ],
)
def test_flash_at_or_below_vela(name: str, compiled: Path, tmp_path: Path) -> None:
    """Flash as the files hold it (ethos-u payloads + read-only blobs), ours
    at or below Vela's default core on every bundled model."""
    from tests.vela_compile import compile_model as vela

    done = vela(MODELS / f"{name}.tflite", "regor", "tflite", tmp_path)
    assert done.path is not None, done.error
    ours = tflite_flash_bytes(compiled / f"{name}_tirconst.tflite")
    assert ours <= tflite_flash_bytes(done.path)


def _vela_layers(model: Path, out: Path) -> tuple[dict[str, str], list[dict]]:
    """Vela's summary row and per-layer rows (`--verbose-performance`)."""
    import csv

    subprocess.run(
        [sys.executable, "-m", "ethosu.vela", str(model), "--output-dir", str(out)]
        + ["--accelerator-config", "ethos-u55-128", "--verbose-performance"],
        check=True,
        capture_output=True,
    )
    (summary,) = out.glob(f"{model.stem}_summary_*.csv")
    with open(out / f"{model.stem}_per-layer.csv", newline="") as f:
        return read_summary(summary), list(csv.DictReader(f))


def _key(op: str) -> str:
    """An operator kind in Vela's (`MaxPool`) and our (`MAX_POOL2D`) names."""
    return op.replace("_", "").lower().removesuffix("2d")


@pytest.mark.parametrize("name", ALL_MODELS)
def test_macs_are_vela_s(name: str, compiled: Path, tmp_path: Path) -> None:
    """MAC Count per operator as Vela counts it: an operator the tiler left
    whole has Vela's count (rows matched by name); a tiled one the sum of its
    tiles (rows a tile recomputes or that no one reads make it differ). With
    no operator tiled, nn_macs is Vela's less what Vela runs on the NPU
    that we leave on the CPU (none of the bundled models' operators now).
    A conv `tir-pair-columns` ran over column pairs counts its zero taps
    too (what the NPU computes, as Vela's legacy core counts its own)."""
    import csv
    from collections import Counter

    theirs, vela_rows = _vela_layers(MODELS / f"{name}.tflite", tmp_path)
    with open(compiled / f"{name}_per-layer.csv", newline="") as f:
        ours = list(csv.DictReader(f))
    summary = read_summary(compiled / f"{name}_summary_tirconst.csv")
    assert int(summary["nn_macs"]) == sum(int(r["MAC Count"]) for r in ours) > 0
    vela_by_name, rows_by_name = Counter(), Counter()
    for r in vela_rows:
        vela_by_name[r["Name"], _key(r["Original Operator"])] += int(r["MAC Count"])
    for r in ours:
        rows_by_name[r["Name"]] += 1
    matched = 0
    for r in ours:
        key = r["Name"], _key(r["Original Operator"])
        if r["Target"] == "CPU":
            assert int(r["MAC Count"]) == 0
        elif (
            # Vela spreads a softmax over ~30 rows named after its input
            # (the row max carries its MACs): only the totals compare.
            r["Original Operator"] != "SOFTMAX"
            and rows_by_name[r["Name"]] == 1
            and key in vela_by_name
        ):
            want = vela_by_name[key]
            if int(r["MAC Count"]) != want:
                # tir-pair-columns: the paired conv's zero taps run too (as
                # Vela's legacy core counts its paired conv): at most 2x.
                assert r["Original Operator"] == "CONV2D", r["Name"]
                assert want < int(r["MAC Count"]) <= 2 * want, r["Name"]
            matched += 1
    assert matched >= 1
    if all(r["Tile"] == "" for r in ours):
        cpu = {_key(r["Original Operator"]) for r in ours if r["Target"] == "CPU"}
        on_our_cpu = sum(
            int(r["MAC Count"])
            for r in vela_rows
            if _key(r["Original Operator"]) in cpu
        )
        paired = _pairing_macs(MODELS / f"{name}.tflite")
        assert int(summary["nn_macs"]) == int(theirs["nn_macs"]) - on_our_cpu + paired


def _pairing_macs(model: Path) -> int:
    """The MACs `tir-pair-columns` adds to the compile of `model` (the zero
    taps of the convs it pairs)."""
    from tirconst.frontend.importer import import_tflite

    def macs(module: ModuleOp) -> int:
        return sum(o.macs() for o in module.walk() if isinstance(o, tir.Conv2DOp))

    module = import_tflite(model)
    ctx = Context()
    head = "tir-tabulate,tir-legalize-npu"
    for p in compile_tool._passes(head):
        p.apply(ctx, module)
    before = macs(module)
    for p in compile_tool._passes("tir-pair-columns{by-cost=ethos-u55-128}"):
        p.apply(ctx, module)
    return macs(module) - before


@pytest.mark.parametrize("name", ALL_MODELS)
def test_weight_totals_are_the_blob_s(name: str, compiled: Path) -> None:
    """total_npu_encoded_weights counts each encoded constant once (tiles
    of one operator share it), so it is at most the flash blob."""
    summary = read_summary(compiled / f"{name}_summary_tirconst.csv")
    blob = read_tflite(compiled / f"{name}_tirconst.tflite").flash
    assert 0 < int(summary["total_npu_encoded_weights"]) <= len(blob)


@pytest.mark.parametrize("name", ALL_MODELS)
def test_summary_and_layers_carry_the_estimate(name: str, compiled: Path) -> None:
    """Vela's cycle, time, bandwidth and traffic columns are filled and agree:
    the per-layer Op Cycles sum to cycles_total (as in Vela), the time is the
    cycles over the clock, and the written bytes, read back, cost the same."""
    s = read_summary(compiled / f"{name}_summary_tirconst.csv")
    with open(compiled / f"{name}_per-layer.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    total = float(s["cycles_total"])
    npu = [r for r in rows if r["Target"] == "NPU"]
    assert npu and all(r["Op Cycles"] and r["SRAM AC"] for r in npu)
    assert all(r["Op Cycles"] == "" for r in rows if r["Target"] == "CPU")
    assert sum(float(r["Op Cycles"]) for r in npu) == pytest.approx(total, abs=len(npu))
    assert sum(float(r["Network% (cycles)"]) for r in npu) == pytest.approx(100.0)
    assert all(0 <= float(r["Util% (MAC)"]) <= 100 for r in npu)
    assert (s["system_config"], s["memory_mode"]) == (
        "Ethos_U55_High_End_Embedded",
        "Shared_Sram",
    )
    clock = float(s["core_clock"])
    assert clock == 500e6
    assert float(s["inference_time"]) == pytest.approx(total / clock)
    assert float(s["inferences_per_second"]) == pytest.approx(clock / total)
    assert float(s["off_chip_flash_bandwidth"]) == pytest.approx(500e6 / 2**30)
    for mem in ("sram", "off_chip_flash"):
        parts = [
            float(s[f"{mem}_{what}_{d}_bytes"])
            for what in ("feature_map", "weight")
            for d in ("read", "write")
        ]
        assert float(s[f"{mem}_total_bytes"]) == pytest.approx(sum(parts))
        assert sum(parts) > 0
    assert float(s["cycles_npu"]) > 0 and float(s["cycles_sram_access"]) > 0
    assert total >= float(s["cycles_off_chip_flash_access"]) > 0
    written = estimate_file(compiled / f"{name}_tirconst.tflite")
    assert written.cycles == pytest.approx(total, rel=0.01)


def test_system_config_options(tmp_path: Path) -> None:
    r = _run(
        str(MODELS / "tflite_micro_magic_wand.tflite"),
        "--output-dir",
        str(tmp_path),
        "--system-config",
        "Ethos_U55_Deep_Embedded",
        "--arena-cache-size",
        "65536",
        "--optimise",
        "Size",
    )
    assert r.returncode == 0, r.stderr
    assert "cycles" in r.stdout and "ms per inference (Ethos_U55_Deep_Embedded" in (
        r.stdout
    )
    s = read_summary(tmp_path / "tflite_micro_magic_wand_summary_tirconst.csv")
    assert float(s["core_clock"]) == 200e6
    assert float(s["arena_cache_size"]) == 65536
    assert float(s["off_chip_flash_bandwidth"]) == pytest.approx(
        8 * 0.0625 * 200e6 / 2**30
    )


@pytest.mark.parametrize(
    "name",
    [
        "fingerprint_signature_generator",
        # softmax on the NPU: the whole network is one stream
        "keyword_spotting_mobilenetv2",
        "tflite_micro_speech",
    ],
)
def test_raw_output_reads_back(tmp_path: Path, name: str) -> None:
    """Raw output of the bundled models that run wholly on the NPU (the
    others keep a float (de)quantize on the CPU)."""
    from tirconst.backend.ethos_u.containers import read_npz

    compile_model(MODELS / f"{name}.tflite", tmp_path, output_format="raw")
    stream = read_npz(tmp_path / f"{name}_tirconst.npz")
    assert stream.words.size > 0


def test_raw_output_refuses_a_cpu_operator(tmp_path: Path) -> None:
    """A CPU operator between NPU segments (a mean over axes 1 and 3): a
    raw .npz would hold its input as the model's "output"; Vela refuses it
    too."""
    model = tmp_path / "two.tflite"
    model.write_bytes(two_segment_model())
    out = tmp_path / "out"
    r = _run(str(model), "--output-dir", str(out), "--output-format", "raw")
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "but operators stay on the CPU: MEAN (operator 1)" in lines[0]
    assert not out.exists() or not list(out.iterdir())


COSTED_PASSES = (
    "tir-pair-columns",
    "tir-split-weights",
    "tir-feature-layouts",
    "tir-encode-weights",
    "tir-stage-weights",
    "convert-tir-to-npu",
)


def test_decisions_are_for_the_system_config(tmp_path: Path) -> None:
    """`--system-config` is what the cycle model decides for, as Vela
    schedules for it: every pass that decides by cost is told the system,
    and on Ethos_U55_Deep_Embedded (flash at half the bytes per cycle) the
    program decided for it is faster there than the one decided for the
    default system, and still exact from its written bytes."""
    model = MODELS / "image_example1.tflite"
    deep = system_config("ethos-u55-128", "Ethos_U55_Deep_Embedded")
    text = pipeline_text("ethos-u55-128", system=deep)
    for name in COSTED_PASSES:
        (spec,) = [p for p in text.split(",") if p.startswith(name + "{")]
        assert "system-config=Ethos_U55_Deep_Embedded" in spec, spec
    assert "system-config" not in pipeline_text("ethos-u55-128")
    cycles = {}
    for decided in ("default", "deep"):
        compiler = Compiler(
            model, "ethos-u55-128", None, system=deep if decided == "deep" else None
        )
        module, _ = compiler.run()
        cycles[decided] = estimate(module, deep).cycles
    assert cycles["deep"] < 0.9 * cycles["default"], cycles
    result = compile_model(model, tmp_path, "ethos-u55-128", config=deep)
    assert result.performance is not None
    assert result.performance.cycles == pytest.approx(cycles["deep"])
    checks = verify_compiled(model, tmp_path / "image_example1_tirconst.tflite")
    assert checks and all(c.exact for c in checks), [str(c) for c in checks]


def test_config_files_reach_the_passes(tmp_path: Path) -> None:
    """A system from the user's own ini file (`--config`) is named to the
    passes with the file, quoted, so the printed pipeline runs as is; a
    path the pipeline cannot quote is a one-line error."""
    ini = tmp_path / "slow flash.ini"
    ini.write_text(
        "[System_Config.Slow_Flash]\n"
        "core_clock=500e6\naxi0_port=Sram\naxi1_port=OffChipFlash\n"
        "Sram_clock_scale=1.0\nSram_burst_length=32\n"
        "Sram_read_latency=32\nSram_write_latency=32\n"
        "OffChipFlash_clock_scale=0.0625\nOffChipFlash_burst_length=128\n"
        "OffChipFlash_read_latency=64\nOffChipFlash_write_latency=64\n"
        "[Memory_Mode.Shared_Sram]\n"
        "const_mem_area=Axi1\narena_mem_area=Axi0\ncache_mem_area=Axi0\n"
    )
    r = _run("--print-pipeline", "--config", str(ini), "--system-config", "Slow_Flash")
    assert r.returncode == 0, r.stderr
    for name in COSTED_PASSES:
        (spec,) = [p for p in r.stdout.strip().split(",") if p.startswith(name + "{")]
        assert f'system-config=Slow_Flash config="{ini.resolve()}"' in spec, spec
    src = tmp_path / "m.mlir"
    model = MODELS / "tflite_micro_speech.tflite"
    subprocess.run([BIN / "tirconst-import", model, "-o", src], check=True)
    run = subprocess.run(
        [BIN / "tirconst-opt", src, "-p", r.stdout.strip()],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "npu.command_stream" in run.stdout
    bad = tmp_path / 'a"b.ini'
    bad.write_text(ini.read_text())
    r = _run("--print-pipeline", "--config", str(bad), "--system-config", "Slow_Flash")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and "quote or backslash" in r.stderr


@pytest.mark.parametrize("accelerator", ["ethos-u55-128", "ethos-u65-256"])
def test_pipeline_is_the_tirconst_opt_string(accelerator: str, tmp_path: Path) -> None:
    """`--print-pipeline` through tirconst-opt gives the program the tool
    compiles (same placed, lowered IR), with the system's limits: none on
    the U55's default system, the arena cache on the U65's (as its budget
    and as the SRAM beside the DRAM arena)."""
    src = tmp_path / "m.mlir"
    model = MODELS / "tflite_micro_speech.tflite"
    subprocess.run([BIN / "tirconst-import", model, "-o", src], check=True)
    text = subprocess.run(
        [BIN / "tirconst-compile", "--print-pipeline"]
        + ["--accelerator-config", accelerator],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    budget, cache = compile_limits(system_config(accelerator))
    assert (budget, cache) == (
        (None, None) if accelerator == "ethos-u55-128" else (384 * 1024,) * 2
    )
    assert text == pipeline_text(accelerator, budget, cache_size=cache, target=True)
    out = subprocess.run(
        [BIN / "tirconst-opt", src, "-p", text],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module, _ = Compiler(
        model, accelerator, budget, cache_size=cache, target=True
    ).run()
    assert out.strip() == str(module).strip()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / "tirconst-compile", *args], capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "args, expect",
    [
        (["--accelerator-config", "ethos-u99"], "unknown accelerator"),
        # The pass is named once (not "tir-tile: tir-tile:").
        (["--sram-budget", "64"], "tflite: error: tir-tile: budget=64 bytes does not"),
        (["--sram-budget", "0"], "positive"),
        (["--system-config", "Nope"], "no section [System_Config.Nope]"),
        (["--memory-mode", "Nope"], "no section [Memory_Mode.Nope]"),
        (["--config", "missing.ini"], "missing.ini: not a readable Vela .ini"),
        (["--arena-cache-size", "-1"], "--arena-cache-size must be >= 0"),
        (
            ["--system-config", "Ethos_U55_High_End_Embedded", "--memory-mode"]
            + ["Dedicated_Sram"],
            "the arena must be SRAM or DRAM",
        ),
    ],
)
def test_bad_options_are_one_line(tmp_path: Path, args: list[str], expect: str) -> None:
    out = tmp_path / "out"
    r = _run(
        str(MODELS / "tflite_micro_speech.tflite"), "--output-dir", str(out), *args
    )
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and expect in lines[0], r.stderr
    assert not out.exists() or not list(out.iterdir())


def test_bad_model_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(b"TFL3 this is not a flatbuffer")
    r = _run(str(bad), "--output-dir", str(tmp_path / "out"))
    assert r.returncode != 0 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path / "out").exists()


def test_unwritable_output_dir_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = _run(
        str(MODELS / "tflite_micro_speech.tflite"), "--output-dir", str(blocker / "out")
    )
    assert r.returncode != 0 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert blocker.read_text() == "x"


def test_random_inputs_skip_a_parameter_on_reused_bytes(tmp_path: Path) -> None:
    """A run of a compiled program as the README's: the plan puts output0 on
    input0's bytes (image_example1's does), so random inputs fill input0
    only, and the run works."""
    model = MODELS / "image_example1.tflite"
    module, _ = Compiler(model, "ethos-u55-128", None).run()
    inputs = random_inputs(module, seed=0)
    assert "input0" in inputs and "output0" not in inputs
    src = tmp_path / "m.mlir"
    src.write_text(str(module))
    r = subprocess.run(
        [
            BIN / "tirconst-run",
            src,
            "--random-inputs",
            "0",
            "--outputs",
            tmp_path / "o.npz",
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert "output0" in np.load(tmp_path / "o.npz")


def _break_a_constant(module: ModuleOp) -> None:
    """What the rank-0 import bug did: constant data of another shape than
    the buffer that reads it."""
    const = next(op for op in module.ops if isinstance(op, tir.ConstantOp))
    flat = const.data.reshape(-1)
    const.set_data(np.append(flat, flat[:1]))


@pytest.mark.parametrize(
    "stage", ["import", "tir-data-views", "tir-tile", "tir-encode-weights"]
)
def test_a_stage_that_breaks_the_ir_is_named(
    stage: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The module is verified after the import and after every pass: IR a
    stage broke is one line naming the stage and the op, and nothing is
    written (never a program that silently means something else). After a
    pass only the verifiers whose inputs changed run again
    (`StageVerifier`): the broken module constant is not the op that fails
    but the `tir.allocate_const` that names it, which no pass touched."""
    if stage == "import":
        original_import = compile_tool.import_tflite

        def broken_import(path: Path) -> ModuleOp:
            module = original_import(path)
            _break_a_constant(module)
            return module

        monkeypatch.setattr(compile_tool, "import_tflite", broken_import)
    else:
        cls = {
            "tir-data-views": DataViewsPass,
            "tir-tile": TilePass,
            "tir-encode-weights": EncodeWeightsPass,
        }[stage]
        original_apply = cls.apply

        def broken_apply(self: ModulePass, ctx: Context, module: ModuleOp) -> None:
            original_apply(self, ctx, module)
            _break_a_constant(module)

        monkeypatch.setattr(cls, "apply", broken_apply)
    out = tmp_path / "out"
    model = MODELS / "tflite_micro_speech.tflite"
    with pytest.raises(SystemExit) as exit_:
        # Size: the pipeline tiles (Performance tiles only to an SRAM limit).
        compile_tool.main([str(model), "--output-dir", str(out), "--optimise", "Size"])
    assert exit_.value.code == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(
        f"{model}: error: after {stage}: 'tir.allocate_const' op in @main: "
    ), lines[0]
    assert not out.exists()


def test_segments_come_from_recorded_provenance(tmp_path: Path) -> None:
    """The packager takes each segment's model operators from its
    npu.invoke's `tflite.operators` (recorded by convert-tir-to-npu), not
    from the model's order; an invoke that records none is a one-line error."""
    from tirconst.backend.ethos_u.package import package
    from tirconst.backend.ethos_u.segments import OutputError
    from tirconst.dialects.npu import InvokeOp
    from tirconst.dialects.tir.provenance import TFLITE_OPERATORS
    from tirconst.formats.tflite import read_tflite

    model = tmp_path / "two.tflite"
    model.write_bytes(two_segment_model())
    module, pkg = Compiler(model, "ethos-u55-128", None).run()
    invokes = [op for op in module.walk() if isinstance(op, InvokeOp)]
    recorded = [
        frozenset(int(k) for k in inv.attributes[TFLITE_OPERATORS].get_values())  # type: ignore[attr-defined]
        for inv in invokes
    ]
    assert recorded == [s.operators for s in pkg.segments]
    del invokes[0].attributes[TFLITE_OPERATORS]
    with pytest.raises(OutputError, match=r"npu.invoke @main_npu0 records no tflite"):
        package(module, read_tflite(model))


def test_dump_ir_keeps_the_passes_that_ran_when_the_compile_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--dump-ir`: a compile that fails (here the packaging, simulated)
    still writes the IR after each pass that ran, for the diagnosis; the
    output directory stays unwritten."""
    from tirconst.backend.ethos_u.segments import OutputError

    def failing(*_: object) -> None:
        raise OutputError("simulated packaging failure")

    monkeypatch.setattr(compile_tool, "package", failing)
    out, dumps = tmp_path / "out", tmp_path / "ir"
    model = MODELS / "tflite_micro_speech.tflite"
    with pytest.raises(compile_tool.ToolError, match="simulated packaging"):
        compile_model(model, out, dump_ir=dumps)
    names = sorted(p.name for p in dumps.iterdir())
    passes = [p.name for p in compile_tool._passes(pipeline_text())]
    assert names == [
        f"{i:02d}-{name}.mlir" for i, name in enumerate(["import", *passes])
    ]
    assert "npu.invoke" in (dumps / names[-1]).read_text()
    assert not out.exists()


def test_compile_runs_with_fewer_collections_and_restores_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """During a compile the collector's thresholds are raised
    (`fewer_collections`); after it, also after a failed compile, they
    are what they were."""
    import gc

    from tirconst.core.collection import OLDER, YOUNG

    seen: list[tuple[int, int, int]] = []
    run = Compiler.run

    def spy(self: Compiler):
        seen.append(gc.get_threshold())
        return run(self)

    monkeypatch.setattr(Compiler, "run", spy)
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        compile_model(MODELS / "autoencoder_example.tflite", tmp_path / "out")
        assert seen[-1] == (YOUNG, 10, OLDER)
        assert gc.get_threshold() == (700, 10, 10)
        with pytest.raises(compile_tool.ToolError):
            compile_model(
                MODELS / "autoencoder_example.tflite", tmp_path / "o", output_format="x"
            )
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)


def _assert_exact(model: Path, written: Path) -> None:
    """Every NPU segment of the written file equals LiteRT (seed 0)."""
    checks = verify_compiled(model, written, 0)
    assert checks and all(c.exact for c in checks), [c.line() for c in checks]


@pytest.mark.parametrize(
    ("name", "accelerator"),
    [("image_example1", "ethos-u55-32"), ("audio_example1", "ethos-u55-32")],
)
def test_small_arrays_encode_blocks_shallower_than_a_stream(
    name: str, accelerator: str, tmp_path: Path
) -> None:
    """On the U55-32 an op's block config may be shallower than 8 channels
    (an FC of 4 outputs in 4-deep blocks, a 20-channel conv in 20-deep ones)
    while the encoder takes depths in multiples of 8: the stream of the
    smallest multiple covering the channels is the one the NPU reads. Such
    models compile (they stopped in tir-encode-weights' verifier) and are
    exact from the written bytes."""
    model = MODELS / f"{name}.tflite"
    result = compile_model(model, tmp_path, accelerator)
    written = result.outputs[f"{name}_tirconst.tflite"]
    _assert_exact(model, written)


@pytest.mark.parametrize(
    "name", ["image_example1", "fingerprint_signature_generator", "tflite_micro_speech"]
)
def test_u65_512_deals_channels_to_two_cores(name: str, tmp_path: Path) -> None:
    """On ethos-u65-512 every weighted op reads one stream and one set of
    records per core (core k: output channels k, k + 2, ...), conv and
    depthwise alike; the models compile (their convs stayed on the CPU, and
    the NHCWB16 maps around them failed) and are exact from the written
    bytes."""
    from tirconst.backend.ethos_u.decoder import disassemble_segments

    model = MODELS / f"{name}.tflite"
    result = compile_model(model, tmp_path, "ethos-u65-512")
    written = result.outputs[f"{name}_tirconst.tflite"]
    ops = [d.op for seg in disassemble_segments(written) for d in seg.ops]
    weighted = [op for op in ops if getattr(op, "weights", None)]
    assert weighted
    assert all(len(op.weights) == min(2, op.ofm.shape.depth) for op in weighted)
    _assert_exact(model, written)


@pytest.mark.parametrize(
    ("name", "accelerator"),
    [("image_example1", "ethos-u65-256"), ("autoencoder_example", "ethos-u65-512")],
)
def test_dedicated_sram_plans_feature_maps_in_the_cache(
    name: str, accelerator: str, tmp_path: Path
) -> None:
    """A U65's default memory mode (Dedicated_Sram_384KB) keeps the arena in
    DRAM and 384 KiB of SRAM beside it: the feature maps go to the fast
    scratch (region 2, in SRAM), the tensors the runtime hands over (the
    model's, and those of its CPU operators) to the scratch (region 1, the
    arena). The file carries both, the summary's SRAM is the fast scratch
    and its DRAM the arena, the performance model reads region 2 as SRAM,
    and the written program is exact; with Shared_Sram there is one arena
    in SRAM."""
    from tirconst.backend.ethos_u.decoder import disassemble_segments

    model = MODELS / f"{name}.tflite"
    result = compile_model(model, tmp_path / "dedicated", accelerator)
    written = result.outputs[f"{name}_tirconst.tflite"]
    (seg,) = read_tflite_segments(written)
    assert seg.region_sizes[2] == result.sram_bytes > 0
    assert seg.region_sizes[1] == result.dram_bytes > 0
    assert {t.region for t in (*seg.inputs, *seg.outputs)} == {1}
    ops = [d.op for s in disassemble_segments(written) for d in s.ops]
    fms = [getattr(op, k, None) for op in ops for k in ("ifm", "ofm")]
    regions = [fm.region for fm in fms if fm is not None]
    assert regions.count(2) > regions.count(1) > 0
    summary = read_summary(tmp_path / "dedicated" / f"{name}_summary_tirconst.csv")
    assert float(summary["sram_memory_used"]) * 1024 == result.sram_bytes
    assert float(summary["dram_memory_used"]) * 1024 == result.dram_bytes
    assert result.performance is not None
    assert result.performance.access_cycles("Sram") > 0
    _assert_exact(model, written)

    shared = compile_model(
        model,
        tmp_path / "shared",
        accelerator,
        config=system_config(accelerator, memory_mode="Shared_Sram"),
    )
    (one,) = read_tflite_segments(shared.outputs[f"{name}_tirconst.tflite"])
    # one arena, passed as both scratch tensors (as Vela's default core does)
    assert one.region_sizes[2] == one.region_sizes[1] == shared.sram_bytes
    assert shared.dram_bytes == 0
