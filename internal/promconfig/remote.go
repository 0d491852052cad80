package promconfig

import (
	"fmt"
	"maps"
	"slices"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// remoteWrite converts spec.remoteWrite. These belong to the Prometheus
// object, in its own namespace, so file references are allowed.
func (g *generator) remoteWrite(s secrets) ([]*RemoteWrite, error) {
	var out []*RemoteWrite
	for i := range g.prom.Spec.RemoteWrite {
		rw := &g.prom.Spec.RemoteWrite[i]
		w := &RemoteWrite{
			URL:                  rw.URL,
			RemoteTimeout:        durationString(rw.RemoteTimeout),
			Headers:              rw.Headers,
			WriteRelabelConfigs:  nilIfEmpty(userRules(rw.WriteRelabelConfigs, "", "")),
			SendExemplars:        rw.SendExemplars,
			SendNativeHistograms: rw.SendNativeHistograms,
		}
		if rw.Name != nil {
			w.Name = *rw.Name
		}
		if err := firstBadHeader(rw.Headers, func(h map[string]string) *Config {
			return &Config{RemoteWriteConfigs: []*RemoteWrite{{URL: "http://localhost", Headers: h}}}
		}); err != nil {
			return nil, fmt.Errorf("remoteWrite[%d].headers: %w", i, err)
		}
		v2 := rw.MessageVersion != nil && *rw.MessageVersion == monitoringv1.RemoteWriteMessageVersion2
		if v2 {
			w.ProtobufMessage = "io.prometheus.write.v2.Request"
		}
		var err error
		if w.HTTPClient, err = s.remoteClient(rw.BasicAuth, rw.Authorization, rw.OAuth2, rw.BearerTokenFile, rw.TLSConfig, rw.ProxyConfig); err != nil {
			return nil, fmt.Errorf("remoteWrite[%d]: %w", i, err)
		}
		w.FollowRedirects, w.EnableHTTP2 = rw.FollowRedirects, rw.EnableHTTP2
		if w.Sigv4, err = s.sigv4(rw.Sigv4); err != nil {
			return nil, fmt.Errorf("remoteWrite[%d]: %w", i, err)
		}
		if w.AzureAD, err = s.azureAD(rw.AzureAD); err != nil {
			return nil, fmt.Errorf("remoteWrite[%d]: %w", i, err)
		}
		if q := rw.QueueConfig; q != nil {
			w.QueueConfig = &QueueConfig{
				Capacity: nonZero(q.Capacity), MinShards: nonZero(q.MinShards), MaxShards: nonZero(q.MaxShards),
				MaxSamplesPerSend: nonZero(q.MaxSamplesPerSend), BatchSendDeadline: durationString(q.BatchSendDeadline),
				MinBackoff: durationString(q.MinBackoff), MaxBackoff: durationString(q.MaxBackoff),
				SampleAgeLimit: durationString(q.SampleAgeLimit),
			}
			if q.RetryOnRateLimit {
				w.QueueConfig.RetryOnRateLimit = ptr(true)
			}
		}
		if m := rw.MetadataConfig; m != nil {
			// Remote write 2.0 carries metadata with the samples, and
			// Prometheus turns the separate sending off (with a warning);
			// Prometheus Operator writes it off (promcfg.go:3079-3086).
			w.MetadataConfig = &MetadataConfig{Send: ptr(m.Send && !v2), SendInterval: string(m.SendInterval), MaxSamplesPerSend: m.MaxSamplesPerSend}
		}
		out = append(out, w)
	}
	return out, nil
}

// remoteRead converts spec.remoteRead.
func (g *generator) remoteRead(s secrets) ([]*RemoteRead, error) {
	var out []*RemoteRead
	for i := range g.prom.Spec.RemoteRead {
		rr := &g.prom.Spec.RemoteRead[i]
		r := &RemoteRead{
			URL: rr.URL, Name: rr.Name, RequiredMatchers: rr.RequiredMatchers,
			RemoteTimeout: durationString(rr.RemoteTimeout), Headers: rr.Headers,
			FilterExternalLabels: rr.FilterExternalLabels,
		}
		if rr.ReadRecent {
			r.ReadRecent = ptr(true)
		}
		if err := firstBadHeader(rr.Headers, func(h map[string]string) *Config {
			return &Config{RemoteReadConfigs: []*RemoteRead{{URL: "http://localhost", Headers: h}}}
		}); err != nil {
			return nil, fmt.Errorf("remoteRead[%d].headers: %w", i, err)
		}
		var err error
		if r.HTTPClient, err = s.remoteClient(rr.BasicAuth, rr.Authorization, rr.OAuth2, rr.BearerTokenFile, rr.TLSConfig, rr.ProxyConfig); err != nil {
			return nil, fmt.Errorf("remoteRead[%d]: %w", i, err)
		}
		r.FollowRedirects = rr.FollowRedirects
		out = append(out, r)
	}
	return out, nil
}

// remoteClient converts the client settings of remote read and write.
func (s secrets) remoteClient(basic *monitoringv1.BasicAuth, authz *monitoringv1.Authorization, oauth2 *monitoringv1.OAuth2,
	bearerTokenFile string, tls *monitoringv1.TLSConfig, proxy monitoringv1.ProxyConfig) (HTTPClient, error) {
	var out HTTPClient
	var err error
	if out.BasicAuth, err = s.basicAuth(basic); err != nil {
		return out, err
	}
	if authz != nil {
		safe := &monitoringv1.SafeAuthorization{Type: authz.Type, Credentials: authz.Credentials}
		if out.Authorization, err = s.authorization(safe); err != nil {
			return out, err
		}
		out.Authorization.CredentialsFile = authz.CredentialsFile
	}
	if out.OAuth2, err = s.oauth2(oauth2); err != nil {
		return out, err
	}
	out.BearerTokenFile = bearerTokenFile
	if out.TLSConfig, err = s.tls("tlsConfig", tls); err != nil {
		return out, err
	}
	out.ProxyConfig, err = s.proxy(proxy)
	return out, err
}

func (s secrets) sigv4(v *monitoringv1.Sigv4) (*Sigv4, error) {
	if v == nil {
		return nil, nil
	}
	out := &Sigv4{Region: v.Region, Profile: v.Profile, RoleARN: v.RoleArn, ExternalID: v.ExternalID, UseFIPSSTSEndpoint: v.UseFIPSSTSEndpoint}
	var err error
	if out.AccessKey, err = s.secret("sigv4.accessKey", v.AccessKey); err != nil {
		return nil, err
	}
	if out.SecretKey, err = s.secret("sigv4.secretKey", v.SecretKey); err != nil {
		return nil, err
	}
	return out, nil
}

// azureAD converts the Azure AD authentication of a remote write; which one
// way is set, Prometheus's parser checks.
func (s secrets) azureAD(a *monitoringv1.AzureAD) (*AzureAD, error) {
	if a == nil {
		return nil, nil
	}
	out := &AzureAD{}
	if a.Cloud != nil {
		out.Cloud = *a.Cloud
	}
	if a.Scope != nil {
		out.Scope = *a.Scope
	}
	if m := a.ManagedIdentity; m != nil {
		out.ManagedIdentity = &AzureManagedIdentity{}
		if m.ClientID != nil {
			out.ManagedIdentity.ClientID = *m.ClientID
		}
	}
	if o := a.OAuth; o != nil {
		secret, err := s.secret("azureAd.oauth.clientSecret", &o.ClientSecret)
		if err != nil {
			return nil, err
		}
		out.OAuth = &AzureOAuth{ClientID: o.ClientID, ClientSecret: secret, TenantID: o.TenantID}
	}
	if sdk := a.SDK; sdk != nil {
		out.SDK = &AzureSDK{}
		if sdk.TenantID != nil {
			out.SDK.TenantID = *sdk.TenantID
		}
	}
	if w := a.WorkloadIdentity; w != nil {
		out.WorkloadIdentity = &AzureWorkloadIdentity{ClientID: w.ClientID, TenantID: w.TenantID}
	}
	return out, nil
}

func nonZero(v int32) *int32 {
	if v == 0 {
		return nil
	}
	return &v
}

// firstBadHeader loads each header alone, in sorted order, with
// Prometheus's parser, and returns the first one's error. Prometheus checks
// a headers map in map order, so with two bad headers the message of the
// whole file would name either from one call to the next.
func firstBadHeader(headers map[string]string, doc func(map[string]string) *Config) error {
	if len(headers) < 2 {
		return nil
	}
	for _, h := range slices.Sorted(maps.Keys(headers)) {
		b, err := encode(doc(map[string]string{h: headers[h]}))
		if err != nil {
			return err
		}
		if err := validate(b); err != nil {
			return err
		}
	}
	return nil
}
