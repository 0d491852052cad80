package main

import (
	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"

	"github.com/vigil-monitoring/vigil/internal/amconfig"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/selection"
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
			store := assets.NewStore(inv.Secrets, inv.ConfigMaps)
			// A missing base configuration Secret gives the default
			// configuration, as in a cluster.
			base, _ := store.SecretKey(am.Namespace, corev1.SecretKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: amconfig.ConfigSecretName(am)},
				Key:                  amconfig.ConfigKey,
			})
			configs := selection.Filter(selection.ForAlertmanager(am, inv.NamespaceLabels()), inv.AlertmanagerConfigs)
			res, err := amconfig.Generate(am, []byte(base), derefAll(configs), store)
			if err != nil {
				return err
			}
			printRejections(c.ErrOrStderr(), inv, res.Rejected)
			_, err = c.OutOrStdout().Write(res.Config)
			return err
		},
	}
	in.register(c, "the Alertmanager object, as NAMESPACE/NAME (needed when the input has several)")
	return c
}
