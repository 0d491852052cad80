package compare

import (
	"fmt"
	"slices"
	"strings"
)

// targetRelabelings and metricRelabelings are the rules monitors and
// scrape classes draw from: all valid, covering the actions.
var (
	targetRelabelings = []obj{
		{"sourceLabels": []string{"__meta_kubernetes_pod_node_name"}, "targetLabel": "node"},
		{"targetLabel": "cluster", "replacement": "prod-eu-1"},
		{"action": "Replace", "sourceLabels": []string{"__meta_kubernetes_pod_label_app"}, "targetLabel": "app", "replacement": "${1}"},
		{"action": "LabelMap", "regex": "__meta_kubernetes_service_label_(.+)", "replacement": "svc_$1"},
		{"action": "Keep", "sourceLabels": []string{"__meta_kubernetes_namespace", "__meta_kubernetes_pod_phase"}, "separator": "", "regex": "team-.*Running"},
		{"action": "HashMod", "sourceLabels": []string{"__address__"}, "modulus": 3, "targetLabel": "__tmp_hash"},
		{"action": "labelmap", "regex": "__meta_kubernetes_pod_label_(.+)"},
		{"action": "keep", "sourceLabels": []string{"__meta_kubernetes_pod_container_name"}, "regex": "app|sidecar"},
		{"action": "drop", "sourceLabels": []string{"__address__"}, "regex": ".*:9999"},
		{"action": "hashmod", "sourceLabels": []string{"__address__"}, "modulus": 4, "targetLabel": "__tmp_bucket"},
		{"sourceLabels": []string{"__meta_kubernetes_namespace", "__meta_kubernetes_pod_name"}, "separator": "/", "targetLabel": "pod_ref"},
		{"action": "lowercase", "sourceLabels": []string{"instance"}, "targetLabel": "instance"},
		{"action": "replace", "sourceLabels": []string{"__address__"}, "regex": "([^:]+):.*", "targetLabel": "host", "replacement": "$1"},
	}
	metricRelabelings = []obj{
		{"sourceLabels": []string{"__name__"}, "regex": "go_.*", "action": "drop"},
		{"regex": "pod_template_hash|controller_revision_hash", "action": "labeldrop"},
		{"sourceLabels": []string{"__name__"}, "regex": "(.+)_total", "targetLabel": "counter", "replacement": "$1"},
		{"action": "keepequal", "sourceLabels": []string{"instance"}, "targetLabel": "host"},
		{"sourceLabels": []string{"code"}, "regex": "5..", "targetLabel": "error_class", "replacement": "server"},
		{"action": "LabelDrop", "regex": "le_.*"},
		{"action": "DropEqual", "sourceLabels": []string{"instance"}, "targetLabel": "exported_instance"},
		{"action": "Uppercase", "sourceLabels": []string{"method"}, "targetLabel": "method"},
	}
	// labelNames are the label names jobLabel, targetLabels and
	// podTargetLabels name.
	labelNames = []string{"app", "app.kubernetes.io/name", "team", "tier"}

	// bodySizes are enforced and monitors' body size limits, with spellings
	// that compare differently in base 2 and base 10; "0" (no limit) first.
	bodySizes = []string{"0", "1MB", "1000KB", "1MiB", "1.5MB", "10MB", "512KiB"}

	scrapeProtocols = []string{"PrometheusProto", "OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"}
)

// monitorLabels labels a monitor so that a label selector sometimes
// leaves it out.
func (g *generator) monitorLabels() map[string]string {
	if g.intn(4) == 0 {
		return map[string]string{"release": "canary"}
	}
	return map[string]string{"release": "main"}
}

// monitorNamespaceSelector is a monitor's own namespaceSelector, or nil.
func (g *generator) monitorNamespaceSelector() obj {
	if !g.use("monitor-namespace-selector", 0.3) {
		return nil
	}
	if g.intn(2) == 0 {
		return obj{"any": true}
	}
	names := some(g, g.namespaces, 2)
	if len(names) == 0 {
		names = []string{pick(g, g.namespaces)}
	}
	return obj{"matchNames": names}
}

// setIf sets o[key] to v when ok, and v is not nil or an empty list.
func setIf(o obj, key string, v any, ok bool) {
	switch l := v.(type) {
	case obj:
		ok = ok && l != nil
	case []obj:
		ok = ok && len(l) > 0
	case []string:
		ok = ok && len(l) > 0
	}
	if ok {
		o[key] = v
	}
}

