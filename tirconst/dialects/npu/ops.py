# ruff: noqa: E501  (the docstring examples hold one-line hex constants)
"""The NPU operations, one per class of Vela's API: `npu.conv2d`
(NpuConv2DOperation), `npu.depthwise_conv2d` (NpuConvDepthWiseOperation),
`npu.pooling` (NpuPoolingOperation), `npu.elementwise`
(NpuElementWiseOperation) and `npu.dma` (NpuDmaOperation). They live in an
`npu.command_stream` and address its regions; the verifier checks what Vela's
generator silently accepts (the list: docs/npu.md)."""

from __future__ import annotations

import math

from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    FloatAttr,
    StringAttr,
    UnitAttr,
)
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_op_definition,
    opt_prop_def,
    prop_def,
    traits_def,
)
from xdsl.traits import HasParent
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.npu.attributes import (
    ROUNDING_MODES,
    UPSCALE_MODES,
    ActivationAttr,
    AddressRangeAttr,
    FeatureMapAttr,
    KernelAttr,
    PaddingAttr,
    WeightEncodingAttr,
)
from tirconst.dialects.npu.geometry import byte_span, window_output
from tirconst.dialects.npu.stream import CommandStreamOp, RegionOp, stream_of
from tirconst.formats.ethos_u.bias import RECORD_BYTES
from tirconst.formats.ethos_u.hardware import (
    MAX_DILATION,
    MAX_KERNEL_AREA,
    MAX_KERNEL_HEIGHT,
    MAX_POOL_KERNEL,
    MAX_STRIDE,
)
from tirconst.formats.ethos_u.weights import ACCELERATORS, core_channels, core_depths


def _region(op: IRDLOperation, index: int, what: str) -> RegionOp | None:
    stream = stream_of(op)
    if stream is None:
        return None
    region = stream.region(index)
    if region is None:
        raise VerifyException(f"{what} is in region {index}, which is not declared")
    return region


def check_range(op: IRDLOperation, r: AddressRangeAttr, what: str) -> RegionOp | None:
    """Check that `r` lies inside its region; return the region."""
    region = _region(op, r.region, what)
    if region is not None and r.address + r.length > region.size.value.data:
        raise VerifyException(
            f"{what} (bytes {r.address}..{r.address + r.length}) lies "
            f"outside region {r.region} of {region.size.value.data} bytes"
        )
    return region


def check_feature_map(op: IRDLOperation, fm: FeatureMapAttr, what: str) -> None:
    region = _region(op, fm.region, what)
    if region is None:
        return
    first, end = byte_span(fm)
    if first < 0 or end > region.size.value.data:
        raise VerifyException(
            f"{what} (bytes {first}..{end}) lies outside region {fm.region} of "
            f"{region.size.value.data} bytes"
        )
    if fm.layout == "nhcwb16" and fm.address % 16:
        raise VerifyException(f"{what}: an NHCWB16 base must be 16-byte aligned")


def check_scale(scale: DenseArrayBase) -> None:
    """An integer [scale, shift] as the OFM_SCALE register holds it."""
    values = [int(v) for v in scale.get_values()]
    if len(values) != 2 or not 0 <= values[1] < 64:
        raise VerifyException("ofm_scale is [scale, shift], shift 0-63")


