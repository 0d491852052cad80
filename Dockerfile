# Vigil's binaries in one image each: docker build --target operator .
# (config-reloader, example-app likewise). There is no container runtime
# where Vigil is developed; make dev maps these images to locally built
# binaries instead.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN for b in operator config-reloader example-app vigilctl; do \
      CGO_ENABLED=0 go build -trimpath \
        -ldflags "-s -w -X github.com/vigil-monitoring/vigil/internal/workload.Version=${VERSION}" \
        -o /out/$b ./cmd/$b; \
    done

FROM gcr.io/distroless/static:nonroot AS operator
COPY --from=build /out/operator /operator
USER 65532:65532
ENTRYPOINT ["/operator"]

FROM gcr.io/distroless/static:nonroot AS config-reloader
COPY --from=build /out/config-reloader /config-reloader
USER 65532:65532
ENTRYPOINT ["/config-reloader"]

FROM gcr.io/distroless/static:nonroot AS example-app
COPY --from=build /out/example-app /example-app
USER 65532:65532
ENTRYPOINT ["/example-app"]
