//go:build tools

// Package tools pins kube-state-metrics, which kube-prometheus runs;
// hack/tools/install.sh builds it from this module.
package tools

import _ "k8s.io/kube-state-metrics/v2"
