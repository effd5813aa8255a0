# SPDX-License-Identifier: MIT
# `make bench`: the benchmark tier (tests/bench/bench.py, docs/benchmarks.md).
# Not part of `make test`: it measures and reports, it does not judge.
# BENCH_ARGS passes options on, e.g. BENCH_ARGS="--only gicv3" or "--strict".

.PHONY: bench
bench: deps-check
	$(Q)$(MAKE) -f $(srctree)/Makefile O=$(O) host-tools newlib
	$(Q)cd $(srctree) && BULKHEAD_BUILD=$(O) $(PYTHON) tests/bench/bench.py $(BENCH_ARGS)
