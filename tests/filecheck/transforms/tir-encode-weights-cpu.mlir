// tir-encode-weights encodes the weights of the ops the NPU runs; an op it
// cannot run as it is (stride 4, dilation 3, a depth multiplier with several
// input channels: tir-legalize-npu rewrites these first in a compile; a
// grouped convolution) keeps its raw weights, to stay on the CPU
// (convert-tir-to-npu says why), and computes the same.
// RUN: tirconst-opt %s -p tir-encode-weights | filecheck %s
// RUN: tirconst-opt %s -p tir-encode-weights -o %t
// RUN: tirconst-run --check-equivalent %s %t --function stride4
// RUN: tirconst-run --check-equivalent %s %t --function multiplier2
// RUN: tirconst-run --check-equivalent %s %t --function grouped

// CHECK-NOT: encoded_weights
// CHECK-LABEL: @stride4
// CHECK: tir.allocate_const @w
// CHECK-LABEL: @dilation3
// CHECK: tir.allocate_const dense<[1, 2, 3, 4]>
// CHECK-LABEL: @multiplier2
// CHECK: tir.allocate_const dense<[1, 2, 3, 4]>
// CHECK-LABEL: @grouped
// CHECK: tir.allocate_const dense<[1, -2, 3, -4]>
builtin.module {
  tir.constant @w = dense<[1, 2, 3, 4]> : tensor<4x1x1x1xi8>
  tir.func @stride4(%x : !tir.buffer<1x8x8x1xi8>, %y : !tir.buffer<1x2x2x4xi8>) {
    %w = tir.allocate_const @w : !tir.buffer<4x1x1x1xi8>
    tir.conv2d ins(%x, %w : !tir.buffer<1x8x8x1xi8>, !tir.buffer<4x1x1x1xi8>) outs(%y : !tir.buffer<1x2x2x4xi8>) {stride = array<i64: 4, 4>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
  }
  tir.func @dilation3(%x : !tir.buffer<1x8x8x1xi8>, %y : !tir.buffer<1x5x5x1xi8>) {
    %w = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<1x2x2x1xi8>
    tir.conv2d ins(%x, %w : !tir.buffer<1x8x8x1xi8>, !tir.buffer<1x2x2x1xi8>) outs(%y : !tir.buffer<1x5x5x1xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 3, 3>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: 0>, act_min = -128 : i64, act_max = 127 : i64}
  }
  tir.func @multiplier2(%x : !tir.buffer<1x3x3x2xi8>, %y : !tir.buffer<1x3x3x4xi8>) {
    %w = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<1x1x1x4xi8>
    tir.depthwise_conv2d ins(%x, %w : !tir.buffer<1x3x3x2xi8>, !tir.buffer<1x1x1x4xi8>) outs(%y : !tir.buffer<1x3x3x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64, depth_multiplier = 2 : i64}
  }
  tir.func @grouped(%x : !tir.buffer<1x3x3x4xi8>, %y : !tir.buffer<1x3x3x2xi8>) {
    %w = tir.allocate_const dense<[1, -2, 3, -4]> : !tir.buffer<2x1x1x2xi8>
    tir.conv2d ins(%x, %w : !tir.buffer<1x3x3x4xi8>, !tir.buffer<2x1x1x2xi8>) outs(%y : !tir.buffer<1x3x3x2xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
  }
}
