package amconfig_test

import (
	"testing"

	. "github.com/onsi/gomega"

	"github.com/vigil-monitoring/vigil/internal/amconfig"
)

// TestBaseFromAlertmanagerConfigErrors covers what makes the AlertmanagerConfig
// named by spec.alertmanagerConfiguration unusable as a base: the whole
// Alertmanager then has no configuration, so it is an error, not a rejection.
func TestBaseFromAlertmanagerConfigErrors(t *testing.T) {
	const am = `
apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata: {name: main, namespace: monitoring}
spec:
  alertmanagerConfiguration:
    name: global
    global: {slackApiUrl: {name: slack, key: url}}
---
apiVersion: v1
kind: Secret
metadata: {name: slack, namespace: monitoring}
stringData: {url: "https://hooks.slack.com/x"}
---
apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata: {name: global, namespace: monitoring}
`
	for _, tc := range []struct {
		name, spec, reason string
	}{
		{"no route", "spec: {receivers: [{name: r}]}", "a route is required"},
		{"matchers on the root route", "spec: {route: {receiver: r, matchers: [{name: a, value: b}]}, receivers: [{name: r}]}", "route: matchers are not allowed on the root route"},
		{"continue on the root route", "spec: {route: {receiver: r, continue: true}, receivers: [{name: r}]}", "route: continue is not allowed on the root route"},
		{"missing secret", "spec: {route: {receiver: r}, receivers: [{name: r, opsgenieConfigs: [{apiKey: {name: og, key: k}}]}]}", `apiKey: secret "og" in namespace "monitoring": not found`},
		{"loader", "spec: {route: {receiver: r}, receivers: [{name: r, emailConfigs: [{to: a@example.com}]}]}", "no global SMTP smarthost set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			_, err := parseInput([]byte(am + tc.spec))
			g.Expect(err).To(MatchError(ContainSubstring(tc.reason)))
		})
	}

	g := NewWithT(t)
	in, err := parseInput([]byte(am + "spec: {route: {receiver: r}, receivers: [{name: r}]}\n---\n" +
		"apiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\nmetadata: {name: other, namespace: monitoring}\nspec: {route: {receiver: r}, receivers: [{name: r}]}"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(in.configs).To(HaveLen(1))
	_, err = amconfig.BaseFromAlertmanagerConfig(in.am, &in.configs[0], in.store)
	g.Expect(err).To(MatchError(ContainSubstring("names AlertmanagerConfig monitoring/global, not monitoring/other")))
}

// TestFileReferenceInAlertmanagerNamespace checks that file references,
// refused from tenant namespaces, are honoured in the Alertmanager's own.
func TestFileReferenceInAlertmanagerNamespace(t *testing.T) {
	g := NewWithT(t)
	in, err := parseInput([]byte(commonInput + `apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata: {name: admin, namespace: monitoring}
spec:
  route: {receiver: r}
  receivers: [{name: r, telegramConfigs: [{chatID: 1, botTokenFile: /etc/alertmanager/secrets/bot/token}]}]
`))
	g.Expect(err).NotTo(HaveOccurred())
	res, err := in.generate()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Rejected).To(BeEmpty())
	cfg := mustLoad(t, res.Config)
	g.Expect(cfg.Receivers).To(ContainElement(HaveField("Name", "monitoring/admin/r")))
	for _, r := range cfg.Receivers {
		if r.Name == "monitoring/admin/r" {
			g.Expect(r.TelegramConfigs[0].BotTokenFile).To(Equal("/etc/alertmanager/secrets/bot/token"))
		}
	}
}
