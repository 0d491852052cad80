package promconfig

import (
	"errors"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// endpoint is what ServiceMonitor and PodMonitor endpoints share.
type endpoint struct {
	honorLabels              bool
	honorTimestamps          *bool
	trackTimestampsStaleness *bool
	interval, scrapeTimeout  monitoringv1.Duration
	path                     string
	params                   map[string][]string
	scheme                   *monitoringv1.Scheme
	client                   monitoringv1.HTTPClientConfig
}

// endpointJob starts the job of a monitor's endpoint: its discovery, its
// scrape settings and its HTTP client. The caller adds TLS and relabeling.
func endpointJob(name string, sd *KubernetesSD, ep endpoint, protocols []monitoringv1.ScrapeProtocol, fallback *monitoringv1.ScrapeProtocol, s secrets) (*ScrapeConfig, error) {
	j := &ScrapeConfig{
		JobName:                  name,
		HonorLabels:              ptr(ep.honorLabels),
		HonorTimestamps:          ep.honorTimestamps,
		TrackTimestampsStaleness: ep.trackTimestampsStaleness,
		KubernetesSDConfigs:      []*KubernetesSD{sd},
		ScrapeInterval:           string(ep.interval),
		ScrapeTimeout:            string(ep.scrapeTimeout),
		MetricsPath:              ep.path,
		Params:                   ep.params,
		Scheme:                   lower(ep.scheme),
	}
	j.ScrapeProtocols, j.FallbackScrapeProtocol = scrapeProtocols(protocols, fallback)
	// An endpoint's authorization must carry credentials, as Prometheus
	// Operator checks for monitors (SafeAuthorization.Validate), so a
	// scrape class never completes it; a Probe's or ScrapeConfig's may
	// give only the type.
	if a := ep.client.Authorization; a != nil && a.Credentials == nil {
		return nil, errors.New("authorization: credentials are required")
	}
	var err error
	j.HTTPClient, err = s.httpClient(ep.client)
	return j, err
}
