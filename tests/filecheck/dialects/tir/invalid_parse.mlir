// Malformed text: each case is refused while parsing with a one-line diagnostic
// at the offending line and column (never a traceback).
// --split-input-file runs each case alone and prints one line for it.
// RUN: tirconst-opt --split-input-file --parsing-diagnostics %s | filecheck %s
// RUN: tirconst-opt --split-input-file --parsing-diagnostics %s 2>&1 \
// RUN:   | filecheck %s --check-prefix=CLEAN

// CLEAN-NOT: Traceback
// CLEAN-NOT: internal error

// elided data is refused
// CHECK: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:25: error: constant data was elided when this text was printed; elided text is for reading only and cannot be parsed back
tir.constant @w = elided<4 bytes> : tensor<4xi8>

// -----

// elided inline data is refused
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 2]]:33: error: constant data was elided when this text was printed; elided text is for reading only and cannot be parsed back
tir.func @f() {
  %w = tir.allocate_const elided<400 bytes> : !tir.buffer<100xi32>
}

// -----

// hex data starts with 0x
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:25: error: expected a hex string "0x..."
tir.constant @w = dense<"0102"> : tensor<2xi8>

// -----

// hex data has whole bytes
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: malformed hex constant data
tir.constant @w = dense<"0x01020"> : tensor<2xi8>

// -----

// hex data has hex digits
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: malformed hex constant data
tir.constant @w = dense<"0x01zz"> : tensor<2xi8>

// -----

// hex data has the buffer's size: too many bytes
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: constant data has 3 bytes, but [2] x i8 needs 2
tir.constant @w = dense<"0x010203"> : tensor<2xi8>

// -----

// hex data has the buffer's size: too few bytes
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 2]]:27: error: constant data has 2 bytes, but [2] x i16 needs 4
tir.func @f() {
  %w = tir.allocate_const dense<"0x0100"> : !tir.buffer<2xi16>
}

// -----

// a list has the buffer's element count
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: constant data has 3 elements, but shape [2] holds 2
tir.constant @w = dense<[1, 2, 3]> : tensor<2xi8>

// -----

// inline data has the buffer's element count
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 2]]:27: error: constant data has 3 elements, but shape [2, 2] holds 4
tir.func @f() {
  %w = tir.allocate_const dense<[1, 2, 3]> : !tir.buffer<2x2xi8>
}

// -----

// values fit the dtype
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: value 200 does not fit in int8
tir.constant @w = dense<[1, 200]> : tensor<2xi8>

// -----

// unsigned values are not negative
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: value -1 does not fit in uint8
tir.constant @w = dense<[-1, 2]> : tensor<2xui8>

// -----

// 64-bit values fit
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: value 9223372036854775808 does not fit in int64
tir.constant @w = dense<[9223372036854775808]> : tensor<1xi64>

// -----

// integers are not floats
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: value 2.5 does not fit in int32
tir.constant @w = dense<[1, 2.5]> : tensor<2xi32>

// -----

// bools are true, false, 0 or 1
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: value 2 is not a bool (true/false, 0/1)
tir.constant @w = dense<[true, 2]> : tensor<2xi1>

// -----

// booleans only in bool data
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: boolean true in int8 data
tir.constant @w = dense<[true, false]> : tensor<2xi8>

// -----

// booleans are not floats
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: boolean false in float32 data
tir.constant @w = dense<[1.0, false]> : tensor<2xf32>

// -----

// floats in range of float32
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: value 1e+39 is out of range for float32
tir.constant @w = dense<[1.0e39]> : tensor<1xf32>

// -----

// floats in range of float16
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 2]]:27: error: value 65520.0 is out of range for float16
tir.func @f() {
  %w = tir.allocate_const dense<[65520.0]> : !tir.buffer<1xf16>
}

// -----

// floats in range of float64
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: a value is out of range for float64
tir.constant @w = dense<[1.0e309]> : tensor<1xf64>

// -----

// nested lists are rectangular
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:37: error: nested lists of constant data must all have the same shape
tir.constant @w = dense<[[1, 2, 3], [4]]> : tensor<2x2xi8>

// -----

// nested lists have the type's shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: constant data has shape [3, 2], but the type has shape [2, 3]
tir.constant @w = dense<[[1, 2], [3, 4], [5, 6]]> : tensor<2x3xi8>

// -----

// tir.constant data has a tensor type
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: tir.constant data must have a tensor type
tir.constant @w = dense<[1, 2]> : !tir.buffer<2xi8>

// -----

// tir.constant data has a static shape
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: constant data must have a static shape
tir.constant @w = dense<[1, 2]> : tensor<?xi8>

// -----

// tir.constant data has a TIR dtype
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:19: error: bf16 is not a TIR dtype (expected one of i1, i8, i16, i32, i64, ui8, ui16, ui32, f16, f32, f64)
tir.constant @w = dense<[1, 2]> : tensor<2xbf16>

// -----

