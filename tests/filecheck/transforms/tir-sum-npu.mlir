// tir.sum on the NPU: tir-legalize-npu makes an int8 SUM over adjacent
// axes the depthwise sum a MEAN becomes (a filter over reshaped views):
// with equal input and output quantization (scale 1) all ones, requantized
// by QuantizeMultiplier(1), LiteRT's sum exactly; with a rescale whose
// float32 rounding QuantizeMultiplier(scale) does not follow, filter taps
// w and a bias that place the rounding steps where LiteRT's are (both
// checked on every reachable sum). A sum over axes that are not adjacent,
// and one whose float32 rescale no depthwise sum follows, stay on the CPU
// with a remark naming why. The lowered program equals the tir one bit for
// bit.
//
// RUN: tirconst-opt %s -p tir-legalize-npu | filecheck %s --check-prefix=LEGAL
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-encode-weights,tir-plan-memory -o %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %t.planned.mlir %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// LEGAL-DAG:  tir.constant @sum_bias = dense<[1]> : tensor<1xi32>
// LEGAL-DAG:  tir.constant @sum_ones = dense<"0x0101{{.*}}"> : tensor<1x4x6x8xi8>
// LEGAL-DAG:  tir.constant @sum_taps = dense<[15, 15]> : tensor<1x2x1x1xi8>
// LEGAL:      %[[ONES:.*]] = tir.allocate_const @sum_ones : !tir.buffer<1x4x6x8xi8>
// LEGAL:      tir.depthwise_conv2d ins(%x, %[[ONES]] : !tir.buffer<1x4x6x8xi8>, !tir.buffer<1x4x6x8xi8>) outs(%{{.*}} : !tir.buffer<1x1x1x8xi8>) {{.*}}input_zp = 3 : i64, output_zp = 3 : i64, multiplier = array<i32: 1073741824, {{.*}}shift = array<i32: 1,
// LEGAL-NOT:  tir.sum ins(%x
// LEGAL:      tir.sum ins(%w
// LEGAL:      %[[TAPS:.*]] = tir.allocate_const @sum_taps : !tir.buffer<1x2x1x1xi8>
// LEGAL-NEXT: %[[BIAS:.*]] = tir.allocate_const @sum_bias : !tir.buffer<1xi32>
// LEGAL:      tir.depthwise_conv2d ins(%{{.*}}, %[[TAPS]], %[[BIAS]] : !tir.buffer<1x2x1x1xi8>, !tir.buffer<1x2x1x1xi8>, !tir.buffer<1xi32>) outs(%{{.*}} : !tir.buffer<1x1x1x1xi8>) {{.*}}input_zp = -128 : i64, output_zp = -116 : i64, multiplier = array<i32: 2004318071>, shift = array<i32: -5>
// LEGAL:      tir.sum ins(%t

// SAME: equivalent: @main
// REMARK-DAG: remark: 'tir.sum' op in @main stays on the CPU: sum: reduced axes [0, 2] of shape [3, 4, 5] are not contiguous
// REMARK-DAG: remark: 'tir.sum' op in @main stays on the CPU: sum: no NPU depthwise sum follows LiteRT's float32 rescale (the sum -382 of 3 values: LiteRT -50, QuantizeMultiplier(scale) -51)

// CHECK:      npu.invoke @main_npu0
// CHECK:      tir.sum {{.*}}npu_cpu = "sum: reduced axes [0, 2]
// CHECK:      npu.invoke @main_npu1
// CHECK:      tir.sum {{.*}}npu_cpu = "sum: no NPU depthwise sum follows
// CHECK:      npu.command_stream @main_npu0
// CHECK:        npu.region 1 scratch
// CHECK-NEXT:   npu.depthwise_conv2d
// CHECK-SAME:   ifm = #npu.feature_map<int8, [4, 6, 8]
// CHECK-SAME:   ofm = #npu.feature_map<int8, [1, 1, 8]
// CHECK-SAME:   kernel = #npu.kernel<[4, 6]>
// CHECK-NEXT: }
// CHECK:      npu.command_stream @main_npu1
// CHECK:        npu.region 1 scratch
// CHECK-NEXT:   npu.depthwise_conv2d
// CHECK-SAME:   ifm = #npu.feature_map<int8, [2, 1, 1]
// CHECK-SAME:   kernel = #npu.kernel<[2, 1]>
// CHECK-NEXT: }

tir.func @main(%x : !tir.buffer<1x4x6x8xi8>, %y : !tir.buffer<1x8xi8>,
               %w : !tir.buffer<3x4x5xi8>, %z : !tir.buffer<4xi8>,
               %v : !tir.buffer<2xi8>, %u : !tir.buffer<1xi8>,
               %t : !tir.buffer<3xi8>, %s : !tir.buffer<1xi8>) {
  tir.sum ins(%x : !tir.buffer<1x4x6x8xi8>) outs(%y : !tir.buffer<1x8xi8>) {axes = array<i64: 1, 2>, input_zp = 3, output_zp = 3, scale = 1.0 : f32, input_scale = 0.05 : f32, output_scale = 0.05 : f32}
  tir.sum ins(%w : !tir.buffer<3x4x5xi8>) outs(%z : !tir.buffer<4xi8>) {axes = array<i64: 0, 2>, input_zp = 3, output_zp = 3, scale = 1.0 : f32}
  tir.sum ins(%v : !tir.buffer<2xi8>) outs(%u : !tir.buffer<1xi8>) {axes = array<i64: -1>, input_zp = -128, output_zp = -116, scale = 0.4376222789287567 : f32}
  tir.sum ins(%t : !tir.buffer<3xi8>) outs(%s : !tir.buffer<1xi8>) {axes = array<i64: 0>, input_zp = -88, output_zp = -13, scale = 0.316606730222702 : f32}
}