class BlockOp(IRDLOperation):
    """What every op that produces an OFM holds (Vela's NpuBlockOperation)."""

    ifm = prop_def(FeatureMapAttr)
    ofm = prop_def(FeatureMapAttr)
    activation = opt_prop_def(ActivationAttr)
    block_config = prop_def(DenseArrayBase)
    rounding_mode = prop_def(StringAttr, default_value=StringAttr("tfl"))
    traits = traits_def(HasParent(CommandStreamOp))
    assembly_format = "attr-dict"
    irdl_options = (ParsePropInAttrDict(),)

    def shape(self, fm: FeatureMapAttr) -> tuple[int, int, int]:
        return fm.shape  # type: ignore[return-value]

    def verify_common(self) -> None:
        if self.rounding_mode.data not in ROUNDING_MODES:
            raise VerifyException(
                f"rounding_mode must be one of {', '.join(ROUNDING_MODES)}, got "
                f"{self.rounding_mode.data!r}"
            )
        block = self.block_config.get_values()
        if len(block) != 3 or any(int(b) < 1 for b in block):
            raise VerifyException("block_config must be [height, width, depth] > 0")
        act = self.activation
        if act is not None:
            lo, hi = act.min, act.max
            if lo is not None and hi is not None and lo > hi:
                raise VerifyException(f"activation min {lo} is greater than max {hi}")
            if act.kind == "table" and not 0 <= act.slot < 8:
                raise VerifyException("a lookup-table slot is 0-7")
        for what in ("ifm", "ifm2", "ofm"):
            fm = getattr(self, what, None)
            if what == "ifm2" and getattr(self, "ifm2_scalar", None) is not None:
                continue  # a scalar operand: no bytes are read
            if fm is not None:
                check_feature_map(self, fm, what.upper())

    @property
    def block_depth(self) -> int:
        return int(self.block_config.get_values()[2])


class WindowOp(BlockOp):
    """A block op sliding a kernel over the IFM. `upscale` (Vela's
    IFM_UPSCALE) makes the kernel slide over the IFM doubled in height and
    width first: `nearest` repeats each element 2×2, `transpose` puts each
    element at the even row and column and the IFM zero point between (the
    zero-insertion of a transpose convolution); the padding is around the
    doubled IFM."""

    kernel = prop_def(KernelAttr)
    padding = opt_prop_def(PaddingAttr)
    upscale = opt_prop_def(StringAttr)

    @property
    def pad(self) -> tuple[int, int, int, int]:
        return self.padding.pad if self.padding else (0, 0, 0, 0)  # type: ignore

    @property
    def upscaling(self) -> int:
        """How many times the IFM is upscaled per axis: 2 with `upscale`."""
        return 1 if self.upscale is None else 2

    def verify_window(self, conv_limits: bool) -> None:
        k = self.kernel
        (sy, sx), (dy, dx) = k.stride, k.dilation
        dkh, dkw = k.dilated()
        if sy > MAX_STRIDE or sx > MAX_STRIDE:
            raise VerifyException(
                f"stride [{sy}, {sx}] exceeds the hardware limit of {MAX_STRIDE}"
            )
        if conv_limits:
            if dy > MAX_DILATION or dx > MAX_DILATION:
                raise VerifyException(
                    f"dilation [{dy}, {dx}] exceeds the hardware limit of "
                    f"{MAX_DILATION}"
                )
            if dkh > MAX_KERNEL_HEIGHT or dkh * dkw > MAX_KERNEL_AREA:
                raise VerifyException(
                    f"dilated kernel {dkh}x{dkw} exceeds the hardware limits "
                    f"(height {MAX_KERNEL_HEIGHT}, area {MAX_KERNEL_AREA})"
                )
        elif max(k.size) > MAX_POOL_KERNEL or (dy, dx) != (1, 1):
            raise VerifyException(
                f"pooling kernels are at most {MAX_POOL_KERNEL} wide, undilated"
            )
        top, left, bottom, right = self.pad
        if max(top, bottom) >= dkh or max(left, right) >= dkw:
            raise VerifyException(
                f"padding {list(self.pad)} is not smaller than the kernel {dkh}x{dkw}"
            )
        if self.upscale is not None and self.upscale.data not in UPSCALE_MODES:
            raise VerifyException(
                f"upscale must be one of {', '.join(UPSCALE_MODES)}, got "
                f"{self.upscale.data!r}"
            )
        ih, iw, _ = self.shape(self.ifm)
        ih, iw = ih * self.upscaling, iw * self.upscaling
        oh, ow, _ = self.shape(self.ofm)
        eh, ew = window_output((ih, iw), k, self.pad)
        if (oh, ow) != (eh, ew):
            what = "upscaled IFM" if self.upscale is not None else "IFM"
            raise VerifyException(
                f"OFM is {oh}x{ow} but {what} {ih}x{iw}, kernel, stride and "
                f"padding give {eh}x{ew}"
            )


