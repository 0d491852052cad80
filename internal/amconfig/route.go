package amconfig

import (
	"errors"
	"fmt"
	"slices"

	"github.com/prometheus/common/model"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// maxRouteDepth bounds the nesting of child routes. The raw JSON of routes
// has no schema, so only the object size limits it otherwise.
const maxRouteDepth = 64

// route is a node of Alertmanager's routing tree, with its YAML names.
type route struct {
	Receiver            string   `yaml:"receiver,omitempty"`
	GroupBy             []string `yaml:"group_by,omitempty"`
	Matchers            []string `yaml:"matchers,omitempty"`
	MuteTimeIntervals   []string `yaml:"mute_time_intervals,omitempty"`
	ActiveTimeIntervals []string `yaml:"active_time_intervals,omitempty"`
	Continue            bool     `yaml:"continue,omitempty"`
	GroupWait           string   `yaml:"group_wait,omitempty"`
	GroupInterval       string   `yaml:"group_interval,omitempty"`
	RepeatInterval      string   `yaml:"repeat_interval,omitempty"`
	Routes              []*route `yaml:"routes,omitempty"`
}

// routeConverter converts the routing tree of one AlertmanagerConfig. The
// names it refers to must be the object's own, and are prefixed like them.
type routeConverter struct {
	prefix    string
	receivers map[string]bool
	intervals map[string]bool
}

// convertTopRoute converts the object's route into a first-level route of
// the root route. It always continues, so that later objects and the base
// configuration's routes still see the alerts it matches. nsMatcher, when
// set, replaces any matcher on the namespace label, as the API documents.
func (c *routeConverter) convertTopRoute(in *monitoringv1alpha1.Route, nsMatcher string) (*route, error) {
	if in.Receiver == "" {
		return nil, errors.New("receiver is required on the top-level route")
	}
	top := *in
	if nsMatcher != "" {
		top.Matchers = slices.DeleteFunc(slices.Clone(in.Matchers), func(m monitoringv1alpha1.Matcher) bool {
			return m.Name == namespaceLabel
		})
	}
	out, err := c.convert(&top, 0)
	if err != nil {
		return nil, err
	}
	out.Continue = true
	if nsMatcher != "" {
		out.Matchers = append(out.Matchers, nsMatcher)
	}
	return out, nil
}

// convertRootRoute converts the object's route into the root route, which
// Alertmanager requires to have a receiver and nothing that would let an
// alert miss it.
func (c *routeConverter) convertRootRoute(in *monitoringv1alpha1.Route, _ string) (*route, error) {
	switch {
	case in.Receiver == "":
		return nil, errors.New("receiver is required on the root route")
	case len(in.Matchers) > 0:
		return nil, errors.New("matchers are not allowed on the root route")
	case len(in.MuteTimeIntervals) > 0 || len(in.ActiveTimeIntervals) > 0:
		return nil, errors.New("muteTimeIntervals and activeTimeIntervals are not allowed on the root route")
	case in.Continue:
		return nil, errors.New("continue is not allowed on the root route")
	}
	return c.convert(in, 0)
}

func (c *routeConverter) convert(in *monitoringv1alpha1.Route, depth int) (*route, error) {
	if depth > maxRouteDepth {
		return nil, fmt.Errorf("routes are nested deeper than %d levels", maxRouteDepth)
	}
	out := &route{Continue: in.Continue}
	if in.Receiver != "" {
		if !c.receivers[in.Receiver] {
			return nil, fmt.Errorf("receiver %q is not one of spec.receivers", in.Receiver)
		}
		out.Receiver = c.prefix + in.Receiver
	}
	if len(in.GroupBy) > 0 {
		if err := checkLabelNames(slices.DeleteFunc(slices.Clone(in.GroupBy), func(s string) bool { return s == "..." })); err != nil {
			return nil, fmt.Errorf("groupBy: %w", err)
		}
		out.GroupBy = in.GroupBy
	}
	var err error
	for _, d := range []struct {
		field string
		in    *monitoringv1.NonEmptyDuration
		out   *string
	}{
		{"groupWait", in.GroupWait, &out.GroupWait},
		{"groupInterval", in.GroupInterval, &out.GroupInterval},
		{"repeatInterval", in.RepeatInterval, &out.RepeatInterval},
	} {
		if d.in == nil {
			continue
		}
		if _, err := model.ParseDuration(string(*d.in)); err != nil {
			return nil, fmt.Errorf("%s: %w", d.field, err)
		}
		*d.out = string(*d.in)
	}
	if out.Matchers, err = convertMatchers(in.Matchers); err != nil {
		return nil, err
	}
	if out.MuteTimeIntervals, err = c.intervalNames("muteTimeIntervals", in.MuteTimeIntervals); err != nil {
		return nil, err
	}
	if out.ActiveTimeIntervals, err = c.intervalNames("activeTimeIntervals", in.ActiveTimeIntervals); err != nil {
		return nil, err
	}
	// Child routes are raw JSON (a CRD schema cannot refer to itself), so
	// this is the first place they are checked; they decode strictly.
	children, err := in.ChildRoutes()
	if err != nil {
		return nil, err
	}
	for i := range children {
		child, err := c.convert(&children[i], depth+1)
		if err != nil {
			return nil, fmt.Errorf("routes[%d]: %w", i, err)
		}
		out.Routes = append(out.Routes, child)
	}
	return out, nil
}

func (c *routeConverter) intervalNames(field string, names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		if !c.intervals[n] {
			return nil, fmt.Errorf("%s: %q is not one of spec.muteTimeIntervals", field, n)
		}
		out = append(out, c.prefix+n)
	}
	return out, nil
}

// inhibitRule is an Alertmanager inhibition rule, with its YAML names.
type inhibitRule struct {
	SourceMatchers []string `yaml:"source_matchers,omitempty"`
	TargetMatchers []string `yaml:"target_matchers,omitempty"`
	Equal          []string `yaml:"equal,omitempty"`
}

// convertInhibitRule converts one rule. When nsMatcher is set, both sides
// are limited to the object's namespace, so that a tenant cannot mute other
// namespaces' alerts; as with Prometheus Operator, the user's own matchers
// stay, so a rule naming another namespace matches nothing.
func convertInhibitRule(in *monitoringv1alpha1.InhibitRule, nsMatcher string) (*inhibitRule, error) {
	src, err := convertMatchers(in.SourceMatch)
	if err != nil {
		return nil, fmt.Errorf("sourceMatch: %w", err)
	}
	tgt, err := convertMatchers(in.TargetMatch)
	if err != nil {
		return nil, fmt.Errorf("targetMatch: %w", err)
	}
	if err := checkLabelNames(in.Equal); err != nil {
		return nil, fmt.Errorf("equal: %w", err)
	}
	if nsMatcher != "" {
		if !slices.Contains(src, nsMatcher) {
			src = append(src, nsMatcher)
		}
		if !slices.Contains(tgt, nsMatcher) {
			tgt = append(tgt, nsMatcher)
		}
	}
	return &inhibitRule{SourceMatchers: src, TargetMatchers: tgt, Equal: in.Equal}, nil
}
