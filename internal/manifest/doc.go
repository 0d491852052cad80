// Package manifest reads Kubernetes manifests the way the API server does
// with strict field validation: multi-document YAML, field names matched
// exactly (encoding/json would take enableHttp2 for enableHTTP2), and
// unknown or duplicate fields reported as errors rather than dropped.
package manifest
