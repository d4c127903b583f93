# syntax=docker/dockerfile:1.7
# Multi-stage build: the browser app is built with Node, the server installed into a virtualenv,
# and the final image runs as an unprivileged user with neither compiler nor Node.

FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm AS python-build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY pyproject.toml README.md ./
COPY app/ app/
RUN pip install --no-deps .

FROM python:3.11-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BREAKOUTS_ENVIRONMENT=production
# LibreOffice Writer makes the report's PDF from its DOCX (app/reports/pdf.py), driven through its uno
# bridge (python3-uno) so that the contents list page numbers; the Noto fonts carry
# Bengali. Without them the server runs and the PDF export answers 501 `pdf_unavailable`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libreoffice-writer-nogui python3-uno fonts-noto-core fontconfig \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system breakouts && useradd --system --gid breakouts --home-dir /srv/breakouts breakouts
WORKDIR /srv/breakouts
COPY --from=python-build /opt/venv /opt/venv
COPY --chown=breakouts:breakouts alembic.ini ./
COPY --chown=breakouts:breakouts migrations/ migrations/
COPY --chown=breakouts:breakouts app/ app/
COPY --from=frontend --chown=breakouts:breakouts /src/frontend/dist frontend/dist
RUN mkdir -p var && chown breakouts:breakouts var
USER breakouts
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
# Migrate, then serve. Secrets and URLs come from BREAKOUTS_* variables at run time.
CMD ["sh", "-c", "breakouts db upgrade && exec breakouts serve --host 0.0.0.0 --port 8000 --workers ${BREAKOUTS_WORKERS:-1}"]
