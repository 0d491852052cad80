package amconfig

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/assets"
)

// httpConfig is prometheus/common's HTTP client configuration, with its YAML
// names. Credentials and TLS material are written inline: the configuration
// lives in a Secret, so they need no files mounted beside it.
type httpConfig struct {
	Authorization   *authorization `yaml:"authorization,omitempty"`
	BasicAuth       *basicAuth     `yaml:"basic_auth,omitempty"`
	OAuth2          *oauth2        `yaml:"oauth2,omitempty"`
	TLSConfig       *tlsConfig     `yaml:"tls_config,omitempty"`
	FollowRedirects *bool          `yaml:"follow_redirects,omitempty"`
	EnableHTTP2     *bool          `yaml:"enable_http2,omitempty"`
	proxyConfig     `yaml:",inline"`
}

type authorization struct {
	Type        string `yaml:"type,omitempty"`
	Credentials string `yaml:"credentials,omitempty"`
}

type basicAuth struct {
	Username string `yaml:"username,omitempty"`
	Password string `yaml:"password,omitempty"`
}

type oauth2 struct {
	ClientID       string            `yaml:"client_id,omitempty"`
	ClientSecret   string            `yaml:"client_secret,omitempty"`
	Scopes         []string          `yaml:"scopes,omitempty"`
	TokenURL       string            `yaml:"token_url,omitempty"`
	EndpointParams map[string]string `yaml:"endpoint_params,omitempty"`
	TLSConfig      *tlsConfig        `yaml:"tls_config,omitempty"`
	proxyConfig    `yaml:",inline"`
}

type tlsConfig struct {
	CA                 string `yaml:"ca,omitempty"`
	Cert               string `yaml:"cert,omitempty"`
	Key                string `yaml:"key,omitempty"`
	ServerName         string `yaml:"server_name,omitempty"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify,omitempty"`
	MinVersion         string `yaml:"min_version,omitempty"`
	MaxVersion         string `yaml:"max_version,omitempty"`
}

type proxyConfig struct {
	ProxyURL             string              `yaml:"proxy_url,omitempty"`
	NoProxy              string              `yaml:"no_proxy,omitempty"`
	ProxyFromEnvironment bool                `yaml:"proxy_from_environment,omitempty"`
	ProxyConnectHeader   map[string][]string `yaml:"proxy_connect_header,omitempty"`
}

// convertHTTPConfig converts a receiver's httpConfig. It returns nil for an
// empty one, so that the global http_config still applies: Alertmanager
// uses a receiver's http_config instead of the global one, not on top of it.
func convertHTTPConfig(r *resolver, in *monitoringv1alpha1.HTTPConfig) (*httpConfig, error) {
	if in == nil {
		return nil, nil
	}
	out := &httpConfig{FollowRedirects: in.FollowRedirects, EnableHTTP2: in.EnableHTTP2}
	var err error
	if out.proxyConfig, err = convertProxyConfig(r, in.ProxyConfig); err != nil {
		return nil, err
	}
	// proxyURL is the older spelling and wins, as with Prometheus Operator.
	field := "proxyUrl"
	if v := derefString(in.ProxyURLOverride); v != "" {
		field, out.ProxyURL = "proxyURL", v
	}
	if err := checkProxyURL(field, out.ProxyURL); err != nil {
		return nil, err
	}
	if in.BasicAuth != nil {
		if out.BasicAuth, err = convertBasicAuth(r, in.BasicAuth); err != nil {
			return nil, fmt.Errorf("basicAuth: %w", err)
		}
	}
	if in.Authorization != nil {
		if in.Authorization.Credentials == nil {
			return nil, errors.New("authorization: credentials is required")
		}
		if out.Authorization, err = bearer(r, in.Authorization.Type, in.Authorization); err != nil {
			return nil, fmt.Errorf("authorization: %w", err)
		}
	}
	// The deprecated bearerTokenSecret becomes the authorization header it
	// stands for; Alertmanager's loader does the same with bearer_token.
	if in.BearerTokenSecret != nil && out.Authorization == nil {
		a := &monitoringv1.SafeAuthorization{Credentials: in.BearerTokenSecret}
		if out.Authorization, err = bearer(r, "", a); err != nil {
			return nil, fmt.Errorf("bearerTokenSecret: %w", err)
		}
	}
	if in.OAuth2 != nil {
		if out.OAuth2, err = convertOAuth2(r, in.OAuth2); err != nil {
			return nil, fmt.Errorf("oauth2: %w", err)
		}
	}
	if out.TLSConfig, err = convertTLSConfig(r, in.TLSConfig); err != nil {
		return nil, fmt.Errorf("tlsConfig: %w", err)
	}
	if reflect.ValueOf(*out).IsZero() {
		return nil, nil
	}
	return out, nil
}

func bearer(r *resolver, typ string, in *monitoringv1.SafeAuthorization) (*authorization, error) {
	if strings.EqualFold(typ, "basic") {
		return nil, errors.New(`type "Basic" is not allowed: use basicAuth`)
	}
	creds, err := r.secret(in.Credentials)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	// An empty Secret value gives no header, as with Prometheus Operator.
	if creds == "" {
		return nil, nil
	}
	if typ == "" {
		typ = "Bearer"
	}
	return &authorization{Type: typ, Credentials: creds}, nil
}