// limits sets a monitor's own limits, which the enforced ones cap.
func (g *generator) limits(spec obj) {
	if g.use("monitor-limits", 0.4) {
		for _, l := range []string{"sampleLimit", "targetLimit", "labelLimit", "labelNameLengthLimit", "labelValueLengthLimit", "keepDroppedTargets"} {
			setIf(spec, l, pick(g, []int{0, 10, 100, 5000}), g.intn(3) == 0)
		}
	}
}

// scrapeClassRef names a scrape class in the spec of an object in
// namespace ns, or none.
func (g *generator) scrapeClassRef(spec obj, ns string) {
	classes := g.classes
	if ns == "monitoring" && g.secretClass != "" {
		classes = append(slices.Clone(classes), g.secretClass)
	}
	if len(classes) > 0 && g.use("scrape-class-reference", 0.5) {
		spec["scrapeClass"] = pick(g, classes)
	}
}

// intervalAndTimeout sets the interval and timeout keys of o, the timeout
// within the interval.
func (g *generator) intervalAndTimeout(o obj, intervalKey, timeoutKey string) {
	interval := g.globalInterval
	if g.use("endpoint-interval", 0.5) {
		d := pick(g, sortedKeys(durations))
		o[intervalKey], interval = d, durations[d]
	}
	var timeouts []string
	for _, d := range sortedKeys(durations) {
		if durations[d] <= interval {
			timeouts = append(timeouts, d)
		}
	}
	setIf(o, timeoutKey, pick(g, timeouts), g.use("endpoint-scrape-timeout", 0.4))
}

// endpointCommon sets what ServiceMonitor and PodMonitor endpoints share.
// tlsFiles allows a TLS configuration with files (ServiceMonitors).
func (g *generator) endpointCommon(ep obj, tlsFiles bool) {
	setIf(ep, "honorLabels", g.intn(2) == 0, g.use("endpoint-honor-labels", 0.5))
	setIf(ep, "honorTimestamps", g.intn(2) == 0, g.use("endpoint-honor-timestamps", 0.3))
	g.intervalAndTimeout(ep, "interval", "scrapeTimeout")
	setIf(ep, "path", pick(g, []string{"/metrics", "/stats/prometheus"}), g.use("endpoint-path", 0.3))
	setIf(ep, "scheme", pick(g, []string{"http", "https", "HTTP", "HTTPS"}), g.use("endpoint-scheme", 0.3))
	setIf(ep, "params", obj{"format": []string{"prometheus"}, "collect[]": []string{"cpu", "meminfo"}}, g.use("endpoint-params", 0.2))
	setIf(ep, "relabelings", some(g, targetRelabelings, 3), g.use("endpoint-relabelings", 0.5))
	setIf(ep, "metricRelabelings", some(g, metricRelabelings, 2), g.use("endpoint-metric-relabelings", 0.4))
	setIf(ep, "tlsConfig", obj{"insecureSkipVerify": true}, g.use("endpoint-tls-insecure", 0.2))
	if tls := g.safeTLSConfig(); tls != nil {
		if tlsFiles && g.use("endpoint-tls-files", 0.3) {
			delete(tls, "ca")
			tls["caFile"] = "/etc/prometheus/secrets/scrape-ca/ca.crt"
		}
		ep["tlsConfig"] = tls
	}
	if !g.httpAuth(ep, true) && !g.classAuth {
		// Prometheus takes one way to authenticate.
		setIf(ep, "bearerTokenFile", "/var/run/secrets/kubernetes.io/serviceaccount/token", tlsFiles && g.use("bearer-token-file", 0.1))
	}
	g.httpOptions(ep, "enableHttp2", true)
	setIf(ep, "trackTimestampsStaleness", g.intn(2) == 0, g.use("track-timestamps-staleness", 0.2))
	setIf(ep, "filterRunning", false, g.use("endpoint-filter-running", 0.2))
}

// monitorCommon sets what the spec of every kind of monitor in namespace
// ns has.
func (g *generator) monitorCommon(spec obj, ns string) {
	g.scrapeClassRef(spec, ns)
	g.limits(spec)
	setIf(spec, "scrapeProtocols", some(g, scrapeProtocols, 3), g.use("scrape-protocols", 0.2))
	setIf(spec, "fallbackScrapeProtocol", pick(g, scrapeProtocols), g.use("fallback-scrape-protocol", 0.2))
	if g.use("native-histograms", 0.2) {
		setIf(spec, "scrapeNativeHistograms", g.intn(2) == 0, g.intn(2) == 0)
		setIf(spec, "scrapeClassicHistograms", g.intn(2) == 0, g.intn(2) == 0)
		setIf(spec, "nativeHistogramBucketLimit", pick(g, []int{10, 160}), g.intn(2) == 0)
		setIf(spec, "nativeHistogramMinBucketFactor", pick(g, []string{"1.1", "2", "1100m"}), g.intn(3) == 0)
		setIf(spec, "convertClassicHistogramsToNHCB", g.intn(2) == 0, g.intn(3) == 0)
	}
}

