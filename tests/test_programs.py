"""The installed programs (`[project.scripts]`) run their tool's `main` and
exit with its status without the interpreter's teardown (`exit_after`):
what the tool printed reaches a pipe whole, its files are written, and a
failure is still one line and status 1."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from tests.tflite_patch import MODELS
from tirconst.tools import programs


def _program(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    code = f"from tirconst.tools.programs import {name}; {name}()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True
    )


def test_every_installed_script_is_a_program() -> None:
    installed = entry_points(group="console_scripts")
    scripts = [e for e in installed if e.name.startswith("tirconst-")]
    assert len(scripts) == 6
    for e in scripts:
        assert e.module == "tirconst.tools.programs", e.name
        assert callable(getattr(programs, e.attr)), e.name


def test_compile_program_writes_and_reports(tmp_path: Path) -> None:
    model = MODELS / "tflite_micro_speech.tflite"
    done = _program("compile", str(model), "--output-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert "tflite_micro_speech_tirconst.tflite" in written
    # the report's last line reached the pipe: flushed before the exit
    assert done.stdout.rstrip().splitlines()[-1].endswith(written[-1])


def test_failing_program_is_one_line_and_status_1(tmp_path: Path) -> None:
    missing = tmp_path / "missing.tflite"
    done = _program("compile", str(missing), "--output-dir", str(tmp_path / "o"))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "cannot read" in done.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("body", "status", "stderr"),
    [("return 3", 3, ""), ("sys.exit('no model')", 1, "no model\n")],
)
def test_exit_after_keeps_mains_status(body: str, status: int, stderr: str) -> None:
    code = (
        "import sys\nfrom tirconst.tools.driver import exit_after\n"
        f"def main():\n    print('out')\n    {body}\nexit_after(main)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (status, "out\n", stderr)


def test_imports_uncollected_freezes_what_the_imports_made() -> None:
    """The collector is off during a program's imports and on again after
    (off stays off); what the imports made is frozen, never walked again."""
    code = (
        "import gc\nfrom tirconst.core.collection import imports_uncollected\n"
        "with imports_uncollected():\n"
        "    inside = gc.isenabled()\n"
        "    import tirconst.tools.driver\n"
        "print(inside, gc.isenabled(), gc.get_freeze_count() > 10_000)\n"
        "gc.disable()\n"
        "with imports_uncollected():\n"
        "    import json\n"
        "print(gc.isenabled())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "False True True\nFalse\n",
        "",
    )


# Modules a compile never calls: loop-level rewrites (xDSL's arith), text
# input (secrets), LiteRT's float functions' libm lookup (ctypes.util, which
# imports subprocess), --verify, the SVG's former escapes (xml.sax).
NOT_IN_A_COMPILE = (
    "xdsl.dialects.arith",
    "secrets",
    "ctypes.util",
    "subprocess",
    "tirconst.backend.ethos_u.verify",
    "tirconst.interpreter",
    "xml.sax",
)


def test_compile_imports_nothing_it_does_not_call(tmp_path: Path) -> None:
    model = MODELS / "tflite_micro_speech.tflite"
    code = (
        "import sys\nfrom tirconst.tools.compile import main\n"
        f"assert main([{str(model)!r}, '--output-dir', {str(tmp_path)!r}]) == 0\n"
        "print(' '.join(sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stderr.split())
    assert "tirconst.transforms.slice_constants" in loaded  # the compile ran
    assert not loaded & set(NOT_IN_A_COMPILE), sorted(loaded & set(NOT_IN_A_COMPILE))
