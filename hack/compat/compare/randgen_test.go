package compare

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"

	"sigs.k8s.io/yaml"
)

// knownDifferences are the features the random generator leaves out
// because Vigil's and Prometheus Operator's configurations still differ on
// them and the comparison does not accept the difference: feature name (a
// name from features) to the difference. Remove an entry when the
// difference is fixed (or becomes a compare.Allowance), so that the random
// tests cover the feature again.
var knownDifferences = map[string]string{}

// features are the optional parts of a generated manifest set. Each can be
// turned off through knownDifferences.
var features = []string{
	"shards",
	"global-scrape-interval",
	"global-scrape-timeout",
	"enforced-limits",
	"enforced-body-size-limit",
	"enforced-body-size-limit-zero",
	"enforced-namespace-label",
	"excluded-from-enforcement",
	"additional-scrape-configs",
	"additional-scrape-configs-hashmod",
	"ignore-namespace-selectors",
	"service-discovery-role",
	"scrape-classes",
	"scrape-class-default",
	"scrape-class-relabelings",
	"scrape-class-metric-relabelings",
	"scrape-class-attach-metadata",
	"scrape-class-tls-ca-file",
	"scrape-class-reference",
	"namespace-selector-labels",
	"monitor-selector-labels",
	"monitor-namespace-selector",
	"monitor-limits",
	"monitor-body-size-limit",
	"endpoint-port-name",
	"endpoint-target-port-number",
	"endpoint-target-port-name",
	"endpoint-port-and-target-port",
	"endpoint-honor-labels",
	"endpoint-honor-timestamps",
	"endpoint-interval",
	"endpoint-scrape-timeout",
	"endpoint-path",
	"endpoint-scheme",
	"endpoint-params",
	"endpoint-relabelings",
	"endpoint-metric-relabelings",
	"endpoint-tls-insecure",
	"endpoint-filter-running",
	"servicemonitor-job-label",
	"servicemonitor-target-labels",
	"pod-target-labels",
	"attach-metadata",
	"role-selector",
	"servicemonitor-discovery-role",
	"podmonitor-port-number",
	"probes",
	"probe-ingress",
	"probe-job-name",
	"probe-module",
	"probe-prober-path",
	"probe-static-labels",
	"probe-target-relabelings",
	"scrapeconfigs",
	"scrapeconfig-static",
	"scrapeconfig-kubernetes-sd",
	"scrapeconfig-kubernetes-sd-namespaces",
	"scrapeconfig-kubernetes-sd-selectors",
	"scrapeconfig-job-name",
	"scrapeconfig-metrics-path",
	"scrapeconfig-honor-labels",
	"scrapeconfig-http-sd",
	"scrapeconfig-http-sd-tls",
	"scrapeconfig-file-sd",
	"scrapeconfig-dns-sd",
	"kubernetes-sd-attach-metadata",
	"enable-compression",
	"probe-prober-scheme",
	"selector-expressions",
	"prometheus-selector-expressions",
	"scrape-protocols",
	"fallback-scrape-protocol",
	"native-histograms",
	"track-timestamps-staleness",
	"endpoint-tls-files",
	"bearer-token-file",
	"tls-secret-refs",
	"http-auth",
	"basic-auth",
	"authorization",
	"oauth2",
	"bearer-token-secret",
	"follow-redirects",
	"enable-http2",
	"proxy",
	"proxy-from-environment",
	"proxy-connect-header",
	"oauth2-tls-and-proxy",
	"kubernetes-sd-own-namespace",
	"scrape-class-secrets",
	"arbitrary-fs-access-deny",
	"global-settings",
	"alerting",
	"remote-write",
	"remote-write-v2-metadata-send",
	"remote-read",
	"prometheus-rules",
	"external-labels",
	"replicas",
	"global-scrape-protocols",
	"scrape-class-fallback-protocol",
	"scrape-class-authorization",
	// Alertmanager sets (randgen_alertmanager_test.go).
	"am-config-secret",
	"am-selector-labels",
	"am-namespace-selector",
	"am-matcher-strategy",
	"am-time-intervals",
	"am-inhibit-rules",
	"am-route-grouping",
	"am-child-routes",
	"am-http-config",
}

// obj is one manifest object, or a part of one, as YAML would decode it.
type obj = map[string]any

