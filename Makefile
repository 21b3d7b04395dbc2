# PTSP counter-clerk trainer — the commands a newcomer needs:
#   make run    set up on first use, then start the action server and the Rasa server
#   make test   set up if needed, then validate data, lint, pytest, test stories, NLU holdout
.PHONY: setup train run run-prod shell test lint bench clean soak fuzz

setup:
	@bash scripts/setup.sh

train: setup
	@bash scripts/train.sh

run: train
	@bash scripts/run.sh

# Production profile locally: PostgreSQL + Redis, 2 Rasa replicas and 2 action servers behind
# nginx (:5005, :5055), web service :8080; settings from deploy/prod.env(.example).
run-prod: train
	@bash scripts/run_prod.sh

# Practice in the terminal, in Indonesian (sets up and trains itself; TRAINEE=ID signs in).
shell:
	@bash scripts/shell.sh

test: train
	@bash scripts/test.sh

lint: setup
	@.venv/bin/ruff check .

bench: train
	@bash scripts/bench.sh

clean:
	rm -rf models/*.tar.gz results .pytest_cache .ruff_cache

# Soak: 20 trainees for 10 minutes (make soak SOAK_MINUTES=2), a new conversation per visit and
# ~1 s typing per turn (near saturation), RSS of both servers every 30 s.
soak: train
	@.venv/bin/python bench/bench_load.py --soak --minutes $(or $(SOAK_MINUTES),10) --fresh-visits --think-seconds 1

# Long fuzzing of every door (REST channel, web service): 400 examples per property.
fuzz: train
	@PTSP_FUZZ=long .venv/bin/python -m pytest -q tests/test_fuzz.py
