# siftd — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(PATH):/opt/swift/usr/bin

SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=
VAR ?= $(CURDIR)/var
SEED_FILES := $(wildcard seeds/*)

.PHONY: all deps build release run test bench clean

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

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	rm -rf "$${TMPDIR:-/tmp}/siftd-bench"
	SIFTD_BENCHMARKS=1 $(SWIFT) package --scratch-path .build-bench --allow-writing-to-package-directory benchmark --no-progress
	rm -rf "$${TMPDIR:-/tmp}/siftd-bench"

clean:
	rm -rf .build var
