# DeltaCAT C++ developer workflow. `make help` lists the targets.
# Every target installs what it needs (Debian packages, venv/) on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VERSION := $(shell cat VERSION)
VENV := venv
VENV_PY := $(VENV)/bin/python
# The interop environment: the real Python DeltaCAT package (it needs Python 3.10 and
# pyarrow 16), used by the integration tests as the reference implementation.
INTEROP_VENV := venv-interop
INTEROP_PY := $(INTEROP_VENV)/bin/python
BUILD_DIR := build
DIST_DIR := dist
CMAKE_BUILD_TYPE ?= RelWithDebInfo
CTEST_JOBS ?= $(shell nproc)
TARBALL := $(DIST_DIR)/deltacat-cpp-$(VERSION)-linux-$(shell uname -m).tar.gz
# The Python wheel is rebuilt only when something it is built from changed (the stamp); its
# CMake tree, build/python, is kept between builds, so a rebuild is incremental.
WHEEL_STAMP := $(BUILD_DIR)/python-wheel.stamp
WHEEL_SOURCES = $(shell find python src include cmake -type f -not -path '*/__pycache__/*' \
                  -not -name '*.pyc' 2>/dev/null)
LINT_FILES = $(shell git ls-files --cached --others --exclude-standard \
               'include/*.h' 'src/*.h' 'src/*.cc' 'tests/*.h' 'tests/*.cc' \
               'bench/*.cc' 'bench/*.h' 'examples/*.cc' 'python/*.cc' 'fuzz/*.cc' 2>/dev/null)

.PHONY: build-sanitize format-check help system-deps venv clean-venv install build clean-build rebuild clean lint format \
        test test-integration test-integration-rebuild test-sanitize test-crash fuzz benchmark \
        quickstart \
        configure package wheel deploy-s3 interop-venv

help:
	@echo "DeltaCAT C++ $(VERSION)"
	@echo "  make quickstart        set up everything, build, and run the quickstart example"
	@echo "  make test              unit tests"
	@echo "  make test-integration  tests against real services (S3 via moto_server, ...)"
	@echo "  make test-integration-rebuild  wipe and rebuild the integration environment"
	@echo "  make test-sanitize     unit tests under AddressSanitizer + UBSan (clang, build-sanitize/)"
	@echo "  make test-crash        long crash-consistency run (CRASH_POINTS, CRASH_SEED)"
	@echo "  make fuzz              libFuzzer targets, FUZZ_SECONDS each (default 20; 600 = the"
	@echo "                         release run), built in build-sanitize/"
	@echo "  make lint              clang-format check and clang-tidy"
	@echo "  make format-check      the clang-format check alone (CI)"
	@echo "  make format            apply clang-format"
	@echo "  make build             build libdeltacat, the CLI (build/bin/deltacat), dist/ (tarball"
	@echo "                         and the deltacat_cpp wheel, installed into venv/)"
	@echo "  make rebuild           clean-build, then build"
	@echo "  make benchmark         run the benchmarks (writes BENCHMARKS.md; BENCH_ARGS=--quick)"
	@echo "  make deploy-s3         build, then upload dist/ to s3://deltacat-packages-{stage}"
	@echo "  make venv | install    create venv/ | add developer requirements to it"
	@echo "  make clean-build | clean-venv | clean"

system-deps:
	@dev/setup/install-system-deps.sh

# --- Python virtual environment -------------------------------------------------------------
$(VENV)/.build-stamp: build-requirements.txt
	@$(MAKE) --no-print-directory system-deps
	@if [ ! -x $(VENV_PY) ]; then \
	  py=$$(dev/setup/find-python.sh); echo "Creating $(VENV)/ with $$py"; \
	  "$$py" -m venv $(VENV); fi
	$(VENV_PY) -m pip install -q --disable-pip-version-check -r build-requirements.txt
	@touch $@

$(VENV)/.dev-stamp: dev-requirements.txt $(VENV)/.build-stamp
	$(VENV_PY) -m pip install -q --disable-pip-version-check -r dev-requirements.txt
	@touch $@

