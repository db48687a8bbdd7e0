"""TFLite int8 convolutions, fully connected layers and pooling as tir
operator ops (see `operators` for the conventions they share)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any, ClassVar

import numpy as np
from xdsl.ir import SSAValue
from xdsl.irdl import (
    AttrSizedOperandSegments,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    traits_def,
)
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.buffers import AllocateConstOp, ConstantResolveError
from tirconst.dialects.tir.encoded import EncodedWeightsAttr
from tirconst.dialects.tir.memory import Effect, Effects
from tirconst.dialects.tir.operators import (
    CLAMP,
    WINDOW2D,
    Int,
    Ints,
    OperatorOp,
    PerChannel,
    PerChannelData,
    Scale,
    Scales,
    ZeroPoint,
    operator_op,
    verify_bias,
    verify_per_channel,
    verify_window,
)
from tirconst.dialects.tir.quantization import conv_multipliers
from tirconst.dialects.tir.traits import (
    FlattenedFeatureMaps,
    Pooling,
    WholeFeatureMaps,
    Windowed,
)
from tirconst.dialects.tir.types import BufferType
from tirconst.formats.ethos_u.bias import record_scale
from tirconst.formats.ethos_u.block_config import Geometry as NpuGeometry
from tirconst.formats.ethos_u.weights import WeightFormatError

# ------------------------------------------------------------------ convolutions


class WeightedOp(OperatorOp):
    """An operator with weights: ins(input, filter, bias?) outs(output), int8.

    Or 16x8 (TFLite's int16x8 quantization): int16 input and output (zero
    points 0), int8 filter, int64 bias; then the accumulator is 64-bit and the
    requantization LiteRT's 64-bit MultiplyByQuantizedMultiplier (the
    multiplier rounded to 15 bits, one rounding), see kernels.conv.

    With `encoded_weights = #tir.encoded_weights<...>` (`tir-encode-weights`)
    the filter is the 1-D ui8 buffer of the Ethos-U encoded bytes and there is
    no bias: weights and bias come from the bytes; the other properties stay.
    When the filter is a `tir.allocate_const`, the verifier checks each
    channel's `multiplier` and `shift` against the bias/scale record in the
    bytes (what the NPU and the interpreter use).
    """

    input = operand_def(BufferType)
    filter = operand_def(BufferType)
    bias = opt_operand_def(BufferType)
    output = operand_def(BufferType)
    encoded_weights = opt_prop_def(EncodedWeightsAttr)

    irdl_options = (AttrSizedOperandSegments(as_property=True),)

    EXTRA_PROPS: ClassVar[tuple[str, ...]] = ("encoded_weights",)

    FILTER_CHANNEL_AXIS: ClassVar[int] = 0
    """The filter axis that holds the output channel."""

    ENCODED_ZERO_POINT: ClassVar[str | None] = None
    """The property that is the weights' zero point (None: 0)."""

    # Every weighted op clamps its output (`CLAMP`): its accessors, typed.
    @property
    def act_min(self) -> int:
        """The lower end of the activation clamp."""
        return self.p("act_min")

    @property
    def act_max(self) -> int:
        """The upper end of the activation clamp."""
        return self.p("act_max")

    def encoded_filter_shape(self) -> tuple[int, ...]:
        """The logical filter shape the encoded bytes hold."""
        raise NotImplementedError

    def verify_encoded(self) -> None:
        """The encoded filter is 1-D ui8 bytes the sections fit in, no bias,
        and the encodings agree with the op (dilation, zero point, depthwise)."""
        enc = self.encoded_weights
        assert enc is not None
        self.expect_rank("encoded filter", self.filter, 1)
        self.expect_dtype("encoded filter", self.filter, "uint8")
        if self.bias is not None:
            raise VerifyException(
                "an op with encoded weights takes no bias (it is in the records)"
            )
        if self.shape(self.filter)[0] < enc.nbytes:
            raise VerifyException(
                f"encoded weights span {enc.nbytes} bytes, the filter has "
                f"{self.shape(self.filter)[0]}"
            )
        zp = self.p(self.ENCODED_ZERO_POINT) if self.ENCODED_ZERO_POINT else 0
        dilation = tuple(self.dilation) if "dilation" in self.properties else (1, 1)
        ref = enc.weight_encodings()[0]
        for e in enc.weight_encodings():
            if e.zero_point != zp:
                raise VerifyException(
                    f"weights encoded with zero point {e.zero_point}, the op has {zp}"
                )
            if (e.dilation_y, e.dilation_x) != dilation:
                raise VerifyException(
                    f"weights encoded for dilation {[e.dilation_y, e.dilation_x]}, "
                    f"the op has {list(dilation)}"
                )
            if e.shape[1:] != ref.shape[1:] or e.accelerator != ref.accelerator:
                raise VerifyException("the cores' encodings disagree")
            # A stream of depth d is the stream of any depth covering the
            # core's channels (the encoder takes multiples of 8 only).
            if e.block_depth > enc.block[2] and e.shape[0] > enc.block[2]:
                raise VerifyException(
                    f"block depth {e.block_depth} exceeds the block config's "
                    f"{enc.block[2]}"
                )
        raw = _constant_bytes(self.filter)
        if raw is not None:
            self.verify_records(enc, raw)

    def verify_records(self, enc: EncodedWeightsAttr, raw: np.ndarray) -> None:
        """The op's per-channel multiplier and shift are those of the bias/scale
        records in the encoded bytes (what the NPU and the interpreter use)."""
        try:
            records = enc.records(raw)
        except WeightFormatError as e:
            raise VerifyException(f"encoded bias records: {e}") from None
        if "multiplier" not in self.properties or "shift" not in self.properties:
            return
        ours = [np.asarray(self.p(n), np.int64) for n in ("multiplier", "shift")]
        if any(v.size not in (1, records.scale.size) for v in ours):
            return  # verify_per_channel says so
        ours = [np.broadcast_to(v, records.scale.shape) for v in ours]
        expected = record_scale(*ours, self.reduced_scale(records.bias))
        for prop, op_value, name, mine, held in zip(
            ("multiplier", "shift"),
            ours,
            ("scale", "shift"),
            expected,
            (records.scale, records.shift),
            strict=True,
        ):
            bad = np.flatnonzero(mine != held)
            if bad.size:
                o = int(bad[0])
                raise VerifyException(
                    f"{prop} of output channel {o} is {int(op_value[o])}: the "
                    f"record {name} {int(mine[o])}, the encoded bias record holds "
                    f"{int(held[o])}"
                )

    # -- the interface passes ask (weight encoding, decoding, staging) ------

    WEIGHTS_REUSED: ClassVar[bool] = True
    """Whether the NPU reads each weight for many OFM positions (a conv's
    kernel slides); a fully connected op reads each once per row block, so
    staging its weights in SRAM buys little (Vela reads them from flash)."""

    def ohwi(self, w: np.ndarray) -> np.ndarray:
        """The filter as the NPU reads it: (output channel, kernel height,
        kernel width, input channel)."""
        return w

    def from_ohwi(self, ohwi: np.ndarray) -> np.ndarray:
        """The op's own filter layout from OHWI (inverse of `ohwi`)."""
        return ohwi

    def npu_geometry(self) -> NpuGeometry:
        """The op as the NPU's window op over H×W×C feature maps."""
        _, h, w, ci = self.shape(self.input)
        _, oh, ow, co = self.shape(self.output)
        kh, kw = self.filter_shape()[1:3]
        return NpuGeometry(
            (h, w, ci),
            (oh, ow, co),
            (kh, kw),
            tuple(self.stride),  # type: ignore[arg-type]
            tuple(self.dilation),  # type: ignore[arg-type]
            tuple(self.pad),  # type: ignore[arg-type]
            False,
            self.ifm_bits(),
        )

    def ifm_bits(self) -> int:
        """16 for the 16x8 form (int16 input), else 8."""
        return 16 if str(self.buffer_type(self.input).dtype) == "int16" else 8

    def reduced_scale(self, bias: np.ndarray | None) -> bool:
        """Whether the op requantizes with LiteRT's 64-bit reduced multiplier
        (15 bits; the NPU's records hold it with a shift 16 less, as Vela's
        `reduced_quantise_scale`): a 16x8 conv or depthwise always, a 16x8
        fully connected only when a bias value does not fit int32 (else
        LiteRT takes its int32 path: full multiplier, one rounding)."""
        if self.ifm_bits() != 16:
            return False
        if not self.REDUCED_NEEDS_WIDE_BIAS:
            return True
        b = np.zeros(0, np.int64) if bias is None else np.asarray(bias, np.int64)
        return bool(np.any((b < -(2**31)) | (b >= 2**31)))

    REDUCED_NEEDS_WIDE_BIAS: ClassVar[bool] = False
    """A fully connected op's 16x8 form requantizes reduced only with a bias
    past int32 (`reduced_scale`)."""

    def filter_shape(self) -> tuple[int, ...]:
        """The (logical) filter shape: the encoded one when encoded."""
        if self.encoded_weights is not None:
            return self.encoded_filter_shape()
        return self.shape(self.filter)

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        mult, shift = conv_multipliers(
            q["input_scale"], q["filter_scales"], q["output_scale"]
        )
        return {"multiplier": mult, "shift": shift}

    def per_channel(self) -> PerChannelData | None:
        """Filter (along FILTER_CHANNEL_AXIS), bias, multiplier, shift and
        filter_scales are indexed by output channel. (A depthwise output channel
        o also reads only input channel o // depth_multiplier: a tiler slicing
        channels slices the input there too.)"""
        if self.encoded_weights is not None:
            return None  # the bytes cannot be sliced by channel
        co = self.shape(self.filter)[self.FILTER_CHANNEL_AXIS]
        operands = {"filter": self.FILTER_CHANNEL_AXIS}
        if self.bias is not None:
            operands["bias"] = 0
        return PerChannelData(co, operands, ("multiplier", "shift", "filter_scales"))

    def expect_int8(self, rank: int | None = None) -> None:
        """int8 input, filter and output; or the 16x8 form: int16 input and
        output, int8 filter (and an int64 bias, `verify_bias`)."""
        act = "int16" if str(self.buffer_type(self.input).dtype) == "int16" else "int8"
        roles = [("input", self.input, act), ("output", self.output, act)]
        if self.encoded_weights is None:
            roles.insert(1, ("filter", self.filter, "int8"))
        for role, v, dtype in roles:
            if rank is not None:
                self.expect_rank(role, v, rank)
            self.expect_dtype(role, v, dtype)


