package compare

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	amconfig "github.com/prometheus/alertmanager/config"
	amcommoncfg "github.com/prometheus/alertmanager/config/common"
	"github.com/prometheus/alertmanager/dispatch"
	"github.com/prometheus/alertmanager/inhibit"
	"github.com/prometheus/alertmanager/pkg/labels"
	commoncfg "github.com/prometheus/common/config"
	"github.com/prometheus/common/model"
)

// AlertmanagerInput is one side of an Alertmanager comparison.
type AlertmanagerInput struct {
	// Config is alertmanager.yaml.
	Config []byte
	// Files are the files the configuration refers to by absolute path
	// (Prometheus Operator's TLS assets), by path.
	Files map[string][]byte
	// Rejected are the AlertmanagerConfigs left out, "AlertmanagerConfig
	// namespace/name", with the reason.
	Rejected map[string]string
}

// Alertmanager compares Vigil's alertmanager.yaml with Prometheus
// Operator's, both loaded with Alertmanager's own loader (config.Load,
// which also fills receivers from global:), as Alertmanager reads them:
// the route tree as Alertmanager's dispatcher builds it (settings
// inherited, matchers in its order, group_by a set), the receivers by
// name with secrets in plain text, the inhibit rules as its inhibitor
// builds them (in any order), the time intervals by name (from
// time_intervals or the deprecated mute_time_intervals, which Alertmanager
// reads alike), global, templates and the remaining top-level settings;
// then the AlertmanagerConfigs each side leaves out.
func Alertmanager(vigil, po AlertmanagerInput) ([]Difference, error) {
	diffs, _ := rejections(vigil.Rejected, po.Rejected)
	vc, err := loadAlertmanager("Vigil", vigil)
	if err != nil {
		return nil, err
	}
	for _, a := range Allowances {
		if a.repairPOAlertmanager != nil {
			po.Config = a.repairPOAlertmanager(po.Config)
		}
	}
	pc, err := loadAlertmanager("Prometheus Operator", po)
	if err != nil {
		return nil, err
	}
	for _, s := range alertmanagerSections(pc, vc) {
		if d := diffYAML(s.po, s.vigil); d != "" {
			diffs = append(diffs, Difference{Job: s.name, Diff: d})
		}
	}
	return diffs, nil
}

// loadAlertmanager loads the configuration with Alertmanager's loader and
// applies the Allowances' normalisations.
func loadAlertmanager(side string, in AlertmanagerInput) (*amconfig.Config, error) {
	c, err := amconfig.Load(string(in.Config))
	if err != nil {
		return nil, fmt.Errorf("%s's alertmanager.yaml does not load: %w", side, err)
	}
	for _, a := range Allowances {
		if a.normalizeAlertmanager != nil {
			if err := a.normalizeAlertmanager(c, in); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", side, a.Name, err)
			}
		}
	}
	return c, nil
}

// alertmanagerSections are the parts compared, one Difference each:
// global, route, inhibit_rules, one per receiver and time interval (by
// name), templates and the rest.
func alertmanagerSections(po, vigil *amconfig.Config) []section {
	out := []section{
		{"global", po.Global, vigil.Global},
		{"route", routeTree(po.Route), routeTree(vigil.Route)},
		{"inhibit_rules", inhibitRules(po.InhibitRules), inhibitRules(vigil.InhibitRules)},
	}
	// A receiver or time interval one side does not have is null there.
	pr, vr := receiversByName(po), receiversByName(vigil)
	for _, name := range union(keys(pr), keys(vr)) {
		out = append(out, section{"receiver " + name, pr[name], vr[name]})
	}
	pt, vt := timeIntervalsByName(po), timeIntervalsByName(vigil)
	for _, name := range union(keys(pt), keys(vt)) {
		out = append(out, section{"time interval " + name, pt[name], vt[name]})
	}
	return append(out,
		section{"templates", po.Templates, vigil.Templates},
		section{"tracing", po.TracingConfig, vigil.TracingConfig},
		section{"event_recorder", po.EventRecorder, vigil.EventRecorder},
	)
}

// route is one node of the routing tree as Alertmanager's dispatcher
// holds it.
type route struct {
	Receiver            string   `yaml:"receiver"`
	GroupBy             []string `yaml:"group_by,omitempty"`
	GroupByAll          bool     `yaml:"group_by_all,omitempty"`
	GroupWait           string   `yaml:"group_wait"`
	GroupInterval       string   `yaml:"group_interval"`
	RepeatInterval      string   `yaml:"repeat_interval"`
	Matchers            []string `yaml:"matchers,omitempty"`
	Continue            bool     `yaml:"continue,omitempty"`
	MuteTimeIntervals   []string `yaml:"mute_time_intervals,omitempty"`
	ActiveTimeIntervals []string `yaml:"active_time_intervals,omitempty"`
	Routes              []route  `yaml:"routes,omitempty"`
}

