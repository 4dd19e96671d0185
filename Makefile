# The two set-up commands of README.md; both work on a fresh machine.
#   make serve   bake a project with the default answers into .build/ and serve it
#   make test    run the whole test suite
# VENV picks where the tools go (.ci/run passes a fresh one); PORT is where
# `make serve` listens (make serve PORT=8001).

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(abspath $(VENV))/bin

.PHONY: serve test

serve: $(BIN)/.installed
	rm -rf .build
	$(BIN)/cookiecutter --no-input --output-dir .build .
	cd .build/my_auth_api && $(BIN)/python manage.py migrate && $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(BIN)/.installed
	$(BIN)/python -m pytest -n auto

$(BIN)/.installed: requirements.txt {{cookiecutter.project_slug}}/requirements/*.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@