def _constant_bytes(value: SSAValue) -> np.ndarray | None:
    """The bytes of a 1-D ui8 `tir.allocate_const` `value` is (inline or a
    module constant); None for any other value (bytes copied at run time)."""
    owner = value.owner
    if not isinstance(owner, AllocateConstOp):
        return None
    try:
        data = owner.data
    except ConstantResolveError:
        return None  # the allocate_const's own verifier reports it
    if data.dtype != np.uint8 or data.ndim != 1:
        return None
    return data


class _ConvOp(WeightedOp):
    """A 2-D convolution over NHWC; subclasses check their filter layout."""

    def verify_filter(self, ci: int) -> tuple[int, int, int]:
        """Check the filter against `ci` input channels; return (Co, KH, KW)."""
        raise NotImplementedError

    def encoded_filter_shape(self) -> tuple[int, ...]:
        enc = self.encoded_weights
        assert enc is not None
        _, kh, kw, ci = enc.weight_encodings()[0].shape
        return (enc.channels, kh, kw, ci)

    def verify_(self) -> None:
        self.expect_int8(rank=4)
        n, _, _, ci = self.shape(self.input)
        if self.encoded_weights is not None:
            self.verify_encoded()
        co, kh, kw = self.verify_filter(ci)
        self.expect_len("dilation", 2, positive=True)
        oh, ow = verify_window(self, self.input, kh, kw, self.dilation)
        self.expect_shape("output", self.output, [n, oh, ow, co])
        verify_bias(self, self.bias, co)
        verify_per_channel(self, co)
        self.expect_clamp()


