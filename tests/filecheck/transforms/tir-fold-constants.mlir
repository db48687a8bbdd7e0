// RUN: tirconst-opt %s --split-input-file -p tir-fold-constants | filecheck %s
// RUN: tirconst-opt %s --split-input-file -p tir-fold-constants -o %t.mlir
// RUN: tirconst-run --check-equivalent --split-input-file %s %t.mlir

// A loop nest whose constant reads all fold: the zero point is read at a
// constant index, the scale through a uniform region; the arithmetic on them
// folds, and the constant buffers (and the module constant) are gone.

// CHECK-LABEL: builtin.module {
// CHECK-NEXT:    tir.func @requant(%x: !tir.buffer<4x8xi32>, %y: !tir.buffer<4x8xi32>) {
// CHECK-NEXT:      %c0 = arith.constant 0 : index
// CHECK-NEXT:      %c4 = arith.constant 4 : index
// CHECK-NEXT:      %c8 = arith.constant 8 : index
// CHECK-NEXT:      tir.for %i = %c0 to %c4 {
// CHECK-NEXT:        tir.for %j = %c0 to %c8 {
// CHECK-NEXT:          %a = tir.buffer_load %x[%i, %j] : !tir.buffer<4x8xi32>
// CHECK-NEXT:          %m = arith.constant 6 : i32
// CHECK-NEXT:          %p = arith.muli %a, %m : i32
// CHECK-NEXT:          %zp = arith.constant -3 : i32
// CHECK-NEXT:          %r = arith.addi %p, %zp : i32
// CHECK-NEXT:          tir.buffer_store %r, %y[%i, %j] : !tir.buffer<4x8xi32>
// CHECK-NEXT:        }
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:  }
builtin.module {
  tir.constant @zero_points = dense<[5, -3, 7]> : tensor<3xi32>
  tir.func @requant(%x : !tir.buffer<4x8xi32>, %y : !tir.buffer<4x8xi32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c8 = arith.constant 8 : index
    %zps = tir.allocate_const @zero_points : !tir.buffer<3xi32>
    %scale = tir.allocate_const dense<[[2, 2, 2, 2], [3, 3, 3, 3], [3, 3, 3, 3]]> : !tir.buffer<3x4xi32>
    tir.for %i = %c0 to %c4 {
      tir.for %j = %c0 to %c8 {
        %a = tir.buffer_load %x[%i, %j] : !tir.buffer<4x8xi32>
        %jj = tir.floordiv %j, %c4 : index
        %row = arith.addi %jj, %c1 : index
        %s = tir.buffer_load %scale[%row, %i] : !tir.buffer<3x4xi32>
        %two = arith.constant 2 : i32
        %m = arith.muli %s, %two : i32
        %p = arith.muli %a, %m : i32
        %zp = tir.buffer_load %zps[%c1] : !tir.buffer<3xi32>
        %r = arith.addi %p, %zp : i32
        tir.buffer_store %r, %y[%i, %j] : !tir.buffer<4x8xi32>
      }
    }
  }
}

// -----

// Reads through views at constant indices fold; scalar ops fold with TIR
// semantics (floor division and modulo, wrapping i8, C casts, compare+select).

