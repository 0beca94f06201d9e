# syntax=docker/dockerfile:1
#
# Frontline in a container: one binary (the front end is embedded in it),
# on a small Debian image, running as an unprivileged user, with its SQLite
# database on the /data volume.
#
#   docker build -t frontline .
#   docker run -d --name frontline -p 8080:8080 -v frontline-data:/data frontline
#   # the demo instead (its own database file on the volume):
#   docker run --rm -p 8080:8080 -v frontline-data:/data \
#       -e FRONTLINE_DB=/data/frontline-demo.db frontline frontline demo
#
# Settings are the FRONTLINE_* variables of the README (FRONTLINE_TOKEN,
# FRONTLINE_PUBLIC_URL, FRONTLINE_FRAME_ORIGINS…). Needs BuildKit (the
# default builder of current Docker) for the cache mounts.

ARG RUST_VERSION=1.95
ARG DEBIAN=bookworm

# ---- build: the map's npm packages, then the release binary --------------
FROM rust:${RUST_VERSION}-${DEBIAN} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# The npm packages the binary embeds (Leaflet, leaflet.markercluster,
# topojson-client, world-atlas); this layer is redone only when the lock
# file changes. The test tools (devDependencies) are left out.
COPY frontend/package.json frontend/package-lock.json frontend/
RUN cd frontend && npm ci --omit=dev --no-audit --no-fund --loglevel=error

COPY Cargo.toml Cargo.lock ./
COPY gazetteer gazetteer
COPY backend backend
COPY migrations migrations
COPY frontend frontend
# The server crate's manifest names the end-to-end tests (not built here).
COPY tests tests

# Without debug information (the repository's release profile keeps it for
# profiling): a smaller binary.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    CARGO_PROFILE_RELEASE_DEBUG=0 cargo build --release --locked -p frontline \
 && install -D -m 0755 target/release/frontline /out/frontline

# ---- runtime --------------------------------------------------------------
FROM debian:${DEBIAN}-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 frontline \
 && useradd --system --uid 10001 --gid frontline --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin frontline \
 && mkdir -p /data \
 && chown frontline:frontline /data
COPY --from=build /out/frontline /usr/local/bin/frontline

USER frontline:frontline
WORKDIR /data
ENV FRONTLINE_ADDR=0.0.0.0:8080 \
    FRONTLINE_DB=/data/frontline.db
VOLUME ["/data"]
EXPOSE 8080
# `frontline serve` stops cleanly on SIGTERM (docker stop).
STOPSIGNAL SIGTERM
CMD ["frontline", "serve"]
