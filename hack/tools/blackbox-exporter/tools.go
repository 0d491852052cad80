//go:build tools

// Package tools pins blackbox_exporter, which kube-prometheus runs;
// hack/tools/install.sh builds it from this module.
package tools

import _ "github.com/prometheus/blackbox_exporter"
