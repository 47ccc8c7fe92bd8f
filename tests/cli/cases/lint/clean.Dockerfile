# syntax=docker/dockerfile:1
FROM golang:1.22@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12@sha256:0000000000000000000000000000000000000000000000000000000000000000
COPY --from=build /out/app /app
USER 65532:65532
HEALTHCHECK CMD ["/app", "healthcheck"]
ENTRYPOINT ["/app"]
