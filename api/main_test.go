// Package api_test proves the compatibility contract of Vigil's API against a
// real kube-apiserver: the CRDs that controller-gen generates accept
// Prometheus Operator users' manifests unchanged, keep every field, and
// reject what breaks the schema with a message that names the field.
package api_test

import (
	"os"
	"testing"

	"github.com/vigil-monitoring/vigil/internal/testenv"
)

var env *testenv.Env

func TestMain(m *testing.M) {
	os.Exit(testenv.Run(m, func(e *testenv.Env) error { env = e; return nil }))
}
