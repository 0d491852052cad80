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
	"github.com/vigil-monitoring/vigil/internal/pipeline"
	"github.com/vigil-monitoring/vigil/internal/rules"
)

// explainKind is how explain finds one kind of object.
type explainKind struct {
	kind    string
	objects func(*inventory.Inventory) []client.Object
}

var explainKinds = map[string]explainKind{
	"servicemonitor": {"ServiceMonitor", func(inv *inventory.Inventory) []client.Object { return objects(inv.ServiceMonitors) }},
	"podmonitor":     {"PodMonitor", func(inv *inventory.Inventory) []client.Object { return objects(inv.PodMonitors) }},
	"probe":          {"Probe", func(inv *inventory.Inventory) []client.Object { return objects(inv.Probes) }},
	"scrapeconfig":   {"ScrapeConfig", func(inv *inventory.Inventory) []client.Object { return objects(inv.ScrapeConfigs) }},
	"prometheusrule": {"PrometheusRule", func(inv *inventory.Inventory) []client.Object { return objects(inv.PrometheusRules) }},
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
			return explain(c.OutOrStdout(), inv, in.snapshot(inv), kind.kind, obj)
		},
	}
	in.register(c, "")
	in.registerFileReferences(c)
	return c
}

// explain prints one line per Prometheus object: whether it selects obj,
// and when it does, whether obj made it into the configuration, then one
// line per file obj makes that Prometheus use.
func explain(w io.Writer, inv *inventory.Inventory, snap pipeline.Snapshot, kind string, obj client.Object) error {
	fmt.Fprintf(w, "%s %s/%s\n", kind, obj.GetNamespace(), obj.GetName())
	if len(inv.Prometheuses) == 0 {
		fmt.Fprintln(w, "  no Prometheus object in the input")
		return nil
	}
	for _, p := range sortedByKey(inv.Prometheuses) {
		prefix := fmt.Sprintf("  Prometheus %s/%s: ", p.Namespace, p.Name)
		if s := pipeline.SelectsForPrometheus(p, snap.Namespaces, kind, obj.GetNamespace(), obj.GetLabels()); !s.Selected {
			fmt.Fprintf(w, "%snot selected: %s\n", prefix, s.Reason)
			continue
		}
		res, err := pipeline.Prometheus(p, snap, nil)
		d, found := pipeline.Find(res.Decisions, kind, obj.GetNamespace(), obj.GetName())
		switch {
		case found && !d.Accepted():
			fmt.Fprintf(w, "%sselected, but left out: %s\n", prefix, d.Message())
		case err != nil && kind != rules.KindPrometheusRule:
			fmt.Fprintf(w, "%sselected, but the configuration cannot be generated: %v\n", prefix, err)
		case res.Unmanaged && kind != rules.KindPrometheusRule:
			fmt.Fprintf(w, "%sselected, but the Prometheus object sets no monitor selector: its prometheus.yaml is left to its user\n", prefix)
		default:
			fmt.Fprintf(w, "%sselected and in the configuration%s\n", prefix, discoveryNote(p, kind, obj))
		}
		for _, r := range res.FileReferences {
			if r.Kind == kind && r.Namespace == obj.GetNamespace() && r.Name == obj.GetName() {
				fmt.Fprintf(w, "    %s\n", r.Notice())
			}
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
