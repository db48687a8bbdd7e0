"""What passes ask of an operator op, as xDSL traits (MLIR's op interfaces):
a pass asks `op.get_trait(T)`, never the op's class, so a new operator that
declares its traits needs no edit in tiling, staging or planning.

The weighted interface (filter, bias, per-channel data, the filter as the
NPU reads it, its NPU geometry) is the `WeightedOp` base class of
`convolution_ops`; the traits here describe the data flow of an op's
feature maps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, cast, runtime_checkable

from xdsl.ir import Operation, SSAValue
from xdsl.traits import OpTrait
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.operators import OperatorOp


def operator(op: Operation) -> OperatorOp:
    """`op` as the operator op its trait's `verify` requires it to be
    (`Elementwise` and `Windowed` are traits of operator ops only)."""
    return cast(OperatorOp, op)  # checked by the traits' verify


def _p(op: Operation, name: str) -> Any:
    return operator(op).p(name)


def _operator_only(trait: OpTrait, op: Operation) -> None:
    if not isinstance(op, OperatorOp):
        raise VerifyException(
            f"{type(trait).__name__} is a trait of operator ops, not {op.name}"
        )


@dataclass(frozen=True)
class Elementwise(OpTrait):
    """Output element i depends only on the elements at i of `operands`
    (each of the output's shape, or broadcast to it); other operands (a
    lookup table) are read whole. A tile of the output reads the same tile
    of each full-size operand, and the output may take the bytes of such an
    operand that dies at the op (in place)."""

    operands: tuple[str, ...] = ("input",)
    arithmetic: str | None = None
    """The binary arithmetic the op is, by the NPU's elementwise `op_type`
    names ("add", "sub", "mul", "max", "min"), or None: the one fact the
    lowering and the cycle model's probe read."""

    def verify(self, op: Operation) -> None:
        _operator_only(self, op)

    def values(self, op: Operation) -> list[SSAValue]:
        """The operands read at the output element's index (`operands`)."""
        o = operator(op)
        return [v for name in self.operands if (v := o.input_named(name)) is not None]


@dataclass(frozen=True)
class Pointwise(Elementwise):
    """Elementwise with one input: output element i is a function of input
    element i alone, the same function for every element (per-tensor
    quantization: no parameter varies along an axis), and the op's
    interpreter kernel computes that function. Other operands (a lookup
    table) are constants the function reads whole. So an int8 -> int8
    pointwise op is its 256-entry table: the kernel run on the 256 int8
    values (tir-tabulate)."""

    operands: tuple[str, ...] = ("input",)
    tabulated: bool = False
    """The op is `tir-tabulate`'s form, output = table[input + 128] of a
    table operand that is its whole function (`tir.lookup`): the pass
    leaves it as it is."""


@dataclass(frozen=True)
class RereadsOperand(OpTrait):
    """The op's NPU lowering reads `operand` as the broadcast second operand
    of an elementwise `arithmetic`, again for every output element (PRELU's
    alpha, times min(x, zp)): a constant there is worth copying into SRAM
    first (`tir-stage-weights`, costed by `block_choice`)."""

    operand: str
    arithmetic: str

    def verify(self, op: Operation) -> None:
        _operator_only(self, op)


@dataclass(frozen=True)
class KeptAsIs(OpTrait):
    """A TFLite operator tir does not model, kept whole for the CPU: the
    NPU never runs it, whatever its types (`npu_reason`), and rows and
    messages call it by its TFLite operator name (the op's `opcode`)."""

    def verify(self, op: Operation) -> None:
        _operator_only(self, op)

    def kind(self, op: Operation) -> str:
        """The TFLite operator name (`DEPTH_TO_SPACE`)."""
        return str(op.opcode)


@dataclass(frozen=True)
class PointwiseWhenUniform(OpTrait):
    """Pointwise in `operands` when every operand of `uniform` (a parameter
    broadcast against the input, e.g. PReLU's alpha) is a constant whose
    elements are all equal: the op is then one function of each input
    element, its kernel run with that one value (tir-tabulate). With a
    parameter that varies along an axis it is not."""

    operands: tuple[str, ...] = ("input",)
    uniform: tuple[str, ...] = ()

    def verify(self, op: Operation) -> None:
        _operator_only(self, op)