class WeightedOp(WindowOp):
    """A convolution: weights (an encoded stream) and bias/scale records, one
    range of each per core, in the constant region. On a two-core
    accelerator (ethos-u65-512) core k computes the output channels k,
    k + 2, ... from its own stream and records, read in OFM blocks of its
    share of the block depth (Vela's weight_compressor deals them so); a
    core with no channel has no range."""

    weights = prop_def(ArrayAttr[AddressRangeAttr])
    biases = prop_def(ArrayAttr[AddressRangeAttr])

    def ncores(self) -> int:
        """The cores the op runs on: the stream's accelerator's, else (an op
        outside a stream) one per weight range."""
        stream = stream_of(self)
        acc = ACCELERATORS.get(stream.accelerator.data) if stream else None
        return acc.cores if acc is not None else len(self.weights.data)

    def core_channels(self) -> list[int]:
        """How many output channels each core computes (core k: k, k + n, ...)."""
        return core_channels(self.shape(self.ofm)[2], self.ncores())

    def weight_encoding(self, core: int = 0) -> WeightEncodingAttr | None:
        """The encoding of the stream core `core`'s weight range points at."""
        r = self.weights.data[core]
        region = check_range(self, r, "weight range")
        if region is None:
            return None
        found = region.streams_at(r.address, r.length)
        if not found:
            raise VerifyException(
                f"weight range #npu.range<{r.region}, {r.address}, "
                f"{r.length}> does not point at a weight stream of region "
                f"{r.region}"
            )
        encodings = [s.encoding for s in found]
        assert all(isinstance(e, WeightEncodingAttr) for e in encodings)
        # Shared bytes (identical streams, or a staging buffer reused by
        # several ops): the entry that fits this op, if there is one; else the
        # first, and the verifier says how it does not fit.
        for enc in encodings:
            if self._fits(enc.encoding, core):  # type: ignore[union-attr]
                return enc  # type: ignore[return-value]
        return encodings[0]  # type: ignore[return-value]

    def _core_depth(self, core: int) -> int:
        """Core `core`'s share of the OFM block depth."""
        return core_depths(self.block_depth, self.ncores())[core]

    def _fits(self, e, core: int = 0) -> bool:  # type: ignore[no-untyped-def]
        """Whether encoding `e` is one core `core` can read its weights with."""
        _, _, ic = self.shape(self.ifm)
        channels = self.core_channels()
        oc = channels[core] if core < len(channels) else 0
        depth = self._core_depth(core)
        depthwise = e.is_depthwise
        traversal = getattr(self, "block_traversal", None)
        whole = min(depth, e.block_depth) >= e.shape[0]
        return (
            e.shape[0] == oc
            and (depthwise or e.shape[3] == ic)
            and tuple(e.shape[1:3]) == self.kernel.size
            and (e.dilation_y, e.dilation_x) == self.kernel.dilation
            and (e.block_depth == depth or whole)
            and (traversal is None or depthwise or traversal.data == e.traversal)
        )

    def verify_weighted(self, depthwise: bool) -> list[WeightEncodingAttr] | None:
        """Check every core's ranges and stream; the cores' encodings."""
        self.verify_common()
        self.verify_window(conv_limits=True)
        n = len(self.weights.data)
        if len(self.biases.data) != n:
            raise VerifyException(
                f"{n} weight ranges but {len(self.biases.data)} bias ranges "
                "(one of each per core)"
            )
        channels = self.core_channels()
        if n != len(channels):
            raise VerifyException(
                f"{n} weight ranges, expected {len(channels)} (one per core that "
                "computes output channels)"
            )
        for k, (w, b) in enumerate(
            zip(self.weights.data, self.biases.data, strict=True)
        ):
            core = f" (core {k})" if n > 1 else ""
            if w.address % 16 or w.length % 16:
                raise VerifyException(
                    f"a weight range must be 16-byte aligned and sized{core}"
                )
            if b.address % 16:
                raise VerifyException(
                    f"scale/bias base {b.address} is not 16-byte aligned{core}"
                )
            if b.length % 16:
                raise VerifyException(
                    f"scale/bias length {b.length} is not a multiple of 16{core}"
                )
            if b.length < channels[k] * RECORD_BYTES:
                raise VerifyException(
                    f"bias range of {b.length} bytes holds fewer than "
                    f"{channels[k]} records{core}"
                )
            check_range(self, b, "bias range")
        encodings = []
        for k in range(n):
            enc = self.weight_encoding(k)
            if enc is None:
                return None
            self._verify_encoding(enc, k, depthwise)
            encodings.append(enc)
        return encodings

    def _verify_encoding(
        self, enc: WeightEncodingAttr, k: int, depthwise: bool
    ) -> None:
        e = enc.encoding
        _, _, ic = self.shape(self.ifm)
        oc = self.core_channels()[k]
        core = f" (core {k})" if len(self.weights.data) > 1 else ""
        if e.is_depthwise != depthwise:
            what = "depthwise" if e.is_depthwise else "non-depthwise"
            raise VerifyException(f"the weights were encoded {what}")
        # A depthwise core reads the IFM channels of its output channels
        # (its stream's depth, checked against them below).
        in_depth = ic if depthwise else e.shape[3]
        if ic != in_depth:
            raise VerifyException(
                f"IFM depth {ic} does not match the weights' input depth {in_depth}"
            )
        if e.shape[0] != oc:
            what = "OFM depth" if not core else "output channels"
            raise VerifyException(
                f"{what} {oc} does not match the weights' output depth "
                f"{e.shape[0]}{core}"
            )
        if tuple(e.shape[1:3]) != self.kernel.size:
            raise VerifyException(
                f"kernel {list(self.kernel.size)} does not match the weights' "
                f"{list(e.shape[1:3])}"
            )
        if (e.dilation_y, e.dilation_x) != self.kernel.dilation:
            raise VerifyException(
                "the weights were encoded for dilation "
                f"[{e.dilation_y}, {e.dilation_x}], the kernel has "
                f"{list(self.kernel.dilation)}"
            )
        # One OFM block covering every output channel reads the weights in
        # one piece whatever its depth, so any two such depths give one stream.
        depth = self._core_depth(k)
        whole = min(depth, e.block_depth) >= e.shape[0]
        if depth != e.block_depth and not whole:
            raise VerifyException(
                f"block depth {depth} but the weights were encoded with "
                f"block depth {e.block_depth}{core}"
            )
        if stream_of(self) is not None:
            acc = stream_of(self).accelerator.data  # type: ignore[union-attr]
            if e.accelerator != acc:
                raise VerifyException(
                    f"the weights were encoded for {e.accelerator}, the stream is "
                    f"for {acc}"
                )


