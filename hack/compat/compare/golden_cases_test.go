package compare

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"
)

const knownFile = "testdata/known-differences.txt"

// TestGoldenCasesMatchPrometheusOperator runs Vigil (vigilctl) and
// Prometheus Operator on every golden case of internal/promconfig and
// internal/amconfig, on kube-prometheus and on testdata/cases, and
// compares the configurations job by job (alertmanager.yaml section by
// section) and the rule files rule by rule. Besides the
// Allowances, the only differences accepted are the ones listed in
// testdata/known-differences.txt: work still to do, which the list makes
// visible. The test fails when a difference appears that is not listed,
// and when a listed one is gone (so the list only shrinks); `go test
// ./compare -update` rewrites it.
func TestGoldenCasesMatchPrometheusOperator(t *testing.T) {
	cases := map[string][]string{
		"kube-prometheus": {filepath.Join(repoRoot, "..", "shared", "testdata", "kube-prometheus")},
	}
	dir := filepath.Join(repoRoot, "internal", "promconfig", "testdata", "cases")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		cases[strings.TrimSuffix(e.Name(), ".yaml")] = []string{filepath.Join(dir, e.Name())}
	}
	amInputs, err := filepath.Glob(filepath.Join(repoRoot, "internal", "amconfig", "testdata", "golden", "*", "input.yaml"))
	if err != nil || len(amInputs) == 0 {
		t.Fatalf("no golden cases of internal/amconfig: %v", err)
	}
	for _, f := range amInputs {
		cases["amconfig/"+filepath.Base(filepath.Dir(f))] = []string{f}
	}
	// Cases of this package's own, for what internal/promconfig's do not
	// cover (rule files).
	own, err := filepath.Glob(filepath.Join("testdata", "cases", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range own {
		cases[strings.TrimSuffix(filepath.Base(f), ".yaml")] = []string{f}
	}
	var got []string
	for _, name := range sortedKeys(cases) {
		lines, details := compareCase(t, cases[name])
		for _, l := range lines {
			got = append(got, name+": "+l)
		}
		for _, d := range details {
			t.Logf("%s: %s", name, d)
		}
	}
	checkKnown(t, got)
}

// knownHeader heads testdata/known-differences.txt.
const knownHeader = "# Differences from Prometheus Operator 0.93.0 not accepted, one per case,\n" +
	"# Prometheus and job (or Alertmanager and section of alertmanager.yaml): a\n" +
	"# Vigil bug to fix (then run `go test ./compare -update` in hack/compat), or\n" +
	"# a Prometheus Operator bug or Vigil choice still to be decided on.\n" +
	"# Differences Vigil keeps on purpose are not here: they are compare.Allowances.\n" +
	"# After \"  # \", the reason, which -update keeps.\n"

// knownReasonSep separates a known difference from its reason.
const knownReasonSep = "  # "

func checkKnown(t *testing.T, got []string) {
	t.Helper()
	slices.Sort(got)
	wantLines, reasons, err := readKnown(knownFile)
	if err != nil {
		t.Fatal(err)
	}
	if *updateKnown {
		text := knownHeader
		for _, l := range got {
			if r := reasons[l]; r != "" {
				l += knownReasonSep + r
			}
			text += l + "\n"
		}
		if err := os.WriteFile(knownFile, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if slices.Equal(wantLines, got) {
		return
	}
	d, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(strings.Join(wantLines, "\n") + "\n"), B: difflib.SplitLines(strings.Join(got, "\n") + "\n"),
		FromFile: knownFile, ToFile: "now", Context: 0,
	})
	t.Errorf("the differences from Prometheus Operator changed (a new one is a bug to fix; a fixed one: run `go test ./compare -update`):\n%s", d)
}

// readKnown reads the known differences and their reasons.
func readKnown(path string) (lines []string, reasons map[string]string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	reasons = map[string]string{}
	for _, l := range strings.Split(string(data), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		l, reason, _ := strings.Cut(l, knownReasonSep)
		lines = append(lines, l)
		reasons[l] = reason
	}
	return lines, reasons, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := keys(m)
	slices.Sort(out)
	return out
}
