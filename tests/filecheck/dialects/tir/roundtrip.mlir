// Every tir op in its custom form: printing is exact, and print -> parse -> print
// is a fixed point (custom-form syntax, optional parts, attribute dictionaries).
// RUN: tirconst-opt %s | tirconst-opt | filecheck %s
// RUN: tirconst-opt %s > %t.once.mlir
// RUN: tirconst-opt %t.once.mlir > %t.twice.mlir
// RUN: diff %t.once.mlir %t.twice.mlir

// CHECK: builtin.module {
builtin.module {
  // CHECK-NEXT: tir.pool @sram size 4096 alignment 16
  tir.pool @sram size 4096 alignment 16
  // CHECK-NEXT: tir.pool @flash read_only {tir.note = "xip"}
  tir.pool @flash read_only {tir.note = "xip"}
  // CHECK-NEXT: tir.pool @dram
  tir.pool @dram
  // CHECK-NEXT: tir.constant @w = dense<[1, -2, 3, 4]> : tensor<4xi8>
  tir.constant @w = dense<[1, -2, 3, 4]> : tensor<4xi8>
  // CHECK-NEXT: tir.constant @placed = dense<[5, 6]> : tensor<2xi16> at <@flash, 64> {tir.note = "b"}
  tir.constant @placed = dense<[5, 6]> : tensor<2xi16> at <@flash, 64> {tir.note = "b"}
  // CHECK-NEXT: tir.constant @table = dense<"0x000102030405060708090a0b0c0d0e0f10"> : tensor<17xi8> {tir.note = "shared"}
  tir.constant @table = dense<"0x000102030405060708090a0b0c0d0e0f10"> : tensor<17xi8> {tir.note = "shared"}
  // CHECK-NEXT: tir.func @structure(%input0: !tir.buffer<4xi8>, %output0: !tir.buffer<4xi32, "shared">) attributes {tir.noalias} {
  tir.func @structure(%input0: !tir.buffer<4xi8>, %output0: !tir.buffer<4xi32, "shared">) attributes {tir.noalias} {
    // CHECK-NEXT: %c0 = arith.constant 0 : index
    %c0 = arith.constant 0 : index
    // CHECK-NEXT: %c4 = arith.constant 4 : index
    %c4 = arith.constant 4 : index
    // CHECK-NEXT: %t = arith.constant true
    %t = arith.constant true
    // CHECK-NEXT: tir.for %i = %c0 to %c4 {
    tir.for %i = %c0 to %c4 {
      // CHECK-NEXT: tir.for %j = %c0 to %c4 parallel {
      tir.for %j = %c0 to %c4 parallel {
        // CHECK-NEXT: tir.for %k = %c0 to %c4 vectorized {
        tir.for %k = %c0 to %c4 vectorized {
          // CHECK-NEXT: tir.for %l = %c0 to %c4 unrolled {
          tir.for %l = %c0 to %c4 unrolled {
          // CHECK-NEXT: }
          }
        // CHECK-NEXT: }
        }
      // CHECK-NEXT: }
      }
    // CHECK-NEXT: }
    }
    // CHECK-NEXT: tir.for %m = %c0 to %c4 {
    tir.for %m = %c0 to %c4 {
    // CHECK-NEXT: } {tir.pragma = "keep"}
    } {tir.pragma = "keep"}
    // CHECK-NEXT: tir.if %t {
    tir.if %t {
      // CHECK-NEXT: tir.assert %t, "then"
      tir.assert %t, "then"
    // CHECK-NEXT: }
    }
    // CHECK-NEXT: tir.if %t {
    tir.if %t {
      // CHECK-NEXT: tir.assert %t, "then"
      tir.assert %t, "then"
    // CHECK-NEXT: } else {
    } else {
      // CHECK-NEXT: tir.assert %t, "a \22quoted\22 message" {tir.code = 7 : i64}
      tir.assert %t, "a \22quoted\22 message" {tir.code = 7 : i64}
    // CHECK-NEXT: }
    }
    // CHECK-NEXT: tir.call_extern "foo"(%input0, %c0) : (!tir.buffer<4xi8>, index) -> ()
    tir.call_extern "foo"(%input0, %c0) : (!tir.buffer<4xi8>, index) -> ()
    // CHECK-NEXT: %r = tir.call_extern "bar"() {tir.pure} : () -> i32
    %r = tir.call_extern "bar"() {tir.pure} : () -> i32
  // CHECK-NEXT: }
  }
  // CHECK-NEXT: tir.func @buffers(%x: !tir.buffer<4x4xi8>, %s: !tir.buffer<i32>) attributes {tir.note = "p", param_placement = {x = #tir.place<@sram, 0>}, pool_sizes = {sram = 96 : i64}} {
  tir.func @buffers(%x: !tir.buffer<4x4xi8>, %s: !tir.buffer<i32>) attributes {param_placement = {x = #tir.place<@sram, 0>}, pool_sizes = {sram = 96}, tir.note = "p"} {
    // CHECK-NEXT: %c1 = arith.constant 1 : index
    %c1 = arith.constant 1 : index
    // CHECK-NEXT: %a = tir.allocate : !tir.buffer<16xi32>
    %a = tir.allocate : !tir.buffer<16xi32>
    // CHECK-NEXT: %b = tir.allocate at <@sram, 64> : !tir.buffer<2x8xi16, "shared">
    %b = tir.allocate at <@sram, 64> : !tir.buffer<2x8xi16, "shared">
    // CHECK-NEXT: %p = tir.allocate_const @placed : !tir.buffer<2xi16> at <@flash, 64>
    %p = tir.allocate_const @placed : !tir.buffer<2xi16> at <@flash, 64>
    // CHECK-NEXT: %q = tir.allocate_const dense<[7, 8]> : !tir.buffer<2xi8> at <@flash, 0> {tir.note = "q"}
    %q = tir.allocate_const dense<[7, 8]> : !tir.buffer<2xi8> at <@flash, 0> {tir.note = "q"}
    // CHECK-NEXT: %col = tir.decl_buffer %x[1] strides [4] : !tir.buffer<4x4xi8> -> !tir.buffer<3xi8>
    %col = tir.decl_buffer %x[1] strides [4] : !tir.buffer<4x4xi8> -> !tir.buffer<3xi8>
    // CHECK-NEXT: %box = tir.decl_buffer %x[5] strides [4, 1] {tir.note = "2x2"} : !tir.buffer<4x4xi8> -> !tir.buffer<2x2xi8>
    %box = tir.decl_buffer %x[5] strides [4, 1] {tir.note = "2x2"} : !tir.buffer<4x4xi8> -> !tir.buffer<2x2xi8>
    // CHECK-NEXT: %w = tir.allocate_const @w : !tir.buffer<4xi8>
    %w = tir.allocate_const @w : !tir.buffer<4xi8>
    // CHECK-NEXT: %tab = tir.allocate_const @table : !tir.buffer<17xi8>
    %tab = tir.allocate_const @table : !tir.buffer<17xi8>
    // CHECK-NEXT: %d = tir.allocate_const dense<[1.5, -2.0]> : !tir.buffer<2xf32>
    %d = tir.allocate_const dense<[1.5, -2.0]> : !tir.buffer<2xf32>
    // CHECK-NEXT: %e = tir.allocate_const dense<"0xd8dcffffc0e0ffffa8e4ffff90e8ffff78ecffff60f0ffff48f4ffff30f8ffff18fcffff00000000e8030000d0070000b80b0000a00f00008813000070170000581b0000401f0000"> : !tir.buffer<2x3x3xi32> {tir.note = "inline"}
    %e = tir.allocate_const dense<"0xd8dcffffc0e0ffffa8e4ffff90e8ffff78ecffff60f0ffff48f4ffff30f8ffff18fcffff00000000e8030000d0070000b80b0000a00f00008813000070170000581b0000401f0000"> : !tir.buffer<2x3x3xi32> {tir.note = "inline"}
    // CHECK-NEXT: %row = tir.decl_buffer %x[4] : !tir.buffer<4x4xi8> -> !tir.buffer<4xi8>
    %row = tir.decl_buffer %x[4] : !tir.buffer<4x4xi8> -> !tir.buffer<4xi8>
    // CHECK-NEXT: %view = tir.decl_buffer %b[0] {tir.note = "view"} : !tir.buffer<2x8xi16, "shared"> -> !tir.buffer<16xi16, "shared">
    %view = tir.decl_buffer %b[0] {tir.note = "view"} : !tir.buffer<2x8xi16, "shared"> -> !tir.buffer<16xi16, "shared">
    // CHECK-NEXT: %flat = tir.reshape %x : !tir.buffer<4x4xi8> -> !tir.buffer<16xi8>
    %flat = tir.reshape %x : !tir.buffer<4x4xi8> -> !tir.buffer<16xi8>
    // CHECK-NEXT: %v = tir.buffer_load %x[%c1, %c1] : !tir.buffer<4x4xi8>
    %v = tir.buffer_load %x[%c1, %c1] : !tir.buffer<4x4xi8>
    // CHECK-NEXT: %v2 = tir.buffer_load %row[%c1] {tir.note = "load"} : !tir.buffer<4xi8>
    %v2 = tir.buffer_load %row[%c1] {tir.note = "load"} : !tir.buffer<4xi8>
    // CHECK-NEXT: tir.buffer_store %v, %flat[%c1] : !tir.buffer<16xi8>
    tir.buffer_store %v, %flat[%c1] : !tir.buffer<16xi8>
    // CHECK-NEXT: %n = tir.buffer_load %s[] : !tir.buffer<i32>
    %n = tir.buffer_load %s[] : !tir.buffer<i32>
    // CHECK-NEXT: tir.buffer_store %n, %s[] {tir.note = "store"} : !tir.buffer<i32>
    tir.buffer_store %n, %s[] {tir.note = "store"} : !tir.buffer<i32>
  // CHECK-NEXT: }
  }
  // CHECK-NEXT: tir.func @scalar(%ub: !tir.buffer<ui8>) {
  tir.func @scalar(%ub: !tir.buffer<ui8>) {
    // CHECK-NEXT: %a = arith.constant -7 : i32
    %a = arith.constant -7 : i32
    // CHECK-NEXT: %b = arith.constant 2 : i32
    %b = arith.constant 2 : i32
    // CHECK-NEXT: %i = arith.constant 5 : index
    %i = arith.constant 5 : index
    // CHECK-NEXT: %u = tir.buffer_load %ub[] : !tir.buffer<ui8>
    %u = tir.buffer_load %ub[] : !tir.buffer<ui8>
    // CHECK-NEXT: %h = arith.constant 1.500000e+00 : f16
    %h = arith.constant 1.500000e+00 : f16
    // CHECK-NEXT: %c = arith.constant true
    %c = arith.constant true
    // CHECK-NEXT: %q = tir.floordiv %a, %b : i32
    %q = tir.floordiv %a, %b : i32
    // CHECK-NEXT: %qi = tir.floordiv %i, %i : index
    %qi = tir.floordiv %i, %i : index
    // CHECK-NEXT: %r = tir.floormod %a, %b : i32
    %r = tir.floormod %a, %b : i32
    // CHECK-NEXT: %mn = tir.min %u, %u : ui8
    %mn = tir.min %u, %u : ui8
    // CHECK-NEXT: %mx = tir.max %h, %h : f16
    %mx = tir.max %h, %h : f16
    // CHECK-NEXT: %mi = tir.max %a, %b {tir.note = "max"} : i32
    %mi = tir.max %a, %b {tir.note = "max"} : i32
    // CHECK-NEXT: %s = tir.select %c, %a, %b : i32
    %s = tir.select %c, %a, %b : i32
    // CHECK-NEXT: %sh = tir.select %c, %h, %h : f16
    %sh = tir.select %c, %h, %h : f16
    // CHECK-NEXT: %c8 = tir.cast %a : i32 to i8
    %c8 = tir.cast %a : i32 to i8
    // CHECK-NEXT: %cu = tir.cast %u : ui8 to i64
    %cu = tir.cast %u : ui8 to i64
    // CHECK-NEXT: %cf = tir.cast %a : i32 to f64
    %cf = tir.cast %a : i32 to f64
    // CHECK-NEXT: %cb = tir.cast %h : f16 to i1
    %cb = tir.cast %h : f16 to i1
    // CHECK-NEXT: %ci = tir.cast %i : index to i32
    %ci = tir.cast %i : index to i32
  // CHECK-NEXT: }
  }
  // CHECK-NEXT: tir.func @operators(%x: !tir.buffer<1x4x4x2xi8>, %f: !tir.buffer<3x3x3x2xi8>, %bias: !tir.buffer<3xi32>, %y: !tir.buffer<1x2x2x3xi8>, %dwf: !tir.buffer<1x3x3x4xi8>, %dwb: !tir.buffer<4xi32>, %dwy: !tir.buffer<1x2x2x4xi8>, %fcw: !tir.buffer<5x32xi8>, %fcy: !tir.buffer<1x5xi8>, %pooled: !tir.buffer<1x2x2x2xi8>, %lhs: !tir.buffer<2x3xi8>, %rhs: !tir.buffer<3xi8>, %padded: !tir.buffer<1x6x6x2xi8>, %mean: !tir.buffer<1x2xi8>, %exp: !tir.buffer<256xi32>, %sig: !tir.buffer<256xi8>, %fl: !tir.buffer<2x3xf32>, %flat: !tir.buffer<6xi8>) {
  tir.func @operators(%x: !tir.buffer<1x4x4x2xi8>, %f: !tir.buffer<3x3x3x2xi8>, %bias: !tir.buffer<3xi32>, %y: !tir.buffer<1x2x2x3xi8>, %dwf: !tir.buffer<1x3x3x4xi8>, %dwb: !tir.buffer<4xi32>, %dwy: !tir.buffer<1x2x2x4xi8>, %fcw: !tir.buffer<5x32xi8>, %fcy: !tir.buffer<1x5xi8>, %pooled: !tir.buffer<1x2x2x2xi8>, %lhs: !tir.buffer<2x3xi8>, %rhs: !tir.buffer<3xi8>, %padded: !tir.buffer<1x6x6x2xi8>, %mean: !tir.buffer<1x2xi8>, %exp: !tir.buffer<256xi32>, %sig: !tir.buffer<256xi8>, %fl: !tir.buffer<2x3xf32>, %flat: !tir.buffer<6xi8>) {
    // CHECK-NEXT: tir.conv2d ins(%x, %f, %bias : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = -1 : i64, output_zp = 2 : i64, multiplier = array<i32: 1073741824, 1073741825, 1073741826>, shift = array<i32: -3, -2, -1>, act_min = -128 : i64, act_max = 127 : i64}
    tir.conv2d ins(%x, %f, %bias : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = -1 : i64, output_zp = 2 : i64, multiplier = array<i32: 1073741824, 1073741825, 1073741826>, shift = array<i32: -3, -2, -1>, act_min = -128 : i64, act_max = 127 : i64}
    // CHECK-NEXT: tir.conv2d ins(%x, %f : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0>, act_min = 0 : i64, act_max = 6 : i64, tir.note = "no bias"}
    tir.conv2d ins(%x, %f : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0>, act_min = 0 : i64, act_max = 6 : i64, tir.note = "no bias"}
    // CHECK-NEXT: tir.depthwise_conv2d ins(%x, %dwf, %dwb : !tir.buffer<1x4x4x2xi8>, !tir.buffer<1x3x3x4xi8>, !tir.buffer<4xi32>) outs(%dwy : !tir.buffer<1x2x2x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64, depth_multiplier = 2 : i64}
    tir.depthwise_conv2d ins(%x, %dwf, %dwb : !tir.buffer<1x4x4x2xi8>, !tir.buffer<1x3x3x4xi8>, !tir.buffer<4xi32>) outs(%dwy : !tir.buffer<1x2x2x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64, depth_multiplier = 2 : i64}
    // CHECK-NEXT: tir.fully_connected ins(%x, %fcw : !tir.buffer<1x4x4x2xi8>, !tir.buffer<5x32xi8>) outs(%fcy : !tir.buffer<1x5xi8>) {input_zp = 0 : i64, filter_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: 0>, act_min = -128 : i64, act_max = 127 : i64}
    tir.fully_connected ins(%x, %fcw : !tir.buffer<1x4x4x2xi8>, !tir.buffer<5x32xi8>) outs(%fcy : !tir.buffer<1x5xi8>) {input_zp = 0 : i64, filter_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: 0>, act_min = -128 : i64, act_max = 127 : i64}
    // CHECK-NEXT: tir.avg_pool2d ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%pooled : !tir.buffer<1x2x2x2xi8>) {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
    tir.avg_pool2d ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%pooled : !tir.buffer<1x2x2x2xi8>) {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
    // CHECK-NEXT: tir.max_pool2d ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%pooled : !tir.buffer<1x2x2x2xi8>) {window = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
    tir.max_pool2d ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%pooled : !tir.buffer<1x2x2x2xi8>) {window = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
    // CHECK-NEXT: tir.add ins(%lhs, %rhs : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>) outs(%lhs : !tir.buffer<2x3xi8>) {lhs_zp = -5 : i64, rhs_zp = 3 : i64, output_zp = 0 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1073741824 : i64, rhs_shift = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
    tir.add ins(%lhs, %rhs : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>) outs(%lhs : !tir.buffer<2x3xi8>) {lhs_zp = -5 : i64, rhs_zp = 3 : i64, output_zp = 0 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1073741824 : i64, rhs_shift = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
    // CHECK-NEXT: tir.sub ins(%lhs, %rhs : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>) outs(%lhs : !tir.buffer<2x3xi8>) {lhs_zp = -5 : i64, rhs_zp = 3 : i64, output_zp = 0 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1073741824 : i64, rhs_shift = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
    tir.sub ins(%lhs, %rhs : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>) outs(%lhs : !tir.buffer<2x3xi8>) {lhs_zp = -5 : i64, rhs_zp = 3 : i64, output_zp = 0 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1073741824 : i64, rhs_shift = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}
    // CHECK-NEXT: tir.mul ins(%lhs, %rhs : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>) outs(%lhs : !tir.buffer<2x3xi8>) {lhs_zp = 0 : i64, rhs_zp = 0 : i64, output_zp = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -6 : i64, act_min = -128 : i64, act_max = 127 : i64}
    tir.mul ins(%lhs, %rhs : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>) outs(%lhs : !tir.buffer<2x3xi8>) {lhs_zp = 0 : i64, rhs_zp = 0 : i64, output_zp = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -6 : i64, act_min = -128 : i64, act_max = 127 : i64}
    // CHECK-NEXT: tir.pad ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%padded : !tir.buffer<1x6x6x2xi8>) {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, pad_value = -128 : i64}
    tir.pad ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%padded : !tir.buffer<1x6x6x2xi8>) {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, pad_value = -128 : i64}
    // CHECK-NEXT: tir.mean ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%mean : !tir.buffer<1x2xi8>) {axes = array<i64: 1, 2>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = 1073741824 : i64, shift = -3 : i64}
    tir.mean ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%mean : !tir.buffer<1x2xi8>) {axes = array<i64: 1, 2>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = 1073741824 : i64, shift = -3 : i64}
    // CHECK-NEXT: tir.softmax ins(%lhs, %exp : !tir.buffer<2x3xi8>, !tir.buffer<256xi32>) outs(%lhs : !tir.buffer<2x3xi8>) {output_scale = 3.906250e-03 : f32, output_zp = -128 : i64}
    tir.softmax ins(%lhs, %exp : !tir.buffer<2x3xi8>, !tir.buffer<256xi32>) outs(%lhs : !tir.buffer<2x3xi8>) {output_scale = 3.906250e-03 : f32, output_zp = -128 : i64}
    // CHECK-NEXT: tir.logistic ins(%lhs, %sig : !tir.buffer<2x3xi8>, !tir.buffer<256xi8>) outs(%lhs : !tir.buffer<2x3xi8>)
    tir.logistic ins(%lhs, %sig : !tir.buffer<2x3xi8>, !tir.buffer<256xi8>) outs(%lhs : !tir.buffer<2x3xi8>)
    // CHECK-NEXT: tir.quantize ins(%fl : !tir.buffer<2x3xf32>) outs(%lhs : !tir.buffer<2x3xi8>) {scale = 5.000000e-01 : f32, zero_point = -1 : i64}
    tir.quantize ins(%fl : !tir.buffer<2x3xf32>) outs(%lhs : !tir.buffer<2x3xi8>) {scale = 5.000000e-01 : f32, zero_point = -1 : i64}
    // CHECK-NEXT: tir.dequantize ins(%lhs : !tir.buffer<2x3xi8>) outs(%fl : !tir.buffer<2x3xf32>) {scale = 5.000000e-01 : f32, zero_point = -1 : i64}
    tir.dequantize ins(%lhs : !tir.buffer<2x3xi8>) outs(%fl : !tir.buffer<2x3xf32>) {scale = 5.000000e-01 : f32, zero_point = -1 : i64}
    // CHECK-NEXT: tir.requantize ins(%lhs : !tir.buffer<2x3xi8>) outs(%lhs : !tir.buffer<2x3xi8>) {scale = 2.500000e-01 : f32, zero_point = 5 : i64, input_zp = -3 : i64, multiplier = 1073741824 : i64, shift = -1 : i64}
    tir.requantize ins(%lhs : !tir.buffer<2x3xi8>) outs(%lhs : !tir.buffer<2x3xi8>) {scale = 2.500000e-01 : f32, zero_point = 5 : i64, input_zp = -3 : i64, multiplier = 1073741824 : i64, shift = -1 : i64}
    // CHECK-NEXT: tir.copy ins(%lhs : !tir.buffer<2x3xi8>) outs(%flat : !tir.buffer<6xi8>)
    tir.copy ins(%lhs : !tir.buffer<2x3xi8>) outs(%flat : !tir.buffer<6xi8>)
  // CHECK-NEXT: }
  }
// CHECK-NEXT: }
}