func convertBasicAuth(r *resolver, in *monitoringv1.BasicAuth) (*basicAuth, error) {
	var out basicAuth
	var err error
	if in.Username.Name != "" || in.Username.Key != "" {
		if out.Username, err = r.secret(&in.Username); err != nil {
			return nil, fmt.Errorf("username: %w", err)
		}
	}
	if in.Password.Name != "" || in.Password.Key != "" {
		if out.Password, err = r.secret(&in.Password); err != nil {
			return nil, fmt.Errorf("password: %w", err)
		}
	}
	if out == (basicAuth{}) {
		return nil, nil
	}
	return &out, nil
}

func convertOAuth2(r *resolver, in *monitoringv1.OAuth2) (*oauth2, error) {
	id, err := r.secretOrConfigMap(in.ClientID)
	if err != nil {
		return nil, fmt.Errorf("clientId: %w", err)
	}
	secret, err := r.secret(&in.ClientSecret)
	if err != nil {
		return nil, fmt.Errorf("clientSecret: %w", err)
	}
	out := &oauth2{
		ClientID:       id,
		ClientSecret:   secret,
		Scopes:         in.Scopes,
		TokenURL:       in.TokenURL,
		EndpointParams: in.EndpointParams,
	}
	if out.proxyConfig, err = convertProxyConfig(r, in.ProxyConfig); err != nil {
		return nil, err
	}
	if err := checkProxyURL("proxyUrl", out.ProxyURL); err != nil {
		return nil, err
	}
	if out.TLSConfig, err = convertTLSConfig(r, in.TLSConfig); err != nil {
		return nil, fmt.Errorf("tlsConfig: %w", err)
	}
	return out, nil
}

func convertProxyConfig(r *resolver, in monitoringv1.ProxyConfig) (proxyConfig, error) {
	out := proxyConfig{
		ProxyURL:             derefString(in.ProxyURL),
		NoProxy:              derefString(in.NoProxy),
		ProxyFromEnvironment: in.ProxyFromEnvironment != nil && *in.ProxyFromEnvironment,
	}

	if len(in.ProxyConnectHeader) == 0 {
		return out, nil
	}
	out.ProxyConnectHeader = make(map[string][]string, len(in.ProxyConnectHeader))
	// Sorted so that the first missing Secret reported is always the same.
	headers := make([]string, 0, len(in.ProxyConnectHeader))
	for h := range in.ProxyConnectHeader {
		headers = append(headers, h)
	}
	slices.Sort(headers)
	for _, h := range headers {
		values := []string{}
		for i := range in.ProxyConnectHeader[h] {
			v, err := r.secret(&in.ProxyConnectHeader[h][i])
			if err != nil {
				return out, fmt.Errorf("proxyConnectHeader[%q][%d]: %w", h, i, err)
			}
			values = append(values, v)
		}
		out.ProxyConnectHeader[h] = values
	}
	return out, nil
}

// checkProxyURL refuses a proxy URL Go's HTTP client cannot use: it would
// fail every notification, and Alertmanager's loader only checks that it
// parses.
func checkProxyURL(field, u string) error {
	if u == "" {
		return nil
	}
	if err := assets.CheckProxyURL(u); err != nil {
		return fmt.Errorf("%s %w", field, err)
	}
	return nil
}

// convertTLSConfig writes the TLS material inline and checks it, so that
// a wrong key or a CA that is not PEM refuses the object now rather than
// failing each notification later.
func convertTLSConfig(r *resolver, in *monitoringv1.SafeTLSConfig) (*tlsConfig, error) {
	if in == nil {
		return nil, nil
	}
	out := &tlsConfig{
		ServerName:         derefString(in.ServerName),
		InsecureSkipVerify: in.InsecureSkipVerify != nil && *in.InsecureSkipVerify,
	}
	if in.MinVersion != nil {
		out.MinVersion = string(*in.MinVersion)
	}
	if in.MaxVersion != nil {
		out.MaxVersion = string(*in.MaxVersion)
	}
	var err error
	if out.CA, err = r.secretOrConfigMap(in.CA); err != nil {
		return nil, fmt.Errorf("ca: %w", err)
	}
	if out.CA != "" {
		if err := assets.CheckCA(out.CA); err != nil {
			return nil, fmt.Errorf("ca: %w", err)
		}
	}
	if out.Cert, err = r.secretOrConfigMap(in.Cert); err != nil {
		return nil, fmt.Errorf("cert: %w", err)
	}
	if in.KeySecret != nil {
		if out.Key, err = r.secret(in.KeySecret); err != nil {
			return nil, fmt.Errorf("keySecret: %w", err)
		}
	}
	switch {
	case out.Cert != "" && out.Key != "":
		if err := assets.CheckKeyPair(out.Cert, out.Key); err != nil {
			return nil, fmt.Errorf("cert and keySecret: %w", err)
		}
	case out.Cert != "" || out.Key != "":
		return nil, errors.New("cert and keySecret must be set together")
	}
	if *out == (tlsConfig{}) {
		return nil, nil
	}
	return out, nil
}
