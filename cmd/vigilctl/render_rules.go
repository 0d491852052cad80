package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/vigil-monitoring/vigil/internal/rules"
	"github.com/vigil-monitoring/vigil/internal/selection"
)

func newRenderRulesCommand() *cobra.Command {
	var in inputFlags
	var outDir string
	c := &cobra.Command{
		Use:   "rules -f DIR [-f FILE ...] [--name NS/NAME] --output-dir DIR",
		Short: "Write the rule files a Prometheus object would load",
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
			sel := selection.ForPrometheus(p, inv.NamespaceLabels())
			res := rules.Generate(p, derefAll(selection.Filter(sel.Rules, inv.PrometheusRules)))
			printRejections(c.ErrOrStderr(), inv, res.Rejected)
			if len(res.Files) == 0 && len(res.Rejected) > 0 {
				return errNothingRendered
			}
			if err := os.MkdirAll(outDir, 0o755); err != nil {
				return err
			}
			// Sorted, so that the list printed is the same every time.
			for _, name := range slices.Sorted(maps.Keys(res.Files)) {
				if err := os.WriteFile(filepath.Join(outDir, name), []byte(res.Files[name]), 0o644); err != nil {
					return err
				}
				fmt.Fprintln(c.OutOrStdout(), filepath.Join(outDir, name))
			}
			return nil
		},
	}
	in.register(c, "the Prometheus object, as NAMESPACE/NAME (needed when the input has several)")
	c.Flags().StringVar(&outDir, "output-dir", "", "folder the rule files are written to")
	_ = c.MarkFlagRequired("output-dir")
	return c
}
