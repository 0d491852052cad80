package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"sigs.k8s.io/controller-runtime/pkg/client"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/inventory"
	"github.com/vigil-monitoring/vigil/internal/promconfig"
	"github.com/vigil-monitoring/vigil/internal/rules"
	"github.com/vigil-monitoring/vigil/internal/selection"
)

// explainKind is how explain finds and judges one kind of object.
type explainKind struct {
	kind    string
	objects func(*inventory.Inventory) []client.Object
	matcher func(*selection.Prometheus) *selection.Matcher
}

var explainKinds = map[string]explainKind{
	"servicemonitor": {"ServiceMonitor",
		func(inv *inventory.Inventory) []client.Object { return objects(inv.ServiceMonitors) },
		func(s *selection.Prometheus) *selection.Matcher { return s.ServiceMonitors }},
	"podmonitor": {"PodMonitor",
		func(inv *inventory.Inventory) []client.Object { return objects(inv.PodMonitors) },
		func(s *selection.Prometheus) *selection.Matcher { return s.PodMonitors }},
	"probe": {"Probe",
		func(inv *inventory.Inventory) []client.Object { return objects(inv.Probes) },
		func(s *selection.Prometheus) *selection.Matcher { return s.Probes }},
	"scrapeconfig": {"ScrapeConfig",
		func(inv *inventory.Inventory) []client.Object { return objects(inv.ScrapeConfigs) },
		func(s *selection.Prometheus) *selection.Matcher { return s.ScrapeConfigs }},
	"prometheusrule": {"PrometheusRule",
		func(inv *inventory.Inventory) []client.Object { return objects(inv.PrometheusRules) },
		func(s *selection.Prometheus) *selection.Matcher { return s.Rules }},
}

// explainAliases are kubectl's names for the kinds.
var explainAliases = map[string]string{
	"servicemonitors": "servicemonitor", "smon": "servicemonitor",
	"podmonitors": "podmonitor", "pmon": "podmonitor",
	"probes": "probe", "prb": "probe",
	"scrapeconfigs": "scrapeconfig", "scfg": "scrapeconfig",
	"prometheusrules": "prometheusrule", "promrule": "prometheusrule",
}

func newExplainCommand() *cobra.Command {
	var in inputFlags
	c := &cobra.Command{
		Use:   "explain KIND NAMESPACE/NAME -f DIR [-f FILE ...]",
		Short: "Say which Prometheus objects take a monitor or rule, and why the others do not",
		Long: "KIND is servicemonitor, podmonitor, probe, scrapeconfig or prometheusrule " +
			"(or their plural or short names).",
		Args: cobra.ExactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			kindName := strings.ToLower(args[0])
			if alias, ok := explainAliases[kindName]; ok {
				kindName = alias
			}
			kind, ok := explainKinds[kindName]
			if !ok {
				return fmt.Errorf("unknown kind %q: use servicemonitor, podmonitor, probe, scrapeconfig or prometheusrule", args[0])
			}
			inv, err := in.load(c.ErrOrStderr())
			if err != nil {
				return err
			}
			obj, err := pick(kind.kind, kind.objects(inv), args[1], in.namespace)
			if err != nil {
				return err
			}
			return explain(c.OutOrStdout(), inv, kind, obj, in.fileReferences)
		},
	}
	in.register(c, "")
	in.registerFileReferences(c)
	return c
}

// explain prints one line per Prometheus object: whether it selects obj,
// and when it does, whether obj made it into the configuration, then one
// line per file obj makes that Prometheus use.
func explain(w io.Writer, inv *inventory.Inventory, kind explainKind, obj client.Object, files promconfig.FileReferencePolicy) error {
	fmt.Fprintf(w, "%s %s/%s\n", kind.kind, obj.GetNamespace(), obj.GetName())
	if len(inv.Prometheuses) == 0 {
		fmt.Fprintln(w, "  no Prometheus object in the input")
		return nil
	}
	namespaces := inv.NamespaceLabels()
	for _, p := range sortedByKey(inv.Prometheuses) {
		d := kind.matcher(selection.ForPrometheus(p, namespaces)).Decide(obj.GetNamespace(), obj.GetLabels())
		prefix := fmt.Sprintf("  Prometheus %s/%s: ", p.Namespace, p.Name)
		if !d.Selected {
			fmt.Fprintf(w, "%snot selected: %s\n", prefix, d.Reason)
			continue
		}
		v, err := judge(inv, p, kind.kind, obj, files)
		switch {
		case err != nil:
			fmt.Fprintf(w, "%sselected, but the configuration cannot be generated: %v\n", prefix, err)
		case v.reason != "":
			fmt.Fprintf(w, "%sselected, but left out: %s\n", prefix, v.reason)
		default:
			fmt.Fprintf(w, "%sselected and in the configuration%s\n", prefix, discoveryNote(p, kind.kind, obj))
		}
		for _, r := range v.files {
			fmt.Fprintf(w, "    %s\n", r.Notice())
		}
	}
	return nil
}

// discoveryNote says where a selected monitor discovers its targets when
// the Prometheus object's ignoreNamespaceSelectors overrides the monitor's
// own namespaceSelector. It changes what is discovered, not what is
// selected, as in Prometheus Operator (pkg/prometheus/promcfg.go:2437-2446).
func discoveryNote(p *monitoringv1.Prometheus, kind string, obj client.Object) string {
	if !p.Spec.IgnoreNamespaceSelectors {
		return ""
	}
	switch kind {
	case "ServiceMonitor", "PodMonitor", "Probe":
		return fmt.Sprintf("; ignoreNamespaceSelectors: it discovers targets in namespace %q only", obj.GetNamespace())
	}
	return ""
}

// verdict is what one Prometheus makes of obj: why it is left out ("" when
// it is in), and the files it makes that Prometheus use.
type verdict struct {
	reason string
	files  []promconfig.FileReference
}

// judge generates p's configuration and finds obj's verdict in it.
func judge(inv *inventory.Inventory, p *monitoringv1.Prometheus, kind string, obj client.Object, files promconfig.FileReferencePolicy) (verdict, error) {
	same := func(k, namespace, name string) bool {
		return k == kind && namespace == obj.GetNamespace() && name == obj.GetName()
	}
	var v verdict
	if kind == "PrometheusRule" {
		sel := selection.ForPrometheus(p, inv.NamespaceLabels())
		for _, r := range rules.Generate(p, derefAll(selection.Filter(sel.Rules, inv.PrometheusRules))).Rejected {
			if same(r.Kind, r.Namespace, r.Name) {
				v.reason = r.Message()
			}
		}
		return v, nil
	}
	res, err := renderPrometheus(inv, p, files)
	if err != nil {
		return v, err
	}
	for _, r := range res.Rejected {
		if same(r.Kind, r.Namespace, r.Name) {
			v.reason = r.Message()
		}
	}
	for _, r := range res.FileReferences {
		if same(r.Kind, r.Namespace, r.Name) {
			v.files = append(v.files, r)
		}
	}
	return v, nil
}

func objects[T client.Object](in []T) []client.Object {
	out := make([]client.Object, len(in))
	for i, o := range in {
		out[i] = o
	}
	return out
}

func sortedByKey[T client.Object](objs []T) []T {
	out := slices.Clone(objs)
	slices.SortFunc(out, func(a, b T) int {
		return cmp.Or(cmp.Compare(a.GetNamespace(), b.GetNamespace()), cmp.Compare(a.GetName(), b.GetName()))
	})
	return out
}
