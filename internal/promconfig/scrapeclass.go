package promconfig

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// scrapeClasses are the Prometheus object's scrape classes, by name, and
// its default class.
type scrapeClasses struct {
	byName map[string]scrapeClass
	dflt   *scrapeClass
}

// newScrapeClasses reads spec.scrapeClasses. Two defaults, a name listed
// twice, a Secret that cannot be read or relabel rules, TLS or
// authorization that Prometheus would refuse are the Prometheus object's
// own mistakes, which every object using
// the class would inherit: they fail the whole configuration, as with
// Prometheus Operator (pkg/prometheus/promcfg.go:224 and store.go:111), but
// with the class named.
func newScrapeClasses(p *monitoringv1.Prometheus, s secrets) (scrapeClasses, error) {
	classes := p.Spec.ScrapeClasses
	out := scrapeClasses{byName: make(map[string]scrapeClass, len(classes))}
	for i := range classes {
		c := &classes[i]
		if _, dup := out.byName[c.Name]; dup {
			return out, fmt.Errorf("spec.scrapeClasses: %q is listed twice", c.Name)
		}
		if c.Default != nil && *c.Default {
			if out.dflt != nil {
				return out, fmt.Errorf("spec.scrapeClasses: %q and %q are both the default; at most one scrape class may be", out.dflt.spec.Name, c.Name)
			}
		}
		class, err := newScrapeClass(c, s)
		if err != nil {
			return out, fmt.Errorf("spec.scrapeClasses[%q]: %w", c.Name, err)
		}
		out.byName[c.Name] = class
		if c.Default != nil && *c.Default {
			out.dflt = &class
		}
	}
	return out, nil
}

// newScrapeClass reads a class's Secrets and checks it, once for every
// object that uses it. Secrets are read in the Prometheus object's
// namespace, where Prometheus Operator loads them from
// (pkg/prometheus/store.go:111); its generator then looks them up in the
// object's namespace (promcfg.go:1974, 2018), so that they are only found
// for objects in the Prometheus object's namespace. Vigil reads them for
// every object, from the one namespace.
func newScrapeClass(c *monitoringv1.ScrapeClass, s secrets) (scrapeClass, error) {
	class := scrapeClass{spec: c}
	var err error
	// The class's files are honoured whatever the policy for objects: the
	// Prometheus object's owner set them, not the objects'.
	if class.tlsConfig, err = s.tls("tlsConfig", c.TLSConfig); err != nil {
		return class, err
	}
	if a := c.Authorization; a != nil {
		if class.auth, err = s.authorization(&monitoringv1.SafeAuthorization{Type: a.Type, Credentials: a.Credentials}); err != nil {
			return class, err
		}
		class.auth.CredentialsFile = a.CredentialsFile
	}
	return class, class.check()
}

// check loads each part of the class in a job of its own with
// Prometheus's parser, so that the error says which part is wrong.
func (c scrapeClass) check() error {
	for _, part := range []struct {
		field string
		set   bool
		job   ScrapeConfig
	}{
		{"relabelings", len(c.spec.Relabelings) > 0, ScrapeConfig{RelabelConfigs: c.relabelings()}},
		{"metricRelabelings", len(c.spec.MetricRelabelings) > 0, ScrapeConfig{MetricRelabelConfigs: c.metricRelabelings(nil)}},
		{"tlsConfig", c.tlsConfig != nil, ScrapeConfig{HTTPClient: HTTPClient{TLSConfig: c.tlsConfig}}},
		{"authorization", c.auth != nil, ScrapeConfig{HTTPClient: HTTPClient{Authorization: c.auth}}},
	} {
		if !part.set {
			continue
		}
		part.job.JobName = "scrapeClass/" + c.spec.Name
		cfg, err := encode(&Config{
			Global:        GlobalConfig{ScrapeInterval: defaultScrapeInterval, EvaluationInterval: defaultEvaluationInterval},
			ScrapeConfigs: []any{&part.job},
		})
		if err != nil {
			return err
		}
		if err := validate(cfg); err != nil {
			return fmt.Errorf("%s: %w", part.field, err)
		}
	}
	return nil
}

// of is the class an object uses: the one it names, else the default, else
// none. Naming a class that does not exist refuses the object, as
// Prometheus Operator's resource selector does
// (pkg/prometheus/resource_selector.go:301); an empty name names none.
func (cs scrapeClasses) of(name *string) (scrapeClass, error) {
	if name != nil && *name != "" {
		c, ok := cs.byName[*name]
		if !ok {
			return scrapeClass{}, rejection.Errorf(rejection.UnknownScrapeClass, "scrapeClass %q not found in the Prometheus object's scrapeClasses", *name)
		}
		return c, nil
	}
	if cs.dflt != nil {
		return *cs.dflt, nil
	}
	return scrapeClass{spec: &monitoringv1.ScrapeClass{}}, nil
}

// scrapeClass completes one object's jobs with its class's settings. Each
// method follows Prometheus Operator's merge for that setting
// (pkg/prometheus/promcfg.go:555-636).
type scrapeClass struct {
	spec *monitoringv1.ScrapeClass
	// tlsConfig and auth are the class's TLS configuration and
	// authorization, their Secrets read.
	tlsConfig *TLSConfig
	auth      *Authorization
}

// errorf names the class in an error about how it applies to an object.
func (c scrapeClass) errorf(err error) error {
	return fmt.Errorf("scrapeClass %q: %w", c.spec.Name, err)
}

