// tirconst-run on given and random inputs; results printed or saved to .npz.
//
// RUN: tirconst-run %s --random-inputs 0 | filecheck %s --check-prefix=RANDOM
// RUN: python -c "import numpy as np; np.savez('%t.in.npz', x=np.array([-128, -7, 7, 127], np.int8))"
// RUN: tirconst-run %s --inputs %t.in.npz | filecheck %s
// RUN: tirconst-run %s --inputs %t.in.npz --outputs %t.out.npz
// RUN: python -c "import numpy as np; d = np.load('%t.out.npz'); print(sorted(d.files), d['y'].tolist())" | filecheck %s --check-prefix=NPZ
// RUN: python -c "import numpy as np; np.savez('%t.bad.npz', x=np.zeros(4, np.int16))"
// RUN: not tirconst-run %s --inputs %t.bad.npz 2>&1 | filecheck %s --check-prefix=DTYPE
// RUN: python -c "import numpy as np; np.savez('%t.shape.npz', x=np.zeros(5, np.int8))"
// RUN: not tirconst-run %s --inputs %t.shape.npz 2>&1 | filecheck %s --check-prefix=SHAPE
// RUN: python -c "import numpy as np; np.savez('%t.extra.npz', x=np.zeros(4, np.int8), q=np.zeros(1))"
// RUN: not tirconst-run %s --inputs %t.extra.npz 2>&1 | filecheck %s --check-prefix=EXTRA
// RUN: not tirconst-run %s 2>&1 | filecheck %s --check-prefix=MISSING
// RUN: not tirconst-run %s --inputs %t.nonexistent.npz 2>&1 | filecheck %s --check-prefix=NOFILE
// RUN: not tirconst-run %s --random-inputs 0 --function other 2>&1 | filecheck %s --check-prefix=NOFUNC

// x = [-128, -7, 7, 127]: y = x floordiv 2 (rounds down), z = x floormod 3
// (the divisor's sign), w = x * 2 wrapped at int8.
// CHECK: @main:
// CHECK-NEXT: %x = [-128, -7, 7, 127] : int8
// CHECK-NEXT: %y = [-64, -4, 3, 63] : int8
// CHECK-NEXT: %z = [1, 2, 1, 1] : int8
// CHECK-NEXT: %w = [0, -14, 14, -2] : int8
// RANDOM: @main:
// RANDOM-NEXT: %x = [{{.*}}] : int8
// NPZ: ['w', 'x', 'y', 'z'] [-64, -4, 3, 63]
// DTYPE: error: input 'x' of @main has dtype int16, but the parameter is int8
// SHAPE: error: input 'x' of @main has shape [5], but the parameter has shape [4]
// EXTRA: error: @main has no parameter 'q' (its parameters: x, y, z, w)
// MISSING: tirconst-run.mlir:[[# @LINE + 10]]:{{[0-9]+}}: error: 'tir.buffer_load' op in @main: reads x[0], which is undefined: parameter 'x' was not given as an input
// NOFILE: error: cannot read inputs
// NOFUNC: error: no tir.func @other (it has @main)

tir.func @main(%x : !tir.buffer<4xi8>, %y : !tir.buffer<4xi8>, %z : !tir.buffer<4xi8>, %w : !tir.buffer<4xi8>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %two = arith.constant 2 : i8
  %three = arith.constant 3 : i8
  tir.for %i = %c0 to %c4 {
    %v = tir.buffer_load %x[%i] : !tir.buffer<4xi8>
    %d = tir.floordiv %v, %two : i8
    tir.buffer_store %d, %y[%i] : !tir.buffer<4xi8>
    %m = tir.floormod %v, %three : i8
    tir.buffer_store %m, %z[%i] : !tir.buffer<4xi8>
    %p = arith.muli %v, %two : i8
    tir.buffer_store %p, %w[%i] : !tir.buffer<4xi8>
  }
}
