package v1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Alertmanager runs an Alertmanager cluster as a StatefulSet, configured from
// a base configuration Secret and the AlertmanagerConfigs its selectors pick.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:subresource:scale:specpath=.spec.replicas,statuspath=.status.replicas,selectorpath=.status.selector
// +kubebuilder:resource:categories=prometheus-operator,shortName=am
// +kubebuilder:printcolumn:name="Version",type="string",JSONPath=".spec.version",description="The version of Alertmanager"
// +kubebuilder:printcolumn:name="Replicas",type="integer",JSONPath=".spec.replicas",description="The number of desired replicas"
// +kubebuilder:printcolumn:name="Ready",type="integer",JSONPath=".status.availableReplicas",description="The number of ready replicas"
// +kubebuilder:printcolumn:name="Reconciled",type="string",JSONPath=".status.conditions[?(@.type == 'Reconciled')].status"
// +kubebuilder:printcolumn:name="Available",type="string",JSONPath=".status.conditions[?(@.type == 'Available')].status"
// +kubebuilder:printcolumn:name="Age",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:printcolumn:name="Paused",type="boolean",JSONPath=".status.paused",description="Whether reconciliation is paused",priority=1
type Alertmanager struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the object's metadata.
	//
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the desired Alertmanager cluster.
	//
	// +required
	Spec AlertmanagerSpec `json:"spec"`

	// status is what Vigil last observed.
	//
	// +optional
	Status AlertmanagerStatus `json:"status,omitempty,omitzero"`
}

