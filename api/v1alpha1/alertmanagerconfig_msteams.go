package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
)

// MSTeamsV2Config posts alerts to Microsoft Teams as adaptive cards through
// a Workflows (Power Automate) webhook. Text fields are notification
// templates.
type MSTeamsV2Config struct {
	// sendResolved also notifies when alerts resolve.
	//
	// +optional
	SendResolved *bool `json:"sendResolved,omitempty"`

	// webhookURL is the Secret key holding the Workflows webhook URL. Unset,
	// the Alertmanager's global URL is used.
	//
	// +optional
	WebhookURL *corev1.SecretKeySelector `json:"webhookURL,omitempty"`

	// title of the card.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=8192
	Title *string `json:"title,omitempty"`

	// text is the body of the card.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=65536
	Text *string `json:"text,omitempty"`

	// httpConfig is how Alertmanager connects to the webhook.
	//
	// +optional
	HTTPConfig *HTTPConfig `json:"httpConfig,omitempty"`
}
