package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// HTTPConfig is how Alertmanager authenticates to and connects with a
// receiver's endpoint. Credentials come from Secrets in the
// AlertmanagerConfig's namespace.
//
// +kubebuilder:validation:XValidation:rule="[has(self.basicAuth), has(self.authorization), has(self.oauth2), has(self.bearerTokenSecret)].filter(x, x).size() <= 1",message="at most one of basicAuth, authorization, oauth2 and bearerTokenSecret may be set"
// +kubebuilder:validation:XValidation:rule="!(has(self.proxyURL) && has(self.proxyFromEnvironment) && self.proxyFromEnvironment)",message="proxyURL and proxyFromEnvironment are mutually exclusive"
type HTTPConfig struct {
	// authorization sets the Authorization header.
	//
	// +optional
	Authorization *monitoringv1.SafeAuthorization `json:"authorization,omitempty"`

	// basicAuth authenticates with a user name and password.
	//
	// +optional
	BasicAuth *monitoringv1.BasicAuth `json:"basicAuth,omitempty"`

	// oauth2 authenticates with the OAuth 2.0 client credentials flow.
	//
	// +optional
	OAuth2 *monitoringv1.OAuth2 `json:"oauth2,omitempty"`

	// bearerTokenSecret is the Secret key holding a bearer token.
	// Deprecated: use authorization.
	//
	// +optional
	BearerTokenSecret *corev1.SecretKeySelector `json:"bearerTokenSecret,omitempty"`

	// tlsConfig is the TLS configuration used to reach the endpoint.
	//
	// +optional
	TLSConfig *monitoringv1.SafeTLSConfig `json:"tlsConfig,omitempty"`

	// proxyURL is the URL of an HTTP proxy. It is the older spelling of
	// proxyUrl and wins when both are set.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern:="^(http|https|socks5)://.+$"
	ProxyURLOverride *string `json:"proxyURL,omitempty"`

	monitoringv1.ProxyConfig `json:",inline"`

	// followRedirects makes the client follow HTTP 3xx redirects (the default).
	//
	// +optional
	FollowRedirects *bool `json:"followRedirects,omitempty"`

	// enableHttp2 allows HTTP/2 (the default).
	//
	// +optional
	EnableHTTP2 *bool `json:"enableHttp2,omitempty"`
}
