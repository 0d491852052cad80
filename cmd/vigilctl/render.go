package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/inventory"
	"github.com/vigil-monitoring/vigil/internal/promconfig"
	"github.com/vigil-monitoring/vigil/internal/rejection"
	"github.com/vigil-monitoring/vigil/internal/rules"
	"github.com/vigil-monitoring/vigil/internal/selection"
)

func newRenderCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "render",
		Short: "Print the configuration Vigil would generate for a set of manifests",
	}
	c.AddCommand(newRenderPrometheusCommand(), newRenderRulesCommand(), newRenderAlertmanagerCommand())
	return c
}

func newRenderPrometheusCommand() *cobra.Command {
	var in inputFlags
	c := &cobra.Command{
		Use:   "prometheus -f DIR [-f FILE ...] [--name NS/NAME]",
		Short: "Print the prometheus.yaml a Prometheus object would get",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			inv, err := in.load(c.ErrOrStderr())
			if err != nil {
				return err
			}
			p, err := pick("Prometheus", inv.Prometheuses, in.name, in.namespace)
			if err != nil {
				return err
			}
			res, err := renderPrometheus(inv, p, in.fileReferences)
			if err != nil {
				return err
			}
			if res.Unmanaged {
				fmt.Fprintf(c.ErrOrStderr(), "%s: Prometheus %s/%s sets no serviceMonitorSelector, podMonitorSelector, "+
					"probeSelector or scrapeConfigSelector: its prometheus.yaml is left to you, as with Prometheus Operator\n",
					inv.Source("Prometheus", p.Namespace, p.Name), p.Namespace, p.Name)
				return nil
			}
			printRejections(c.ErrOrStderr(), inv, res.Rejected)
			printFileReferences(c.ErrOrStderr(), inv, res.FileReferences)
			_, err = c.OutOrStdout().Write(res.Config)
			return err
		},
	}
	in.register(c, "the Prometheus object, as NAMESPACE/NAME (needed when the input has several)")
	in.registerFileReferences(c)
	return c
}

// renderPrometheus selects what p selects and generates its configuration,
// as the operator would with that file reference policy.
func renderPrometheus(inv *inventory.Inventory, p *monitoringv1.Prometheus, files promconfig.FileReferencePolicy) (promconfig.Result, error) {
	sel := selection.ForPrometheus(p, inv.NamespaceLabels())
	ruleFiles := rules.Generate(p, derefAll(selection.Filter(sel.Rules, inv.PrometheusRules)))
	maps, err := rules.Pack(p.Name, ruleFiles.Files)
	if err != nil {
		return promconfig.Result{}, err
	}
	var ruleMaps []string
	for _, m := range maps {
		ruleMaps = append(ruleMaps, m.Name)
	}
	return promconfig.Generate(promconfig.Input{
		Prometheus:      p,
		ServiceMonitors: selection.Filter(sel.ServiceMonitors, inv.ServiceMonitors),
		PodMonitors:     selection.Filter(sel.PodMonitors, inv.PodMonitors),
		Probes:          selection.Filter(sel.Probes, inv.Probes),
		ScrapeConfigs:   selection.Filter(sel.ScrapeConfigs, inv.ScrapeConfigs),
		RuleConfigMaps:  ruleMaps,
		Store:           assets.NewStore(inv.Secrets, inv.ConfigMaps),

		FileReferencePolicy: files,
	})
}

// printRejections prints one line per object left out: file, kind,
// namespace/name and reason.
func printRejections(w io.Writer, inv *inventory.Inventory, rejected []rejection.Rejection) {
	for _, r := range rejected {
		fmt.Fprintf(w, "%s: %s %s/%s: left out of the configuration: %s\n",
			inv.Source(r.Kind, r.Namespace, r.Name), r.Kind, r.Namespace, r.Name, r.Message())
	}
}

// printFileReferences prints one notice per file an object makes
// Prometheus use: file, kind, namespace/name, the field and path, and what
// Prometheus does with it, so that the administrator sees which targets
// receive Prometheus's credentials.
func printFileReferences(w io.Writer, inv *inventory.Inventory, refs []promconfig.FileReference) {
	for _, r := range refs {
		fmt.Fprintf(w, "%s: %s\n", inv.Source(r.Kind, r.Namespace, r.Name), r)
	}
}

func derefAll[T any](ptrs []*T) []T {
	out := make([]T, len(ptrs))
	for i, p := range ptrs {
		out[i] = *p
	}
	return out
}
