"""TFLite data movement as tir operator ops: concatenation, strided slices
(SLICE, STRIDED_SLICE, SPLIT, SPLIT_V, UNPACK), transpose. They move
elements without arithmetic: int8 (and int16) values are copied as they
are, which is what LiteRT's reference kernels do for these operators (the
importer checks where TFLite requires equal quantization). See `operators`
for the conventions every operator op shares.

A TFLite operator with several outputs (SPLIT, UNPACK) becomes one op per
output, each a `tir.strided_slice` writing one buffer: every op keeps the one
`outs` buffer of the operator ops.
"""

from __future__ import annotations

import math
from typing import ClassVar

from xdsl.irdl import operand_def, var_operand_def
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.operators import Int, Ints, OperatorOp, operator_op
from tirconst.dialects.tir.types import BufferType


def _same_element_type(op: OperatorOp, *values) -> None:  # type: ignore[no-untyped-def]
    types = {op.buffer_type(v).element_type for v in values}
    if len(types) != 1:
        raise VerifyException("inputs and output must have one element type")


@operator_op(("inputs",), {"axis": Int})
class ConcatenationOp(OperatorOp):
    """TFLite CONCATENATION: the inputs joined along `axis` (0 <= axis <
    rank), in operand order; every other extent must agree. Values are
    copied unchanged (TFLite's int8 kernel requires every input to have the
    output's scale and zero point, and no fused activation).

    Example:
        tir.func @f(%a : !tir.buffer<1x2x4xi8>, %b : !tir.buffer<1x2x3xi8>,
                    %y : !tir.buffer<1x2x7xi8>) {
          tir.concatenation ins(%a, %b : !tir.buffer<1x2x4xi8>,
              !tir.buffer<1x2x3xi8>) outs(%y : !tir.buffer<1x2x7xi8>) {axis = 2}
        }
    """

    name = "tir.concatenation"
    VARIADIC: ClassVar[bool] = True

    inputs = var_operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        ins = self.input_values()
        if not ins:
            raise VerifyException("needs at least one input")
        _same_element_type(self, *ins, self.output)
        rank = len(self.shape(ins[0]))
        axis = self.axis
        if not 0 <= axis < rank:
            raise VerifyException(f"axis {axis} is out of range for rank {rank}")
        shapes = [self.shape(v) for v in ins]
        for s in shapes:
            if len(s) != rank or any(
                a != b
                for i, (a, b) in enumerate(zip(s, shapes[0], strict=True))
                if i != axis
            ):
                raise VerifyException(
                    f"input shapes {[list(s) for s in shapes]} differ off axis {axis}"
                )
        expect = list(shapes[0])
        expect[axis] = sum(s[axis] for s in shapes)
        self.expect_shape("output", self.output, expect)


@operator_op(("inputs",), {"axis": Int})
class PackOp(OperatorOp):
    """TFLite PACK: the inputs, all of one shape, stacked along a new axis
    `axis` (0 <= axis <= input rank) in operand order: a concatenation of
    the inputs each expanded by a 1 at `axis`. Values are copied unchanged
    (TFLite's int8 kernel requires the output's scale and zero point).

    Example:
        tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<2x3xi8>,
                    %y : !tir.buffer<2x2x3xi8>) {
          tir.pack ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<2x3xi8>)
              outs(%y : !tir.buffer<2x2x3xi8>) {axis = 1}
        }
    """

    name = "tir.pack"
    VARIADIC: ClassVar[bool] = True

    inputs = var_operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        ins = self.input_values()
        if not ins:
            raise VerifyException("needs at least one input")
        _same_element_type(self, *ins, self.output)
        shapes = {self.shape(v) for v in ins}
        if len(shapes) != 1:
            raise VerifyException(
                f"input shapes {sorted(list(s) for s in shapes)} differ"
            )
        (shape,) = shapes
        if not 0 <= self.axis <= len(shape):
            raise VerifyException(
                f"axis {self.axis} is out of range for rank-{len(shape)} inputs"
            )
        expect = list(shape)
        expect.insert(self.axis, len(ins))
        self.expect_shape("output", self.output, expect)


