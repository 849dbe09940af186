# siftd — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(PATH):/opt/swift/usr/bin

SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=
VAR ?= $(CURDIR)/var
SEED_FILES := $(wildcard seeds/*)

BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
DATADIR ?= $(PREFIX)/share
DOCDIR ?= $(DATADIR)/doc/siftd
UNITDIR ?= $(LIBDIR)/systemd/system
SYSUSERSDIR ?= $(LIBDIR)/sysusers.d
TMPFILESDIR ?= $(LIBDIR)/tmpfiles.d
CATALOGDIR ?= $(LIBDIR)/systemd/catalog
SYSCONFDIR ?= /etc

.PHONY: all deps build release run test lint format bench bench-check bench-thresholds fuzz clean install install-files uninstall

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Runs the daemon in the foreground on ./var with the seeds in its inbox; Ctrl-C stops it.
run: release
	@mkdir -p $(VAR)/inbox
	@for seed in $(SEED_FILES); do cp "$$seed" "$(VAR)/inbox/.$$(basename "$$seed").part" && mv "$(VAR)/inbox/.$$(basename "$$seed").part" "$(VAR)/inbox/$$(basename "$$seed")"; done
	@echo "siftd: results appear in $(VAR)/outbox; drop more files into $(VAR)/inbox; Ctrl-C stops."
	$(SWIFT) run -c release --skip-build siftd run --spool $(VAR) --instance local

# Strict: this package's warnings are errors (SIFTD_STRICT, see Package.swift), and a target may
# import only the modules it declares.
test: deps
	SIFTD_STRICT=1 $(SWIFT) build --build-tests --explicit-target-dependency-import-check error
	SIFTD_STRICT=1 $(SWIFT) build --package-path examples/swift-plugin
	SIFTD_STRICT=1 $(SWIFT) test --skip-build

# The Swift sources, formatted by the toolchain's swift-format with .swift-format.
FORMATTED := Package.swift Sources Tests Benchmarks examples/swift-plugin/Package.swift examples/swift-plugin/Sources

# Fails on any difference from the formatting .swift-format describes, or a rule it breaks.
lint:
	$(SWIFT) format lint --strict --recursive --parallel $(FORMATTED)

# Formats the sources in place.
format:
	$(SWIFT) format format --in-place --recursive --parallel $(FORMATTED)

# The package benchmarks (the models; the daemon's bursts beside the I/O floor, with CPU time
# per document), then each stage's cost per KB at four sizes (fails past 1.5× from 100 KB to
# 5 MB) and the daemon's memory growth over 10,000 documents after 10,000 of warm-up (fails
# past 5 MB). BENCH_MEMORY_DOCUMENTS=50000 is the issue's longer run.
BENCH_MEMORY_DOCUMENTS ?= 20000
bench: release
	rm -rf "$${TMPDIR:-/tmp}/siftd-bench"
	SIFTD_BENCHMARKS=1 $(SWIFT) package --scratch-path .build-bench --allow-writing-to-package-directory benchmark --no-progress
	rm -rf "$${TMPDIR:-/tmp}/siftd-bench"
	scripts/measure-scaling.sh
	scripts/measure-memory.sh $(BENCH_MEMORY_DOCUMENTS) 5000 2 5

# The benchmarks against the committed thresholds (Benchmarks/Thresholds, tolerances in the
# benchmarks' code); fails naming the benchmark and the metric that regressed.
bench-check: deps
	SWIFT=$(SWIFT) scripts/bench-thresholds.sh check

# Records Benchmarks/Thresholds anew (the median of BENCH_RUNS runs), deliberately: commit the
# diff with the reason.
BENCH_RUNS ?= 3
bench-thresholds: deps
	SWIFT=$(SWIFT) scripts/bench-thresholds.sh update $(BENCH_RUNS)

# Fuzzes ingestion (bytes → decoded text → HTML/JSON/Markdown/text) with libFuzzer for
# FUZZ_SECONDS; see scripts/fuzz.sh for the other knobs. Crash, hang and out-of-memory inputs
# land in .fuzz/artifacts/, and the target then fails.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

clean:
	rm -rf .build var

# Builds a release binary and installs it with everything around it.
install: release
	$(MAKE) install-files BINARY="$$($(SWIFT) build -c release --show-bin-path)/siftd"

# Installs BINARY with the models built beside it (into DATADIR/siftd, where siftd
# looks relative to BINDIR), the unit, sysusers and tmpfiles entries, the journal catalog, the example
# configuration (never over an existing one), the example plugin and the docs. Without
# DESTDIR, also creates the user and the spool and tells systemd and journald.
install-files:
	@test -n "$(BINARY)" || { echo "install-files: set BINARY to the siftd binary to install" >&2; exit 1; }
	install -D -m 0755 "$(BINARY)" "$(DESTDIR)$(BINDIR)/siftd"
	install -D -m 0644 "$(dir $(BINARY))siftd_SiftLanguageID.resources/langid.model" "$(DESTDIR)$(DATADIR)/siftd/langid.model"
	install -D -m 0644 "$(dir $(BINARY))siftd_SiftEntityTagger.resources/ner.model" "$(DESTDIR)$(DATADIR)/siftd/ner.model"
	install -d "$(DESTDIR)$(UNITDIR)"
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/siftd.service > "$(DESTDIR)$(UNITDIR)/siftd.service"
	chmod 0644 "$(DESTDIR)$(UNITDIR)/siftd.service"
	install -D -m 0644 systemd/siftd.sysusers "$(DESTDIR)$(SYSUSERSDIR)/siftd.conf"
	install -D -m 0644 systemd/siftd.tmpfiles "$(DESTDIR)$(TMPFILESDIR)/siftd.conf"
	install -D -m 0644 systemd/siftd.catalog "$(DESTDIR)$(CATALOGDIR)/siftd.catalog"
	install -D -m 0644 systemd/siftd.yaml "$(DESTDIR)$(DOCDIR)/siftd.yaml.example"
	install -D -m 0644 systemd/siftd-metrics.conf "$(DESTDIR)$(DOCDIR)/siftd-metrics.conf"
	test -e "$(DESTDIR)$(SYSCONFDIR)/siftd/siftd.yaml" || \
	  sed -e 's|/usr/local/share/siftd|$(DATADIR)/siftd|g' systemd/siftd.yaml | install -D -m 0644 /dev/stdin "$(DESTDIR)$(SYSCONFDIR)/siftd/siftd.yaml"
	install -D -m 0755 examples/plugins/top_words.py "$(DESTDIR)$(DATADIR)/siftd/examples/plugins/top_words.py"
	install -D -m 0644 README.md "$(DESTDIR)$(DOCDIR)/README.md"
	install -D -m 0644 docs/result.schema.json "$(DESTDIR)$(DOCDIR)/result.schema.json"
	install -D -m 0644 docs/error.schema.json "$(DESTDIR)$(DOCDIR)/error.schema.json"
	@if [ -z "$(DESTDIR)" ]; then \
	  systemd-sysusers "$(SYSUSERSDIR)/siftd.conf" && \
	  systemd-tmpfiles --create "$(TMPFILESDIR)/siftd.conf" && \
	  journalctl --update-catalog && \
	  if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; \
	fi
	@echo "siftd installed: systemctl enable --now siftd"

# Removes what install put in place; keeps /etc/siftd, the spool and the user.
uninstall:
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl disable --now siftd 2>/dev/null || true; fi
	rm -f "$(DESTDIR)$(BINDIR)/siftd" "$(DESTDIR)$(UNITDIR)/siftd.service" \
	  "$(DESTDIR)$(SYSUSERSDIR)/siftd.conf" "$(DESTDIR)$(TMPFILESDIR)/siftd.conf" \
	  "$(DESTDIR)$(CATALOGDIR)/siftd.catalog"
	rm -rf "$(DESTDIR)$(DATADIR)/siftd" "$(DESTDIR)$(DOCDIR)"
	@if [ -z "$(DESTDIR)" ]; then journalctl --update-catalog || true; \
	  if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; fi
	@echo "siftd uninstalled; /etc/siftd, /var/spool/siftd and the siftd user are kept"
