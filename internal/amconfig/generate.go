package amconfig

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/prometheus/alertmanager/config"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// ConfigKey is the key of the base configuration in its Secret, and of the
// generated configuration.
const ConfigKey = "alertmanager.yaml"

// KindAlertmanagerConfig is the Kind of the Rejections of this package.
const KindAlertmanagerConfig = "AlertmanagerConfig"

// ErrInvalidBase is wrapped by Generate's error when the base configuration
// does not load: nothing can be generated until its owner fixes it.
var ErrInvalidBase = errors.New("the base Alertmanager configuration does not load")

// Rejection is an object left out of the configuration, and why.
type Rejection = rejection.Rejection

// Result is the generated configuration and the objects left out of it.
type Result struct {
	// Config is alertmanager.yaml. It always loads with config.Load.
	Config []byte
	// Rejected lists the AlertmanagerConfigs left out, sorted by namespace
	// and name.
	Rejected []Rejection
}

// ConfigSecretName is the name of the Secret holding am's base
// configuration, under ConfigKey.
func ConfigSecretName(am *monitoringv1.Alertmanager) string {
	if am.Spec.ConfigSecret != "" {
		return am.Spec.ConfigSecret
	}
	return "alertmanager-" + am.Name
}

// Generate builds alertmanager.yaml for am from base, the content of the
// base configuration Secret (DefaultConfig when empty or missing), and the
// AlertmanagerConfigs am selects. store resolves the Secret and ConfigMap
// keys the AlertmanagerConfigs refer to, in their own namespaces. When
// am.Spec.AlertmanagerConfiguration is set, base is what
// BaseFromAlertmanagerConfig returns instead, and configs leave out the
// object it names: GenerateFrom does that.
//
// An AlertmanagerConfig that cannot be converted, or whose part would make
// the configuration fail Alertmanager's loader, is left out and listed in
// Result.Rejected. A base configuration that does not load is an error
// wrapping ErrInvalidBase.
//
// It honours file references as FileReferencesAll does; GenerateFrom
// applies the policy Sources names.
func Generate(am *monitoringv1.Alertmanager, base []byte, configs []monitoringv1alpha1.AlertmanagerConfig, store Store) (Result, error) {
	return generate(am, base, configs, store, "")
}

// ownerOf is am as the owner of what AlertmanagerConfigs refer to.
func ownerOf(am *monitoringv1.Alertmanager, files assets.FileReferencePolicy) assets.Owner {
	return assets.Owner{Kind: "Alertmanager", Namespace: am.Namespace, Files: files}
}

func generate(am *monitoringv1.Alertmanager, base []byte, configs []monitoringv1alpha1.AlertmanagerConfig, store Store, files assets.FileReferencePolicy) (Result, error) {
	if am == nil {
		return Result{}, errors.New("no Alertmanager object")
	}
	scoped, err := scopeFor(am)
	if err != nil {
		return Result{}, err
	}
	b, err := loadBase(base)
	if err != nil {
		return Result{}, fmt.Errorf("%w: key %s of secret %s/%s: %w", ErrInvalidBase, ConfigKey, am.Namespace, ConfigSecretName(am), err)
	}

	var res Result
	if err := files.Valid(); err != nil {
		return Result{}, err
	}
	c := &converter{store: store, owner: ownerOf(am, files), scoped: scoped}
	var frags []*fragment
	for _, amc := range sortConfigs(configs, &res) {
		f, err := c.convert(amc)
		if err != nil {
			res.reject(amc.Namespace, amc.Name, err)
			continue
		}
		frags = append(frags, f)
	}

	out, err := assembleLoadable(b, frags, &res)
	if err != nil {
		return Result{}, err
	}
	res.Config = out
	rejection.Sort(res.Rejected)
	return res, nil
}

// sortConfigs orders the objects by "<namespace>/<name>", as Prometheus
// Operator orders their routes. An object given more than once counts once
// when the copies are equal, and is left out when they differ (see
// rejection.Distinct).
func sortConfigs(configs []monitoringv1alpha1.AlertmanagerConfig, res *Result) []*monitoringv1alpha1.AlertmanagerConfig {
	sorted := make([]*monitoringv1alpha1.AlertmanagerConfig, 0, len(configs))
	for i := range configs {
		sorted = append(sorted, &configs[i])
	}
	slices.SortFunc(sorted, func(a, b *monitoringv1alpha1.AlertmanagerConfig) int {
		return cmp.Compare(a.Namespace+"/"+a.Name, b.Namespace+"/"+b.Name)
	})
	return rejection.Distinct(sorted, func(first *monitoringv1alpha1.AlertmanagerConfig, n int) {
		res.reject(first.Namespace, first.Name, rejection.Errorf(rejection.ConflictingCopies, "the input holds %d copies of the object that differ, and which to use cannot be decided", n))
	})
}

func (r *Result) reject(namespace, name string, err error) {
	r.Rejected = append(r.Rejected, rejection.New(KindAlertmanagerConfig, namespace, name, err))
}

// assembleLoadable merges the fragments into the base and checks the result
// with Alertmanager's loader. When it does not load, the fragments that
// make it fail are found and rejected with the loader's message: first
// those that fail with the base alone, then, if the rest still conflict
// with one another, each one that fails on top of those already accepted.
func assembleLoadable(base []byte, frags []*fragment, res *Result) ([]byte, error) {
	out, err := build(base, frags)
	if err == nil {
		return out, nil
	}
	var alone []*fragment
	for _, f := range frags {
		if _, err := build(base, []*fragment{f}); err != nil {
			res.reject(f.namespace, f.name, loaderReason(err, f))
			continue
		}
		alone = append(alone, f)
	}
	if out, err = build(base, alone); err == nil {
		return out, nil
	}
	var accepted []*fragment
	for _, f := range alone {
		if _, err := build(base, append(slices.Clip(accepted), f)); err != nil {
			res.reject(f.namespace, f.name, loaderReason(err, append(slices.Clip(accepted), f)...))
			continue
		}
		accepted = append(accepted, f)
	}
	if out, err = build(base, accepted); err != nil {
		// The base loaded on its own, so only a bug of this package gets here.
		return nil, fmt.Errorf("the generated configuration does not load: %w", err)
	}
	return out, nil
}

// build assembles and loads.
func build(base []byte, frags []*fragment) ([]byte, error) {
	out, err := assemble(base, frags)
	if err != nil {
		return nil, err
	}
	if _, err := config.Load(string(out)); err != nil {
		return nil, err
	}
	return out, nil
}

// loaderReason is the loader's refusal, its message without the Secret
// values of the fragments it loaded: the message ends up in a status and
// an Event, which more people can read than the Secrets. It does not wrap
// err, whose message has the values.
func loaderReason(err error, frags ...*fragment) error {
	var secrets []string
	for _, f := range frags {
		secrets = append(secrets, f.secrets...)
	}
	msg := assets.Redact(err.Error(), secrets)
	return rejection.Wrap(rejection.RefusedByAlertmanager, errors.New("Alertmanager would not load the configuration with this object: "+msg))
}
