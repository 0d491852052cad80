package workload

import (
	"os"
	"testing"

	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// env is a real kube-apiserver: the built objects are created on it with
// strict field validation, and read back with its defaults to compare with
// what Prometheus Operator's objects look like on one.
var env *testenv.Env

func TestMain(m *testing.M) {
	os.Exit(testenv.Run(m, func(e *testenv.Env) error { env = e; return nil }))
}
