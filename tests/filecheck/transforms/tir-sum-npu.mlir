// tir.sum on the NPU: tir-legalize-npu makes an int8 SUM over adjacent
// axes the depthwise sum a MEAN becomes (an all-ones filter over reshaped
// views), requantized by QuantizeMultiplier(scale): with equal input and
// output quantization (scale 1) that is LiteRT's sum exactly. A sum over
// axes that are not adjacent, and one whose float32 rescale the NPU's
// integer requantization does not follow on every reachable sum, stay on
// the CPU with a remark naming why. The lowered program equals the tir one
// bit for bit.
//
// RUN: tirconst-opt %s -p tir-legalize-npu | filecheck %s --check-prefix=LEGAL
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-encode-weights,tir-plan-memory -o %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %t.planned.mlir %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// LEGAL:      tir.constant @sum_ones = dense<"0x0101{{.*}}"> : tensor<1x4x6x8xi8>
// LEGAL:      %[[ONES:.*]] = tir.allocate_const @sum_ones : !tir.buffer<1x4x6x8xi8>
// LEGAL:      tir.depthwise_conv2d ins(%x, %[[ONES]] : !tir.buffer<1x4x6x8xi8>, !tir.buffer<1x4x6x8xi8>) outs(%{{.*}} : !tir.buffer<1x1x1x8xi8>) {{.*}}input_zp = 3 : i64, output_zp = 3 : i64, multiplier = array<i32: 1073741824, {{.*}}shift = array<i32: 1,
// LEGAL-NOT:  tir.sum ins(%x
// LEGAL:      tir.sum ins(%w
// LEGAL:      tir.sum ins(%v

// SAME: equivalent: @main
// REMARK-DAG: remark: 'tir.sum' op in @main stays on the CPU: sum: reduced axes [0, 2] of shape [3, 4, 5] are not contiguous
// REMARK-DAG: remark: 'tir.sum' op in @main stays on the CPU: sum: LiteRT's float32 rescale of the sum -228 of 2 values gives 2, the NPU's integer one

// CHECK:      npu.invoke @main_npu0
// CHECK:      tir.sum {{.*}}npu_cpu = "sum: reduced axes [0, 2]
// CHECK:      tir.sum {{.*}}npu_cpu = "sum: LiteRT's float32 rescale
// CHECK:      npu.command_stream @main_npu0
// CHECK:        npu.region 1 scratch
// CHECK-NEXT:   npu.depthwise_conv2d
// CHECK-SAME:   ifm = #npu.feature_map<int8, [4, 6, 8]
// CHECK-SAME:   ofm = #npu.feature_map<int8, [1, 1, 8]
// CHECK-SAME:   kernel = #npu.kernel<[4, 6]>
// CHECK-NEXT: }

tir.func @main(%x : !tir.buffer<1x4x6x8xi8>, %y : !tir.buffer<1x8xi8>,
               %w : !tir.buffer<3x4x5xi8>, %z : !tir.buffer<4xi8>,
               %v : !tir.buffer<2xi8>, %u : !tir.buffer<1xi8>) {
  tir.sum ins(%x : !tir.buffer<1x4x6x8xi8>) outs(%y : !tir.buffer<1x8xi8>) {axes = array<i64: 1, 2>, input_zp = 3, output_zp = 3, scale = 1.0 : f32, input_scale = 0.05 : f32, output_scale = 0.05 : f32}
  tir.sum ins(%w : !tir.buffer<3x4x5xi8>) outs(%z : !tir.buffer<4xi8>) {axes = array<i64: 0, 2>, input_zp = 3, output_zp = 3, scale = 1.0 : f32}
  tir.sum ins(%v : !tir.buffer<2xi8>) outs(%u : !tir.buffer<1xi8>) {axes = array<i64: -1>, input_zp = -110, output_zp = 2, scale = 0.0606021024286747 : f32}
}
