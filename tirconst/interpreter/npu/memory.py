"""The NPU's memory as the interpreter holds it: one byte array per region,
read and written at the addresses a feature map's layout, strides and tiles
give (`tirconst.dialects.npu.geometry`)."""

from __future__ import annotations

import numpy as np

from tirconst.dialects.npu import CommandStreamOp, FeatureMapAttr
from tirconst.dialects.npu.attributes import AddressRangeAttr
from tirconst.dialects.npu.geometry import element_addresses

_DTYPES = {
    "int8": np.dtype("<i1"),
    "uint8": np.dtype("<u1"),
    "int16": np.dtype("<i2"),
    "uint16": np.dtype("<u2"),
    "int32": np.dtype("<i4"),
}


class MemoryFault(Exception):
    """An access outside a region (the message names what and where)."""


def numpy_dtype(fm: FeatureMapAttr) -> np.dtype:
    return _DTYPES[fm.dtype]


class Memory:
    """Region index -> bytes. The constant region starts with its data, the
    others zeroed."""

    def __init__(self, stream: CommandStreamOp):
        self.regions: dict[int, np.ndarray] = {}
        for index, region in stream.regions_by_index().items():
            data = region.bytes
            buf = np.zeros(region.size.value.data, dtype=np.uint8)
            if data is not None:
                buf[:] = data
            self.regions[index] = buf

    def region(self, index: int, what: str) -> np.ndarray:
        if index not in self.regions:
            raise MemoryFault(f"{what} addresses region {index}, which is not declared")
        return self.regions[index]

    def _indices(self, fm: FeatureMapAttr, what: str) -> tuple[np.ndarray, np.ndarray]:
        buf = self.region(fm.region, what)
        addr = element_addresses(fm)
        size = fm.element_size
        lo, hi = int(addr.min()), int(addr.max()) + size
        if lo < 0 or hi > buf.size:
            raise MemoryFault(
                f"{what} reads or writes bytes {lo}..{hi}, outside region "
                f"{fm.region} of {buf.size} bytes"
            )
        if size == 1:
            return buf, addr
        return buf, addr[..., None] + np.arange(size)

    def read(self, fm: FeatureMapAttr, what: str) -> np.ndarray:
        """The (H, W, C) values of a feature map, in its dtype."""
        buf, idx = self._indices(fm, what)
        raw = buf[idx]
        dt = numpy_dtype(fm)
        if dt.itemsize == 1:
            return raw.view(dt)
        return np.ascontiguousarray(raw).view(dt)[..., 0]

    def write(self, fm: FeatureMapAttr, values: np.ndarray, what: str) -> None:
        buf, idx = self._indices(fm, what)
        dt = numpy_dtype(fm)
        raw = np.ascontiguousarray(values.astype(dt)).view(np.uint8)
        buf[idx.reshape(-1)] = raw.reshape(-1)

    def read_range(self, r: AddressRangeAttr, what: str) -> np.ndarray:
        buf = self.region(r.region, what)
        a, n = r.address, r.length
        if a < 0 or a + n > buf.size:
            raise MemoryFault(
                f"{what} (bytes {a}..{a + n}) lies outside region {r.region} of "
                f"{buf.size} bytes"
            )
        return buf[a : a + n]

    def read_bytes(self, region: int, offset: int, n: int, what: str) -> np.ndarray:
        return self.read_range(
            AddressRangeAttr.make(region=region, address=offset, length=n), what
        )
