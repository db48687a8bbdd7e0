// RUN: tirconst-opt %s --split-input-file --verify-diagnostics -p tir-extract-constants | filecheck %s
// RUN: not tirconst-opt %s --split-input-file -p tir-extract-constants 2>&1 | filecheck %s --check-prefix=EXIT

// The name the new constant would get is taken by a constant with other data:
// an error, not a silent rename.

// CHECK: error: tir-extract-constants: constant %k in @f would be @f_k, but the module already has a tir.constant with different data of that name (rename it, or set prefix=)
// EXIT: error: tir-extract-constants: constant %k in @f would be @f_k
// EXIT-NOT: Traceback
builtin.module {
  tir.constant @f_k = dense<[9, 9]> : tensor<2xi8>
  tir.func @f() {
    %k = tir.allocate_const dense<[1, 2]> : !tir.buffer<2xi8>
  }
}

// -----

// CHECK: error: tir-extract-constants: constant %k in @f would be @f_k, but the module already has a 'tir.func' of that name (rename it, or set prefix=)
builtin.module {
  tir.func @f() {
    %k = tir.allocate_const dense<[1, 2]> : !tir.buffer<2xi8>
  }
  tir.func @f_k() {
  }
}
