package amconfig

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"path"

	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/assets"
)

// TemplatesDir is where the Alertmanager workload mounts the templates of
// spec.alertmanagerConfiguration, one file per key, as Prometheus Operator
// does.
const TemplatesDir = "/etc/alertmanager/templates"

// document is a whole Alertmanager configuration, with its YAML names.
type document struct {
	Global        *globalConfig   `yaml:"global,omitempty"`
	Route         *route          `yaml:"route"`
	InhibitRules  []*inhibitRule  `yaml:"inhibit_rules,omitempty"`
	Receivers     []*receiver     `yaml:"receivers"`
	TimeIntervals []*timeInterval `yaml:"time_intervals,omitempty"`
	Templates     []string        `yaml:"templates,omitempty"`
}

// globalConfig is the part of Alertmanager's global section the API has.
type globalConfig struct {
	ResolveTimeout       string      `yaml:"resolve_timeout,omitempty"`
	HTTPConfig           *httpConfig `yaml:"http_config,omitempty"`
	SMTPFrom             string      `yaml:"smtp_from,omitempty"`
	SMTPHello            string      `yaml:"smtp_hello,omitempty"`
	SMTPSmarthost        string      `yaml:"smtp_smarthost,omitempty"`
	SMTPAuthUsername     string      `yaml:"smtp_auth_username,omitempty"`
	SMTPAuthPassword     string      `yaml:"smtp_auth_password,omitempty"`
	SMTPAuthIdentity     string      `yaml:"smtp_auth_identity,omitempty"`
	SMTPAuthSecret       string      `yaml:"smtp_auth_secret,omitempty"`
	SMTPRequireTLS       *bool       `yaml:"smtp_require_tls,omitempty"`
	SMTPTLSConfig        *tlsConfig  `yaml:"smtp_tls_config,omitempty"`
	SMTPForceImplicitTLS *bool       `yaml:"smtp_force_implicit_tls,omitempty"`
	SlackAPIURL          string      `yaml:"slack_api_url,omitempty"`
	OpsGenieAPIURL       string      `yaml:"opsgenie_api_url,omitempty"`
	OpsGenieAPIKey       string      `yaml:"opsgenie_api_key,omitempty"`
	PagerdutyURL         string      `yaml:"pagerduty_url,omitempty"`
}

// BaseFromAlertmanagerConfig builds the base configuration of an
// Alertmanager whose spec.alertmanagerConfiguration names amc, instead of
// the configuration Secret: amc's route is the root route (with no
// namespace matcher), plus the global section and templates of
// spec.alertmanagerConfiguration. Pass the result to Generate as base, with
// the selected AlertmanagerConfigs other than amc.
//
// An amc that cannot be converted is an error for the whole Alertmanager,
// as there is then no configuration to build on.
//
// It honours file references as FileReferencesAll does; GenerateFrom
// applies the policy Sources names.
func BaseFromAlertmanagerConfig(am *monitoringv1.Alertmanager, amc *monitoringv1alpha1.AlertmanagerConfig, store Store) ([]byte, error) {
	return baseFrom(am, amc, store, "")
}

func baseFrom(am *monitoringv1.Alertmanager, amc *monitoringv1alpha1.AlertmanagerConfig, store Store, files assets.FileReferencePolicy) ([]byte, error) {
	if am == nil || amc == nil {
		return nil, errors.New("no Alertmanager or AlertmanagerConfig object")
	}
	spec := am.Spec.AlertmanagerConfiguration
	if spec == nil {
		return nil, errors.New("spec.alertmanagerConfiguration is not set")
	}
	if amc.Namespace != am.Namespace || amc.Name != spec.Name {
		return nil, fmt.Errorf("spec.alertmanagerConfiguration names AlertmanagerConfig %s/%s, not %s/%s", am.Namespace, spec.Name, amc.Namespace, amc.Name)
	}
	if amc.Spec.Route == nil {
		return nil, fmt.Errorf("AlertmanagerConfig %s/%s: a route is required", amc.Namespace, amc.Name)
	}
	c := &converter{store: store, owner: ownerOf(am, files), scoped: func(string) bool { return false }, root: true}
	f, err := c.convert(amc)
	if err != nil {
		return nil, fmt.Errorf("AlertmanagerConfig %s/%s: %w", amc.Namespace, amc.Name, err)
	}
	doc := document{Route: f.route, InhibitRules: f.inhibitRules, Receivers: f.receivers, TimeIntervals: f.timeIntervals}
	r := &resolver{assets.NewResolver(store, am.Namespace, c.owner)}
	if doc.Global, err = convertGlobal(r, spec.Global); err != nil {
		return nil, fmt.Errorf("spec.alertmanagerConfiguration.global: %w", err)
	}
	for i, t := range spec.Templates {
		key, err := templateKey(t)
		if err != nil {
			return nil, fmt.Errorf("spec.alertmanagerConfiguration.templates[%d]: %w", i, err)
		}
		doc.Templates = append(doc.Templates, path.Join(TemplatesDir, key))
	}

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if _, err := config.Load(buf.String()); err != nil {
		return nil, fmt.Errorf("AlertmanagerConfig %s/%s: %w", amc.Namespace, amc.Name, loaderReason(err, &fragment{secrets: append(f.secrets, r.Secrets()...)}))
	}
	return buf.Bytes(), nil
}

