package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
)

// OpsGenieConfig creates OpsGenie alerts. Text fields are notification
// templates.
type OpsGenieConfig struct {
	// sendResolved also notifies when alerts resolve.
	//
	// +optional
	SendResolved *bool `json:"sendResolved,omitempty"`

	// apiKey is the Secret key holding the OpsGenie API key. Unset, the
	// Alertmanager's global key is used.
	//
	// +optional
	APIKey *corev1.SecretKeySelector `json:"apiKey,omitempty"`

	// apiURL is the OpsGenie API endpoint; Alertmanager's default when unset.
	//
	// +optional
	APIURL *URL `json:"apiURL,omitempty"`

	// message is the alert's title; OpsGenie keeps 130 characters of it.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=8192
	Message *string `json:"message,omitempty"`

	// description is the alert's body.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=65536
	Description *string `json:"description,omitempty"`

	// source links back to the sender.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	Source *string `json:"source,omitempty"`

	// tags is a comma-separated list of tags for the alert.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	Tags *string `json:"tags,omitempty"`

	// note is added to the alert.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=8192
	Note *string `json:"note,omitempty"`

	// priority of the alert, P1 (highest) to P5.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Priority *string `json:"priority,omitempty"`

	// updateAlerts updates the message and description of an alert that
	// already exists in OpsGenie instead of only adding a note.
	//
	// +optional
	UpdateAlerts *bool `json:"updateAlerts,omitempty"`

	// details are extra key/value pairs attached to the alert.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	Details []KeyValue `json:"details,omitempty"`

	// responders are the teams, users, escalations or schedules notified.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	Responders []OpsGenieConfigResponder `json:"responders,omitempty"`

	// httpConfig is how Alertmanager connects to OpsGenie.
	//
	// +optional
	HTTPConfig *HTTPConfig `json:"httpConfig,omitempty"`

	// entity is the domain the alert is about, used to group alerts.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Entity *string `json:"entity,omitempty"`

	// actions is a comma-separated list of actions offered on the alert.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	Actions *string `json:"actions,omitempty"`
}

// OpsGenieResponderType is the kind of an OpsGenie responder.
//
// +kubebuilder:validation:Enum=team;teams;user;escalation;schedule
type OpsGenieResponderType string

// OpsGenieConfigResponder is a responder of an OpsGenie alert, named by one
// of id, name or username.
//
// +kubebuilder:validation:XValidation:rule="has(self.id) || has(self.name) || has(self.username)",message="a responder needs id, name or username"
type OpsGenieConfigResponder struct {
	// id of the responder.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	ID *string `json:"id,omitempty"`

	// name of the responder.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Name *string `json:"name,omitempty"`

	// username of a user responder.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Username *string `json:"username,omitempty"`

	// type of the responder; "teams" takes a comma-separated list of names.
	//
	// +required
	Type OpsGenieResponderType `json:"type"`
}
