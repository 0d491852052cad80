package promconfig

import (
	"fmt"
	"path"
	"regexp"

	"github.com/alecthomas/units"

	"go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/yamlnode"
)

// Defaults Prometheus Operator applies, kept so a drop-in behaves the same.
const (
	defaultScrapeInterval     = "30s"
	defaultEvaluationInterval = "30s"
	defaultRetention          = "24h"
	defaultPrometheusLabel    = "prometheus"
	defaultReplicaLabel       = "prometheus_replica"

	// RulesDir is where rule ConfigMaps are mounted, one folder each.
	RulesDir = "/etc/prometheus/rules"
)

// base is everything but the scrape jobs: global settings, rule files,
// storage, alerting and remote read and write.
func (g *generator) base() (*Config, error) {
	spec := &g.prom.Spec
	cfg := &Config{Global: GlobalConfig{
		ScrapeInterval:     orDefault(string(spec.ScrapeInterval), defaultScrapeInterval),
		ScrapeTimeout:      string(spec.ScrapeTimeout),
		EvaluationInterval: orDefault(string(spec.EvaluationInterval), defaultEvaluationInterval),
		ExternalLabels:     g.externalLabels(),
		GlobalLimits:       g.globalLimits(),
	}}
	cfg.Global.ScrapeProtocols, _ = scrapeProtocols(spec.ScrapeProtocols, nil)
	if spec.RuleQueryOffset != nil {
		cfg.Global.RuleQueryOffset = string(*spec.RuleQueryOffset)
	}
	// Without a rule selector the Prometheus loads no rules, and
	// Prometheus Operator writes no rule_files.
	if spec.RuleSelector != nil {
		for _, name := range g.in.RuleConfigMaps {
			cfg.RuleFiles = append(cfg.RuleFiles, path.Join(RulesDir, name, "*.yaml"))
		}
	}
	cfg.Storage = g.storage()
	// Checked here, once: it is the Prometheus object's setting, and every
	// monitor would otherwise be blamed for it.
	if e := spec.EnforcedBodySizeLimit; e != "" {
		if _, err := units.ParseBase2Bytes(string(e)); err != nil {
			return nil, fmt.Errorf("enforcedBodySizeLimit: %w", err)
		}
	}

	s := g.secretsFor("Prometheus", g.prom.Namespace, g.prom.Name)
	var err error
	if cfg.Alerting, err = g.alerting(s); err != nil {
		return nil, fmt.Errorf("alerting: %w", err)
	}
	if cfg.RemoteWriteConfigs, err = g.remoteWrite(s); err != nil {
		return nil, err
	}
	if cfg.RemoteReadConfigs, err = g.remoteRead(s); err != nil {
		return nil, err
	}
	return cfg, nil
}

// externalLabels are the user's, plus the Prometheus object's name and the
// pod's name (substituted by the config reloader) under the labels
// prometheusExternalLabelName and replicaExternalLabelName name; an empty
// name leaves that label out.
func (g *generator) externalLabels() map[string]string {
	spec := &g.prom.Spec
	out := map[string]string{}
	for k, v := range spec.ExternalLabels {
		out[k] = v
	}
	if name := orDefaultPtr(spec.PrometheusExternalLabelName, defaultPrometheusLabel); name != "" {
		out[name] = g.prom.Namespace + "/" + g.prom.Name
	}
	if name := g.replicaLabel(); name != "" {
		out[name] = "$(POD_NAME)"
	}
	return out
}

func (g *generator) replicaLabel() string {
	return orDefaultPtr(g.prom.Spec.ReplicaExternalLabelName, defaultReplicaLabel)
}

func (g *generator) storage() *StorageConfig {
	spec := &g.prom.Spec
	tsdb := &TSDBConfig{Retention: &RetentionConfig{Size: string(spec.RetentionSize)}}
	// Prometheus Operator keeps 24h when neither retention nor a size is
	// set.
	tsdb.Retention.Time = string(spec.Retention)
	if spec.Retention == "" && spec.RetentionSize == "" {
		tsdb.Retention.Time = defaultRetention
	}
	if spec.TSDB != nil && spec.TSDB.OutOfOrderTimeWindow != nil {
		tsdb.OutOfOrderTimeWindow = string(*spec.TSDB.OutOfOrderTimeWindow)
	}
	return &StorageConfig{TSDB: tsdb}
}

// additionalScrapeConfigs reads the jobs of spec.additionalScrapeConfigs,
// appended as the user wrote them but for the sharding rules (see
// shardAdditional); Prometheus's parser checks them with the rest.
func (g *generator) additionalScrapeConfigs() ([]yaml.Node, error) {
	jobs, err := g.additional("additionalScrapeConfigs", g.prom.Spec.AdditionalScrapeConfigs)
	if err != nil {
		return nil, err
	}
	return shardAdditional(jobs, g.shards)
}

