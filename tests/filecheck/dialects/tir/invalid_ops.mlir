// The verifier rules of the data-movement and activation operator ops, one
// case each: a one-line diagnostic naming the line, the op and its function.
// RUN: tirconst-opt --split-input-file --verify-diagnostics %s | filecheck %s
// RUN: tirconst-opt --split-input-file --verify-diagnostics %s 2>&1 \
// RUN:   | filecheck %s --check-prefix=CLEAN

// CLEAN-NOT: Traceback
// CLEAN-NOT: internal error

// concatenation: axis out of range
tir.func @f(%a : !tir.buffer<1x2x4xi8>, %b : !tir.buffer<1x2x3xi8>, %c : !tir.buffer<1x2x7xi8>) {
// CHECK: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.concatenation' op in @f: axis 3 is out of range for rank 3
  tir.concatenation ins(%a, %b : !tir.buffer<1x2x4xi8>, !tir.buffer<1x2x3xi8>) outs(%c : !tir.buffer<1x2x7xi8>) {axis = 3}
}

// -----

// concatenation: extents off the axis differ
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%a : !tir.buffer<1x2x4xi8>, %b : !tir.buffer<1x3x3xi8>, %c : !tir.buffer<1x2x7xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.concatenation' op in @f: input shapes [[1, 2, 4], [1, 3, 3]] differ off axis 2
  tir.concatenation ins(%a, %b : !tir.buffer<1x2x4xi8>, !tir.buffer<1x3x3xi8>) outs(%c : !tir.buffer<1x2x7xi8>) {axis = 2}
}

// -----

// concatenation: element types differ
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%a : !tir.buffer<1x2x4xi8>, %b : !tir.buffer<1x2x3xi16>, %c : !tir.buffer<1x2x7xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.concatenation' op in @f: inputs and output must have one element type
  tir.concatenation ins(%a, %b : !tir.buffer<1x2x4xi8>, !tir.buffer<1x2x3xi16>) outs(%c : !tir.buffer<1x2x7xi8>) {axis = 2}
}

// -----

// concatenation: wrong output shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%a : !tir.buffer<1x2x4xi8>, %b : !tir.buffer<1x2x3xi8>, %c : !tir.buffer<1x2x8xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.concatenation' op in @f: output must have shape [1, 2, 7], got [1, 2, 8]
  tir.concatenation ins(%a, %b : !tir.buffer<1x2x4xi8>, !tir.buffer<1x2x3xi8>) outs(%c : !tir.buffer<1x2x8xi8>) {axis = 2}
}

// -----

// concatenation: no inputs
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%c : !tir.buffer<1x2x7xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:26: error: operand expected
  tir.concatenation ins( : ) outs(%c : !tir.buffer<1x2x7xi8>) {axis = 2}
}

// -----

// strided_slice: the slice leaves the input
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%c : !tir.buffer<1x2x7xi8>, %s : !tir.buffer<1x1x3xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.strided_slice' op in @f: axis 2: 3 elements from 2 by 3 leave [0, 7)
  tir.strided_slice ins(%c : !tir.buffer<1x2x7xi8>) outs(%s : !tir.buffer<1x1x3xi8>) {begin = array<i64: 0, 1, 2>, strides = array<i64: 1, 1, 3>, size = array<i64: 1, 1, 3>}
}

// -----

// strided_slice: output is not the slice shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%c : !tir.buffer<1x2x7xi8>, %s : !tir.buffer<2x1xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.strided_slice' op in @f: output shape [2, 1] is not the slice shape [1, 1, 3] (up to axes of extent 1)
  tir.strided_slice ins(%c : !tir.buffer<1x2x7xi8>) outs(%s : !tir.buffer<2x1xi8>) {begin = array<i64: 0, 1, 0>, strides = array<i64: 1, 1, 1>, size = array<i64: 1, 1, 3>}
}

// -----

// strided_slice: one value per axis
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%c : !tir.buffer<1x2x7xi8>, %s : !tir.buffer<1x1x3xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.strided_slice' op in @f: begin must have 3 values, got 2
  tir.strided_slice ins(%c : !tir.buffer<1x2x7xi8>) outs(%s : !tir.buffer<1x1x3xi8>) {begin = array<i64: 0, 1>, strides = array<i64: 1, 1>, size = array<i64: 1, 3>}
}

// -----

// transpose: perm is not a permutation
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%c : !tir.buffer<1x2x7xi8>, %t : !tir.buffer<7x2x1xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.transpose' op in @f: perm [2, 2, 0] is not a permutation of 3 axes
  tir.transpose ins(%c : !tir.buffer<1x2x7xi8>) outs(%t : !tir.buffer<7x2x1xi8>) {perm = array<i64: 2, 2, 0>}
}

// -----

// transpose: wrong output shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%c : !tir.buffer<1x2x7xi8>, %t : !tir.buffer<7x1x2xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.transpose' op in @f: output must have shape [7, 2, 1], got [7, 1, 2]
  tir.transpose ins(%c : !tir.buffer<1x2x7xi8>) outs(%t : !tir.buffer<7x1x2xi8>) {perm = array<i64: 2, 1, 0>}
}

