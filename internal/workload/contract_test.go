package workload

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/labels"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/amconfig"
	"github.com/vigil-monitoring/vigil/internal/promconfig"
	"github.com/vigil-monitoring/vigil/internal/rules"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// TestAgreesWithTheGenerators: the pod reads what the other packages write
// where they write it: rule ConfigMaps carry the labels the config-reloader
// selects, rule_files point into the folder it writes, templates and the
// configuration Secret are where amconfig says.
func TestAgreesWithTheGenerators(t *testing.T) {
	g := NewWithT(t)
	cms, err := rules.Pack("main", map[string]string{"mon-r-uid.yaml": "groups: []\n"})
	g.Expect(err).NotTo(HaveOccurred())
	sel, err := labels.Parse(RuleConfigMapSelector("main"))
	g.Expect(err).NotTo(HaveOccurred())
	for _, cm := range cms {
		g.Expect(sel.Matches(labels.Set(cm.Labels))).To(BeTrue(), cm.Name)
	}
	other, err := rules.Pack("other", map[string]string{"x.yaml": "groups: []\n"})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(sel.Matches(labels.Set(other[0].Labels))).To(BeFalse())

	g.Expect(PrometheusRulesDir).To(Equal(promconfig.RulesDir))
	g.Expect(AlertmanagerTemplatesDir).To(Equal(amconfig.TemplatesDir))
	for _, a := range []*monitoringv1.Alertmanager{am(), am(func(a *monitoringv1.Alertmanager) { a.Spec.ConfigSecret = "custom" })} {
		g.Expect(alertmanagerConfigSecretName(a)).To(Equal(amconfig.ConfigSecretName(a)))
	}
}

// TestConfigReloaderFlags: every flag given to the config-reloader is one
// cmd/config-reloader defines.
func TestConfigReloaderFlags(t *testing.T) {
	g := NewWithT(t)
	defined := reloaderFlags(t)
	g.Expect(defined).To(ContainElements("config-secret", "init"))
	pw := buildProm(t, prom(func(p *monitoringv1.Prometheus) { p.Spec.LogLevel, p.Spec.LogFormat = "debug", "json" }), Options{})
	aw := buildAM(t, am(func(a *monitoringv1.Alertmanager) { a.Spec.Secrets = []string{"s"} }), Options{})
	for _, pod := range []*struct{ c, i []string }{
		{container(t, &pw.StatefulSets[0].Spec.Template.Spec, "config-reloader").Args, container(t, &pw.StatefulSets[0].Spec.Template.Spec, "init-config-reloader").Args},
		{container(t, &aw.StatefulSet.Spec.Template.Spec, "config-reloader").Args, container(t, &aw.StatefulSet.Spec.Template.Spec, "init-config-reloader").Args},
	} {
		for _, a := range append(pod.c, pod.i...) {
			name, _, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
			g.Expect(defined).To(ContainElement(name), a)
		}
	}
}

// reloaderFlags are the flag names cmd/config-reloader's main.go defines
// on its flag set fs.
func reloaderFlags(t *testing.T) []string {
	t.Helper()
	file := filepath.Join(testenv.RepoRoot(), "cmd", "config-reloader", "main.go")
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "fs" {
			return true
		}
		for _, a := range call.Args {
			if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				names = append(names, s)
				break
			}
		}
		return true
	})
	return names
}
