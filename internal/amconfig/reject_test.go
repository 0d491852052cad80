package amconfig_test

import (
	"strconv"
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/vigil-monitoring/vigil/internal/amconfig"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/assets/assetstest"
)

// commonInput is an Alertmanager in "monitoring" selecting everything, a
// base configuration, a few Secrets, and one good AlertmanagerConfig that
// every case must leave in the output.
const commonInput = `
apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata: {name: main, namespace: monitoring}
spec:
  alertmanagerConfigSelector: {}
  alertmanagerConfigNamespaceSelector: {}
---
apiVersion: v1
kind: Secret
metadata: {name: alertmanager-main, namespace: monitoring}
stringData:
  alertmanager.yaml: |
    route: {receiver: default}
    receivers: [{name: default}]
---
apiVersion: v1
kind: Secret
metadata: {name: hook, namespace: apps}
stringData: {url: "https://hook.example.com/x", token: t0k3n, notaurl: "ftp://x y"}
---
apiVersion: v1
kind: Secret
metadata: {name: elsewhere, namespace: other}
stringData: {url: "https://hook.example.com/other"}
---
apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata: {name: good, namespace: apps}
spec:
  route: {receiver: hook}
  receivers:
  - name: hook
    webhookConfigs: [{urlSecret: {name: hook, key: url}}]
---
`

