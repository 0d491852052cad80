# Vigil's build. Every tool the targets need is built by hack/tools/install.sh
# into a cache outside the repository ($(VIGIL_BIN)), once.

SHELL := /usr/bin/env bash -o pipefail
.SHELLFLAGS := -ec

VIGIL_BIN ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/vigil/bin
export VIGIL_BIN

K8S_VERSION := v1.37.2
ETCD_VERSION := v3.7.3
CONTROLLER_TOOLS_VERSION := v0.23.0

CONTROLLER_GEN := $(VIGIL_BIN)/controller-gen-$(CONTROLLER_TOOLS_VERSION)
ENVTEST_ASSETS := $(VIGIL_BIN)/envtest-$(K8S_VERSION)

.PHONY: all
all: build

##@ Development

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate deepcopy code for the API types.
	$(CONTROLLER_GEN) object paths=./api/...

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate CRDs into config/crd/bases and the operator's ClusterRole from +kubebuilder:rbac markers into config/rbac.
	$(CONTROLLER_GEN) crd paths=./api/... output:crd:artifacts:config=config/crd/bases
	$(CONTROLLER_GEN) rbac:roleName=vigil-operator paths=./controllers/... output:rbac:artifacts:config=config/rbac

.PHONY: fmt
fmt: ## Run gofmt on the code.
	gofmt -l -w $$(git ls-files '*.go')

.PHONY: vet
vet: ## Run go vet.
	go vet ./...
	go vet -tags e2e ./e2e/...
	cd hack/compat && go vet ./...

.PHONY: verify
verify: generate manifests ## Regenerate everything and fail if the tree changed.
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above are not formatted"; exit 1; }
	go mod tidy
	cd hack/compat && go mod tidy
	@git diff --exit-code -- . || { echo "verify: generated files are out of date; run make generate manifests and commit"; exit 1; }
	@test -z "$$(git status --porcelain --untracked-files=all -- api config go.mod go.sum)" || { git status --porcelain -- api config; echo "verify: untracked generated files"; exit 1; }

.PHONY: build
build: ## Build every package.
	go build ./...

##@ Tests

.PHONY: test
test: tools e2e-tools verify vet ## Run all tests against real components.
	KUBEBUILDER_ASSETS=$(ENVTEST_ASSETS) go test -count=1 ./...
	$(MAKE) test-compat
	$(MAKE) test-e2e

E2E_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/vigil/e2e
E2E_FLAGS ?=

.PHONY: test-e2e
test-e2e: envtest-assets e2e-tools ## End-to-end tests on a local cluster (root; part of test).
	VIGIL_E2E_DIR=$(E2E_DIR) go test -tags e2e -count=1 -p 1 -timeout 40m ./e2e/ ./e2e/cluster/ $(E2E_FLAGS)

.PHONY: test-compat
test-compat: envtest-assets ## Compare with Prometheus Operator v0.93.0 (hack/compat, its own module).
	cd hack/compat && KUBEBUILDER_ASSETS=$(ENVTEST_ASSETS) go test -count=1 ./...

BENCH_COMPAT_FLAGS ?= -count 3 -benchtime 3x

.PHONY: bench-compat
bench-compat: ## Benchmark Vigil's generator and Prometheus Operator's on one input, back to back; print the ratios (not part of test).
	cd hack/compat && go run ./cmd/benchcompare -repo ../.. $(BENCH_COMPAT_FLAGS)

PROMETHEUS_OPERATOR_VERSION := v0.93.0
PROMETHEUS_OPERATOR := $(VIGIL_BIN)/prometheus-operator-$(PROMETHEUS_OPERATOR_VERSION)
BENCH_SCALE_DIR := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/vigil/bench-scale
BENCH_SCALE_FLAGS ?= -n 1000,5000

.PHONY: bench-scale
bench-scale: envtest-assets $(PROMETHEUS_OPERATOR) ## Run Vigil's operator and Prometheus Operator's on one API server with N ServiceMonitors; print the ratios (not part of test).
	go build -o $(BENCH_SCALE_DIR)/vigil-operator ./cmd/operator
	KUBEBUILDER_ASSETS=$(ENVTEST_ASSETS) go run ./hack/benchscale -vigil $(BENCH_SCALE_DIR)/vigil-operator \
		-prometheus-operator $(PROMETHEUS_OPERATOR) -out $(BENCH_SCALE_DIR) $(BENCH_SCALE_FLAGS)

