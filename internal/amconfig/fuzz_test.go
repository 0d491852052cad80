package amconfig_test

import (
	"testing"

	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/alertmanager/pkg/labels"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/amconfig"
	"github.com/vigil-monitoring/vigil/internal/assets"
)

// FuzzGenerate feeds arbitrary strings into the fields users write: label
// names and values of matchers, receiver names, notification templates,
// email headers and a Secret value. Generate must never fail or panic for
// them; the object is either rejected, or the output loads and Alertmanager
// reads back exactly what the user wrote.
func FuzzGenerate(f *testing.F) {
	for _, seed := range [][6]string{
		{"severity", "critical", "pager", "{{ .CommonLabels.alertname }}", "Subject", "0123"},
		{"a", `has "quotes", commas, \ and a` + "\nnewline", "with/slash", "yes", "X-Y", "no"},
		{"bad-name", "(", "", "- item", "to", "~"},
		{"namespace", "\x00\r\t", "null", "key: value", "", "1.10"},
		{"_", "'`{}", "*alias", "&anchor", "<<", "!!binary AAAA"},
		{"x", "\u2028\ufeff\xff", "#comment", "%YAML", "a\nb", "\" \\"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3], seed[4], seed[5])
	}
	am := &monitoringv1.Alertmanager{}
	am.Name, am.Namespace = "main", "monitoring"
	base := []byte("route: {receiver: default}\nreceivers: [{name: default}]\n")

	f.Fuzz(func(t *testing.T, labelName, labelValue, receiverName, tmpl, headerKey, secretValue string) {
		amc := monitoringv1alpha1.AlertmanagerConfig{}
		amc.Namespace, amc.Name = "apps", "fuzz"
		// Each fuzzed string goes where it is the only reason to reject the
		// object, so that a bad one does not hide what the others do.
		amc.Spec = monitoringv1alpha1.AlertmanagerConfigSpec{
			Route: &monitoringv1alpha1.Route{
				Receiver: receiverName,
				Matchers: []monitoringv1alpha1.Matcher{{Name: "label", Value: labelValue}},
			},
			Receivers: []monitoringv1alpha1.Receiver{{
				Name: receiverName,
				SlackConfigs: []monitoringv1alpha1.SlackConfig{{
					APIURL: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "s"}, Key: "slack"},
					Title:  &tmpl, Text: &labelValue,
				}},
				EmailConfigs: []monitoringv1alpha1.EmailConfig{{
					To: new("a@example.com"), From: new("b@example.com"), Smarthost: new("smtp.example.com:25"),
					HTML:    &tmpl,
					Headers: []monitoringv1alpha1.KeyValue{{Key: headerKey, Value: tmpl}},
				}},
				WebhookConfigs: []monitoringv1alpha1.WebhookConfig{{
					URL: new("http://hook.example.com/"), Payload: &tmpl,
					HTTPConfig: &monitoringv1alpha1.HTTPConfig{BasicAuth: &monitoringv1.BasicAuth{
						Username: corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "s"}, Key: "user"},
						Password: corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "s"}, Key: "password"},
					}},
				}},
			}},
			InhibitRules: []monitoringv1alpha1.InhibitRule{{
				SourceMatch: []monitoringv1alpha1.Matcher{{Name: labelName, Value: labelValue, MatchType: monitoringv1alpha1.MatchNotEqual}},
			}},
		}
		store := assets.NewStore([]corev1.Secret{{
			ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: "s"},
			Data: map[string][]byte{
				"slack": []byte("https://hooks.slack.com/services/x"), "user": []byte("u"), "password": []byte(secretValue),
			},
		}}, nil)

		res, err := amconfig.Generate(am, base, []monitoringv1alpha1.AlertmanagerConfig{amc}, store)
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		cfg, err := config.Load(string(res.Config))
		if err != nil {
			t.Fatalf("the output does not load: %v\n%s", err, res.Config)
		}
		if len(res.Rejected) > 0 {
			if len(cfg.Receivers) != 1 {
				t.Fatalf("a rejected object is in the output:\n%s", res.Config)
			}
			return
		}
		checkFidelity(t, cfg, res.Config, labelName, labelValue, "apps/fuzz/"+receiverName, tmpl, headerKey, secretValue)
	})
}

// checkFidelity checks that Alertmanager reads back what the user wrote.
func checkFidelity(t *testing.T, cfg *config.Config, out []byte, labelName, labelValue, receiverName, tmpl, headerKey, secretValue string) {
	t.Helper()
	fail := func(what string, got, want any) {
		t.Fatalf("%s: Alertmanager reads %q, the user wrote %q\n%s", what, got, want, out)
	}
	if len(cfg.Route.Routes) != 1 || len(cfg.Receivers) != 2 {
		t.Fatalf("want one route and one more receiver:\n%s", out)
	}
	r := cfg.Route.Routes[0]
	if r.Receiver != receiverName {
		fail("route receiver", r.Receiver, receiverName)
	}
	// Alertmanager sorts matchers, so they are looked up.
	if !hasMatcher(labels.Matchers(r.Matchers), labels.MatchEqual, "label", labelValue) {
		fail("route matchers", labels.Matchers(r.Matchers).String(), "label="+labelValue)
	}
	if src := cfg.InhibitRules[0].SourceMatchers; !hasMatcher(labels.Matchers(src), labels.MatchNotEqual, labelName, labelValue) {
		fail("inhibit rule matchers", labels.Matchers(src).String(), labelName+"!="+labelValue)
	}
	rcv := cfg.Receivers[1]
	if rcv.Name != receiverName {
		fail("receiver name", rcv.Name, receiverName)
	}
	if got := rcv.SlackConfigs[0].Title; got != tmpl {
		fail("slack title", got, tmpl)
	}
	if got := rcv.SlackConfigs[0].Text; got != labelValue {
		fail("slack text", got, labelValue)
	}
	if got := rcv.EmailConfigs[0].HTML; got != tmpl {
		fail("email html", got, tmpl)
	}
	if got := string(rcv.WebhookConfigs[0].HTTPConfig.BasicAuth.Password); got != secretValue {
		fail("basic auth password", got, secretValue)
	}
	if got, ok := rcv.WebhookConfigs[0].Payload.(string); !ok || got != tmpl {
		fail("webhook payload", rcv.WebhookConfigs[0].Payload, tmpl)
	}
	if len(rcv.EmailConfigs[0].Headers) != 1 {
		t.Fatalf("email header %q lost:\n%s", headerKey, out)
	}
	for _, v := range rcv.EmailConfigs[0].Headers {
		if v != tmpl {
			fail("email header value", v, tmpl)
		}
	}
}

func hasMatcher(ms labels.Matchers, t labels.MatchType, name, value string) bool {
	for _, m := range ms {
		if m.Type == t && m.Name == name && m.Value == value {
			return true
		}
	}
	return false
}
