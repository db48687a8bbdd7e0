"""The options naming the system a pass's cost decisions are for."""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.utils.exceptions import PassFailedException

from tirconst.analysis.block_choice import cost_config
from tirconst.analysis.performance import ConfigError, SystemConfig


@dataclass(frozen=True)
class SystemOptions:
    """`system-config`, `memory-mode` and `config`: the sections of Vela's
    ini files (`config`, default the ones Vela ships) that say which
    memories an accelerator reads and writes, their bandwidths and
    latencies; the defaults are Vela's for the accelerator
    (Ethos_U55_High_End_Embedded / Shared_Sram for a U55). A pass that
    decides by the cycle model decides for that system, as Vela schedules
    for its `--system-config`: where flash is slow, staging weights pays
    sooner."""

    system_config: str | None = None
    memory_mode: str | None = None
    config: tuple[str, ...] = ()

    def system(self, accelerator: str, name: str) -> SystemConfig:
        """The system for `accelerator`; a bad section or file fails the
        pass `name` in one line."""
        try:
            return cost_config(
                accelerator, self.system_config, self.memory_mode, tuple(self.config)
            )
        except ConfigError as e:
            raise PassFailedException(f"{name}: {e}") from None
