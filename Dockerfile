# Self-hosting the dashboard (README "Self-hosting"): one container, data on a volume, behind
# an HTTPS reverse proxy. Build: docker build -t insights .
# Run:   docker run -d -p 8501:8501 -v insights-data:/app/data \
#          -v "$PWD/.streamlit/secrets.toml:/app/.streamlit/secrets.toml:ro" insights
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BROWSER_PATH=/usr/bin/chromium \
    INSIGHTS_MODEL_CACHE=/app/data/models

# The weekly report renders its charts to PNG with kaleido, which drives a system chromium;
# CJK fonts so the Chinese labels are not drawn as boxes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 insights
WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY --chown=insights:insights . .
RUN mkdir -p /app/data && chown insights:insights /app/data

USER insights
# The store's database and the demo live here (db.DEFAULT_DB, db.DEMO_DB): keep it on a volume.
VOLUME /app/data
EXPOSE 8501

# slim has no curl: ask Streamlit's own health endpoint with the standard library.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4).status == 200 else 1)"]

CMD ["streamlit", "run", "app.py", "--server.address", "0.0.0.0"]
