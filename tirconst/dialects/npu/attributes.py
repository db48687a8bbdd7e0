"""Attributes of the npu dialect: what Vela's API classes hold (`NpuFeatureMap`,
`NpuKernel`, `NpuPadding`, `NpuActivation`, `NpuAddressRange`) and how a weight
stream was encoded (`#npu.weight_encoding`, usable on `tir.constant` too)."""

from __future__ import annotations

from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.npu.fields import (
    AttrField,
    BoolField,
    FloatField,
    IntField,
    IntsField,
    StrField,
    StructAttr,
    WordField,
    irdl_struct_definition,
)
from tirconst.formats.ethos_u.weights import (
    ACCELERATORS,
    TRAVERSALS,
    WeightEncoding,
    WeightFormatError,
)

DTYPES = {"int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "int32": 4}
LAYOUTS = ("nhwc", "nhcwb16")
ROUNDING_MODES = ("tfl", "natural", "truncate")
UPSCALE_MODES = ("nearest", "transpose")


@irdl_struct_definition
class FeatureMapAttr(StructAttr):
    """An IFM, IFM2 or OFM (Vela's `NpuFeatureMap`): element type, the H×W×C
    shape of this op's sub-volume, region, base address, NHWC or NHCWB16
    layout, byte strides [y, x, c] (empty: Vela's defaults for a dense
    tensor of this shape), and quantization (`scale` none = unquantized).

    `tiles = [h0, h1, w0, a1, a2, a3]` splits it into up to four tiles as
    Vela's `NpuTileBox` does: tile 0 (rows < h0, columns < w0) at `address`,
    tile 1 (rows < h1, columns >= w0) at a1, tile 2 (rows >= h0, columns < w0)
    at a2, tile 3 (rows >= h1, columns >= w0) at a3. Empty: one tile.
    In NHWC the channel step is the element size and `strides[2]` is unused;
    in NHCWB16 the column step is 16 elements and `strides[2]` steps bricks
    of 16 channels (as the hardware addresses them).

    Syntax:
        #npu.feature_map<DTYPE, [H, W, C], region = R, address = A,
                         tiles = [...], layout = nhwc|nhcwb16,
                         strides = [Y, X, C], scale = S, zero_point = Z>

    Example:
        #npu.feature_map<int8, [8, 8, 16], region = 1, address = 256,
                         scale = 0.5, zero_point = -3>
    """

    name = "npu.feature_map"
    dtype = WordField(tuple(DTYPES), positional=True)
    shape = IntsField(positional=True)
    region = IntField(default=0)
    address = IntField(default=0)
    tiles = IntsField(default=())
    layout = WordField(LAYOUTS, default="nhwc")
    strides = IntsField(default=())
    scale = FloatField()
    zero_point = IntField(default=0)

    def verify(self) -> None:
        super().verify()
        shape = self.shape
        if len(shape) != 3 or any(d < 1 for d in shape):
            raise VerifyException(
                f"#npu.feature_map: shape must be [H, W, C] > 0, got {list(shape)}"
            )
        if len(self.tiles) not in (0, 6):
            raise VerifyException(
                "#npu.feature_map: tiles must be [h0, h1, w0, a1, a2, a3] or empty"
            )
        if len(self.strides) not in (0, 3):
            raise VerifyException("#npu.feature_map: strides must be [y, x, c]")

    @property
    def element_size(self) -> int:
        return DTYPES[self.dtype]

    def byte_strides(self) -> tuple[int, int, int]:
        """[y, x, c] strides, Vela's defaults when none are given."""
        if self.strides:
            return self.strides  # type: ignore[return-value]
        h, w, c = self.shape
        e = self.element_size
        if self.layout == "nhwc":
            return (w * c * e, c * e, e)
        return (w * (-(-c // 16) * 16) * e, 16 * e, 16 * w * e)

    def tile_box(self) -> tuple[int, int, int, tuple[int, int, int, int]]:
        """(h0, h1, w0, four base addresses) as Vela's `NpuTileBox`."""
        h, w, _ = self.shape
        if not self.tiles:
            return h, 0, w, (self.address, 0, 0, 0)
        h0, h1, w0, a1, a2, a3 = self.tiles
        return h0, h1, w0, (self.address, a1, a2, a3)


@irdl_struct_definition
class KernelAttr(StructAttr):
    """A kernel (Vela's `NpuKernel`): size [height, width], stride [y, x],
    dilation [y, x].

    Example:
        #npu.kernel<[3, 3], stride = [2, 2]>
    """

    name = "npu.kernel"
    size = IntsField(positional=True)
    stride = IntsField(default=(1, 1))
    dilation = IntsField(default=(1, 1))

    def verify(self) -> None:
        for f, v in (
            ("size", self.size),
            ("stride", self.stride),
            ("dilation", self.dilation),
        ):
            if len(v) != 2 or any(d < 1 for d in v):
                raise VerifyException(f"#npu.kernel: {f} must be two positive ints")

    def dilated(self) -> tuple[int, int]:
        (kh, kw), (dy, dx) = self.size, self.dilation
        return (kh - 1) * dy + 1, (kw - 1) * dx + 1


@irdl_struct_definition
class PaddingAttr(StructAttr):
    """Padding [top, left, bottom, right] (Vela's `NpuPadding`); padded
    positions read as the IFM zero point.

    Example:
        #npu.padding<[1, 1, 1, 1]>
    """

    name = "npu.padding"
    pad = IntsField(positional=True)

    def verify(self) -> None:
        if len(self.pad) != 4 or any(p < 0 for p in self.pad):
            raise VerifyException("#npu.padding: four non-negative ints expected")


@irdl_struct_definition
class ActivationAttr(StructAttr):
    """The activation (Vela's `NpuActivation`): `clamp` to real `min`/`max`
    (re-quantized with the OFM scale; none = the type's range), or `table`,
    a lookup in table slot `slot` (0-7) of the NPU's lookup-table memory,
    then the clamp. For an int32 OFM the table is 256 int32 entries over
    four slots, indexed by the value clamped to [min, max] and to 8 bits,
    with no clamp after it (Vela's softmax exp). For an int16 OFM it is
    the 16-bit interpolating table: 512 32-bit entries (slope << 16 |
    base, signed 16 bits each) over eight slots; the value saturated to
    int16 picks entry (v + 32768) >> 7 and gives base + ((slope ·
    (v & 127) + 64) >> 7), then the clamp (Vela's int16 EXP and SOFTMAX:
    LiteRT's int16 table lookup). `sigmoid` and `tanh` are
    the hardware's int16 functions: the scaled value, on the scale
    1/(3·4096), goes through LiteRT's int16 Logistic/Tanh
    (tirconst.kernels.sigmoid16) to Q0.15, then the clamp (Vela's int16
    LOGISTIC/TANH and its LSTM gates).

    Example:
        #npu.activation<clamp, min = 0.0, max = 6.0>
    """

    name = "npu.activation"
    kind = WordField(("clamp", "table", "sigmoid", "tanh"), positional=True)
    min = FloatField()
    max = FloatField()
    slot = IntField(default=0)


@irdl_struct_definition
class AddressRangeAttr(StructAttr):
    """A byte range in a region (Vela's `NpuAddressRange`): region, address,
    length.

    Example:
        #npu.range<0, 64, 96>
    """

    name = "npu.range"
    region = IntField(positional=True)
    address = IntField(positional=True)
    length = IntField(positional=True)

    def verify(self) -> None:
        if self.address < 0 or self.length < 0:
            raise VerifyException("#npu.range: address and length must be >= 0")


@irdl_struct_definition
class WeightEncodingAttr(StructAttr):
    """How a weight stream was encoded (`WeightEncoding` of
    `tirconst.formats.ethos_u`): accelerator, the OHWI shape given to the
    encoder (depthwise: [C, KH, KW, 1]), OFM block depth, traversal,
    dilation [y, x], depthwise or not, weight zero point, IFM bit depth.

    Example:
        #npu.weight_encoding<"ethos-u55-128", [16, 3, 3, 8], block_depth = 16>
    """

    name = "npu.weight_encoding"
    accelerator = StrField(positional=True)
    shape = IntsField(positional=True)
    block_depth = IntField(default=16)
    traversal = WordField(TRAVERSALS, default="depth_first")
    dilation = IntsField(default=(1, 1))
    depthwise = BoolField(default=False)
    zero_point = IntField(default=0)
    ifm_bitdepth = IntField(default=8)

    def verify(self) -> None:
        super().verify()
        if self.accelerator not in ACCELERATORS:
            raise VerifyException(
                f"#npu.weight_encoding: unknown accelerator {self.accelerator!r}"
            )
        if len(self.dilation) != 2:
            raise VerifyException("#npu.weight_encoding: dilation must be [y, x]")
        try:
            _ = self.encoding
        except (WeightFormatError, TypeError) as e:
            raise VerifyException(f"#npu.weight_encoding: {e}") from None

    @property
    def encoding(self) -> WeightEncoding:
        dy, dx = self.dilation
        return WeightEncoding(
            self.accelerator,
            self.block_depth,
            self.traversal,
            dx,
            dy,
            self.depthwise,
            self.shape,  # type: ignore[arg-type]
            self.zero_point,
            self.ifm_bitdepth,
        )

    @classmethod
    def of(cls, e: WeightEncoding) -> WeightEncodingAttr:
        return cls.make(
            accelerator=e.accelerator,
            shape=e.shape,
            block_depth=e.block_depth,
            traversal=e.traversal,
            dilation=(e.dilation_y, e.dilation_x),
            depthwise=e.is_depthwise,
            zero_point=e.zero_point,
            ifm_bitdepth=e.ifm_bitdepth,
        )


@irdl_struct_definition
class WeightStreamAttr(StructAttr):
    """Where an encoded weight stream lies in a constant region (address and
    length in bytes) and how it was encoded.

    Example:
        #npu.weight_stream<64, 160,
            #npu.weight_encoding<"ethos-u55-128", [16, 1, 1, 8]>>
    """

    name = "npu.weight_stream"
    address = IntField(positional=True)
    length = IntField(positional=True)
    encoding = AttrField(WeightEncodingAttr, positional=True)


ATTRIBUTES = [
    FeatureMapAttr,
    KernelAttr,
    PaddingAttr,
    ActivationAttr,
    AddressRangeAttr,
    WeightEncodingAttr,
    WeightStreamAttr,
]
