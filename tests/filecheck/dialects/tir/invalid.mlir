// Every verifier rule of the tir dialect, one case each: the one-line
// diagnostic names the source line and column, the op and its function.
// --split-input-file runs each case alone and prints one line for it, so a
// case that unexpectedly verifies (and prints IR) breaks the CHECK-NEXT chain.
// RUN: tirconst-opt --split-input-file --verify-diagnostics %s | filecheck %s
// RUN: tirconst-opt --split-input-file --verify-diagnostics %s 2>&1 \
// RUN:   | filecheck %s --check-prefix=CLEAN

// CLEAN-NOT: Traceback
// CLEAN-NOT: internal error

// tir.constant: data must have a tensor type
// CHECK: {{.*}}invalid.mlir:[[# @LINE + 1]]:1: error: 'tir.constant' op: constant data must have a tensor type, got vector<4xi8>
"tir.constant"() <{sym_name = "w", value = dense<1> : vector<4xi8>}> : () -> ()

// -----

// tir.constant: the element type must be a TIR dtype
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:1: error: 'tir.constant' op: bf16 is not a TIR dtype (expected one of i1, i8, i16, i32, i64, ui8, ui16, ui32, f16, f32, f64)
"tir.constant"() <{sym_name = "w", value = dense<1.0> : tensor<4xbf16>}> : () -> ()

// -----

// tir.constant: index is not a TIR dtype
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:1: error: 'tir.constant' op: index is not a TIR dtype (expected one of i1, i8, i16, i32, i64, ui8, ui16, ui32, f16, f32, f64)
"tir.constant"() <{sym_name = "w", value = dense<1> : tensor<4xindex>}> : () -> ()

// -----

// tir.constant: the symbol name is required
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:1: error: 'tir.constant' op: property 'sym_name' expected in operation 'tir.constant'
"tir.constant"() <{value = dense<1> : tensor<4xi8>}> : () -> ()

// -----

// tir.constant: symbols are unique in the module
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}error: 'builtin.module' op: Redefinition of symbol "w"
tir.constant @w = dense<[1]> : tensor<1xi8>
tir.constant @w = dense<[2]> : tensor<1xi8>

// -----

// tir.allocate_const: needs data or a symbol
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.allocate_const' op in @f: tir.allocate_const needs exactly one of inline data or a symbol
"tir.func"() <{sym_name = "f", param_names = []}> ({
  %c = "tir.allocate_const"() : () -> !tir.buffer<4xi8>
}) : () -> ()

// -----

// tir.allocate_const: not both data and a symbol
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.allocate_const' op in @f: tir.allocate_const needs exactly one of inline data or a symbol
tir.constant @w = dense<[1, 2, 3, 4]> : tensor<4xi8>
"tir.func"() <{sym_name = "f", param_names = []}> ({
  %c = "tir.allocate_const"() <{symbol = @w, value = dense<1> : tensor<4xi8>}> : () -> !tir.buffer<4xi8>
}) : () -> ()

// -----

// tir.allocate_const: inline data of another element type
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.allocate_const' op in @f: constant data has element type i8, but the buffer holds i16
"tir.func"() <{sym_name = "f", param_names = []}> ({
  %c = "tir.allocate_const"() <{value = dense<1> : tensor<4xi8>}> : () -> !tir.buffer<4xi16>
}) : () -> ()

// -----

// tir.allocate_const: inline data of another shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.allocate_const' op in @f: constant data has shape [4], but the buffer has shape [2, 2]
"tir.func"() <{sym_name = "f", param_names = []}> ({
  %c = "tir.allocate_const"() <{value = dense<1> : tensor<4xi8>}> : () -> !tir.buffer<2x2xi8>
}) : () -> ()

// -----

// tir.allocate_const: inline data must be a tensor
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.allocate_const' op in @f: constant data must have a tensor type, got vector<4xi8>
"tir.func"() <{sym_name = "f", param_names = []}> ({
  %c = "tir.allocate_const"() <{value = dense<1> : vector<4xi8>}> : () -> !tir.buffer<4xi8>
}) : () -> ()

// -----

// tir.allocate_const: the result is a buffer
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.allocate_const' op in @f: result 'buffer' at position 0 does not verify:
"tir.func"() <{sym_name = "f", param_names = []}> ({
  %c = "tir.allocate_const"() <{value = dense<1> : tensor<4xi8>}> : () -> tensor<4xi8>
}) : () -> ()

// -----

// tir.allocate_const: a dangling symbol
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.allocate_const' op in @f: '@nowhere' does not name a tir.constant
tir.func @f() {
  %w = tir.allocate_const @nowhere : !tir.buffer<4xi8>
}

// -----

// tir.allocate_const: the symbol names something other than a tir.constant
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.allocate_const' op in @f: '@f' does not name a tir.constant
tir.func @f() {
  %w = tir.allocate_const @f : !tir.buffer<4xi8>
}

// -----

// tir.allocate_const: nested symbol references are not followed
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.allocate_const' op in @f: @w::@x must name a tir.constant of this module directly
tir.constant @w = dense<[1, 2, 3, 4]> : tensor<4xi8>
"tir.func"() <{sym_name = "f", param_names = []}> ({
  %c = "tir.allocate_const"() <{symbol = @w::@x}> : () -> !tir.buffer<4xi8>
}) : () -> ()

// -----