// -----

// relu: empty clamp
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%a : !tir.buffer<8xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.relu' op in @f: activation clamp [5, 4] must be a non-empty range in int8
  tir.relu ins(%a : !tir.buffer<8xi8>) outs(%a : !tir.buffer<8xi8>) {input_zp = 3, output_zp = 0, multiplier = 1073741824, shift = 1, act_min = 5, act_max = 4}
}

// -----

// relu: integers disagree with the scales
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%a : !tir.buffer<8xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.relu' op in @f: shift = 0 disagrees with the scales, which give 1
  tir.relu ins(%a : !tir.buffer<8xi8>) outs(%a : !tir.buffer<8xi8>) {input_zp = 3, output_zp = 0, multiplier = 1073741824, shift = 0, act_min = 0, act_max = 127, input_scale = 0.1 : f32, output_scale = 0.1 : f32}
}

// -----

// leaky_relu: alpha multiplier disagrees with the scales
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%a : !tir.buffer<8xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.leaky_relu' op in @f: alpha_multiplier = 1 disagrees with the scales, which give 1717987072
  tir.leaky_relu ins(%a : !tir.buffer<8xi8>) outs(%a : !tir.buffer<8xi8>) {input_zp = 0, output_zp = 0, alpha_multiplier = 1, alpha_shift = -2, identity_multiplier = 1073741824, identity_shift = 1, input_scale = 0.1 : f32, output_scale = 0.1 : f32, alpha = 0.2 : f32}
}

// -----

// tanh: the table has 256 entries
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%a : !tir.buffer<8xi8>, %tab : !tir.buffer<128xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.tanh' op in @f: table must have shape [256], got [128]
  tir.tanh ins(%a, %tab : !tir.buffer<8xi8>, !tir.buffer<128xi8>) outs(%a : !tir.buffer<8xi8>)
}

// -----

// maximum: element types differ
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi16>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.maximum' op in @f: operands must have one element type
  tir.maximum ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi16>) outs(%a : !tir.buffer<2x3xi8>)
}

// -----

// minimum: shapes do not broadcast
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<2xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.minimum' op in @f: shapes [2, 3] and [2] do not broadcast
  tir.minimum ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<2xi8>) outs(%a : !tir.buffer<2x3xi8>)
}

// -----

// hard_swish: the output shift is a right shift
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%a : !tir.buffer<8xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.hard_swish' op in @f: output_shift 1 must be <= 0
  tir.hard_swish ins(%a : !tir.buffer<8xi8>) outs(%a : !tir.buffer<8xi8>) {input_zp = 0, output_zp = 0, output_multiplier = 16384, output_shift = 1, reluish_multiplier = 21845, reluish_shift = -5}
}

// -----

// mirror_pad: REFLECT padding must be below the extent
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<6x3xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.mirror_pad' op in @f: axis 0: padding 2 does not mirror an extent of 2
  tir.mirror_pad ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<6x3xi8>) {padding = array<i64: 2, 2, 0, 0>, mode = 0}
}

// -----

// tile: multiples are >= 1
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<2x3xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.tile' op in @f: multiples values must be >= 1, got [1, 0]
  tir.tile ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2x3xi8>) {multiples = array<i64: 1, 0>}
}

// -----

// reverse: distinct axes
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<2x3xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.reverse' op in @f: axes [1, 1] are not distinct axes of rank 2
  tir.reverse ins(%x : !tir.buffer<2x3xi8>) outs(%x : !tir.buffer<2x3xi8>) {axes = array<i64: 1, 1>}
}

// -----

// reduce_max: the output keeps or drops the reduced axes
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<3xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.reduce_max' op in @f: output must have shape [2, 1] or [2], got [3]
  tir.reduce_max ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<3xi8>) {axes = array<i64: 1>}
}

// -----

// sum: the output keeps or drops the reduced axes
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<3xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.sum' op in @f: output must have shape [2, 1] or [2], got [3]
  tir.sum ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<3xi8>) {axes = array<i64: 1>, input_zp = 0, output_zp = 0, scale = 1.0 : f32}
}

// -----

// sum: int8 data only (LiteRT's int16 SUM is not imported)
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<2x3xi16>, %y : !tir.buffer<2xi16>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.sum' op in @f: input must be int8
  tir.sum ins(%x : !tir.buffer<2x3xi16>) outs(%y : !tir.buffer<2xi16>) {axes = array<i64: 1>, input_zp = 0, output_zp = 0, scale = 1.0 : f32}
}

// -----

// sum: a finite scale above zero
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<2xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.sum' op in @f: scale 0.0 must be finite and > 0
  tir.sum ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2xi8>) {axes = array<i64: 1>, input_zp = 0, output_zp = 0, scale = 0.0 : f32}
}

// -----

// arg_max: indices are int32 or int64
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<2xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.arg_max' op in @f: output must be int32 or int64, got int8
  tir.arg_max ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2xi8>) {axis = 1}
}

// -----