# Prometheus Operator's own program, from hack/compat's module (which pins
# it and its dependencies at its own go.mod's versions).
$(PROMETHEUS_OPERATOR):
	@echo "Building prometheus-operator-$(PROMETHEUS_OPERATOR_VERSION) (first time only)" >&2
	cd hack/compat && CGO_ENABLED=0 go build -trimpath -o $@.tmp \
		-ldflags "-s -w -X github.com/prometheus/common/version.Version=$(PROMETHEUS_OPERATOR_VERSION:v%=%)" \
		github.com/prometheus-operator/prometheus-operator/cmd/operator
	mv $@.tmp $@

# Packages whose tests compare with golden files take -update.
GOLDEN_PKGS = $(sort $(dir $(shell git grep -l 'var update = flag.Bool' -- '*_test.go')))

.PHONY: test-update-golden
test-update-golden: ## Rewrite the golden files from the current generators, then review the diff.
	go test $(addprefix ./,$(GOLDEN_PKGS)) -update

.PHONY: tools
tools: $(CONTROLLER_GEN) envtest-assets ## Build the pinned real components (cached).

.PHONY: envtest-assets
envtest-assets: ## Build etcd and kube-apiserver for envtest (cached).
	hack/tools/install.sh etcd kube-apiserver kubectl
	mkdir -p $(ENVTEST_ASSETS)
	ln -sf $(VIGIL_BIN)/etcd-$(ETCD_VERSION) $(ENVTEST_ASSETS)/etcd
	ln -sf $(VIGIL_BIN)/kube-apiserver-$(K8S_VERSION) $(ENVTEST_ASSETS)/kube-apiserver
	ln -sf $(VIGIL_BIN)/kubectl-$(K8S_VERSION) $(ENVTEST_ASSETS)/kubectl

$(CONTROLLER_GEN):
	hack/tools/install.sh controller-gen

# What the local cluster runs besides envtest's assets. One install.sh call:
# its go builds run one after another, each on both cores.
.PHONY: e2e-tools
e2e-tools: ## Build prometheus, promtool, alertmanager, amtool, kube-controller-manager, kube-scheduler (cached).
	hack/tools/install.sh prometheus promtool alertmanager amtool kube-controller-manager kube-scheduler

# kube-prometheus's components, built from their Go modules at the image tags'
# versions. No test uses them yet, so not part of test.
.PHONY: kube-prometheus-tools
kube-prometheus-tools: ## Build node-exporter, kube-state-metrics, blackbox-exporter, kube-rbac-proxy, prometheus-adapter (cached; not part of test).
	hack/tools/install.sh node-exporter kube-state-metrics blackbox-exporter kube-rbac-proxy prometheus-adapter

##@ Deployment (against the cluster the kubeconfig names)

KUBECTL := $(VIGIL_BIN)/kubectl-$(K8S_VERSION)
IMG ?= ghcr.io/vigil-monitoring/operator:dev

.PHONY: install
install: manifests envtest-assets ## Install the CRDs.
	$(KUBECTL) apply --server-side -k config/crd

.PHONY: uninstall
uninstall: envtest-assets ## Remove the CRDs (and every object of their kinds).
	$(KUBECTL) delete --ignore-not-found -k config/crd

.PHONY: deploy
deploy: manifests envtest-assets ## Deploy the CRDs, the operator's RBAC and Deployment (IMG) and its ServiceMonitor.
	$(KUBECTL) kustomize config/default | sed 's|ghcr.io/vigil-monitoring/operator:dev|$(IMG)|' | $(KUBECTL) apply --server-side -f -

.PHONY: undeploy
undeploy: envtest-assets ## Remove what deploy applied.
	$(KUBECTL) delete --ignore-not-found -k config/default

.PHONY: run
run: manifests ## Run the operator from here against the cluster the kubeconfig names.
	go run ./cmd/operator --metrics-bind-address=:8080 --health-probe-bind-address=:8081

##@ Local cluster

DEV_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/vigil/dev

.PHONY: dev
dev: manifests envtest-assets e2e-tools ## Local cluster (root) with the operator, the example app, Prometheus and Alertmanager; Ctrl-C stops it.
	@mkdir -p $(DEV_DIR)/bin
	go build -o $(DEV_DIR)/bin/dev ./e2e/cmd/dev
	$(DEV_DIR)/bin/dev -repo . -dir $(DEV_DIR) -tools $(VIGIL_BIN)

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z0-9_-]+:.*?##/ { printf "  %-16s %s\n", $$1, $$2 } /^##@/ { printf "\n%s\n", substr($$0, 5) }' $(MAKEFILE_LIST)
