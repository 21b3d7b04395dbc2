# Action server image (scoring, visit flow). Build from the project root:
#   docker build -f deploy/docker/actions.Dockerfile -t ptsp/actions:latest .
# Same pinned set as the Rasa image (the scorer and rasa-sdk are tested in that environment).
FROM python:3.10-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false

WORKDIR /app
RUN useradd --create-home --uid 1000 ptsp

COPY requirements.txt requirements.lock ./
RUN grep -v -E '^(pytest|ruff|kubernetes-validate|playwright)==' requirements.txt > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt -c requirements.lock \
    && rm /tmp/requirements.txt

COPY --chown=ptsp:ptsp . .
RUN chown ptsp:ptsp /app
USER 1000

EXPOSE 5055
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5055/health', timeout=4)"
CMD ["rasa", "run", "actions", "--actions", "actions", "--port", "5055"]
