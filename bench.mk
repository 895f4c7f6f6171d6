# make bench: every stage's benchmark on release builds, then one table that
# puts each figure next to its reference measured in the same session
# (vipsthumbnail and Pillow's draft() for ingest and predict; PyTorch and Keras running the same network, from
# ../shared/anchors, for training). The machine is shared and noisy: run it
# with nothing else going on, and read the ratios.
ANCHORS := $(wildcard ../shared/anchors/train/run.sh)
BENCH := $(WORK)/bench

.PHONY: bench bench-ingest bench-shards bench-network bench-backbone bench-anchors bench-quality
bench: bench-ingest bench-shards bench-network bench-backbone bench-anchors
	@bench/summary.sh $(BENCH)

bench-ingest: $(BUILD_STAMP)
	@mkdir -p $(BENCH) && echo "== ingest =="
	@bench/ingest.sh | tee $(BENCH)/ingest.txt

bench-shards: $(BUILD_STAMP)
	@mkdir -p $(BENCH) && echo "== shards =="
	@$(BIN)/keepers-bench-shards | tee $(BENCH)/shards.txt

bench-network: $(BUILD_STAMP)
	@mkdir -p $(BENCH) && echo "== network (training step, inference, peak RSS) =="
	@$(BIN)/keepers-bench-network | tee $(BENCH)/network.txt

# The pretrained backbone (docs/backbone.md) on oneDNN against the same
# network in PyTorch (Debian's python3-torch, installed here when missing),
# 320x480, 2 threads, in the same run.
bench-backbone: $(BUILD_STAMP)
	@mkdir -p $(BENCH) && echo "== backbone: EfficientNet-Lite0 features, 320x480, 2 threads =="
	@dpkg-query -W -f='$${Status}\n' python3-torch 2>/dev/null | grep -q '^install ok installed' || \
	  { [ "$$(id -u)" = 0 ] && echo "installing python3-torch (the anchor)" && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null; } || true
	@{ $(BIN)/keepers-bench-backbone --threads 2; \
	  /usr/bin/python3 bench/backbone_torch.py --threads 2 || echo "torch anchor failed (apt-get install python3-torch)"; \
	} | tee $(BENCH)/backbone.txt

# The anchors install PyTorch (Debian) and TensorFlow (a venv) when missing.
bench-anchors:
ifneq ($(ANCHORS),)
	@echo "== anchors: PyTorch and Keras, same network, 2 threads (QUICK) =="
	@QUICK=1 THREADS=2 OUT=$(abspath $(BENCH))/anchors bash $(ANCHORS) > $(BENCH)/anchors.log 2>&1 \
	  || { echo "anchors failed: see $(BENCH)/anchors.log"; }
else
	@echo "anchors: ../shared/anchors/train/run.sh not found; skipping"
endif

# The real-photo quality benchmark (docs/quality-benchmark.md): the default
# config on photo families a and b, each on the strict split (no source
# photograph on both sides; the headline) and on the burst-groups split, each
# on a single split and 5 folds, against the hand-made-statistics baseline on
# the same shards; one combined table at the end. 24 runs, a few minutes each
# on 2 cores; not part of `make bench`. QUALITY_ARGS passes options to
# bench/quality/run.sh (later ones win), e.g. the screen
# QUALITY_ARGS="--split strict --folds 3 --no-single" (6 runs).
bench-quality: $(BUILD_STAMP)
	@bench/quality/run.sh --family a,b --split strict,groups $(QUALITY_ARGS)

# The culling reasons on family A (bench/quality/reasons.sh,
# docs/quality-benchmark.md "Reasons"): how often the first reason names the
# applied fault, per fault. A few minutes once the photos exist; not part of
# `make bench`. REASONS_ARGS e.g. "--scenes 80" for a subset.
.PHONY: bench-reasons
bench-reasons: $(BUILD_STAMP)
	@bench/quality/reasons.sh --bin $(BIN) $(REASONS_ARGS)

# RAW ingest on its two LibRaw paths, embedded preview and half-size demosaic,
# against the same photo as a JPEG (bench/raw.sh; docs/benchmarks.md). Not
# part of `make bench`: it needs the test venv (pidng, PyPI).
.PHONY: bench-raw
bench-raw: $(BUILD_STAMP)
	@bench/raw.sh

# Ingest and predict on synthetic libraries of SCALE_N photos (bench/scale.sh;
# docs/benchmarks.md, "Scale"): images/s, CPU ms per photo and peak RSS at
# each N, with and without burst grouping, and the ratios of the largest
# libraries to the smallest against issue 24's targets. Each library is made
# once in work/bench/scale-N (about 0.4 MB a photo); 20,000 photos take a
# couple of hours on 2 cores the first time (the library about half of it).
# Not part of `make bench` nor `make test`.
# SCALE_N="2000 20000 100000" adds the large one; SCALE_N=200 is a quick check.
SCALE_N ?= 2000 20000
.PHONY: bench-scale
bench-scale: $(BUILD_STAMP)
	@mkdir -p $(BENCH) && echo "== scale: ingest and predict on libraries of $(SCALE_N) photos =="
	@SCALE_N="$(SCALE_N)" BIN="$(BIN)" bench/scale.sh | tee $(BENCH)/scale.txt
