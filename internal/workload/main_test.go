package workload

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// env is a real kube-apiserver: the built objects are created on it with
// strict field validation, and read back with its defaults to compare with
// what Prometheus Operator's objects look like on one.
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
