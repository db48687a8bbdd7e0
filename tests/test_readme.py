"""The README's Python example runs and does what it says."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from xdsl.context import Context

from tirconst.dialects import tir
from tirconst.interpreter import load

README = Path(__file__).resolve().parent.parent / "README.md"


def test_pass_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert blocks, "README has no Python example"
    namespace: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    module = load(
        """
        tir.func @main(%output0 : !tir.buffer<4xi8>) {
          %w = tir.allocate_const dense<[1, -1, 2, -3]> : !tir.buffer<4xi8>
          tir.copy ins(%w : !tir.buffer<4xi8>) outs(%output0 : !tir.buffer<4xi8>)
        }
        """
    )
    namespace["ZeroTinyWeightsPass"]().apply(Context(), module)
    (const,) = [op for op in module.walk() if isinstance(op, tir.AllocateConstOp)]
    assert const.data.tolist() == [0, 0, 2, -3]
    assert isinstance(const.data, np.ndarray)


def test_constant_api_example_runs(monkeypatch, capsys) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    example = next(b for b in blocks if "find_constant" in b)
    monkeypatch.chdir(README.parent)
    namespace: dict = {}
    exec(compile(example, "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "tir.conv2d [0:4, :, :, :]\ntir.conv2d [4:8, :, :, :]" in out
    assert "@w_slice0" in out and "@w_slice1" in out


def test_quantization_example_runs(monkeypatch) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    example = next(b for b in blocks if "slice_output_channels" in b)
    monkeypatch.chdir(README.parent)
    namespace: dict = {}
    exec(compile(example, "README.md", "exec"), namespace)
    assert namespace["pc"] == tir.PerChannelData(
        4, {"filter": 0, "bias": 0}, ("multiplier", "shift", "filter_scales")
    )
    props = namespace["props"]
    assert len(props["multiplier"].get_values()) == 2
    assert props["filter_scales"].get_values() == (0.5, 0.5)
    assert namespace["conv"].quantization()["output_scale"] == 1.0