// tir.allocate_const: the symbol's data has another element type
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.allocate_const' op in @f: '@w': constant data has element type ui8, but the buffer holds i8
tir.constant @w = dense<[1, 2, 3, 4]> : tensor<4xui8>
tir.func @f() {
  %w = tir.allocate_const @w : !tir.buffer<4xi8>
}

// -----

// tir.allocate_const: the symbol's data has another shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.allocate_const' op in @f: '@w': constant data has shape [4], but the buffer has shape [2, 2]
tir.constant @w = dense<[1, 2, 3, 4]> : tensor<4xi8>
tir.func @f() {
  %w = tir.allocate_const @w : !tir.buffer<2x2xi8>
}

// -----

// tir.allocate_const: the symbol's data has more elements than the buffer
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.allocate_const' op in @f: '@w': constant data has shape [5], but the buffer has shape [4]
tir.constant @w = dense<[1, 2, 3, 4, 5]> : tensor<5xi8>
tir.func @f() {
  %w = tir.allocate_const @w : !tir.buffer<4xi8>
}

// -----

// tir.allocate_const: a constant in a nested module is not visible
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 5]]:3: error: 'tir.allocate_const' op in @f: '@w' does not name a tir.constant
builtin.module {
  tir.constant @w = dense<[1, 2, 3, 4]> : tensor<4xi8>
}
tir.func @f() {
  %w = tir.allocate_const @w : !tir.buffer<4xi8>
}

// -----

// tir.allocate: the result is a buffer
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.allocate' op in @f: result 'buffer' at position 0 does not verify:
"tir.func"() <{sym_name = "f", param_names = []}> ({
  %a = "tir.allocate"() : () -> memref<4xi8>
}) : () -> ()

// -----

// tir.decl_buffer: the view keeps the element type
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.decl_buffer' op in @f: view element type i16 differs from the source's i8
tir.func @f(%a : !tir.buffer<4xi8>) {
  %v = tir.decl_buffer %a[0] : !tir.buffer<4xi8> -> !tir.buffer<4xi16>
}

// -----

// tir.decl_buffer: the view stays inside the source
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.decl_buffer' op in @f: view of 3 elements at offset 2 exceeds the source's 4 elements
tir.func @f(%a : !tir.buffer<4xi8>) {
  %v = tir.decl_buffer %a[2] : !tir.buffer<4xi8> -> !tir.buffer<3xi8>
}

// -----

// tir.decl_buffer: the offset is not negative
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.decl_buffer' op in @f: view of 2 elements at offset -1 exceeds the source's 4 elements
tir.func @f(%a : !tir.buffer<4xi8>) {
  %v = tir.decl_buffer %a[-1] : !tir.buffer<4xi8> -> !tir.buffer<2xi8>
}

// -----

// tir.decl_buffer: the source is a buffer
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.decl_buffer' op in @f: operand 'source' at position 0 does not verify:
tir.func @f() {
  %t = arith.constant dense<0> : tensor<4xi8>
  %v = "tir.decl_buffer"(%t) <{offset = 0 : i64}> : (tensor<4xi8>) -> !tir.buffer<4xi8>
}

// -----

// tir.decl_buffer: the offset is an i64
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.decl_buffer' op in @f: Expected attribute i64 but got i32
"tir.func"() <{sym_name = "f", param_names = ["a"]}> ({
^bb0(%a: !tir.buffer<4xi8>):
  %v = "tir.decl_buffer"(%a) <{offset = 0 : i32}> : (!tir.buffer<4xi8>) -> !tir.buffer<4xi8>
}) : () -> ()

// -----

// tir.reshape: same element count
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.reshape' op in @f: reshape must keep the element type and count: !tir.buffer<4xi8> -> !tir.buffer<2x3xi8>
tir.func @f(%a : !tir.buffer<4xi8>) {
  %v = tir.reshape %a : !tir.buffer<4xi8> -> !tir.buffer<2x3xi8>
}

// -----

// tir.reshape: same element type
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.reshape' op in @f: reshape must keep the element type and count: !tir.buffer<4xi8> -> !tir.buffer<2x2xui8>
tir.func @f(%a : !tir.buffer<4xi8>) {
  %v = tir.reshape %a : !tir.buffer<4xi8> -> !tir.buffer<2x2xui8>
}

// -----

// tir.buffer_load: one index per dimension
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.buffer_load' op in @f: 1 indices given for a rank-2 buffer
tir.func @f(%a : !tir.buffer<4x4xi8>) {
  %c0 = arith.constant 0 : index
  %v = tir.buffer_load %a[%c0] : !tir.buffer<4x4xi8>
}

// -----

// tir.buffer_load: the result has the element type
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.buffer_load' op in @f: result type i32 differs from the buffer's element type i8
tir.func @f(%a : !tir.buffer<4xi8>) {
  %c0 = arith.constant 0 : index
  %v = "tir.buffer_load"(%a, %c0) : (!tir.buffer<4xi8>, index) -> i32
}

// -----

// tir.buffer_load: indices are index values
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.buffer_load' op in @f: operand 'indices' at position 1 does not verify:
tir.func @f(%a : !tir.buffer<4xi8>) {
  %i = arith.constant 0 : i32
  %v = "tir.buffer_load"(%a, %i) : (!tir.buffer<4xi8>, i32) -> i8
}

// -----

// tir.buffer_store: one index per dimension
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 4]]:3: error: 'tir.buffer_store' op in @f: 2 indices given for a rank-1 buffer
tir.func @f(%a : !tir.buffer<4xi8>) {
  %c0 = arith.constant 0 : index
  %v = arith.constant 0 : i8
  tir.buffer_store %v, %a[%c0, %c0] : !tir.buffer<4xi8>
}

