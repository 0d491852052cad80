package promconfig

import (
	"fmt"
	"path"

	"go.yaml.in/yaml/v3"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
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
	}}
	cfg.Global.ScrapeProtocols, _ = scrapeProtocols(spec.ScrapeProtocols, nil)
	if spec.RuleQueryOffset != nil {
		cfg.Global.RuleQueryOffset = string(*spec.RuleQueryOffset)
	}
	for _, name := range g.in.RuleConfigMaps {
		cfg.RuleFiles = append(cfg.RuleFiles, path.Join(RulesDir, name, "*.yaml"))
	}
	cfg.Storage = g.storage()

	s := secrets{store: g.in.Store, namespace: g.prom.Namespace}
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
// appended as the user wrote them; Prometheus's parser checks them with the
// rest.
func (g *generator) additionalScrapeConfigs() ([]yaml.Node, error) {
	ref := g.prom.Spec.AdditionalScrapeConfigs
	if ref == nil {
		return nil, nil
	}
	s := secrets{store: g.in.Store, namespace: g.prom.Namespace}
	raw, err := s.secret("additionalScrapeConfigs", ref)
	if err != nil {
		return nil, err
	}
	var nodes []yaml.Node
	if err := yaml.Unmarshal([]byte(raw), &nodes); err != nil {
		return nil, fmt.Errorf("additionalScrapeConfigs: secret %s key %s is not a YAML list of scrape configs: %w", ref.Name, ref.Key, err)
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
	a := g.prom.Spec.Alerting
	if a == nil || len(a.Alertmanagers) == 0 {
		return nil, nil
	}
	out := &AlertingConfig{}
	if label := g.replicaLabel(); label != "" {
		out.AlertRelabelConfigs = []*RelabelConfig{{Action: "labeldrop", Regex: label}}
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
		if c.TLSConfig, err = s.tls("tlsConfig", am.TLSConfig, true); err != nil {
			return nil, fmt.Errorf("alertmanagers[%d]: %w", i, err)
		}
		if c.ProxyConfig, err = s.proxy(am.ProxyConfig); err != nil {
			return nil, fmt.Errorf("alertmanagers[%d]: %w", i, err)
		}
		out.Alertmanagers = append(out.Alertmanagers, c)
	}
	return out, nil
}
