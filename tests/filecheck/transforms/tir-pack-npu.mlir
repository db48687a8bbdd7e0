// tir.pack on the NPU: tir-legalize-npu makes an int8/int16 PACK the
// concatenation it is (each input seen with the new axis of extent 1),
// which tir-data-views then turns into addressing or NPU copies. The
// lowered program equals the tir one bit for bit. A 32-bit pack stays a
// pack, on the CPU with a remark.
//
// RUN: tirconst-opt %s -p tir-legalize-npu | filecheck %s --check-prefix=LEGAL
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-data-views,tir-plan-memory -o %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %t.planned.mlir %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// LEGAL:      %[[A:.*]] = tir.reshape %a : !tir.buffer<3x4xi8> -> !tir.buffer<1x3x4xi8>
// LEGAL-NEXT: %[[B:.*]] = tir.reshape %b : !tir.buffer<3x4xi8> -> !tir.buffer<1x3x4xi8>
// LEGAL-NEXT: tir.concatenation ins(%[[A]], %[[B]] : !tir.buffer<1x3x4xi8>, !tir.buffer<1x3x4xi8>) outs(%y : !tir.buffer<2x3x4xi8>) {axis = 0 : i64}
// LEGAL:      tir.pack ins(%c, %d : !tir.buffer<3xi32>, !tir.buffer<3xi32>) outs(%z

// SAME: equivalent: @main
// REMARK: remark: 'tir.pack' op in @main stays on the CPU: pack: int32 data (the NPU copies int8 and int16 feature maps)

// CHECK:      npu.invoke @main_npu0
// CHECK:      tir.pack {{.*}}npu_cpu = "pack: int32 data
// CHECK:      npu.command_stream @main_npu0
// CHECK:        npu.{{dma|pooling}}
// CHECK:        npu.{{dma|pooling}}
// CHECK-NEXT: }

tir.func @main(%a : !tir.buffer<3x4xi8>, %b : !tir.buffer<3x4xi8>, %y : !tir.buffer<2x3x4xi8>,
               %c : !tir.buffer<3xi32>, %d : !tir.buffer<3xi32>, %z : !tir.buffer<3x2xi32>) {
  tir.pack ins(%a, %b : !tir.buffer<3x4xi8>, !tir.buffer<3x4xi8>) outs(%y : !tir.buffer<2x3x4xi8>) {axis = 0}
  tir.pack ins(%c, %d : !tir.buffer<3xi32>, !tir.buffer<3xi32>) outs(%z : !tir.buffer<3x2xi32>) {axis = 1}
}
