// RUN: python -c "import numpy as np; np.savez('%t.ok.npz', w=np.zeros((2, 2), np.int8)); np.savez('%t.extra.npz', w=np.zeros((2, 2), np.int8), bogus=np.zeros(2, np.int8)); np.savez('%t.dtype.npz', w=np.zeros((2, 2), np.float32)); np.savez('%t.shape.npz', w=np.zeros((4,), np.int8))"

// A key that names no parameter anywhere: nothing is bound, nothing ignored.
// RUN: tirconst-opt %s --verify-diagnostics -p 'tir-bind-params{file="%t.extra.npz"}' | filecheck %s --check-prefix=EXTRA
// EXTRA: error: tir-bind-params: 'bogus' in {{.*}}.extra.npz matches no parameter of any tir.func (parameters: w, x, y)

// Binding into a function with no matching parameter.
// RUN: tirconst-opt %s --verify-diagnostics -p 'tir-bind-params{file="%t.ok.npz" func=noparams}' | filecheck %s --check-prefix=NOMATCH
// NOMATCH: error: tir-bind-params: 'w' in {{.*}}.ok.npz matches no parameter of @noparams (parameters: x)

// RUN: tirconst-opt %s --verify-diagnostics -p 'tir-bind-params{file="%t.dtype.npz"}' | filecheck %s --check-prefix=DTYPE
// DTYPE: error: tir-bind-params: @main parameter 'w' is !tir.buffer<2x2xi8> (int8), but {{.*}}.dtype.npz['w'] holds float32 (no implicit conversion)

// RUN: tirconst-opt %s --verify-diagnostics -p 'tir-bind-params{file="%t.shape.npz"}' | filecheck %s --check-prefix=SHAPE
// SHAPE: error: tir-bind-params: @main parameter 'w' is !tir.buffer<2x2xi8>, but {{.*}}.shape.npz['w'] has shape [4]

// An archive with no arrays binds nothing: an error, not a silent no-op.
// RUN: python -c "import numpy as np; np.savez('%t.empty.npz')"
// RUN: tirconst-opt %s --verify-diagnostics -p 'tir-bind-params{file="%t.empty.npz"}' | filecheck %s --check-prefix=EMPTY
// EMPTY: error: tir-bind-params: '{{.*}}.empty.npz' holds no arrays

// RUN: tirconst-opt %s --verify-diagnostics -p 'tir-bind-params{file="%t.missing.npz"}' | filecheck %s --check-prefix=NOFILE
// NOFILE: error: tir-bind-params: cannot read '{{.*}}.missing.npz': [Errno 2] No such file or directory

// Bad options: one line each, no traceback. A path must be quoted in a
// pipeline: file="a/b.npz".
// RUN: not tirconst-opt %s -p 'tir-bind-params{file=%t.ok.npz}' 2>&1 | filecheck %s --check-prefix=UNQUOTED
// UNQUOTED: tirconst-opt: error: pass-pipeline:1:22: Unknown token
// UNQUOTED-NOT: Traceback
// RUN: not tirconst-opt %s -p 'tir-bind-params{path="x.npz"}' 2>&1 | filecheck %s --check-prefix=OPTION
// OPTION: tirconst-opt: error: Provided arguments ["path"] not found in expected arguments ["file", "func", "param"]

// Outside diagnostics mode: one line on stderr, exit status 1, no IR.
// RUN: not tirconst-opt %s -p 'tir-bind-params{file="%t.dtype.npz"}' 2>&1 | filecheck %s --check-prefix=EXIT
// EXIT: error: tir-bind-params: @main parameter 'w'
// EXIT-NOT: Traceback
// EXIT-NOT: tir.func

builtin.module {
  tir.func @main(%x : !tir.buffer<2x2xi8>, %w : !tir.buffer<2x2xi8>, %y : !tir.buffer<2x2xi8>) {
    %c0 = arith.constant 0 : index
    %a = tir.buffer_load %w[%c0, %c0] : !tir.buffer<2x2xi8>
    tir.buffer_store %a, %y[%c0, %c0] : !tir.buffer<2x2xi8>
  }
  tir.func @noparams(%x : !tir.buffer<2x2xi8>) {
  }
}
