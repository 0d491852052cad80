package v1

import (
	corev1 "k8s.io/api/core/v1"
)

// SecretOrConfigMap selects a key of a Secret or of a ConfigMap in the
// referring object's namespace; exactly one of the two is set.
//
// +kubebuilder:validation:XValidation:rule="!(has(self.secret) && has(self.configMap))",message="secret and configMap are mutually exclusive"
type SecretOrConfigMap struct {
	// secret holding the data.
	//
	// +optional
	Secret *corev1.SecretKeySelector `json:"secret,omitempty"`

	// configMap holding the data.
	//
	// +optional
	ConfigMap *corev1.ConfigMapKeySelector `json:"configMap,omitempty"`
}

// TLSVersion is a TLS protocol version.
//
// +kubebuilder:validation:Enum=TLS10;TLS11;TLS12;TLS13
type TLSVersion string

// SafeTLSConfig is a TLS client configuration whose material comes from
// Secrets and ConfigMaps only, never from files on the Prometheus pod.
// An empty ca or cert ({}), as Prometheus Operator's Go client writes, counts
// as unset.
//
// +kubebuilder:validation:XValidation:rule="has(self.keySecret) == (has(self.cert) && (has(self.cert.secret) || has(self.cert.configMap)))",message="cert and keySecret must be set together"
type SafeTLSConfig struct {
	// ca is the certificate authority that verifies the server's certificate.
	//
	// +optional
	CA SecretOrConfigMap `json:"ca,omitzero"`

	// cert is the client certificate presented to the server.
	//
	// +optional
	Cert SecretOrConfigMap `json:"cert,omitzero"`

	// keySecret is the Secret key holding the client certificate's private key.
	//
	// +optional
	KeySecret *corev1.SecretKeySelector `json:"keySecret,omitempty"`

	// serverName is the name the server's certificate is verified against.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=253
	ServerName *string `json:"serverName,omitempty"`

	// insecureSkipVerify disables verification of the server's certificate.
	//
	// +optional
	InsecureSkipVerify *bool `json:"insecureSkipVerify,omitempty"`

	// minVersion is the lowest TLS version accepted.
	//
	// +optional
	MinVersion *TLSVersion `json:"minVersion,omitempty"`

	// maxVersion is the highest TLS version accepted.
	//
	// +optional
	MaxVersion *TLSVersion `json:"maxVersion,omitempty"`
}

// TLSFilesConfig names TLS material by its path in the Prometheus container.
// Vigil honours file references only where DESIGN.md's policy allows.
type TLSFilesConfig struct {
	// caFile is the path of the CA certificate in the Prometheus container.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=4096
	CAFile string `json:"caFile,omitempty"`

	// certFile is the path of the client certificate in the Prometheus container.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=4096
	CertFile string `json:"certFile,omitempty"`

	// keyFile is the path of the client key in the Prometheus container.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=4096
	KeyFile string `json:"keyFile,omitempty"`
}

// TLSConfig is a TLS client configuration whose material may come from
// Secrets, ConfigMaps or files.
//
// +kubebuilder:validation:XValidation:rule="!(has(self.caFile) && has(self.ca) && (has(self.ca.secret) || has(self.ca.configMap)))",message="caFile and ca are mutually exclusive"
// +kubebuilder:validation:XValidation:rule="!(has(self.certFile) && has(self.cert) && (has(self.cert.secret) || has(self.cert.configMap)))",message="certFile and cert are mutually exclusive"
// +kubebuilder:validation:XValidation:rule="!(has(self.keyFile) && has(self.keySecret))",message="keyFile and keySecret are mutually exclusive"
type TLSConfig struct {
	// ca is the certificate authority that verifies the server's certificate.
	//
	// +optional
	CA SecretOrConfigMap `json:"ca,omitzero"`

	// cert is the client certificate presented to the server.
	//
	// +optional
	Cert SecretOrConfigMap `json:"cert,omitzero"`

	// keySecret is the Secret key holding the client certificate's private key.
	//
	// +optional
	KeySecret *corev1.SecretKeySelector `json:"keySecret,omitempty"`

	// serverName is the name the server's certificate is verified against.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=253
	ServerName *string `json:"serverName,omitempty"`

	// insecureSkipVerify disables verification of the server's certificate.
	//
	// +optional
	InsecureSkipVerify *bool `json:"insecureSkipVerify,omitempty"`

	// minVersion is the lowest TLS version accepted.
	//
	// +optional
	MinVersion *TLSVersion `json:"minVersion,omitempty"`

	// maxVersion is the highest TLS version accepted.
	//
	// +optional
	MaxVersion *TLSVersion `json:"maxVersion,omitempty"`

	TLSFilesConfig `json:",inline"`
}

// Safe returns the part of c that does not read files.
func (c *TLSConfig) Safe() *SafeTLSConfig {
	if c == nil {
		return nil
	}
	return &SafeTLSConfig{
		CA: c.CA, Cert: c.Cert, KeySecret: c.KeySecret, ServerName: c.ServerName,
		InsecureSkipVerify: c.InsecureSkipVerify, MinVersion: c.MinVersion, MaxVersion: c.MaxVersion,
	}
}

