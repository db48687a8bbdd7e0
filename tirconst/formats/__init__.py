"""Binary formats of targets, independent of any IR (the lowest layer above numpy)."""