// AlertmanagerList is a list of Alertmanager objects.
//
// +kubebuilder:object:root=true
type AlertmanagerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Alertmanager `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Alertmanager{}, &AlertmanagerList{})
}

// AlertmanagerSpec is the desired state of an Alertmanager cluster.
type AlertmanagerSpec struct {
	CommonWorkloadFields `json:",inline"`

	// replicas is the number of Alertmanager pods; 1 when unset. Two or more
	// form a gossip cluster.
	//
	// +optional
	// +kubebuilder:default=1
	// +kubebuilder:validation:Minimum=0
	Replicas *int32 `json:"replicas,omitempty"`

	// retention is how long silences and notification state are kept.
	//
	// +optional
	// +kubebuilder:default:="120h"
	// +kubebuilder:validation:MaxLength=64
	Retention GoDuration `json:"retention,omitempty"`

	// topologySpreadConstraints of the pods.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	TopologySpreadConstraints []corev1.TopologySpreadConstraint `json:"topologySpreadConstraints,omitempty"`

	// configSecret is the Secret in the object's namespace whose
	// alertmanager.yaml key is the base configuration; its other keys are
	// mounted beside it. alertmanager-<name> when unset. A missing Secret or
	// key gives a configuration with one receiver that drops everything.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=253
	ConfigSecret string `json:"configSecret,omitempty"`

	// alertmanagerConfiguration names an AlertmanagerConfig in the object's
	// namespace to build the configuration from; it takes precedence over
	// configSecret.
	//
	// +optional
	AlertmanagerConfiguration *AlertmanagerConfiguration `json:"alertmanagerConfiguration,omitempty"`

	// alertmanagerConfigSelector selects AlertmanagerConfigs by label; empty
	// selects all, unset selects none.
	//
	// +optional
	AlertmanagerConfigSelector *metav1.LabelSelector `json:"alertmanagerConfigSelector,omitempty"`

	// alertmanagerConfigNamespaceSelector selects the namespaces
	// AlertmanagerConfigs are taken from; empty selects all, unset selects
	// the object's own namespace.
	//
	// +optional
	AlertmanagerConfigNamespaceSelector *metav1.LabelSelector `json:"alertmanagerConfigNamespaceSelector,omitempty"`

	// alertmanagerConfigMatcherStrategy says which alerts the routes and
	// inhibition rules of an AlertmanagerConfig apply to.
	//
	// +optional
	AlertmanagerConfigMatcherStrategy *AlertmanagerConfigMatcherStrategy `json:"alertmanagerConfigMatcherStrategy,omitempty"`

	// web configures Alertmanager's HTTP server.
	//
	// +optional
	Web *AlertmanagerWebSpec `json:"web,omitempty"`

	// enableFeatures are Alertmanager feature flags (--enable-feature).
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=256
	EnableFeatures []string `json:"enableFeatures,omitempty"`

	// additionalPeers are host:port addresses of Alertmanagers outside this
	// object to form a cluster with.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=512
	AdditionalPeers []string `json:"additionalPeers,omitempty"`

	// forceEnableClusterMode keeps cluster mode on with one replica, as an
	// Alertmanager cluster spread over Kubernetes clusters needs.
	//
	// +optional
	ForceEnableClusterMode bool `json:"forceEnableClusterMode,omitempty"`

	// clusterAdvertiseAddress is the address advertised to peers; needed
	// when the pod address is not a private (RFC 1918) one.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=512
	ClusterAdvertiseAddress string `json:"clusterAdvertiseAddress,omitempty"`

	// clusterGossipInterval is the interval between gossip messages.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	ClusterGossipInterval GoDuration `json:"clusterGossipInterval,omitempty"`

	// clusterPushpullInterval is the interval between full state syncs.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	ClusterPushpullInterval GoDuration `json:"clusterPushpullInterval,omitempty"`

	// clusterPeerTimeout is how long a peer waits for the previous peer to
	// notify before it does.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	ClusterPeerTimeout GoDuration `json:"clusterPeerTimeout,omitempty"`

	// clusterLabel identifies the cluster, so that peers of another cluster
	// are refused; <namespace>/<name> when unset. Only worth setting with
	// additionalPeers.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=512
	ClusterLabel *string `json:"clusterLabel,omitempty"`
}

// AlertmanagerConfigMatcherStrategyType is how an AlertmanagerConfig is
// limited to the alerts of its namespace.
//
// +kubebuilder:validation:Enum=OnNamespace;OnNamespaceExceptForAlertmanagerNamespace;None
type AlertmanagerConfigMatcherStrategyType string

const (
	// OnNamespaceConfigMatcherStrategyType limits every AlertmanagerConfig
	// to alerts whose namespace label is its namespace.
	OnNamespaceConfigMatcherStrategyType AlertmanagerConfigMatcherStrategyType = "OnNamespace"
	// OnNamespaceExceptForAlertmanagerNamespaceConfigMatcherStrategyType does
	// the same, except for AlertmanagerConfigs in the Alertmanager object's
	// namespace, which see every alert.
	OnNamespaceExceptForAlertmanagerNamespaceConfigMatcherStrategyType AlertmanagerConfigMatcherStrategyType = "OnNamespaceExceptForAlertmanagerNamespace"
	// NoneConfigMatcherStrategyType lets every AlertmanagerConfig see every
	// alert.
	NoneConfigMatcherStrategyType AlertmanagerConfigMatcherStrategyType = "None"
)

// AlertmanagerConfigMatcherStrategy says which alerts AlertmanagerConfigs
// apply to.
type AlertmanagerConfigMatcherStrategy struct {
	// type of the strategy; OnNamespace when unset.
	//
	// +optional
	// +kubebuilder:default:="OnNamespace"
	Type AlertmanagerConfigMatcherStrategyType `json:"type,omitempty"`
}

// AlertmanagerConfiguration builds Alertmanager's configuration from one
// AlertmanagerConfig, with no namespace matchers added.
type AlertmanagerConfiguration struct {
	// name of the AlertmanagerConfig, in the Alertmanager object's namespace.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name,omitempty"`

	// global holds the configuration's global section.
	//
	// +optional
	Global *AlertmanagerGlobalConfig `json:"global,omitempty"`

	// templates are notification template files, from Secrets or ConfigMaps.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	Templates []SecretOrConfigMap `json:"templates,omitempty"`
}