// labelSelector is a selector on labels "app" (value app), "tier", "env"
// and "legacy", with matchExpressions sometimes.
func (g *generator) labelSelector(app string) obj {
	sel := obj{}
	if g.intn(8) > 0 {
		sel["matchLabels"] = obj{"app": app}
	}
	if g.use("selector-expressions", 0.3) {
		sel["matchExpressions"] = some(g, []obj{
			{"key": "tier", "operator": "In", "values": []string{"backend", "frontend"}},
			{"key": "env", "operator": "NotIn", "values": []string{"dev"}},
			{"key": "metrics.example.com/scrape", "operator": "Exists"},
			{"key": "legacy", "operator": "DoesNotExist"},
		}, 3)
		if len(sel["matchExpressions"].([]obj)) == 0 {
			delete(sel, "matchExpressions")
		}
	}
	return sel
}

func (g *generator) serviceMonitor(ns, name string) {
	spec := obj{"selector": g.labelSelector(name)}
	setIf(spec, "namespaceSelector", g.monitorNamespaceSelector(), true)
	var endpoints []obj
	for range 1 + g.intn(3) {
		ep := obj{}
		switch g.intn(4) {
		case 0:
			setIf(ep, "port", pick(g, []string{"web", "metrics"}), g.use("endpoint-port-name", 1))
		case 1:
			setIf(ep, "targetPort", pick(g, []int{8080, 9090}), g.use("endpoint-target-port-number", 1))
		case 2:
			setIf(ep, "targetPort", pick(g, []string{"http-metrics", "admin"}), g.use("endpoint-target-port-name", 1))
		default:
			// port takes precedence.
			setIf(ep, "port", "web", g.use("endpoint-port-and-target-port", 1))
			setIf(ep, "targetPort", pick(g, []any{8080, "admin"}), g.use("endpoint-port-and-target-port", 1))
		}
		g.endpointCommon(ep, true)
		endpoints = append(endpoints, ep)
	}
	spec["endpoints"] = endpoints
	setIf(spec, "jobLabel", pick(g, labelNames), g.use("servicemonitor-job-label", 0.3))
	setIf(spec, "targetLabels", some(g, labelNames, 2), g.use("servicemonitor-target-labels", 0.3))
	setIf(spec, "podTargetLabels", some(g, labelNames, 2), g.use("pod-target-labels", 0.3))
	setIf(spec, "attachMetadata", obj{"node": g.intn(2) == 0}, g.use("attach-metadata", 0.3))
	setIf(spec, "selectorMechanism", "RoleSelector", g.use("role-selector", 0.25))
	setIf(spec, "serviceDiscoveryRole", pick(g, []string{"Endpoints", "EndpointSlice"}), g.use("servicemonitor-discovery-role", 0.2))
	g.monitorCommon(spec, ns)
	setIf(spec, "bodySizeLimit", pick(g, bodySizes), g.use("monitor-body-size-limit", 0.2))
	g.add("monitoring.coreos.com/v1", "ServiceMonitor", ns, name, g.monitorLabels(), spec)
	g.generated = append(g.generated, objectRef{"servicemonitors", ns, name})
}

func (g *generator) podMonitor(ns, name string) {
	spec := obj{"selector": g.labelSelector(name)}
	setIf(spec, "namespaceSelector", g.monitorNamespaceSelector(), true)
	var endpoints []obj
	for range 1 + g.intn(3) {
		ep := obj{}
		switch g.intn(4) {
		case 0:
			setIf(ep, "port", pick(g, []string{"web", "metrics"}), g.use("endpoint-port-name", 1))
		case 1:
			setIf(ep, "portNumber", pick(g, []int{8080, 9090}), g.use("podmonitor-port-number", 1))
		case 2:
			setIf(ep, "targetPort", pick(g, []any{8080, "http-metrics"}), g.use("endpoint-target-port-number", 1))
		default:
			setIf(ep, "port", "web", g.use("endpoint-port-and-target-port", 1))
			setIf(ep, pick(g, []string{"portNumber", "targetPort"}), 9090, g.use("endpoint-port-and-target-port", 1))
		}
		g.endpointCommon(ep, false)
		endpoints = append(endpoints, ep)
	}
	spec["podMetricsEndpoints"] = endpoints
	setIf(spec, "jobLabel", pick(g, labelNames), g.use("servicemonitor-job-label", 0.3))
	setIf(spec, "podTargetLabels", some(g, labelNames, 2), g.use("pod-target-labels", 0.3))
	setIf(spec, "attachMetadata", obj{"node": g.intn(2) == 0}, g.use("attach-metadata", 0.3))
	setIf(spec, "selectorMechanism", "RoleSelector", g.use("role-selector", 0.25))
	g.monitorCommon(spec, ns)
	setIf(spec, "bodySizeLimit", pick(g, bodySizes), g.use("monitor-body-size-limit", 0.2))
	g.add("monitoring.coreos.com/v1", "PodMonitor", ns, name, g.monitorLabels(), spec)
	g.generated = append(g.generated, objectRef{"podmonitors", ns, name})
}

