package promconfig

import (
	"fmt"
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/assets"
)

// secrets resolves references for one object, in its own namespace, with
// the rules of assets.Resolver, and says which field an error is about.
type secrets struct{ *assets.Resolver }

// secret resolves sel. A selector without a name is a field not set: the
// API's value-typed selectors (basicAuth's username and password) are
// empty when not set.
func (s secrets) secret(field string, sel *corev1.SecretKeySelector) (string, error) {
	if sel == nil || sel.Name == "" {
		return "", nil
	}
	v, err := s.Secret(sel)
	if err != nil {
		return "", fmt.Errorf("%s: %w", field, err)
	}
	return v, nil
}

func (s secrets) secretOrConfigMap(field string, ref monitoringv1.SecretOrConfigMap) (string, error) {
	v, err := s.SecretOrConfigMap(ref)
	if err != nil {
		return "", fmt.Errorf("%s: %w", field, err)
	}
	return v, nil
}

// safeTLS converts a TLS configuration whose material comes from Secrets and
// ConfigMaps.
func (s secrets) safeTLS(field string, c *monitoringv1.SafeTLSConfig) (*TLSConfig, error) {
	out, err := s.resolveTLS(field, c)
	if err != nil {
		return nil, err
	}
	return out, checkTLS(field, out)
}

// resolveTLS reads the TLS material of c from Secrets and ConfigMaps.
func (s secrets) resolveTLS(field string, c *monitoringv1.SafeTLSConfig) (*TLSConfig, error) {
	if c == nil {
		return nil, nil
	}
	out := &TLSConfig{
		InsecureSkipVerify: c.InsecureSkipVerify != nil && *c.InsecureSkipVerify,
		MinVersion:         tlsVersion(c.MinVersion),
		MaxVersion:         tlsVersion(c.MaxVersion),
	}
	if c.ServerName != nil {
		out.ServerName = *c.ServerName
	}
	var err error
	if out.CA, err = s.secretOrConfigMap(field+".ca", c.CA); err != nil {
		return nil, err
	}
	if out.Cert, err = s.secretOrConfigMap(field+".cert", c.Cert); err != nil {
		return nil, err
	}
	if out.Key, err = s.secret(field+".keySecret", c.KeySecret); err != nil {
		return nil, err
	}
	return out, nil
}

// tls converts a TLS configuration that may also name files. Whether an
// object may name files is the caller's to check (see checkFiles).
func (s secrets) tls(field string, c *monitoringv1.TLSConfig) (*TLSConfig, error) {
	out, err := s.resolveTLSWithFiles(field, c)
	if err != nil {
		return nil, err
	}
	return out, checkTLS(field, out)
}

// resolveTLSWithFiles reads the TLS material of c, which may also name
// files, without checking it: an object's TLS is checked once merged with
// its scrape class's (see scrapeClass.checkedTLS).
func (s secrets) resolveTLSWithFiles(field string, c *monitoringv1.TLSConfig) (*TLSConfig, error) {
	if c == nil {
		return nil, nil
	}
	out, err := s.resolveTLS(field, c.Safe())
	if err != nil {
		return nil, err
	}
	out.CAFile, out.CertFile, out.KeyFile = c.CAFile, c.CertFile, c.KeyFile
	return out, nil
}

// checkTLS finds what Prometheus would only find when it connects, and
// then at every scrape: a CA that is not PEM, a client certificate without
// its key (or a key without its certificate), a certificate and key that
// do not go together. Files cannot be read here; material from a Secret
// or ConfigMap beside a file is checked on its own.
func checkTLS(field string, c *TLSConfig) error {
	if c == nil {
		return nil
	}
	if c.CA != "" {
		if err := assets.CheckCA(c.CA); err != nil {
			return fmt.Errorf("%s.ca: %w", field, err)
		}
	}
	hasCert, hasKey := c.Cert != "" || c.CertFile != "", c.Key != "" || c.KeyFile != ""
	var err error
	switch {
	case hasCert && !hasKey:
		return fmt.Errorf("%s: a client certificate (cert or certFile) needs its key (keySecret or keyFile)", field)
	case hasKey && !hasCert:
		return fmt.Errorf("%s: a client key (keySecret or keyFile) needs its certificate (cert or certFile)", field)
	case c.Cert != "" && c.Key != "":
		if err = assets.CheckKeyPair(c.Cert, c.Key); err != nil {
			err = fmt.Errorf("%s.cert and keySecret: %w", field, err)
		}
	case c.Cert != "":
		if err = assets.CheckCertificate(c.Cert); err != nil {
			err = fmt.Errorf("%s.cert: %w", field, err)
		}
	case c.Key != "":
		if err = assets.CheckPrivateKey(c.Key); err != nil {
			err = fmt.Errorf("%s.keySecret: %w", field, err)
		}
	}
	return err
}

