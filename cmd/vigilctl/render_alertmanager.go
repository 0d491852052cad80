package main

import (
	"fmt"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/amconfig"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/inventory"
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
			src, err := alertmanagerSources(inv, am)
			if err != nil {
				return err
			}
			res, err := amconfig.GenerateFrom(am, src)
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

// alertmanagerSources reads what am's configuration is made from, as the
// operator does from its caches: the configuration Secret (a missing one
// gives the default configuration, as in a cluster), the
// AlertmanagerConfig spec.alertmanagerConfiguration names (in am's
// namespace, selected or not) and the selected AlertmanagerConfigs.
func alertmanagerSources(inv *inventory.Inventory, am *monitoringv1.Alertmanager) (amconfig.Sources, error) {
	src := amconfig.Sources{Store: assets.NewStore(inv.Secrets, inv.ConfigMaps)}
	if base, err := src.Store.SecretKey(am.Namespace, corev1.SecretKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: amconfig.ConfigSecretName(am)},
		Key:                  amconfig.ConfigKey,
	}); err == nil {
		src.ConfigSecret = []byte(base)
	}
	if name := amconfig.GlobalConfigName(am); name != "" {
		var found []*monitoringv1alpha1.AlertmanagerConfig
		for _, c := range inv.AlertmanagerConfigs {
			if c.Namespace == am.Namespace && c.Name == name {
				found = append(found, c)
			}
		}
		if len(found) > 1 {
			return src, fmt.Errorf("the input holds %d AlertmanagerConfigs %s/%s, which spec.alertmanagerConfiguration names", len(found), am.Namespace, name)
		}
		if len(found) == 1 {
			src.Global = found[0]
		}
	}
	src.Selected = derefAll(selection.Filter(selection.ForAlertmanager(am, inv.NamespaceLabels()), inv.AlertmanagerConfigs))
	return src, nil
}
