// The generic form of every tir op (the ops of roundtrip.mlir, printed with
// --print-op-generic): it parses, and generic -> custom -> generic and
// generic -> generic are exact. The custom form of roundtrip.mlir survives the
// trip through the generic form unchanged.
// RUN: tirconst-opt %s | tirconst-opt --print-op-generic | filecheck %s
// RUN: tirconst-opt %s --print-op-generic | filecheck %s
// RUN: tirconst-opt %S/roundtrip.mlir > %t.custom.mlir
// RUN: tirconst-opt %S/roundtrip.mlir --print-op-generic | tirconst-opt > %t.back.mlir
// RUN: diff %t.custom.mlir %t.back.mlir

// CHECK: "builtin.module"() ({
"builtin.module"() ({
  // CHECK-NEXT: "tir.pool"() <{sym_name = "sram", alignment = 16 : i64, size = 4096 : i64}> : () -> ()
  "tir.pool"() <{sym_name = "sram", alignment = 16 : i64, size = 4096 : i64}> : () -> ()
  // CHECK-NEXT: "tir.pool"() <{sym_name = "flash", alignment = 1 : i64, read_only}> {tir.note = "xip"} : () -> ()
  "tir.pool"() <{sym_name = "flash", alignment = 1 : i64, read_only}> {tir.note = "xip"} : () -> ()
  // CHECK-NEXT: "tir.pool"() <{sym_name = "dram", alignment = 1 : i64}> : () -> ()
  "tir.pool"() <{sym_name = "dram", alignment = 1 : i64}> : () -> ()
  // CHECK-NEXT: "tir.constant"() <{sym_name = "w", value = dense<[1, -2, 3, 4]> : tensor<4xi8>}> : () -> ()
  "tir.constant"() <{sym_name = "w", value = dense<[1, -2, 3, 4]> : tensor<4xi8>}> : () -> ()
  // CHECK-NEXT: "tir.constant"() <{sym_name = "placed", value = dense<[5, 6]> : tensor<2xi16>, placement = #tir.place<@flash, 64>}> {tir.note = "b"} : () -> ()
  "tir.constant"() <{sym_name = "placed", value = dense<[5, 6]> : tensor<2xi16>, placement = #tir.place<@flash, 64>}> {tir.note = "b"} : () -> ()
  // CHECK-NEXT: "tir.constant"() <{sym_name = "table", value = dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]> : tensor<17xi8>}> {tir.note = "shared"} : () -> ()
  "tir.constant"() <{sym_name = "table", value = dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]> : tensor<17xi8>}> {tir.note = "shared"} : () -> ()
  // CHECK-NEXT: "tir.func"() <{sym_name = "structure", param_names = ["input0", "output0"]}> ({
  "tir.func"() <{sym_name = "structure", param_names = ["input0", "output0"]}> ({
  // CHECK-NEXT: ^bb0(%input0: !tir.buffer<4xi8>, %output0: !tir.buffer<4xi32, "shared">):
  ^bb0(%input0: !tir.buffer<4xi8>, %output0: !tir.buffer<4xi32, "shared">):
    // CHECK-NEXT: %c0 = "arith.constant"() <{value = 0 : index}> : () -> index
    %c0 = "arith.constant"() <{value = 0 : index}> : () -> index
    // CHECK-NEXT: %c4 = "arith.constant"() <{value = 4 : index}> : () -> index
    %c4 = "arith.constant"() <{value = 4 : index}> : () -> index
    // CHECK-NEXT: %t = "arith.constant"() <{value = true}> : () -> i1
    %t = "arith.constant"() <{value = true}> : () -> i1
    // CHECK-NEXT: "tir.for"(%c0, %c4) <{kind = "serial"}> ({
    "tir.for"(%c0, %c4) <{kind = "serial"}> ({
    // CHECK-NEXT: ^bb0(%i: index):
    ^bb0(%i: index):
      // CHECK-NEXT: "tir.for"(%c0, %c4) <{kind = "parallel"}> ({
      "tir.for"(%c0, %c4) <{kind = "parallel"}> ({
      // CHECK-NEXT: ^bb0(%j: index):
      ^bb0(%j: index):
        // CHECK-NEXT: "tir.for"(%c0, %c4) <{kind = "vectorized"}> ({
        "tir.for"(%c0, %c4) <{kind = "vectorized"}> ({
        // CHECK-NEXT: ^bb0(%k: index):
        ^bb0(%k: index):
          // CHECK-NEXT: "tir.for"(%c0, %c4) <{kind = "unrolled"}> ({
          "tir.for"(%c0, %c4) <{kind = "unrolled"}> ({
          // CHECK-NEXT: ^bb0(%l: index):
          ^bb0(%l: index):
          // CHECK-NEXT: }) : (index, index) -> ()
          }) : (index, index) -> ()
        // CHECK-NEXT: }) : (index, index) -> ()
        }) : (index, index) -> ()
      // CHECK-NEXT: }) : (index, index) -> ()
      }) : (index, index) -> ()
    // CHECK-NEXT: }) : (index, index) -> ()
    }) : (index, index) -> ()
    // CHECK-NEXT: "tir.for"(%c0, %c4) <{kind = "serial"}> ({
    "tir.for"(%c0, %c4) <{kind = "serial"}> ({
    // CHECK-NEXT: ^bb0(%m: index):
    ^bb0(%m: index):
    // CHECK-NEXT: }) {tir.pragma = "keep"} : (index, index) -> ()
    }) {tir.pragma = "keep"} : (index, index) -> ()
    // CHECK-NEXT: "tir.if"(%t) ({
    "tir.if"(%t) ({
      // CHECK-NEXT: "tir.assert"(%t) <{message = "then"}> : (i1) -> ()
      "tir.assert"(%t) <{message = "then"}> : (i1) -> ()
    // CHECK-NEXT: }) : (i1) -> ()
    }) : (i1) -> ()
    // CHECK-NEXT: "tir.if"(%t) ({
    "tir.if"(%t) ({
      // CHECK-NEXT: "tir.assert"(%t) <{message = "then"}> : (i1) -> ()
      "tir.assert"(%t) <{message = "then"}> : (i1) -> ()
    // CHECK-NEXT: }, {
    }, {
      // CHECK-NEXT: "tir.assert"(%t) <{message = "a \22quoted\22 message"}> {tir.code = 7 : i64} : (i1) -> ()
      "tir.assert"(%t) <{message = "a \22quoted\22 message"}> {tir.code = 7 : i64} : (i1) -> ()
    // CHECK-NEXT: }) : (i1) -> ()
    }) : (i1) -> ()
    // CHECK-NEXT: "tir.call_extern"(%input0, %c0) <{callee = "foo"}> : (!tir.buffer<4xi8>, index) -> ()
    "tir.call_extern"(%input0, %c0) <{callee = "foo"}> : (!tir.buffer<4xi8>, index) -> ()
    // CHECK-NEXT: %r = "tir.call_extern"() <{callee = "bar"}> {tir.pure} : () -> i32
    %r = "tir.call_extern"() <{callee = "bar"}> {tir.pure} : () -> i32
  // CHECK-NEXT: }) {tir.noalias} : () -> ()
  }) {tir.noalias} : () -> ()
  // CHECK-NEXT: "tir.func"() <{sym_name = "buffers", param_names = ["x", "s"], param_placement = {x = #tir.place<@sram, 0>}, pool_sizes = {sram = 96 : i64}}> ({
  "tir.func"() <{sym_name = "buffers", param_names = ["x", "s"], param_placement = {x = #tir.place<@sram, 0>}, pool_sizes = {sram = 96 : i64}}> ({
  // CHECK-NEXT: ^bb0(%x: !tir.buffer<4x4xi8>, %s: !tir.buffer<i32>):
  ^bb0(%x: !tir.buffer<4x4xi8>, %s: !tir.buffer<i32>):
    // CHECK-NEXT: %c1 = "arith.constant"() <{value = 1 : index}> : () -> index
    %c1 = "arith.constant"() <{value = 1 : index}> : () -> index
    // CHECK-NEXT: %a = "tir.allocate"() : () -> !tir.buffer<16xi32>
    %a = "tir.allocate"() : () -> !tir.buffer<16xi32>
    // CHECK-NEXT: %b = "tir.allocate"() <{placement = #tir.place<@sram, 64>}> : () -> !tir.buffer<2x8xi16, "shared">
    %b = "tir.allocate"() <{placement = #tir.place<@sram, 64>}> : () -> !tir.buffer<2x8xi16, "shared">
    // CHECK-NEXT: %p = "tir.allocate_const"() <{symbol = @placed, placement = #tir.place<@flash, 64>}> : () -> !tir.buffer<2xi16>
    %p = "tir.allocate_const"() <{symbol = @placed, placement = #tir.place<@flash, 64>}> : () -> !tir.buffer<2xi16>
    // CHECK-NEXT: %q = "tir.allocate_const"() <{value = dense<[7, 8]> : tensor<2xi8>, placement = #tir.place<@flash, 0>}> {tir.note = "q"} : () -> !tir.buffer<2xi8>
    %q = "tir.allocate_const"() <{value = dense<[7, 8]> : tensor<2xi8>, placement = #tir.place<@flash, 0>}> {tir.note = "q"} : () -> !tir.buffer<2xi8>
    // CHECK-NEXT: %col = "tir.decl_buffer"(%x) <{offset = 1 : i64, strides = array<i64: 4>}> : (!tir.buffer<4x4xi8>) -> !tir.buffer<3xi8>
    %col = "tir.decl_buffer"(%x) <{offset = 1 : i64, strides = array<i64: 4>}> : (!tir.buffer<4x4xi8>) -> !tir.buffer<3xi8>
    // CHECK-NEXT: %box = "tir.decl_buffer"(%x) <{offset = 5 : i64, strides = array<i64: 4, 1>}> {tir.note = "2x2"} : (!tir.buffer<4x4xi8>) -> !tir.buffer<2x2xi8>
    %box = "tir.decl_buffer"(%x) <{offset = 5 : i64, strides = array<i64: 4, 1>}> {tir.note = "2x2"} : (!tir.buffer<4x4xi8>) -> !tir.buffer<2x2xi8>
    // CHECK-NEXT: %w = "tir.allocate_const"() <{symbol = @w}> : () -> !tir.buffer<4xi8>
    %w = "tir.allocate_const"() <{symbol = @w}> : () -> !tir.buffer<4xi8>
    // CHECK-NEXT: %tab = "tir.allocate_const"() <{symbol = @table}> : () -> !tir.buffer<17xi8>
    %tab = "tir.allocate_const"() <{symbol = @table}> : () -> !tir.buffer<17xi8>
    // CHECK-NEXT: %d = "tir.allocate_const"() <{value = dense<[1.500000e+00, -2.000000e+00]> : tensor<2xf32>}> : () -> !tir.buffer<2xf32>
    %d = "tir.allocate_const"() <{value = dense<[1.500000e+00, -2.000000e+00]> : tensor<2xf32>}> : () -> !tir.buffer<2xf32>
    // CHECK-NEXT: %e = "tir.allocate_const"() <{value = dense<{{\[}}{{\[}}{{\[}}-9000, -8000, -7000], {{\[}}-6000, -5000, -4000], {{\[}}-3000, -2000, -1000]], {{\[}}{{\[}}0, 1000, 2000], {{\[}}3000, 4000, 5000], {{\[}}6000, 7000, 8000]]]> : tensor<2x3x3xi32>}> {tir.note = "inline"} : () -> !tir.buffer<2x3x3xi32>
    %e = "tir.allocate_const"() <{value = dense<[[[-9000, -8000, -7000], [-6000, -5000, -4000], [-3000, -2000, -1000]], [[0, 1000, 2000], [3000, 4000, 5000], [6000, 7000, 8000]]]> : tensor<2x3x3xi32>}> {tir.note = "inline"} : () -> !tir.buffer<2x3x3xi32>
    // CHECK-NEXT: %row = "tir.decl_buffer"(%x) <{offset = 4 : i64}> : (!tir.buffer<4x4xi8>) -> !tir.buffer<4xi8>
    %row = "tir.decl_buffer"(%x) <{offset = 4 : i64}> : (!tir.buffer<4x4xi8>) -> !tir.buffer<4xi8>
    // CHECK-NEXT: %view = "tir.decl_buffer"(%b) <{offset = 0 : i64}> {tir.note = "view"} : (!tir.buffer<2x8xi16, "shared">) -> !tir.buffer<16xi16, "shared">
    %view = "tir.decl_buffer"(%b) <{offset = 0 : i64}> {tir.note = "view"} : (!tir.buffer<2x8xi16, "shared">) -> !tir.buffer<16xi16, "shared">
    // CHECK-NEXT: %flat = "tir.reshape"(%x) : (!tir.buffer<4x4xi8>) -> !tir.buffer<16xi8>
    %flat = "tir.reshape"(%x) : (!tir.buffer<4x4xi8>) -> !tir.buffer<16xi8>
    // CHECK-NEXT: %v = "tir.buffer_load"(%x, %c1, %c1) : (!tir.buffer<4x4xi8>, index, index) -> i8
    %v = "tir.buffer_load"(%x, %c1, %c1) : (!tir.buffer<4x4xi8>, index, index) -> i8
    // CHECK-NEXT: %v2 = "tir.buffer_load"(%row, %c1) {tir.note = "load"} : (!tir.buffer<4xi8>, index) -> i8
    %v2 = "tir.buffer_load"(%row, %c1) {tir.note = "load"} : (!tir.buffer<4xi8>, index) -> i8
    // CHECK-NEXT: "tir.buffer_store"(%v, %flat, %c1) : (i8, !tir.buffer<16xi8>, index) -> ()
    "tir.buffer_store"(%v, %flat, %c1) : (i8, !tir.buffer<16xi8>, index) -> ()
    // CHECK-NEXT: %n = "tir.buffer_load"(%s) : (!tir.buffer<i32>) -> i32
    %n = "tir.buffer_load"(%s) : (!tir.buffer<i32>) -> i32
    // CHECK-NEXT: "tir.buffer_store"(%n, %s) {tir.note = "store"} : (i32, !tir.buffer<i32>) -> ()
    "tir.buffer_store"(%n, %s) {tir.note = "store"} : (i32, !tir.buffer<i32>) -> ()
  // CHECK-NEXT: }) {tir.note = "p"} : () -> ()
  }) {tir.note = "p"} : () -> ()
  // CHECK-NEXT: "tir.func"() <{sym_name = "scalar", param_names = ["ub"]}> ({
  "tir.func"() <{sym_name = "scalar", param_names = ["ub"]}> ({
  // CHECK-NEXT: ^bb0(%ub: !tir.buffer<ui8>):
  ^bb0(%ub: !tir.buffer<ui8>):
    // CHECK-NEXT: %a = "arith.constant"() <{value = -7 : i32}> : () -> i32
    %a = "arith.constant"() <{value = -7 : i32}> : () -> i32
    // CHECK-NEXT: %b = "arith.constant"() <{value = 2 : i32}> : () -> i32
    %b = "arith.constant"() <{value = 2 : i32}> : () -> i32
    // CHECK-NEXT: %i = "arith.constant"() <{value = 5 : index}> : () -> index
    %i = "arith.constant"() <{value = 5 : index}> : () -> index
    // CHECK-NEXT: %u = "tir.buffer_load"(%ub) : (!tir.buffer<ui8>) -> ui8
    %u = "tir.buffer_load"(%ub) : (!tir.buffer<ui8>) -> ui8
    // CHECK-NEXT: %h = "arith.constant"() <{value = 1.500000e+00 : f16}> : () -> f16
    %h = "arith.constant"() <{value = 1.500000e+00 : f16}> : () -> f16
    // CHECK-NEXT: %c = "arith.constant"() <{value = true}> : () -> i1
    %c = "arith.constant"() <{value = true}> : () -> i1
    // CHECK-NEXT: %q = "tir.floordiv"(%a, %b) : (i32, i32) -> i32
    %q = "tir.floordiv"(%a, %b) : (i32, i32) -> i32
    // CHECK-NEXT: %qi = "tir.floordiv"(%i, %i) : (index, index) -> index
    %qi = "tir.floordiv"(%i, %i) : (index, index) -> index
    // CHECK-NEXT: %r = "tir.floormod"(%a, %b) : (i32, i32) -> i32
    %r = "tir.floormod"(%a, %b) : (i32, i32) -> i32
    // CHECK-NEXT: %mn = "tir.min"(%u, %u) : (ui8, ui8) -> ui8
    %mn = "tir.min"(%u, %u) : (ui8, ui8) -> ui8
    // CHECK-NEXT: %mx = "tir.max"(%h, %h) : (f16, f16) -> f16
    %mx = "tir.max"(%h, %h) : (f16, f16) -> f16
    // CHECK-NEXT: %mi = "tir.max"(%a, %b) {tir.note = "max"} : (i32, i32) -> i32
    %mi = "tir.max"(%a, %b) {tir.note = "max"} : (i32, i32) -> i32
    // CHECK-NEXT: %s = "tir.select"(%c, %a, %b) : (i1, i32, i32) -> i32
    %s = "tir.select"(%c, %a, %b) : (i1, i32, i32) -> i32
    // CHECK-NEXT: %sh = "tir.select"(%c, %h, %h) : (i1, f16, f16) -> f16
    %sh = "tir.select"(%c, %h, %h) : (i1, f16, f16) -> f16
    // CHECK-NEXT: %c8 = "tir.cast"(%a) : (i32) -> i8
    %c8 = "tir.cast"(%a) : (i32) -> i8
    // CHECK-NEXT: %cu = "tir.cast"(%u) : (ui8) -> i64
    %cu = "tir.cast"(%u) : (ui8) -> i64
    // CHECK-NEXT: %cf = "tir.cast"(%a) : (i32) -> f64
    %cf = "tir.cast"(%a) : (i32) -> f64
    // CHECK-NEXT: %cb = "tir.cast"(%h) : (f16) -> i1
    %cb = "tir.cast"(%h) : (f16) -> i1
    // CHECK-NEXT: %ci = "tir.cast"(%i) : (index) -> i32
    %ci = "tir.cast"(%i) : (index) -> i32
  // CHECK-NEXT: }) : () -> ()
  }) : () -> ()
  // CHECK-NEXT: "tir.func"() <{sym_name = "operators", param_names = ["x", "f", "bias", "y", "dwf", "dwb", "dwy", "fcw", "fcy", "pooled", "lhs", "rhs", "padded", "mean", "exp", "sig", "fl", "flat"]}> ({
  "tir.func"() <{sym_name = "operators", param_names = ["x", "f", "bias", "y", "dwf", "dwb", "dwy", "fcw", "fcy", "pooled", "lhs", "rhs", "padded", "mean", "exp", "sig", "fl", "flat"]}> ({
  // CHECK-NEXT: ^bb0(%x: !tir.buffer<1x4x4x2xi8>, %f: !tir.buffer<3x3x3x2xi8>, %bias: !tir.buffer<3xi32>, %y: !tir.buffer<1x2x2x3xi8>, %dwf: !tir.buffer<1x3x3x4xi8>, %dwb: !tir.buffer<4xi32>, %dwy: !tir.buffer<1x2x2x4xi8>, %fcw: !tir.buffer<5x32xi8>, %fcy: !tir.buffer<1x5xi8>, %pooled: !tir.buffer<1x2x2x2xi8>, %lhs: !tir.buffer<2x3xi8>, %rhs: !tir.buffer<3xi8>, %padded: !tir.buffer<1x6x6x2xi8>, %mean: !tir.buffer<1x2xi8>, %exp: !tir.buffer<256xi32>, %sig: !tir.buffer<256xi8>, %fl: !tir.buffer<2x3xf32>, %flat: !tir.buffer<6xi8>):
  ^bb0(%x: !tir.buffer<1x4x4x2xi8>, %f: !tir.buffer<3x3x3x2xi8>, %bias: !tir.buffer<3xi32>, %y: !tir.buffer<1x2x2x3xi8>, %dwf: !tir.buffer<1x3x3x4xi8>, %dwb: !tir.buffer<4xi32>, %dwy: !tir.buffer<1x2x2x4xi8>, %fcw: !tir.buffer<5x32xi8>, %fcy: !tir.buffer<1x5xi8>, %pooled: !tir.buffer<1x2x2x2xi8>, %lhs: !tir.buffer<2x3xi8>, %rhs: !tir.buffer<3xi8>, %padded: !tir.buffer<1x6x6x2xi8>, %mean: !tir.buffer<1x2xi8>, %exp: !tir.buffer<256xi32>, %sig: !tir.buffer<256xi8>, %fl: !tir.buffer<2x3xf32>, %flat: !tir.buffer<6xi8>):
    // CHECK-NEXT: "tir.conv2d"(%x, %f, %bias, %y) <{stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = -1 : i64, output_zp = 2 : i64, multiplier = array<i32: 1073741824, 1073741825, 1073741826>, shift = array<i32: -3, -2, -1>, act_min = -128 : i64, act_max = 127 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 1>}> : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>, !tir.buffer<1x2x2x3xi8>) -> ()
    "tir.conv2d"(%x, %f, %bias, %y) <{stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = -1 : i64, output_zp = 2 : i64, multiplier = array<i32: 1073741824, 1073741825, 1073741826>, shift = array<i32: -3, -2, -1>, act_min = -128 : i64, act_max = 127 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 1>}> : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>, !tir.buffer<1x2x2x3xi8>) -> ()
    // CHECK-NEXT: "tir.conv2d"(%x, %f, %y) <{stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0>, act_min = 0 : i64, act_max = 6 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 1>}> {tir.note = "no bias"} : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<1x2x2x3xi8>) -> ()
    "tir.conv2d"(%x, %f, %y) <{stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0>, act_min = 0 : i64, act_max = 6 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 1>}> {tir.note = "no bias"} : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<1x2x2x3xi8>) -> ()
    // CHECK-NEXT: "tir.depthwise_conv2d"(%x, %dwf, %dwb, %dwy) <{stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64, depth_multiplier = 2 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 1>}> : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<1x3x3x4xi8>, !tir.buffer<4xi32>, !tir.buffer<1x2x2x4xi8>) -> ()
    "tir.depthwise_conv2d"(%x, %dwf, %dwb, %dwy) <{stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64, depth_multiplier = 2 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 1>}> : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<1x3x3x4xi8>, !tir.buffer<4xi32>, !tir.buffer<1x2x2x4xi8>) -> ()
    // CHECK-NEXT: "tir.fully_connected"(%x, %fcw, %fcy) <{input_zp = 0 : i64, filter_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: 0>, act_min = -128 : i64, act_max = 127 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 1>}> : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<5x32xi8>, !tir.buffer<1x5xi8>) -> ()
    "tir.fully_connected"(%x, %fcw, %fcy) <{input_zp = 0 : i64, filter_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: 0>, act_min = -128 : i64, act_max = 127 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 1>}> : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<5x32xi8>, !tir.buffer<1x5xi8>) -> ()
    // CHECK-NEXT: "tir.avg_pool2d"(%x, %pooled) <{window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}> : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<1x2x2x2xi8>) -> ()
    "tir.avg_pool2d"(%x, %pooled) <{window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}> : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<1x2x2x2xi8>) -> ()
    // CHECK-NEXT: "tir.max_pool2d"(%x, %pooled) <{window = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}> : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<1x2x2x2xi8>) -> ()
    "tir.max_pool2d"(%x, %pooled) <{window = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}> : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<1x2x2x2xi8>) -> ()
    // CHECK-NEXT: "tir.add"(%lhs, %rhs, %lhs) <{lhs_zp = -5 : i64, rhs_zp = 3 : i64, output_zp = 0 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1073741824 : i64, rhs_shift = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}> : (!tir.buffer<2x3xi8>, !tir.buffer<3xi8>, !tir.buffer<2x3xi8>) -> ()
    "tir.add"(%lhs, %rhs, %lhs) <{lhs_zp = -5 : i64, rhs_zp = 3 : i64, output_zp = 0 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1073741824 : i64, rhs_shift = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}> : (!tir.buffer<2x3xi8>, !tir.buffer<3xi8>, !tir.buffer<2x3xi8>) -> ()
    // CHECK-NEXT: "tir.sub"(%lhs, %rhs, %lhs) <{lhs_zp = -5 : i64, rhs_zp = 3 : i64, output_zp = 0 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1073741824 : i64, rhs_shift = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}> : (!tir.buffer<2x3xi8>, !tir.buffer<3xi8>, !tir.buffer<2x3xi8>) -> ()
    "tir.sub"(%lhs, %rhs, %lhs) <{lhs_zp = -5 : i64, rhs_zp = 3 : i64, output_zp = 0 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1073741824 : i64, rhs_shift = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64}> : (!tir.buffer<2x3xi8>, !tir.buffer<3xi8>, !tir.buffer<2x3xi8>) -> ()
    // CHECK-NEXT: "tir.mul"(%lhs, %rhs, %lhs) <{lhs_zp = 0 : i64, rhs_zp = 0 : i64, output_zp = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -6 : i64, act_min = -128 : i64, act_max = 127 : i64}> : (!tir.buffer<2x3xi8>, !tir.buffer<3xi8>, !tir.buffer<2x3xi8>) -> ()
    "tir.mul"(%lhs, %rhs, %lhs) <{lhs_zp = 0 : i64, rhs_zp = 0 : i64, output_zp = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -6 : i64, act_min = -128 : i64, act_max = 127 : i64}> : (!tir.buffer<2x3xi8>, !tir.buffer<3xi8>, !tir.buffer<2x3xi8>) -> ()
    // CHECK-NEXT: "tir.pad"(%x, %padded) <{padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, pad_value = -128 : i64}> : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<1x6x6x2xi8>) -> ()
    "tir.pad"(%x, %padded) <{padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, pad_value = -128 : i64}> : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<1x6x6x2xi8>) -> ()
    // CHECK-NEXT: "tir.mean"(%x, %mean) <{axes = array<i64: 1, 2>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = 1073741824 : i64, shift = -3 : i64}> : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<1x2xi8>) -> ()
    "tir.mean"(%x, %mean) <{axes = array<i64: 1, 2>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = 1073741824 : i64, shift = -3 : i64}> : (!tir.buffer<1x4x4x2xi8>, !tir.buffer<1x2xi8>) -> ()
    // CHECK-NEXT: "tir.softmax"(%lhs, %exp, %lhs) <{output_scale = 3.906250e-03 : f32, output_zp = -128 : i64}> : (!tir.buffer<2x3xi8>, !tir.buffer<256xi32>, !tir.buffer<2x3xi8>) -> ()
    "tir.softmax"(%lhs, %exp, %lhs) <{output_scale = 3.906250e-03 : f32, output_zp = -128 : i64}> : (!tir.buffer<2x3xi8>, !tir.buffer<256xi32>, !tir.buffer<2x3xi8>) -> ()
    // CHECK-NEXT: "tir.logistic"(%lhs, %sig, %lhs) : (!tir.buffer<2x3xi8>, !tir.buffer<256xi8>, !tir.buffer<2x3xi8>) -> ()
    "tir.logistic"(%lhs, %sig, %lhs) : (!tir.buffer<2x3xi8>, !tir.buffer<256xi8>, !tir.buffer<2x3xi8>) -> ()
    // CHECK-NEXT: "tir.quantize"(%fl, %lhs) <{scale = 5.000000e-01 : f32, zero_point = -1 : i64}> : (!tir.buffer<2x3xf32>, !tir.buffer<2x3xi8>) -> ()
    "tir.quantize"(%fl, %lhs) <{scale = 5.000000e-01 : f32, zero_point = -1 : i64}> : (!tir.buffer<2x3xf32>, !tir.buffer<2x3xi8>) -> ()
    // CHECK-NEXT: "tir.dequantize"(%lhs, %fl) <{scale = 5.000000e-01 : f32, zero_point = -1 : i64}> : (!tir.buffer<2x3xi8>, !tir.buffer<2x3xf32>) -> ()
    "tir.dequantize"(%lhs, %fl) <{scale = 5.000000e-01 : f32, zero_point = -1 : i64}> : (!tir.buffer<2x3xi8>, !tir.buffer<2x3xf32>) -> ()
    // CHECK-NEXT: "tir.requantize"(%lhs, %lhs) <{scale = 2.500000e-01 : f32, zero_point = 5 : i64, input_zp = -3 : i64, multiplier = 1073741824 : i64, shift = -1 : i64}> : (!tir.buffer<2x3xi8>, !tir.buffer<2x3xi8>) -> ()
    "tir.requantize"(%lhs, %lhs) <{scale = 2.500000e-01 : f32, zero_point = 5 : i64, input_zp = -3 : i64, multiplier = 1073741824 : i64, shift = -1 : i64}> : (!tir.buffer<2x3xi8>, !tir.buffer<2x3xi8>) -> ()
    // CHECK-NEXT: "tir.copy"(%lhs, %flat) : (!tir.buffer<2x3xi8>, !tir.buffer<6xi8>) -> ()
    "tir.copy"(%lhs, %flat) : (!tir.buffer<2x3xi8>, !tir.buffer<6xi8>) -> ()
  // CHECK-NEXT: }) : () -> ()
  }) : () -> ()
// CHECK-NEXT: }) : () -> ()
}) : () -> ()