// AlertmanagerGlobalConfig is the global section of Alertmanager's
// configuration: defaults for every receiver.
type AlertmanagerGlobalConfig struct {
	// smtp holds the email defaults.
	//
	// +optional
	SMTPConfig *GlobalSMTPConfig `json:"smtp,omitempty"`

	// resolveTimeout is after how long an alert that does not say when it
	// ends is resolved. Alerts from Prometheus always say.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	ResolveTimeout Duration `json:"resolveTimeout,omitempty"`

	// httpConfig is the default HTTP client of the receivers.
	//
	// +optional
	HTTPConfig *AlertmanagerHTTPConfig `json:"httpConfig,omitempty"`

	// slackApiUrl is the Secret key holding the default Slack webhook URL.
	//
	// +optional
	SlackAPIURL *corev1.SecretKeySelector `json:"slackApiUrl,omitempty"`

	// opsGenieApiUrl is the Secret key holding the default OpsGenie API URL.
	//
	// +optional
	OpsGenieAPIURL *corev1.SecretKeySelector `json:"opsGenieApiUrl,omitempty"`

	// opsGenieApiKey is the Secret key holding the default OpsGenie API key.
	//
	// +optional
	OpsGenieAPIKey *corev1.SecretKeySelector `json:"opsGenieApiKey,omitempty"`

	// pagerdutyUrl is the default PagerDuty URL.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern:="^(http|https)://.+$"
	PagerdutyURL *string `json:"pagerdutyUrl,omitempty"`
}

// AlertmanagerHTTPConfig is an HTTP client of Alertmanager, with TLS
// material from Secrets and ConfigMaps only.
type AlertmanagerHTTPConfig struct {
	HTTPClientConfig `json:",inline"`

	// tlsConfig of the connections.
	//
	// +optional
	TLSConfig *SafeTLSConfig `json:"tlsConfig,omitempty"`
}

// GlobalSMTPConfig holds the default email settings.
type GlobalSMTPConfig struct {
	// from is the default From header.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=512
	From *string `json:"from,omitempty"`

	// smartHost is the default SMTP server.
	//
	// +optional
	SmartHost *HostPort `json:"smartHost,omitempty"`

	// hello is the host name sent to the SMTP server.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=253
	Hello *string `json:"hello,omitempty"`

	// authUsername is the user name for CRAM-MD5, LOGIN and PLAIN; no
	// authentication when unset.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=512
	AuthUsername *string `json:"authUsername,omitempty"`

	// authPassword is the Secret key holding the password for LOGIN and
	// PLAIN.
	//
	// +optional
	AuthPassword *corev1.SecretKeySelector `json:"authPassword,omitempty"`

	// authIdentity is the identity for PLAIN.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=512
	AuthIdentity *string `json:"authIdentity,omitempty"`

	// authSecret is the Secret key holding the secret for CRAM-MD5.
	//
	// +optional
	AuthSecret *corev1.SecretKeySelector `json:"authSecret,omitempty"`

	// requireTLS requires STARTTLS (Alertmanager's default).
	//
	// +optional
	RequireTLS *bool `json:"requireTLS,omitempty"`

	// tlsConfig of the SMTP connections.
	//
	// +optional
	TLSConfig *SafeTLSConfig `json:"tlsConfig,omitempty"`

	// forceImplicitTLS uses TLS from the start of the connection instead of
	// STARTTLS; unset, Alertmanager decides by port (465 is implicit TLS).
	//
	// +optional
	ForceImplicitTLS *bool `json:"forceImplicitTLS,omitempty"`
}

// HostPort is a network address.
type HostPort struct {
	// host is a DNS name or an IP address.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Host string `json:"host"`

	// port is a port number or a service name.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=15
	Port string `json:"port"`
}

// AlertmanagerWebSpec configures Alertmanager's HTTP server.
type AlertmanagerWebSpec struct {
	WebConfigFileFields `json:",inline"`

	// getConcurrency is the most GET requests served at once.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	GetConcurrency *int32 `json:"getConcurrency,omitempty"`

	// timeout of an HTTP request, in seconds.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	Timeout *int32 `json:"timeout,omitempty"`
}

// AlertmanagerStatus is what Vigil last observed of an Alertmanager cluster.
type AlertmanagerStatus struct {
	WorkloadStatus `json:",inline"`
}
