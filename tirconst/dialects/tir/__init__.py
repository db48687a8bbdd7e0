"""The `tir` dialect: TVM TIR with first-class non-scalar constants.

One dialect, split by meaning: `types` (the buffer type), `buffers`
(allocation, constants, views, loads and stores), `memory` (pools and
placements), `structure` (functions,
loops, conditionals), `scalar` (TIR-specific scalar ops) and `operators`
(the typed TFLite-int8 operator ops' shared base), `convolution_ops` and
`elementwise_ops` (the operator ops themselves).
"""

from xdsl.ir import Dialect

from tirconst.dialects.tir.activation_ops import (
    ExpOp,
    GeluOp,
    HardSwishOp,
    LeakyReluOp,
    LogOp,
    MaximumOp,
    MinimumOp,
    PreluOp,
    ReluOp,
    TanhOp,
)
from tirconst.dialects.tir.buffers import (
    AllocateConstOp,
    AllocateOp,
    BufferLoadOp,
    BufferStoreOp,
    ConstantOp,
    DeclBufferOp,
    ReshapeOp,
    lookup_constant,
)
from tirconst.dialects.tir.constant_data import (
    dense_from_numpy,
    eliding_constants,
    numpy_of,
)
from tirconst.dialects.tir.convolution_ops import (
    AvgPool2DOp,
    Conv2DOp,
    DepthwiseConv2DOp,
    FullyConnectedOp,
    MaxPool2DOp,
    TransposeConv2DOp,
)
from tirconst.dialects.tir.data_ops import (
    ConcatenationOp,
    MirrorPadOp,
    ResizeBilinearOp,
    ResizeNearestOp,
    ReverseOp,
    StridedSliceOp,
    TileOp,
    TransposeOp,
)
from tirconst.dialects.tir.elementwise_ops import (
    AbsOp,
    AddOp,
    CopyOp,
    DequantizeOp,
    LogisticOp,
    MeanOp,
    MulOp,
    NegOp,
    PadOp,
    QuantizeOp,
    RequantizeOp,
    SoftmaxOp,
    SquaredDifferenceOp,
    SubOp,
)
from tirconst.dialects.tir.encoded import CoreSection, EncodedWeightsAttr
from tirconst.dialects.tir.memory import PlacementAttr, PoolOp, lookup_pool
from tirconst.dialects.tir.operators import (
    OperatorOp,
    PerChannelData,
    slice_output_channels,
)
from tirconst.dialects.tir.reduce_ops import (
    ArgMaxOp,
    ReduceMaxOp,
    ReduceMinOp,
)
from tirconst.dialects.tir.scalar import (
    CastOp,
    FloorDivOp,
    FloorModOp,
    MaxOp,
    MinOp,
    SelectOp,
)
from tirconst.dialects.tir.structure import (
    AssertOp,
    CallExternOp,
    ForKind,
    ForOp,
    FuncOp,
    IfOp,
)
from tirconst.dialects.tir.types import BufferType, element_type_of, numpy_dtype

STRUCTURE_OPS = [FuncOp, ForOp, IfOp, AssertOp, CallExternOp]
MEMORY_OPS = [PoolOp]
BUFFER_OPS = [
    ConstantOp,
    AllocateOp,
    AllocateConstOp,
    DeclBufferOp,
    ReshapeOp,
    BufferLoadOp,
    BufferStoreOp,
]
SCALAR_OPS = [FloorDivOp, FloorModOp, MinOp, MaxOp, SelectOp, CastOp]
OPERATOR_OPS = [
    Conv2DOp,
    DepthwiseConv2DOp,
    FullyConnectedOp,
    AvgPool2DOp,
    MaxPool2DOp,
    AddOp,
    SubOp,
    MulOp,
    PadOp,
    MeanOp,
    SoftmaxOp,
    LogisticOp,
    QuantizeOp,
    RequantizeOp,
    DequantizeOp,
    CopyOp,
    ConcatenationOp,
    StridedSliceOp,
    TransposeOp,
    ReluOp,
    LeakyReluOp,
    HardSwishOp,
    TanhOp,
    ExpOp,
    LogOp,
    GeluOp,
    PreluOp,
    MaximumOp,
    MinimumOp,
    AbsOp,
    NegOp,
    SquaredDifferenceOp,
    MirrorPadOp,
    TileOp,
    ReverseOp,
    ReduceMaxOp,
    ReduceMinOp,
    ArgMaxOp,
    ResizeNearestOp,
    ResizeBilinearOp,
    TransposeConv2DOp,
]

Tir = Dialect(
    "tir",
    [*STRUCTURE_OPS, *MEMORY_OPS, *BUFFER_OPS, *SCALAR_OPS, *OPERATOR_OPS],
    [BufferType, PlacementAttr, EncodedWeightsAttr],
)

__all__ = [
    "Tir",
    "AbsOp",
    "AddOp",
    "AllocateConstOp",
    "AllocateOp",
    "ArgMaxOp",
    "AssertOp",
    "AvgPool2DOp",
    "BufferLoadOp",
    "BufferStoreOp",
    "BufferType",
    "CallExternOp",
    "CastOp",
    "ConstantOp",
    "ConcatenationOp",
    "CoreSection",
    "EncodedWeightsAttr",
    "Conv2DOp",
    "CopyOp",
    "DeclBufferOp",
    "DepthwiseConv2DOp",
    "DequantizeOp",
    "ExpOp",
    "FloorDivOp",
    "FloorModOp",
    "ForKind",
    "ForOp",
    "FullyConnectedOp",
    "FuncOp",
    "GeluOp",
    "HardSwishOp",
    "IfOp",
    "LeakyReluOp",
    "LogOp",
    "LogisticOp",
    "MaxOp",
    "MaxPool2DOp",
    "MaximumOp",
    "MinimumOp",
    "MirrorPadOp",
    "MeanOp",
    "MinOp",
    "MulOp",
    "NegOp",
    "OperatorOp",
    "PerChannelData",
    "slice_output_channels",
    "PadOp",
    "PlacementAttr",
    "PoolOp",
    "PreluOp",
    "QuantizeOp",
    "ReduceMaxOp",
    "ReduceMinOp",
    "ReluOp",
    "RequantizeOp",
    "ReshapeOp",
    "ResizeBilinearOp",
    "ResizeNearestOp",
    "ReverseOp",
    "SelectOp",
    "SoftmaxOp",
    "SquaredDifferenceOp",
    "StridedSliceOp",
    "SubOp",
    "TanhOp",
    "TileOp",
    "TransposeConv2DOp",
    "TransposeOp",
    "dense_from_numpy",
    "element_type_of",
    "eliding_constants",
    "lookup_constant",
    "lookup_pool",
    "numpy_dtype",
    "numpy_of",
]
