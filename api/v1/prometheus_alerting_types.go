package v1

import (
	"k8s.io/apimachinery/pkg/util/intstr"
)

// AlertingSpec says where Prometheus sends alerts.
type AlertingSpec struct {
	// alertmanagers are the Alertmanager Services alerts are sent to.
	//
	// +required
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	Alertmanagers []AlertmanagerEndpoints `json:"alertmanagers"`
}

// AlertmanagerAPIVersion is the Alertmanager API version alerts are sent to.
// Prometheus 3 speaks only v2.
//
// +kubebuilder:validation:Enum=v1;V1;v2;V2
type AlertmanagerAPIVersion string

// AlertmanagerEndpoints is an Alertmanager Service whose endpoints receive
// alerts, discovered with the Prometheus object's serviceDiscoveryRole.
//
// +kubebuilder:validation:XValidation:rule="[has(self.basicAuth), has(self.bearerTokenFile), has(self.authorization), has(self.sigv4)].filter(x, x).size() <= 1",message="at most one of basicAuth, bearerTokenFile, authorization and sigv4 may be set"
type AlertmanagerEndpoints struct {
	// namespace of the Service; the Prometheus object's namespace when unset.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Namespace *string `json:"namespace,omitempty"`

	// name of the Service.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// port of the Service, by name or number, that serves the Alertmanager
	// API.
	//
	// +required
	Port intstr.IntOrString `json:"port"`

	// scheme used to send alerts; http when unset.
	//
	// +optional
	Scheme *Scheme `json:"scheme,omitempty"`

	// pathPrefix is prepended to the API path, as Alertmanager's routePrefix.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	PathPrefix *string `json:"pathPrefix,omitempty"`

	// tlsConfig of the connections to Alertmanager.
	//
	// +optional
	TLSConfig *TLSConfig `json:"tlsConfig,omitempty"`

	// basicAuth authenticates to Alertmanager with a user name and password.
	//
	// +optional
	BasicAuth *BasicAuth `json:"basicAuth,omitempty"`

	// bearerTokenFile is the path of a file in the Prometheus container
	// holding a bearer token.
	// Deprecated: use authorization.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=4096
	BearerTokenFile string `json:"bearerTokenFile,omitempty"`

	// authorization sets the Authorization header from a Secret.
	//
	// +optional
	Authorization *SafeAuthorization `json:"authorization,omitempty"`

	// sigv4 signs requests with AWS Signature Version 4.
	//
	// +optional
	Sigv4 *Sigv4 `json:"sigv4,omitempty"`

	ProxyConfig `json:",inline"`

	// apiVersion of the Alertmanager API; v2 when unset.
	//
	// +optional
	APIVersion *AlertmanagerAPIVersion `json:"apiVersion,omitempty"`

	// timeout of a request sending alerts to one Alertmanager.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	Timeout *Duration `json:"timeout,omitempty"`

	// enableHttp2 allows HTTP/2.
	//
	// +optional
	EnableHTTP2 *bool `json:"enableHttp2,omitempty"`

	// relabelings are applied to the discovered Alertmanager targets.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	Relabelings []RelabelConfig `json:"relabelings,omitempty"`

	// alertRelabelings are applied to alerts before they are sent to these
	// Alertmanagers.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	AlertRelabelings []RelabelConfig `json:"alertRelabelings,omitempty"`
}