// BasicAuth is HTTP basic authentication with credentials from Secrets.
type BasicAuth struct {
	// username is the Secret key holding the user name.
	//
	// +optional
	Username corev1.SecretKeySelector `json:"username,omitempty"`

	// password is the Secret key holding the password.
	//
	// +optional
	Password corev1.SecretKeySelector `json:"password,omitempty"`
}

// SafeAuthorization sets the Authorization header from a Secret.
type SafeAuthorization struct {
	// type is the authentication scheme, Bearer when unset. "Basic" is
	// refused: use basicAuth.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.lowerAscii() != 'basic'",message="use basicAuth instead of authorization type Basic"
	Type string `json:"type,omitempty"`

	// credentials is the Secret key holding the header's credentials.
	//
	// +optional
	Credentials *corev1.SecretKeySelector `json:"credentials,omitempty"`
}

// Authorization sets the Authorization header from a Secret or a file.
//
// +kubebuilder:validation:XValidation:rule="!(has(self.credentials) && has(self.credentialsFile))",message="credentials and credentialsFile are mutually exclusive"
type Authorization struct {
	// type is the authentication scheme, Bearer when unset. "Basic" is
	// refused: use basicAuth.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.lowerAscii() != 'basic'",message="use basicAuth instead of authorization type Basic"
	Type string `json:"type,omitempty"`

	// credentials is the Secret key holding the header's credentials.
	//
	// +optional
	Credentials *corev1.SecretKeySelector `json:"credentials,omitempty"`

	// credentialsFile is the path of a file in the Prometheus container that
	// holds the credentials.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=4096
	CredentialsFile string `json:"credentialsFile,omitempty"`
}

// ProxyConfig routes requests through an HTTP proxy.
//
// +kubebuilder:validation:XValidation:rule="!(has(self.proxyFromEnvironment) && self.proxyFromEnvironment && has(self.proxyUrl))",message="proxyUrl and proxyFromEnvironment are mutually exclusive"
type ProxyConfig struct {
	// proxyUrl is the URL of the proxy, such as http://proxy.example:3128.
	//
	// +optional
	// +kubebuilder:validation:Pattern:="^(http|https|socks5)://.+$"
	// +kubebuilder:validation:MaxLength=2048
	ProxyURL *string `json:"proxyUrl,omitempty"`

	// noProxy is a comma-separated list of IPs, CIDRs and domains that are
	// reached without the proxy.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=4096
	NoProxy *string `json:"noProxy,omitempty"`

	// proxyFromEnvironment takes the proxy from the HTTP_PROXY, HTTPS_PROXY
	// and NO_PROXY environment variables of the Prometheus container.
	//
	// +optional
	ProxyFromEnvironment *bool `json:"proxyFromEnvironment,omitempty"`

	// proxyConnectHeader are headers sent to the proxy on CONNECT, with
	// values from Secrets.
	//
	// +optional
	// +mapType=atomic
	ProxyConnectHeader map[string][]corev1.SecretKeySelector `json:"proxyConnectHeader,omitempty"`
}

// OAuth2 is the OAuth 2.0 client credentials flow.
type OAuth2 struct {
	// clientId is the Secret or ConfigMap key holding the client ID.
	//
	// +required
	ClientID SecretOrConfigMap `json:"clientId"`

	// clientSecret is the Secret key holding the client secret.
	//
	// +required
	ClientSecret corev1.SecretKeySelector `json:"clientSecret"`

	// tokenUrl is the URL tokens are fetched from.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern:="^(http|https)://.+$"
	TokenURL string `json:"tokenUrl"`

	// scopes requested.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	Scopes []string `json:"scopes,omitempty"`

	// endpointParams are added to the token URL's query.
	//
	// +optional
	EndpointParams map[string]string `json:"endpointParams,omitempty"`

	// tlsConfig used when fetching tokens.
	//
	// +optional
	TLSConfig *SafeTLSConfig `json:"tlsConfig,omitempty"`

	ProxyConfig `json:",inline"`
}

// HTTPClientConfig is how Prometheus authenticates to a target and how it
// connects, shared by every kind of scrape endpoint.
//
// +kubebuilder:validation:XValidation:rule="[has(self.basicAuth), has(self.authorization), has(self.oauth2), has(self.bearerTokenSecret)].filter(x, x).size() <= 1",message="at most one of basicAuth, authorization, oauth2 and bearerTokenSecret may be set"
type HTTPClientConfig struct {
	// basicAuth authenticates with a user name and password.
	//
	// +optional
	BasicAuth *BasicAuth `json:"basicAuth,omitempty"`

	// authorization sets the Authorization header.
	//
	// +optional
	Authorization *SafeAuthorization `json:"authorization,omitempty"`

	// oauth2 authenticates with the OAuth 2.0 client credentials flow.
	//
	// +optional
	OAuth2 *OAuth2 `json:"oauth2,omitempty"`

	// bearerTokenSecret is the Secret key holding a bearer token.
	// Deprecated: use authorization.
	//
	// +optional
	BearerTokenSecret *corev1.SecretKeySelector `json:"bearerTokenSecret,omitempty"`

	// followRedirects makes the client follow HTTP 3xx redirects (the default).
	//
	// +optional
	FollowRedirects *bool `json:"followRedirects,omitempty"`

	// enableHttp2 allows HTTP/2 (the default).
	//
	// +optional
	EnableHTTP2 *bool `json:"enableHttp2,omitempty"`

	ProxyConfig `json:",inline"`
}
