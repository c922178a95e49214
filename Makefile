# The two commands a newcomer needs. See README.md.
.DEFAULT_GOAL := help
.PHONY: help run test bootstrap

help:
	@echo "make run   serve Alliance with the demo on http://127.0.0.1:8000"
	@echo "make test  run every check and test (SQLite, PostgreSQL, browser)"

run:
	scripts/run.sh

test:
	scripts/test.sh $(ARGS)

bootstrap:
	scripts/bootstrap.sh
