"""Compile the bundled models with the installed `vela` (both cores, both
output formats) into a directory, for the disassembler tests and benchmark."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MODELS = Path(__file__).resolve().parent.parent / "models"
ACCELERATOR = "ethos-u55-128"
CORES = {"regor": [], "legacy": ["--debug-force-legacy-core"]}
FORMATS = ("tflite", "raw")


@dataclass(frozen=True)
class Compiled:
    model: str
    core: str
    fmt: str
    path: Path | None  # None when vela refused (message in `error`)
    error: str = ""


def bundled_models() -> list[Path]:
    return sorted(MODELS.glob("*.tflite"))


def chosen_models(
    networks: bool, names: list[str] | None, files: list[str]
) -> list[Path]:
    """What a benchmark runs: `files` if any, else the bundled models (the
    generated networks of models/networks/ with `networks`) whose stems are
    in `names` (all without)."""
    if files:
        return [Path(f) for f in files]
    pool = (
        sorted((MODELS / "networks").glob("*.tflite")) if networks else bundled_models()
    )
    return [m for m in pool if not names or m.stem in names]


def compile_model(
    model: Path, core: str, fmt: str, out: Path, accelerator: str = ACCELERATOR
) -> Compiled:
    """Run `vela` on `model`; the output file, or vela's last error line."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "ethosu.vela",
        str(model),
        "--accelerator-config",
        accelerator,
        "--output-format",
        fmt,
        "--output-dir",
        str(out),
        *CORES[core],
    ]
    done = subprocess.run(cmd, capture_output=True, text=True)
    pattern = "*_vela.tflite" if fmt == "tflite" else "*.npz"
    files = sorted(out.glob(pattern))
    if done.returncode != 0 or not files:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["no output"]
        return Compiled(model.stem, core, fmt, None, lines[-1])
    return Compiled(model.stem, core, fmt, files[0])


def cpu_operators(path: Path) -> list[str]:
    """The operators of a compiled `.tflite` (Vela's or ours) other than
    `ethos-u`: what stays on the CPU, by name, in model order."""
    import tflite
    from tflite.utils import BUILTIN_OPCODE2NAME

    m = tflite.Model.GetRootAsModel(path.read_bytes(), 0)
    names = []
    for s in range(m.SubgraphsLength()):
        sg = m.Subgraphs(s)
        for k in range(sg.OperatorsLength()):
            code = m.OperatorCodes(sg.Operators(k).OpcodeIndex())
            if code.CustomCode() != b"ethos-u":
                names.append(BUILTIN_OPCODE2NAME.get(code.BuiltinCode(), "CUSTOM"))
    return names


def compile_all(root: Path) -> list[Compiled]:
    return [
        compile_model(m, core, fmt, root / f"{m.stem}-{core}-{fmt}")
        for m in bundled_models()
        for core in CORES
        for fmt in FORMATS
    ]


def vela_cycles(out: Path) -> float:
    """`cycles_total` of the summary CSV Vela wrote into `out`."""
    from tirconst.backend.ethos_u.summary import read_summary

    return float(read_summary(next(out.glob("*_summary_*.csv")))["cycles_total"])


def estimate_file(path: Path, config=None):  # type: ignore[no-untyped-def]
    """The performance model applied to every NPU segment of a compiled file
    (Vela's or ours), as the disassembler reads it back."""
    from tirconst.analysis.performance import estimate
    from tirconst.backend.ethos_u.decoder import disassemble_segments
    from tirconst.backend.ethos_u.disasm_ir import npu_segments_module

    return estimate(npu_segments_module(disassemble_segments(path)), config)
