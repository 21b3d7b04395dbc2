# Rasa server image (the citizen). Build from the project root:
#   docker build -f deploy/docker/rasa.Dockerfile -t ptsp/rasa:latest .
# The same image runs the `train-model` Job (deploy/k8s/04-train-model-job.yml): config.yml,
# domain.yml and data/ are in it. Models are NOT baked in (.dockerignore drops models/): they come
# from the `models` volume mounted at /app/models.
FROM python:3.10-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false

WORKDIR /app
RUN useradd --create-home --uid 1000 ptsp

# requirements.lock (the full pinned set) is the constraints file, as in scripts/setup.sh.
# Test-only tools (pytest, ruff, kubernetes-validate, playwright) stay out of the image. In the
# dev .venv every compiled package came as a manylinux wheel (only docopt, mattermostwrapper and
# randomname were built, all pure Python), so the slim base needs no compiler.
COPY requirements.txt requirements.lock ./
RUN grep -v -E '^(pytest|ruff|kubernetes-validate|playwright)==' requirements.txt > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt -c requirements.lock \
    && rm /tmp/requirements.txt

COPY --chown=ptsp:ptsp . .
RUN mkdir -p models var && chown ptsp:ptsp /app models var
USER 1000

EXPOSE 5005
HEALTHCHECK --interval=30s --timeout=5s --start-period=300s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/', timeout=4)"
# The API token is never an argument (every process's command line is visible to anyone who
# can list processes, e.g. on the node): channels/launch.py reads $RASA_TOKEN (or the file named
# by $RASA_TOKEN_FILE, mode 600) and adds --auth-token inside the process. An empty token would
# leave the HTTP API (--enable-api) open, so the container refuses to start without one.
CMD ["sh", "-c", "[ -n \"${RASA_TOKEN:-}${RASA_TOKEN_FILE:-}\" ] || { echo 'RASA_TOKEN must be set' >&2; exit 1; }; exec python -m channels.launch run --model models --endpoints endpoints.prod.yml --credentials credentials.yml --port 5005 --enable-api"]
