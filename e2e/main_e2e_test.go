//go:build e2e

// Package e2e_test runs Vigil on the local cluster (package harness) and
// proves the path users rely on: a ServiceMonitor declared, its target
// scraped, a rule firing, the alert delivered; and that changes, bad input
// and failures are handled. Every wait polls with a deadline.
package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/vigil-monitoring/vigil/e2e/cluster"
	"github.com/vigil-monitoring/vigil/e2e/harness"
)

var env *harness.Env

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

func TestMain(m *testing.M) {
	if os.Geteuid() != 0 {
		fmt.Println("e2e: the local cluster needs root (network namespaces, mounts): not run")
		os.Exit(0)
	}
	dir := os.Getenv("VIGIL_E2E_DIR")
	if dir == "" {
		d, err := os.MkdirTemp("", "vigil-e2e-")
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		dir = d
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	var err error
	env, err = harness.Up(ctx, harness.Options{Repo: repoRoot(), Dir: dir, ToolDir: cluster.DefaultBinDir(), Progress: os.Stdout})
	if err == nil {
		err = env.DeployDev(ctx)
	}
	cancel()
	if err != nil {
		fmt.Println("e2e: bringing Vigil up:", err)
		if env != nil {
			env.Down()
		}
		os.Exit(1)
	}
	code := m.Run()
	printTimings()
	env.Down()
	os.Exit(code)
}

// timings are what the tests measured, printed as one table at the end.
var timings []harness.Timing

func record(step string, d time.Duration) {
	timings = append(timings, harness.Timing{Step: step, Took: d})
	fmt.Printf("e2e timing: %s: %s\n", step, d.Round(time.Millisecond))
}

func printTimings() {
	fmt.Println("\n| step | time |\n|---|---|")
	for _, t := range append(append([]harness.Timing{}, env.Timings...), timings...) {
		fmt.Printf("| %s | %s |\n", t.Step, t.Took.Round(10*time.Millisecond))
	}
}
