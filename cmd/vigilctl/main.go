// Command vigilctl shows what Vigil would generate, without a cluster:
// `vigilctl render` prints the configuration a Prometheus or Alertmanager
// object would get from a set of manifests, and `vigilctl explain` says why
// a monitor is or is not scraped.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	if err := newRootCommand(os.Stdout, os.Stderr).Execute(); err != nil {
		os.Exit(1)
	}
}

func newRootCommand(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "vigilctl",
		Short:         "Render and explain Vigil's configuration offline",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newRenderCommand(), newExplainCommand())
	cobra.EnableCommandSorting = false
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w\nRun '%s --help' for usage", err, c.CommandPath())
	})
	return root
}
