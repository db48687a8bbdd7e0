// tir.elu on the NPU: an int8 ELU is its 256-entry table (expm1f below
// zero, the identity above, as EluPrepare builds it; the importer makes
// the constant), so tir-tabulate makes it a tir.lookup of the table its
// kernel gives (the same bytes, shared with the constant already there)
// and convert-tir-to-npu runs it as a table activation: a DMA of the table
// into the LUT and an identity pool. Every step is equivalent.
//
// RUN: tirconst-opt %s -p tir-tabulate | filecheck %s --check-prefix=TAB
// RUN: tirconst-opt %s -p tir-tabulate,tir-plan-memory -o %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t
// RUN: filecheck %s < %t
// RUN: tirconst-run --check-equivalent %s %t.planned.mlir | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// TAB:        tir.constant @op0_elu_table = dense<"0x0707{{.*}}7d7f7f{{.*}}"> : tensor<256xi8>
// TAB-NOT:    tir.constant
// TAB:        %[[T:.*]] = tir.allocate_const @op0_elu_table : !tir.buffer<256xi8>
// TAB-NEXT:   tir.lookup ins(%input0, %[[T]] : !tir.buffer<1x4x6x8xi8>, !tir.buffer<256xi8>) outs(%output0 : !tir.buffer<1x4x6x8xi8>)
// TAB-NOT:    tir.elu

// SAME: equivalent: @main

// CHECK:      npu.invoke @main_npu0
// CHECK-NOT:  tir.elu
// CHECK:      npu.command_stream @main_npu0
// CHECK:        npu.dma
// CHECK-NEXT:   npu.pooling {{{.*}}pool_type = "average", ifm = #npu.feature_map<int8, [4, 6, 8]{{.*}}kernel = #npu.kernel<[1, 1]>{{.*}}activation = #npu.activation<table>
// CHECK-NEXT: }

builtin.module {
  tir.constant @op0_elu_table = dense<"0x070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070808080808080808080808080808080909090909090909090a0a0a0a0a0a0b0b0b0b0b0c0c0c0c0d0d0d0e0e0e0f0f1010111112121314141516161718191a1b1c1d1e1f2122232526282a2b2d2f3032343537393a3c3e3f4143444648494b4d4e5052535557585a5c5d5f6162646667696b6c6e7071737576787a7b7d7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f"> : tensor<256xi8>
  tir.func @main(%input0: !tir.buffer<1x4x6x8xi8>, %output0: !tir.buffer<1x4x6x8xi8>) {
    %op0_elu_table = tir.allocate_const @op0_elu_table : !tir.buffer<256xi8>
    tir.elu ins(%input0, %op0_elu_table : !tir.buffer<1x4x6x8xi8>, !tir.buffer<256xi8>) outs(%output0 : !tir.buffer<1x4x6x8xi8>) {input_scale = 5.000000e-02 : f32, input_zp = 3 : i64, output_scale = 3.000000e-02 : f32, output_zp = 40 : i64, tflite.index = 0 : i64, tflite.name = "t1"}
  }
}
