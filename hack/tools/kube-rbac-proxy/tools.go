//go:build tools

// Package tools pins kube-rbac-proxy, which kube-prometheus runs;
// hack/tools/install.sh builds it from this module.
package tools

import _ "github.com/brancz/kube-rbac-proxy/cmd/kube-rbac-proxy"
