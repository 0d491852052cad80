package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// EmailConfig sends alerts by email. Fields left unset take Alertmanager's
// global SMTP settings.
//
// +kubebuilder:validation:XValidation:rule="has(self.to)",message="to is required"
type EmailConfig struct {
	// sendResolved also notifies when alerts resolve.
	//
	// +optional
	SendResolved *bool `json:"sendResolved,omitempty"`

	// to is the recipient address, or a comma-separated list of them.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	To *string `json:"to,omitempty"`

	// from is the sender address.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	From *string `json:"from,omitempty"`

	// hello is the host name sent in the SMTP HELO/EHLO greeting.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Hello *string `json:"hello,omitempty"`

	// smarthost is the SMTP server as host:port, such as smtp.example.com:587.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	// +kubebuilder:validation:Pattern=`^.+:[0-9]{1,5}$`
	Smarthost *string `json:"smarthost,omitempty"`

	// authUsername is the user name for SMTP authentication.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	AuthUsername *string `json:"authUsername,omitempty"`

	// authPassword is the Secret key holding the SMTP password.
	//
	// +optional
	AuthPassword *corev1.SecretKeySelector `json:"authPassword,omitempty"`

	// authSecret is the Secret key holding the CRAM-MD5 secret.
	//
	// +optional
	AuthSecret *corev1.SecretKeySelector `json:"authSecret,omitempty"`

	// authIdentity is the identity for SMTP PLAIN authentication.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	AuthIdentity *string `json:"authIdentity,omitempty"`

	// headers are added to the message, replacing headers Alertmanager would
	// set. Names are case-insensitive.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	Headers []KeyValue `json:"headers,omitempty"`

	// html is the template of the HTML body.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=65536
	HTML *string `json:"html,omitempty"`

	// text is the template of the plain-text body.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=65536
	Text *string `json:"text,omitempty"`

	// requireTLS refuses to send unless the server supports STARTTLS.
	//
	// +optional
	RequireTLS *bool `json:"requireTLS,omitempty"`

	// tlsConfig is the TLS configuration for the SMTP connection.
	//
	// +optional
	TLSConfig *monitoringv1.SafeTLSConfig `json:"tlsConfig,omitempty"`

	// forceImplicitTLS, when true, starts TLS as soon as the connection is
	// open whatever the port; when false, never does. Unset means implicit
	// TLS on port 465 only.
	//
	// +optional
	ForceImplicitTLS *bool `json:"forceImplicitTLS,omitempty"`

	// threading groups the messages of one alert group into a thread.
	//
	// +optional
	Threading *EmailThreadingConfig `json:"threading,omitempty"`
}

// ThreadByDate is how finely the date splits email threads.
//
// +kubebuilder:validation:Enum=Daily;None
type ThreadByDate string

const (
	// ThreadByDateDaily starts a new thread for each alert group every day.
	ThreadByDateDaily ThreadByDate = "Daily"
	// ThreadByDateNone keeps one thread per alert group.
	ThreadByDateNone ThreadByDate = "None"
)

// EmailThreadingConfig groups the messages of an alert group into a thread.
type EmailThreadingConfig struct {
	// threadByDate is Daily for a new thread every day, None for one thread
	// per alert group.
	//
	// +required
	ThreadByDate ThreadByDate `json:"threadByDate"`
}