@irdl_op_definition
class Conv2DOp(WeightedOp):
    """A 2-D convolution (Vela's NpuConv2DOperation): for each OFM element,
    the 40-bit bias plus the sum over the kernel window of (IFM − IFM zero
    point) · weight, scaled by the channel's (scale, shift) with the rounding
    mode, plus the OFM zero point, clamped by the activation. Padding reads as
    the IFM zero point. `block_traversal` must be the traversal the weights
    were encoded with. On a two-core accelerator (ethos-u65-512) `weights`
    and `biases` hold one range per core: core k computes output channels
    k, k + 2, ... from its stream (encoded with its share of the block
    depth) and its records.

    Example:
        npu.command_stream @s "ethos-u55-128" {
          npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>] = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
          npu.region 3 input size 16
          npu.region 4 output size 16
          npu.tensor "input0" input region 3 offset 0 : tensor<1x2x2x4xi8>
          npu.tensor "output0" output region 4 offset 0 : tensor<1x2x2x2xi8>
          npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 3>,
                      ofm = #npu.feature_map<int8, [2, 2, 2], region = 4>,
                      kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 1, 1, 8>,
                      weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 32, 32>]}
        }
    """

    name = "npu.conv2d"
    block_traversal = prop_def(StringAttr, default_value=StringAttr("depth_first"))

    def verify_(self) -> None:
        for enc in self.verify_weighted(depthwise=False) or ():
            if enc.traversal != self.block_traversal.data:
                raise VerifyException(
                    f"block traversal {self.block_traversal.data} but the weights "
                    f"were encoded {enc.traversal}"
                )