// CHECK-LABEL: tir.func @scalars(%y: !tir.buffer<8xi32>, %f: !tir.buffer<2xf32>) {
// CHECK-NEXT:      %c0 = arith.constant 0 : index
// CHECK-NEXT:      %c1 = arith.constant 1 : index
// CHECK-NEXT:      %c2 = arith.constant 2 : index
// CHECK-NEXT:      %c3 = arith.constant 3 : index
// CHECK-NEXT:      %q = arith.constant -4 : i32
// CHECK-NEXT:      tir.buffer_store %q, %y[%c0] : !tir.buffer<8xi32>
// CHECK-NEXT:      %r = arith.constant 1 : i32
// CHECK-NEXT:      tir.buffer_store %r, %y[%c1] : !tir.buffer<8xi32>
// CHECK-NEXT:      %wide = arith.constant -16 : i32
// CHECK-NEXT:      tir.buffer_store %wide, %y[%c2] : !tir.buffer<8xi32>
// CHECK-NEXT:      %sel = arith.constant 100 : i32
// CHECK-NEXT:      tir.buffer_store %sel, %y[%c3] : !tir.buffer<8xi32>
// CHECK-NEXT:      %t = arith.constant -2 : i32
// CHECK-NEXT:      tir.buffer_store %t, %y[%c0] : !tir.buffer<8xi32>
// CHECK-NEXT:      %h = arith.constant 3.250000e+00 : f32
// CHECK-NEXT:      tir.buffer_store %h, %f[%c0] : !tir.buffer<2xf32>
// CHECK-NEXT:    }
builtin.module {
  tir.func @scalars(%y : !tir.buffer<8xi32>, %f : !tir.buffer<2xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %k = tir.allocate_const dense<[-7, 2, 120, 10, 0, 0, 0, 0]> : !tir.buffer<8xi32>
    %v = tir.decl_buffer %k[0] : !tir.buffer<8xi32> -> !tir.buffer<4xi32>
    %kk = tir.reshape %v : !tir.buffer<4xi32> -> !tir.buffer<2x2xi32>
    %a = tir.buffer_load %kk[%c0, %c0] : !tir.buffer<2x2xi32>
    %b = tir.buffer_load %kk[%c0, %c1] : !tir.buffer<2x2xi32>
    %q = tir.floordiv %a, %b : i32
    tir.buffer_store %q, %y[%c0] : !tir.buffer<8xi32>
    %r = tir.floormod %a, %b : i32
    tir.buffer_store %r, %y[%c1] : !tir.buffer<8xi32>
    %big = tir.buffer_load %v[%c2] : !tir.buffer<4xi32>
    %n = tir.cast %big : i32 to i8
    %s = arith.addi %n, %n : i8
    %wide = tir.cast %s : i8 to i32
    tir.buffer_store %wide, %y[%c2] : !tir.buffer<8xi32>
    %lt = arith.cmpi slt, %a, %b : i32
    %hundred = arith.constant 100 : i32
    %sel = tir.select %lt, %hundred, %a : i32
    tir.buffer_store %sel, %y[%c3] : !tir.buffer<8xi32>
    %fl = tir.allocate_const dense<[-2.75, 0.5]> : !tir.buffer<2xf32>
    %x = tir.buffer_load %fl[%c0] : !tir.buffer<2xf32>
    %t = tir.cast %x : f32 to i32
    tir.buffer_store %t, %y[%c0] : !tir.buffer<8xi32>
    %half = tir.buffer_load %fl[%c1] : !tir.buffer<2xf32>
    %nx = arith.negf %x : f32
    %h = arith.addf %nx, %half : f32
    tir.buffer_store %h, %f[%c0] : !tir.buffer<2xf32>
  }
}

// -----

// What must not fold: a read at a dynamic index of varying data, unsigned
// elements (arith.constant is signless), division by zero. A constant unused
// before the pass stays.

// CHECK-LABEL: tir.func @kept
// CHECK:         %d = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi8>
// CHECK-NEXT:    %u = tir.allocate_const dense<[200, 200]> : !tir.buffer<2xui8>
// CHECK-NEXT:    %unused = tir.allocate_const dense<[9]> : !tir.buffer<1xi8>
// CHECK:         %dv = tir.buffer_load %d[%i] : !tir.buffer<4xi8>
// CHECK:         %uv = tir.buffer_load %u[%c0] : !tir.buffer<2xui8>
// CHECK:         %z = arith.constant 0 : i8
// CHECK-NEXT:    %wv = arith.constant 7 : i8
// CHECK:           %q = tir.floordiv %wv, %z : i8
builtin.module {
  tir.func @kept(%y : !tir.buffer<4xi8>, %yu : !tir.buffer<4xui8>) {
    %c0 = arith.constant 0 : index
    %c4 = arith.constant 4 : index
    %d = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi8>
    %u = tir.allocate_const dense<[200, 200]> : !tir.buffer<2xui8>
    %w = tir.allocate_const dense<[7, 7]> : !tir.buffer<2xi8>
    %unused = tir.allocate_const dense<[9]> : !tir.buffer<1xi8>
    tir.for %i = %c0 to %c4 {
      %dv = tir.buffer_load %d[%i] : !tir.buffer<4xi8>
      tir.buffer_store %dv, %y[%i] : !tir.buffer<4xi8>
    }
    %uv = tir.buffer_load %u[%c0] : !tir.buffer<2xui8>
    tir.buffer_store %uv, %yu[%c0] : !tir.buffer<4xui8>
    %z = arith.constant 0 : i8
    %wv = tir.buffer_load %w[%c0] : !tir.buffer<2xi8>
    %nz = arith.cmpi ne, %z, %z : i8
    tir.if %nz {
      %q = tir.floordiv %wv, %z : i8
      tir.buffer_store %q, %y[%c0] : !tir.buffer<4xi8>
    }
  }
}