// -----

// tir.buffer_store: the value has the element type
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 4]]:3: error: 'tir.buffer_store' op in @f: stored value has type i32, but the buffer holds i8
tir.func @f(%a : !tir.buffer<4xi8>) {
  %c0 = arith.constant 0 : index
  %v = arith.constant 0 : i32
  "tir.buffer_store"(%v, %a, %c0) : (i32, !tir.buffer<4xi8>, index) -> ()
}

// -----

// tir.func: one name per parameter
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:1: error: 'tir.func' op: 2 parameter names for 1 parameters
"tir.func"() <{sym_name = "f", param_names = ["a", "b"]}> ({
^bb0(%a: !tir.buffer<4xi8>):

}) : () -> ()

// -----

// tir.func: parameter names are identifiers
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:1: error: 'tir.func' op: parameter name 'a-b' is not an identifier
"tir.func"() <{sym_name = "f", param_names = ["a-b"]}> ({
^bb0(%a: !tir.buffer<4xi8>):

}) : () -> ()

// -----

// tir.func: parameter names are unique
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:1: error: 'tir.func' op: duplicate parameter name 'a'
"tir.func"() <{sym_name = "f", param_names = ["a", "a"]}> ({
^bb0(%a: !tir.buffer<4xi8>, %b: !tir.buffer<4xi8>):

}) : () -> ()

// -----

// tir.func: parameters are buffers
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:1: error: 'tir.func' op: parameter 'a' has type i32; parameters must be buffers
tir.func @f(%a : i32) {
}

// -----

// tir.func: the body is one block
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:1: error: 'tir.func' op: Region 'body' at position 0 expected a single block, but got 2 blocks
"tir.func"() <{sym_name = "f", param_names = []}> ({
^bb0:
  "test.op"() [^bb1] : () -> ()
^bb1:
}) : () -> ()

// -----

// tir.for: a known loop kind
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.for' op in @f: unknown loop kind 'sideways' (expected one of serial, parallel, vectorized, unrolled)
tir.func @f() {
  %c0 = arith.constant 0 : index
  "tir.for"(%c0, %c0) <{kind = "sideways"}> ({
  ^bb0(%i: index):
  }) : (index, index) -> ()
}

// -----

// tir.for: the body takes one index argument
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.for' op in @f: tir.for body must take one index argument
tir.func @f() {
  %c0 = arith.constant 0 : index
  "tir.for"(%c0, %c0) <{kind = "serial"}> ({
  ^bb0(%i: i32):
  }) : (index, index) -> ()
}

// -----

// tir.for: the body takes exactly one argument
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.for' op in @f: tir.for body must take one index argument
tir.func @f() {
  %c0 = arith.constant 0 : index
  "tir.for"(%c0, %c0) <{kind = "serial"}> ({
  ^bb0:
  }) : (index, index) -> ()
}

// -----

// tir.for: bounds are index values
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.for' op in @f: operand 'lb' at position 0 does not verify:
tir.func @f() {
  %c0 = arith.constant 0 : i32
  "tir.for"(%c0, %c0) <{kind = "serial"}> ({
  ^bb0(%i: index):
  }) : (i32, i32) -> ()
}

// -----

// tir.if: the condition is an i1
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.if' op in @f: operand 'cond' at position 0 does not verify:
tir.func @f() {
  %c = arith.constant 0 : i32
  "tir.if"(%c) ({
  }, {
  }) : (i32) -> ()
}

// -----

// tir.if: the then region has its block
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.if' op in @f: Region 'then_region' at position 0 expected a single block, but got 0 blocks
tir.func @f() {
  %c = arith.constant true
  "tir.if"(%c) ({}, {}) : (i1) -> ()
}

// -----

// tir.assert: the condition is an i1
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.assert' op in @f: operand 'cond' at position 0 does not verify:
tir.func @f() {
  %c = arith.constant 0 : i32
  "tir.assert"(%c) <{message = "m"}> : (i32) -> ()
}

// -----

// tir.call_extern: the callee is a string
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.call_extern' op in @f: @g should be of base attribute string
tir.func @f() {
  "tir.call_extern"() <{callee = @g}> : () -> ()
}

// -----

// tir.floordiv: integers only
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.floordiv' op in @f: expected an integer or index type, got f32
tir.func @f() {
  %a = arith.constant 1.0 : f32
  %q = tir.floordiv %a, %a : f32
}

// -----

// tir.floormod: integers only
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.floormod' op in @f: expected an integer or index type, got f64
tir.func @f() {
  %a = arith.constant 1.0 : f64
  %q = tir.floormod %a, %a : f64
}

// -----

// tir.min: scalars only
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.min' op in @f: expected a scalar type, got vector<4xi32>
tir.func @f() {
  %a = arith.constant dense<1> : vector<4xi32>
  %m = tir.min %a, %a : vector<4xi32>
}

// -----

// tir.max: scalars only
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.max' op in @f: expected a scalar type, got vector<4xi32>
tir.func @f() {
  %a = arith.constant dense<1> : vector<4xi32>
  %m = tir.max %a, %a : vector<4xi32>
}

// -----

// tir.max: operands and result have one type
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 4]]:3: error: 'tir.max' op in @f: operand 'rhs' at position 1 does not verify:
tir.func @f() {
  %a = arith.constant 1 : i32
  %b = arith.constant 1 : i16
  %m = "tir.max"(%a, %b) : (i32, i16) -> i32
}

