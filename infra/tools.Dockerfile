# MLflow and Chroma servers at exactly the versions the embedded stack pins (infra/requirements.txt).
FROM python:3.11-slim
RUN pip install --no-cache-dir psycopg2-binary==2.9.10
COPY infra/requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt
