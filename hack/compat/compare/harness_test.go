package compare

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vigil-monitoring/vigil/hack/compat/oracle"
)

var updateKnown = flag.Bool("update", false, "rewrite testdata/known-differences.txt")

// repoRoot is Vigil's repository; vigilctl is built from it once.
var (
	repoRoot = mustAbs("../../..")
	vigilctl string
)

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		panic(err)
	}
	return a
}

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "vigil-compat-")
	if err != nil {
		panic(err)
	}
	vigilctl = filepath.Join(dir, "vigilctl")
	build := exec.Command("go", "build", "-o", vigilctl, "./cmd/vigilctl")
	build.Dir, build.Stdout, build.Stderr = repoRoot, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building vigilctl:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// side is what one generator made of one Prometheus object.
type side struct {
	input Input
}

// renderVigil runs `vigilctl render prometheus` on paths.
func renderVigil(t *testing.T, paths []string, name string) side {
	t.Helper()
	args := []string{"render", "prometheus", "--name", name}
	for _, p := range paths {
		args = append(args, "-f", p)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(vigilctl, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("vigilctl %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return side{input: Input{Config: stdout.Bytes(), Rejected: vigilRejections(stderr.String())}}
}

var vigilRejection = regexp.MustCompile(`(?m): (\w+) ([^ ]+/[^ :]+): left out of the configuration: (.*)$`)

func vigilRejections(stderr string) map[string]string {
	out := map[string]string{}
	for _, m := range vigilRejection.FindAllStringSubmatch(stderr, -1) {
		out[m[1]+" "+m[2]] = m[3]
	}
	return out
}

// renderPO runs Prometheus Operator's reconcile of the Prometheus name.
func renderPO(t *testing.T, objs *oracle.Objects, name string) (side, bool) {
	t.Helper()
	p, err := oracle.Pick(objs.Prometheuses, name, "default")
	if err != nil {
		t.Fatal(err)
	}
	out, err := oracle.Prometheus(objs, p)
	if err != nil {
		t.Fatalf("Prometheus Operator: %v", err)
	}
	rejected := map[string]string{}
	for _, r := range out.Rejected {
		rejected[r.Kind+" "+r.Namespace+"/"+r.Name] = r.Reason
	}
	files := map[string][]byte{}
	for n, data := range out.TLSAssets {
		files[oracle.CertsDir+n] = data
	}
	return side{
		input: Input{Config: out.Config, Files: files, RuleConfigMaps: out.ExistingRuleConfigMaps, Rejected: rejected},
	}, out.Config != nil
}

// compareCase compares every Prometheus object of the manifests at paths
// and returns one line per difference ("<prometheus>: <job>") with the
// details for the log.
func compareCase(t *testing.T, paths []string) (lines []string, details []string) {
	t.Helper()
	objs, err := oracle.Load(paths, "default")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range objs.Prometheuses {
		name := p.Namespace + "/" + p.Name
		po, managed := renderPO(t, objs, name)
		vigil := renderVigil(t, paths, name)
		if !managed || len(vigil.input.Config) == 0 {
			if managed != (len(vigil.input.Config) > 0) {
				lines = append(lines, name+": only one leaves the configuration to the user (no monitor selector)")
			}
			continue
		}
		diffs, err := Prometheus(vigil.input, po.input)
		if err != nil {
			lines = append(lines, name+": does not load")
			details = append(details, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		for _, d := range diffs {
			lines = append(lines, name+": "+d.Job)
			details = append(details, name+": "+d.String())
		}
	}
	return lines, details
}
