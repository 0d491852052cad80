package amconfig_test

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/prometheus/alertmanager/config"
	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/amconfig"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/manifest"
)

// input is what a controller would pass to Generate, read from manifests.
type input struct {
	am      *monitoringv1.Alertmanager
	base    []byte
	configs []monitoringv1alpha1.AlertmanagerConfig
	store   *assets.Store
	files   assets.FileReferencePolicy
}

// generate generates with the base given (the configuration Secret's
// content, or what spec.alertmanagerConfiguration makes) and the file
// reference policy.
func (in input) generate() (amconfig.Result, error) {
	if in.am.Spec.AlertmanagerConfiguration != nil {
		return amconfig.Generate(in.am, in.base, in.configs, in.store)
	}
	return amconfig.GenerateFrom(in.am, amconfig.Sources{ConfigSecret: in.base, Selected: in.configs, Store: in.store, FileReferences: in.files})
}

// readInput reads one Alertmanager, its AlertmanagerConfigs and the Secrets
// and ConfigMaps they refer to from a YAML stream, strictly. The base
// configuration is the alertmanager.yaml key of the Alertmanager's config
// Secret, when there is one.
func readInput(t testing.TB, path string) input {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	in, err := parseInput(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return in
}

func parseInput(data []byte) (input, error) {
	docs, err := manifest.Documents(data)
	if err != nil {
		return input{}, err
	}
	var in input
	var secrets []corev1.Secret
	var configMaps []corev1.ConfigMap
	for i, doc := range docs {
		var meta struct{ Kind string }
		if err := json.Unmarshal(doc, &meta); err != nil {
			return input{}, fmt.Errorf("document %d: %w", i, err)
		}
		if err := in.add(meta.Kind, doc, &secrets, &configMaps); err != nil {
			return input{}, fmt.Errorf("document %d (%s): %w", i, meta.Kind, err)
		}
	}
	if in.am == nil {
		return input{}, fmt.Errorf("no Alertmanager")
	}
	in.store = assets.NewStore(secrets, configMaps)
	base, err := in.store.SecretKey(in.am.Namespace, corev1.SecretKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: amconfig.ConfigSecretName(in.am)}, Key: amconfig.ConfigKey})
	if err == nil {
		in.base = []byte(base)
	}
	if spec := in.am.Spec.AlertmanagerConfiguration; spec != nil {
		// As a controller would: the named object is the base, not one of
		// the objects added to it.
		i := slices.IndexFunc(in.configs, func(c monitoringv1alpha1.AlertmanagerConfig) bool {
			return c.Namespace == in.am.Namespace && c.Name == spec.Name
		})
		if i < 0 {
			return input{}, fmt.Errorf("no AlertmanagerConfig %s/%s", in.am.Namespace, spec.Name)
		}
		if in.base, err = amconfig.BaseFromAlertmanagerConfig(in.am, &in.configs[i], in.store); err != nil {
			return input{}, err
		}
		in.configs = slices.Delete(in.configs, i, i+1)
	}
	return in, nil
}

func (in *input) add(kind string, doc []byte, secrets *[]corev1.Secret, configMaps *[]corev1.ConfigMap) error {
	switch kind {
	case "Alertmanager":
		in.am = &monitoringv1.Alertmanager{}
		return manifest.DecodeStrict(doc, in.am)
	case "AlertmanagerConfig":
		var amc monitoringv1alpha1.AlertmanagerConfig
		if err := manifest.DecodeStrict(doc, &amc); err != nil {
			return err
		}
		in.configs = append(in.configs, amc)
	case "Secret":
		var s corev1.Secret
		if err := manifest.DecodeStrict(doc, &s); err != nil {
			return err
		}
		*secrets = append(*secrets, s)
	case "ConfigMap":
		var cm corev1.ConfigMap
		if err := manifest.DecodeStrict(doc, &cm); err != nil {
			return err
		}
		*configMaps = append(*configMaps, cm)
	default:
		return fmt.Errorf("unexpected kind %q", kind)
	}
	return nil
}

// mustLoad loads a configuration with Alertmanager's own loader.
func mustLoad(t testing.TB, cfg []byte) *config.Config {
	t.Helper()
	c, err := config.Load(string(cfg))
	if err != nil {
		t.Fatalf("Alertmanager does not load the configuration: %v\n%s", err, cfg)
	}
	return c
}