// additional reads a Secret key holding a YAML list that is appended to a
// section of the configuration as written.
func (g *generator) additional(field string, ref *corev1.SecretKeySelector) ([]yaml.Node, error) {
	if ref == nil {
		return nil, nil
	}
	s := g.secretsFor("Prometheus", g.prom.Namespace, g.prom.Name)
	raw, err := s.secret(field, ref)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(raw), &doc); err != nil {
		return nil, fmt.Errorf("%s: secret %s key %s is not a YAML list: %w", field, ref.Name, ref.Key, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	// Without anchors and merge keys, so that each job means what YAML
	// says whatever the loader (see yamlnode.Resolve).
	list := yamlnode.Resolve(doc.Content[0])
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s: secret %s key %s is not a YAML list", field, ref.Name, ref.Key)
	}
	nodes := make([]yaml.Node, len(list.Content))
	for i, n := range list.Content {
		nodes[i] = *n
	}
	return nodes, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func orDefaultPtr(v *string, def string) string {
	if v == nil {
		return def
	}
	return *v
}

// alertmanagerRelabeling keeps the endpoints of the named Service's port.
func alertmanagerRelabeling(am monitoringv1.AlertmanagerEndpoints, role string) []*RelabelConfig {
	meta := "__meta_kubernetes_endpoint"
	if role == "endpointslice" {
		meta = "__meta_kubernetes_endpointslice"
	}
	rules := []*RelabelConfig{keep("__meta_kubernetes_service_name", am.Name)}
	if am.Port.StrVal != "" {
		rules = append(rules, keep(meta+"_port_name", am.Port.StrVal))
	} else {
		rules = append(rules, keep("__meta_kubernetes_pod_container_port_number", am.Port.String()))
	}
	return append(rules, userRules(am.Relabelings, "", "")...)
}

// alerting sends alerts to the Alertmanagers behind the named Services.
// The replica label is dropped from alerts so that the replicas' copies of
// an alert deduplicate in Alertmanager.
func (g *generator) alerting(s secrets) (*AlertingConfig, error) {
	out, err := g.alertmanagers(s)
	if err != nil {
		return nil, err
	}
	// additionalAlertRelabelConfigs and additionalAlertManagerConfigs are
	// appended as written; Prometheus's parser checks them with the rest.
	extraRelabel, err := g.additional("additionalAlertRelabelConfigs", g.prom.Spec.AdditionalAlertRelabelConfigs)
	if err != nil {
		return nil, err
	}
	extraAlertmanagers, err := g.additional("additionalAlertManagerConfigs", g.prom.Spec.AdditionalAlertManagerConfigs)
	if err != nil {
		return nil, err
	}
	for i := range extraRelabel {
		out.AlertRelabelConfigs = append(out.AlertRelabelConfigs, &extraRelabel[i])
	}
	for i := range extraAlertmanagers {
		out.Alertmanagers = append(out.Alertmanagers, &extraAlertmanagers[i])
	}
	if len(out.Alertmanagers) == 0 {
		return nil, nil
	}
	return out, nil
}

// alertmanagers converts spec.alerting.alertmanagers.
func (g *generator) alertmanagers(s secrets) (*AlertingConfig, error) {
	out := &AlertingConfig{}
	a := g.prom.Spec.Alerting
	if a == nil || len(a.Alertmanagers) == 0 {
		return out, nil
	}
	if label := g.replicaLabel(); label != "" {
		out.AlertRelabelConfigs = []any{&RelabelConfig{Action: "labeldrop", Regex: regexp.QuoteMeta(label)}}
	}
	role := g.serviceDiscoveryRole(nil)
	for i, am := range a.Alertmanagers {
		ns := g.prom.Namespace
		if am.Namespace != nil && *am.Namespace != "" {
			ns = *am.Namespace
		}
		c := &AlertmanagerConfig{
			KubernetesSDConfigs: []*KubernetesSD{{Role: role, Namespaces: &KubernetesSDNames{Names: []string{ns}}}},
			Scheme:              lower(am.Scheme),
			APIVersion:          lower(am.APIVersion),
			RelabelConfigs:      alertmanagerRelabeling(am, role),
			AlertRelabelConfigs: nilIfEmpty(userRules(am.AlertRelabelings, "", "")),
		}
		if c.APIVersion == "" {
			c.APIVersion = "v2"
		}
		if am.PathPrefix != nil {
			c.PathPrefix = *am.PathPrefix
		}
		if am.Timeout != nil {
			c.Timeout = string(*am.Timeout)
		}
		var err error
		c.HTTPClient.EnableHTTP2 = am.EnableHTTP2
		if c.BasicAuth, err = s.basicAuth(am.BasicAuth); err != nil {
			return nil, fmt.Errorf("alertmanagers[%d]: %w", i, err)
		}
		if c.Authorization, err = s.authorization(am.Authorization); err != nil {
			return nil, fmt.Errorf("alertmanagers[%d]: %w", i, err)
		}
		c.BearerTokenFile = am.BearerTokenFile
		if c.Sigv4, err = s.sigv4(am.Sigv4); err != nil {
			return nil, fmt.Errorf("alertmanagers[%d]: %w", i, err)
		}
		if c.TLSConfig, err = s.tls("tlsConfig", am.TLSConfig); err != nil {
			return nil, fmt.Errorf("alertmanagers[%d]: %w", i, err)
		}
		if c.ProxyConfig, err = s.proxy(am.ProxyConfig); err != nil {
			return nil, fmt.Errorf("alertmanagers[%d]: %w", i, err)
		}
		out.Alertmanagers = append(out.Alertmanagers, c)
	}
	return out, nil
}
