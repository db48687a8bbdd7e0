// Every npu op and attribute in its custom form: printing is exact, print ->
// parse -> print is a fixed point, and the generic form (what upstream MLIR
// reads: properties are builtin attributes, #npu.* bodies balanced brackets)
// reads back to the same custom form.
// RUN: tirconst-opt %s | filecheck %s
// RUN: tirconst-opt %s > %t.once.mlir
// RUN: tirconst-opt %t.once.mlir > %t.twice.mlir
// RUN: diff %t.once.mlir %t.twice.mlir
// RUN: tirconst-opt %s --print-op-generic > %t.generic.mlir
// RUN: tirconst-opt %t.generic.mlir | diff - %t.once.mlir
// RUN: tirconst-opt %t.generic.mlir --print-op-generic | diff - %t.generic.mlir
// RUN: filecheck %s --check-prefix=GENERIC < %t.generic.mlir

// GENERIC: "npu.command_stream"() <{sym_name = "main", accelerator = "ethos-u55-128"}> ({
// GENERIC: "npu.region"() <{index = 0 : i64, kind = "constant", size = 64 : i64, streams = [#npu.weight_stream<0, 32, {{.*}}>], data = dense<[48, 0, 92, 113,
// GENERIC: "npu.conv2d"() <{ifm = #npu.feature_map<int8, [2, 2, 4], region = 3,

// CHECK: builtin.module {
// CHECK-NEXT: npu.command_stream @main "ethos-u55-128" {
npu.command_stream @main "ethos-u55-128" {
// CHECK-NEXT: npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>] = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
  npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>] = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
// CHECK-NEXT: npu.region 1 scratch size 1024
  npu.region 1 scratch size 1024
// CHECK-NEXT: npu.region 3 input size 16
  npu.region 3 input size 16
// CHECK-NEXT: npu.region 4 output size 16
  npu.region 4 output size 16
// CHECK-NEXT: npu.region 259 lut size 24576
  npu.region 259 lut size 24576
// CHECK-NEXT: npu.tensor "input0" input region 3 offset 0 : tensor<1x2x2x4xi8> scale 0.003921568859368563 zero_point -128
  npu.tensor "input0" input region 3 offset 0 : tensor<1x2x2x4xi8> scale 0.0039215688593685627 zero_point -128
// CHECK-NEXT: npu.tensor "output0" output region 4 offset 0 : tensor<1x2x2x2xi8>
  npu.tensor "output0" output region 4 offset 0 : tensor<1x2x2x2xi8>
