"""tirconst: first-class non-scalar constants in TIR, on xDSL."""
