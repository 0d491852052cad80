package amconfig

import (
	"fmt"
	"net/textproto"

	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// emailConfig is Alertmanager's email_configs entry. Unset fields take the
// global smtp_* settings.
type emailConfig struct {
	SendResolved     *bool             `yaml:"send_resolved,omitempty"`
	To               string            `yaml:"to,omitempty"`
	From             string            `yaml:"from,omitempty"`
	Hello            string            `yaml:"hello,omitempty"`
	Smarthost        string            `yaml:"smarthost,omitempty"`
	AuthUsername     string            `yaml:"auth_username,omitempty"`
	AuthPassword     string            `yaml:"auth_password,omitempty"`
	AuthSecret       string            `yaml:"auth_secret,omitempty"`
	AuthIdentity     string            `yaml:"auth_identity,omitempty"`
	Headers          map[string]string `yaml:"headers,omitempty"`
	HTML             *string           `yaml:"html,omitempty"`
	Text             *string           `yaml:"text,omitempty"`
	RequireTLS       *bool             `yaml:"require_tls,omitempty"`
	TLSConfig        *tlsConfig        `yaml:"tls_config,omitempty"`
	ForceImplicitTLS *bool             `yaml:"force_implicit_tls,omitempty"`
	Threading        *emailThreading   `yaml:"threading,omitempty"`
}

type emailThreading struct {
	Enabled      bool   `yaml:"enabled"`
	ThreadByDate string `yaml:"thread_by_date"`
}

// threadByDate maps the CRD's enum to Alertmanager's values.
var threadByDate = map[monitoringv1alpha1.ThreadByDate]string{
	monitoringv1alpha1.ThreadByDateDaily: "daily",
	monitoringv1alpha1.ThreadByDateNone:  "none",
}

func addEmailConfigs(r *resolver, in *monitoringv1alpha1.Receiver, out *receiver) (err error) {
	out.EmailConfigs, err = convertEach(r, "emailConfigs", in.EmailConfigs, convertEmail)
	return err
}

func convertEmail(r *resolver, in *monitoringv1alpha1.EmailConfig) (*emailConfig, error) {
	out := &emailConfig{
		SendResolved:     in.SendResolved,
		To:               derefString(in.To),
		From:             derefString(in.From),
		Hello:            derefString(in.Hello),
		Smarthost:        derefString(in.Smarthost),
		AuthUsername:     derefString(in.AuthUsername),
		AuthIdentity:     derefString(in.AuthIdentity),
		HTML:             in.HTML,
		Text:             in.Text,
		RequireTLS:       in.RequireTLS,
		ForceImplicitTLS: in.ForceImplicitTLS,
	}
	var err error
	if in.AuthPassword != nil {
		if out.AuthPassword, err = r.secret(in.AuthPassword); err != nil {
			return nil, fmt.Errorf("authPassword: %w", err)
		}
	}
	if in.AuthSecret != nil {
		if out.AuthSecret, err = r.secret(in.AuthSecret); err != nil {
			return nil, fmt.Errorf("authSecret: %w", err)
		}
	}
	// Header names are case-insensitive: Alertmanager refuses two that
	// differ only in case.
	if out.Headers, err = keyValues("headers", in.Headers, textproto.CanonicalMIMEHeaderKey); err != nil {
		return nil, err
	}
	if out.TLSConfig, err = convertTLSConfig(r, in.TLSConfig); err != nil {
		return nil, fmt.Errorf("tlsConfig: %w", err)
	}
	if in.Threading != nil {
		by, ok := threadByDate[in.Threading.ThreadByDate]
		if !ok {
			return nil, fmt.Errorf("threading: unknown threadByDate %q", in.Threading.ThreadByDate)
		}
		out.Threading = &emailThreading{Enabled: true, ThreadByDate: by}
	}
	return out, nil
}
