// RUN: tirconst-opt %s | tirconst-opt | filecheck %s
// CHECK: tir.func @main
builtin.module {
  tir.constant @w = dense<[1, -2, 3, 4]> : tensor<4xi8>
  tir.constant @big = dense<"0x000102030405060708090a0b0c0d0e0f10111213"> : tensor<20xi8>
  tir.func @main(%input0 : !tir.buffer<4xi8>, %output0 : !tir.buffer<4xi32, "global">) attributes {tir.noalias} {
    %c0 = arith.constant 0 : index
    %c4 = arith.constant 4 : index
    %w = tir.allocate_const @w : !tir.buffer<4xi8>
    %f = tir.allocate_const dense<[1.5, 2.0]> : !tir.buffer<2xf32>
    %t = tir.allocate : !tir.buffer<4xi32, "shared">
    %v = tir.decl_buffer %t[0] : !tir.buffer<4xi32, "shared"> -> !tir.buffer<2x2xi32, "shared">
    tir.for %i = %c0 to %c4 unrolled {
      %a = tir.buffer_load %input0[%i] : !tir.buffer<4xi8>
      %b = tir.buffer_load %w[%i] : !tir.buffer<4xi8>
      %c = arith.addi %a, %b : i8
      %d = tir.cast %c : i8 to i32
      %e = tir.floordiv %d, %d : i32
      %m = tir.max %e, %d : i32
      %cond = arith.cmpi slt, %m, %e : i32
      %s = tir.select %cond, %m, %e : i32
      tir.if %cond {
        tir.buffer_store %s, %output0[%i] : !tir.buffer<4xi32, "global">
      } else {
        tir.assert %cond, "boom"
      }
    }
    tir.call_extern "foo"(%input0, %c0) : (!tir.buffer<4xi8>, index) -> ()
  }
}
