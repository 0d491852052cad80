package amconfig

import (
	"errors"
	"fmt"

	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/assets"
)

// fragment is what one AlertmanagerConfig adds to the configuration.
type fragment struct {
	namespace, name string
	route           *route // nil when the object has no route
	receivers       []*receiver
	inhibitRules    []*inhibitRule
	timeIntervals   []*timeInterval
	// secrets are the Secret values the fragment carries, to redact from
	// the loader's messages about it.
	secrets []string
}

// converter turns AlertmanagerConfigs into fragments for one Alertmanager.
type converter struct {
	store Store
	// owner is the Alertmanager, with the file reference policy.
	owner  assets.Owner
	scoped func(objNamespace string) bool
	// root converts the object's route into the root route, for
	// spec.alertmanagerConfiguration.
	root bool
}

func (c *converter) convert(amc *monitoringv1alpha1.AlertmanagerConfig) (*fragment, error) {
	if amc.Namespace == "" || amc.Name == "" {
		return nil, errors.New("metadata.namespace and metadata.name are required")
	}
	r := &resolver{assets.NewResolver(c.store, amc.Namespace, c.owner)}
	prefix := amc.Namespace + "/" + amc.Name + "/"
	f := &fragment{namespace: amc.Namespace, name: amc.Name}

	var nsMatcher string
	if c.scoped(amc.Namespace) {
		m, err := namespaceMatcher(amc.Namespace)
		if err != nil {
			return nil, err
		}
		nsMatcher = m
	}

	for i := range amc.Spec.InhibitRules {
		rule, err := convertInhibitRule(&amc.Spec.InhibitRules[i], nsMatcher)
		if err != nil {
			return nil, fmt.Errorf("inhibitRules[%d]: %w", i, err)
		}
		f.inhibitRules = append(f.inhibitRules, rule)
	}

	rc := &routeConverter{prefix: prefix, receivers: map[string]bool{}, intervals: map[string]bool{}}
	var receivers []*receiver
	for i := range amc.Spec.Receivers {
		in := &amc.Spec.Receivers[i]
		if err := checkUniqueName(rc.receivers, in.Name); err != nil {
			return nil, fmt.Errorf("receivers[%d]: %w", i, err)
		}
		out, err := convertReceiver(r, in, prefix)
		if err != nil {
			return nil, fmt.Errorf("receivers[%d] (%q): %w", i, in.Name, err)
		}
		receivers = append(receivers, out)
	}
	var intervals []*timeInterval
	for i := range amc.Spec.MuteTimeIntervals {
		in := &amc.Spec.MuteTimeIntervals[i]
		if err := checkUniqueName(rc.intervals, in.Name); err != nil {
			return nil, fmt.Errorf("muteTimeIntervals[%d]: %w", i, err)
		}
		out, err := convertTimeInterval(in, prefix)
		if err != nil {
			return nil, fmt.Errorf("muteTimeIntervals[%d] (%q): %w", i, in.Name, err)
		}
		intervals = append(intervals, out)
	}

	// Without a route nothing can use the receivers and time intervals, so,
	// as Prometheus Operator does, only the inhibition rules are kept.
	if amc.Spec.Route != nil {
		convertTop := rc.convertTopRoute
		if c.root {
			convertTop = rc.convertRootRoute
		}
		top, err := convertTop(amc.Spec.Route, nsMatcher)
		if err != nil {
			return nil, fmt.Errorf("route: %w", err)
		}
		f.route, f.receivers, f.timeIntervals = top, receivers, intervals
	}
	f.secrets = r.Secrets()
	return f, nil
}

func checkUniqueName(seen map[string]bool, name string) error {
	if name == "" {
		return errors.New("name is required")
	}
	if seen[name] {
		return fmt.Errorf("name %q is not unique", name)
	}
	seen[name] = true
	return nil
}
