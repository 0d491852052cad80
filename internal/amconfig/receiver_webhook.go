package amconfig

import (
	"errors"
	"fmt"
	"strings"

	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// webhookConfig is Alertmanager's webhook_configs entry.
type webhookConfig struct {
	SendResolved *bool       `yaml:"send_resolved,omitempty"`
	URL          string      `yaml:"url,omitempty"`
	MaxAlerts    int32       `yaml:"max_alerts,omitempty"`
	Timeout      string      `yaml:"timeout,omitempty"`
	Payload      *string     `yaml:"payload,omitempty"`
	HTTPConfig   *httpConfig `yaml:"http_config,omitempty"`
}

func addWebhookConfigs(r *resolver, in *monitoringv1alpha1.Receiver, out *receiver) (err error) {
	out.WebhookConfigs, err = convertEach(r, "webhookConfigs", in.WebhookConfigs, convertWebhook)
	return err
}

func convertWebhook(r *resolver, in *monitoringv1alpha1.WebhookConfig) (*webhookConfig, error) {
	out := &webhookConfig{SendResolved: in.SendResolved, MaxAlerts: in.MaxAlerts, Payload: in.Payload}
	var err error
	switch {
	// urlSecret wins over url, as with Prometheus Operator.
	case in.URLSecret != nil:
		if out.URL, err = secretURL(r, "urlSecret", in.URLSecret); err != nil {
			return nil, err
		}
	case in.URL != nil:
		out.URL = *in.URL
		// Alertmanager allows a template here; it checks those itself.
		if !strings.Contains(out.URL, "{{") {
			if err := checkURL(out.URL); err != nil {
				return nil, fmt.Errorf("url %q %w", out.URL, err)
			}
		}
	default:
		return nil, errors.New("one of url and urlSecret is required")
	}
	if out.Timeout, err = goDuration("timeout", in.Timeout); err != nil {
		return nil, err
	}
	if out.HTTPConfig, err = convertHTTPConfig(r, in.HTTPConfig); err != nil {
		return nil, fmt.Errorf("httpConfig: %w", err)
	}
	return out, nil
}