venv: $(VENV)/.build-stamp

install: $(VENV)/.dev-stamp

clean-venv:
	rm -rf $(VENV)

$(INTEROP_VENV)/.stamp: tests/interop/requirements-interop.txt
	@$(MAKE) --no-print-directory system-deps
	@if [ ! -x $(INTEROP_PY) ]; then \
	  py=$$(DELTACAT_PYTHON= dev/setup/find-python.sh); \
	  if ! "$$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	    echo "error: the Python DeltaCAT package needs Python 3.10; found $$py" >&2; exit 1; fi; \
	  echo "Creating $(INTEROP_VENV)/ with $$py"; "$$py" -m venv $(INTEROP_VENV); fi
	$(INTEROP_PY) -m pip install -q --disable-pip-version-check -r tests/interop/requirements-interop.txt
	@touch $@

interop-venv: $(INTEROP_VENV)/.stamp

# --- Build ----------------------------------------------------------------------------------
$(BUILD_DIR)/build.ninja: | $(VENV)/.build-stamp
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE) \
	  -DDELTACAT_PYTHON=$(abspath $(VENV_PY))

configure: $(VENV)/.build-stamp $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR)
	@$(MAKE) --no-print-directory package wheel

# The binary tarball is repacked only when what it contains changed.
package: $(TARBALL)

$(TARBALL): $(BUILD_DIR)/bin/deltacat $(BUILD_DIR)/lib/libdeltacat.so VERSION README.md
	@rm -rf $(BUILD_DIR)/stage && mkdir -p $(DIST_DIR)
	cmake --install $(BUILD_DIR) --prefix $(BUILD_DIR)/stage/deltacat-cpp-$(VERSION) >/dev/null
	tar -C $(BUILD_DIR)/stage -czf $@ deltacat-cpp-$(VERSION)
	@cd $(DIST_DIR) && sha256sum $(notdir $@) > $(notdir $@).sha256
	@echo "Packaged $@"

# The deltacat_cpp wheel (scikit-build-core, pyproject.toml), installed into venv/.
wheel: $(WHEEL_STAMP)

# It bundles the libdeltacat.so that `cmake --build` just compiled (stripped, with the wheel's
# RUNPATH) rather than compiling the library a second time.
$(WHEEL_STAMP): $(WHEEL_SOURCES) CMakeLists.txt pyproject.toml VERSION README.md \
                build-requirements.txt $(VENV)/.build-stamp $(BUILD_DIR)/lib/libdeltacat.so
	@mkdir -p $(DIST_DIR) $(BUILD_DIR)
	@rm -f $(DIST_DIR)/deltacat_cpp-$(VERSION)-*.whl
	$(VENV_PY) -m pip wheel . -w $(DIST_DIR) --no-build-isolation --no-deps \
	  --disable-pip-version-check --config-settings=build-dir=$(BUILD_DIR)/python \
	  --config-settings=cmake.define.DELTACAT_PREBUILT_LIBRARY=$(abspath $(BUILD_DIR))/lib/libdeltacat.so
	$(VENV_PY) -m pip install --force-reinstall --no-deps --disable-pip-version-check -q \
	  $(DIST_DIR)/deltacat_cpp-$(VERSION)-*.whl
	@touch $@

clean-build:
	rm -rf $(BUILD_DIR) $(BUILD_DIR)-sanitize $(DIST_DIR)

rebuild: clean-build
	@$(MAKE) --no-print-directory build

clean: clean-build clean-venv
	rm -rf venv-interop .deltacat .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# --- Deploy ---------------------------------------------------------------------------------
# Uploads dist/ (binary tarball, and wheels when present) to s3://deltacat-packages-{stage}
# and prints presigned install URLs. See docs/developer-workflow.md.
deploy-s3: build install
	$(VENV_PY) dev/deploy/deploy_s3.py --dist-dir $(DIST_DIR)

# --- Run ------------------------------------------------------------------------------------
quickstart: build
	$(BUILD_DIR)/bin/quickstart