// routeTree builds the routing tree with Alertmanager's dispatcher
// (dispatch.NewRoute), which resolves what each route inherits.
func routeTree(r *amconfig.Route) any {
	if r == nil {
		return nil
	}
	return newRouteNode(dispatch.NewRoute(r, nil))
}

func newRouteNode(r *dispatch.Route) route {
	o := r.RouteOpts
	out := route{
		Receiver:            o.Receiver,
		GroupByAll:          o.GroupByAll,
		GroupWait:           duration(o.GroupWait),
		GroupInterval:       duration(o.GroupInterval),
		RepeatInterval:      duration(o.RepeatInterval),
		Matchers:            matcherStrings(r.Matchers),
		Continue:            r.Continue,
		MuteTimeIntervals:   o.MuteTimeIntervals,
		ActiveTimeIntervals: o.ActiveTimeIntervals,
	}
	for ln := range o.GroupBy {
		out.GroupBy = append(out.GroupBy, string(ln))
	}
	slices.Sort(out.GroupBy)
	for _, c := range r.Routes {
		out.Routes = append(out.Routes, newRouteNode(c))
	}
	return out
}

func duration(d time.Duration) string { return model.Duration(d).String() }

func matcherStrings(ms labels.Matchers) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.String())
	}
	return out
}

// inhibitRule is an inhibit rule as Alertmanager's inhibitor holds it.
type inhibitRule struct {
	Name           string   `yaml:"name,omitempty"`
	SourceMatchers []string `yaml:"source_matchers,omitempty"`
	TargetMatchers []string `yaml:"target_matchers,omitempty"`
	Equal          []string `yaml:"equal,omitempty"`
}

// inhibitRules builds each rule with Alertmanager's inhibitor
// (inhibit.NewInhibitRule, which joins the deprecated source_match and
// source_match_re with source_matchers) and sorts the list: every rule
// applies, in any order.
func inhibitRules(rules []amcommoncfg.InhibitRule) []inhibitRule {
	out := make([]inhibitRule, 0, len(rules))
	for _, cr := range rules {
		r := inhibit.NewInhibitRule(cr)
		ir := inhibitRule{Name: r.Name, SourceMatchers: sortedMatchers(r.SourceMatchers), TargetMatchers: sortedMatchers(r.TargetMatchers)}
		for ln := range r.Equal {
			ir.Equal = append(ir.Equal, string(ln))
		}
		slices.Sort(ir.Equal)
		out = append(out, ir)
	}
	slices.SortFunc(out, func(a, b inhibitRule) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return out
}

// sortedMatchers: all of a rule's matchers must match, in any order.
func sortedMatchers(ms labels.Matchers) []string {
	out := matcherStrings(ms)
	slices.Sort(out)
	return out
}

func receiversByName(c *amconfig.Config) map[string]any {
	out := map[string]any{}
	for _, r := range c.Receivers {
		out[r.Name] = r
	}
	return out
}

// timeIntervalsByName merges time_intervals and mute_time_intervals, which
// Alertmanager reads into one set of named intervals.
func timeIntervalsByName(c *amconfig.Config) map[string]any {
	out := map[string]any{}
	for _, ti := range c.MuteTimeIntervals {
		out[ti.Name] = ti.TimeIntervals
	}
	for _, ti := range c.TimeIntervals {
		out[ti.Name] = ti.TimeIntervals
	}
	return out
}

// inlineAlertmanagerTLSFiles replaces, in every TLS block of the
// configuration, the files in.Files holds by their content.
func inlineAlertmanagerTLSFiles(c *amconfig.Config, in AlertmanagerInput) error {
	eachTLSConfig(reflect.ValueOf(c), func(tls *commoncfg.TLSConfig) { inlineTLS(tls, in.Files) })
	return nil
}

var tlsConfigType = reflect.TypeFor[commoncfg.TLSConfig]()

// eachTLSConfig calls f on every TLS block reachable from v through
// exported fields: global http_config, every receiver's http_config and
// its OAuth2, email's tls_config, and whatever a later Alertmanager adds.
func eachTLSConfig(v reflect.Value, f func(*commoncfg.TLSConfig)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			eachTLSConfig(v.Elem(), f)
		}
	case reflect.Struct:
		if v.Type() == tlsConfigType {
			if v.CanAddr() {
				f(v.Addr().Interface().(*commoncfg.TLSConfig))
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				eachTLSConfig(v.Field(i), f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			eachTLSConfig(v.Index(i), f)
		}
	}
}