// tir.allocate_const produces a buffer
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 2]]:27: error: tir.allocate_const must produce a !tir.buffer
tir.func @f() {
  %w = tir.allocate_const dense<[1]> : tensor<1xi8>
}

// -----

// tir.allocate_const takes data or a symbol
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 2]]:27: error: Expected 'dense'
tir.func @f() {
  %w = tir.allocate_const 42 : !tir.buffer<1xi8>
}

// -----

// buffer dtypes are TIR dtypes
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:30: error: bf16 is not a TIR dtype (expected one of i1, i8, i16, i32, i64, ui8, ui16, ui32, f16, f32, f64)
tir.func @f(%a : !tir.buffer<4xbf16>) {

}

// -----

// 4-bit integers are not a TIR dtype
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:30: error: i4 is not a TIR dtype (expected one of i1, i8, i16, i32, i64, ui8, ui16, ui32, f16, f32, f64)
tir.func @f(%a : !tir.buffer<4xi4>) {

}

// -----

// buffer dimensions are static
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:35: error: tir.buffer dimensions must be static
tir.func @f(%a : !tir.buffer<?xi8>) {

}

// -----

// the memory scope is a string
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:36: error: string literal expected for the memory scope
tir.func @f(%a : !tir.buffer<4xi8, global>) {

}

// -----

// function parameters are named
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:12: error: parameter %0 needs a name (tools use it as a key)
tir.func @f(%0 : !tir.buffer<4xi8>) {

}

// -----

// loop kinds are known
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 3]]:25: error: unknown loop kind 'sideways' (expected one of serial, parallel, vectorized, unrolled)
tir.func @f() {
  %c = arith.constant 0 : index
  tir.for %i = %c to %c sideways {
  }
}

// -----

// loops need `to`
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 3]]:19: error: Expected 'to'
tir.func @f() {
  %c = arith.constant 0 : index
  tir.for %i = %c %c {
  }
}

// -----

// unknown ops are refused
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 2]]:23: error: Operation tir.frobnicate is not registered
tir.func @f(%x : !tir.buffer<4xi8>) {
  %y = tir.frobnicate %x : i32
}

// -----

// unknown dialects are refused
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:15: error: Operation nope.op is not registered
%x = "nope.op"() : () -> ()

// -----

// tir.buffer_load reads a buffer
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 3]]:24: error: expected a !tir.buffer type
tir.func @f(%a : !tir.buffer<4xi8>) {
  %c = arith.constant 0 : index
  %v = tir.buffer_load %a[%c] : memref<4xi8>
}

// -----

// tir.buffer_store writes a buffer
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 4]]:20: error: expected a !tir.buffer type
tir.func @f(%a : !tir.buffer<4xi8>) {
  %c = arith.constant 0 : index
  %v = arith.constant 0 : i8
  tir.buffer_store %v, %a[%c] : tensor<4xi8>
}

// -----

// tir.buffer_load operands have their declared types
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 3]]:27: error: operand is used with type index, but has been previously used or defined with type i32
tir.func @f(%a : !tir.buffer<4xi8>) {
  %c = arith.constant 0 : i32
  %v = tir.buffer_load %a[%c] : !tir.buffer<4xi8>
}

// -----

// operator ins: one type per operand
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 2]]:12: error: 2 operands but 1 types
tir.func @f(%x : !tir.buffer<4xi8>) {
  tir.copy ins(%x, %x : !tir.buffer<4xi8>) outs(%x : !tir.buffer<4xi8>)
}

// -----

// operator ins: the op's operands
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 2]]:12: error: tir.copy takes ins(input)
tir.func @f(%x : !tir.buffer<4xi8>) {
  tir.copy ins(%x, %x : !tir.buffer<4xi8>, !tir.buffer<4xi8>) outs(%x : !tir.buffer<4xi8>)
}

// -----

// operator ins: an optional last operand may be left out, no more
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 2]]:14: error: tir.conv2d takes ins(input, filter, bias) (the last is optional)
tir.func @f(%x : !tir.buffer<4xi8>) {
  tir.conv2d ins(%x : !tir.buffer<4xi8>) outs(%x : !tir.buffer<4xi8>)
}

// -----

// operator parameters are all given
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 2]]:16: error: tir.quantize is missing zero_point
tir.func @f(%x : !tir.buffer<4xf32>, %y : !tir.buffer<4xi8>) {
  tir.quantize ins(%x : !tir.buffer<4xf32>) outs(%y : !tir.buffer<4xi8>) {scale = 0.5 : f32}
}

// -----

// operator outs names one buffer
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 2]]:47: error: Expected ':'
tir.func @f(%x : !tir.buffer<4xi8>) {
  tir.copy ins(%x : !tir.buffer<4xi8>) outs(%x, %x : !tir.buffer<4xi8>)
}

// -----

// SSA names are unique
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_parse.mlir:[[# @LINE + 1]]:37: error: SSA value %a is already defined
tir.func @f(%a : !tir.buffer<4xi8>, %a : !tir.buffer<4xi8>) {

}
