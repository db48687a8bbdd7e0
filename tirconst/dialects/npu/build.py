"""Building command streams from Python: regions laid out as TVM's Ethos-U
backend did (region 0 constants, 1 scratch, 3 input, 4 output, 0x103 the
lookup-table memory), weights and biases encoded through Vela's API.

    b = StreamBuilder("ethos-u55-128")
    x = b.tensor("input0", "input", (1, 8, 8, 16), "int8", zero_point=-1)
    y = b.tensor("output0", "output", (1, 8, 8, 32), "int8")
    w = b.weights(filter_ohwi, WeightEncoding(...))
    bias = b.biases(bias, multiplier, 31 - shift)
    b.add(Conv2DOp.create(properties={...}))
    module = b.module()
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.ir import Block, Operation, Region

from tirconst.dialects.npu.attributes import (
    AddressRangeAttr,
    FeatureMapAttr,
    WeightEncodingAttr,
    WeightStreamAttr,
)
from tirconst.dialects.npu.stream import LUT_REGION, CommandStreamOp, RegionOp, TensorOp
from tirconst.dialects.tir.types import DTYPES
from tirconst.formats.ethos_u.bias import encode_bias
from tirconst.formats.ethos_u.hardware import SHRAM_BYTES
from tirconst.formats.ethos_u.weights import WeightEncoding, encode_weights

CONSTANT, SCRATCH, INPUT, OUTPUT = 0, 1, 3, 4


def _align(n: int) -> int:
    return -(-n // 16) * 16


class StreamBuilder:
    """Accumulates regions, tensors and ops of one npu.command_stream."""

    def __init__(self, accelerator: str = "ethos-u55-128", name: str = "main"):
        self.accelerator = accelerator
        self.name = name
        self.constants = bytearray()
        self.streams: list[WeightStreamAttr] = []
        self.sizes = {SCRATCH: 0, INPUT: 0, OUTPUT: 0}
        self.tensors: list[TensorOp] = []
        self.ops: list[Operation] = []
        self.uses_lut = False

    def constant(self, data: bytes) -> AddressRangeAttr:
        """Append 16-byte-aligned data to region 0."""
        address = len(self.constants)
        self.constants += data
        self.constants += b"\0" * (_align(len(self.constants)) - len(self.constants))
        return AddressRangeAttr.make(region=CONSTANT, address=address, length=len(data))

    def weights(
        self, weights: np.ndarray, encoding: WeightEncoding
    ) -> AddressRangeAttr:
        stream = encode_weights(weights, encoding)
        r = self.constant(stream)
        self.streams.append(
            WeightStreamAttr.make(
                address=r.address,
                length=r.length,
                encoding=WeightEncodingAttr.of(encoding),
            )
        )
        return r

    def biases(self, bias: Sequence[int], scale: Sequence[int], shift: Sequence[int]):
        """Bias/scale records, the range padded to 16 bytes as Vela requires."""
        data = encode_bias(bias, scale, shift)
        return self.constant(data + b"\0" * (_align(len(data)) - len(data)))

    def space(self, region: int, nbytes: int) -> int:
        """Reserve 16-aligned bytes in region 1, 3 or 4; their offset."""
        offset = self.sizes[region]
        self.sizes[region] = _align(offset + nbytes)
        return offset

    def tensor(
        self,
        name: str,
        kind: str,
        shape: Sequence[int],
        dtype: str = "int8",
        scale: float | None = None,
        zero_point: int | None = None,
        region: int | None = None,
    ) -> FeatureMapAttr:
        """A named I/O tensor (NHWC, N = 1) and the feature map of all of it."""
        region = (INPUT if kind == "input" else OUTPUT) if region is None else region
        nbytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
        offset = self.space(region, nbytes)
        element = DTYPES[dtype][0]
        self.tensors.append(
            TensorOp(
                name,
                kind,
                region,
                offset,
                TensorType(element, shape),
                scale,
                zero_point,
            )
        )
        h, w, c = (tuple(shape) + (1, 1, 1))[1:4] if len(shape) == 4 else _hwc(shape)
        return FeatureMapAttr.make(
            dtype=dtype, shape=(h, w, c), region=region, address=offset,
            scale=scale, zero_point=zero_point or 0,
        )  # fmt: skip

    def scratch_map(
        self, shape: Sequence[int], dtype: str = "int8", scale=None, zero_point=0
    ) -> FeatureMapAttr:
        """A dense NHWC feature map in fresh scratch space."""
        h, w, c = shape
        offset = self.space(SCRATCH, h * w * c * np.dtype(dtype).itemsize)
        return FeatureMapAttr.make(
            dtype=dtype, shape=(h, w, c), region=SCRATCH, address=offset,
            scale=scale, zero_point=zero_point,
        )  # fmt: skip

    def add(self, op: Operation) -> Operation:
        self.ops.append(op)
        return op

    def stream(self) -> CommandStreamOp:
        regions: list[Operation] = [
            RegionOp(CONSTANT, "constant", len(self.constants), bytes(self.constants),
                     self.streams or None)
        ]  # fmt: skip
        for index, kind in ((SCRATCH, "scratch"), (INPUT, "input"), (OUTPUT, "output")):
            if self.sizes[index]:
                regions.append(RegionOp(index, kind, self.sizes[index]))
        if self.uses_lut:
            regions.append(RegionOp(LUT_REGION, "lut", SHRAM_BYTES[self.accelerator]))
        body = Region(Block([*regions, *self.tensors, *self.ops]))
        return CommandStreamOp(self.name, self.accelerator, body)

    def module(self) -> ModuleOp:
        return ModuleOp([self.stream()])


def _hwc(shape: Sequence[int]) -> tuple[int, int, int]:
    """A non-4-D tensor as one row: (1, 1, size) or (1, W, C) for 2-D."""
    if len(shape) == 2:
        return 1, int(shape[0]), int(shape[1])
    return 1, 1, int(np.prod(shape))
