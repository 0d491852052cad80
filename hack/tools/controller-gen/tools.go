//go:build tools

// Package tools pins controller-gen; hack/tools/install.sh builds it.
package tools

import _ "sigs.k8s.io/controller-tools/cmd/controller-gen"
