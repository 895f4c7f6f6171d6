# The pipeline DAG. Every stage is a file target under work/<config name>/;
# each depends on its own executable, its upstream outputs and a stamp of
# only the config section it reads, so make reruns exactly what a change
# affects.
# Stages are incremental and resumable themselves: rerunning one whose
# inputs did not really change costs little, and an interrupted stage
# (Ctrl-C, kill -9) simply continues when make is run again. A stage that
# finds nothing to do leaves its output alone, so each recipe touches its
# target: the target's time then says "checked against these inputs".

CONFIG ?= configs/demo.yaml
WORK ?= work
NAME := $(basename $(notdir $(CONFIG)))
# W is what `make clean` removes: it must be work/<name> and nothing else.
ifeq ($(strip $(WORK)),)
  $(error WORK is empty: set it to the folder of the work directories (default: work))
endif
ifneq ($(words $(NAME)),1)
  $(error CONFIG=$(CONFIG) gives no usable configuration name (empty, or with spaces))
endif
ifneq ($(filter . ..,$(NAME)),)
  $(error CONFIG=$(CONFIG) gives the configuration name '$(NAME)')
endif
W := $(WORK)/$(NAME)
# q: one shell word, whatever the text holds ('...' with each ' written '\'').
q = '$(subst ','\'',$(1))'
# Photos: PHOTOS=dir on the command line, else the config's top-level
# `photos:`, which the stages and keepers-config read themselves: text from
# the config file never becomes part of a shell command.
PHOTOS ?=
PHOTOS_ARG := $(if $(PHOTOS),--photos $(call q,$(PHOTOS)))
SAMPLES := photos/sample
STAMPS := $(W)/stamps
ARGS := --config $(call q,$(CONFIG)) --work $(call q,$(WORK))

.PHONY: all ingest shard train report predict samples

# make all ends by printing the report's path and its test AUC. Under
# `make -q` (question mode) `all` has no recipe: make counts a phony target
# with a recipe as out of date, so `make -q all` would always exit 1.
ifeq ($(findstring q,$(firstword -$(MAKEFLAGS))),)
all: $(W)/report/index.html
	@echo "report: $(W)/report/index.html"
	@sed -n 's/^ *"auc" *: *\([0-9.]*\).*/test AUC: \1/p' $(call q,$(W)/report/metrics.json)
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
# `make -q all` says "nothing to do" after a complete run. Only when a goal
# is a stage (all, ingest, ..., predict; `make -q` included, which must
# compare against the current config), never under `make -n`, `make help`
# or `make clean`.
# The build stamp is included as a makefile under the same conditions (and
# not under `make -q`, where an outdated build counts as work to do): when a
# source changed, make first rebuilds, then starts over and reads the stage
# executables' times as the build left them. As an ordinary prerequisite,
# make could read an executable's time before the build replaced it.
STAGE_GOALS := all ingest shard train report predict
ifneq ($(filter $(STAGE_GOALS) $(W)/%,$(MAKECMDGOALS)),)
ifeq ($(findstring n,$(firstword -$(MAKEFLAGS))),)
ifeq ($(NO_BUILD)$(findstring q,$(firstword -$(MAKEFLAGS))),)
  include $(BUILD_STAMP)
endif
ifneq ($(wildcard $(BIN)/keepers-config),)
  $(shell $(BIN)/keepers-config stamp $(ARGS) --dir $(call q,$(STAMPS)) >&2)
  $(shell $(BIN)/keepers-config stamp $(ARGS) $(PHOTOS_ARG) --dir $(call q,$(STAMPS)) --photos-list 2>/dev/null)
endif
endif
endif

# First run: create the stamps once the binaries and the photos exist. The
# built-in samples are made first when the photos folder is photos/sample.
$(STAMPS)/%.json: | $(BUILD_STAMP)
	@$(BIN)/keepers-config stamp $(ARGS) --dir $(call q,$(STAMPS))

$(STAMPS)/photos.list: | $(BUILD_STAMP)
	@if [ "$$($(BIN)/keepers-config get photos $(ARGS) $(PHOTOS_ARG))" = $(SAMPLES) ]; then \
	  $(MAKE) --no-print-directory samples; fi
	@$(BIN)/keepers-config stamp $(ARGS) $(PHOTOS_ARG) --dir $(call q,$(STAMPS)) --photos-list

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
stage_done = test -e $(call q,$@) && touch $(call q,$@) || { echo "$@ was not written (stage interrupted?); run make again to continue" >&2; exit 1; }

# Stages write their outputs atomically and their target file last, so a
# failed or interrupted stage leaves either the old target (and make reruns
# it) or a complete new one. The targets must not be deleted by make's
# .DELETE_ON_ERROR: a second `make all` whose stage is refused (the work
# directory is in use) would otherwise delete the file the running one has
# just written.
.PRECIOUS: $(W)/ingest/manifest.jsonl $(W)/shards/index.json $(W)/train/model.h5 $(W)/report/index.html

$(W)/ingest/manifest.jsonl: $(STAGE_BIN)/keepers-ingest $(STAMPS)/ingest.json $(STAMPS)/photos.list
	$(STAGE_BIN)/keepers-ingest $(ARGS) $(PHOTOS_ARG)
	@$(stage_done)

$(W)/shards/index.json: $(STAGE_BIN)/keepers-shard $(STAMPS)/shard.json $(W)/ingest/manifest.jsonl
	$(STAGE_BIN)/keepers-shard $(ARGS)
	@$(stage_done)

# Training resumes from its newest checkpoint when interrupted. make reruns it
# only when the model or training settings or the data changed, and then
# those changes are intended: --restart-if-changed starts afresh instead of
# refusing to resume (as a bare keepers-train does).
$(W)/train/model.h5: $(STAGE_BIN)/keepers-train $(STAMPS)/model.json $(STAMPS)/train.json $(W)/shards/index.json
	$(STAGE_BIN)/keepers-train $(ARGS) --restart-if-changed
	@$(stage_done)

$(W)/report/index.html: $(STAGE_BIN)/keepers-report $(STAMPS)/report.json $(W)/train/model.h5
	$(STAGE_BIN)/keepers-report $(ARGS)
	@$(stage_done)

# Scores a folder of new photos; the CSV goes to work/<config>/predict.csv and
# the culling page to work/<config>/predict-page/index.html.
# PREDICT_ARGS adds keepers-predict options, e.g. PREDICT_ARGS=--xmp.
predict: $(W)/train/model.h5
	@$(if $(PHOTOS_NEW),true,{ echo "usage: make predict PHOTOS_NEW=/path/to/photos [CONFIG=...]"; exit 1; })
	$(BIN)/keepers-predict --model $(call q,$(W)/train/model.h5) --output $(call q,$(W)/predict.csv) --page $(call q,$(W)/predict-page) $(PREDICT_ARGS) $(call q,$(PHOTOS_NEW))
	@echo "scores: $(W)/predict.csv"
	@echo "page: $(W)/predict-page/index.html"

clean:
	rm -rf -- $(call q,$(W))

distclean:
	rm -rf work .build photos/sample photos/.samples-complete
