package amconfig_test

import (
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/amconfig"
	"github.com/vigil-monitoring/vigil/internal/rejection"
)

func alertmanager(opts ...func(*monitoringv1.Alertmanager)) *monitoringv1.Alertmanager {
	am := &monitoringv1.Alertmanager{ObjectMeta: metav1.ObjectMeta{Namespace: "monitoring", Name: "main"}}
	for _, o := range opts {
		o(am)
	}
	return am
}

func withConfiguration(name string) func(*monitoringv1.Alertmanager) {
	return func(am *monitoringv1.Alertmanager) {
		am.Spec.AlertmanagerConfiguration = &monitoringv1.AlertmanagerConfiguration{Name: name}
	}
}

// amConfig is an AlertmanagerConfig routing to one receiver without
// integrations.
func amConfig(namespace, name string) monitoringv1alpha1.AlertmanagerConfig {
	return monitoringv1alpha1.AlertmanagerConfig{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: monitoringv1alpha1.AlertmanagerConfigSpec{
			Route:     &monitoringv1alpha1.Route{Receiver: "r"},
			Receivers: []monitoringv1alpha1.Receiver{{Name: "r"}},
		},
	}
}

// TestGenerateFrom: the base is the configuration Secret, or, when
// spec.alertmanagerConfiguration names an AlertmanagerConfig, that object
// (selected or not) instead of the Secret, as with Prometheus Operator;
// the named object is then not added a second time as a selected one.
func TestGenerateFrom(t *testing.T) {
	const secret = "route: {receiver: from-secret}\nreceivers: [{name: from-secret}]\n"
	global := amConfig("monitoring", "global")
	other := amConfig("apps", "other")
	for _, tc := range []struct {
		name string
		am   *monitoringv1.Alertmanager
		src  amconfig.Sources
		// root is the root route's receiver; children its routes'.
		root     string
		children []string
		wantErr  string
	}{
		{name: "the Secret", am: alertmanager(),
			src:  amconfig.Sources{ConfigSecret: []byte(secret), Selected: []monitoringv1alpha1.AlertmanagerConfig{other}},
			root: "from-secret", children: []string{"apps/other/r"}},
		{name: "no Secret: the default", am: alertmanager(),
			root: "null"},
		{name: "the named AlertmanagerConfig, not the Secret", am: alertmanager(withConfiguration("global")),
			src: amconfig.Sources{ConfigSecret: []byte("not: [valid"), Global: &global,
				Selected: []monitoringv1alpha1.AlertmanagerConfig{global, other}},
			root: "monitoring/global/r", children: []string{"apps/other/r"}},
		{name: "the named AlertmanagerConfig, not selected", am: alertmanager(withConfiguration("global")),
			src:  amconfig.Sources{Global: &global},
			root: "monitoring/global/r"},
		{name: "a selected object of the same name elsewhere is still added", am: alertmanager(withConfiguration("global")),
			src:  amconfig.Sources{Global: &global, Selected: []monitoringv1alpha1.AlertmanagerConfig{amConfig("apps", "global")}},
			root: "monitoring/global/r", children: []string{"apps/global/r"}},
		{name: "the named AlertmanagerConfig is missing", am: alertmanager(withConfiguration("global")),
			src:     amconfig.Sources{ConfigSecret: []byte(secret), Selected: []monitoringv1alpha1.AlertmanagerConfig{other}},
			wantErr: "spec.alertmanagerConfiguration names AlertmanagerConfig monitoring/global, which does not exist"},
		{name: "no name", am: alertmanager(withConfiguration("")),
			src: amconfig.Sources{Global: &global}, wantErr: "spec.alertmanagerConfiguration.name is not set"},
		{name: "the named AlertmanagerConfig has no route", am: alertmanager(withConfiguration("global")),
			src: amconfig.Sources{Global: &monitoringv1alpha1.AlertmanagerConfig{ObjectMeta: global.ObjectMeta}}, wantErr: "a route is required"},
		{name: "no Alertmanager", wantErr: "no Alertmanager object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			res, err := amconfig.GenerateFrom(tc.am, tc.src)
			if tc.wantErr != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(res.Rejected).To(BeEmpty())
			cfg := mustLoad(t, res.Config)
			g.Expect(cfg.Route.Receiver).To(Equal(tc.root))
			var children []string
			for _, r := range cfg.Route.Routes {
				children = append(children, r.Receiver)
			}
			g.Expect(children).To(Equal(tc.children))
		})
	}
}

