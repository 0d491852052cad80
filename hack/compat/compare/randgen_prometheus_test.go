package compare

import "fmt"

// The Prometheus object's own sections (alerting, remote write and read)
// and the PrometheusRules of the generated sets. Their Secrets are the
// authSecret of namespace "monitoring".

// alertingSpec is the Prometheus object's alerting section.
func (g *generator) alertingSpec() obj {
	var ams []obj
	for i := range 1 + g.intn(2) {
		am := obj{"name": fmt.Sprintf("alertmanager-%d", i), "port": pick(g, []any{"web", 9093})}
		setIf(am, "namespace", pick(g, g.namespaces), g.intn(2) == 0)
		setIf(am, "scheme", pick(g, []string{"http", "https", "HTTPS"}), g.intn(3) == 0)
		setIf(am, "pathPrefix", "/alertmanager", g.intn(3) == 0)
		setIf(am, "apiVersion", pick(g, []string{"v2", "V2"}), g.intn(3) == 0)
		setIf(am, "timeout", "10s", g.intn(3) == 0)
		setIf(am, "enableHttp2", g.intn(2) == 0, g.intn(4) == 0)
		setIf(am, "tlsConfig", g.safeTLSConfig(), true)
		switch g.intn(4) {
		case 0:
			am["basicAuth"] = obj{"username": secretKey("username"), "password": secretKey("password")}
		case 1:
			am["authorization"] = obj{"credentials": secretKey("token")}
		case 2:
			am["bearerTokenFile"] = "/var/run/secrets/kubernetes.io/serviceaccount/token"
		}
		setIf(am, "relabelings", some(g, targetRelabelings, 2), g.intn(3) == 0)
		setIf(am, "alertRelabelings", some(g, metricRelabelings, 2), g.intn(3) == 0)
		g.proxy(am)
		ams = append(ams, am)
	}
	return obj{"alertmanagers": ams}
}

// remoteWriteSpec is the Prometheus object's remote write list.
func (g *generator) remoteWriteSpec() []obj {
	var out []obj
	for i := range 1 + g.intn(2) {
		rw := obj{"url": fmt.Sprintf("https://rw-%d.example.com/api/v1/write", i)}
		setIf(rw, "name", fmt.Sprintf("rw-%d", i), g.intn(2) == 0)
		setIf(rw, "remoteTimeout", "20s", g.intn(3) == 0)
		setIf(rw, "headers", obj{"X-Scope-OrgID": "tenant-1"}, g.intn(3) == 0)
		setIf(rw, "writeRelabelConfigs", some(g, metricRelabelings, 2), g.intn(3) == 0)
		setIf(rw, "sendExemplars", g.intn(2) == 0, g.intn(4) == 0)
		setIf(rw, "sendNativeHistograms", g.intn(2) == 0, g.intn(4) == 0)
		setIf(rw, "messageVersion", pick(g, []string{"V1.0", "V2.0"}), g.intn(4) == 0)
		setIf(rw, "enableHTTP2", g.intn(2) == 0, g.intn(4) == 0)
		setIf(rw, "followRedirects", g.intn(2) == 0, g.intn(4) == 0)
		if g.intn(3) == 0 {
			q := obj{}
			setIf(q, "capacity", 5000, g.intn(2) == 0)
			setIf(q, "maxShards", 20, g.intn(2) == 0)
			setIf(q, "minShards", 2, g.intn(2) == 0)
			setIf(q, "maxSamplesPerSend", 1000, g.intn(2) == 0)
			setIf(q, "batchSendDeadline", "5s", g.intn(2) == 0)
			setIf(q, "minBackoff", "30ms", g.intn(2) == 0)
			setIf(q, "maxBackoff", "5s", g.intn(2) == 0)
			setIf(q, "retryOnRateLimit", true, g.intn(2) == 0)
			setIf(q, "sampleAgeLimit", "1h", g.intn(3) == 0)
			rw["queueConfig"] = q
		}
		if g.intn(3) == 0 {
			m := obj{"send": g.intn(2) == 0}
			setIf(m, "sendInterval", "30s", g.intn(2) == 0)
			if rw["messageVersion"] == "V2.0" && !g.use("remote-write-v2-metadata-send", 1) {
				m["send"] = false
			}
			rw["metadataConfig"] = m
		}
		setIf(rw, "tlsConfig", g.safeTLSConfig(), true)
		g.remoteAuth(rw)
		g.proxy(rw)
		out = append(out, rw)
	}
	return out
}