@dataclass(frozen=True)
class Windowed(OpTrait):
    """NHWC `input` -> `output` where output rows [y0, y1) read a window of
    input rows: the kernel height, stride and dilation along H come from
    `kernel` ("filter": the filter's axis 1, with `stride` and `dilation`;
    "window": the `window` property, with `stride`; None: one row, stride 1),
    the rows' padding is `padding`[top], `padding`[bottom]. `channels` says
    which input channels output channels [c0, c1) read: "same" (pooling),
    "all" (a convolution), "multiplier" (depthwise: c // depth_multiplier);
    `depth_slices`: whether the output may be computed in depth slices."""

    kernel: str | None = "filter"
    padding: str = "pad"
    top: int = 0
    bottom: int = 2
    channels: str = "all"
    depth_slices: bool = True

    def verify(self, op: Operation) -> None:
        _operator_only(self, op)

    def input(self, op: Operation) -> SSAValue:
        """The NHWC input the window slides over."""
        x = operator(op).input_named("input")
        assert x is not None  # a windowed op's input is not optional
        return x

    def rows(self, op: Operation) -> tuple[int, int, int]:
        """(kernel height, stride, dilation) along H."""
        if self.kernel == "filter":
            o = operator(op)
            kh = o.shape(o.input_named("filter"))[1]
            return kh, _p(op, "stride")[0], _p(op, "dilation")[0]
        if self.kernel == "window":
            return _p(op, "window")[0], _p(op, "stride")[0], 1
        return 1, 1, 1

    def pad_rows(self, op: Operation) -> tuple[int, int]:
        """(top, bottom) padding of the input height."""
        p = _p(op, self.padding)
        return p[self.top], p[self.bottom]

    def with_pad_rows(self, op: Operation, top: int, bottom: int) -> list[int]:
        """The op's padding property with the height padding replaced."""
        p = list(_p(op, self.padding))
        p[self.top], p[self.bottom] = top, bottom
        return p

    def input_channels(
        self, op: Operation, c0: int, c1: int, ci: int
    ) -> tuple[int, int]:
        """The input channels output channels [c0, c1) read."""
        if self.channels == "same":
            return c0, c1
        if self.channels == "multiplier":
            dm = _p(op, "depth_multiplier")
            return c0 // dm, c1 // dm
        return 0, ci

    def slice_step(self, op: Operation) -> int:
        """Depth slices must start at multiples of this (1: any)."""
        if self.channels == "multiplier":
            return _p(op, "depth_multiplier")
        return 1


@dataclass(frozen=True)
class Pooling(OpTrait):
    """The op reduces each window of its `input` (`window`, `stride`, `pad`)
    by `kind`, the NPU pooling's `pool_type` ("average", "max"): the one
    fact the lowering and the cycle model's probe read."""

    kind: str

    def verify(self, op: Operation) -> None:
        _operator_only(self, op)

    def window(self, op: Operation) -> tuple[int, int]:
        kh, kw = _p(op, "window")
        return kh, kw

    def pad(self, op: Operation) -> tuple[int, int, int, int]:
        top, left, bottom, right = _p(op, "pad")
        return top, left, bottom, right


@dataclass(frozen=True)
class CopyLike(OpTrait):
    """The op copies its `input` into its `output` unchanged (MLIR's
    CopyOpInterface): it moves data, computes nothing (weight staging copies
    are such ops, and stage no weights of their own)."""

    def verify(self, op: Operation) -> None:
        _operator_only(self, op)


@dataclass(frozen=True)
class WholeFeatureMaps(OpTrait):
    """The NPU runs the op reading and writing each operand as one feature
    map of the operand's own shape (no reshaped, strided or broadcast view,
    no DMA; an `Elementwise` operand broadcast to the output's shape is
    read otherwise): so each may be stored in 16-channel bricks, NHCWB16
    (`tir-feature-layouts`), and the cycle model costs the op as the one
    npu op it lowers to (`block_choice.tir_probe`). Fully connected layers
    (rows), copies (DMA), resizes (strided OFMs) and softmaxes do not."""

    def verify(self, op: Operation) -> None:
        _operator_only(self, op)


@dataclass(frozen=True)
class FlattenedFeatureMaps(OpTrait):
    """The NPU reads the op's feature maps flattened to rows of channels (a
    fully connected layer, a softmax, an arg max): a view of one is read in
    place only if it is dense (`tir-data-views`)."""

    def verify(self, op: Operation) -> None:
        _operator_only(self, op)


@runtime_checkable
class ViewOp(Protocol):
    """The methods a `ViewLike` op implements (the interface's methods)."""

    @property
    def source(self) -> SSAValue: ...

    def view_layout(self) -> tuple[int, tuple[int, ...] | None]:
        """(element offset, element strides or None for a reshape)."""
        ...


@dataclass(frozen=True)
class ViewLike(OpTrait):
    """The op's one result is a view of its `source` operand (MLIR's
    ViewLikeOpInterface): no bytes of its own, element `[i, j, ...]` is
    source element `offset + i * s0 + j * s1 + ...` with (offset, strides)
    from `layout` (strides None: the source's elements in row-major order,
    reshaped). `tirconst.analysis.views` composes chains of views."""

    def verify(self, op: Operation) -> None:
        if not isinstance(op, ViewOp):
            raise VerifyException(f"{op.name} is ViewLike without view_layout")

    def source(self, op: Operation) -> SSAValue:
        return cast(ViewOp, op).source  # checked by verify

    def layout(self, op: Operation) -> tuple[int, tuple[int, ...] | None]:
        """(element offset, element strides or None for a reshape)."""
        return cast(ViewOp, op).view_layout()  # checked by verify


__all__ = [
    "CopyLike",
    "Elementwise",
    "FlattenedFeatureMaps",
    "Pointwise",
    "Pooling",
    "ViewLike",
    "ViewOp",
    "WholeFeatureMaps",
    "Windowed",
    "operator",
]
