package main

import (
	"github.com/spf13/cobra"

	"github.com/vigil-monitoring/vigil/internal/amconfig"
	"github.com/vigil-monitoring/vigil/internal/pipeline"
)

func newRenderAlertmanagerCommand() *cobra.Command {
	var in inputFlags
	c := &cobra.Command{
		Use:   "alertmanager -f DIR [-f FILE ...] [--name NS/NAME]",
		Short: "Print the alertmanager.yaml an Alertmanager object would get",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			inv, err := in.load(c.ErrOrStderr())
			if err != nil {
				return err
			}
			am, err := pick("Alertmanager", inv.Alertmanagers, in.name, in.namespace)
			if err != nil {
				return err
			}
			res, err := pipeline.Alertmanager(am, in.snapshot(inv))
			if err != nil {
				return err
			}
			printRejected(c.ErrOrStderr(), inv, res.Decisions, amconfig.KindAlertmanagerConfig)
			_, err = c.OutOrStdout().Write(res.Config)
			return err
		},
	}
	in.register(c, "the Alertmanager object, as NAMESPACE/NAME (needed when the input has several)")
	in.registerFileReferences(c)
	return c
}