@irdl_op_definition
class DepthwiseConv2DOp(WeightedOp):
    """A depthwise convolution (Vela's NpuConvDepthWiseOperation): as
    `npu.conv2d`, but OFM channel c reads only IFM channel c; weights encoded
    depthwise as [C, KH, KW, 1], depth first.

    Example:
        npu.command_stream @s "ethos-u55-128" {
          npu.region 0 constant size 80 streams [#npu.weight_stream<0, 48, #npu.weight_encoding<"ethos-u55-128", [2, 3, 3, 1], block_depth = 8, depthwise = true>>] = dense<"0x81006c11376584cf35b65442c71432c4ff70ce000070cec15d4ec10de45c39051c00600080050007f0ffffffffffffff00000000009a79825a250a000000009a79825a25000000000000000000000000"> : tensor<80xui8>
          npu.region 1 scratch size 64
          npu.depthwise_conv2d {ifm = #npu.feature_map<int8, [3, 3, 2], region = 1>,
                                ofm = #npu.feature_map<int8, [3, 3, 2], region = 1, address = 32>,
                                kernel = #npu.kernel<[3, 3]>, padding = #npu.padding<[1, 1, 1, 1]>,
                                block_config = array<i64: 1, 1, 8>,
                                weights = [#npu.range<0, 0, 48>], biases = [#npu.range<0, 48, 32>]}
        }
    """

    name = "npu.depthwise_conv2d"

    def verify_(self) -> None:
        self.verify_weighted(depthwise=True)
        if self.shape(self.ifm)[2] != self.shape(self.ofm)[2]:
            raise VerifyException("a depthwise convolution keeps the depth")


POOL_TYPES = ("max", "average", "reduce_sum")


def pooling_scale(
    area: int, ifm_scale: float | None, ofm_scale: float | None
) -> tuple[int, int]:
    """OFM_SCALE of an unpadded average or sum over `area` elements, as
    Vela's generator derives it: 1/area (quantise_pooling_scale: a 31-bit
    mantissa plus 2^-shift, so ties round away from zero) times IFM scale /
    OFM scale (for a 1×1 kernel the mantissa leaves room for the rescale's
    bits); (1, 0) without float scales."""
    if ifm_scale is None or ofm_scale is None:
        return 1, 0
    rescale = ifm_scale / ofm_scale
    bits = 0
    if area == 1 and rescale > 1:
        bits = len(bin(math.ceil(rescale))) - 2 + 1
    elif area == 1 and rescale < 1:
        bits = -(len(bin(math.ceil(1 / rescale))) - 2 - 1)
    k = math.frexp(area - 1)[1]
    shift = 31 - bits + k
    scale = ((1 << shift) + (1 << k)) // area
    product = scale * rescale
    return int(math.trunc(product + (-0.5 if product < 0 else 0.5))), shift