func templateKey(t monitoringv1.SecretOrConfigMap) (string, error) {
	switch {
	case t.Secret != nil && t.ConfigMap != nil:
		return "", errors.New("secret and configMap are mutually exclusive")
	case t.Secret != nil:
		return t.Secret.Key, nil
	case t.ConfigMap != nil:
		return t.ConfigMap.Key, nil
	}
	return "", errors.New("one of secret and configMap is required")
}

func convertGlobal(r *resolver, in *monitoringv1.AlertmanagerGlobalConfig) (*globalConfig, error) {
	if in == nil {
		return nil, nil
	}
	out := &globalConfig{PagerdutyURL: derefString(in.PagerdutyURL)}
	var err error
	if in.ResolveTimeout != "" {
		if _, err := model.ParseDuration(string(in.ResolveTimeout)); err != nil {
			return nil, fmt.Errorf("resolveTimeout: %w", err)
		}
		out.ResolveTimeout = string(in.ResolveTimeout)
	}
	if h := in.HTTPConfig; h != nil {
		// The global client has the same fields as a receiver's.
		rc := &monitoringv1alpha1.HTTPConfig{
			Authorization: h.Authorization, BasicAuth: h.BasicAuth, OAuth2: h.OAuth2,
			BearerTokenSecret: h.BearerTokenSecret, TLSConfig: h.TLSConfig, ProxyConfig: h.ProxyConfig,
			FollowRedirects: h.FollowRedirects, EnableHTTP2: h.EnableHTTP2,
		}
		if out.HTTPConfig, err = convertHTTPConfig(r, rc); err != nil {
			return nil, fmt.Errorf("httpConfig: %w", err)
		}
	}
	if err := convertSMTP(r, in.SMTPConfig, out); err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	if in.SlackAPIURL != nil {
		if out.SlackAPIURL, err = secretURL(r, "slackApiUrl", in.SlackAPIURL); err != nil {
			return nil, err
		}
	}
	if in.OpsGenieAPIURL != nil {
		if out.OpsGenieAPIURL, err = secretURL(r, "opsGenieApiUrl", in.OpsGenieAPIURL); err != nil {
			return nil, err
		}
	}
	if in.OpsGenieAPIKey != nil {
		if out.OpsGenieAPIKey, err = r.secret(in.OpsGenieAPIKey); err != nil {
			return nil, fmt.Errorf("opsGenieApiKey: %w", err)
		}
	}
	return out, nil
}

func convertSMTP(r *resolver, in *monitoringv1.GlobalSMTPConfig, out *globalConfig) error {
	if in == nil {
		return nil
	}
	out.SMTPFrom = derefString(in.From)
	out.SMTPHello = derefString(in.Hello)
	out.SMTPAuthUsername = derefString(in.AuthUsername)
	out.SMTPAuthIdentity = derefString(in.AuthIdentity)
	out.SMTPRequireTLS = in.RequireTLS
	out.SMTPForceImplicitTLS = in.ForceImplicitTLS
	if in.SmartHost != nil {
		out.SMTPSmarthost = net.JoinHostPort(in.SmartHost.Host, in.SmartHost.Port)
	}
	var err error
	if in.AuthPassword != nil {
		if out.SMTPAuthPassword, err = r.secret(in.AuthPassword); err != nil {
			return fmt.Errorf("authPassword: %w", err)
		}
	}
	if in.AuthSecret != nil {
		if out.SMTPAuthSecret, err = r.secret(in.AuthSecret); err != nil {
			return fmt.Errorf("authSecret: %w", err)
		}
	}
	if out.SMTPTLSConfig, err = convertTLSConfig(r, in.TLSConfig); err != nil {
		return fmt.Errorf("tlsConfig: %w", err)
	}
	return nil
}
