package v1

import (
	corev1 "k8s.io/api/core/v1"
)

// RemoteWriteMessageVersion is a remote write protocol message version.
//
// +kubebuilder:validation:Enum=V1.0;V2.0
type RemoteWriteMessageVersion string

const (
	// RemoteWriteMessageVersion1 is prometheus.WriteRequest (remote write 1.0).
	RemoteWriteMessageVersion1 RemoteWriteMessageVersion = "V1.0"
	// RemoteWriteMessageVersion2 is io.prometheus.write.v2.Request (remote
	// write 2.0); it makes Prometheus keep metric metadata in the WAL.
	RemoteWriteMessageVersion2 RemoteWriteMessageVersion = "V2.0"
)

// RemoteWriteSpec is an endpoint Prometheus sends samples to.
//
// +kubebuilder:validation:XValidation:rule="[has(self.basicAuth), has(self.bearerTokenFile), has(self.authorization), has(self.oauth2), has(self.sigv4), has(self.azureAd)].filter(x, x).size() <= 1",message="at most one of basicAuth, bearerTokenFile, authorization, oauth2, sigv4 and azureAd may be set"
type RemoteWriteSpec struct {
	// url of the endpoint.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern:="^(http|https)://.+$"
	URL string `json:"url"`

	// name of the queue in Prometheus's metrics and logs; unique among the
	// remote writes.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=128
	Name *string `json:"name,omitempty"`

	// messageVersion of the protocol; ask the receiver what it supports.
	//
	// +optional
	MessageVersion *RemoteWriteMessageVersion `json:"messageVersion,omitempty"`

	// sendExemplars sends exemplars; they are only scraped with the
	// exemplar-storage feature enabled.
	//
	// +optional
	SendExemplars *bool `json:"sendExemplars,omitempty"`

	// sendNativeHistograms sends native histograms.
	//
	// +optional
	SendNativeHistograms *bool `json:"sendNativeHistograms,omitempty"`

	// remoteTimeout of a request.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	RemoteTimeout *Duration `json:"remoteTimeout,omitempty"`

	// headers are added to each request; Prometheus's own headers cannot be
	// replaced.
	//
	// +optional
	// +kubebuilder:validation:MaxProperties=64
	Headers map[string]string `json:"headers,omitempty"`

	// writeRelabelConfigs are applied to samples before they are sent.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=256
	WriteRelabelConfigs []RelabelConfig `json:"writeRelabelConfigs,omitempty"`

	// oauth2 authenticates with the OAuth 2.0 client credentials flow.
	//
	// +optional
	OAuth2 *OAuth2 `json:"oauth2,omitempty"`

	// basicAuth authenticates with a user name and password.
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

	// authorization sets the Authorization header from a Secret or a file.
	//
	// +optional
	Authorization *Authorization `json:"authorization,omitempty"`

	// sigv4 signs requests with AWS Signature Version 4.
	//
	// +optional
	Sigv4 *Sigv4 `json:"sigv4,omitempty"`

	// azureAd authenticates with Azure AD.
	//
	// +optional
	AzureAD *AzureAD `json:"azureAd,omitempty"`

	// tlsConfig of the connections.
	//
	// +optional
	TLSConfig *TLSConfig `json:"tlsConfig,omitempty"`

	ProxyConfig `json:",inline"`

	// followRedirects makes the client follow HTTP 3xx redirects.
	//
	// +optional
	FollowRedirects *bool `json:"followRedirects,omitempty"`

	// queueConfig tunes the sending queue.
	//
	// +optional
	QueueConfig *QueueConfig `json:"queueConfig,omitempty"`

	// metadataConfig says whether and how often metric metadata is sent.
	//
	// +optional
	MetadataConfig *MetadataConfig `json:"metadataConfig,omitempty"`

	// enableHTTP2 allows HTTP/2. Spelled enableHTTP2 here, unlike
	// enableHttp2 elsewhere, as in Prometheus Operator.
	//
	// +optional
	EnableHTTP2 *bool `json:"enableHTTP2,omitempty"`
}

