# PTSP counter-clerk trainer — the commands a newcomer needs:
#   make run    set up on first use, then start the action server and the Rasa server
#   make test   set up if needed, then validate data, lint, pytest, test stories, NLU holdout
.PHONY: setup train run shell test lint bench clean

setup:
	@bash scripts/setup.sh

train: setup
	@bash scripts/train.sh

run: train
	@bash scripts/run.sh

shell: train
	@bash scripts/shell.sh

test: train
	@bash scripts/test.sh

lint: setup
	@.venv/bin/ruff check actions tests bench scripts

bench: train
	@bash scripts/bench.sh

clean:
	rm -rf models/*.tar.gz results .pytest_cache .ruff_cache
