package promconfig

import (
	"fmt"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

const defaultProbePath = "/probe"

// probeJobs makes the job of a Probe, named probe/<namespace>/<name>: the
// prober (a blackbox exporter, say) is scraped with each target as the
// `target` parameter.
func (g *generator) probeJobs(p *monitoringv1.Probe) ([]*ScrapeConfig, error) {
	class, err := g.classes.of(p.Spec.ScrapeClassName)
	if err != nil {
		return nil, err
	}
	s := g.secretsFor("Probe", p.Namespace, p.Name)
	j := &ScrapeConfig{
		JobName:        fmt.Sprintf("probe/%s/%s", p.Namespace, p.Name),
		ScrapeInterval: string(p.Spec.Interval),
		ScrapeTimeout:  string(p.Spec.ScrapeTimeout),
		MetricsPath:    orDefault(p.Spec.ProberSpec.Path, defaultProbePath),
		Scheme:         lower(p.Spec.ProberSpec.Scheme),
		Params:         probeParams(p),
	}
	j.ScrapeProtocols, j.FallbackScrapeProtocol = scrapeProtocols(p.Spec.ScrapeProtocols, class.fallbackScrapeProtocol(p.Spec.FallbackScrapeProtocol))
	client := monitoringv1.HTTPClientConfig{
		BasicAuth: p.Spec.BasicAuth, Authorization: p.Spec.Authorization, OAuth2: p.Spec.OAuth2,
		BearerTokenSecret: p.Spec.BearerTokenSecret, FollowRedirects: p.Spec.FollowRedirects,
		EnableHTTP2: p.Spec.EnableHTTP2, ProxyConfig: p.Spec.ProberSpec.ProxyConfig,
	}
	if j.HTTPClient, err = s.httpClient(client); err != nil {
		return nil, err
	}
	own, err := s.resolveTLS("tlsConfig", p.Spec.TLSConfig)
	if err != nil {
		return nil, err
	}
	if j.TLSConfig, err = class.checkedTLS("tlsConfig", own, ownSafeTLS(p.Spec.TLSConfig)); err != nil {
		return nil, err
	}
	if err := class.authorization(p.Spec.Authorization, named(p.Spec.BearerTokenSecret), &j.HTTPClient); err != nil {
		return nil, err
	}

	enforced := g.enforcedNamespaceLabel("probes", p.Namespace, p.Name)
	rules := []*RelabelConfig{jobNameRule()}
	if p.Spec.JobName != "" {
		rules = append(rules, &RelabelConfig{TargetLabel: "job", Replacement: ptr(p.Spec.JobName)})
	}
	switch t := p.Spec.Targets; {
	case t.StaticConfig != nil:
		labels := map[string]string{"namespace": p.Namespace}
		for k, v := range t.StaticConfig.Labels {
			labels[k] = v
		}
		j.StaticConfigs = []*StaticConfig{{Targets: t.StaticConfig.Targets, Labels: labels}}
		rules = append(rules,
			copyLabel("__address__", "__param_target"),
			copyLabel("__param_target", "instance"),
			&RelabelConfig{TargetLabel: "__address__", Replacement: ptr(p.Spec.ProberSpec.URL)},
		)
		rules = append(rules, class.relabelings()...)
		rules = append(rules, userRules(t.StaticConfig.RelabelConfigs, enforced, p.Namespace)...)
	case t.Ingress != nil:
		if err := checkSelector("targets.ingress.selector", t.Ingress.Selector); err != nil {
			return nil, err
		}
		j.KubernetesSDConfigs = []*KubernetesSD{{Role: "ingress", Namespaces: g.namespaces(p.Namespace, t.Ingress.NamespaceSelector)}}
		rules = append(rules, selectorRules("__meta_kubernetes_ingress", t.Ingress.Selector)...)
		rules = append(rules,
			// The probed URL is the ingress's scheme, host and path.
			&RelabelConfig{
				SourceLabels: []string{"__meta_kubernetes_ingress_scheme", "__address__", "__meta_kubernetes_ingress_path"},
				Separator:    ptr(";"),
				Regex:        "(.+);(.+);(.+)",
				TargetLabel:  "__param_target",
				Replacement:  ptr("${1}://${2}${3}"),
				Action:       "replace",
			},
			copyLabel("__meta_kubernetes_namespace", "namespace"),
			copyLabel("__meta_kubernetes_ingress_name", "ingress"),
			// Keep the ingress's address for users' relabelings, as
			// Prometheus Operator does.
			&RelabelConfig{
				SourceLabels: []string{"__address__"},
				Separator:    ptr(";"),
				Regex:        "(.*)",
				TargetLabel:  "__tmp_ingress_address",
				Replacement:  ptr("$1"),
				Action:       "replace",
			},
			copyLabel("__param_target", "instance"),
			&RelabelConfig{TargetLabel: "__address__", Replacement: ptr(p.Spec.ProberSpec.URL)},
		)
		rules = append(rules, class.relabelings()...)
		rules = append(rules, userRules(t.Ingress.RelabelConfigs, enforced, p.Namespace)...)
	default:
		return nil, fmt.Errorf("targets: neither staticConfig nor ingress is set")
	}
	j.RelabelConfigs = append(rules, shardingRules(g.shards, "__param_target")...)
	j.MetricRelabelConfigs = class.metricRelabelings(userRules(p.Spec.MetricRelabelConfigs, enforced, p.Namespace))
	if j.Limits, err = g.limits(p.Spec.ScrapeLimits, nil, p.Spec.NativeHistogramConfig); err != nil {
		return nil, err
	}
	return []*ScrapeConfig{j}, nil
}

// probeParams are the module and the extra parameters sent to the prober.
func probeParams(p *monitoringv1.Probe) map[string][]string {
	params := map[string][]string{}
	if p.Spec.Module != "" {
		params["module"] = []string{p.Spec.Module}
	}
	for _, pp := range p.Spec.Params {
		// spec.module wins over a "module" parameter, as with Prometheus
		// Operator: the prober takes one module.
		if pp.Name == "module" && p.Spec.Module != "" {
			continue
		}
		params[pp.Name] = append(params[pp.Name], pp.Values...)
	}
	if len(params) == 0 {
		return nil
	}
	return params
}