func (g *generator) probe(ns, name string) {
	prober := obj{"url": pick(g, []string{"blackbox-exporter.monitoring.svc:9115", "prober.example.com"})}
	setIf(prober, "path", "/probe", g.use("probe-prober-path", 0.4))
	setIf(prober, "scheme", pick(g, []string{"http", "https", "HTTP", "HTTPS"}), g.use("probe-prober-scheme", 0.3))
	g.proxy(prober)
	spec := obj{"prober": prober}
	setIf(spec, "jobName", "probe-"+ns, g.use("probe-job-name", 0.4))
	setIf(spec, "module", pick(g, []string{"http_2xx", "tcp_connect"}), g.use("probe-module", 0.7))
	if g.use("probe-ingress", 0.4) {
		ing := obj{"selector": g.labelSelector("probed")}
		setIf(ing, "namespaceSelector", g.monitorNamespaceSelector(), true)
		setIf(ing, "relabelingConfigs", some(g, targetRelabelings, 2), g.use("probe-target-relabelings", 0.4))
		spec["targets"] = obj{"ingress": ing}
	} else {
		targets := some(g, []string{"https://example.org/health", "tcp.example.net:443"}, 2)
		static := obj{"static": append([]string{"https://example.com"}, targets...)}
		setIf(static, "labels", obj{"environment": pick(g, []string{"prod", "staging"})}, g.use("probe-static-labels", 0.5))
		setIf(static, "relabelingConfigs", some(g, targetRelabelings, 2), g.use("probe-target-relabelings", 0.4))
		spec["targets"] = obj{"staticConfig": static}
	}
	g.intervalAndTimeout(spec, "interval", "scrapeTimeout")
	setIf(spec, "metricRelabelings", some(g, metricRelabelings, 2), g.use("endpoint-metric-relabelings", 0.4))
	setIf(spec, "params", []obj{{"name": "debug", "values": []string{"true"}}}, g.use("endpoint-params", 0.2))
	setIf(spec, "tlsConfig", g.safeTLSConfig(), true)
	g.httpAuth(spec, true)
	setIf(spec, "followRedirects", g.intn(2) == 0, g.use("follow-redirects", 0.2))
	setIf(spec, "enableHttp2", g.intn(2) == 0, g.use("enable-http2", 0.2))
	g.monitorCommon(spec, ns)
	g.add("monitoring.coreos.com/v1", "Probe", ns, name, g.monitorLabels(), spec)
	g.generated = append(g.generated, objectRef{"probes", ns, name})
}