# --- Tests ----------------------------------------------------------------------------------
test: install build
	ctest --test-dir $(BUILD_DIR) -L unit -j $(CTEST_JOBS) --output-on-failure
	$(VENV_PY) -m pytest tests/python -q

test-integration: install build interop-venv
	$(INTEROP_PY) -m pip install -q --force-reinstall --no-deps --disable-pip-version-check \
	  $(DIST_DIR)/deltacat_cpp-$(VERSION)-*.whl
	DELTACAT_INTEROP_PYTHON=$(abspath $(INTEROP_PY)) \
	  ctest --test-dir $(BUILD_DIR) -L integration -j $(CTEST_JOBS) --output-on-failure
	$(VENV_PY) -m pytest tests/devtools -q
	$(INTEROP_PY) -m pytest tests/python/test_deltacat_interop.py -q
	DELTACAT_BUILD_DIR=$(abspath $(BUILD_DIR)) $(VENV_PY) -m pytest tests/ray -q

test-integration-rebuild:
	rm -rf $(INTEROP_VENV) $(BUILD_DIR)/integration
	@$(MAKE) --no-print-directory test-integration

# The sanitizer tree (clang, ASan + UBSan, -O0): the unit test suite, and the fuzzers of
# `make fuzz`, which link the same instrumented library.
SANITIZE_CXX ?= /usr/lib/llvm-14/bin/clang++
SANITIZE_DIR := $(BUILD_DIR)-sanitize
$(SANITIZE_DIR)/build.ninja: $(VENV)/.build-stamp Makefile
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_COMPILER=$(SANITIZE_CXX) -DCMAKE_CXX_FLAGS_DEBUG="-O0 -gline-tables-only" \
	  -DDELTACAT_SANITIZE=ON -DDELTACAT_BUILD_BENCHMARKS=OFF -DDELTACAT_BUILD_EXAMPLES=OFF \
	  -DDELTACAT_BUILD_INTEGRATION_TESTS=OFF \
	  -DDELTACAT_PYTHON=$(abspath $(VENV_PY))

build-sanitize: install $(SANITIZE_DIR)/build.ninja
	cmake --build $(SANITIZE_DIR)

test-sanitize: build-sanitize
	ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(SANITIZE_DIR) -L unit -j $(CTEST_JOBS) --output-on-failure

# The long crash-consistency run: CRASH_POINTS writer processes killed at random points (and
# fault-injected crashes), seeded by CRASH_SEED; `make test` runs a short version.
CRASH_POINTS ?= 600
CRASH_SEED ?= 1
test-crash: install build
	DELTACAT_CRASH_POINTS=$(CRASH_POINTS) DELTACAT_CRASH_SEED=$(CRASH_SEED) \
	  $(BUILD_DIR)/bin/reliability_tests --gtest_filter='CrashHarness.*'

# libFuzzer targets (fuzz/), in the sanitizer tree: FUZZ_SECONDS per target.
FUZZ_SECONDS ?= 20
FUZZ_TARGETS ?=
fuzz: install $(SANITIZE_DIR)/build.ninja
	cmake --build $(SANITIZE_DIR) --target fuzzers
	dev/fuzz/run-fuzzers.sh $(SANITIZE_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# --- Code style -----------------------------------------------------------------------------
format-check:
	@echo "clang-format: checking $(words $(LINT_FILES)) files"
	@clang-format --dry-run --Werror $(LINT_FILES)

lint: configure format-check
	@echo "clang-tidy: checking src/"
	@dev/lint/run-clang-tidy.sh $(BUILD_DIR)

format:
	clang-format -i $(LINT_FILES)

# --- Benchmarks -----------------------------------------------------------------------------
# BENCH_ARGS=--quick for a small smoke run; the default scale is the issues' (an hour or more).
benchmark: install build interop-venv
	nice $(VENV_PY) bench/run_benchmarks.py --build-dir $(BUILD_DIR) \
	  --interop-python $(abspath $(INTEROP_PY)) $(BENCH_ARGS)
