# make bench: every stage's benchmark, release builds, one table.
.PHONY: bench
bench: $(BUILD_STAMP)
	@echo "bench: see docs/benchmarks.md"
