package promconfig

import (
	"fmt"
	"strings"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// scrapeConfigJobs makes the job of a ScrapeConfig, named
// scrapeConfig/<namespace>/<name>, with one converter per kind of target
// source.
func (g *generator) scrapeConfigJobs(sc *monitoringv1alpha1.ScrapeConfig) ([]*ScrapeConfig, error) {
	spec := &sc.Spec
	class, err := g.classes.of(spec.ScrapeClassName)
	if err != nil {
		return nil, err
	}
	s := g.secretsFor("ScrapeConfig", sc.Namespace, sc.Name)
	j := &ScrapeConfig{
		JobName:                  fmt.Sprintf("scrapeConfig/%s/%s", sc.Namespace, sc.Name),
		HonorLabels:              spec.HonorLabels,
		HonorTimestamps:          spec.HonorTimestamps,
		TrackTimestampsStaleness: spec.TrackTimestampsStaleness,
		Params:                   spec.Params,
		Scheme:                   lower(spec.Scheme),
		EnableCompression:        spec.EnableCompression,
	}
	if spec.MetricsPath != nil {
		j.MetricsPath = *spec.MetricsPath
	}
	if spec.ScrapeInterval != nil {
		j.ScrapeInterval = string(*spec.ScrapeInterval)
	}
	if spec.ScrapeTimeout != nil {
		j.ScrapeTimeout = string(*spec.ScrapeTimeout)
	}
	j.ScrapeProtocols, j.FallbackScrapeProtocol = scrapeProtocols(spec.ScrapeProtocols, class.fallbackScrapeProtocol(spec.FallbackScrapeProtocol))
	client := monitoringv1.HTTPClientConfig{BasicAuth: spec.BasicAuth, Authorization: spec.Authorization,
		OAuth2: spec.OAuth2, EnableHTTP2: spec.EnableHTTP2, ProxyConfig: spec.ProxyConfig}
	if j.HTTPClient, err = s.httpClient(client); err != nil {
		return nil, err
	}
	own, err := s.resolveTLS("tlsConfig", spec.TLSConfig)
	if err != nil {
		return nil, err
	}
	if j.TLSConfig, err = class.checkedTLS("tlsConfig", own, ownSafeTLS(spec.TLSConfig)); err != nil {
		return nil, err
	}
	if err := class.authorization(spec.Authorization, false, &j.HTTPClient); err != nil {
		return nil, err
	}
	if err := g.scrapeConfigSources(j, sc, s); err != nil {
		return nil, err
	}

	enforced := g.enforcedNamespaceLabel("scrapeconfigs", sc.Namespace, sc.Name)
	// The class's rules come before the job label here, unlike for the
	// monitors (Prometheus Operator's pkg/prometheus/promcfg.go:3465).
	rules := append([]*RelabelConfig{jobNameRule()}, class.relabelings()...)
	if spec.JobName != nil && *spec.JobName != "" {
		rules = append(rules, &RelabelConfig{TargetLabel: "job", Replacement: spec.JobName})
	}
	// Prometheus Operator enforces the namespace label on a ScrapeConfig's
	// targets only along its own relabelings (promcfg.go:5065-5067); its
	// metric relabelings always carry it.
	if len(spec.Relabelings) > 0 {
		rules = append(rules, userRules(spec.Relabelings, enforced, sc.Namespace)...)
	}
	j.RelabelConfigs = shardingRulesIfMissing(rules, g.shards)
	j.MetricRelabelConfigs = class.metricRelabelings(userRules(spec.MetricRelabelings, enforced, sc.Namespace))
	if j.Limits, err = g.limits(spec.ScrapeLimits, spec.BodySizeLimit, spec.NativeHistogramConfig); err != nil {
		return nil, err
	}
	return []*ScrapeConfig{j}, nil
}

// scrapeConfigSources converts each kind of target source.
func (g *generator) scrapeConfigSources(j *ScrapeConfig, sc *monitoringv1alpha1.ScrapeConfig, s secrets) error {
	src := &sc.Spec.ScrapeConfigSources
	for _, c := range src.StaticConfigs {
		sc := &StaticConfig{Labels: c.Labels}
		for _, t := range c.Targets {
			sc.Targets = append(sc.Targets, string(t))
		}
		j.StaticConfigs = append(j.StaticConfigs, sc)
	}
	if err := g.checkFiles("ScrapeConfig", sc.Namespace, scrapeConfigFiles(sc)); err != nil {
		return err
	}
	for _, c := range src.FileSDConfigs {
		f := &FileSD{RefreshInterval: durationString(c.RefreshInterval)}
		for _, file := range c.Files {
			f.Files = append(f.Files, string(file))
		}
		j.FileSDConfigs = append(j.FileSDConfigs, f)
	}
	for i, c := range src.HTTPSDConfigs {
		h := &HTTPSD{URL: string(c.URL), RefreshInterval: durationString(c.RefreshInterval)}
		var err error
		client := monitoringv1.HTTPClientConfig{BasicAuth: c.BasicAuth, Authorization: c.Authorization, OAuth2: c.OAuth2,
			FollowRedirects: c.FollowRedirects, EnableHTTP2: c.EnableHTTP2, ProxyConfig: c.ProxyConfig}
		if h.HTTPClient, err = s.httpClient(client); err != nil {
			return fmt.Errorf("httpSDConfigs[%d]: %w", i, err)
		}
		if h.TLSConfig, err = s.safeTLS("tlsConfig", c.TLSConfig); err != nil {
			return fmt.Errorf("httpSDConfigs[%d]: %w", i, err)
		}
		j.HTTPSDConfigs = append(j.HTTPSDConfigs, h)
	}
	for i := range src.KubernetesSDConfigs {
		k, err := kubernetesSD(&src.KubernetesSDConfigs[i], s)
		if err != nil {
			return fmt.Errorf("kubernetesSDConfigs[%d]: %w", i, err)
		}
		// Namespaces are as written, ignoreNamespaceSelectors or not: it
		// concerns ServiceMonitors, PodMonitors and Probes only, as in
		// Prometheus Operator (pkg/prometheus/promcfg.go:3669-3686).
		j.KubernetesSDConfigs = append(j.KubernetesSDConfigs, k)
	}
	for _, c := range src.DNSSDConfigs {
		d := &DNSSD{Names: c.Names, RefreshInterval: durationString(c.RefreshInterval), Port: c.Port}
		if c.Type != nil {
			d.Type = string(*c.Type)
		}
		j.DNSSDConfigs = append(j.DNSSDConfigs, d)
	}
	return nil
}

func kubernetesSD(c *monitoringv1alpha1.KubernetesSDConfig, s secrets) (*KubernetesSD, error) {
	k := &KubernetesSD{Role: strings.ToLower(string(c.Role))}
	if c.APIServer != nil {
		k.APIServer = *c.APIServer
	}
	if c.Namespaces != nil {
		k.Namespaces = &KubernetesSDNames{OwnNamespace: c.Namespaces.IncludeOwnNamespace, Names: c.Namespaces.Names}
	}
	k.AttachMetadata = attachMetadata(c.AttachMetadata)
	for _, sel := range c.Selectors {
		// label and field are written when set, even empty, as Prometheus
		// Operator writes them (pkg/prometheus/promcfg.go:3689-3702).
		k.Selectors = append(k.Selectors, KubernetesSDSelector{Role: strings.ToLower(string(sel.Role)), Label: sel.Label, Field: sel.Field})
	}
	var err error
	client := monitoringv1.HTTPClientConfig{BasicAuth: c.BasicAuth, Authorization: c.Authorization, OAuth2: c.OAuth2,
		FollowRedirects: c.FollowRedirects, EnableHTTP2: c.EnableHTTP2, ProxyConfig: c.ProxyConfig}
	if k.HTTPClient, err = s.httpClient(client); err != nil {
		return nil, err
	}
	if k.TLSConfig, err = s.safeTLS("tlsConfig", c.TLSConfig); err != nil {
		return nil, err
	}
	return k, nil
}

func durationString(d *monitoringv1.Duration) string {
	if d == nil {
		return ""
	}
	return string(*d)
}
