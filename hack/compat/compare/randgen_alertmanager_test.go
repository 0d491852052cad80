package compare

import (
	"fmt"
	"math/rand/v2"
)

// alertingSecret is the Secret, in every namespace, the generated
// receivers take their URLs and keys from.
const alertingSecret = "alerting"

// generateAlertmanagerManifests returns the Alertmanager set of seed: one
// Alertmanager in namespace "monitoring", perhaps its configuration
// Secret, and AlertmanagerConfigs around it, as multi-document YAML. Every
// value is one both generators should accept.
func generateAlertmanagerManifests(seed uint64, size int) []byte {
	g := &generator{r: rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d)), size: size}
	g.buildAlertmanagerSet()
	return g.manifests()
}

func (g *generator) buildAlertmanagerSet() {
	g.buildNamespaces()
	for _, ns := range g.namespaces {
		g.docs = append(g.docs, obj{
			"apiVersion": "v1", "kind": "Secret",
			"metadata": obj{"name": alertingSecret, "namespace": ns},
			"stringData": obj{
				"url": "https://hooks.example.com/" + ns, "api-key": "key-" + ns,
				"routing-key": "0123456789abcdef0123456789" + ns, "password": "mail-" + ns,
			},
		})
	}
	g.add("monitoring.coreos.com/v1", "Alertmanager", "monitoring", "main", nil, g.alertmanagerSpec())
	if g.use("am-config-secret", 0.6) {
		g.docs = append(g.docs, obj{
			"apiVersion": "v1", "kind": "Secret",
			"metadata":   obj{"name": "alertmanager-main", "namespace": "monitoring"},
			"stringData": obj{"alertmanager.yaml": g.baseConfig()},
		})
	}
	for _, ns := range g.namespaces {
		for i := range g.intn(2 + g.size) {
			var labels map[string]string
			if g.intn(3) > 0 {
				labels = map[string]string{"alertmanager": "main"}
			}
			g.add("monitoring.coreos.com/v1alpha1", "AlertmanagerConfig", ns, fmt.Sprintf("amc-%d", i), labels, g.alertmanagerConfigSpec())
		}
	}
}

func (g *generator) alertmanagerSpec() obj {
	spec := obj{"alertmanagerConfigSelector": obj{}}
	if g.use("am-selector-labels", 0.4) {
		spec["alertmanagerConfigSelector"] = obj{"matchLabels": obj{"alertmanager": "main"}}
	}
	switch {
	case g.intn(4) == 0:
		// The Alertmanager's namespace only.
	case g.use("am-namespace-selector", 0.4):
		spec["alertmanagerConfigNamespaceSelector"] = obj{"matchLabels": obj{"env": "prod"}}
	default:
		spec["alertmanagerConfigNamespaceSelector"] = obj{}
	}
	if g.use("am-matcher-strategy", 0.4) {
		spec["alertmanagerConfigMatcherStrategy"] = obj{"type": pick(g, []string{"OnNamespace", "OnNamespaceExceptForAlertmanagerNamespace", "None"})}
	}
	return spec
}

// baseConfig is a configuration Secret's alertmanager.yaml.
func (g *generator) baseConfig() string {
	return fmt.Sprintf(`global:
  resolve_timeout: %s
route:
  receiver: default
  group_by: [%s]
  routes:
  - receiver: "null"
    matchers: ['alertname = Watchdog']
receivers:
- name: default
- name: "null"
inhibit_rules:
- source_matchers: ['severity = critical']
  target_matchers: ['severity =~ warning|info']
  equal: [namespace, alertname]
`, pick(g, []string{"1m", "5m"}), pick(g, []string{"namespace", "alertname, job", "'...'"}))
}

func (g *generator) alertmanagerConfigSpec() obj {
	var receivers []obj
	var names []string
	for i := range 1 + g.intn(3) {
		name := fmt.Sprintf("r%d", i)
		names = append(names, name)
		receivers = append(receivers, g.receiver(name))
	}
	spec := obj{"receivers": receivers}
	var intervals []string
	if g.use("am-time-intervals", 0.4) {
		var tis []obj
		for i := range 1 + g.intn(2) {
			name := fmt.Sprintf("ti%d", i)
			intervals = append(intervals, name)
			tis = append(tis, obj{"name": name, "timeIntervals": g.timeIntervals()})
		}
		spec["muteTimeIntervals"] = tis
	}
	if g.intn(8) > 0 {
		spec["route"] = g.route(names, intervals, 0)
	}
	if g.use("am-inhibit-rules", 0.4) {
		var rules []obj
		for range 1 + g.intn(2) {
			rule := obj{
				"sourceMatch": []obj{g.matcher()},
				"targetMatch": []obj{g.matcher()},
			}
			setIf(rule, "equal", some(g, []string{"alertname", "job", "service"}, 2), true)
			rules = append(rules, rule)
		}
		spec["inhibitRules"] = rules
	}
	return spec
}

// route is a route to one of receivers; top-level routes match on other
// labels than namespace.
func (g *generator) route(receivers, intervals []string, depth int) obj {
	r := obj{"receiver": pick(g, receivers)}
	if g.use("am-route-grouping", 0.5) {
		setIf(r, "groupBy", some(g, []string{"alertname", "job", "service"}, 2), g.intn(4) > 0)
		setIf(r, "groupBy", []string{"..."}, g.intn(6) == 0)
		setIf(r, "groupWait", pick(g, []string{"10s", "30s", "1m"}), g.intn(2) == 0)
		setIf(r, "groupInterval", pick(g, []string{"1m", "5m"}), g.intn(2) == 0)
		setIf(r, "repeatInterval", pick(g, []string{"1h", "4h", "12h"}), g.intn(2) == 0)
	}
	var matchers []obj
	for range g.intn(3) {
		matchers = append(matchers, g.matcher())
	}
	setIf(r, "matchers", matchers, true)
	setIf(r, "continue", true, depth > 0 && g.intn(3) == 0)
	if len(intervals) > 0 && depth > 0 {
		setIf(r, "muteTimeIntervals", some(g, intervals, 1), g.intn(2) == 0)
		setIf(r, "activeTimeIntervals", some(g, intervals, 1), g.intn(2) == 0)
	}
	if depth < 2 && g.use("am-child-routes", 0.5) {
		var children []obj
		for range 1 + g.intn(2) {
			children = append(children, g.route(receivers, intervals, depth+1))
		}
		r["routes"] = children
	}
	return r
}

