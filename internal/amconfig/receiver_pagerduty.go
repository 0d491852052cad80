package amconfig

import (
	"fmt"

	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// pagerdutyConfig is Alertmanager's pagerduty_configs entry.
type pagerdutyConfig struct {
	SendResolved *bool             `yaml:"send_resolved,omitempty"`
	RoutingKey   string            `yaml:"routing_key,omitempty"`
	ServiceKey   string            `yaml:"service_key,omitempty"`
	URL          string            `yaml:"url,omitempty"`
	Client       string            `yaml:"client,omitempty"`
	ClientURL    *string           `yaml:"client_url,omitempty"`
	Description  string            `yaml:"description,omitempty"`
	Details      map[string]string `yaml:"details,omitempty"`
	Images       []pagerdutyImage  `yaml:"images,omitempty"`
	Links        []pagerdutyLink   `yaml:"links,omitempty"`
	Source       string            `yaml:"source,omitempty"`
	Severity     string            `yaml:"severity,omitempty"`
	Class        string            `yaml:"class,omitempty"`
	Component    string            `yaml:"component,omitempty"`
	Group        string            `yaml:"group,omitempty"`
	Timeout      string            `yaml:"timeout,omitempty"`
	HTTPConfig   *httpConfig       `yaml:"http_config,omitempty"`
}

type pagerdutyImage struct {
	Src  string `yaml:"src,omitempty"`
	Alt  string `yaml:"alt,omitempty"`
	Href string `yaml:"href,omitempty"`
}

type pagerdutyLink struct {
	Href string `yaml:"href,omitempty"`
	Text string `yaml:"text,omitempty"`
}

func addPagerdutyConfigs(r *resolver, in *monitoringv1alpha1.Receiver, out *receiver) (err error) {
	out.PagerdutyConfigs, err = convertEach(r, "pagerdutyConfigs", in.PagerDutyConfigs, convertPagerduty)
	return err
}

func convertPagerduty(r *resolver, in *monitoringv1alpha1.PagerDutyConfig) (*pagerdutyConfig, error) {
	out := &pagerdutyConfig{
		SendResolved: in.SendResolved,
		Client:       derefString(in.Client),
		// An empty clientURL is kept: it removes Alertmanager's default link.
		ClientURL:   in.ClientURL,
		Description: derefString(in.Description),
		Source:      derefString(in.Source),
		Severity:    derefString(in.Severity),
		Class:       derefString(in.Class),
		Component:   derefString(in.Component),
		Group:       derefString(in.Group),
	}
	if in.URL != nil {
		out.URL = string(*in.URL)
	}
	var err error
	if in.RoutingKey != nil {
		if out.RoutingKey, err = r.secret(in.RoutingKey); err != nil {
			return nil, fmt.Errorf("routingKey: %w", err)
		}
	}
	if in.ServiceKey != nil {
		if out.ServiceKey, err = r.secret(in.ServiceKey); err != nil {
			return nil, fmt.Errorf("serviceKey: %w", err)
		}
	}
	if out.Details, err = keyValues("details", in.Details, nil); err != nil {
		return nil, err
	}
	for _, img := range in.PagerDutyImageConfigs {
		out.Images = append(out.Images, pagerdutyImage{Src: derefString(img.Src), Alt: derefString(img.Alt), Href: derefString(img.Href)})
	}
	for _, l := range in.PagerDutyLinkConfigs {
		out.Links = append(out.Links, pagerdutyLink{Href: derefString(l.Href), Text: derefString(l.Text)})
	}
	if out.Timeout, err = goDuration("timeout", in.Timeout); err != nil {
		return nil, err
	}
	if out.HTTPConfig, err = convertHTTPConfig(r, in.HTTPConfig); err != nil {
		return nil, fmt.Errorf("httpConfig: %w", err)
	}
	return out, nil
}