// generator makes a random manifest set from a seed: one Prometheus object
// in namespace "monitoring" and monitors around it. Every value is valid,
// so that both generators should accept the objects: what differs between
// their outputs is a bug on one side.
type generator struct {
	r *rand.Rand
	// size scales the number of namespaces and objects (0 is the smallest).
	size int

	docs       []obj
	namespaces []string
	classes    []string // the scrape classes' names
	enforced   bool     // an enforcedNamespaceLabel is set
	classAuth  bool     // a scrape class gives an authorization
	// secretClass is the scrape class that reads Secrets, which only the
	// Prometheus object's namespace's objects name.
	secretClass string
	// globalInterval is the Prometheus object's scrape interval in
	// seconds: timeouts stay within it.
	globalInterval int
	generated      []objectRef // monitors, for excludedFromEnforcement
}

type objectRef struct{ resource, namespace, name string }

// generateManifests returns the manifest set of seed, as multi-document
// YAML.
func generateManifests(seed uint64, size int) []byte {
	g := &generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), size: size}
	g.build()
	return g.manifests()
}

// manifests is the documents built, as multi-document YAML.
func (g *generator) manifests() []byte {
	var buf bytes.Buffer
	for _, d := range g.docs {
		b, err := yaml.Marshal(d)
		if err != nil {
			panic(err)
		}
		buf.WriteString("---\n")
		buf.Write(b)
	}
	return buf.Bytes()
}

// use draws whether to generate feature, with probability p. It always
// draws, so that turning a feature off leaves the rest of the set as it was.
func (g *generator) use(feature string, p float64) bool {
	if !slices.Contains(features, feature) {
		panic("unknown feature " + feature)
	}
	hit := g.r.Float64() < p
	_, off := knownDifferences[feature]
	return hit && !off
}

func (g *generator) intn(n int) int { return g.r.IntN(n) }

func pick[T any](g *generator, from []T) T { return from[g.r.IntN(len(from))] }

// some returns 0..max distinct elements of from, in from's order.
func some[T any](g *generator, from []T, maxN int) []T {
	n := g.r.IntN(maxN + 1)
	idx := g.r.Perm(len(from))[:min(n, len(from))]
	slices.Sort(idx)
	out := make([]T, 0, len(idx))
	for _, i := range idx {
		out = append(out, from[i])
	}
	return out
}

func (g *generator) add(apiVersion, kind, namespace, name string, labels map[string]string, spec obj) {
	meta := obj{"name": name}
	if namespace != "" {
		meta["namespace"] = namespace
	}
	if len(labels) > 0 {
		meta["labels"] = labels
	}
	g.docs = append(g.docs, obj{"apiVersion": apiVersion, "kind": kind, "metadata": meta, "spec": spec})
}

func (g *generator) build() {
	g.buildNamespaces()
	prom := g.prometheusSpec()
	g.add("monitoring.coreos.com/v1", "Prometheus", "monitoring", "main", nil, prom)
	for _, ns := range g.namespaces {
		for i := range g.intn(2 + g.size) {
			g.serviceMonitor(ns, fmt.Sprintf("sm-%d", i))
		}
		for i := range g.intn(2 + g.size) {
			g.podMonitor(ns, fmt.Sprintf("pm-%d", i))
		}
		if g.use("probes", 0.6) {
			for i := range 1 + g.intn(1+g.size) {
				g.probe(ns, fmt.Sprintf("probe-%d", i))
			}
		}
		if g.use("scrapeconfigs", 0.6) {
			for i := range 1 + g.intn(1+g.size) {
				g.scrapeConfig(ns, fmt.Sprintf("sc-%d", i))
			}
		}
		if g.use("prometheus-rules", 0.5) {
			for i := range 1 + g.intn(1+g.size) {
				g.prometheusRule(ns, fmt.Sprintf("rules-%d", i))
			}
		}
	}
	if g.enforced && len(g.generated) > 0 && g.use("excluded-from-enforcement", 0.5) {
		var refs []obj
		for _, ref := range some(g, g.generated, 3) {
			r := obj{"group": "monitoring.coreos.com", "resource": ref.resource, "namespace": ref.namespace}
			if g.intn(4) > 0 {
				r["name"] = ref.name
			}
			refs = append(refs, r)
		}
		if len(refs) > 0 {
			prom["excludedFromEnforcement"] = refs
		}
	}
}

func (g *generator) buildNamespaces() {
	g.namespaces = []string{"monitoring"}
	for i := range 1 + g.intn(2+g.size) {
		g.namespaces = append(g.namespaces, fmt.Sprintf("team-%c", 'a'+i))
	}
	for _, ns := range g.namespaces {
		labels := map[string]string{"env": pick(g, []string{"prod", "dev"})}
		if g.intn(2) == 0 {
			labels["team"] = pick(g, []string{"red", "blue"})
		}
		g.docs = append(g.docs, obj{"apiVersion": "v1", "kind": "Namespace", "metadata": obj{"name": ns, "labels": labels}})
		g.addAuthObjects(ns)
	}
}

