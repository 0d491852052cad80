package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// PagerDutyConfig opens PagerDuty incidents. Text fields are notification
// templates.
//
// +kubebuilder:validation:XValidation:rule="has(self.routingKey) || has(self.serviceKey)",message="one of routingKey and serviceKey is required"
type PagerDutyConfig struct {
	// sendResolved also notifies when alerts resolve.
	//
	// +optional
	SendResolved *bool `json:"sendResolved,omitempty"`

	// routingKey is the Secret key holding the integration key of an Events
	// API v2 integration.
	//
	// +optional
	RoutingKey *corev1.SecretKeySelector `json:"routingKey,omitempty"`

	// serviceKey is the Secret key holding the integration key of a
	// "Prometheus" integration.
	//
	// +optional
	ServiceKey *corev1.SecretKeySelector `json:"serviceKey,omitempty"`

	// url is the PagerDuty API endpoint; Alertmanager's default when unset.
	//
	// +optional
	URL *URL `json:"url,omitempty"`

	// client names the sender of the incident.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Client *string `json:"client,omitempty"`

	// clientURL links back to the sender.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	ClientURL *string `json:"clientURL,omitempty"`

	// description summarises the incident.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=8192
	Description *string `json:"description,omitempty"`

	// severity of the incident: critical, error, warning or info.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Severity *string `json:"severity,omitempty"`

	// class is the kind of event, such as a type of problem.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Class *string `json:"class,omitempty"`

	// group is the logical group of sources the incident belongs to.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Group *string `json:"group,omitempty"`

	// component is the part of the system that is affected.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Component *string `json:"component,omitempty"`

	// details are extra key/value pairs attached to the incident.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	Details []KeyValue `json:"details,omitempty"`

	// pagerDutyImageConfigs are images attached to the incident.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	PagerDutyImageConfigs []PagerDutyImageConfig `json:"pagerDutyImageConfigs,omitempty"`

	// pagerDutyLinkConfigs are links attached to the incident.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	PagerDutyLinkConfigs []PagerDutyLinkConfig `json:"pagerDutyLinkConfigs,omitempty"`

	// httpConfig is how Alertmanager connects to PagerDuty.
	//
	// +optional
	HTTPConfig *HTTPConfig `json:"httpConfig,omitempty"`

	// source is where the incident happened, such as a host name.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Source *string `json:"source,omitempty"`

	// timeout is how long a request may take before it fails and is retried.
	//
	// +optional
	Timeout *monitoringv1.Duration `json:"timeout,omitempty"`
}

// PagerDutyImageConfig is an image attached to a PagerDuty incident.
type PagerDutyImageConfig struct {
	// src is the image's URL.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	Src *string `json:"src,omitempty"`

	// href is the URL the image links to.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	Href *string `json:"href,omitempty"`

	// alt is the image's alternative text.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Alt *string `json:"alt,omitempty"`
}

// PagerDutyLinkConfig is a link attached to a PagerDuty incident.
type PagerDutyLinkConfig struct {
	// href is the link's URL.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	Href *string `json:"href,omitempty"`

	// alt is the link's text.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Text *string `json:"alt,omitempty"`
}
