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
	if err := stopAPIServer(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping the API server:", err)
		code = 1
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// side is what one generator made of one Prometheus object.
type side struct {
	input        Input
	rules        map[string]string // rule files by name
	ruleRejected map[string]string // PrometheusRules left out, with the reason
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

// renderVigilRules runs `vigilctl render rules` on paths and returns the
// rule files and the PrometheusRules left out.
func renderVigilRules(t *testing.T, paths []string, name string) (map[string]string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	args := []string{"render", "rules", "--name", name, "--output-dir", dir}
	for _, p := range paths {
		args = append(args, "-f", p)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(vigilctl, args...)
	cmd.Stderr = &stderr
	// Exit 1 with nothing rendered is an answer too: every rule left out.
	if err := cmd.Run(); err != nil && !strings.Contains(stderr.String(), "nothing could be rendered") {
		t.Fatalf("vigilctl %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	files := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(data)
	}
	rejected := map[string]string{}
	for k, v := range vigilRejections(stderr.String()) {
		if strings.HasPrefix(k, "PrometheusRule ") {
			rejected[k] = v
		}
	}
	return files, rejected
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
	rejected, ruleRejected := map[string]string{}, map[string]string{}
	for _, r := range out.Rejected {
		if r.Kind == "PrometheusRule" {
			ruleRejected[r.Kind+" "+r.Namespace+"/"+r.Name] = r.Reason
			continue
		}
		rejected[r.Kind+" "+r.Namespace+"/"+r.Name] = r.Reason
	}
	files := map[string][]byte{}
	for n, data := range out.TLSAssets {
		files[oracle.CertsDir+n] = data
	}
	return side{
		input:        Input{Config: out.Config, Files: files, RuleConfigMaps: out.ExistingRuleConfigMaps, Rejected: rejected},
		rules:        out.RuleFiles,
		ruleRejected: ruleRejected,
	}, out.Config != nil
}

// compareCase compares every Prometheus and Alertmanager object of the
// manifests at paths and returns one line per difference ("<prometheus>:
// <job>", "Alertmanager <alertmanager>: <section>") with the details for
// the log.
func compareCase(t *testing.T, paths []string) (lines []string, details []string) {
	t.Helper()
	objs, err := oracle.Load(paths, "default")
	if err != nil {
		t.Fatal(err)
	}
	// Prometheus Operator gets the input as the Allowances rewrite it.
	objs = ForPrometheusOperator(objs)
	lines, details = comparePrometheuses(t, paths, objs)
	amLines, amDetails := compareAlertmanagers(t, paths, objs)
	return append(lines, amLines...), append(details, amDetails...)
}

// comparePrometheuses compares every Prometheus object of objs (read from
// paths): configuration job by job, rule files, objects left out.
func comparePrometheuses(t *testing.T, paths []string, objs *oracle.Objects) (lines []string, details []string) {
	t.Helper()
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
		vigil.rules, vigil.ruleRejected = renderVigilRules(t, paths, name)
		ruleDiffs, err := Rules(vigil.rules, po.rules)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rejDiffs, _ := rejections(vigil.ruleRejected, po.ruleRejected)
		for _, d := range append(ruleDiffs, rejDiffs...) {
			lines = append(lines, name+": "+d.Job)
			details = append(details, name+": "+d.String())
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