@irdl_op_definition
class PoolingOp(WindowOp):
    """Pooling (Vela's NpuPoolingOperation), as the registers Vela writes for
    it say: the window's `max` (padding ignored), or the window's sum of
    (IFM − IFM zero point) for `average` and `reduce_sum` (to int32; to an
    OFM of depth 1 it also sums the channels, as the hardware's REDUCE_SUM
    does in Vela's softmax); then, where the op uses the global OFM scale
    (`scale_register()`), times scale >> shift with the rounding mode; plus
    the OFM zero point; clamped.

    The OFM_SCALE register is `ofm_scale` = [scale, shift] when given (a
    decoded stream holds it: tirconst-disasm), else `rescale` = [scale,
    shift] when given, else what Vela's generator derives for an unpadded
    average or reduce_sum: the reciprocal of the kernel area times IFM
    scale / OFM scale (Vela's quantise_pooling_scale), (1, 0) without float
    scales. So `average` is a rounded division only through that register:
    TFLite's average (raw sum, ties away from zero) is the
    zero-point-transparent form, IFM and OFM zero points 0 and `natural`
    rounding (docs/lowering.md).

    Example:
        npu.command_stream @s "ethos-u55-128" {
          npu.region 1 scratch size 80
          npu.pooling {pool_type = "max",
                       ifm = #npu.feature_map<int8, [4, 4, 4], region = 1>,
                       ofm = #npu.feature_map<int8, [2, 2, 4], region = 1, address = 64>,
                       kernel = #npu.kernel<[2, 2], stride = [2, 2]>,
                       block_config = array<i64: 2, 2, 8>}
        }
    """

    name = "npu.pooling"
    pool_type = prop_def(StringAttr)
    rescale = opt_prop_def(DenseArrayBase)
    ofm_scale = opt_prop_def(DenseArrayBase)

    def verify_(self) -> None:
        if self.pool_type.data not in POOL_TYPES:
            raise VerifyException(
                f"pool_type must be one of {', '.join(POOL_TYPES)}, got "
                f"{self.pool_type.data!r}"
            )
        self.verify_common()
        self.verify_window(conv_limits=False)
        channels_summed = (
            self.pool_type.data == "reduce_sum" and self.shape(self.ofm)[2] == 1
        )
        if self.shape(self.ifm)[2] != self.shape(self.ofm)[2] and not channels_summed:
            raise VerifyException(
                f"pooling keeps the depth: IFM {self.shape(self.ifm)[2]}, OFM "
                f"{self.shape(self.ofm)[2]}"
            )
        if (
            self.pool_type.data == "average"
            and any(self.pad)
            and self.ofm_scale is None
        ):
            raise VerifyException(
                "padded average pooling is not bit-exact with TFLite; pad first"
            )
        if self.rescale is not None and len(self.rescale.get_values()) != 2:
            raise VerifyException("rescale is [scale, shift]")
        if self.ofm_scale is not None:
            if self.rescale is not None:
                raise VerifyException("ofm_scale and rescale exclude each other")
            check_scale(self.ofm_scale)

    def scale_register(self) -> tuple[int, int] | None:
        """The (scale, shift) of the OFM_SCALE register the op runs with, or
        None where Vela programs no global scale (max pooling, padded
        average) and the window's value passes unscaled."""
        if self.ofm_scale is not None:
            scale, shift = (int(v) for v in self.ofm_scale.get_values())
            return scale, shift
        if self.rescale is not None:
            scale, shift = (int(v) for v in self.rescale.get_values())
            return scale, shift
        if self.pool_type.data == "max" or any(self.pad):
            return None
        kh, kw = self.kernel.size
        return pooling_scale(kh * kw, self.ifm.scale, self.ofm.scale)


ELEMENTWISE_TYPES = ("add", "sub", "mul", "min", "max", "abs", "shl", "shr", "clz")


