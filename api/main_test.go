// Package api_test proves the compatibility contract of Vigil's API against a
// real kube-apiserver: the CRDs that controller-gen generates accept
// Prometheus Operator users' manifests unchanged, keep every field, and
// reject what breaks the schema with a message that names the field.
package api_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/vigil-monitoring/vigil/internal/testenv"
)

var env *testenv.Env

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	env, err = testenv.Start(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() {
		if err := env.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping control plane:", err)
		}
	}()
	return m.Run()
}