// TestEmptyInput: an Alertmanager with nothing set, empty objects and
// missing pieces are errors or rejections, never a panic.
func TestEmptyInput(t *testing.T) {
	empty := monitoringv1alpha1.AlertmanagerConfig{}
	for _, tc := range []struct {
		name string
		run  func() (amconfig.Result, error)
		// wantErr is part of the error; "" when the result must load.
		wantErr string
	}{
		{"nil Alertmanager", func() (amconfig.Result, error) { return amconfig.Generate(nil, nil, nil, nil) }, "no Alertmanager object"},
		{"empty Alertmanager", func() (amconfig.Result, error) {
			return amconfig.Generate(&monitoringv1.Alertmanager{}, nil, nil, nil)
		}, ""},
		{"empty Alertmanager through GenerateFrom", func() (amconfig.Result, error) {
			return amconfig.GenerateFrom(&monitoringv1.Alertmanager{}, amconfig.Sources{})
		}, ""},
		{"empty AlertmanagerConfigs, no store", func() (amconfig.Result, error) {
			return amconfig.Generate(alertmanager(), nil, []monitoringv1alpha1.AlertmanagerConfig{empty, {Spec: monitoringv1alpha1.AlertmanagerConfigSpec{
				Route: &monitoringv1alpha1.Route{}, Receivers: []monitoringv1alpha1.Receiver{{}}, InhibitRules: []monitoringv1alpha1.InhibitRule{{}},
				MuteTimeIntervals: []monitoringv1alpha1.MuteTimeInterval{{}}}}}, nil)
		}, ""},
		{"empty spec.alertmanagerConfiguration", func() (amconfig.Result, error) {
			return amconfig.GenerateFrom(alertmanager(func(am *monitoringv1.Alertmanager) {
				am.Spec.AlertmanagerConfiguration = &monitoringv1.AlertmanagerConfiguration{}
			}), amconfig.Sources{})
		}, "spec.alertmanagerConfiguration.name is not set"},
		{"empty global AlertmanagerConfig and global section", func() (amconfig.Result, error) {
			am := alertmanager(withConfiguration("g"), func(am *monitoringv1.Alertmanager) {
				am.Spec.AlertmanagerConfiguration.Global = &monitoringv1.AlertmanagerGlobalConfig{HTTPConfig: &monitoringv1.AlertmanagerHTTPConfig{},
					SMTPConfig: &monitoringv1.GlobalSMTPConfig{}}
			})
			global := amConfig("monitoring", "g")
			return amconfig.GenerateFrom(am, amconfig.Sources{Global: &global})
		}, ""},
		{"BaseFromAlertmanagerConfig without objects", func() (amconfig.Result, error) {
			_, err := amconfig.BaseFromAlertmanagerConfig(nil, nil, nil)
			return amconfig.Result{}, err
		}, "no Alertmanager or AlertmanagerConfig object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			var res amconfig.Result
			var err error
			g.Expect(func() { res, err = tc.run() }).NotTo(Panic())
			if tc.wantErr != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			mustLoad(t, res.Config)
		})
	}
}

// TestRepeatedObject: an AlertmanagerConfig given twice counts once when
// the copies are equal and is left out when they differ, whatever their
// order.
func TestRepeatedObject(t *testing.T) {
	g := NewWithT(t)
	a, b := amConfig("apps", "twice"), amConfig("apps", "twice")
	b.Spec.Route.GroupBy = []string{"alertname"}
	other := amConfig("apps", "other")
	for _, configs := range [][]monitoringv1alpha1.AlertmanagerConfig{{a, other, b}, {b, a, other}} {
		res, err := amconfig.Generate(alertmanager(), nil, configs, nil)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(res.Rejected).To(HaveExactElements(amconfig.Rejection{Kind: "AlertmanagerConfig", Namespace: "apps", Name: "twice",
			Reason: rejection.ConflictingCopies, Err: res.Rejected[0].Err}))
		g.Expect(res.Rejected[0].Message()).To(Equal("the input holds 2 copies of the object that differ, and which to use cannot be decided"))
		g.Expect(mustLoad(t, res.Config).Route.Routes).To(HaveExactElements(HaveField("Receiver", "apps/other/r")))
	}
	res, err := amconfig.Generate(alertmanager(), nil, []monitoringv1alpha1.AlertmanagerConfig{a, a, other}, nil)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Rejected).To(BeEmpty())
	g.Expect(mustLoad(t, res.Config).Route.Routes).To(HaveLen(2))
}
