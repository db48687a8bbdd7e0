// Every verifier rule of flat memory (tir.pool, placements, param_placement,
// pool_sizes) and of strided views, one case each: a one-line diagnostic naming the line, the op
// and its function.
// RUN: tirconst-opt --split-input-file --verify-diagnostics %s | filecheck %s
// RUN: tirconst-opt --split-input-file --verify-diagnostics %s 2>&1 \
// RUN:   | filecheck %s --check-prefix=CLEAN

// CLEAN-NOT: Traceback
// CLEAN-NOT: internal error

// tir.pool: alignment is at least 1
// CHECK: {{.*}}invalid_memory.mlir:[[# @LINE + 1]]:1: error: 'tir.pool' op: alignment 0 must be at least 1
tir.pool @sram alignment 0

// -----

// tir.pool: a size is not negative
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 1]]:1: error: 'tir.pool' op: size -1 must not be negative
tir.pool @sram size -1

// -----

// placement: the pool must exist
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:3: error: 'tir.allocate' op in @f: workspace: '@sram' does not name a tir.pool
tir.func @f() {
  %t = tir.allocate at <@sram, 0> : !tir.buffer<4xi8>
}

// -----

// placement: the pool is named directly
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 3]]:3: error: 'tir.allocate' op in @f: workspace: @sram::@x must name a tir.pool directly
tir.pool @sram
tir.func @f() {
  %t = tir.allocate at <@sram::@x, 0> : !tir.buffer<4xi8>
}

// -----

// placement: a negative offset (issue 9)
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 3]]:3: error: 'tir.allocate' op in @f: workspace: negative offset -8 in pool '@sram'
tir.pool @sram
tir.func @f() {
  %t = tir.allocate at <@sram, -8> : !tir.buffer<4xi8>
}

// -----

// placement: the offset is a multiple of the pool's alignment
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 3]]:3: error: 'tir.allocate' op in @f: workspace: offset 8 is not a multiple of pool '@sram' alignment 16
tir.pool @sram alignment 16
tir.func @f() {
  %t = tir.allocate at <@sram, 8> : !tir.buffer<4xi8>
}

// -----

// placement: the buffer fits in the pool's size
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 3]]:3: error: 'tir.allocate' op in @f: workspace: 16 bytes at offset 8 exceed pool '@sram' of 16 bytes
tir.pool @sram size 16
tir.func @f() {
  %t = tir.allocate at <@sram, 8> : !tir.buffer<4xi32>
}

// -----

// placement: a workspace is not in a read-only pool
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 3]]:3: error: 'tir.allocate' op in @f: workspace: pool '@flash' is read-only; only constants go there
tir.pool @flash read_only
tir.func @f() {
  %t = tir.allocate at <@flash, 0> : !tir.buffer<4xi8>
}

// -----

// placement: an inline constant only in a read-only pool
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 3]]:3: error: 'tir.allocate_const' op in @f: constant: a constant must go in a read_only pool, not '@sram'
tir.pool @sram
tir.func @f() {
  %w = tir.allocate_const dense<[1, 2]> : !tir.buffer<2xi8> at <@sram, 0>
}

// -----

// placement: a module constant only in a read-only pool
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:1: error: 'tir.constant' op: constant: a constant must go in a read_only pool, not '@sram'
tir.pool @sram
tir.constant @w = dense<[1, 2]> : tensor<2xi8> at <@sram, 0>

// -----

// placement: a module constant fits its pool
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:1: error: 'tir.constant' op: constant: 4 bytes at offset 0 exceed pool '@flash' of 3 bytes
tir.pool @flash read_only size 3
tir.constant @w = dense<[1, 2]> : tensor<2xi16> at <@flash, 0>

// -----

// placement: an allocate_const agrees with the constant it names
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 4]]:3: error: 'tir.allocate_const' op in @f: placed at #tir.place<@flash, 4>, but '@w' is at #tir.place<@flash, 0>
tir.pool @flash read_only
tir.constant @w = dense<[1, 2]> : tensor<2xi8> at <@flash, 0>
tir.func @f() {
  %w = tir.allocate_const @w : !tir.buffer<2xi8> at <@flash, 4>
}

// -----

// placement: the untyped attributes of old are refused
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:3: error: 'tir.allocate' op in @f: attribute 'pool' is not a placement; write `at <@pool, offset>` (the `placement` property)
tir.func @f() {
  %t = tir.allocate {pool = 3, offset = "x"} : !tir.buffer<4xi8>
}

// -----

// placement: nor on allocate_const
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:3: error: 'tir.allocate_const' op in @f: attribute 'offset' is not a placement; write `at <@pool, offset>` (the `placement` property)
tir.func @f() {
  %w = tir.allocate_const dense<[1, 2]> : !tir.buffer<2xi8> {offset = 0}
}