// relabelings run after the rules Vigil generates and before the object's
// own relabelings.
func (c scrapeClass) relabelings() []*RelabelConfig {
	return userRules(c.spec.Relabelings, "", "")
}

// metricRelabelings are the class's rules, then own: the object's rules
// with the enforced namespace label last.
func (c scrapeClass) metricRelabelings(own []*RelabelConfig) []*RelabelConfig {
	return nilIfEmpty(append(userRules(c.spec.MetricRelabelings, "", ""), own...))
}

// fallbackScrapeProtocol is the object's, else the class's.
func (c scrapeClass) fallbackScrapeProtocol(own *monitoringv1.ScrapeProtocol) *monitoringv1.ScrapeProtocol {
	if own != nil {
		return own
	}
	return c.spec.FallbackScrapeProtocol
}

// attachMetadata is the object's when it sets the field at all (even with
// node unset), else the class's.
func (c scrapeClass) attachMetadata(own *monitoringv1.AttachMetadata) *monitoringv1.AttachMetadata {
	if own != nil {
		return own
	}
	return c.spec.AttachMetadata
}

// tlsSources says which parts of TLS configuration an object sets itself.
type tlsSources struct {
	// any is false when the object configures no TLS: the class's TLS
	// configuration is then used as a whole.
	any           bool
	ca, cert, key bool
}

// ownTLS is what a TLS configuration that may name files sets. Prometheus
// Operator takes a ServiceMonitor's tlsConfig as set whenever it is present,
// even empty (promcfg.go:2018, 593).
func ownTLS(t *monitoringv1.TLSConfig) tlsSources {
	if t == nil {
		return tlsSources{}
	}
	return tlsSources{
		any:  true,
		ca:   t.CAFile != "" || t.CA != (monitoringv1.SecretOrConfigMap{}),
		cert: t.CertFile != "" || t.Cert != (monitoringv1.SecretOrConfigMap{}),
		key:  t.KeyFile != "" || t.KeySecret != nil,
	}
}

// ownSafeTLS is what a TLS configuration without files sets; an empty one
// counts as none, as with Prometheus Operator (promcfg.go:584).
func ownSafeTLS(t *monitoringv1.SafeTLSConfig) tlsSources {
	if t == nil || *t == (monitoringv1.SafeTLSConfig{}) {
		return tlsSources{}
	}
	return tlsSources{
		any:  true,
		ca:   t.CA != (monitoringv1.SecretOrConfigMap{}),
		cert: t.Cert != (monitoringv1.SecretOrConfigMap{}),
		key:  t.KeySecret != nil,
	}
}

// tls merges the class's TLS configuration into own, the object's
// converted one. An object without TLS takes the class's whole; otherwise
// only the class's caFile, certFile and keyFile are taken, each where the
// object sets neither that file nor its Secret or ConfigMap.
func (c scrapeClass) tls(own *TLSConfig, set tlsSources) *TLSConfig {
	class := c.spec.TLSConfig
	switch {
	case class == nil:
		return own
	case !set.any:
		t := *c.tlsConfig
		return &t
	}
	if !set.ca {
		own.CAFile = class.CAFile
	}
	if !set.cert {
		own.CertFile = class.CertFile
	}
	if !set.key {
		own.KeyFile = class.KeyFile
	}
	return own
}

// checkedTLS merges the class's TLS configuration into own (see tls) and
// checks the result, which is what Prometheus uses: an object may take its
// certificate from a Secret and its key file from the class.
func (c scrapeClass) checkedTLS(field string, own *TLSConfig, set tlsSources) (*TLSConfig, error) {
	merged := c.tls(own, set)
	return merged, checkTLS(field, merged)
}

// authorization gives the class's authorization to an object that sets
// none, and the class's credentials to one whose authorization has only a
// type. An object that authenticates another way is refused: Prometheus
// takes one way only, and Prometheus Operator would write a job that
// Prometheus refuses, breaking the whole configuration.
//
// bearerToken says the object sets bearerTokenSecret, which client holds as
// its Authorization.
func (c scrapeClass) authorization(own *monitoringv1.SafeAuthorization, bearerToken bool, client *HTTPClient) error {
	if c.auth == nil {
		return nil
	}
	if own != nil && *own != (monitoringv1.SafeAuthorization{}) {
		if own.Credentials == nil && client.Authorization != nil {
			client.Authorization.Credentials, client.Authorization.CredentialsFile = c.auth.Credentials, c.auth.CredentialsFile
		}
		return nil
	}
	if other := otherAuthentication(client, bearerToken); other != "" {
		return c.errorf(fmt.Errorf("its authorization cannot apply: the object authenticates with %s, and Prometheus accepts only one way", other))
	}
	a := *c.auth
	client.Authorization = &a
	return nil
}

// otherAuthentication names the way an HTTP client without an
// authorization of its own already authenticates, or is "".
func otherAuthentication(client *HTTPClient, bearerToken bool) string {
	switch {
	case client.BasicAuth != nil:
		return "basicAuth"
	case client.OAuth2 != nil:
		return "oauth2"
	case bearerToken:
		return "bearerTokenSecret"
	case client.BearerTokenFile != "":
		return "bearerTokenFile"
	}
	return ""
}

// named says a Secret reference is set, as httpClient takes
// bearerTokenSecret.
func named(sel *corev1.SecretKeySelector) bool { return sel != nil && sel.Name != "" }