@operator_op(("input",), {"begin": Ints, "strides": Ints, "size": Ints})
class StridedSliceOp(OperatorOp):
    """A strided slice of the input: along each axis i, `size[i]` elements
    starting at `begin[i]`, `strides[i]` apart (a stride may be negative:
    elements in reverse order). The output holds the slice in row-major
    order; its shape is `size` with axes of extent 1 optionally dropped
    (TFLite's shrink_axis_mask, UNPACK) -- the element count is the same.
    TFLite's SLICE, STRIDED_SLICE, SPLIT, SPLIT_V and UNPACK (one op per
    output) are this op; values are copied unchanged.

    Example:
        tir.func @f(%x : !tir.buffer<4x6xi8>, %y : !tir.buffer<2x3xi8>) {
          tir.strided_slice ins(%x : !tir.buffer<4x6xi8>)
              outs(%y : !tir.buffer<2x3xi8>)
              {begin = array<i64: 1, 0>, strides = array<i64: 2, 2>,
               size = array<i64: 2, 3>}
        }
    """

    name = "tir.strided_slice"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        _same_element_type(self, self.input, self.output)
        shape = self.shape(self.input)
        for name in ("begin", "strides", "size"):
            self.expect_len(name, len(shape))
        begin, strides, size = self.begin, self.strides, self.size
        for i, (d, b, s, n) in enumerate(zip(shape, begin, strides, size, strict=True)):
            if s == 0 or n < 1:
                raise VerifyException(f"axis {i}: stride {s}, size {n}")
            last = b + (n - 1) * s
            if not (0 <= b < d and 0 <= last < d):
                raise VerifyException(
                    f"axis {i}: {n} elements from {b} by {s} leave [0, {d})"
                )
        out = self.shape(self.output)
        if [d for d in out if d != 1] != [d for d in size if d != 1] or math.prod(
            out
        ) != math.prod(size):
            raise VerifyException(
                f"output shape {list(out)} is not the slice shape {list(size)} "
                "(up to axes of extent 1)"
            )


@operator_op(("input",), {"perm": Ints})
class TransposeOp(OperatorOp):
    """TFLite TRANSPOSE: output axis i is input axis `perm[i]` (a
    permutation of 0..rank-1); values are copied unchanged.

    Example:
        tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<3x2xi8>) {
          tir.transpose ins(%x : !tir.buffer<2x3xi8>)
              outs(%y : !tir.buffer<3x2xi8>) {perm = array<i64: 1, 0>}
        }
    """

    name = "tir.transpose"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        _same_element_type(self, self.input, self.output)
        shape = self.shape(self.input)
        perm = self.perm
        if sorted(perm) != list(range(len(shape))):
            raise VerifyException(
                f"perm {list(perm)} is not a permutation of {len(shape)} axes"
            )
        self.expect_shape("output", self.output, [shape[a] for a in perm])


@operator_op(("input",), {"padding": Ints, "mode": Int})
class MirrorPadOp(OperatorOp):
    """TFLite MIRROR_PAD: pads each axis with its own mirror image;
    `padding` is (before0, after0, before1, ...), `mode` 0 is REFLECT (the
    edge element not repeated, padding < extent) and 1 SYMMETRIC (the edge
    repeated, padding <= extent). Values are copied unchanged.

    Example:
        tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<4x4xi8>) {
          tir.mirror_pad ins(%x : !tir.buffer<2x3xi8>)
              outs(%y : !tir.buffer<4x4xi8>)
              {padding = array<i64: 1, 1, 0, 1>, mode = 0}
        }
    """

    name = "tir.mirror_pad"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        _same_element_type(self, self.input, self.output)
        shape = self.shape(self.input)
        self.expect_len("padding", 2 * len(shape))
        pads, mode = self.padding, self.mode
        if mode not in (0, 1):
            raise VerifyException(
                f"mode must be 0 (REFLECT) or 1 (SYMMETRIC), got {mode}"
            )
        for i, d in enumerate(shape):
            for p in pads[2 * i : 2 * i + 2]:
                if p < 0 or p > d - 1 + mode:
                    raise VerifyException(
                        f"axis {i}: padding {p} does not mirror an extent of {d}"
                    )
        expect = [d + pads[2 * i] + pads[2 * i + 1] for i, d in enumerate(shape)]
        self.expect_shape("output", self.output, expect)


