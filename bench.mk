# make bench: every stage's benchmark on release builds. The machine is
# shared and noisy: each benchmark runs Keepers next to its reference tool
# in the same session and reports the ratio.
.PHONY: bench bench-ingest
bench: bench-ingest

bench-ingest: $(BUILD_STAMP)
	@bench/ingest.sh