// QueueConfig tunes a remote write queue; unset fields keep Prometheus's
// defaults.
type QueueConfig struct {
	// capacity is the number of samples buffered per shard.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	Capacity int32 `json:"capacity,omitempty"`

	// minShards is the least number of concurrent senders.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	MinShards int32 `json:"minShards,omitempty"`

	// maxShards is the most concurrent senders.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	MaxShards int32 `json:"maxShards,omitempty"`

	// maxSamplesPerSend is the most samples in one request.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	MaxSamplesPerSend int32 `json:"maxSamplesPerSend,omitempty"`

	// batchSendDeadline is the longest a sample waits in the buffer.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	BatchSendDeadline *Duration `json:"batchSendDeadline,omitempty"`

	// maxRetries is ignored by current Prometheus versions, which retry
	// recoverable errors without limit.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	MaxRetries int32 `json:"maxRetries,omitempty"`

	// minBackoff is the first retry delay; it doubles on each retry.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	MinBackoff *Duration `json:"minBackoff,omitempty"`

	// maxBackoff is the longest retry delay.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	MaxBackoff *Duration `json:"maxBackoff,omitempty"`

	// retryOnRateLimit retries requests answered with HTTP 429.
	//
	// +optional
	RetryOnRateLimit bool `json:"retryOnRateLimit,omitempty"`

	// sampleAgeLimit drops samples older than this instead of sending them.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	SampleAgeLimit *Duration `json:"sampleAgeLimit,omitempty"`
}

// MetadataConfig says how metric metadata is sent to a remote write
// endpoint.
type MetadataConfig struct {
	// send enables sending metadata.
	//
	// +optional
	Send bool `json:"send,omitempty"`

	// sendInterval is how often metadata is sent.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	SendInterval Duration `json:"sendInterval,omitempty"`

	// maxSamplesPerSend is the most metadata entries in one request; -1 for
	// no limit.
	//
	// +optional
	// +kubebuilder:validation:Minimum=-1
	MaxSamplesPerSend *int32 `json:"maxSamplesPerSend,omitempty"`
}

// Sigv4 signs requests with AWS Signature Version 4. Credentials not given
// here come from the environment of the Prometheus container.
//
// +kubebuilder:validation:XValidation:rule="has(self.accessKey) == has(self.secretKey)",message="accessKey and secretKey must be set together"
// +kubebuilder:validation:XValidation:rule="!has(self.externalId) || has(self.roleArn)",message="externalId needs roleArn"
type Sigv4 struct {
	// region of AWS; from the default credential chain when unset.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	Region string `json:"region,omitempty"`

	// accessKey is the Secret key holding the AWS access key ID.
	//
	// +optional
	AccessKey *corev1.SecretKeySelector `json:"accessKey,omitempty"`

	// secretKey is the Secret key holding the AWS secret access key.
	//
	// +optional
	SecretKey *corev1.SecretKeySelector `json:"secretKey,omitempty"`

	// profile is the named AWS profile used.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=256
	Profile string `json:"profile,omitempty"`

	// roleArn is the ARN of the role assumed.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	RoleArn string `json:"roleArn,omitempty"`

	// externalId is passed when assuming roleArn.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1224
	ExternalID string `json:"externalId,omitempty"`

	// useFIPSSTSEndpoint uses the FIPS endpoint of AWS STS.
	//
	// +optional
	UseFIPSSTSEndpoint *bool `json:"useFIPSSTSEndpoint,omitempty"`
}

// AzureAD authenticates remote writes with Azure AD, by exactly one of a
// managed identity, OAuth, the Azure SDK or a workload identity.
//
// +kubebuilder:validation:XValidation:rule="[has(self.managedIdentity), has(self.oauth), has(self.sdk), has(self.workloadIdentity)].filter(x, x).size() == 1",message="exactly one of managedIdentity, oauth, sdk and workloadIdentity must be set"
type AzureAD struct {
	// cloud is the Azure cloud; AzurePublic when unset.
	//
	// +optional
	// +kubebuilder:validation:Enum=AzureChina;AzureGovernment;AzurePublic
	Cloud *string `json:"cloud,omitempty"`

	// managedIdentity authenticates as a user-assigned managed identity.
	//
	// +optional
	ManagedIdentity *ManagedIdentity `json:"managedIdentity,omitempty"`

	// oauth authenticates as an Azure AD application.
	//
	// +optional
	OAuth *AzureOAuth `json:"oauth,omitempty"`

	// sdk authenticates with the Azure SDK's default credential chain.
	//
	// +optional
	SDK *AzureSDK `json:"sdk,omitempty"`

	// workloadIdentity authenticates with Azure workload identity.
	//
	// +optional
	WorkloadIdentity *AzureWorkloadIdentity `json:"workloadIdentity,omitempty"`

	// scope of the token requested.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	// +kubebuilder:validation:Pattern:=`^[\w\s:/.\\-]+$`
	Scope *string `json:"scope,omitempty"`
}

