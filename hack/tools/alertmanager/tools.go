//go:build tools

// Package tools pins Alertmanager and amtool, which Vigil's end-to-end tests
// run; hack/tools/install.sh builds them from this module.
package tools

import (
	_ "github.com/prometheus/alertmanager/cmd/alertmanager"
	_ "github.com/prometheus/alertmanager/cmd/amtool"
)