func tlsVersion(v *monitoringv1.TLSVersion) string {
	if v == nil {
		return ""
	}
	return string(*v)
}

// httpClient converts the authentication and connection settings shared by
// every kind of endpoint.
func (s secrets) httpClient(c monitoringv1.HTTPClientConfig) (HTTPClient, error) {
	out := HTTPClient{FollowRedirects: c.FollowRedirects, EnableHTTP2: c.EnableHTTP2}
	var err error
	if out.BasicAuth, err = s.basicAuth(c.BasicAuth); err != nil {
		return out, err
	}
	if out.Authorization, err = s.authorization(c.Authorization); err != nil {
		return out, err
	}
	if c.BearerTokenSecret != nil && c.BearerTokenSecret.Name != "" {
		token, err := s.secret("bearerTokenSecret", c.BearerTokenSecret)
		if err != nil {
			return out, err
		}
		out.Authorization = &Authorization{Type: "Bearer", Credentials: token}
	}
	if out.OAuth2, err = s.oauth2(c.OAuth2); err != nil {
		return out, err
	}
	if out.ProxyConfig, err = s.proxy(c.ProxyConfig); err != nil {
		return out, err
	}
	return out, nil
}

func (s secrets) basicAuth(b *monitoringv1.BasicAuth) (*BasicAuth, error) {
	if b == nil {
		return nil, nil
	}
	user, err := s.secret("basicAuth.username", &b.Username)
	if err != nil {
		return nil, err
	}
	pass, err := s.secret("basicAuth.password", &b.Password)
	if err != nil {
		return nil, err
	}
	return &BasicAuth{Username: user, Password: pass}, nil
}

func (s secrets) authorization(a *monitoringv1.SafeAuthorization) (*Authorization, error) {
	if a == nil {
		return nil, nil
	}
	creds, err := s.secret("authorization.credentials", a.Credentials)
	if err != nil {
		return nil, err
	}
	t := a.Type
	if t == "" {
		t = "Bearer"
	}
	return &Authorization{Type: t, Credentials: creds}, nil
}

func (s secrets) oauth2(o *monitoringv1.OAuth2) (*OAuth2, error) {
	if o == nil {
		return nil, nil
	}
	id, err := s.secretOrConfigMap("oauth2.clientId", o.ClientID)
	if err != nil {
		return nil, err
	}
	secret, err := s.secret("oauth2.clientSecret", &o.ClientSecret)
	if err != nil {
		return nil, err
	}
	tls, err := s.safeTLS("oauth2.tlsConfig", o.TLSConfig)
	if err != nil {
		return nil, err
	}
	proxy, err := s.proxyAt("oauth2.", o.ProxyConfig)
	if err != nil {
		return nil, err
	}
	return &OAuth2{ClientID: id, ClientSecret: secret, TokenURL: o.TokenURL, Scopes: o.Scopes,
		EndpointParams: o.EndpointParams, TLSConfig: tls, ProxyConfig: proxy}, nil
}

// proxy converts the proxy settings of a client.
func (s secrets) proxy(p monitoringv1.ProxyConfig) (ProxyConfig, error) { return s.proxyAt("", p) }

// proxyAt converts proxy settings; prefix names where they are ("oauth2.").
// A proxy URL Go's HTTP client cannot use would fail every request, so it
// leaves the object out now.
func (s secrets) proxyAt(prefix string, p monitoringv1.ProxyConfig) (ProxyConfig, error) {
	out := ProxyConfig{ProxyFromEnvironment: p.ProxyFromEnvironment}
	if p.ProxyURL != nil && *p.ProxyURL != "" {
		if err := assets.CheckProxyURL(*p.ProxyURL); err != nil {
			return out, fmt.Errorf("%sproxyUrl %w", prefix, err)
		}
		out.ProxyURL = *p.ProxyURL
	}
	if p.NoProxy != nil {
		out.NoProxy = *p.NoProxy
	}
	// Sorted, so that the first missing Secret reported is always the same.
	for _, header := range slices.Sorted(maps.Keys(p.ProxyConnectHeader)) {
		sels := p.ProxyConnectHeader[header]
		for i := range sels {
			v, err := s.secret(prefix+"proxyConnectHeader."+header, &sels[i])
			if err != nil {
				return out, err
			}
			if out.ProxyConnectHeader == nil {
				out.ProxyConnectHeader = map[string][]string{}
			}
			out.ProxyConnectHeader[header] = append(out.ProxyConnectHeader[header], v)
		}
	}
	return out, nil
}