// durations are the scrape intervals and timeouts drawn, in seconds by
// spelling; globalIntervals are the Prometheus object's.
var (
	durations       = map[string]int{"5s": 5, "10s": 10, "15s": 15, "30s": 30, "1m": 60, "1m30s": 90}
	globalIntervals = []string{"15s", "30s", "1m"}
)

func (g *generator) prometheusSpec() obj {
	spec := obj{}
	for i, kind := range []string{"serviceMonitor", "podMonitor", "probe", "scrapeConfig", "rule"} {
		// The ServiceMonitor selector is always set, so that Prometheus
		// Operator manages the configuration.
		if i > 0 && g.intn(6) == 0 || kind == "rule" && !g.use("prometheus-rules", 0.5) {
			continue
		}
		sel := obj{}
		switch {
		case g.use("prometheus-selector-expressions", 0.2):
			sel["matchExpressions"] = []obj{pick(g, []obj{
				{"key": "release", "operator": "In", "values": []string{"main", "canary"}},
				{"key": "release", "operator": "NotIn", "values": []string{"canary"}},
				{"key": "release", "operator": "Exists"},
			})}
		case g.use("monitor-selector-labels", 0.5):
			sel["matchLabels"] = obj{"release": "main"}
		}
		spec[kind+"Selector"] = sel
		switch {
		case g.intn(4) == 0:
			// No namespace selector: the Prometheus object's namespace.
		case g.use("prometheus-selector-expressions", 0.2):
			spec[kind+"NamespaceSelector"] = obj{"matchExpressions": []obj{{"key": "env", "operator": "NotIn", "values": []string{"dev"}}}}
		case g.use("namespace-selector-labels", 0.4):
			spec[kind+"NamespaceSelector"] = obj{"matchLabels": obj{"env": "prod"}}
		default:
			spec[kind+"NamespaceSelector"] = obj{}
		}
	}
	setIf(spec, "replicas", 2, g.use("replicas", 0.2))
	setIf(spec, "externalLabels", obj{"cluster": "eu-1"}, g.use("external-labels", 0.3))
	if g.use("global-settings", 0.3) {
		setIf(spec, "replicaExternalLabelName", pick(g, []string{"", "replica"}), g.intn(2) == 0)
		setIf(spec, "prometheusExternalLabelName", pick(g, []string{"", "prom"}), g.intn(2) == 0)
		setIf(spec, "evaluationInterval", pick(g, globalIntervals), g.intn(2) == 0)
	}
	setIf(spec, "arbitraryFSAccessThroughSMs", obj{"deny": true}, g.use("arbitrary-fs-access-deny", 0.15))
	if g.use("alerting", 0.3) {
		spec["alerting"] = g.alertingSpec()
	}
	if g.use("remote-write", 0.3) {
		spec["remoteWrite"] = g.remoteWriteSpec()
	}
	if g.use("remote-read", 0.2) {
		spec["remoteRead"] = g.remoteReadSpec()
	}
	setIf(spec, "scrapeProtocols", some(g, scrapeProtocols, 3), g.use("global-scrape-protocols", 0.2))
	if g.use("shards", 0.5) {
		spec["shards"] = 1 + g.intn(3)
	}
	g.globalInterval = 30 // Prometheus Operator's default
	if g.use("global-scrape-interval", 0.5) {
		spec["scrapeInterval"] = pick(g, globalIntervals)
		g.globalInterval = durations[spec["scrapeInterval"].(string)]
	}
	setIf(spec, "scrapeTimeout", pick(g, []string{"5s", "10s"}), g.use("global-scrape-timeout", 0.3))
	if g.use("enforced-limits", 0.5) {
		for _, l := range []string{"enforcedSampleLimit", "enforcedTargetLimit", "enforcedLabelLimit",
			"enforcedLabelNameLengthLimit", "enforcedLabelValueLengthLimit", "enforcedKeepDroppedTargets"} {
			if g.intn(2) == 0 {
				spec[l] = pick(g, []int{0, 50, 100, 1000})
			}
		}
	}
	if g.use("enforced-body-size-limit", 0.3) {
		spec["enforcedBodySizeLimit"] = pick(g, bodySizes[1:])
		setIf(spec, "enforcedBodySizeLimit", "0", g.use("enforced-body-size-limit-zero", 0.2))
	}
	if g.use("enforced-namespace-label", 0.4) {
		spec["enforcedNamespaceLabel"] = pick(g, []string{"namespace", "tenant"})
		g.enforced = true
	}
	if g.use("additional-scrape-configs", 0.4) {
		spec["additionalScrapeConfigs"] = obj{"name": "additional-scrape-configs", "key": "prometheus-additional.yaml"}
		g.additionalScrapeConfigs()
	}
	if g.use("ignore-namespace-selectors", 0.3) {
		spec["ignoreNamespaceSelectors"] = true
	}
	if g.use("service-discovery-role", 0.5) {
		spec["serviceDiscoveryRole"] = pick(g, []string{"Endpoints", "EndpointSlice"})
	}
	if g.use("scrape-classes", 0.5) {
		spec["scrapeClasses"] = g.scrapeClasses()
	}
	return spec
}

