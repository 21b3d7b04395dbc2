# Web service image (trainee page + trainer review, `python -m web`). Build from the project root:
#   docker build -f deploy/docker/web.Dockerfile -t ptsp/web:latest .
# It talks to Rasa over REST (RASA_URL) and reads the tracker store named by PTSP_ENDPOINTS
# (endpoints.prod.yml in production). Health: GET /healthz.
FROM python:3.10-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false \
    PTSP_DATA_DIR=/app/var

WORKDIR /app
RUN useradd --create-home --uid 1000 ptsp

COPY requirements.txt requirements.lock ./
RUN grep -v -E '^(pytest|ruff|kubernetes-validate|playwright)==' requirements.txt > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt -c requirements.lock \
    && rm /tmp/requirements.txt

COPY --chown=ptsp:ptsp . .
RUN mkdir -p var && chown ptsp:ptsp /app var
USER 1000

EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"
CMD ["python", "-m", "web", "--port", "8080"]