// -----

// tir.floordiv: the result has the operands' type
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.floordiv' op in @f: result 'result' at position 0 does not verify:
tir.func @f() {
  %a = arith.constant 1 : i32
  %m = "tir.floordiv"(%a, %a) : (i32, i32) -> i16
}

// -----

// tir.select: the condition is an i1
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.select' op in @f: operand 'cond' at position 0 does not verify:
tir.func @f() {
  %a = arith.constant 1 : i32
  %s = "tir.select"(%a, %a, %a) : (i32, i32, i32) -> i32
}

// -----

// tir.select: both values have one type
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 5]]:3: error: 'tir.select' op in @f: operand 'false_value' at position 2 does not verify:
tir.func @f() {
  %c = arith.constant true
  %a = arith.constant 1 : i32
  %b = arith.constant 1 : i16
  %s = "tir.select"(%c, %a, %b) : (i1, i32, i16) -> i32
}

// -----

// tir.cast: from a scalar
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.cast' op in @f: tir.cast needs scalar types, got vector<4xi32>
tir.func @f() {
  %a = arith.constant dense<1> : vector<4xi32>
  %c = tir.cast %a : vector<4xi32> to i32
}

// -----

// tir.cast: to a scalar
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: 'tir.cast' op in @f: tir.cast needs scalar types, got vector<4xi32>
tir.func @f() {
  %a = arith.constant 1 : i32
  %c = tir.cast %a : i32 to vector<4xi32>
}

// -----

// tir.conv2d: rank-4 input
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: input must have rank 4, got shape [4, 4, 2]
tir.func @f(%x : !tir.buffer<4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: int8 filter
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: filter must be int8, got int16
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi16>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi16>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: int8 output
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: output must be int8, got uint8
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xui8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xui8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: the input's channels are the filter's times the groups
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: filter has 4 input channels and 3 outputs, input has 2 (a grouped convolution needs both divisible by the groups)
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x4xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x4xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: two dilation values
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: dilation must have 2 values, got 1
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: dilation >= 1
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: dilation values must be >= 1, got [1, 0]
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 0>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: two stride values
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: stride must have 2 values, got 3
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: stride >= 1
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: stride values must be >= 1, got [0, 1]
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 0, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: four pad values
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: pad must have 4 values, got 2
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: pad >= 0
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: pad values must be >= 0, got [0, -1, 0, 0]
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, -1, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: the window fits the padded input
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: a 3x3 window does not fit the 2x2 input with pad [0, 0, 0, 0]
tir.func @f(%x : !tir.buffer<1x2x2x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x1x1x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x2x2x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x1x1x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: the output shape follows from input, filter, stride and pad
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: output must have shape [1, 2, 2, 3], got [1, 4, 4, 3]
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x4x4x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x4x4x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: int32 bias
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: bias must be int32, got int8
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi8>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi8>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: one bias per output channel
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: bias must have shape [3], got [4]
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<4xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<4xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: one multiplier per output channel
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: multiplier must have 3 per-channel values, got 1
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: one shift per output channel
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: shift must have 3 per-channel values, got 2
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: a non-empty clamp
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: activation clamp [10, -10] must be a non-empty range in int8
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = 10, act_max = -10}
}

// -----

// tir.conv2d: the clamp lies in int8
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: activation clamp [-128, 128] must be a non-empty range in int8
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 128}
}

// -----

// tir.conv2d: parameters have their kinds
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: 2 : i64 should be of base attribute array
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = 2, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.conv2d: without bias, still verified
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: output must have shape [1, 2, 2, 3], got [1, 3, 3, 3]
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %y : !tir.buffer<1x3x3x3xi8>) {
  tir.conv2d ins(%x, %w : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>) outs(%y : !tir.buffer<1x3x3x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.depthwise_conv2d: filter [1, KH, KW, C*multiplier]
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.depthwise_conv2d' op in @f: filter must have shape [1, KH, KW, 4] for 2 channels x depth multiplier 2, got [1, 3, 3, 2]
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<1x3x3x2xi8>, %y : !tir.buffer<1x2x2x2xi8>) {
  tir.depthwise_conv2d ins(%x, %w : !tir.buffer<1x4x4x2xi8>, !tir.buffer<1x3x3x2xi8>) outs(%y : !tir.buffer<1x2x2x2xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1, 1>, shift = array<i32: 0, 0, 0, 0>, act_min = -128, act_max = 127, depth_multiplier = 2}
}

// -----

// tir.depthwise_conv2d: rank-4 output
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.depthwise_conv2d' op in @f: output must have rank 4, got shape [2, 2, 4]
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<1x3x3x4xi8>, %y : !tir.buffer<2x2x4xi8>) {
  tir.depthwise_conv2d ins(%x, %w : !tir.buffer<1x4x4x2xi8>, !tir.buffer<1x3x3x4xi8>) outs(%y : !tir.buffer<2x2x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1, 1>, shift = array<i32: 0, 0, 0, 0>, act_min = -128, act_max = 127, depth_multiplier = 2}
}

// -----

// tir.depthwise_conv2d: the output shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.depthwise_conv2d' op in @f: output must have shape [1, 2, 2, 4], got [1, 2, 2, 2]
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<1x3x3x4xi8>, %y : !tir.buffer<1x2x2x2xi8>) {
  tir.depthwise_conv2d ins(%x, %w : !tir.buffer<1x4x4x2xi8>, !tir.buffer<1x3x3x4xi8>) outs(%y : !tir.buffer<1x2x2x2xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1, 1, 1>, shift = array<i32: 0, 0, 0, 0>, act_min = -128, act_max = 127, depth_multiplier = 2}
}