@operator_op(("input",), {"multiples": Ints})
class TileOp(OperatorOp):
    """TFLite TILE: the input repeated `multiples[i]` (>= 1) times along each
    axis i; values are copied unchanged.

    Example:
        tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<2x9xi8>) {
          tir.tile ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2x9xi8>)
              {multiples = array<i64: 1, 3>}
        }
    """

    name = "tir.tile"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        _same_element_type(self, self.input, self.output)
        shape = self.shape(self.input)
        self.expect_len("multiples", len(shape), positive=True)
        self.expect_shape(
            "output",
            self.output,
            [d * m for d, m in zip(shape, self.multiples, strict=True)],
        )


@operator_op(("input",), {"axes": Ints})
class ReverseOp(OperatorOp):
    """TFLite REVERSE_V2: the input with the element order of each axis in
    `axes` (distinct, 0 <= axis < rank) reversed; values copied unchanged.

    Example:
        tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<2x3xi8>) {
          tir.reverse ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2x3xi8>)
              {axes = array<i64: 1>}
        }
    """

    name = "tir.reverse"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        _same_element_type(self, self.input, self.output)
        rank = len(self.shape(self.input))
        axes = list(self.axes)
        if len(set(axes)) != len(axes) or any(not 0 <= a < rank for a in axes):
            raise VerifyException(f"axes {axes} are not distinct axes of rank {rank}")
        self.expect_shape("output", self.output, self.shape(self.input))


class _ResizeOp(OperatorOp):
    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        _same_element_type(self, self.input, self.output)
        self.expect_rank("input", self.input, 4)
        self.expect_rank("output", self.output, 4)
        (n, _, _, c), (n2, oh, ow, c2) = self.shape(self.input), self.shape(self.output)
        if (n, c) != (n2, c2) or oh < 1 or ow < 1:
            raise VerifyException(
                f"output {list(self.shape(self.output))} must keep the batch and "
                f"channels of {list(self.shape(self.input))}"
            )
        for name in ("align_corners", "half_pixel_centers"):
            if self.p(name) not in (0, 1):
                raise VerifyException(f"{name} must be 0 or 1")
        if self.align_corners and self.half_pixel_centers:
            raise VerifyException(
                "align_corners and half_pixel_centers exclude each other"
            )


_RESIZE = {"align_corners": Int, "half_pixel_centers": Int}


@operator_op(("input",), _RESIZE)
class ResizeNearestOp(_ResizeOp):
    """TFLite RESIZE_NEAREST_NEIGHBOR of an NHWC input to the output's height
    and width: output row y reads input row min(floor((y + o) * s), H - 1)
    (round instead of floor with align_corners), with o = 0.5 for
    half_pixel_centers (then at least 0) else 0, and s = H / OH, or
    (H - 1) / (OH - 1) with align_corners, in float32; columns alike.
    Values are copied unchanged.

    Example:
        tir.func @f(%x : !tir.buffer<1x2x2x3xi8>, %y : !tir.buffer<1x4x4x3xi8>) {
          tir.resize_nearest ins(%x : !tir.buffer<1x2x2x3xi8>)
              outs(%y : !tir.buffer<1x4x4x3xi8>)
              {align_corners = 0, half_pixel_centers = 1}
        }
    """

    name = "tir.resize_nearest"


@operator_op(("input",), _RESIZE)
class ResizeBilinearOp(_ResizeOp):
    """TFLite RESIZE_BILINEAR of an int8 NHWC input to the output's height
    and width, in TFLite's 10-bit fixed point (ResizeBilinearInteger): the
    scale s = (1024 H + OH / 2) / OH (align_corners: (1024 (H - 1) +
    (OH - 1) / 2) / (OH - 1)); output row y sits at v = y s (half pixel
    centers: y s + s / 2 - 512), between rows max(v / 1024, 0) and min((v +
    1023) / 1024, H - 1) (truncating divisions); columns alike; the four
    neighbours weighted by their 10-bit distances sum to a 20-bit value,
    rounded half away from zero to the output (no requantization: TFLite
    requires equal input and output quantization).

    Example:
        tir.func @f(%x : !tir.buffer<1x2x2x3xi8>, %y : !tir.buffer<1x4x4x3xi8>) {
          tir.resize_bilinear ins(%x : !tir.buffer<1x2x2x3xi8>)
              outs(%y : !tir.buffer<1x4x4x3xi8>)
              {align_corners = 0, half_pixel_centers = 0}
        }
    """

    name = "tir.resize_bilinear"

    def verify_(self) -> None:
        super().verify_()
        self.expect_dtype("input", self.input, "int8", "int16")
