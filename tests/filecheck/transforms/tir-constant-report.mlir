// RUN: tirconst-opt %s -o %t.plain.mlir
// RUN: tirconst-opt %s -p 'tir-constant-report{file="%t.txt"}' -o %t.after.mlir
// RUN: diff %t.plain.mlir %t.after.mlir
// RUN: filecheck %s --input-file=%t.txt --match-full-lines --strict-whitespace
// The table goes to stderr by default.
// RUN: tirconst-opt %s -p tir-constant-report -o %t.ignored.mlir 2>&1 | filecheck %s --match-full-lines --strict-whitespace
// RUN: tirconst-opt %s --verify-diagnostics -p 'tir-constant-report{file="%t.missing/dir/report.txt"}' | filecheck %s --check-prefix=ERR
// ERR: error: tir-constant-report: cannot write '{{.*}}/report.txt': No such file or directory

// One row per constant: module constants with every read through their
// references, then inline constants; a region when the read is partial,
// `[?]` when dynamic; totals last.

//      CHECK:name           dtype    shape    bytes  users  reads
// CHECK-NEXT:@w             int8     8x1x1x2     16      2  @main: tir.conv2d[0:4, :, :, :]; @aux: tir.buffer_load[5, :, :, 1]
// CHECK-NEXT:@unused        float32  2            8      0  -
// CHECK-NEXT:%lut in @main  int16    4            8      2  @main: tir.buffer_load[?] x2
// CHECK-NEXT:%b in @aux     int32    scalar       4      0  -
// CHECK-NEXT:total (4)                           36      4
builtin.module {
  tir.constant @w = dense<"0xf8f9fafbfcfdfeff0001020304050607"> : tensor<8x1x1x2xi8>
  tir.constant @unused = dense<[1.0, 2.0]> : tensor<2xf32>
  tir.func @main(%x : !tir.buffer<1x2x2x2xi8>, %y : !tir.buffer<1x2x2x4xi8>, %i : !tir.buffer<2xi8>, %o : !tir.buffer<2xi16>) {
    %w = tir.allocate_const @w : !tir.buffer<8x1x1x2xi8>
    %w0 = tir.decl_buffer %w[0] : !tir.buffer<8x1x1x2xi8> -> !tir.buffer<4x1x1x2xi8>
    tir.conv2d ins(%x, %w0 : !tir.buffer<1x2x2x2xi8>, !tir.buffer<4x1x1x2xi8>) outs(%y : !tir.buffer<1x2x2x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
    %lut = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi16>
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %i0 = tir.buffer_load %i[%c0] : !tir.buffer<2xi8>
    %j0 = arith.index_cast %i0 : i8 to index
    %v0 = tir.buffer_load %lut[%j0] : !tir.buffer<4xi16>
    tir.buffer_store %v0, %o[%c0] : !tir.buffer<2xi16>
    %i1 = tir.buffer_load %i[%c1] : !tir.buffer<2xi8>
    %j1 = arith.index_cast %i1 : i8 to index
    %v1 = tir.buffer_load %lut[%j1] : !tir.buffer<4xi16>
    tir.buffer_store %v1, %o[%c1] : !tir.buffer<2xi16>
  }
  tir.func @aux(%y : !tir.buffer<1xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c5 = arith.constant 5 : index
    %w = tir.allocate_const @w : !tir.buffer<8x1x1x2xi8>
    %v = tir.buffer_load %w[%c5, %c0, %c0, %c1] : !tir.buffer<8x1x1x2xi8>
    tir.buffer_store %v, %y[%c0] : !tir.buffer<1xi8>
    %b = tir.allocate_const dense<[7]> : !tir.buffer<i32>
  }
}
