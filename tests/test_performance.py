# ruff: noqa: E501  (the stream holds a one-line hex constant)
"""The performance model (tirconst.analysis.performance): the system config
read from Vela's ini files, one op's cycles worked by hand, the stream's
timeline, and agreement with Vela's own estimate on Vela's streams."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser

from tests.vela_compile import bundled_models, compile_model, estimate_file, vela_cycles
from tirconst.analysis.performance import (
    ConfigError,
    SystemConfig,
    estimate,
    vela_config_files,
)
from tirconst.core.context import context


def parse(text: str) -> ModuleOp:
    return Parser(context(), text).parse_module()


def test_default_system_is_velas() -> None:
    cfg = SystemConfig.load()
    assert (cfg.system_config, cfg.memory_mode) == (
        "Ethos_U55_High_End_Embedded",
        "Shared_Sram",
    )
    assert cfg.core_clock == 500e6
    sram, flash = cfg.memories["Sram"], cfg.memories["OffChipFlash"]
    assert (sram.bandwidth, sram.read_latency, sram.burst_length) == (8.0, 32, 32)
    assert (flash.bandwidth, flash.read_latency, flash.burst_length) == (1.0, 64, 128)
    assert (cfg.const_memory, cfg.arena_memory) == ("OffChipFlash", "Sram")
    u65 = SystemConfig.load("ethos-u65-256")
    assert (u65.system_config, u65.memory_mode) == (
        "Ethos_U65_Client_Server",
        "Dedicated_Sram_384KB",
    )
    assert (u65.const_memory, u65.arena_memory, u65.cache_memory) == (
        "Dram",
        "Dram",
        "Sram",
    )
    assert u65.arena_cache_size == 393216
    assert u65.memories["Dram"].bandwidth == 16 * 0.75


def _sections(prefix: str) -> list[str]:
    ini = configparser.ConfigParser()
    ini.read(vela_config_files())
    return [s.partition(".")[2] for s in ini.sections() if s.startswith(prefix)]


@pytest.mark.parametrize("system", _sections("System_Config."))
@pytest.mark.parametrize("accelerator", ["ethos-u55-128", "ethos-u65-512"])
def test_every_shipped_config_loads(accelerator: str, system: str) -> None:
    for mode in _sections("Memory_Mode."):
        try:
            cfg = SystemConfig.load(accelerator, system, mode)
        except ConfigError as e:
            # As Vela: a dedicated-SRAM mode needs DRAM on the second port.
            assert "the arena must be SRAM or DRAM" in str(e)
            assert mode.startswith("Dedicated_Sram")
            continue
        assert cfg.core_clock > 0
        assert all(m.bandwidth > 0 for m in cfg.memories.values())
        assert cfg.const_memory in ("Dram", "OnChipFlash", "OffChipFlash")


def test_sram_only_puts_constants_in_on_chip_flash() -> None:
    cfg = SystemConfig.load(memory_mode="Sram_Only")
    assert cfg.const_memory == "OnChipFlash"
    assert cfg.memories["OnChipFlash"].bandwidth == cfg.memories["Sram"].bandwidth


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"system_config": "Nope"}, "--system-config 'Nope': no section"),
        ({"memory_mode": "Nope"}, "--memory-mode 'Nope': no section"),
        ({"accelerator": "ethos-u99"}, "unknown accelerator"),
        ({"optimise": "Speed"}, "--optimise must be Performance or Size"),
        ({"arena_cache_size": -1}, "--arena-cache-size must be >= 0"),
        ({"config_files": ["missing.ini"]}, "not a readable Vela .ini"),
    ],
)
def test_config_errors(kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        SystemConfig.load(**kwargs)


def test_config_inherit_and_loops(tmp_path: Path) -> None:
    ini = tmp_path / "mine.ini"
    ini.write_text(
        "[System_Config.S]\ncore_clock=1e8\naxi0_port=Sram\naxi1_port=OffChipFlash\n"
        "Sram_clock_scale=0.5\n"
        "[Memory_Mode.A]\nconst_mem_area=Axi1\narena_mem_area=Axi0\n"
        "cache_mem_area=Axi0\narena_cache_size=1000\n"
        "[Memory_Mode.B]\ninherit=Memory_Mode.A\n"
        "[Memory_Mode.L]\ninherit=Memory_Mode.L\n"
    )
    cfg = SystemConfig.load("ethos-u55-64", "S", "B", [ini], arena_cache_size=5)
    assert cfg.core_clock == 1e8
    assert cfg.memories["Sram"].bandwidth == 4.0
    assert cfg.arena_cache_size == 5
    with pytest.raises(ConfigError, match="inherit loops"):
        SystemConfig.load("ethos-u55-64", "S", "L", [ini])


# A 1x1 conv, IFM 2x2x4 in SRAM, weights and biases in flash, block 2x2x8.
# By hand (ethos-u55-128, micro-block 1x2x8): 2 micro-blocks of 4 MAC cycles
# against the 32-cycle write-back floor: 32 compute cycles per block, one
# input depth block; the block's memory commands (IFM 40, OFM 36 cycles,
# output stage max(0.5 x 8, bias 10 x 2 x 64 / 256) = 5) make a 28.25-cycle
# floor, so 32 + 28.25 = 60 cycles. Flash: 32 weight + 20 bias bytes = 52.
CONV = """
npu.command_stream @s "ethos-u55-128" {
  npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32,
      #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>]
      = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
  npu.region 1 scratch size 64
  %DMA%
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>,
              ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 16>,
              kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 2, 2, 8>,
              weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 32, 32>]}
}
"""


def test_conv_by_hand() -> None:
    e = estimate(parse(CONV.replace("%DMA%", "")))
    (op,) = e.ops
    assert op.macs == 4 * 2 * 2 * 2
    assert op.compute == 60
    assert op.access["OffChipFlash"] == pytest.approx(52.0)
    assert op.cycles == 60 and e.cycles == 60
    assert op.traffic[("OffChipFlash", "weights", "read")] == 52
    assert op.traffic[("Sram", "fm", "write")] == 8
    assert e.seconds == pytest.approx(60 / 500e6)


def test_dma_before_an_op_that_reads_it_stalls_it() -> None:
    # A DMA of 16 flash bytes into the IFM: 16 + 64 latency = 80 cycles,
    # and the op reading it waits for it.
    dma = "npu.dma {src = #npu.range<0, 0, 16>, dest = #npu.range<1, 0, 16>}"
    e = estimate(parse(CONV.replace("%DMA%", dma)))
    d, op = e.ops
    assert d.dma == 16 + 64
    assert op.stall == 80 and op.start == 80
    assert e.cycles == 80 + 60
    # Into bytes the op does not read, it runs beside the op.
    far = "npu.dma {src = #npu.range<0, 0, 16>, dest = #npu.range<1, 48, 16>}"
    e = estimate(parse(CONV.replace("%DMA%", far)))
    assert e.ops[1].stall == 0 and e.cycles == 80  # the DMA is the tail
    with pytest.raises(ConfigError, match="@s is for ethos-u55-128, the system"):
        estimate(parse(CONV.replace("%DMA%", "")), SystemConfig.load("ethos-u65-256"))


@pytest.fixture(scope="module")
def vela_legacy(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("vela-perf")
    out = {}
    for m in bundled_models():
        d = root / m.stem
        out[m.stem] = (compile_model(m, "legacy", "tflite", d), d)
    return out


@pytest.mark.parametrize("model", [m.stem for m in bundled_models()])
def test_within_ten_percent_of_velas_estimate(vela_legacy, model: str) -> None:  # type: ignore[no-untyped-def]
    done, out = vela_legacy[model]
    assert done.path is not None, done.error
    e = estimate_file(done.path)
    vela = vela_cycles(out)
    assert abs(e.cycles / vela - 1) <= 0.10, (model, e.cycles, vela)
    # The stream's time is the sum of what each op adds.
    assert e.cycles == pytest.approx(sum(c.cycles for c in e.ops if c.kind != "dma"))
