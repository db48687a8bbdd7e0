"""The layer below the tools and the interpreter: one-line diagnostics with
source locations (`diagnostics`), the shared parsing context (`context`) and
atomic file output (`files`), the garbage collector during a compile and
a program's imports (`collection`)."""
