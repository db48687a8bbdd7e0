// An int16 tir.mean on the NPU: tir-legalize-npu leaves it as it is (int8
// means become depthwise sums there); convert-tir-to-npu lowers it to one
// average pool over the reshaped views (a spatial mean's H×W window, a
// channel mean's 1×C window over the row as width), with the readapted
// multiplier as the explicit OFM scale (m', 31 − s') and TFL rounding:
// LiteRT's int16 MEAN exactly. The lowered program equals the tir one bit
// for bit. Reduced axes that are not contiguous stay on the CPU with a remark.
//
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-plan-memory -o %t.planned.mlir
// RUN: filecheck %s --check-prefix=LEGAL < %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %t.planned.mlir %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// LEGAL:     tir.mean ins(%x : !tir.buffer<1x4x6x3xi16>)
// LEGAL:     tir.mean ins(%c : !tir.buffer<1x1x5x8xi16>)
// LEGAL:     tir.mean ins(%g : !tir.buffer<2x3x4x5xi16>)

// SAME: equivalent: @main
// REMARK: remark: 'tir.mean' op in @main stays on the CPU: mean: reduced axes [0, 2] of shape [2, 3, 4, 5] are not contiguous

// CHECK:      npu.invoke @main_npu0 ins(%x, %c : !tir.buffer<1x4x6x3xi16>, !tir.buffer<1x1x5x8xi16>) outs(%y, %z : !tir.buffer<1x1x1x3xi16>, !tir.buffer<1x1x5xi16>)
// CHECK:      tir.mean {{.*}}npu_cpu = "mean: reduced axes [0, 2]
// CHECK:      npu.command_stream @main_npu0
// CHECK:        npu.pooling {pool_type = "average", ifm = #npu.feature_map<int16, [4, 6, 3]{{.*}}ofm = #npu.feature_map<int16, [1, 1, 3]{{.*}}kernel = #npu.kernel<[4, 6]>{{.*}}rescale = array<i64: 1022611346, 35>
// CHECK-NOT:    rounding_mode
// CHECK-NEXT:   npu.pooling {pool_type = "average", ifm = #npu.feature_map<int16, [5, 8, 1]{{.*}}ofm = #npu.feature_map<int16, [5, 1, 1]{{.*}}kernel = #npu.kernel<[1, 8]>{{.*}}rescale = array<i64: 1533917019, 34>
// CHECK-NEXT: }

tir.func @main(%x : !tir.buffer<1x4x6x3xi16>, %y : !tir.buffer<1x1x1x3xi16>,
               %c : !tir.buffer<1x1x5x8xi16>, %z : !tir.buffer<1x1x5xi16>,
               %g : !tir.buffer<2x3x4x5xi16>, %h : !tir.buffer<3x5xi16>) {
  tir.mean ins(%x : !tir.buffer<1x4x6x3xi16>) outs(%y : !tir.buffer<1x1x1x3xi16>)
      {axes = array<i64: 1, 2>, input_zp = 0, output_zp = 0, multiplier = 1533917019,
       shift = 0, input_scale = 0.0005 : f32, output_scale = 0.0007 : f32}
  tir.mean ins(%c : !tir.buffer<1x1x5x8xi16>) outs(%z : !tir.buffer<1x1x5xi16>)
      {axes = array<i64: 3>, input_zp = 0, output_zp = 0, multiplier = 1533917019,
       shift = 0, input_scale = 0.0005 : f32, output_scale = 0.0007 : f32}
  tir.mean ins(%g : !tir.buffer<2x3x4x5xi16>) outs(%h : !tir.buffer<3x5xi16>)
      {axes = array<i64: 0, 2>, input_zp = 0, output_zp = 0, multiplier = 1073741824,
       shift = 1, input_scale = 0.0005 : f32, output_scale = 0.0005 : f32}
}