// ManagedIdentity is an Azure user-assigned managed identity.
type ManagedIdentity struct {
	// clientId of the identity; the system-assigned identity when unset.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	ClientID *string `json:"clientId,omitempty"`
}

// AzureOAuth is an Azure AD application.
type AzureOAuth struct {
	// clientId of the application.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	ClientID string `json:"clientId"`

	// clientSecret is the Secret key holding the application's secret.
	//
	// +required
	ClientSecret corev1.SecretKeySelector `json:"clientSecret"`

	// tenantId of the application.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:Pattern:="^[0-9a-zA-Z-.]+$"
	TenantID string `json:"tenantId"`
}

// AzureSDK authenticates with the Azure SDK's default credential chain.
type AzureSDK struct {
	// tenantId to authenticate in.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:Pattern:="^[0-9a-zA-Z-.]+$"
	TenantID *string `json:"tenantId,omitempty"`
}

// AzureWorkloadIdentity is an Azure workload identity.
type AzureWorkloadIdentity struct {
	// clientId of the identity.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	ClientID string `json:"clientId"`

	// tenantId of the identity.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	TenantID string `json:"tenantId"`
}

// RemoteReadSpec is an endpoint Prometheus reads samples from when it
// queries.
//
// +kubebuilder:validation:XValidation:rule="[has(self.basicAuth), has(self.bearerTokenFile), has(self.authorization), has(self.oauth2)].filter(x, x).size() <= 1",message="at most one of basicAuth, bearerTokenFile, authorization and oauth2 may be set"
type RemoteReadSpec struct {
	// url of the endpoint.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern:="^(http|https)://.+$"
	URL string `json:"url"`

	// name of the endpoint in Prometheus's metrics and logs; unique among
	// the remote reads.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=128
	Name string `json:"name,omitempty"`

	// requiredMatchers are equality matchers a query's selector must contain
	// for this endpoint to be read.
	//
	// +optional
	// +kubebuilder:validation:MaxProperties=64
	RequiredMatchers map[string]string `json:"requiredMatchers,omitempty"`

	// remoteTimeout of a request.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	RemoteTimeout *Duration `json:"remoteTimeout,omitempty"`

	// headers are added to each request; Prometheus's own headers cannot be
	// replaced.
	//
	// +optional
	// +kubebuilder:validation:MaxProperties=64
	Headers map[string]string `json:"headers,omitempty"`

	// readRecent also reads time ranges local storage should hold in full.
	//
	// +optional
	ReadRecent bool `json:"readRecent,omitempty"`

	// oauth2 authenticates with the OAuth 2.0 client credentials flow.
	//
	// +optional
	OAuth2 *OAuth2 `json:"oauth2,omitempty"`

	// basicAuth authenticates with a user name and password.
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

	// authorization sets the Authorization header from a Secret or a file.
	//
	// +optional
	Authorization *Authorization `json:"authorization,omitempty"`

	// tlsConfig of the connections.
	//
	// +optional
	TLSConfig *TLSConfig `json:"tlsConfig,omitempty"`

	ProxyConfig `json:",inline"`

	// followRedirects makes the client follow HTTP 3xx redirects.
	//
	// +optional
	FollowRedirects *bool `json:"followRedirects,omitempty"`

	// filterExternalLabels adds the external labels as matchers to the
	// queries sent (Prometheus's default).
	//
	// +optional
	FilterExternalLabels *bool `json:"filterExternalLabels,omitempty"`
}
