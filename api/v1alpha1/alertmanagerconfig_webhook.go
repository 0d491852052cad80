package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// WebhookConfig posts alerts as JSON to an HTTP endpoint.
//
// One of url and urlSecret is needed. When both are set urlSecret wins, as
// with Prometheus Operator, so manifests written for it keep working.
//
// +kubebuilder:validation:XValidation:rule="has(self.url) || has(self.urlSecret)",message="one of url and urlSecret must be set"
type WebhookConfig struct {
	// sendResolved also notifies when alerts resolve.
	//
	// +optional
	SendResolved *bool `json:"sendResolved,omitempty"`

	// url is the endpoint alerts are posted to.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	URL *string `json:"url,omitempty"`

	// urlSecret is the Secret key holding the endpoint's URL, for URLs that
	// carry a credential.
	//
	// +optional
	URLSecret *corev1.SecretKeySelector `json:"urlSecret,omitempty"`

	// httpConfig is how Alertmanager connects to the endpoint.
	//
	// +optional
	HTTPConfig *HTTPConfig `json:"httpConfig,omitempty"`

	// maxAlerts caps the alerts sent in one message; 0 sends them all.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=2147483647
	MaxAlerts int32 `json:"maxAlerts,omitempty"`

	// timeout is how long a request may take before it fails and is retried.
	//
	// +optional
	Timeout *monitoringv1.Duration `json:"timeout,omitempty"`

	// payload is a notification template whose output replaces the default
	// JSON body.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=65536
	Payload *string `json:"payload,omitempty"`
}
