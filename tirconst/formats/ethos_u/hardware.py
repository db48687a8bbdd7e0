"""The Ethos-U hardware limits and memory facts the compiler relies on, each
stated once (docs/ethos-u.md): the npu verifier, npu support, weight
encoding, legalization, tiling, lowering and the interpreter import them
from here.
"""

from __future__ import annotations

# Convolution limits (Vela's supported-operator constraints).
MAX_STRIDE = 3
MAX_DILATION = 2
MAX_KERNEL_HEIGHT = 64
MAX_KERNEL_AREA = 4096
MAX_POOL_KERNEL = 256
MAX_DIM = 65536
"""The largest feature-map extent (height, width or depth)."""

DEPTH_GRANULE = 16
"""An op covering less than the whole OFM depth starts and ends its depth at
multiples of 16 (the micro-block depth); the last slice takes the rest."""

SHRAM_BYTES = {
    "ethos-u55-32": 16384,
    "ethos-u55-64": 16384,
    "ethos-u55-128": 24576,
    "ethos-u55-256": 49152,
    "ethos-u65-256": 49152,
    "ethos-u65-512": 49152,
}
"""The NPU's internal SHRAM per accelerator (region 0x103 is addressed in it)."""

LUT_ADDRESS = {
    "ethos-u55-32": 0x3800,
    "ethos-u55-64": 0x3800,
    "ethos-u55-128": 0x5800,
    "ethos-u55-256": 0xB800,
    "ethos-u65-256": 0xB800,
    "ethos-u65-512": 0xB800,
}
"""The start of the lookup-table memory in region 0x103 (Vela's
shram_lut_address) per accelerator; 8 slots of `LUT_SLOT_BYTES` follow."""
LUT_SLOT_BYTES = 256
LUT_SLOTS = 8
LUT_APART = frozenset(
    {"ethos-u55-128", "ethos-u55-256", "ethos-u65-256", "ethos-u65-512"}
)
"""Accelerators whose SHRAM keeps its last two banks for the lookup table
(more than 16 banks; Vela's shram_reserved_unused_banks): there a loaded
table stays across ops, and any block op may take a table activation (Vela
fuses a table into the op before it only here). On the others (U55-32/64)
the table shares the accumulator banks: an op without a table may
overwrite it, and Vela runs a table only as its own elementwise op."""
