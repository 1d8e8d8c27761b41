"""The public API's implementation; its names are re-exported by `tally` (see `tally.__all__`)."""
