//go:build tools

// Package tools pins Prometheus's server and promtool, which Vigil's
// end-to-end tests run; hack/tools/install.sh builds them from this module.
package tools

import (
	_ "github.com/prometheus/prometheus/cmd/prometheus"
	_ "github.com/prometheus/prometheus/cmd/promtool"
)
