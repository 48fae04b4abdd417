# Quick start: `make demo` installs everything into .venv and checks the bundled example; `make test` runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

.PHONY: install demo test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[test]"
	touch $@

DEMO_ARCHIVE := out/demo_archive.sqlite
DEMO := $(VENV)/bin/factdesk check examples/transit_rewrite.txt --published 2024-03-12 --url https://harborview-patriot.example/transit --archive $(DEMO_ARCHIVE)

demo: install
	$(VENV)/bin/factdesk archive add examples/transit_coverage.jsonl --archive $(DEMO_ARCHIVE)
	$(DEMO) --format terminal
	$(DEMO) -o out/transit_report.html
	@echo "HTML report written to out/transit_report.html"

test: install
	$(PY) -m pytest -n 2

bench: install
	$(PY) bench/bench_check.py

clean:
	rm -rf $(VENV) out .pytest_cache