// -----

// tir.depthwise_conv2d: per-channel multipliers
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.depthwise_conv2d' op in @f: multiplier must have 4 per-channel values, got 1
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<1x3x3x4xi8>, %y : !tir.buffer<1x2x2x4xi8>) {
  tir.depthwise_conv2d ins(%x, %w : !tir.buffer<1x4x4x2xi8>, !tir.buffer<1x3x3x4xi8>) outs(%y : !tir.buffer<1x2x2x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1>, shift = array<i32: 0, 0, 0, 0>, act_min = -128, act_max = 127, depth_multiplier = 2}
}

// -----

// tir.fully_connected: int8 data, or int16 in and out (16x8)
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.fully_connected' op in @f: output must be int16, got int8
tir.func @f(%x : !tir.buffer<2x8xi16>, %w : !tir.buffer<4x8xi8>, %y : !tir.buffer<2x4xi8>) {
  tir.fully_connected ins(%x, %w : !tir.buffer<2x8xi16>, !tir.buffer<4x8xi8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 0, filter_zp = 0, output_zp = 0, multiplier = array<i32: 1>, shift = array<i32: 0>, act_min = -128, act_max = 127}
}

// -----

// tir.fully_connected: a rank-2 filter
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.fully_connected' op in @f: filter must have rank 2, got shape [4, 8, 1]
tir.func @f(%x : !tir.buffer<2x8xi8>, %w : !tir.buffer<4x8x1xi8>, %y : !tir.buffer<2x4xi8>) {
  tir.fully_connected ins(%x, %w : !tir.buffer<2x8xi8>, !tir.buffer<4x8x1xi8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 0, filter_zp = 0, output_zp = 0, multiplier = array<i32: 1>, shift = array<i32: 0>, act_min = -128, act_max = 127}
}

// -----

// tir.fully_connected: the input is rows of the filter's K
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.fully_connected' op in @f: input of 15 elements is not rows of 8
tir.func @f(%x : !tir.buffer<3x5xi8>, %w : !tir.buffer<4x8xi8>, %y : !tir.buffer<2x4xi8>) {
  tir.fully_connected ins(%x, %w : !tir.buffer<3x5xi8>, !tir.buffer<4x8xi8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 0, filter_zp = 0, output_zp = 0, multiplier = array<i32: 1>, shift = array<i32: 0>, act_min = -128, act_max = 127}
}

// -----

// tir.fully_connected: the output holds the rows
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.fully_connected' op in @f: output must hold 2 rows of 4, got shape [2, 5]
tir.func @f(%x : !tir.buffer<2x8xi8>, %w : !tir.buffer<4x8xi8>, %y : !tir.buffer<2x5xi8>) {
  tir.fully_connected ins(%x, %w : !tir.buffer<2x8xi8>, !tir.buffer<4x8xi8>) outs(%y : !tir.buffer<2x5xi8>) {input_zp = 0, filter_zp = 0, output_zp = 0, multiplier = array<i32: 1>, shift = array<i32: 0>, act_min = -128, act_max = 127}
}

// -----

// tir.fully_connected: one bias per output channel
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.fully_connected' op in @f: bias must have shape [4], got [5]
tir.func @f(%x : !tir.buffer<2x8xi8>, %w : !tir.buffer<4x8xi8>, %b : !tir.buffer<5xi32>, %y : !tir.buffer<2x4xi8>) {
  tir.fully_connected ins(%x, %w, %b : !tir.buffer<2x8xi8>, !tir.buffer<4x8xi8>, !tir.buffer<5xi32>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 0, filter_zp = 0, output_zp = 0, multiplier = array<i32: 1>, shift = array<i32: 0>, act_min = -128, act_max = 127}
}

// -----

// tir.fully_connected: 1 or per-channel multipliers
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.fully_connected' op in @f: multiplier must have 4 per-channel values (or 1), got 2
tir.func @f(%x : !tir.buffer<2x8xi8>, %w : !tir.buffer<4x8xi8>, %y : !tir.buffer<2x4xi8>) {
  tir.fully_connected ins(%x, %w : !tir.buffer<2x8xi8>, !tir.buffer<4x8xi8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 0, filter_zp = 0, output_zp = 0, multiplier = array<i32: 1, 1>, shift = array<i32: 0>, act_min = -128, act_max = 127}
}

// -----

// tir.fully_connected: a valid clamp
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.fully_connected' op in @f: activation clamp [-129, 127] must be a non-empty range in int8
tir.func @f(%x : !tir.buffer<2x8xi8>, %w : !tir.buffer<4x8xi8>, %y : !tir.buffer<2x4xi8>) {
  tir.fully_connected ins(%x, %w : !tir.buffer<2x8xi8>, !tir.buffer<4x8xi8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 0, filter_zp = 0, output_zp = 0, multiplier = array<i32: 1>, shift = array<i32: 0>, act_min = -129, act_max = 127}
}

// -----

