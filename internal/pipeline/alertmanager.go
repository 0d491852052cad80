package pipeline

import (
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/amconfig"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/selection"
)

// AlertmanagerResult is everything a reconcile of one Alertmanager writes,
// and why.
type AlertmanagerResult struct {
	// Config is alertmanager.yaml. It always loads with Alertmanager's
	// loader.
	Config []byte
	// Decisions has one entry per selected AlertmanagerConfig, sorted by
	// namespace and name. The one spec.alertmanagerConfiguration names is
	// the base of the configuration, not a selected object.
	Decisions []Decision
	// References are the Secret and ConfigMap keys read, or tried: the
	// configuration Secret's among them.
	References []assets.Reference
}

// Alertmanager selects what am selects from snap and generates, as the
// operator does from its caches: the base is the configuration Secret (a
// missing one gives the default configuration, as in a cluster), or the
// AlertmanagerConfig spec.alertmanagerConfiguration names, in am's
// namespace, selected or not. An error means am's own settings cannot make
// a configuration; the references read are still set.
func Alertmanager(am *monitoringv1.Alertmanager, snap Snapshot) (AlertmanagerResult, error) {
	read := assets.Record(snap.Values)
	selected := selection.Filter(selection.ForAlertmanager(am, snap.Namespaces), snap.AlertmanagerConfigs)
	src := amconfig.Sources{Store: read, Selected: values(selected), FileReferences: snap.FileReferences}
	var res AlertmanagerResult
	if name := amconfig.GlobalConfigName(am); name != "" {
		global, err := named(snap.AlertmanagerConfigs, am.Namespace, name)
		if err != nil {
			return res, err
		}
		src.Global = global
	} else {
		base, err := read.SecretKey(am.Namespace, corev1.SecretKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: amconfig.ConfigSecretName(am)},
			Key:                  amconfig.ConfigKey,
		})
		switch {
		case err == nil:
			src.ConfigSecret = []byte(base)
		case !errors.Is(err, assets.ErrNotFound):
			res.References = read.References()
			return res, err
		}
	}
	gen, err := amconfig.GenerateFrom(am, src)
	res.References = read.References()
	if err != nil {
		return res, err
	}
	res.Config = gen.Config
	var others []*monitoringv1alpha1.AlertmanagerConfig
	for _, c := range selected {
		if src.Global == nil || c.Namespace != am.Namespace || c.Name != src.Global.Name {
			others = append(others, c)
		}
	}
	res.Decisions = decide(nil, amconfig.KindAlertmanagerConfig, others, gen.Rejected)
	sortDecisions(res.Decisions)
	return res, nil
}

// named finds the AlertmanagerConfig namespace/name, nil when there is none.
func named(configs []*monitoringv1alpha1.AlertmanagerConfig, namespace, name string) (*monitoringv1alpha1.AlertmanagerConfig, error) {
	var found []*monitoringv1alpha1.AlertmanagerConfig
	for _, c := range configs {
		if c.Namespace == namespace && c.Name == name {
			found = append(found, c)
		}
	}
	if len(found) > 1 {
		return nil, fmt.Errorf("the input holds %d AlertmanagerConfigs %s/%s, which spec.alertmanagerConfiguration names", len(found), namespace, name)
	}
	if len(found) == 0 {
		return nil, nil
	}
	return found[0], nil
}

// SelectsForAlertmanager says whether am selects an AlertmanagerConfig in
// namespace with labels, and when not, why.
func SelectsForAlertmanager(am *monitoringv1.Alertmanager, namespaces selection.Namespaces, namespace string, labels map[string]string) selection.Decision {
	return selection.ForAlertmanager(am, namespaces).Decide(namespace, labels)
}
