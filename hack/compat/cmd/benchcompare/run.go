package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// manifestDirEnv is internal/benchinput.ManifestDirEnv in Vigil's module.
const manifestDirEnv = "VIGIL_BENCH_MANIFEST_DIR"

// runner runs one benchmark per go test process.
type runner struct {
	env       []string
	benchtime string
	// machine is the processor go test names, and the number of CPUs.
	machine string
}

// bench runs benchmark name of pkg (in the module at dir) once and
// returns its result.
func (r *runner) bench(dir, pkg, name string) (result, error) {
	out, err := goCommand(dir, r.env, "test", pkg, "-run", "^$", "-bench", "^"+name+"$",
		"-benchmem", "-count", "1", "-benchtime", r.benchtime, "-timeout", "2h")
	if err != nil {
		return nil, err
	}
	runs := parseBenchmarks(out)[name]
	if len(runs) != 1 {
		return nil, fmt.Errorf("%s %s: %d results, want 1", pkg, name, len(runs))
	}
	if r.machine == "" {
		r.machine = machine(out)
	}
	return runs[0], nil
}

// goCommand runs the go command in dir, its output shown on stderr as it
// comes, and returns its standard output.
func goCommand(dir string, env []string, args ...string) (string, error) {
	fmt.Fprintf(os.Stderr, "+ (cd %s && %sgo %s)\n", dir, strings.Join(append(env, ""), " "), quote(args))
	var stdout bytes.Buffer
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = io.MultiWriter(&stdout, os.Stderr), os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go %s: %w", quote(args), err)
	}
	return stdout.String(), nil
}

func quote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, "^$*") {
			a = "'" + a + "'"
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}

// machine names the processor (from go test's "cpu:" line) and the
// number of CPUs.
func machine(benchOutput string) string {
	cpu := "an unnamed CPU"
	for line := range strings.Lines(benchOutput) {
		if v, ok := strings.CutPrefix(line, "cpu:"); ok {
			cpu = strings.TrimSpace(v)
			break
		}
	}
	return fmt.Sprintf("%s, %d CPUs, %s", cpu, runtime.NumCPU(), runtime.Version())
}

// loadAverage is the 1-, 5- and 15-minute load averages, or "unknown".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}
