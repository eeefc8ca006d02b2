# syntax=docker/dockerfile:1
ARG REGISTRY=docker.io
ARG GO_VERSION=1.22
ARG DEBIAN_TAG
ARG BASE=${REGISTRY}/library/debian

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=bind,from=ghcr.io/acme/tools:1.0,source=/bin,target=/tools \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .

FROM build AS test
RUN go test ./...

FROM scratch AS assets
COPY --from=docker.io/library/nginx:1.25 /usr/share/nginx/html /html

FROM ${BASE}:${DEBIAN_TAG:-12-slim} AS runtime
COPY --from=build /out/app /app
COPY --from=2 /html /html
COPY --from=busybox:1.36 /bin/busybox /busybox
ONBUILD COPY --from=child-only:1 / /
ENTRYPOINT ["/app"]