// TestRejections feeds one bad AlertmanagerConfig (apps/bad unless the case
// says otherwise) beside a good one: the bad one is left out with a reason
// saying what is wrong, the good one is still there, and the result loads.
func TestRejections(t *testing.T) {
	for _, tc := range []struct {
		name   string
		bad    string
		mutate func(*input) // for what a manifest cannot say
		reason string
	}{{
		name: "missing secret",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r, slackConfigs: [{apiURL: {name: nope, key: url}}]}]`,
		reason: `receivers[0] ("r"): slackConfigs[0]: apiURL: secret "nope" in namespace "apps": not found`,
	}, {
		name: "missing key",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r, pagerdutyConfigs: [{routingKey: {name: hook, key: nope}}]}]`,
		reason: `pagerdutyConfigs[0]: routingKey: key "nope" of secret "hook" in namespace "apps": not found`,
	}, {
		name: "secret in another namespace refused",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r, webhookConfigs: [{urlSecret: {name: elsewhere, key: url}}]}]`,
		reason: `urlSecret: secret "elsewhere" in namespace "apps": not found`,
	}, {
		name: "secret that is not a URL, without its value",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r, msteamsv2Configs: [{webhookURL: {name: hook, key: notaurl}}]}]`,
		reason: `webhookURL: the value of key "notaurl" of secret "hook" is not a valid URL`,
	}, {
		name: "bad matcher regex",
		bad: `spec:
  route: {receiver: r, matchers: [{name: severity, value: "(", matchType: "=~"}]}
  receivers: [{name: r}]`,
		reason: `route: matchers[0]: label "severity": invalid regular expression`,
	}, {
		name: "bad matcher label name",
		bad: `spec:
  route: {receiver: r, matchers: [{name: service.name, value: x}]}
  receivers: [{name: r}]`,
		reason: `route: matchers[0]: label name "service.name" is not a valid label name`,
	}, {
		name: "matcher value Alertmanager cannot read back",
		bad: `spec:
  route: {receiver: r, matchers: [{name: a, value: x}]}
  receivers: [{name: r}]`,
		// Not valid UTF-8: the API server would not store it, the builder
		// still refuses it.
		mutate: func(in *input) { in.configs[1].Spec.Route.Matchers[0].Value = "\xff" },
		reason: `route: matchers[0]: label "a": the value cannot be written so that Alertmanager reads it back unchanged`,
	}, {
		name: "bad inhibit rule matcher",
		bad: `spec:
  inhibitRules: [{sourceMatch: [{name: a, value: "[", regex: true}]}]`,
		reason: `inhibitRules[0]: sourceMatch: matchers[0]: label "a": invalid regular expression`,
	}, {
		name: "route naming an unknown receiver",
		bad: `spec:
  route: {receiver: r, routes: [{receiver: typo}]}
  receivers: [{name: r}]`,
		reason: `route: routes[0]: receiver "typo" is not one of spec.receivers`,
	}, {
		name: "route naming an unknown time interval",
		bad: `spec:
  route: {receiver: r, routes: [{muteTimeIntervals: [never]}]}
  receivers: [{name: r}]`,
		reason: `route: routes[0]: muteTimeIntervals: "never" is not one of spec.muteTimeIntervals`,
	}, {
		name: "undecodable child route: unknown field",
		bad: `spec:
  route: {receiver: r, routes: [{receiver: r, routes: [{reciever: r}]}]}
  receivers: [{name: r}]`,
		reason: `route: routes[0]: routes[0]: unknown field "reciever"`,
	}, {
		name: "undecodable child route: wrong type",
		bad: `spec:
  route: {receiver: r, routes: [{matchers: severity=critical}]}
  receivers: [{name: r}]`,
		reason: `route: routes[0]: json: cannot unmarshal`,
	}, {
		name: "top-level route without receiver",
		bad: `spec:
  route: {groupBy: [job]}
  receivers: [{name: r}]`,
		reason: `route: receiver is required on the top-level route`,
	}, {
		name: "bad duration",
		bad: `spec:
  route: {receiver: r, groupWait: 5x}
  receivers: [{name: r}]`,
		reason: `route: groupWait: unknown unit "x" in duration "5x"`,
	}, {
		name: "duplicate receiver",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r}, {name: r}]`,
		reason: `receivers[1]: name "r" is not unique`,
	}, {
		name: "duplicate detail key",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r, opsgenieConfigs: [{details: [{key: a, value: "1"}, {key: a, value: "2"}]}]}]`,
		reason: `opsgenieConfigs[0]: details: duplicate key "a"`,
	}, {
		name: "CA that is not PEM",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r, webhookConfigs: [{url: "https://x.example.com", httpConfig: {tlsConfig: {ca: {secret: {name: hook, key: token}}}}}]}]`,
		reason: `httpConfig: tlsConfig: ca: no PEM certificate found`,
	}, {
		name: "certificate without its key",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r, webhookConfigs: [{url: "https://x.example.com", httpConfig: {tlsConfig: {cert: {secret: {name: tls, key: tls.crt}}}}}]}]` + tlsSecret,
		reason: `httpConfig: tlsConfig: cert and keySecret must be set together`,
	}, {
		name: "key that does not go with the certificate",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r, webhookConfigs: [{url: "https://x.example.com", httpConfig: {tlsConfig: {
    cert: {secret: {name: tls, key: tls.crt}}, keySecret: {name: tls, key: other.key}}}}]}]` + tlsSecret,
		reason: `httpConfig: tlsConfig: cert and keySecret: tls: private key does not match public key`,
	}, {
		name: "proxy URL without a scheme",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r, webhookConfigs: [{url: "https://x.example.com", httpConfig: {proxyUrl: "proxy.example:3128"}}]}]`,
		reason: `httpConfig: proxyUrl scheme "proxy.example" is not one of http, https, socks5, socks5h`,
	}, {
		name: "proxyURL, the older spelling, without a host",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r, webhookConfigs: [{url: "https://x.example.com", httpConfig: {proxyURL: "http://"}}]}]`,
		reason: `httpConfig: proxyURL has no host`,
	}, {
		name: "OAuth2 proxy URL that does not parse",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r, webhookConfigs: [{url: "https://x.example.com", httpConfig: {oauth2: {
    clientId: {secret: {name: hook, key: token}}, clientSecret: {name: hook, key: token}, tokenUrl: "https://login.example.com",
    proxyUrl: "http://proxy example"}}}]}]`,
		reason: `httpConfig: oauth2: proxyUrl does not parse: invalid character " " in host name`,
	}, {
		name: "file reference from a tenant namespace",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r, telegramConfigs: [{chatID: 1, botTokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token}]}]`,
		reason: `telegramConfigs[0]: botTokenFile: file reference refused: the operator's file reference policy (--file-references=prometheus-namespace) ` +
			`honours them only in the Alertmanager object's namespace "monitoring"`,
		mutate: func(in *input) { in.files = assets.FileReferencesOwnerNamespace },
	}, {
		name: "found by Alertmanager's loader",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r, emailConfigs: [{to: a@example.com}]}]`,
		reason: `Alertmanager would not load the configuration with this object: no global SMTP smarthost set`,
	}, {
		name: "loader: invalid time interval",
		bad: `spec:
  route: {receiver: r, muteTimeIntervals: [x]}
  receivers: [{name: r}]
  muteTimeIntervals: [{name: x, timeIntervals: [{daysOfMonth: [{start: 10, end: 2}]}]}]`,
		reason: `Alertmanager would not load the configuration with this object: end day 2 is always before start day 10`,
	}, {
		name: "receiver name taken by the base configuration",
		bad: `spec:
  route: {receiver: r}
  receivers: [{name: r}]`,
		reason: `notification config name "apps/bad/r" is not unique`,
		mutate: func(in *input) {
			in.base = []byte("route: {receiver: default}\nreceivers: [{name: default}, {name: apps/bad/r}]")
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			text := commonInput + "apiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\nmetadata: {name: bad, namespace: apps}\n" + tc.bad
			in, err := parseInput([]byte(text))
			g.Expect(err).NotTo(HaveOccurred())
			if tc.mutate != nil {
				tc.mutate(&in)
			}

			res, err := in.generate()
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(res.Rejected).To(HaveLen(1))
			r := res.Rejected[0]
			g.Expect(r).To(MatchFields(r, "AlertmanagerConfig", "apps", "bad"))
			g.Expect(r.Message()).To(ContainSubstring(tc.reason))

			cfg := mustLoad(t, res.Config)
			var names []string
			for _, rcv := range cfg.Receivers {
				names = append(names, rcv.Name)
			}
			g.Expect(names).To(ContainElement("apps/good/hook"))
			g.Expect(cfg.Route.Routes).To(HaveLen(1), "only the good object's route")
			g.Expect(cfg.Route.Routes[0].Receiver).To(Equal("apps/good/hook"))
			g.Expect(cfg.InhibitRules).To(BeEmpty())
		})
	}
}

// tlsSecret is a Secret with TLS material in apps, as a YAML document to
// append to a case.
var tlsSecret = "\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: tls, namespace: apps}\nstringData:\n" +
	"  tls.crt: " + strconv.Quote(assetstest.ClientCert) + "\n  other.key: " + strconv.Quote(assetstest.OtherKey) + "\n"

// MatchFields checks the identifying fields of a Rejection.
func MatchFields(r amconfig.Rejection, kind, namespace, name string) OmegaMatcher {
	return WithTransform(func(r amconfig.Rejection) [3]string {
		return [3]string{r.Kind, r.Namespace, r.Name}
	}, Equal([3]string{kind, namespace, name}))
}

// TestInvalidBase checks that a base configuration that does not load fails
// the whole Alertmanager, with the loader's message and ErrInvalidBase.
func TestInvalidBase(t *testing.T) {
	for _, tc := range []struct {
		name, base, reason string
	}{
		{"not YAML", "route: [", "yaml:"},
		{"no receiver on the root route", "route: {}\nreceivers: [{name: a}]", "root route must specify a default receiver"},
		{"unknown field", "route: {receiver: a}\nreceivers: [{name: a}]\nrecievers: []", "field recievers not found"},
		{"undefined receiver", "route: {receiver: b}\nreceivers: [{name: a}]", `undefined receiver "b" used in route`},
		{"no route", "receivers: [{name: a}]", "no routes provided"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in, err := parseInput([]byte(commonInput))
			g.Expect(err).NotTo(HaveOccurred())
			in.base = []byte(tc.base)
			res, err := in.generate()
			g.Expect(err).To(MatchError(amconfig.ErrInvalidBase))
			g.Expect(err).To(MatchError(ContainSubstring(tc.reason)))
			g.Expect(err).To(MatchError(ContainSubstring("secret monitoring/alertmanager-main")))
			g.Expect(res.Config).To(BeNil())
		})
	}
}

// TestEmptyBase checks that a missing or empty base configuration gives the
// default one, as with Prometheus Operator.
func TestEmptyBase(t *testing.T) {
	for _, base := range []string{"", " \n", "\n# nothing\n"} {
		g := NewWithT(t)
		in, err := parseInput([]byte(commonInput))
		g.Expect(err).NotTo(HaveOccurred())
		in.base = []byte(base)
		res, err := in.generate()
		if strings.Contains(base, "#") {
			// A comment is content: the loader refuses it, as Alertmanager would.
			g.Expect(err).To(MatchError(amconfig.ErrInvalidBase))
			continue
		}
		g.Expect(err).NotTo(HaveOccurred())
		cfg := mustLoad(t, res.Config)
		g.Expect(cfg.Route.Receiver).To(Equal("null"))
		g.Expect(cfg.Route.Routes).To(HaveLen(1))
		g.Expect(cfg.Route.Routes[0].Receiver).To(Equal("apps/good/hook"))
	}
}