func (g *generator) scrapeClasses() []obj {
	var out []obj
	def := -1
	n := 1 + g.intn(2)
	if g.use("scrape-class-default", 0.5) {
		def = g.intn(n)
	}
	if g.use("scrape-class-secrets", 0.3) {
		// A class whose TLS and authorization come from Secrets: both
		// generators find them for objects in the Prometheus object's
		// namespace only (Vigil for all, on purpose: see the README), so
		// only those objects name it and it is never the default.
		c := obj{"name": "internal-ca", "tlsConfig": obj{"ca": obj{"secret": secretKey("ca.crt")}}}
		if g.intn(2) == 0 && !g.classAuth {
			c["authorization"] = obj{"credentials": secretKey("token")}
			g.classAuth = true
		}
		out = append(out, c)
		g.secretClass = "internal-ca"
	}
	for i, name := range []string{"mesh", "standard"}[:n] {
		c := obj{"name": name}
		g.classes = append(g.classes, name)
		if i == def {
			c["default"] = true
		}
		setIf(c, "relabelings", some(g, targetRelabelings, 2), g.use("scrape-class-relabelings", 0.6))
		setIf(c, "metricRelabelings", some(g, metricRelabelings, 2), g.use("scrape-class-metric-relabelings", 0.5))
		if g.use("scrape-class-attach-metadata", 0.4) {
			c["attachMetadata"] = obj{"node": g.intn(2) == 0}
		}
		if g.use("scrape-class-tls-ca-file", 0.4) {
			c["tlsConfig"] = obj{"caFile": "/etc/prometheus/secrets/mesh-ca/ca.crt"}
		}
		setIf(c, "fallbackScrapeProtocol", pick(g, scrapeProtocols), g.use("scrape-class-fallback-protocol", 0.3))
		if g.use("scrape-class-authorization", 0.3) {
			c["authorization"] = obj{"credentialsFile": "/etc/prometheus/secrets/token"}
			g.classAuth = true
		}
		out = append(out, c)
	}
	return out
}

// additionalScrapeConfigs adds the Secret of additional jobs: static
// targets, and sometimes a job that shards itself with its own hashmod.
func (g *generator) additionalScrapeConfigs() {
	jobs := []obj{}
	for i := range 1 + g.intn(2) {
		job := obj{
			"job_name":       fmt.Sprintf("additional-%d", i),
			"static_configs": []obj{{"targets": []string{fmt.Sprintf("10.1.0.%d:9100", i+1)}}},
		}
		setIf(job, "scrape_interval", pick(g, globalIntervals), g.intn(2) == 0)
		jobs = append(jobs, job)
	}
	if g.use("additional-scrape-configs-hashmod", 0.4) {
		jobs = append(jobs, obj{
			"job_name":       "additional-sharded",
			"static_configs": []obj{{"targets": []string{"10.2.0.1:9100", "10.2.0.2:9100"}}},
			"relabel_configs": []obj{
				{"source_labels": []string{"__address__"}, "modulus": 2, "target_label": "__tmp_hash", "action": pick(g, []string{"hashmod", "HashMod"})},
				{"source_labels": []string{"__tmp_hash"}, "regex": "0", "action": "keep"},
			},
		})
	}
	text, err := yaml.Marshal(jobs)
	if err != nil {
		panic(err)
	}
	g.docs = append(g.docs, obj{
		"apiVersion": "v1", "kind": "Secret",
		"metadata":   obj{"name": "additional-scrape-configs", "namespace": "monitoring"},
		"stringData": obj{"prometheus-additional.yaml": string(text)},
	})
}
