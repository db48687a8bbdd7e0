"""tirconst-compile on every bundled model: the compiled program (npu part in
the npu interpreter, CPU part in the tir interpreter, on the planned pool
bytes) equals LiteRT's reference kernels; the bytes written for the device,
disassembled and run, too; bad input is one line and leaves nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.test_importer_litert import litert
from tests.tflite_patch import MODELS
from tirconst.backend.ethos_u.containers import read_tflite
from tirconst.backend.ethos_u.summary import read_summary
from tirconst.backend.ethos_u.verify import verify_compiled
from tirconst.interpreter import random_inputs, run_function
from tirconst.tools.compile import Compiler, compile_model, pipeline_text

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


def test_raw_output_reads_back(tmp_path: Path) -> None:
    from tirconst.backend.ethos_u.containers import read_npz

    compile_model(MODELS / "tflite_micro_speech.tflite", tmp_path, output_format="raw")
    stream = read_npz(tmp_path / "tflite_micro_speech_tirconst.npz")
    assert stream.words.size > 0


def test_pipeline_is_the_tirconst_opt_string(tmp_path: Path) -> None:
    """`--print-pipeline` through tirconst-opt gives the program the tool
    compiles (same placed, lowered IR)."""
    src = tmp_path / "m.mlir"
    model = MODELS / "tflite_micro_speech.tflite"
    subprocess.run([BIN / "tirconst-import", model, "-o", src], check=True)
    text = subprocess.run(
        [BIN / "tirconst-compile", "--print-pipeline"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert text == pipeline_text()
    out = subprocess.run(
        [BIN / "tirconst-opt", src, "-p", text],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module, _ = Compiler(model, "ethos-u55-128", None).run()
    assert out.strip() == str(module).strip()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / "tirconst-compile", *args], capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "args, expect",
    [
        (["--accelerator-config", "ethos-u99"], "unknown accelerator"),
        (["--sram-budget", "64"], "does not fit"),
        (["--sram-budget", "0"], "positive"),
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