// tir.avg_pool2d: rank-4 input
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.avg_pool2d' op in @f: input must have rank 4, got shape [4, 4, 2]
tir.func @f(%x : !tir.buffer<4x4x2xi8>, %y : !tir.buffer<1x2x2x2xi8>) {
  tir.avg_pool2d ins(%x : !tir.buffer<4x4x2xi8>) outs(%y : !tir.buffer<1x2x2x2xi8>) {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.avg_pool2d: int8 data
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.avg_pool2d' op in @f: output must be int8 or int16, got int32
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %y : !tir.buffer<1x2x2x2xi32>) {
  tir.avg_pool2d ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%y : !tir.buffer<1x2x2x2xi32>) {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.avg_pool2d: two window values
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.avg_pool2d' op in @f: window must have 2 values, got 1
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %y : !tir.buffer<1x2x2x2xi8>) {
  tir.avg_pool2d ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%y : !tir.buffer<1x2x2x2xi8>) {window = array<i64: 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.avg_pool2d: window >= 1
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.avg_pool2d' op in @f: window values must be >= 1, got [0, 2]
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %y : !tir.buffer<1x2x2x2xi8>) {
  tir.avg_pool2d ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%y : !tir.buffer<1x2x2x2xi8>) {window = array<i64: 0, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.max_pool2d: the window fits
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.max_pool2d' op in @f: a 5x5 window does not fit the 4x4 input with pad [0, 0, 0, 0]
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %y : !tir.buffer<1x2x2x2xi8>) {
  tir.max_pool2d ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%y : !tir.buffer<1x2x2x2xi8>) {window = array<i64: 5, 5>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.max_pool2d: the output shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.max_pool2d' op in @f: output must have shape [1, 2, 2, 2], got [1, 2, 2, 4]
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %y : !tir.buffer<1x2x2x4xi8>) {
  tir.max_pool2d ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%y : !tir.buffer<1x2x2x4xi8>) {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// tir.max_pool2d: a valid clamp
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.max_pool2d' op in @f: activation clamp [127, 0] must be a non-empty range in int8
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %y : !tir.buffer<1x2x2x2xi8>) {
  tir.max_pool2d ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%y : !tir.buffer<1x2x2x2xi8>) {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = 127, act_max = 0}
}

// -----

// tir.add: int8 operands
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.add' op in @f: rhs must be int8, got int16
tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi16>, %y : !tir.buffer<2x3xi8>) {
  tir.add ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi16>) outs(%y : !tir.buffer<2x3xi8>) {lhs_zp = 0, rhs_zp = 0, output_zp = 0, left_shift = 20, lhs_multiplier = 1, lhs_shift = 0, rhs_multiplier = 1, rhs_shift = 0, output_multiplier = 1, output_shift = 0, act_min = -128, act_max = 127}
}

// -----

// tir.add: shapes broadcast
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.add' op in @f: shapes [2, 3] and [4] do not broadcast
tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<4xi8>, %y : !tir.buffer<2x3xi8>) {
  tir.add ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<4xi8>) outs(%y : !tir.buffer<2x3xi8>) {lhs_zp = 0, rhs_zp = 0, output_zp = 0, left_shift = 20, lhs_multiplier = 1, lhs_shift = 0, rhs_multiplier = 1, rhs_shift = 0, output_multiplier = 1, output_shift = 0, act_min = -128, act_max = 127}
}

// -----

// tir.sub: the output has the broadcast shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.sub' op in @f: output must have the broadcast shape [2, 3], got [3]
tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi8>, %y : !tir.buffer<3xi8>) {
  tir.sub ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>) outs(%y : !tir.buffer<3xi8>) {lhs_zp = 0, rhs_zp = 0, output_zp = 0, left_shift = 20, lhs_multiplier = 1, lhs_shift = 0, rhs_multiplier = 1, rhs_shift = 0, output_multiplier = 1, output_shift = 0, act_min = -128, act_max = 127}
}

// -----

// tir.sub: a valid clamp
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.sub' op in @f: activation clamp [-128, 300] must be a non-empty range in int8
tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi8>, %y : !tir.buffer<2x3xi8>) {
  tir.sub ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>) outs(%y : !tir.buffer<2x3xi8>) {lhs_zp = 0, rhs_zp = 0, output_zp = 0, left_shift = 20, lhs_multiplier = 1, lhs_shift = 0, rhs_multiplier = 1, rhs_shift = 0, output_multiplier = 1, output_shift = 0, act_min = -128, act_max = 300}
}

// -----

// tir.mul: int8 output
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.mul' op in @f: output must be int8, got int32
tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi8>, %y : !tir.buffer<2x3xi32>) {
  tir.mul ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>) outs(%y : !tir.buffer<2x3xi32>) {lhs_zp = 0, rhs_zp = 0, output_zp = 0, output_multiplier = 1, output_shift = 0, act_min = -128, act_max = 127}
}

// -----

// tir.mul: shapes broadcast
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.mul' op in @f: shapes [2, 3] and [2] do not broadcast
tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<2xi8>, %y : !tir.buffer<2x3xi8>) {
  tir.mul ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<2xi8>) outs(%y : !tir.buffer<2x3xi8>) {lhs_zp = 0, rhs_zp = 0, output_zp = 0, output_multiplier = 1, output_shift = 0, act_min = -128, act_max = 127}
}

// -----

// tir.pad: two padding values per dimension
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.pad' op in @f: padding must have 4 values, got 2
tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<4x5xi8>) {
  tir.pad ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<4x5xi8>) {padding = array<i64: 1, 1>, pad_value = 0}
}

// -----

// tir.pad: padding >= 0
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.pad' op in @f: padding must be >= 0, got [1, -1, 0, 0]
tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<2x3xi8>) {
  tir.pad ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2x3xi8>) {padding = array<i64: 1, -1, 0, 0>, pad_value = 0}
}