func (g *generator) matcher() obj {
	m := pick(g, []obj{
		{"name": "severity", "value": "critical"},
		{"name": "severity", "value": "warning|info", "matchType": "=~"},
		{"name": "team", "value": "payments", "matchType": "!="},
		{"name": "alertname", "value": "Test.*", "matchType": "!~"},
		{"name": "service", "value": `quoted "api"`, "matchType": "="},
	})
	if _, ok := m["matchType"]; !ok && g.intn(2) == 0 {
		m["matchType"] = "="
	}
	return m
}

func (g *generator) timeIntervals() []obj {
	var out []obj
	for range 1 + g.intn(2) {
		ti := obj{}
		if g.intn(2) == 0 {
			ti["times"] = []obj{pick(g, []obj{
				{"startTime": "09:00", "endTime": "17:30"},
				{"startTime": "00:00", "endTime": "24:00"},
			})}
		}
		setIf(ti, "weekdays", some(g, []string{"monday:friday", "saturday", "sunday"}, 2), g.intn(2) == 0)
		setIf(ti, "daysOfMonth", []obj{pick(g, []obj{{"start": 1, "end": 7}, {"start": -3, "end": -1}})}, g.intn(3) == 0)
		setIf(ti, "months", some(g, []string{"january:march", "june", "12"}, 2), g.intn(3) == 0)
		setIf(ti, "years", []string{"2026:2027"}, g.intn(4) == 0)
		out = append(out, ti)
	}
	return out
}

// receiver has one to two notifier configurations of the kinds drawn.
func (g *generator) receiver(name string) obj {
	r := obj{"name": name}
	if g.intn(6) == 0 {
		return r // A receiver that notifies nobody.
	}
	for range 1 + g.intn(2) {
		switch kind := pick(g, []string{"webhook", "slack", "pagerduty", "email", "opsgenie"}); kind {
		case "webhook":
			c := obj{"sendResolved": g.intn(2) == 0}
			if g.intn(2) == 0 {
				c["url"] = "http://hook.monitoring.svc:8080/alerts"
			} else {
				c["urlSecret"] = obj{"name": alertingSecret, "key": "url"}
			}
			setIf(c, "maxAlerts", 1+g.intn(20), g.intn(3) == 0)
			setIf(c, "timeout", pick(g, []string{"10s", "1m"}), g.intn(3) == 0)
			setIf(c, "httpConfig", g.amHTTPConfig(), true)
			appendConfig(r, "webhookConfigs", c)
		case "slack":
			c := obj{"apiURL": obj{"name": alertingSecret, "key": "url"}, "channel": "#alerts"}
			setIf(c, "title", "{{ .CommonLabels.alertname }}", g.intn(2) == 0)
			setIf(c, "sendResolved", true, g.intn(2) == 0)
			setIf(c, "httpConfig", g.amHTTPConfig(), true)
			appendConfig(r, "slackConfigs", c)
		case "pagerduty":
			c := obj{"routingKey": obj{"name": alertingSecret, "key": "routing-key"}}
			setIf(c, "severity", "{{ .CommonLabels.severity }}", g.intn(2) == 0)
			setIf(c, "class", "alert", g.intn(3) == 0)
			appendConfig(r, "pagerdutyConfigs", c)
		case "email":
			c := obj{"to": "oncall@example.com", "from": "am@example.com", "smarthost": "smtp.example.com:587"}
			if g.intn(2) == 0 {
				c["authUsername"] = "am"
				c["authPassword"] = obj{"name": alertingSecret, "key": "password"}
			}
			setIf(c, "requireTLS", g.intn(2) == 0, g.intn(2) == 0)
			appendConfig(r, "emailConfigs", c)
		case "opsgenie":
			c := obj{"apiKey": obj{"name": alertingSecret, "key": "api-key"}}
			setIf(c, "message", "{{ .CommonLabels.alertname }}", g.intn(2) == 0)
			setIf(c, "priority", "P2", g.intn(3) == 0)
			setIf(c, "responders", []obj{{"name": "oncall", "type": "team"}}, g.intn(3) == 0)
			appendConfig(r, "opsgenieConfigs", c)
		}
	}
	return r
}

func appendConfig(r obj, key string, c obj) {
	list, _ := r[key].([]obj)
	r[key] = append(list, c)
}

// amHTTPConfig is an AlertmanagerConfig httpConfig from the namespace's
// Secret and ConfigMap, or nil.
func (g *generator) amHTTPConfig() obj {
	if !g.use("am-http-config", 0.4) {
		return nil
	}
	h := obj{}
	switch g.intn(3) {
	case 0:
		h["basicAuth"] = obj{"username": secretKey("username"), "password": secretKey("password")}
	case 1:
		h["authorization"] = obj{"credentials": secretKey("token")}
	}
	setIf(h, "tlsConfig", g.safeTLSConfig(), true)
	setIf(h, "followRedirects", false, g.intn(4) == 0)
	return h
}
