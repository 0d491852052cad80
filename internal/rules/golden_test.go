package rules

import (
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"k8s.io/apimachinery/pkg/types"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// update rewrites the golden files; `make test-update-golden` runs the tests
// with it.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// kubePrometheusRules reads kube-prometheus's 8 PrometheusRules strictly and
// gives each the UID it had when Prometheus Operator's reference output was
// captured, so Vigil's file names can be compared with PO's one for one.
func kubePrometheusRules(t testing.TB) (rules []monitoringv1.PrometheusRule, poFileNames []string) {
	t.Helper()
	dir := testenv.KubePrometheusDir()
	ref, err := os.ReadFile(filepath.Join(dir, "po-reference", "rulefiles.txt"))
	if err != nil {
		t.Fatal(err)
	}
	poFileNames = strings.Fields(string(ref))

	paths, err := filepath.Glob(filepath.Join(dir, "*-prometheusRule.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		docs, err := manifest.Documents(data)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, doc := range docs {
			var r monitoringv1.PrometheusRule
			if err := manifest.DecodeStrict(doc, &r); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			r.UID = types.UID(poUID(t, poFileNames, r.Namespace, r.Name))
			rules = append(rules, r)
		}
	}
	if len(rules) != 8 {
		t.Fatalf("want the 8 PrometheusRules of kube-prometheus, read %d", len(rules))
	}
	return rules, poFileNames
}

// poUID finds the UID in PO's file name <namespace>-<name>-<uid>.yaml.
func poUID(t testing.TB, fileNames []string, ns, name string) string {
	t.Helper()
	const uidLen = len("00000000-0000-0000-0000-000000000000")
	prefix := ns + "-" + name + "-"
	for _, f := range fileNames {
		if rest, ok := strings.CutPrefix(f, prefix); ok && len(rest) == uidLen+len(".yaml") {
			return strings.TrimSuffix(rest, ".yaml")
		}
	}
	t.Fatalf("no file for %s/%s in PO's rulefiles.txt", ns, name)
	return ""
}

func TestGoldenKubePrometheus(t *testing.T) {
	rules, poFileNames := kubePrometheusRules(t)
	for _, tc := range []struct {
		dir  string
		prom *monitoringv1.Prometheus
	}{
		{"kube-prometheus", nil},
		// The same input with the namespace label enforced, to show the
		// injection on real-world rules.
		{"kube-prometheus-enforced", enforcing("namespace")},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			res := Generate(tc.prom, rules)
			if len(res.Rejected) > 0 {
				t.Fatalf("kube-prometheus rules rejected: %+v", res.Rejected)
			}
			if diff := cmp.Diff(poFileNames, slices.Sorted(maps.Keys(res.Files))); diff != "" {
				t.Errorf("file names differ from Prometheus Operator's (-po +vigil):\n%s", diff)
			}
			checkGolden(t, filepath.Join("testdata", tc.dir), res.Files)
		})
	}
}

// TestGoldenMatchesInput proves no field of kube-prometheus's rules is lost
// or changed on the way into the file: what Prometheus reads back from each
// golden file equals the object's spec.
func TestGoldenMatchesInput(t *testing.T) {
	rules, _ := kubePrometheusRules(t)
	for _, r := range rules {
		name := FileName(&r)
		content, err := os.ReadFile(filepath.Join("testdata", "kube-prometheus", name))
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		got := mustLoad(t, name, string(content))
		if diff := cmp.Diff(asRuleGroups(t, r.Spec), got); diff != "" {
			t.Errorf("%s: Prometheus reads something else than the object says (-object +file):\n%s", name, diff)
		}
	}
}

// checkGolden compares files with the golden files in dir, or rewrites them
// with -update, and loads every golden file with Prometheus's parser.
func checkGolden(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, content := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		seen[name] = true
		golden, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		mustLoad(t, filepath.Join(dir, name), string(golden))
		got, ok := files[name]
		if !ok {
			t.Errorf("%s/%s is no longer generated (run go test -update)", dir, name)
			continue
		}
		if diff := cmp.Diff(string(golden), got); diff != "" {
			t.Errorf("%s/%s differs (-golden +got; go test -update rewrites it):\n%s", dir, name, diff)
		}
	}
	for name := range files {
		if !seen[name] {
			t.Errorf("%s/%s is missing (run go test -update)", dir, name)
		}
	}
}

// asRuleGroups is what Prometheus should read for spec, written
// independently of the code under test.
func asRuleGroups(t *testing.T, spec monitoringv1.PrometheusRuleSpec) *rulefmt.RuleGroups {
	t.Helper()
	dur := func(d *monitoringv1.Duration) model.Duration {
		if d == nil || *d == "" {
			return 0
		}
		v, err := model.ParseDuration(string(*d))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	out := &rulefmt.RuleGroups{Groups: []rulefmt.RuleGroup{}}
	for _, g := range spec.Groups {
		rg := rulefmt.RuleGroup{Name: g.Name, Interval: dur(g.Interval), Labels: g.Labels, Rules: []rulefmt.Rule{}}
		if g.QueryOffset != nil {
			qo := dur(g.QueryOffset)
			rg.QueryOffset = &qo
		}
		if g.Limit != nil {
			rg.Limit = int(*g.Limit)
		}
		for _, r := range g.Rules {
			rg.Rules = append(rg.Rules, rulefmt.Rule{
				Record: r.Record, Alert: r.Alert, Expr: r.Expr.String(),
				For: dur(r.For), KeepFiringFor: dur((*monitoringv1.Duration)(r.KeepFiringFor)),
				Labels: r.Labels, Annotations: r.Annotations,
			})
		}
		out.Groups = append(out.Groups, rg)
	}
	return out
}
