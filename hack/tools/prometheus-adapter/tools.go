//go:build tools

// Package tools pins prometheus-adapter, which kube-prometheus runs;
// hack/tools/install.sh builds it from this module.
package tools

import _ "sigs.k8s.io/prometheus-adapter/cmd/adapter"
