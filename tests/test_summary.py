"""Summary and per-layer CSVs: Vela's column names in Vela's order, our
figures in Vela's units; and the benchmark's Vela side."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from tests.vela_compile import MODELS
from tirconst.backend.ethos_u.summary import (
    LAYER_COLUMNS,
    CompileResult,
    LayerRecord,
    accelerator_label,
    layers_csv,
    layers_path,
    read_summary,
    summary_path,
    write_layers,
    write_summary,
)

SYSTEM = "Ethos_U55_High_End_Embedded"


@pytest.fixture(scope="module")
def vela_csvs(tmp_path_factory):
    out = tmp_path_factory.mktemp("vela")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ethosu.vela",
            str(MODELS / "tflite_micro_magic_wand.tflite"),
            "--accelerator-config",
            "ethos-u55-128",
            "--output-dir",
            str(out),
            "--verbose-performance",
        ],
        check=True,
        capture_output=True,
    )
    return summary_path(out, "tflite_micro_magic_wand", SYSTEM), layers_path(
        out, "tflite_micro_magic_wand"
    )


RESULT = CompileResult(
    network="tflite_micro_magic_wand",
    accelerator="ethos-u55-128",
    sram_bytes=7 * 1024 + 512,
    flash_bytes=8000,
    npu_ops=30,
    cpu_ops=2,
    seconds=0.5,
    weights_raw_bytes=6000,
    weights_encoded_bytes=6400,
    macs=65000,
    layers=(
        LayerRecord("q", "Quantize", "Passthrough", "CPU"),
        LayerRecord(
            "conv", "Conv2D", "Conv2D", "NPU", 6768, "1x25x3x8", 240, 480, 36864, 3972
        ),
        LayerRecord(
            "fc", "FullyConnected", "FullyConnected", "NPU", 240, "", 3584, 3408, 3584
        ),
    ),
)


def test_summary_has_vela_columns_and_units(vela_csvs, tmp_path):
    theirs = read_summary(vela_csvs[0])
    path = write_summary(
        summary_path(tmp_path, RESULT.network, SYSTEM), RESULT, SYSTEM, "Shared_Sram"
    )
    ours = read_summary(path)
    assert list(ours) == list(theirs)
    assert (
        ours["accelerator_configuration"]
        == theirs["accelerator_configuration"]
        == "Ethos_U55_128"
    )
    assert ours["system_config"] == theirs["system_config"]
    assert float(ours["sram_memory_used"]) == 7.5  # KiB, as Vela
    assert float(ours["off_chip_flash_memory_used"]) * 1024 == 8000
    assert ours["total_npu_encoded_weights"] == "6400" and ours["nn_macs"] == "65000"
    assert ours["cycles_total"] == ""  # not estimated: present, empty


def test_layers_csv_extends_vela_header(vela_csvs, tmp_path):
    with open(vela_csvs[1], newline="") as f:
        header = next(csv.reader(f))
    assert LAYER_COLUMNS[: len(header)] == header
    path = write_layers(layers_path(tmp_path, RESULT.network), RESULT.layers)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["Name"] for r in rows] == ["q", "conv", "fc"]
    assert rows[1]["Tile"] == "1x25x3x8" and rows[1]["Weights Encoded"] == "480"
    assert float(rows[1]["Peak% (Staging)"]) == 100.0
    assert rows[2]["Op Cycles"] == "" and rows[0]["Target"] == "CPU"
    assert abs(sum(float(r["Network% (MAC)"]) for r in rows) - 100.0) < 1e-9


def test_accelerator_label():
    assert accelerator_label("ethos-u65-256") == "Ethos_U65_256"
    assert accelerator_label("ethos-u85-1024") == "Ethos_U85_1024"


def test_read_summary_rejects_many_rows(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text(layers_csv(RESULT.layers))
    with pytest.raises(ValueError, match="expected one summary row, found 3"):
        read_summary(p)


def test_bench_vela_side(capsys):
    sys.path.insert(0, str(MODELS.parent))
    from bench.compile import main

    assert main(["--models", "tflite_micro_speech"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("tflite_micro_speech")]
    # both modes, both cores
    assert [r.split()[1] for r in rows] == ["regor", "legacy"] * 2
    assert all(float(r.split()[3]) > 0 for r in rows)  # SRAM KiB
    assert "--optimise Size" in out and "Size cycles tirconst/Vela regor" in out


def test_bench_tirconst_columns(monkeypatch, capsys, tmp_path):
    """With a compile_model in place, the table carries its figures and the
    ratios: here Vela's own segments re-packed by our writer, so SRAM and
    flash equal the default core's (ratio 1.00)."""
    sys.path.insert(0, str(MODELS.parent))
    import bench.compile as bench
    from tests.tflite_structure import segments_from_vela
    from tests.vela_compile import compile_model as vela
    from tirconst.backend.ethos_u.writers import output_path, write_tflite

    def repack(path, out_dir, accelerator, config=None):  # type: ignore[no-untyped-def]
        done = vela(path, "regor", "tflite", tmp_path / "v", accelerator)
        segments, arena = segments_from_vela(path, done.path.read_bytes())
        ours = write_tflite(output_path(path, out_dir), path, segments, arena)
        return CompileResult(
            path.stem,
            accelerator,
            segments[0].scratch_size,
            bench.flash_bytes(ours),
            sum(len(d.ops) for d in bench.disassemble_segments(ours)),
            bench.cpu_ops(ours),
            0.0,
            outputs={ours.name: ours},
        )

    monkeypatch.setattr(bench, "tirconst_side", lambda: (repack, ""))
    args = ["--models", "autoencoder_example", "--modes", "Performance"]
    assert bench.main(args) == 0
    rows = [r for r in capsys.readouterr().out.splitlines() if r.startswith("auto")]
    regor = rows[0].split("|")
    assert regor[1].split()[:4] == regor[2].split()[:4]  # SRAM, flash, NPU, CPU
    assert regor[3].split()[:2] == ["1.00", "1.00"]
    assert "note" not in rows[-1]
