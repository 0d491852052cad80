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
	if err := execute(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		os.Exit(1)
	}
}

// execute runs one command line. Every error, whether from the flags, the
// input or the generation, is printed on stderr and returned, so that the
// exit code is not zero.
func execute(args []string, stdout, stderr io.Writer) error {
	root := newRootCommand(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err != nil {
		fmt.Fprintf(stderr, "vigilctl: %v\n", err)
	}
	return err
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