// -----

// tir.pad: one element type
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.pad' op in @f: input and output element types differ
tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<4x5xi16>) {
  tir.pad ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<4x5xi16>) {padding = array<i64: 1, 1, 1, 1>, pad_value = 0}
}

// -----

// tir.pad: the output shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.pad' op in @f: output must have shape [4, 5], got [4, 4]
tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<4x4xi8>) {
  tir.pad ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<4x4xi8>) {padding = array<i64: 1, 1, 1, 1>, pad_value = 0}
}

// -----

// tir.pad: the pad value fits the dtype
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.pad' op in @f: pad_value 128 does not fit int8
tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<4x5xi8>) {
  tir.pad ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<4x5xi8>) {padding = array<i64: 1, 1, 1, 1>, pad_value = 128}
}

// -----

// tir.mean: int8 data
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.mean' op in @f: input must be int8 or int16, got uint8
tir.func @f(%x : !tir.buffer<1x4x4x2xui8>, %y : !tir.buffer<1x2xi8>) {
  tir.mean ins(%x : !tir.buffer<1x4x4x2xui8>) outs(%y : !tir.buffer<1x2xi8>) {axes = array<i64: 1, 2>, input_zp = 0, output_zp = 0, multiplier = 1, shift = 0}
}

// -----

// tir.mean: axes in range
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.mean' op in @f: axes [1, 4] out of range for rank 4
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %y : !tir.buffer<1x2xi8>) {
  tir.mean ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%y : !tir.buffer<1x2xi8>) {axes = array<i64: 1, 4>, input_zp = 0, output_zp = 0, multiplier = 1, shift = 0}
}

// -----

// tir.mean: the output keeps or drops the reduced axes
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.mean' op in @f: output must have shape [1, 1, 1, 2] or [1, 2], got [1, 4, 2]
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %y : !tir.buffer<1x4x2xi8>) {
  tir.mean ins(%x : !tir.buffer<1x4x4x2xi8>) outs(%y : !tir.buffer<1x4x2xi8>) {axes = array<i64: 1, 2>, input_zp = 0, output_zp = 0, multiplier = 1, shift = 0}
}

// -----

// tir.softmax: int8 input
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.softmax' op in @f: input must be int8, got int16
tir.func @f(%x : !tir.buffer<1x10xi16>, %t : !tir.buffer<256xi32>, %y : !tir.buffer<1x10xi8>) {
  tir.softmax ins(%x, %t : !tir.buffer<1x10xi16>, !tir.buffer<256xi32>) outs(%y : !tir.buffer<1x10xi8>) {output_scale = 0.00390625 : f32, output_zp = -128}
}

// -----

// tir.softmax: the output has the input's shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.softmax' op in @f: output must have shape [1, 10], got [10]
tir.func @f(%x : !tir.buffer<1x10xi8>, %t : !tir.buffer<256xi32>, %y : !tir.buffer<10xi8>) {
  tir.softmax ins(%x, %t : !tir.buffer<1x10xi8>, !tir.buffer<256xi32>) outs(%y : !tir.buffer<10xi8>) {output_scale = 0.00390625 : f32, output_zp = -128}
}

// -----

// tir.softmax: an int32 table
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.softmax' op in @f: table must be int32, got int8
tir.func @f(%x : !tir.buffer<1x10xi8>, %t : !tir.buffer<256xi8>, %y : !tir.buffer<1x10xi8>) {
  tir.softmax ins(%x, %t : !tir.buffer<1x10xi8>, !tir.buffer<256xi8>) outs(%y : !tir.buffer<1x10xi8>) {output_scale = 0.00390625 : f32, output_zp = -128}
}

// -----

// tir.logistic: a 256-entry table
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.logistic' op in @f: table must have shape [256], got [128]
tir.func @f(%x : !tir.buffer<16xi8>, %t : !tir.buffer<128xi8>, %y : !tir.buffer<16xi8>) {
  tir.logistic ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<128xi8>) outs(%y : !tir.buffer<16xi8>)
}

// -----

// tir.logistic: an int8 table
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.logistic' op in @f: table must be int8, got float32
tir.func @f(%x : !tir.buffer<16xi8>, %t : !tir.buffer<256xf32>, %y : !tir.buffer<16xi8>) {
  tir.logistic ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xf32>) outs(%y : !tir.buffer<16xi8>)
}

// -----

// tir.quantize: float32 input
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.quantize' op in @f: input must be float32, got float16
tir.func @f(%x : !tir.buffer<8xf16>, %y : !tir.buffer<8xi8>) {
  tir.quantize ins(%x : !tir.buffer<8xf16>) outs(%y : !tir.buffer<8xi8>) {scale = 0.5 : f32, zero_point = 0}
}

// -----

// tir.quantize: an int8 output
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.quantize' op in @f: output must be int8, got int32
tir.func @f(%x : !tir.buffer<8xf32>, %y : !tir.buffer<8xi32>) {
  tir.quantize ins(%x : !tir.buffer<8xf32>) outs(%y : !tir.buffer<8xi32>) {scale = 0.5 : f32, zero_point = 0}
}

// -----

// tir.quantize: the output has the input's shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.quantize' op in @f: output must have shape [8], got [2, 4]
tir.func @f(%x : !tir.buffer<8xf32>, %y : !tir.buffer<2x4xi8>) {
  tir.quantize ins(%x : !tir.buffer<8xf32>) outs(%y : !tir.buffer<2x4xi8>) {scale = 0.5 : f32, zero_point = 0}
}

