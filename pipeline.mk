# The pipeline DAG. Every stage is a file target under work/<config name>/;
# each depends on the binaries, its upstream outputs and a stamp of only the
# config section it reads, so make reruns exactly what a change affects.
# Stages are incremental and resumable themselves: rerunning one whose
# inputs did not really change costs little, and an interrupted stage
# (Ctrl-C, kill -9) simply continues when make is run again. A stage that
# finds nothing to do leaves its output alone, so each recipe touches its
# target: the target's time then says "checked against these inputs".

CONFIG ?= configs/demo.yaml
WORK ?= work
NAME := $(basename $(notdir $(CONFIG)))
W := $(WORK)/$(NAME)
# Photos: PHOTOS=dir on the command line, else the config's top-level `photos:`.
PHOTOS ?= $(or $(shell sed -n 's/^photos:[[:space:]]*\([^#]*\).*/\1/p' $(CONFIG) 2>/dev/null | sed 's/[[:space:]]*$$//'),photos/sample)
SAMPLES := photos/sample
STAMPS := $(W)/stamps
ARGS := --config $(CONFIG) --work $(WORK)

.PHONY: all ingest shard train report predict samples

# make all ends by printing the report's path and its test AUC. Under
# `make -q` (question mode) `all` has no recipe: make counts a phony target
# with a recipe as out of date, so `make -q all` would always exit 1.
ifeq ($(findstring q,$(firstword -$(MAKEFLAGS))),)
all: $(W)/report/index.html
	@echo "report: $(W)/report/index.html"
	@sed -n 's/^ *"auc" *: *\([0-9.]*\).*/test AUC: \1/p' $(W)/report/metrics.json
else
all: $(W)/report/index.html
endif

ingest: $(W)/ingest/manifest.jsonl
shard: $(W)/shards/index.json
train: $(W)/train/model.h5
report: $(W)/report/index.html

# Stamps: work/<config>/stamps/<section>.json hold each config section's
# canonical form, photos.list the photo listing (path, size, mtime). They are
# refreshed while make reads this file, and rewritten only when their content
# changes, so a stage reruns exactly when what it reads has changed, and
# `make -q all` says "nothing to do" after a complete run.
ifneq ($(wildcard $(BIN)/keepers-config),)
  $(shell $(BIN)/keepers-config stamp $(ARGS) --dir $(STAMPS) >&2)
endif
define refresh_photo_listing
  mkdir -p $(STAMPS); \
  if [ -d "$(PHOTOS)" ]; then \
    find -L "$(PHOTOS)" -printf '%P\t%s\t%T@\n' 2>/dev/null | LC_ALL=C sort > $(STAMPS)/photos.list.tmp; \
    if cmp -s $(STAMPS)/photos.list.tmp $(STAMPS)/photos.list; then rm $(STAMPS)/photos.list.tmp; \
    else mv $(STAMPS)/photos.list.tmp $(STAMPS)/photos.list; fi; \
  fi
endef
$(shell $(refresh_photo_listing))

# First run: create the stamps once the binaries and the photos exist.
$(STAMPS)/%.json: | $(BUILD_STAMP)
	@$(BIN)/keepers-config stamp $(ARGS) --dir $(STAMPS)

$(STAMPS)/photos.list: | $(BUILD_STAMP) $(if $(filter $(SAMPLES),$(PHOTOS)),photos/.samples-complete)
	@test -d "$(PHOTOS)" || { echo "photos folder '$(PHOTOS)' not found (set PHOTOS=dir or photos: in $(CONFIG))"; exit 1; }
	@$(refresh_photo_listing)

# The built-in sample photos, generated once (and completed if interrupted).
photos/.samples-complete: | $(BUILD_STAMP)
	$(BIN)/keepers-samples $(SAMPLES)
	@touch $@

samples: photos/.samples-complete

# Each stage recipe ends with stage_done: it touches the target, but only if
# the stage wrote it. A stage that exits 0 without its output (say, one
# stopped by a signal that it answers with a clean exit) fails here, rather
# than `touch` creating an empty file that make would take for a finished
# stage from then on.
stage_done = test -e $@ && touch $@ || { echo "$@ was not written (stage interrupted?); run make again to continue" >&2; exit 1; }

$(W)/ingest/manifest.jsonl: $(BUILD_STAMP) $(STAMPS)/ingest.json $(STAMPS)/photos.list
	$(BIN)/keepers-ingest $(ARGS) --photos "$(PHOTOS)"
	@$(stage_done)

$(W)/shards/index.json: $(BUILD_STAMP) $(STAMPS)/shard.json $(W)/ingest/manifest.jsonl
	$(BIN)/keepers-shard $(ARGS)
	@$(stage_done)

# Training resumes from its newest checkpoint when interrupted. make reruns it
# only when the model or training settings or the data changed, and then
# those changes are intended: --restart-if-changed starts afresh instead of
# refusing to resume (as a bare keepers-train does).
$(W)/train/model.h5: $(BUILD_STAMP) $(STAMPS)/model.json $(STAMPS)/train.json $(W)/shards/index.json
	$(BIN)/keepers-train $(ARGS) --restart-if-changed
	@$(stage_done)

$(W)/report/index.html: $(BUILD_STAMP) $(STAMPS)/report.json $(W)/train/model.h5
	$(BIN)/keepers-report $(ARGS)
	@$(stage_done)

# Scores a folder of new photos; the CSV goes to work/<config>/predict.csv.
# PREDICT_ARGS adds keepers-predict options, e.g. PREDICT_ARGS=--xmp.
predict: $(W)/train/model.h5
	@test -n "$(PHOTOS_NEW)" || { echo "usage: make predict PHOTOS_NEW=/path/to/photos [CONFIG=...]"; exit 1; }
	$(BIN)/keepers-predict --model $(W)/train/model.h5 --output $(W)/predict.csv $(PREDICT_ARGS) "$(PHOTOS_NEW)"
	@echo "scores: $(W)/predict.csv"

clean:
	rm -rf $(W)

distclean:
	rm -rf work .build photos/sample photos/.samples-complete
