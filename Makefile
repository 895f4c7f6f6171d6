# Keepers: `make all` runs the whole pipeline on the built-in sample photos,
# `make test` runs the test suite. The pipeline's DAG lives in pipeline.mk.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

# Debian packages the build, the tests and the benchmarks need.
DEBIAN_PACKAGES := libvips-dev libvips-tools libhdf5-dev libdnnl-dev pkg-config \
                   fonts-dejavu-core python3-h5py python3-numpy time \
                   libraw-dev libexempi-dev libimage-exiftool-perl exiv2 python3-venv chromium

# pkgconfig/vips.pc: libvips' flags without the "-pthread" SwiftPM warns about.
export PKG_CONFIG_PATH := $(CURDIR)/pkgconfig$(if $(PKG_CONFIG_PATH),:$(PKG_CONFIG_PATH))

BIN := .build/release
BUILD_STAMP := $(BIN)/.keepers-built
SOURCES := Package.swift $(shell find Sources -type f 2>/dev/null | sed 's/ /\\ /g')

.PHONY: help deps build test test-pipeline bench clean distclean

help:
	@echo "make all [CONFIG=configs/demo.yaml] [PHOTOS=dir]  run the pipeline (ingest, shard, train, report)"
	@echo "make ingest | shard | train | report           run one stage and what it needs"
	@echo "make predict PHOTOS_NEW=dir                     score new photos with the trained model"
	@echo "make test | bench | clean                       tests, benchmarks, remove this config's work dir"

# Installs missing Debian packages when root; otherwise prints the command.
deps:
	@command -v swift >/dev/null || { echo "Swift 6 toolchain not found: install it from swift.org (Linux, Debian 12) and put it on PATH"; exit 1; }
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages; run:"; echo "  sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi
	@tools/backbone/fetch.sh >/dev/null

# The pretrained backbone's weights (EfficientNet-Lite0), downloaded once into
# the cache (KEEPERS_CACHE, default ~/.cache/keepers; docs/backbone.md).
.PHONY: weights
weights:
	@tools/backbone/fetch.sh

# deps runs inside recipes rather than as a prerequisite, so that a phony
# target never makes `make -q all` report work to do.
#
# Each stage depends on the executable it runs, in $(STAGE_BIN), and not on
# the sources: a rebuild reruns a stage only when that stage's executable
# changed.
# NO_BUILD=1 runs the DAG with binaries already built, e.g. the debug ones
# `swift build` made (`make all BIN=.build/debug NO_BUILD=1`, as e2e/ do):
# there is no build rule, the stages run $(BIN)'s executables, so a missing
# build fails at once and a relinked executable reruns its stage.
ifeq ($(NO_BUILD),)
# SwiftPM's incremental build can miss a struct that gained a stored
# property in a dependency and link a binary that crashes (seen here after
# `git pull`; swift-package-manager issue 10502): Keepers' own modules are
# rebuilt from scratch whenever a source changed (about a minute; the
# third-party packages stay built), their interfaces in Modules/ included:
# a stale KeepersCore.swiftmodule there linked a keepers-ingest that crashed
# at start after GroupSettings gained a field. SwiftPM must then plan the build afresh:
# the plan it caches while no file is added or removed expects the module
# folders just removed ("unable to load output file map").
# Rebuilding relinks every executable, so the stages run copies in
# $(STAGE_BIN) that are replaced only when the bytes differ (release builds
# are reproducible): editing a benchmark or a test helper reruns no stage.
# pipeline.mk includes the stamp as a makefile, so that make builds before
# it looks at any stage executable.
STAGE_BIN := $(BIN)/stage-bin
STAGE_TOOLS := keepers-ingest keepers-shard keepers-train keepers-report
$(BUILD_STAMP): $(SOURCES)
	@$(MAKE) --no-print-directory deps
	rm -rf $(BIN)/Keepers*.build $(BIN)/keepers* $(BIN)/Modules/Keepers* $(BIN)/Modules/keepers*
	swift build -c release --disable-build-manifest-caching
	@mkdir -p $(STAGE_BIN)
	@for tool in $(STAGE_TOOLS); do \
	  cmp -s $(BIN)/$$tool $(STAGE_BIN)/$$tool || { \
	    cp $(BIN)/$$tool $(STAGE_BIN)/$$tool.new && mv -f $(STAGE_BIN)/$$tool.new $(STAGE_BIN)/$$tool \
	    && echo "$$tool changed"; }; \
	done
	@echo "# make's record of the last release build (Makefile)" >$@

# A copy missing while the build is current (a work tree built by an older Makefile).
$(STAGE_BIN)/%: | $(BUILD_STAMP)
	@mkdir -p $(@D)
	cp $(BIN)/$(@F) $@
else
STAGE_BIN := $(BIN)
BUILD_STAMP := $(BIN)/keepers-config
endif

build: $(BUILD_STAMP)

test:
	@$(MAKE) --no-print-directory deps
	swift build --build-tests
	swift test --skip-build
	@$(MAKE) --no-print-directory test-pipeline

# The make DAG, crash safety and XMP ratings in and out, end to end on the
# debug binaries that `swift build --build-tests` made (e2e/*.sh).
test-pipeline:
	e2e/pipeline-dag.sh
	e2e/crash.sh
	e2e/xmp-labels.sh

include pipeline.mk
include bench.mk
