// RUN: tirconst-opt %s --split-input-file -p tir-slice-constants 2>%t.notes | filecheck %s
// RUN: filecheck %s --input-file=%t.notes --check-prefix=NOTE
// RUN: tirconst-opt %s --split-input-file -p tir-slice-constants{quiet=true} -o %t.mlir
// RUN: tirconst-run --check-equivalent --split-input-file %s %t.mlir

// TVM's DivideConstants case: one weight and one bias shared by two
// convolutions reading different output-channel ranges through views. Each
// convolution gets a constant of exactly its channels; the views go.

// CHECK-LABEL: tir.func @two_convs
// CHECK-NEXT:    %w_slice0 = tir.allocate_const dense<[-8, -7, -6, -5, -4, -3, -2, -1]> : !tir.buffer<4x1x1x2xi8>
// CHECK-NEXT:    %w_slice1 = tir.allocate_const dense<[0, 1, 2, 3, 4, 5, 6, 7]> : !tir.buffer<4x1x1x2xi8>
// CHECK-NEXT:    %b_slice0 = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi32>
// CHECK-NEXT:    %b_slice1 = tir.allocate_const dense<[5, 6, 7, 8]> : !tir.buffer<4xi32>
// CHECK-NEXT:    tir.conv2d ins(%x, %w_slice0, %b_slice0 : {{.*}}) outs(%y0 : {{.*}})
// CHECK-NEXT:    tir.conv2d ins(%x, %w_slice1, %b_slice1 : {{.*}}) outs(%y1 : {{.*}})
// CHECK-NEXT:  }
builtin.module {
  tir.func @two_convs(%x : !tir.buffer<1x2x2x2xi8>, %y0 : !tir.buffer<1x2x2x4xi8>, %y1 : !tir.buffer<1x2x2x4xi8>) {
    %w = tir.allocate_const dense<"0xf8f9fafbfcfdfeff0001020304050607"> : !tir.buffer<8x1x1x2xi8>
    %b = tir.allocate_const dense<[1, 2, 3, 4, 5, 6, 7, 8]> : !tir.buffer<8xi32>
    %w0 = tir.decl_buffer %w[0] : !tir.buffer<8x1x1x2xi8> -> !tir.buffer<4x1x1x2xi8>
    %w1 = tir.decl_buffer %w[8] : !tir.buffer<8x1x1x2xi8> -> !tir.buffer<4x1x1x2xi8>
    %b0 = tir.decl_buffer %b[0] : !tir.buffer<8xi32> -> !tir.buffer<4xi32>
    %b1 = tir.decl_buffer %b[4] : !tir.buffer<8xi32> -> !tir.buffer<4xi32>
    tir.conv2d ins(%x, %w0, %b0 : !tir.buffer<1x2x2x2xi8>, !tir.buffer<4x1x1x2xi8>, !tir.buffer<4xi32>) outs(%y0 : !tir.buffer<1x2x2x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
    tir.conv2d ins(%x, %w1, %b1 : !tir.buffer<1x2x2x2xi8>, !tir.buffer<4x1x1x2xi8>, !tir.buffer<4xi32>) outs(%y1 : !tir.buffer<1x2x2x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
  }
}

// -----

// A loop over output channels, split in two and the outer part unrolled: each
// half reads its own rows. Loads are re-indexed into the slices; overlapping
// reads of %t (element [1, 1], and a view of [1, 2] to [3, 1]) share one
// slice; a view that is not the whole slice keeps its place in it.

// CHECK-LABEL: tir.func @split_loop
// CHECK:         %w_slice0 = tir.allocate_const dense<[1, 2, 3, 4, 5, 6]> : !tir.buffer<2x3xi8>
// CHECK-NEXT:    %w_slice1 = tir.allocate_const dense<[7, 8, 9, 10, 11, 12]> : !tir.buffer<2x3xi8>
// CHECK:         tir.for %o = %c0 to %c2 {
// CHECK-NEXT:      tir.for %k = %c0 to %c3 {
// CHECK-NEXT:        %a = tir.buffer_load %w_slice0[%o, %k] : !tir.buffer<2x3xi8>
// CHECK:         tir.for %o_1 = %c0 to %c2 {
// CHECK-NEXT:      %oo = arith.addi %o_1, %c2 : index
// CHECK-NEXT:      tir.for %k_1 = %c0 to %c3 {
// CHECK-NEXT:        %{{.*}} = arith.constant 2 : index
// CHECK-NEXT:        %{{.*}} = arith.subi %oo, %{{.*}} : index
// CHECK-NEXT:        %b = tir.buffer_load %w_slice1[%{{.*}}, %k_1] : !tir.buffer<2x3xi8>
// CHECK:         %t_slice0 = tir.allocate_const dense<[10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]> : !tir.buffer<3x4xi8>
// CHECK-NEXT:    %[[ROW:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %t0 = tir.buffer_load %t_slice0[%[[ROW]], %c1] : !tir.buffer<3x4xi8>
// CHECK:         %trow = tir.decl_buffer %t_slice0[2] : !tir.buffer<3x4xi8> -> !tir.buffer<8xi8>
builtin.module {
  tir.func @split_loop(%y : !tir.buffer<4x3xi8>, %z : !tir.buffer<8xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %w = tir.allocate_const dense<[[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]> : !tir.buffer<4x3xi8>
    tir.for %o = %c0 to %c2 {
      tir.for %k = %c0 to %c3 {
        %a = tir.buffer_load %w[%o, %k] : !tir.buffer<4x3xi8>
        tir.buffer_store %a, %y[%o, %k] : !tir.buffer<4x3xi8>
      }
    }
    tir.for %o = %c0 to %c2 {
      %oo = arith.addi %o, %c2 : index
      tir.for %k = %c0 to %c3 {
        %b = tir.buffer_load %w[%oo, %k] : !tir.buffer<4x3xi8>
        tir.buffer_store %b, %y[%oo, %k] : !tir.buffer<4x3xi8>
      }
    }
    %t = tir.allocate_const dense<[[0, 1, 2, 3], [10, 11, 12, 13], [14, 15, 16, 17], [18, 19, 20, 21]]> : !tir.buffer<4x4xi8>
    %t0 = tir.buffer_load %t[%c1, %c1] : !tir.buffer<4x4xi8>
    tir.buffer_store %t0, %z[%c0] : !tir.buffer<8xi8>
    %trow = tir.decl_buffer %t[6] : !tir.buffer<4x4xi8> -> !tir.buffer<8xi8>
    tir.copy ins(%trow : !tir.buffer<8xi8>) outs(%z : !tir.buffer<8xi8>)
  }
}

// -----

// A module constant read in two functions: the same region gives one shared
// slice symbol, and the original goes once nothing references it. @whole is
// read whole and stays as it is.

// CHECK-LABEL: builtin.module {
// CHECK-NEXT:    tir.constant @lut_slice0 = dense<[2, 3]> : tensor<2xi16>
// CHECK-NEXT:    tir.constant @whole = dense<[1, 2]> : tensor<2xi8>
// CHECK-NEXT:    tir.func @f
// CHECK-NEXT:      %c2 = arith.constant 2 : index
// CHECK-NEXT:      %l_slice0 = tir.allocate_const @lut_slice0 : !tir.buffer<2xi16>
// CHECK-NEXT:      tir.copy ins(%l_slice0 : !tir.buffer<2xi16>) outs(%y : !tir.buffer<2xi16>)
// CHECK-NEXT:      %whole = tir.allocate_const @whole : !tir.buffer<2xi8>
// CHECK-LABEL:   tir.func @g
// CHECK-NEXT:      %l_slice0 = tir.allocate_const @lut_slice0 : !tir.buffer<2xi16>
// CHECK-NOT:     @lut
builtin.module {
  tir.constant @lut = dense<[0, 1, 2, 3, 4, 5]> : tensor<6xi16>
  tir.constant @whole = dense<[1, 2]> : tensor<2xi8>
  tir.func @f(%y : !tir.buffer<2xi16>, %z : !tir.buffer<2xi8>) {
    %c2 = arith.constant 2 : index
    %l = tir.allocate_const @lut : !tir.buffer<6xi16>
    %v = tir.decl_buffer %l[2] : !tir.buffer<6xi16> -> !tir.buffer<2xi16>
    tir.copy ins(%v : !tir.buffer<2xi16>) outs(%y : !tir.buffer<2xi16>)
    %whole = tir.allocate_const @whole : !tir.buffer<2xi8>
    tir.copy ins(%whole : !tir.buffer<2xi8>) outs(%z : !tir.buffer<2xi8>)
  }
  tir.func @g(%y : !tir.buffer<2xi16>) {
    %l = tir.allocate_const @lut : !tir.buffer<6xi16>
    %v = tir.decl_buffer %l[2] : !tir.buffer<6xi16> -> !tir.buffer<2xi16>
    tir.copy ins(%v : !tir.buffer<2xi16>) outs(%y : !tir.buffer<2xi16>)
  }
}

// -----

// Read at a dynamic index (a guarded gather): left whole, and a note says
// why. The other constant, read at one element, is sliced to it.

// CHECK-LABEL: tir.func @gather
// CHECK:         %lut = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi8>
// CHECK-NEXT:    %other_slice0 = tir.allocate_const dense<[2]> : !tir.buffer<1xi8>
// CHECK:         %v = tir.buffer_load %lut[%ii] : !tir.buffer<4xi8>
// NOTE: tir-slice-constants: note: %lut (inline) in @gather left whole: 'tir.buffer_load' reads it at a dynamic index (%x_i (result of 'tir.buffer_load') is not bounded)
// NOTE-NOT: note
builtin.module {
  tir.func @gather(%x : !tir.buffer<2xi8>, %y : !tir.buffer<2xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c4 = arith.constant 4 : index
    %lut = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi8>
    %other = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi8>
    %o = tir.buffer_load %other[%c1] : !tir.buffer<4xi8>
    tir.for %i = %c0 to %c2 {
      %x_i = tir.buffer_load %x[%i] : !tir.buffer<2xi8>
      %ii = arith.index_cast %x_i : i8 to index
      %lo = arith.cmpi sge, %ii, %c0 : index
      %hi = arith.cmpi slt, %ii, %c4 : index
      %ok = arith.andi %lo, %hi : i1
      tir.if %ok {
        %v = tir.buffer_load %lut[%ii] : !tir.buffer<4xi8>
        tir.buffer_store %v, %y[%i] : !tir.buffer<2xi8>
      }
    }
  }
}
