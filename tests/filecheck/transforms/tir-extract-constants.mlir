// RUN: tirconst-opt %s --split-input-file -p tir-extract-constants | filecheck %s
// RUN: tirconst-opt %s --split-input-file -p tir-extract-constants -o %t.mlir
// RUN: tirconst-run --check-equivalent --split-input-file %s %t.mlir

// TVM's extract-constants test: three functions, two of which hold the same
// constant. The module ends with two constants; each function reads its own
// data through a reference.

// CHECK-LABEL: builtin.module {
// CHECK-NEXT:    tir.constant @constant1_K = dense<[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]> : tensor<10xi32>
// CHECK-NEXT:    tir.constant @constant3_K = dense<[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]> : tensor<10xi32>
// CHECK-NOT:     tir.constant
// CHECK-LABEL:   tir.func @constant1
// CHECK-NEXT:      %K = tir.allocate_const @constant1_K : !tir.buffer<10xi32>
// CHECK-LABEL:   tir.func @constant2
// CHECK-NEXT:      %K = tir.allocate_const @constant1_K : !tir.buffer<10xi32>
// CHECK-LABEL:   tir.func @constant3
// CHECK-NEXT:      %K = tir.allocate_const @constant3_K : !tir.buffer<10xi32>
// CHECK-NOT:     dense<
builtin.module {
  tir.func @constant1(%A : !tir.buffer<10xi32>, %B : !tir.buffer<10xi32>) {
    %K = tir.allocate_const dense<[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]> : !tir.buffer<10xi32>
    %c0 = arith.constant 0 : index
    %c10 = arith.constant 10 : index
    tir.for %x = %c0 to %c10 {
      %a = tir.buffer_load %A[%x] : !tir.buffer<10xi32>
      %k = tir.buffer_load %K[%x] : !tir.buffer<10xi32>
      %s = arith.addi %a, %k : i32
      tir.buffer_store %s, %B[%x] : !tir.buffer<10xi32>
    }
  }
  tir.func @constant2(%A : !tir.buffer<10xi32>, %B : !tir.buffer<10xi32>) {
    %K = tir.allocate_const dense<[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]> : !tir.buffer<10xi32>
    %c0 = arith.constant 0 : index
    %c10 = arith.constant 10 : index
    tir.for %x = %c0 to %c10 {
      %a = tir.buffer_load %A[%x] : !tir.buffer<10xi32>
      %k = tir.buffer_load %K[%x] : !tir.buffer<10xi32>
      %s = arith.addi %a, %k : i32
      tir.buffer_store %s, %B[%x] : !tir.buffer<10xi32>
    }
  }
  tir.func @constant3(%A : !tir.buffer<10xi32>, %B : !tir.buffer<10xi32>) {
    %K = tir.allocate_const dense<[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]> : !tir.buffer<10xi32>
    %c0 = arith.constant 0 : index
    %c10 = arith.constant 10 : index
    tir.for %x = %c0 to %c10 {
      %a = tir.buffer_load %A[%x] : !tir.buffer<10xi32>
      %k = tir.buffer_load %K[%x] : !tir.buffer<10xi32>
      %s = arith.addi %a, %k : i32
      tir.buffer_store %s, %B[%x] : !tir.buffer<10xi32>
    }
  }
}

// -----

// Same bytes but another dtype or shape is another constant; an existing
// module constant with the same content is reused, and an existing duplicate
// is merged into the first. Names are unique within the pass.

// CHECK-LABEL: builtin.module {
// CHECK-NEXT:    tir.constant @old = dense<[1, 2, 3, 4]> : tensor<4xi8>
// CHECK-NEXT:    tir.constant @f_w = dense<[1, 2, 3, 4]> : tensor<2x2xi8>
// CHECK-NEXT:    tir.constant @f_w_1 = dense<[513, 1027]> : tensor<2xi16>
// CHECK-NEXT:    tir.constant @f_const = dense<[-1.5]> : tensor<1xf32>
// CHECK-NEXT:    tir.func @f
// CHECK-NEXT:      %w = tir.allocate_const @old : !tir.buffer<4xi8>
// CHECK-NEXT:      %w_1 = tir.allocate_const @f_w : !tir.buffer<2x2xi8>
// CHECK-NEXT:      %w_2 = tir.allocate_const @f_w_1 : !tir.buffer<2xi16, "shared">
// CHECK-NEXT:      %w_3 = tir.allocate_const @old : !tir.buffer<4xi8>
// CHECK-NEXT:      %0 = tir.allocate_const @f_const : !tir.buffer<1xf32>
builtin.module {
  tir.constant @old = dense<[1, 2, 3, 4]> : tensor<4xi8>
  tir.constant @old_copy = dense<[1, 2, 3, 4]> : tensor<4xi8>
  tir.func @f() {
    %w = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi8>
    %w_1 = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<2x2xi8>
    %w_2 = tir.allocate_const dense<[513, 1027]> : !tir.buffer<2xi16, "shared">
    %w_3 = tir.allocate_const @old_copy : !tir.buffer<4xi8>
    %0 = tir.allocate_const dense<[-1.5]> : !tir.buffer<1xf32>
  }
}
