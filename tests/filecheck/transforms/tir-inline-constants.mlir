// RUN: tirconst-opt %s -p tir-inline-constants | filecheck %s
// RUN: tirconst-opt %s -p tir-inline-constants -o %t.mlir
// RUN: tirconst-run --check-equivalent %s %t.mlir
// Round trip: extracting then inlining gives back the inline module.
// RUN: tirconst-opt %s -p tir-inline-constants | tirconst-opt -p tir-extract-constants,tir-inline-constants | filecheck %s

// Each reference gets its own inline copy; constants no longer referenced go,
// a constant nothing referenced before stays.

// CHECK-LABEL: builtin.module {
// CHECK-NEXT:    tir.constant @unreferenced = dense<[5]> : tensor<1xi8>
// CHECK-NEXT:    tir.func @f(%y: !tir.buffer<4xi8>) {
// CHECK-NEXT:      %w = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi8>
// CHECK-NEXT:      %b = tir.allocate_const dense<"0x000102030405060708090a0b0c0d0e0f10111213"> : !tir.buffer<20xi8, "shared"> {keep = 1 : i64}
// CHECK-NEXT:      tir.copy ins(%w : !tir.buffer<4xi8>) outs(%y : !tir.buffer<4xi8>)
// CHECK-NEXT:    }
// CHECK-NEXT:    tir.func @g(%y: !tir.buffer<4xi8>) {
// CHECK-NEXT:      %w = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi8, "shared">
// CHECK-NEXT:      %v = tir.reshape %w : !tir.buffer<4xi8, "shared"> -> !tir.buffer<2x2xi8, "shared">
// CHECK-NEXT:    }
// CHECK-NEXT:  }
builtin.module {
  tir.constant @w = dense<[1, 2, 3, 4]> : tensor<4xi8>
  tir.constant @big = dense<"0x000102030405060708090a0b0c0d0e0f10111213"> : tensor<20xi8>
  tir.constant @unreferenced = dense<[5]> : tensor<1xi8>
  tir.func @f(%y : !tir.buffer<4xi8>) {
    %w = tir.allocate_const @w : !tir.buffer<4xi8>
    %b = tir.allocate_const @big : !tir.buffer<20xi8, "shared"> {keep = 1 : i64}
    tir.copy ins(%w : !tir.buffer<4xi8>) outs(%y : !tir.buffer<4xi8>)
  }
  tir.func @g(%y : !tir.buffer<4xi8>) {
    %w = tir.allocate_const @w : !tir.buffer<4xi8, "shared">
    %v = tir.reshape %w : !tir.buffer<4xi8, "shared"> -> !tir.buffer<2x2xi8, "shared">
  }
}