// arg_max: the NPU indices come with a workspace
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<2x3xi8>, %i : !tir.buffer<3xi16>, %y : !tir.buffer<2xi32>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.arg_max' op in @f: indices and workspace are given together
  tir.arg_max ins(%x, %i : !tir.buffer<2x3xi8>, !tir.buffer<3xi16>) outs(%y : !tir.buffer<2xi32>) {axis = 1}
}

// -----

// resize: batch and channels are kept
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<1x2x2x3xi8>, %y : !tir.buffer<1x4x4x2xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.resize_nearest' op in @f: output [1, 4, 4, 2] must keep the batch and channels of [1, 2, 2, 3]
  tir.resize_nearest ins(%x : !tir.buffer<1x2x2x3xi8>) outs(%y : !tir.buffer<1x4x4x2xi8>) {align_corners = 0, half_pixel_centers = 0}
}

// -----

// resize: align_corners excludes half_pixel_centers
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<1x2x2x3xi8>, %y : !tir.buffer<1x4x4x3xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.resize_bilinear' op in @f: align_corners and half_pixel_centers exclude each other
  tir.resize_bilinear ins(%x : !tir.buffer<1x2x2x3xi8>) outs(%y : !tir.buffer<1x4x4x3xi8>) {align_corners = 1, half_pixel_centers = 1}
}

// -----

// prelu: alpha broadcasts to the input
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<2x3xi8>, %a : !tir.buffer<2xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.prelu' op in @f: alpha [2] must broadcast to the input [2, 3]
  tir.prelu ins(%x, %a : !tir.buffer<2x3xi8>, !tir.buffer<2xi8>) outs(%x : !tir.buffer<2x3xi8>) {input_zp = 0, alpha_zp = 0, output_zp = 0, identity_multiplier = 1073741824, identity_shift = 1, alpha_multiplier = 1073741824, alpha_shift = -6}
}

// -----

// transpose_conv2d: the output has the filter's channels
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<1x2x2x1xi8>, %w : !tir.buffer<2x3x3x1xi8>, %y : !tir.buffer<1x4x4x3xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.transpose_conv2d' op in @f: output [1, 4, 4, 3] must have batch 1 and 2 channels
  tir.transpose_conv2d ins(%x, %w : !tir.buffer<1x2x2x1xi8>, !tir.buffer<2x3x3x1xi8>) outs(%y : !tir.buffer<1x4x4x3xi8>) {stride = array<i64: 2, 2>, pad = array<i64: 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: -3, -3>, act_min = -128, act_max = 127}
}

// -----

// batch_matmul: the depths agree
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%a : !tir.buffer<3x4xi8>, %b : !tir.buffer<5x4xi8>, %y : !tir.buffer<3x4xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.batch_matmul' op in @f: lhs has depth 4, rhs 5
  tir.batch_matmul ins(%a, %b : !tir.buffer<3x4xi8>, !tir.buffer<5x4xi8>) outs(%y : !tir.buffer<3x4xi8>) {adj_x = 0, adj_y = 0, lhs_zp = 0, rhs_zp = 0, output_zp = 0, multiplier = 1073741824, shift = -5}
}

// -----

// pack: the inputs have one shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3x2xi8>, %y : !tir.buffer<2x2x3xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.pack' op in @f: input shapes [[2, 3], [3, 2]] differ
  tir.pack ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3x2xi8>) outs(%y : !tir.buffer<2x2x3xi8>) {axis = 0}
}

// -----

// pack: the new axis is at most the inputs' rank
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%a : !tir.buffer<2x3xi8>, %y : !tir.buffer<2x3x1xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.pack' op in @f: axis 3 is out of range for rank-2 inputs
  tir.pack ins(%a : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2x3x1xi8>) {axis = 3}
}

// -----

// pack: the output has the new axis of extent len(inputs)
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<2x3xi8>, %y : !tir.buffer<2x3x1xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.pack' op in @f: output must have shape [2, 3, 2], got [2, 3, 1]
  tir.pack ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2x3x1xi8>) {axis = 2}
}

// -----

// tflite_operator: a TFLite operator name is capitals, digits and underscores
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<1x4x4x8xi8>, %y : !tir.buffer<1x8x8x2xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.tflite_operator' op in @f: opcode must be a TFLite operator name ("DEPTH_TO_SPACE"), got "depth_to_space"
  tir.tflite_operator ins(%x : !tir.buffer<1x4x4x8xi8>) outs(%y : !tir.buffer<1x8x8x2xi8>) {opcode = "depth_to_space", version = 1}
}

// -----

// tflite_operator: versions start at 1
// CHECK-NEXT: {{^}}// {{-{5}$}}
tir.func @f(%x : !tir.buffer<1x4x4x8xi8>, %y : !tir.buffer<1x8x8x2xi8>) {
// CHECK-NEXT: {{.*}}invalid_ops.mlir:[[# @LINE + 1]]:3: error: 'tir.tflite_operator' op in @f: version must be >= 1, got 0
  tir.tflite_operator ins(%x : !tir.buffer<1x4x4x8xi8>) outs(%y : !tir.buffer<1x8x8x2xi8>) {opcode = "DEPTH_TO_SPACE", version = 0}
}