@irdl_op_definition
class ElementwiseOp(BlockOp):
    """Elementwise arithmetic (Vela's NpuElementWiseOperation): IFM `op` IFM2
    (or, with `ifm2_scalar`, that real value quantized with IFM2's scale and
    zero point, as Vela does), IFM2 broadcast along its dimensions of
    extent 1; `reversed_operands` swaps them. add, sub and mul rescale with
    the operand and OFM float scales the way TFLite's integer kernels do
    (Vela derives its registers from the same float32 scales); min, max and
    abs work on the raw values with equal scales.

    A decoded stream (tirconst-disasm) has no float scales but the registers:
    `ofm_scale` = [scale, shift] and, for add/sub, `operand_scales` =
    [opa_scale, opa_shift, opb_scale, op_to_scale]. Then, with a and b the
    operands minus their zero points (swapped by `reversed_operands`): mul
    is (a·b)·ofm_scale; add/sub with opb_scale = 0 (Vela's advanced scaling)
    scale operand `op_to_scale` (1: a, 2: b) by opa_scale >> opa_shift
    from a 2^20 (int8) or 2^15 (int16) fixed point, the other one by a half,
    and otherwise multiply a by opa_scale and b by opb_scale; the sum then
    times ofm_scale. Every scaling rounds with the rounding mode. This is a
    model: the exact datapath is not public (docs/disasm.md reports how often
    it agrees with TFLite). Under TFL rounding, products beyond 32 bits
    (int32 mul) are rounded as TFLite's double rounding would on exact
    integers: half away from zero at bit 31, then at shift − 31. A mul of
    int32 operands applies only the shift of `ofm_scale` (its multiplier is
    not used: (2^30, 31) is SaturatingRoundingDoublingHighMul of the
    operands), and an int32 OFM saturates without the clamp (docs/npu.md).

    `shl` and `shr` shift IFM by IFM2 (0-31; shr rounds with the rounding
    mode: natural adds half), `clz` counts the leading zeros of the IFM as
    32 bits: the integer steps of Vela's softmax.

    Example:
        npu.command_stream @s "ethos-u55-128" {
          npu.region 1 scratch size 48
          npu.elementwise {op_type = "add",
                           ifm = #npu.feature_map<int8, [1, 1, 16], region = 1, scale = 0.5>,
                           ifm2 = #npu.feature_map<int8, [1, 1, 16], region = 1, address = 16, scale = 0.25>,
                           ofm = #npu.feature_map<int8, [1, 1, 16], region = 1, address = 32, scale = 1.0>,
                           block_config = array<i64: 1, 1, 16>}
        }
    """

    name = "npu.elementwise"
    op_type = prop_def(StringAttr)
    ifm2 = opt_prop_def(FeatureMapAttr)
    ifm2_scalar = opt_prop_def(FloatAttr)
    reversed_operands = opt_prop_def(UnitAttr)
    ofm_scale = opt_prop_def(DenseArrayBase)
    operand_scales = opt_prop_def(DenseArrayBase)

    def verify_(self) -> None:
        kind = self.op_type.data
        if kind not in ELEMENTWISE_TYPES:
            raise VerifyException(
                f"op_type must be one of {', '.join(ELEMENTWISE_TYPES)}, got {kind!r}"
            )
        self.verify_common()
        unary = kind in ("abs", "clz")
        if unary == (self.ifm2 is not None):
            raise VerifyException(f"{kind} takes {'no' if unary else 'an'} IFM2")
        if self.ifm2_scalar is not None and unary:
            raise VerifyException(f"{kind} takes no scalar operand")
        out = self.shape(self.ofm)
        if self.shape(self.ifm) != out:
            raise VerifyException(
                f"OFM shape {list(out)} differs from IFM {list(self.shape(self.ifm))}"
            )
        if self.ifm2 is not None:
            s2 = self.shape(self.ifm2)
            if any(a not in (1, b) for a, b in zip(s2, out, strict=True)):
                raise VerifyException(
                    f"IFM2 shape {list(s2)} does not broadcast to {list(out)}"
                )
        if self.ofm_scale is not None:
            check_scale(self.ofm_scale)
        if self.operand_scales is not None:
            if kind not in ("add", "sub") or self.ofm_scale is None:
                raise VerifyException("operand_scales go with ofm_scale on add/sub")
            if len(self.operand_scales.get_values()) != 4:
                raise VerifyException(
                    "operand_scales is [opa_scale, opa_shift, opb_scale, op_to_scale]"
                )
        if kind in ("add", "sub", "mul") and self.ofm_scale is None:
            for what in ("ifm", "ifm2", "ofm"):
                fm = getattr(self, what)
                if fm is not None and fm.scale is None:
                    raise VerifyException(f"{kind} needs the {what.upper()} scale")


@irdl_op_definition
class DmaOp(IRDLOperation):
    """A copy of `src` to `dest` (Vela's NpuDmaOperation); into region 0x103
    it loads a lookup table. Addresses and the length are 16-byte aligned.

    Example:
        npu.command_stream @s "ethos-u55-128" {
          npu.region 1 scratch size 32
          npu.dma {src = #npu.range<1, 0, 16>, dest = #npu.range<1, 16, 16>}
        }
    """

    name = "npu.dma"
    src = prop_def(AddressRangeAttr)
    dest = prop_def(AddressRangeAttr)
    traits = traits_def(HasParent(CommandStreamOp))
    assembly_format = "attr-dict"
    irdl_options = (ParsePropInAttrDict(),)

    def verify_(self) -> None:
        s, d = self.src, self.dest
        if s.length != d.length:
            raise VerifyException(
                f"DMA source of {s.length} bytes but destination of {d.length}"
            )
        for what, r in (("source", s), ("destination", d)):
            if r.address % 16 or r.length % 16:
                raise VerifyException(
                    f"DMA {what} address {r.address} and length {r.length} "
                    "must be multiples of 16"
                )
            check_range(self, r, f"DMA {what}")


OPS = [Conv2DOp, DepthwiseConv2DOp, PoolingOp, ElementwiseOp, DmaOp]
