package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/vigil-monitoring/vigil/internal/pipeline"
	"github.com/vigil-monitoring/vigil/internal/rules"
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
			// The scrape configuration's errors are render prometheus's
			// to report: the rules are made whatever they are.
			res, err := pipeline.Prometheus(p, in.snapshot(inv), nil)
			if res.RuleConfigMaps == nil {
				return err
			}
			printRejected(c.ErrOrStderr(), inv, res.Decisions, rules.KindPrometheusRule)
			files := map[string]string{}
			for _, cm := range res.RuleConfigMaps {
				maps.Copy(files, cm.Data)
			}
			if len(files) == 0 && slices.ContainsFunc(res.Decisions, func(d pipeline.Decision) bool {
				return d.Kind == rules.KindPrometheusRule && !d.Accepted()
			}) {
				return errNothingRendered
			}
			if err := os.MkdirAll(outDir, 0o755); err != nil {
				return err
			}
			// Sorted, so that the list printed is the same every time.
			for _, name := range slices.Sorted(maps.Keys(files)) {
				if err := os.WriteFile(filepath.Join(outDir, name), []byte(files[name]), 0o644); err != nil {
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
