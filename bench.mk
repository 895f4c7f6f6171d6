# make bench: every stage's benchmark on release builds, each next to its
# reference (vipsthumbnail for ingest; the anchors' PyTorch and Keras figures
# for training, which ../shared/anchors/train/run.sh measures). The machine is
# shared and noisy: compare figures measured in the same session, as ratios.
.PHONY: bench bench-ingest bench-shards bench-network
bench: bench-ingest bench-shards bench-network

bench-ingest: $(BUILD_STAMP)
	@echo "== ingest =="
	@bench/ingest.sh

bench-shards: $(BUILD_STAMP)
	@echo "== shards =="
	@$(BIN)/keepers-bench-shards

bench-network: $(BUILD_STAMP)
	@echo "== network (training step, inference, peak RSS) =="
	@$(BIN)/keepers-bench-network
