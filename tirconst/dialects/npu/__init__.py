"""The `npu` dialect: Arm Ethos-U operations on flat memory, one op per
operation class of Vela's public API (`ethosu.vela.api`).

`stream` holds the container (`npu.command_stream`, its `npu.region`s and
named `npu.tensor`s), `ops` the NPU operations, `attributes` what Vela's API
classes hold (feature maps, kernel, padding, activation, address ranges) and
how a weight stream was encoded. Every attribute reads
`#npu.NAME<POSITIONAL, ..., key = value>`; keys at their default are omitted.
"""

from xdsl.ir import Dialect

from tirconst.dialects.npu.attributes import (
    ATTRIBUTES,
    ActivationAttr,
    AddressRangeAttr,
    FeatureMapAttr,
    KernelAttr,
    PaddingAttr,
    WeightEncodingAttr,
    WeightStreamAttr,
)
from tirconst.dialects.npu.invoke import InvokeOp
from tirconst.dialects.npu.ops import (
    OPS,
    BlockOp,
    Conv2DOp,
    DepthwiseConv2DOp,
    DmaOp,
    ElementwiseOp,
    PoolingOp,
    WeightedOp,
)
from tirconst.dialects.npu.stream import (
    LUT_REGION,
    CommandStreamOp,
    RegionOp,
    TensorOp,
)

Npu = Dialect("npu", [CommandStreamOp, RegionOp, TensorOp, *OPS, InvokeOp], ATTRIBUTES)

__all__ = [
    "LUT_REGION",
    "ActivationAttr",
    "AddressRangeAttr",
    "BlockOp",
    "CommandStreamOp",
    "Conv2DOp",
    "DepthwiseConv2DOp",
    "DmaOp",
    "ElementwiseOp",
    "FeatureMapAttr",
    "InvokeOp",
    "KernelAttr",
    "Npu",
    "PaddingAttr",
    "PoolingOp",
    "RegionOp",
    "TensorOp",
    "WeightEncodingAttr",
    "WeightStreamAttr",
    "WeightedOp",
]
