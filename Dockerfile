# The portal image for docker-compose.yml (the untested path: no Docker engine on our machines).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-liberation nodejs npm postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml package.json package-lock.json ./
COPY . .
RUN pip install --no-cache-dir -e . \
 && npm ci --no-audit --no-fund && npm run build \
 && DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=build \
    FIELD_ENCRYPTION_KEYS=ZmFrZS1idWlsZC1rZXktZmFrZS1idWlsZC1rZXktMDA= \
    BLIND_INDEX_KEY=YnVpbGQtb25seS1ibGluZC1pbmRleC1rZXktMDAwMDA= \
    python manage.py collectstatic --noinput
RUN useradd --create-home portal && mkdir -p /app/private_media && chown portal /app/private_media
USER portal
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "portal.wsgi:application"]
