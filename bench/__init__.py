"""The live fan-out benchmark (``make bench``) and the plenary grouping benchmark; see bench/README.md."""