_CONV = {
    "stride": Ints,
    "dilation": Ints,
    "pad": Ints,
    "input_zp": ZeroPoint,
    "output_zp": ZeroPoint,
    "multiplier": PerChannel,
    "shift": PerChannel,
    **CLAMP,
}
WEIGHTED_QUANT = {"input_scale": Scale, "filter_scales": Scales, "output_scale": Scale}
"""Scales of a weighted op: multiplier[o], shift[o] = QuantizeMultiplier(
input_scale * filter_scales[o] / output_scale), in double."""


@operator_op(("input", "filter", "bias"), _CONV, True, WEIGHTED_QUANT)
class Conv2DOp(_ConvOp):
    """TFLite int8 CONV_2D: NHWC input, OHWI filter, per-channel requantization.

    output[n, y, x, o] = clamp(output_zp + requant_o(bias[o] + sum over (ky, kx,
    i) of (input[n, y*sh - top + ky*dh, x*sw - left + kx*dw, i] + ... - input_zp) *
    filter[o, ky, kx, i])), with out-of-bounds input positions contributing 0
    (i.e. padding with the input zero point). `pad` is (top, left, bottom, right).
    Grouped (TFLite's grouped CONV_2D) when the input depth is G times the
    filter's: output channel o then sums over input channels
    (o // (Co / G)) * Ci_f + i only.

    Example:
        tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<1x3x3x2xi8>,
                    %b : !tir.buffer<1xi32>, %y : !tir.buffer<1x2x2x1xi8>) {
          tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>,
              !tir.buffer<1x3x3x2xi8>, !tir.buffer<1xi32>)
              outs(%y : !tir.buffer<1x2x2x1xi8>)
              {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>,
               pad = array<i64: 0, 0, 0, 0>, input_zp = -1, output_zp = 2,
               multiplier = array<i32: 1073741824>, shift = array<i32: -3>,
               act_min = -128, act_max = 127, input_scale = 0.5 : f32,
               filter_scales = array<f32: 0.125>, output_scale = 1.0 : f32}
        }
    """

    traits = traits_def(Windowed(kernel="filter", channels="all"), WholeFeatureMaps())

    name = "tir.conv2d"

    def macs(self) -> int:
        """Output elements times the KH*KW*Ci taps each reads."""
        taps = math.prod(self.filter_shape()[1:])
        return self.buffer_type(self.output).num_elements * taps

    def verify_filter(self, ci: int) -> tuple[int, int, int]:
        co, kh, kw, fi = self.filter_shape()
        if self.encoded_weights is not None and any(
            e.is_depthwise for e in self.encoded_weights.weight_encodings()
        ):
            raise VerifyException("a conv2d's weights are not encoded depthwise")
        if self.encoded_weights is not None and fi != ci:
            raise VerifyException(
                f"weights encoded for {fi} input channels, input has {ci} (the "
                "NPU runs no grouped convolution)"
            )
        if ci % fi or co % (ci // fi):
            raise VerifyException(
                f"filter has {fi} input channels and {co} outputs, input has {ci} "
                "(a grouped convolution needs both divisible by the groups)"
            )
        return co, kh, kw


@operator_op(
    ("input", "filter", "bias"),
    {**_CONV, "depth_multiplier": Int},
    True,
    WEIGHTED_QUANT,
)
class DepthwiseConv2DOp(_ConvOp):
    """TFLite int8 DEPTHWISE_CONV_2D: filter (1, KH, KW, C*depth_multiplier);
    output channel o reads input channel o // depth_multiplier only.

    Example:
        tir.func @f(%x : !tir.buffer<1x3x3x2xi8>, %w : !tir.buffer<1x3x3x2xi8>,
                    %y : !tir.buffer<1x1x1x2xi8>) {
          tir.depthwise_conv2d ins(%x, %w : !tir.buffer<1x3x3x2xi8>,
              !tir.buffer<1x3x3x2xi8>) outs(%y : !tir.buffer<1x1x1x2xi8>)
              {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>,
               pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0,
               multiplier = array<i32: 1073741824, 1073741824>,
               shift = array<i32: 0, 0>, act_min = -128, act_max = 127,
               depth_multiplier = 1, input_scale = 1.0 : f32,
               filter_scales = array<f32: 0.5, 0.5>, output_scale = 1.0 : f32}
        }
    """

    traits = traits_def(
        Windowed(kernel="filter", channels="multiplier"), WholeFeatureMaps()
    )

    name = "tir.depthwise_conv2d"

    def macs(self) -> int:
        """Output elements times the KH*KW taps each reads (one input channel
        per output channel)."""
        _, kh, kw, _ = self.filter_shape()
        return self.buffer_type(self.output).num_elements * kh * kw

    FILTER_CHANNEL_AXIS: ClassVar[int] = 3

    def ohwi(self, w: np.ndarray) -> np.ndarray:
        return np.transpose(w, (3, 1, 2, 0))  # (1, KH, KW, C) -> (C, KH, KW, 1)

    def from_ohwi(self, ohwi: np.ndarray) -> np.ndarray:
        return np.transpose(ohwi, (3, 1, 2, 0))

    def npu_geometry(self) -> NpuGeometry:
        """Depthwise, unless one input channel with a depth multiplier makes
        it the plain conv the NPU runs it as."""
        g = super().npu_geometry()
        depthwise = g.ifm[2] > 1 or self.depth_multiplier == 1
        return dataclasses.replace(g, depthwise=depthwise)

    def encoded_filter_shape(self) -> tuple[int, ...]:
        enc = self.encoded_weights
        assert enc is not None
        _, kh, kw, _ = enc.weight_encodings()[0].shape
        return (1, kh, kw, enc.channels)

    def verify_filter(self, ci: int) -> tuple[int, int, int]:
        one, kh, kw, co = self.filter_shape()
        dm = self.depth_multiplier
        if self.encoded_weights is not None:
            # Encoded as (C, KH, KW, 1): depthwise, or (one input channel, any
            # depth multiplier) as the plain conv the NPU runs it as.
            for e in self.encoded_weights.weight_encodings():
                if e.shape[3] != 1 or not (e.is_depthwise or ci == 1):
                    raise VerifyException(
                        "depthwise weights are encoded as (C, KH, KW, 1), "
                        "depthwise unless there is one input channel"
                    )
        if one != 1 or co != ci * dm:
            raise VerifyException(
                f"filter must have shape [1, KH, KW, {ci * dm}] for {ci} channels x "
                f"depth multiplier {dm}, got {list(self.shape(self.filter))}"
            )
        return co, kh, kw


_FC = {
    "input_zp": ZeroPoint,
    "filter_zp": ZeroPoint,
    "output_zp": ZeroPoint,
    "multiplier": PerChannel,
    "shift": PerChannel,
    **CLAMP,
}


@operator_op(("input", "filter", "bias"), _FC, True, WEIGHTED_QUANT)
class FullyConnectedOp(WeightedOp):
    """TFLite int8 FULLY_CONNECTED: rows of the input (last dim K) times the
    (Co, K) filter, requantized per tensor (1 multiplier) or per channel.

    Example:
        tir.func @f(%x : !tir.buffer<2x8xi8>, %w : !tir.buffer<4x8xi8>,
                    %b : !tir.buffer<4xi32>, %y : !tir.buffer<2x4xi8>) {
          tir.fully_connected ins(%x, %w, %b : !tir.buffer<2x8xi8>,
              !tir.buffer<4x8xi8>, !tir.buffer<4xi32>) outs(%y : !tir.buffer<2x4xi8>)
              {input_zp = 1, filter_zp = 0, output_zp = -3,
               multiplier = array<i32: 1073741824>, shift = array<i32: -6>,
               act_min = -128, act_max = 127, input_scale = 0.25 : f32,
               filter_scales = array<f32: 0.0625>, output_scale = 2.0 : f32}
        }
    """

    REDUCED_NEEDS_WIDE_BIAS: ClassVar[bool] = True

    traits = traits_def(FlattenedFeatureMaps())

    name = "tir.fully_connected"

    ENCODED_ZERO_POINT: ClassVar[str | None] = "filter_zp"
    WEIGHTS_REUSED: ClassVar[bool] = False

    def ohwi(self, w: np.ndarray) -> np.ndarray:
        return w.reshape(w.shape[0], 1, 1, w.shape[1])

    def from_ohwi(self, ohwi: np.ndarray) -> np.ndarray:
        return ohwi.reshape(ohwi.shape[0], -1)

    def npu_geometry(self) -> NpuGeometry:
        """A 1×1 conv over the rows: IFM 1×rows×K, OFM 1×rows×Co."""
        co, k = self.filter_shape()
        rows = self.buffer_type(self.input).num_elements // k
        return NpuGeometry(
            (1, rows, k), (1, rows, co), (1, 1), ifm_bits=self.ifm_bits()
        )

    def encoded_filter_shape(self) -> tuple[int, ...]:
        enc = self.encoded_weights
        assert enc is not None
        return (enc.channels, enc.weight_encodings()[0].shape[3])

    def macs(self) -> int:
        """Output elements times the row length K."""
        return self.buffer_type(self.output).num_elements * self.filter_shape()[1]

    def verify_(self) -> None:
        self.expect_int8()
        if self.encoded_weights is not None:
            self.verify_encoded()
            for e in self.encoded_weights.weight_encodings():
                if e.shape[1:3] != (1, 1) or e.is_depthwise:
                    raise VerifyException(
                        "fully connected weights are encoded as (Co, 1, 1, K)"
                    )
        else:
            self.expect_rank("filter", self.filter, 2)
        co, k = self.filter_shape()
        numel = self.buffer_type(self.input).num_elements
        if k == 0 or numel % k:
            raise VerifyException(f"input of {numel} elements is not rows of {k}")
        out = self.shape(self.output)
        if (
            not out
            or out[-1] != co
            or self.buffer_type(self.output).num_elements != numel // k * co
        ):
            raise VerifyException(
                f"output must hold {numel // k} rows of {co}, got shape {list(out)}"
            )
        verify_bias(self, self.bias, co)
        verify_per_channel(self, co, allow_single=True)
        self.expect_clamp()


# ---------------------------------------------------------------------- pooling


_POOL = {"window": Ints, **WINDOW2D, **CLAMP}
POOL_QUANT = {
    "input_scale": Scale,
    "input_zp": ZeroPoint,
    "output_scale": Scale,
    "output_zp": ZeroPoint,
}
"""TFLite pools keep the quantization: input and output scales and zero points
must be equal (the kernels take none of them)."""


class Pool2DOp(OperatorOp):
    """A pool over NHWC int8 data, or int16 (input and output alike): the
    window, stride and pad of its subclasses, which declare their reduction
    with the `Pooling` trait."""

    traits = traits_def(Windowed(kernel="window", channels="same"), WholeFeatureMaps())

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def macs(self) -> int:
        """Output elements times the window (Vela counts a pool's taps)."""
        kh, kw = self.window
        return self.buffer_type(self.output).num_elements * kh * kw

    def verify_(self) -> None:
        for role, v in (("input", self.input), ("output", self.output)):
            self.expect_rank(role, v, 4)
            self.expect_dtype(role, v, "int8", "int16")
        if self.buffer_type(self.input).dtype != self.buffer_type(self.output).dtype:
            raise VerifyException("input and output must have one element type")
        self.expect_len("window", 2, positive=True)
        kh, kw = self.window
        oh, ow = verify_window(self, self.input, kh, kw)
        n, _, _, c = self.shape(self.input)
        self.expect_shape("output", self.output, [n, oh, ow, c])
        self.expect_clamp()

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        if (q["input_scale"], q["input_zp"]) != (q["output_scale"], q["output_zp"]):
            raise ValueError(
                f"a pool keeps its quantization, but input ({q['input_scale']}, "
                f"{q['input_zp']}) differs from output ({q['output_scale']}, "
                f"{q['output_zp']})"
            )
        return {}


@operator_op(("input",), _POOL, quant=POOL_QUANT)
class AvgPool2DOp(Pool2DOp):
    """TFLite int8 AVERAGE_POOL_2D: the rounded mean of the in-bounds window
    elements (padding is not counted); input and output share quantization.

    Example:
        tir.func @f(%x : !tir.buffer<1x4x4x8xi8>, %y : !tir.buffer<1x2x2x8xi8>) {
          tir.avg_pool2d ins(%x : !tir.buffer<1x4x4x8xi8>)
              outs(%y : !tir.buffer<1x2x2x8xi8>)
              {window = array<i64: 2, 2>, stride = array<i64: 2, 2>,
               pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127,
               input_scale = 0.5 : f32, input_zp = 0, output_scale = 0.5 : f32,
               output_zp = 0}
        }
    """

    name = "tir.avg_pool2d"
    traits = traits_def(Pooling("average"))


@operator_op(("input",), _POOL, quant=POOL_QUANT)
class MaxPool2DOp(Pool2DOp):
    """TFLite int8 MAX_POOL_2D: the maximum of the in-bounds window elements.

    Example:
        tir.func @f(%x : !tir.buffer<1x4x4x8xi8>, %y : !tir.buffer<1x2x2x8xi8>) {
          tir.max_pool2d ins(%x : !tir.buffer<1x4x4x8xi8>)
              outs(%y : !tir.buffer<1x2x2x8xi8>)
              {window = array<i64: 3, 3>, stride = array<i64: 2, 2>,
               pad = array<i64: 1, 1, 0, 0>, act_min = 0, act_max = 127}
        }
    """

    name = "tir.max_pool2d"
    traits = traits_def(Pooling("max"))


_TRANSPOSE_CONV = {
    "stride": Ints,
    "pad": Ints,
    "input_zp": ZeroPoint,
    "output_zp": ZeroPoint,
    "multiplier": PerChannel,
    "shift": PerChannel,
    **CLAMP,
}


@operator_op(("input", "filter", "bias"), _TRANSPOSE_CONV, True, WEIGHTED_QUANT)
class TransposeConv2DOp(OperatorOp):
    """TFLite int8 TRANSPOSE_CONV (reference_integer_ops::TransposeConv): NHWC
    input, OHWI filter, per-channel requantization. Every input element
    (n, y, x, i) scatters (input - input_zp) * filter[o, ky, kx, i] into the
    int32 accumulator at output (n, y*sh - top + ky, x*sw - left + kx, o)
    where that lies inside the output; then output = clamp(output_zp +
    MultiplyByQuantizedMultiplier(acc + bias[o], multiplier[o], shift[o]),
    act_min, act_max). `pad` is (top, left) of the output window (TFLite's
    padding computed from the output size as for a convolution).

    Example:
        tir.func @f(%x : !tir.buffer<1x2x2x1xi8>, %w : !tir.buffer<2x3x3x1xi8>,
                    %y : !tir.buffer<1x4x4x2xi8>) {
          tir.transpose_conv2d ins(%x, %w : !tir.buffer<1x2x2x1xi8>,
              !tir.buffer<2x3x3x1xi8>) outs(%y : !tir.buffer<1x4x4x2xi8>)
              {stride = array<i64: 2, 2>, pad = array<i64: 0, 0>, input_zp = 0,
               output_zp = 0, multiplier = array<i32: 1073741824, 1073741824>,
               shift = array<i32: -3, -3>, act_min = -128, act_max = 127}
        }
    """

    name = "tir.transpose_conv2d"

    input = operand_def(BufferType)
    filter = operand_def(BufferType)
    bias = opt_operand_def(BufferType)
    output = operand_def(BufferType)

    irdl_options = (AttrSizedOperandSegments(as_property=True),)

    def verify_(self) -> None:
        for role, v in (("input", self.input), ("filter", self.filter)):
            self.expect_rank(role, v, 4)
            self.expect_dtype(role, v, "int8")
        self.expect_rank("output", self.output, 4)
        self.expect_dtype("output", self.output, "int8")
        n, _, _, ci = self.shape(self.input)
        co, _, _, fi = self.shape(self.filter)
        if fi != ci:
            raise VerifyException(f"filter has {fi} input channels, input has {ci}")
        on, _, _, oc = self.shape(self.output)
        if (on, oc) != (n, co):
            raise VerifyException(
                f"output {list(self.shape(self.output))} must have batch {n} and "
                f"{co} channels"
            )
        self.expect_len("stride", 2, positive=True)
        self.expect_len("pad", 2)
        if min(self.pad) < 0:
            raise VerifyException(f"pad must be >= 0, got {list(self.p('pad'))}")
        verify_bias(self, self.bias, co)
        verify_per_channel(self, co)
        self.expect_clamp()

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        mult, shift = conv_multipliers(
            q["input_scale"], q["filter_scales"], q["output_scale"]
        )
        return {"multiplier": mult, "shift": shift}


_BATCH_MATMUL = {
    "adj_x": Int,
    "adj_y": Int,
    "lhs_zp": ZeroPoint,
    "rhs_zp": ZeroPoint,
    "output_zp": ZeroPoint,
    "multiplier": Int,
    "shift": Int,
}


def _matrix_dims(shape: tuple[int, ...], adjoint: int) -> tuple[int, int]:
    rows, cols = shape[-2], shape[-1]
    return (cols, rows) if adjoint else (rows, cols)


@operator_op(
    ("lhs", "rhs", "workspace"),
    _BATCH_MATMUL,
    optional_last=True,
    quant={"lhs_scale": Scale, "rhs_scale": Scale, "output_scale": Scale},
)
class BatchMatmulOp(OperatorOp):
    """TFLite int8 BATCH_MATMUL (reference_ops::BatchMatMul): lhs [..., M, K]
    and rhs [..., K, N] (each transposed in its last two axes first when
    adj_x / adj_y is 1), leading axes broadcast; output[..., i, j] =
    clamp(MultiplyByQuantizedMultiplier(sum over k of (lhs[..., i, k] -
    lhs_zp) * (rhs[..., k, j] - rhs_zp), multiplier, shift) + output_zp) to
    int8, the sum in int32. multiplier/shift are QuantizeMultiplier(lhs_scale
    * rhs_scale / output_scale), in double.

    Example:
        tir.func @f(%a : !tir.buffer<2x3x4xi8>, %b : !tir.buffer<4x5xi8>,
                    %y : !tir.buffer<2x3x5xi8>) {
          tir.batch_matmul ins(%a, %b : !tir.buffer<2x3x4xi8>, !tir.buffer<4x5xi8>)
              outs(%y : !tir.buffer<2x3x5xi8>)
              {adj_x = 0, adj_y = 0, lhs_zp = 0, rhs_zp = 0, output_zp = 0,
               multiplier = 1073741824, shift = -5}
        }

    For the NPU, `tir-legalize-npu` adds `workspace`, an int8 buffer the op
    may write (the int32 products of its NPU sequence): the memory planner
    places it like any buffer; its contents afterwards are unspecified.
    """

    name = "tir.batch_matmul"

    lhs = operand_def(BufferType)
    rhs = operand_def(BufferType)
    workspace = opt_operand_def(BufferType)
    output = operand_def(BufferType)

    def effects(self) -> Effects:
        """lhs and rhs are read; the output and the workspace (an operand of
        `ins`, but only written) are written."""
        written = [self.output] + ([self.workspace] if self.workspace else [])
        return [(self.lhs, Effect.READ), (self.rhs, Effect.READ)] + [
            (v, Effect.WRITE) for v in written
        ]

    def verify_(self) -> None:
        for role, v in (("lhs", self.lhs), ("rhs", self.rhs), ("output", self.output)):
            self.expect_dtype(role, v, "int8")
        if self.workspace is not None:
            self.expect_dtype("workspace", self.workspace, "int8")
        a, b = self.shape(self.lhs), self.shape(self.rhs)
        if len(a) < 2 or len(b) < 2:
            raise VerifyException("lhs and rhs need at least 2 axes")
        for name in ("adj_x", "adj_y"):
            if self.p(name) not in (0, 1):
                raise VerifyException(f"{name} must be 0 or 1")
        m, k = _matrix_dims(a, self.adj_x)
        k2, n = _matrix_dims(b, self.adj_y)
        if k != k2:
            raise VerifyException(f"lhs has depth {k}, rhs {k2}")
        try:
            batch = np.broadcast_shapes(a[:-2], b[:-2])
        except ValueError:
            raise VerifyException(
                f"batch axes {list(a[:-2])} and {list(b[:-2])} do not broadcast"
            ) from None
        self.expect_shape("output", self.output, [*batch, m, n])

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        mult, shift = conv_multipliers(
            q["lhs_scale"], [q["rhs_scale"]], q["output_scale"]
        )
        return {"multiplier": int(mult[0]), "shift": int(shift[0])}
