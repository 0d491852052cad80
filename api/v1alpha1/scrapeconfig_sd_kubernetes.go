package v1alpha1

import (
	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// KubernetesRole is the kind of Kubernetes object whose instances become
// targets.
//
// +kubebuilder:validation:Enum=Pod;Endpoints;EndpointSlice;Ingress;Node;Service
type KubernetesRole string

const (
	// KubernetesRolePod makes a target of each container port of each Pod.
	KubernetesRolePod KubernetesRole = "Pod"
	// KubernetesRoleEndpoints makes a target of each Endpoints address and port.
	KubernetesRoleEndpoints KubernetesRole = "Endpoints"
	// KubernetesRoleEndpointSlice makes a target of each EndpointSlice
	// endpoint and port.
	KubernetesRoleEndpointSlice KubernetesRole = "EndpointSlice"
	// KubernetesRoleIngress makes a target of each Ingress path.
	KubernetesRoleIngress KubernetesRole = "Ingress"
	// KubernetesRoleNode makes a target of each Node.
	KubernetesRoleNode KubernetesRole = "Node"
	// KubernetesRoleService makes a target of each Service port.
	KubernetesRoleService KubernetesRole = "Service"
)

// KubernetesSDConfig discovers targets from objects of the Kubernetes API.
//
// +kubebuilder:validation:XValidation:rule="[has(self.basicAuth), has(self.authorization), has(self.oauth2)].filter(x, x).size() <= 1",message="at most one of basicAuth, authorization and oauth2 may be set"
type KubernetesSDConfig struct {
	// apiServer is the API server's address, host with an optional port.
	// Unset, Prometheus uses the cluster it runs in, with its service
	// account.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	APIServer *string `json:"apiServer,omitempty"`

	// role is the kind of object whose instances become targets.
	//
	// +required
	Role KubernetesRole `json:"role"`

	// namespaces limits discovery to some namespaces; all namespaces when
	// unset.
	//
	// +optional
	Namespaces *NamespaceDiscovery `json:"namespaces,omitempty"`

	// attachMetadata adds the labels of related objects to targets. It
	// applies to the Pod, Endpoints and EndpointSlice roles.
	//
	// +optional
	AttachMetadata *monitoringv1.AttachMetadata `json:"attachMetadata,omitempty"`

	// selectors restrict the objects watched, at most one per role, with
	// label and field selectors that the API server applies.
	//
	// +optional
	// +listType=map
	// +listMapKey=role
	// +kubebuilder:validation:MaxItems=6
	Selectors []K8SSelectorConfig `json:"selectors,omitempty"`

	// basicAuth authenticates to the API server with a user name and
	// password.
	//
	// +optional
	BasicAuth *monitoringv1.BasicAuth `json:"basicAuth,omitempty"`

	// authorization sets the Authorization header sent to the API server.
	//
	// +optional
	Authorization *monitoringv1.SafeAuthorization `json:"authorization,omitempty"`

	// oauth2 authenticates to the API server with the OAuth 2.0 client
	// credentials flow.
	//
	// +optional
	OAuth2 *monitoringv1.OAuth2 `json:"oauth2,omitempty"`

	monitoringv1.ProxyConfig `json:",inline"`

	// followRedirects makes the client follow HTTP 3xx redirects (the default).
	//
	// +optional
	FollowRedirects *bool `json:"followRedirects,omitempty"`

	// enableHTTP2 allows HTTP/2 (the default).
	//
	// +optional
	EnableHTTP2 *bool `json:"enableHTTP2,omitempty"`

	// tlsConfig is the TLS configuration used to reach the API server.
	//
	// +optional
	TLSConfig *monitoringv1.SafeTLSConfig `json:"tlsConfig,omitempty"`
}

// NamespaceDiscovery lists the namespaces Kubernetes discovery watches.
type NamespaceDiscovery struct {
	// ownNamespace adds the namespace Prometheus runs in.
	//
	// +optional
	IncludeOwnNamespace *bool `json:"ownNamespace,omitempty"`

	// names of the namespaces to watch. With no names and ownNamespace not
	// true, every namespace is watched.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=1000
	// +kubebuilder:validation:items:MaxLength=63
	Names []string `json:"names,omitempty"`
}

// K8SSelectorConfig restricts the objects of one role that Kubernetes
// discovery watches.
type K8SSelectorConfig struct {
	// role the selectors apply to.
	//
	// +required
	Role KubernetesRole `json:"role"`

	// label is a label selector, such as app.kubernetes.io/name=api.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	Label *string `json:"label,omitempty"`

	// field is a field selector, such as metadata.name=api.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	Field *string `json:"field,omitempty"`
}