// remoteReadSpec is the Prometheus object's remote read list.
func (g *generator) remoteReadSpec() []obj {
	rr := obj{"url": "https://rr.example.com/api/v1/read"}
	setIf(rr, "name", "rr-0", g.intn(2) == 0)
	setIf(rr, "readRecent", true, g.intn(2) == 0)
	setIf(rr, "requiredMatchers", obj{"job": "node"}, g.intn(3) == 0)
	setIf(rr, "remoteTimeout", "30s", g.intn(3) == 0)
	setIf(rr, "headers", obj{"X-Scope-OrgID": "tenant-1"}, g.intn(3) == 0)
	setIf(rr, "filterExternalLabels", g.intn(2) == 0, g.intn(3) == 0)
	setIf(rr, "followRedirects", g.intn(2) == 0, g.intn(4) == 0)
	setIf(rr, "tlsConfig", g.safeTLSConfig(), true)
	g.remoteAuth(rr)
	g.proxy(rr)
	return []obj{rr}
}

// remoteAuth sets one way of authenticating to a remote endpoint, or none.
func (g *generator) remoteAuth(o obj) {
	switch g.intn(5) {
	case 0:
		o["basicAuth"] = obj{"username": secretKey("username"), "password": secretKey("password")}
	case 1:
		o["authorization"] = obj{"credentials": secretKey("token")}
	case 2:
		o["oauth2"] = obj{"clientId": obj{"secret": secretKey("client-id")}, "clientSecret": secretKey("client-secret"), "tokenUrl": "https://auth.example.com/token"}
	case 3:
		o["bearerTokenFile"] = "/var/run/secrets/kubernetes.io/serviceaccount/token"
	}
}

// ruleExprs are valid PromQL expressions, one a number (an int expr).
var ruleExprs = []any{
	`up == 0`,
	`sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) > 1`,
	`absent(up{job="api"})`,
	`vector(1)`,
	`histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))`,
	1,
}

// prometheusRule adds a PrometheusRule in namespace ns.
func (g *generator) prometheusRule(ns, name string) {
	var groups []obj
	for i := range 1 + g.intn(2) {
		grp := obj{"name": fmt.Sprintf("%s-%d", name, i)}
		setIf(grp, "interval", pick(g, []string{"30s", "1m"}), g.intn(3) == 0)
		setIf(grp, "query_offset", "30s", g.intn(4) == 0)
		setIf(grp, "limit", 10, g.intn(4) == 0)
		setIf(grp, "labels", obj{"team": "red"}, g.intn(4) == 0)
		var rules []obj
		for j := range 1 + g.intn(3) {
			r := obj{"expr": pick(g, ruleExprs)}
			if g.intn(2) == 0 {
				r["alert"] = fmt.Sprintf("Alert%d", j)
				setIf(r, "for", pick(g, []string{"0s", "5m"}), g.intn(2) == 0)
				setIf(r, "keep_firing_for", "1m", g.intn(3) == 0)
				setIf(r, "annotations", obj{"summary": "{{ $labels.job }} is failing"}, g.intn(2) == 0)
			} else {
				r["record"] = fmt.Sprintf("job:rule_%d:sum", j)
			}
			setIf(r, "labels", obj{"severity": pick(g, []string{"warning", "critical"})}, g.intn(2) == 0)
			rules = append(rules, r)
		}
		grp["rules"] = rules
		groups = append(groups, grp)
	}
	g.add("monitoring.coreos.com/v1", "PrometheusRule", ns, name, g.monitorLabels(), obj{"groups": groups})
	g.generated = append(g.generated, objectRef{"prometheusrules", ns, name})
}