// CHECK-NEXT: npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 3, scale = 0.003921568859368563, zero_point = -128>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 64, tiles = [1, 2, 1, 96, 128, 160], layout = nhcwb16, strides = [32, 16, 512], scale = 0.25, zero_point = 3>, kernel = #npu.kernel<[1, 1]>, padding = #npu.padding<[0, 0, 0, 0]>, activation = #npu.activation<clamp, min = 0.0, max = 6.0>, block_config = array<i64: 2, 2, 8>, rounding_mode = "natural", weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 32, 32>]}
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 3, scale = 0.0039215688593685627, zero_point = -128>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 64, tiles = [1, 2, 1, 96, 128, 160], layout = nhcwb16, strides = [32, 16, 512], scale = 0.25, zero_point = 3>, kernel = #npu.kernel<[1, 1]>, padding = #npu.padding<[0, 0, 0, 0]>, activation = #npu.activation<clamp, min = 0.0, max = 6.0>, block_config = array<i64: 2, 2, 8>, rounding_mode = "natural", weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 32, 32>], block_traversal = "depth_first"}
// CHECK-NEXT: npu.pooling {pool_type = "average", ifm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 64, tiles = [1, 2, 1, 96, 128, 160], layout = nhcwb16, strides = [32, 16, 512], scale = 0.25, zero_point = 3>, ofm = #npu.feature_map<int8, [1, 1, 2], region = 1, address = 256, scale = 0.5>, kernel = #npu.kernel<[2, 2], stride = [2, 2]>, activation = #npu.activation<table, slot = 2>, block_config = array<i64: 1, 1, 8>, rounding_mode = "truncate", rescale = array<i64: 1073741824, 31>}
  npu.pooling {pool_type = "average", ifm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 64, tiles = [1, 2, 1, 96, 128, 160], layout = nhcwb16, strides = [32, 16, 512], scale = 0.25, zero_point = 3>, ofm = #npu.feature_map<int8, [1, 1, 2], region = 1, address = 256, scale = 0.5>, kernel = #npu.kernel<[2, 2], stride = [2, 2]>, activation = #npu.activation<table, slot = 2>, block_config = array<i64: 1, 1, 8>, rounding_mode = "truncate", rescale = array<i64: 1073741824, 31>}
// CHECK-NEXT: npu.pooling {pool_type = "average", ifm = #npu.feature_map<int8, [2, 2, 8], region = 1, address = 768>, ofm = #npu.feature_map<int8, [4, 4, 8], region = 1, address = 800>, kernel = #npu.kernel<[1, 1]>, upscale = "nearest", block_config = array<i64: 2, 2, 8>}
  npu.pooling {pool_type = "average", ifm = #npu.feature_map<int8, [2, 2, 8], region = 1, address = 768>, ofm = #npu.feature_map<int8, [4, 4, 8], region = 1, address = 800>, kernel = #npu.kernel<[1, 1]>, upscale = "nearest", block_config = array<i64: 2, 2, 8>}
// CHECK-NEXT: npu.pooling {pool_type = "average", ifm = #npu.feature_map<int16, [2, 2, 16], region = 1, address = 512>, ofm = #npu.feature_map<int16, [2, 2, 16], region = 1, address = 640>, kernel = #npu.kernel<[1, 1]>, activation = #npu.activation<sigmoid, min = 0.0>, block_config = array<i64: 2, 2, 16>, ofm_scale = array<i64: 3, 0>}
  npu.pooling {pool_type = "average", ifm = #npu.feature_map<int16, [2, 2, 16], region = 1, address = 512>, ofm = #npu.feature_map<int16, [2, 2, 16], region = 1, address = 640>, kernel = #npu.kernel<[1, 1]>, activation = #npu.activation<sigmoid, min = 0.0>, block_config = array<i64: 2, 2, 16>, ofm_scale = array<i64: 3, 0>}
// CHECK-NEXT: npu.pooling {pool_type = "average", ifm = #npu.feature_map<int16, [2, 2, 16], region = 1, address = 512>, ofm = #npu.feature_map<int16, [2, 2, 16], region = 1, address = 640>, kernel = #npu.kernel<[1, 1]>, activation = #npu.activation<tanh>, block_config = array<i64: 2, 2, 16>, ofm_scale = array<i64: 18119, 14>}
  npu.pooling {pool_type = "average", ifm = #npu.feature_map<int16, [2, 2, 16], region = 1, address = 512>, ofm = #npu.feature_map<int16, [2, 2, 16], region = 1, address = 640>, kernel = #npu.kernel<[1, 1]>, activation = #npu.activation<tanh>, block_config = array<i64: 2, 2, 16>, ofm_scale = array<i64: 18119, 14>}
// CHECK-NEXT: npu.elementwise {op_type = "mul", ifm = #npu.feature_map<int8, [1, 1, 2], region = 1, address = 256, scale = 0.5>, ifm2 = #npu.feature_map<int8, [1, 1, 1], region = 1, address = 272, scale = 0.125, zero_point = 1>, ifm2_scalar = 3.500000e+00 : f64, reversed_operands, ofm = #npu.feature_map<int16, [1, 1, 2], region = 1, address = 288, scale = 1.0e-05>, block_config = array<i64: 1, 1, 8>}
  npu.elementwise {op_type = "mul", ifm = #npu.feature_map<int8, [1, 1, 2], region = 1, address = 256, scale = 0.5>, ifm2 = #npu.feature_map<int8, [1, 1, 1], region = 1, address = 272, scale = 0.125, zero_point = 1>, ifm2_scalar = 3.5 : f64, reversed_operands, ofm = #npu.feature_map<int16, [1, 1, 2], region = 1, address = 288, scale = 1.0e-05>, block_config = array<i64: 1, 1, 8>}
// CHECK-NEXT: npu.dma {src = #npu.range<1, 0, 256>, dest = #npu.range<259, 22528, 256>}
  npu.dma {src = #npu.range<1, 0, 256>, dest = #npu.range<259, 22528, 256>}
// CHECK-NEXT: }
}
// CHECK-NEXT: npu.command_stream @dw "ethos-u55-64" {
npu.command_stream @dw "ethos-u55-64" {
// CHECK-NEXT: npu.region 0 constant size 80 streams [#npu.weight_stream<0, 48, #npu.weight_encoding<"ethos-u55-64", [2, 3, 3, 1], block_depth = 8, depthwise = true>>] = dense<"0x81006c11376584cf35b65442c71432c4ff70ce000070cec15d4ec10de45c39051c00600080050007f0ffffffffffffff00000000009a79825a250a000000009a79825a25000000000000000000000000"> : tensor<80xui8>
  npu.region 0 constant size 80 streams [#npu.weight_stream<0, 48, #npu.weight_encoding<"ethos-u55-64", [2, 3, 3, 1], block_depth = 8, depthwise = true>>] = dense<"0x81006c11376584cf35b65442c71432c4ff70ce000070cec15d4ec10de45c39051c00600080050007f0ffffffffffffff00000000009a79825a250a000000009a79825a25000000000000000000000000"> : tensor<80xui8>
// CHECK-NEXT: npu.region 1 scratch size 64
  npu.region 1 scratch size 64
// CHECK-NEXT: npu.depthwise_conv2d {ifm = #npu.feature_map<int8, [3, 3, 2], region = 1>, ofm = #npu.feature_map<int8, [3, 3, 2], region = 1, address = 32>, kernel = #npu.kernel<[3, 3]>, padding = #npu.padding<[1, 1, 1, 1]>, block_config = array<i64: 1, 1, 8>, weights = [#npu.range<0, 0, 48>], biases = [#npu.range<0, 48, 32>]}
  npu.depthwise_conv2d {ifm = #npu.feature_map<int8, [3, 3, 2], region = 1>, ofm = #npu.feature_map<int8, [3, 3, 2], region = 1, address = 32>, kernel = #npu.kernel<[3, 3]>, padding = #npu.padding<[1, 1, 1, 1]>, block_config = array<i64: 1, 1, 8>, weights = [#npu.range<0, 0, 48>], biases = [#npu.range<0, 48, 32>]}
// CHECK-NEXT: }
}
// The encoding description also rides on a tir constant (what the
// weight-encoding pass produces):
// CHECK-NEXT: tir.constant @w_enc = dense<[48, 0, 92, 113, 6, 31, 83, 201, 20, 1, 15, 119, 57, 101, 0, 128]> : tensor<16xui8> {npu.encoding = #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8, traversal = part_kernel_first, dilation = [2, 1]>}
tir.constant @w_enc = dense<"0x30005c71061f53c914010f7739650080"> : tensor<16xui8> {npu.encoding = #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8, traversal = part_kernel_first, dilation = [2, 1]>}
// CHECK-NEXT: }
