package amconfig

import (
	"fmt"

	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// opsGenieConfig is Alertmanager's opsgenie_configs entry.
type opsGenieConfig struct {
	SendResolved *bool               `yaml:"send_resolved,omitempty"`
	APIKey       string              `yaml:"api_key,omitempty"`
	APIURL       string              `yaml:"api_url,omitempty"`
	Message      string              `yaml:"message,omitempty"`
	Description  string              `yaml:"description,omitempty"`
	Source       string              `yaml:"source,omitempty"`
	Details      map[string]string   `yaml:"details,omitempty"`
	Entity       string              `yaml:"entity,omitempty"`
	Responders   []opsGenieResponder `yaml:"responders,omitempty"`
	Actions      string              `yaml:"actions,omitempty"`
	Tags         string              `yaml:"tags,omitempty"`
	Note         string              `yaml:"note,omitempty"`
	Priority     string              `yaml:"priority,omitempty"`
	UpdateAlerts bool                `yaml:"update_alerts,omitempty"`
	HTTPConfig   *httpConfig         `yaml:"http_config,omitempty"`
}

type opsGenieResponder struct {
	ID       string `yaml:"id,omitempty"`
	Name     string `yaml:"name,omitempty"`
	Username string `yaml:"username,omitempty"`
	Type     string `yaml:"type"`
}

func addOpsGenieConfigs(r *resolver, in *monitoringv1alpha1.Receiver, out *receiver) (err error) {
	out.OpsGenieConfigs, err = convertEach(r, "opsgenieConfigs", in.OpsGenieConfigs, convertOpsGenie)
	return err
}

func convertOpsGenie(r *resolver, in *monitoringv1alpha1.OpsGenieConfig) (*opsGenieConfig, error) {
	out := &opsGenieConfig{
		SendResolved: in.SendResolved,
		Message:      derefString(in.Message),
		Description:  derefString(in.Description),
		Source:       derefString(in.Source),
		Entity:       derefString(in.Entity),
		Actions:      derefString(in.Actions),
		Tags:         derefString(in.Tags),
		Note:         derefString(in.Note),
		Priority:     derefString(in.Priority),
		UpdateAlerts: in.UpdateAlerts != nil && *in.UpdateAlerts,
	}
	if in.APIURL != nil {
		out.APIURL = string(*in.APIURL)
	}
	var err error
	// Unset, Alertmanager uses the global opsgenie_api_key.
	if in.APIKey != nil {
		if out.APIKey, err = r.secret(in.APIKey); err != nil {
			return nil, fmt.Errorf("apiKey: %w", err)
		}
	}
	if out.Details, err = keyValues("details", in.Details, nil); err != nil {
		return nil, err
	}
	for _, resp := range in.Responders {
		out.Responders = append(out.Responders, opsGenieResponder{
			ID:       derefString(resp.ID),
			Name:     derefString(resp.Name),
			Username: derefString(resp.Username),
			Type:     string(resp.Type),
		})
	}
	if out.HTTPConfig, err = convertHTTPConfig(r, in.HTTPConfig); err != nil {
		return nil, fmt.Errorf("httpConfig: %w", err)
	}
	return out, nil
}
