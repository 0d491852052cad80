package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"github.com/vigil-monitoring/vigil/internal/inventory"
	"github.com/vigil-monitoring/vigil/internal/pipeline"
	"github.com/vigil-monitoring/vigil/internal/promconfig"
)

func newRenderCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "render",
		Short: "Print the configuration Vigil would generate for a set of manifests",
	}
	c.AddCommand(newRenderPrometheusCommand(), newRenderRulesCommand(), newRenderAlertmanagerCommand())
	return c
}

// scrapeKinds are the kinds that make scrape jobs.
var scrapeKinds = []string{"ServiceMonitor", "PodMonitor", "Probe", "ScrapeConfig"}

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
			res, err := pipeline.Prometheus(p, in.snapshot(inv), nil)
			if err != nil {
				return err
			}
			if res.Unmanaged {
				fmt.Fprintf(c.ErrOrStderr(), "%s: Prometheus %s/%s sets no serviceMonitorSelector, podMonitorSelector, "+
					"probeSelector or scrapeConfigSelector: its prometheus.yaml is left to you, as with Prometheus Operator\n",
					inv.Source("Prometheus", p.Namespace, p.Name), p.Namespace, p.Name)
				return nil
			}
			printRejected(c.ErrOrStderr(), inv, res.Decisions, scrapeKinds...)
			printFileReferences(c.ErrOrStderr(), inv, res.FileReferences)
			_, err = c.OutOrStdout().Write(res.Config)
			return err
		},
	}
	in.register(c, "the Prometheus object, as NAMESPACE/NAME (needed when the input has several)")
	in.registerFileReferences(c)
	return c
}

// printRejected prints one line per object left out: file, kind,
// namespace/name and why. Only the decisions on the kinds given are
// printed.
func printRejected(w io.Writer, inv *inventory.Inventory, decisions []pipeline.Decision, kinds ...string) {
	for _, d := range decisions {
		if d.Accepted() || !slices.Contains(kinds, d.Kind) {
			continue
		}
		fmt.Fprintf(w, "%s: %s %s/%s: left out of the configuration: %s\n",
			inv.Source(d.Kind, d.Namespace, d.Name), d.Kind, d.Namespace, d.Name, d.Message())
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