func (g *generator) scrapeConfig(ns, name string) {
	spec := obj{}
	sources := 0
	if g.use("scrapeconfig-static", 0.7) {
		var groups []obj
		for i := range 1 + g.intn(2) {
			sc := obj{"targets": []string{fmt.Sprintf("10.3.%d.1:9100", i), fmt.Sprintf("10.3.%d.2:9100", i)}}
			setIf(sc, "labels", obj{"rack": fmt.Sprintf("r%d", i)}, g.intn(2) == 0)
			groups = append(groups, sc)
		}
		spec["staticConfigs"] = groups
		sources++
	}
	if g.use("scrapeconfig-kubernetes-sd", 0.5) {
		spec["kubernetesSDConfigs"] = []obj{g.kubernetesSDConfig(ns)}
		sources++
	}
	if g.use("scrapeconfig-http-sd", 0.2) {
		sd := obj{"url": "http://sd.example.com/targets"}
		setIf(sd, "refreshInterval", "1m", g.intn(2) == 0)
		g.httpAuth(sd, false)
		if g.use("scrapeconfig-http-sd-tls", 0.5) {
			setIf(sd, "tlsConfig", g.safeTLSConfig(), true)
		} else if oa, ok := sd["oauth2"].(obj); ok {
			delete(oa, "tlsConfig")
		}
		g.httpOptions(sd, "enableHTTP2", true)
		spec["httpSDConfigs"] = []obj{sd}
		sources++
	}
	if g.use("scrapeconfig-file-sd", 0.2) {
		sd := obj{"files": []string{"/etc/prometheus/sd/*.json"}}
		setIf(sd, "refreshInterval", "5m", g.intn(2) == 0)
		spec["fileSDConfigs"] = []obj{sd}
		sources++
	}
	if g.use("scrapeconfig-dns-sd", 0.2) {
		sd := obj{"names": []string{"_metrics._tcp.example.com"}}
		switch g.intn(4) {
		case 0:
			sd["type"] = pick(g, []string{"A", "AAAA", "MX", "NS"})
			sd["port"] = 9100
		case 1:
			sd["type"] = "SRV"
		}
		setIf(sd, "refreshInterval", "1m", g.intn(2) == 0)
		spec["dnsSDConfigs"] = []obj{sd}
		sources++
	}
	if sources == 0 {
		spec["staticConfigs"] = []obj{{"targets": []string{"10.4.0.1:9100"}}}
	}
	setIf(spec, "jobName", "scrape-"+name, g.use("scrapeconfig-job-name", 0.3))
	setIf(spec, "metricsPath", "/federate", g.use("scrapeconfig-metrics-path", 0.3))
	g.intervalAndTimeout(spec, "scrapeInterval", "scrapeTimeout")
	setIf(spec, "honorLabels", g.intn(2) == 0, g.use("scrapeconfig-honor-labels", 0.3))
	setIf(spec, "honorTimestamps", g.intn(2) == 0, g.use("endpoint-honor-timestamps", 0.3))
	setIf(spec, "trackTimestampsStaleness", g.intn(2) == 0, g.use("track-timestamps-staleness", 0.2))
	setIf(spec, "scheme", pick(g, []string{"HTTP", "HTTPS"}), g.use("endpoint-scheme", 0.3))
	setIf(spec, "params", obj{"match[]": []string{`{job="node"}`}}, g.use("endpoint-params", 0.2))
	setIf(spec, "enableCompression", g.intn(2) == 0, g.use("enable-compression", 0.2))
	setIf(spec, "relabelings", some(g, targetRelabelings, 3), g.use("endpoint-relabelings", 0.5))
	setIf(spec, "metricRelabelings", some(g, metricRelabelings, 2), g.use("endpoint-metric-relabelings", 0.4))
	setIf(spec, "tlsConfig", g.safeTLSConfig(), true)
	g.httpAuth(spec, false)
	g.httpOptions(spec, "enableHTTP2", false)
	g.monitorCommon(spec, ns)
	setIf(spec, "bodySizeLimit", pick(g, bodySizes), g.use("monitor-body-size-limit", 0.2))
	g.add("monitoring.coreos.com/v1alpha1", "ScrapeConfig", ns, name, g.monitorLabels(), spec)
	g.generated = append(g.generated, objectRef{"scrapeconfigs", ns, name})
}

func (g *generator) kubernetesSDConfig(ns string) obj {
	role := pick(g, []string{"Pod", "Endpoints", "EndpointSlice", "Service", "Node", "Ingress"})
	sd := obj{"role": role}
	if role != "Node" && g.use("scrapeconfig-kubernetes-sd-namespaces", 0.5) {
		nsd := obj{}
		setIf(nsd, "names", some(g, g.namespaces, 2), true)
		setIf(nsd, "ownNamespace", g.intn(2) == 0, g.use("kubernetes-sd-own-namespace", 0.5))
		if len(nsd) == 0 {
			nsd["names"] = []string{ns}
		}
		sd["namespaces"] = nsd
	}
	if g.use("scrapeconfig-kubernetes-sd-selectors", 0.4) {
		selRole := role
		if role == "Endpoints" || role == "EndpointSlice" {
			selRole = pick(g, []string{role, "Pod", "Service"})
		}
		sd["selectors"] = []obj{{"role": selRole, "label": "app=" + strings.ToLower(role)}}
	}
	switch role {
	case "Pod", "Endpoints", "EndpointSlice":
		setIf(sd, "attachMetadata", obj{"node": g.intn(2) == 0}, g.use("kubernetes-sd-attach-metadata", 0.3))
	}
	return sd
}
