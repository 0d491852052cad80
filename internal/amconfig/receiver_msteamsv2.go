package amconfig

import (
	"fmt"

	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// msTeamsV2Config is Alertmanager's msteamsv2_configs entry.
type msTeamsV2Config struct {
	SendResolved *bool       `yaml:"send_resolved,omitempty"`
	WebhookURL   string      `yaml:"webhook_url,omitempty"`
	Title        string      `yaml:"title,omitempty"`
	Text         string      `yaml:"text,omitempty"`
	HTTPConfig   *httpConfig `yaml:"http_config,omitempty"`
}

func addMSTeamsV2Configs(r *resolver, in *monitoringv1alpha1.Receiver, out *receiver) (err error) {
	out.MSTeamsV2Configs, err = convertEach(r, "msteamsv2Configs", in.MSTeamsV2Configs, convertMSTeamsV2)
	return err
}

func convertMSTeamsV2(r *resolver, in *monitoringv1alpha1.MSTeamsV2Config) (*msTeamsV2Config, error) {
	out := &msTeamsV2Config{
		SendResolved: in.SendResolved,
		Title:        derefString(in.Title),
		Text:         derefString(in.Text),
	}
	var err error
	if in.WebhookURL != nil {
		if out.WebhookURL, err = secretURL(r, "webhookURL", in.WebhookURL); err != nil {
			return nil, err
		}
	}
	if out.HTTPConfig, err = convertHTTPConfig(r, in.HTTPConfig); err != nil {
		return nil, fmt.Errorf("httpConfig: %w", err)
	}
	return out, nil
}