// -----

// param_placement: every key names a parameter (issue 9)
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:1: error: 'tir.func' op: param_placement names no parameter 'b'
tir.pool @sram
tir.func @f(%a : !tir.buffer<4xi8>) attributes {param_placement = {b = #tir.place<@sram, 0>}} {
}

// -----

// param_placement: entries are placements
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:1: error: 'tir.func' op: param_placement of 'a' must be a #tir.place<@pool, offset>
tir.pool @sram
tir.func @f(%a : !tir.buffer<4xi8>) attributes {param_placement = {a = {pool = "sram", offset = 0}}} {
}

// -----

// param_placement: a parameter is not in a read-only pool
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:1: error: 'tir.func' op: parameter 'a': pool '@flash' is read-only; only constants go there
tir.pool @flash read_only
tir.func @f(%a : !tir.buffer<4xi8>) attributes {param_placement = {a = #tir.place<@flash, 0>}} {
}

// -----

// param_placement: a parameter fits its pool
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:1: error: 'tir.func' op: parameter 'a': 4 bytes at offset 0 exceed pool '@sram' of 2 bytes
tir.pool @sram size 2
tir.func @f(%a : !tir.buffer<4xi8>) attributes {param_placement = {a = #tir.place<@sram, 0>}} {
}

// -----

// pool_sizes: keys name pools
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 1]]:1: error: 'tir.func' op: pool_sizes names no tir.pool '@sram'
tir.func @f() attributes {pool_sizes = {sram = 16}} {
}

// -----

// pool_sizes: entries are byte counts
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:1: error: 'tir.func' op: pool_sizes entry 'sram' must be a size in bytes
tir.pool @sram
tir.func @f() attributes {pool_sizes = {sram = "big"}} {
}

// -----

// pool_sizes: a peak within the pool's size
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:1: error: 'tir.func' op: pool_sizes records 16 bytes of '@sram', which holds 8
tir.pool @sram size 8
tir.func @f() attributes {pool_sizes = {sram = 16}} {
}

// -----

// pool_sizes: every placement in a listed pool ends within its peak
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:1: error: 'tir.func' op: 'tir.allocate' ends at byte 12 of '@sram', beyond its pool_sizes entry of 8 bytes
tir.pool @sram
tir.func @f(%a : !tir.buffer<4xi8>) attributes {param_placement = {a = #tir.place<@sram, 0>}, pool_sizes = {sram = 8}} {
  %t = tir.allocate at <@sram, 4> : !tir.buffer<8xi8>
}

// -----

// strided view: one stride per view dimension
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:3: error: 'tir.decl_buffer' op in @f: 2 strides given for a rank-1 view
tir.func @f(%x : !tir.buffer<4x4xi8>) {
  %v = tir.decl_buffer %x[0] strides [4, 1] : !tir.buffer<4x4xi8> -> !tir.buffer<4xi8>
}

// -----

// strided view: strides are not negative
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:3: error: 'tir.decl_buffer' op in @f: strides [-4] must not be negative
tir.func @f(%x : !tir.buffer<4x4xi8>) {
  %v = tir.decl_buffer %x[12] strides [-4] : !tir.buffer<4x4xi8> -> !tir.buffer<4xi8>
}

// -----

// strided view: the last element stays inside the source
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 2]]:3: error: 'tir.decl_buffer' op in @f: view of 4 elements at offset 1 exceeds the source's 16 elements (its last element is 16)
tir.func @f(%x : !tir.buffer<4x4xi8>) {
  %v = tir.decl_buffer %x[1] strides [5] : !tir.buffer<4x4xi8> -> !tir.buffer<4xi8>
}

// -----

// strided view: not a view of a strided view
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 3]]:3: error: 'tir.decl_buffer' op in @f: the source is itself a strided view; view its source instead
tir.func @f(%x : !tir.buffer<4x4xi8>) {
  %v = tir.decl_buffer %x[0] strides [4, 1] : !tir.buffer<4x4xi8> -> !tir.buffer<2x2xi8>
  %w = tir.decl_buffer %v[0] strides [2] : !tir.buffer<2x2xi8> -> !tir.buffer<2xi8>
}

// -----

// strided view: not reshaped
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_memory.mlir:[[# @LINE + 3]]:3: error: 'tir.reshape' op in @f: cannot reshape a strided view (its elements are not contiguous)
tir.func @f(%x : !tir.buffer<4x4xi8>) {
  %v = tir.decl_buffer %x[0] strides [4, 1] : !tir.buffer<4x4xi8> -> !tir.buffer<2x2xi8>
  %w = tir.reshape %v : !tir.buffer<2x2xi8> -> !tir.buffer<4xi8>
}