// -----

// tir.neg: int8, int16 or float32 data
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.neg' op in @f: input must be int8 or int16 or float32, got float64
tir.func @f(%x : !tir.buffer<8xf64>, %y : !tir.buffer<8xf64>) {
  tir.neg ins(%x : !tir.buffer<8xf64>) outs(%y : !tir.buffer<8xf64>)
}

// -----

// tir.neg: float32 in, float32 out
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.neg' op in @f: input and output element types differ
tir.func @f(%x : !tir.buffer<8xf32>, %y : !tir.buffer<8xi8>) {
  tir.neg ins(%x : !tir.buffer<8xf32>) outs(%y : !tir.buffer<8xi8>)
}

// -----

// tir.sequence_lstm: int32 biases
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.sequence_lstm' op in @f: input_gate_bias must be int32, got int8
tir.func @f(%x : !tir.buffer<1x3x2xi8>, %w : !tir.buffer<4x2xi8>, %r : !tir.buffer<4x4xi8>, %b : !tir.buffer<4xi8>, %y : !tir.buffer<1x3x4xi8>) {
  tir.sequence_lstm ins(%x, %w, %w, %w, %w, %r, %r, %r, %r, %b, %b, %b, %b : !tir.buffer<1x3x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4xi8>, !tir.buffer<4xi8>, !tir.buffer<4xi8>, !tir.buffer<4xi8>) outs(%y : !tir.buffer<1x3x4xi8>) {time_major = 0, input_zp = 0, output_state_zp = -5, hidden_zp = -5, multiplier = array<i64: 1, 1, 1, 1, 1, 1, 1, 1>, shift = array<i64: 3, 3, 3, 3, 3, 3, 3, 3>, hidden_multiplier = 1, hidden_shift = -22, cell_scale_log2 = -15, cell_clip = 0}
}

// -----

// tir.sequence_lstm: the cell scale is 2^-30 .. 2^1
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.sequence_lstm' op in @f: cell_scale_log2 must be in [-30, 1], got -31
tir.func @f(%x : !tir.buffer<1x3x2xi8>, %w : !tir.buffer<4x2xi8>, %r : !tir.buffer<4x4xi8>, %b : !tir.buffer<4xi32>, %y : !tir.buffer<1x3x4xi8>) {
  tir.sequence_lstm ins(%x, %w, %w, %w, %w, %r, %r, %r, %r, %b, %b, %b, %b : !tir.buffer<1x3x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4xi32>, !tir.buffer<4xi32>, !tir.buffer<4xi32>, !tir.buffer<4xi32>) outs(%y : !tir.buffer<1x3x4xi8>) {time_major = 0, input_zp = 0, output_state_zp = -5, hidden_zp = -5, multiplier = array<i64: 1, 1, 1, 1, 1, 1, 1, 1>, shift = array<i64: 3, 3, 3, 3, 3, 3, 3, 3>, hidden_multiplier = 1, hidden_shift = -22, cell_scale_log2 = -31, cell_clip = 0}
}

// -----

// tir.dequantize: an int8 input
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.dequantize' op in @f: input must be int8, got int32
tir.func @f(%x : !tir.buffer<8xi32>, %y : !tir.buffer<8xf32>) {
  tir.dequantize ins(%x : !tir.buffer<8xi32>) outs(%y : !tir.buffer<8xf32>) {scale = 0.5 : f32, zero_point = 0}
}

// -----

// tir.dequantize: float32 output
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.dequantize' op in @f: output must be float32, got float64
tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xf64>) {
  tir.dequantize ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xf64>) {scale = 0.5 : f32, zero_point = 0}
}

// -----

// tir.dequantize: the output has the input's shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.dequantize' op in @f: output must have shape [8], got [4]
tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<4xf32>) {
  tir.dequantize ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<4xf32>) {scale = 0.5 : f32, zero_point = 0}
}

// -----

// tir.requantize: int8 input
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.requantize' op in @f: input must be int8 or int16, got uint8
tir.func @f(%x : !tir.buffer<8xui8>, %y : !tir.buffer<8xi8>) {
  tir.requantize ins(%x : !tir.buffer<8xui8>) outs(%y : !tir.buffer<8xi8>) {scale = 0.5 : f32, zero_point = 0, input_zp = 0, multiplier = 1073741824, shift = 0}
}

// -----

// tir.requantize: int8 or int16 output
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.requantize' op in @f: output must be int8 or int16, got int32
tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xi32>) {
  tir.requantize ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xi32>) {scale = 0.5 : f32, zero_point = 0, input_zp = 0, multiplier = 1073741824, shift = 0}
}

// -----

// tir.requantize: the output has the input's shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.requantize' op in @f: output must have shape [8], got [2, 4]
tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<2x4xi8>) {
  tir.requantize ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<2x4xi8>) {scale = 0.5 : f32, zero_point = 0, input_zp = 0, multiplier = 1073741824, shift = 0}
}

// -----

// tir.copy: equal sizes
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.copy' op in @f: copy needs equal element types and sizes, got !tir.buffer<2x3xi8> and !tir.buffer<5xi8>
tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<5xi8>) {
  tir.copy ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<5xi8>)
}

// -----

// tir.copy: equal element types
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 2]]:3: error: 'tir.copy' op in @f: copy needs equal element types and sizes, got !tir.buffer<2x3xi8> and !tir.buffer<6xui8>
tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<6xui8>) {
  tir.copy ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<6xui8>)
}
