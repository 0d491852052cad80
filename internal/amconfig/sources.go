package amconfig

import (
	"errors"
	"fmt"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/assets"
)

// Sources is what an Alertmanager's configuration is made from, as the
// controller (from its caches) and vigilctl (from manifests) read them.
type Sources struct {
	// ConfigSecret is the ConfigKey value of the Secret ConfigSecretName
	// names, nil when the Secret or the key is missing.
	ConfigSecret []byte
	// Global is the AlertmanagerConfig GlobalConfigName names, in the
	// Alertmanager's namespace, whether the Alertmanager selects it or
	// not; nil when it does not exist.
	Global *monitoringv1alpha1.AlertmanagerConfig
	// Selected are the AlertmanagerConfigs the Alertmanager selects.
	Selected []monitoringv1alpha1.AlertmanagerConfig
	Store    Store
	// FileReferences is the administrator's policy for the files of the
	// Alertmanager container that AlertmanagerConfigs name (a Telegram
	// botTokenFile); the zero value honours them as Prometheus Operator
	// does.
	FileReferences assets.FileReferencePolicy
}

// GlobalConfigName is the name of the AlertmanagerConfig, in am's
// namespace, that spec.alertmanagerConfiguration makes the base of the
// configuration, or "" when it is not set.
func GlobalConfigName(am *monitoringv1.Alertmanager) string {
	if am == nil || am.Spec.AlertmanagerConfiguration == nil {
		return ""
	}
	return am.Spec.AlertmanagerConfiguration.Name
}

// GenerateFrom chooses the base configuration as Prometheus Operator does
// and generates: when spec.alertmanagerConfiguration is set, the
// AlertmanagerConfig it names replaces the configuration Secret (which is
// then not read at all), its global section and templates are added, and
// it is not also added as a selected object; a missing one is an error for
// the whole Alertmanager, as there is nothing to build on. Otherwise the
// Secret is the base, DefaultConfig when it is missing or empty.
func GenerateFrom(am *monitoringv1.Alertmanager, src Sources) (Result, error) {
	if am == nil {
		return Result{}, errors.New("no Alertmanager object")
	}
	if am.Spec.AlertmanagerConfiguration == nil {
		return generate(am, src.ConfigSecret, src.Selected, src.Store, src.FileReferences)
	}
	name := GlobalConfigName(am)
	if name == "" {
		return Result{}, errors.New("spec.alertmanagerConfiguration.name is not set")
	}
	if src.Global == nil {
		return Result{}, fmt.Errorf("spec.alertmanagerConfiguration names AlertmanagerConfig %s/%s, which does not exist", am.Namespace, name)
	}
	base, err := baseFrom(am, src.Global, src.Store, src.FileReferences)
	if err != nil {
		return Result{}, err
	}
	others := make([]monitoringv1alpha1.AlertmanagerConfig, 0, len(src.Selected))
	for _, c := range src.Selected {
		if c.Namespace != am.Namespace || c.Name != name {
			others = append(others, c)
		}
	}
	return generate(am, base, others, src.Store, src.FileReferences)
}
