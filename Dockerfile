# The helixgraph API as an image: a build stage installs the package into a virtual
# environment, the runtime stage copies only that environment and runs it as an unprivileged
# user.
#
#   docker build -t helixgraph .
#   docker run --rm -p 127.0.0.1:8000:8000 -v helixgraph-data:/data helixgraph
#
# The embedded store keeps its file in /data (HELIX_DATA_DIR) and loads the Drenthe agenda on
# its first start. docker-compose.yml runs it against Neo4j instead.

# Both stages use the same base: the venv's python links to the base image's interpreter.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
RUN python -m venv /opt/venv
# The dependencies first, in their own layer: a change of the code alone does not fetch them
# again. All come as wheels (pure Python, or manylinux such as pydantic-core): no compiler.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
 && /opt/venv/bin/pip install --only-binary :all: -r requirements.txt
# Then the package; its data (seed/data/*.csv) goes into the wheel through package-data.
COPY . .
RUN /opt/venv/bin/pip install . \
 && /opt/venv/bin/python -c "import importlib.resources as r; assert any(p.name.endswith('.csv') for p in r.files('seed').joinpath('data').iterdir())" \
 && /opt/venv/bin/pip uninstall --yes pip setuptools

FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="helixgraph" \
      org.opencontainers.image.description="The quadruple-helix stakeholder network of the Agenda Gezondheidseconomie Drenthe as a graph service" \
      org.opencontainers.image.licenses="EUPL-1.2"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/opt/venv/bin:${PATH}" \
    HELIX_DATA_DIR=/data
# A fixed uid/gid, so a volume or bind mount can be given to it from outside.
RUN groupadd --system --gid 10001 helix \
 && useradd --system --uid 10001 --gid helix --no-create-home --home-dir /app \
      --shell /usr/sbin/nologin helix \
 && mkdir -p /app /data \
 && chown helix:helix /app /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# Owned by the user before VOLUME: a new named volume starts with this ownership.
VOLUME /data
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
CMD ["helixgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
