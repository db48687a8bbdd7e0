// A hand-written loop-level dense layer: y = relu(W x + b), int32 accumulate,
// with the weights and bias held in the program as first-class constants.
//   tirconst-run examples/dense_layer.mlir --random-inputs 0 --outputs out.npz
//   tirconst-opt examples/dense_layer.mlir -p tir-extract-constants
tir.func @main(%input0 : !tir.buffer<4xi8>, %output0 : !tir.buffer<3xi32>) {
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0 : i32
  %w = tir.allocate_const dense<[1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12]> : !tir.buffer<3x4xi8>
  %b = tir.allocate_const dense<[900, 400, -7]> : !tir.buffer<3xi32>
  %acc = tir.allocate : !tir.buffer<1xi32>
  tir.for %o = %c0 to %c3 {
    %bias = tir.buffer_load %b[%o] : !tir.buffer<3xi32>
    tir.buffer_store %bias, %acc[%c0] : !tir.buffer<1xi32>
    tir.for %i = %c0 to %c4 unrolled {
      %x = tir.buffer_load %input0[%i] : !tir.buffer<4xi8>
      %wv = tir.buffer_load %w[%o, %i] : !tir.buffer<3x4xi8>
      %x32 = tir.cast %x : i8 to i32
      %w32 = tir.cast %wv : i8 to i32
      %p = arith.muli %x32, %w32 : i32
      %s = tir.buffer_load %acc[%c0] : !tir.buffer<1xi32>
      %s2 = arith.addi %s, %p : i32
      tir.buffer_store %s2, %acc[%c0] : !tir.buffer<1xi32>
    }
    %sum = tir.buffer_load %acc[%c0] : !tir.buffer<1xi32>
    %y = tir.max %sum, %zero : i32
    tir.buffer_store %y, %output0[%o] : !tir.buffer<3xi32>
  }
}
