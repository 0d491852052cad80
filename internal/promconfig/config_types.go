package promconfig

// The structures below are the parts of Prometheus's configuration file that
// Vigil writes, with Prometheus's YAML names. Prometheus's own config types
// are not used for writing because they hide secrets when marshalled.

// Config is prometheus.yaml.
type Config struct {
	Global    GlobalConfig `yaml:"global"`
	RuleFiles []string     `yaml:"rule_files,omitempty"`
	// ScrapeConfigs holds *ScrapeConfig, then the additional scrape
	// configs as yaml.Node.
	ScrapeConfigs      []any           `yaml:"scrape_configs,omitempty"`
	Storage            *StorageConfig  `yaml:"storage,omitempty"`
	Alerting           *AlertingConfig `yaml:"alerting,omitempty"`
	RemoteWriteConfigs []*RemoteWrite  `yaml:"remote_write,omitempty"`
	RemoteReadConfigs  []*RemoteRead   `yaml:"remote_read,omitempty"`
}

// GlobalConfig is the global section.
type GlobalConfig struct {
	ScrapeInterval     string            `yaml:"scrape_interval,omitempty"`
	ScrapeTimeout      string            `yaml:"scrape_timeout,omitempty"`
	ScrapeProtocols    []string          `yaml:"scrape_protocols,omitempty"`
	ExternalLabels     map[string]string `yaml:"external_labels,omitempty"`
	GlobalLimits       `yaml:",inline"`
	EvaluationInterval string `yaml:"evaluation_interval,omitempty"`
	RuleQueryOffset    string `yaml:"rule_query_offset,omitempty"`
}

// GlobalLimits are the limits of every job that sets none of its own.
type GlobalLimits struct {
	BodySizeLimit         string  `yaml:"body_size_limit,omitempty"`
	SampleLimit           *uint64 `yaml:"sample_limit,omitempty"`
	TargetLimit           *uint64 `yaml:"target_limit,omitempty"`
	LabelLimit            *uint64 `yaml:"label_limit,omitempty"`
	LabelNameLengthLimit  *uint64 `yaml:"label_name_length_limit,omitempty"`
	LabelValueLengthLimit *uint64 `yaml:"label_value_length_limit,omitempty"`
	KeepDroppedTargets    *uint64 `yaml:"keep_dropped_targets,omitempty"`
}

// StorageConfig is the storage section.
type StorageConfig struct {
	TSDB *TSDBConfig `yaml:"tsdb,omitempty"`
}

// TSDBConfig holds TSDB settings that live in the file rather than flags.
type TSDBConfig struct {
	OutOfOrderTimeWindow string           `yaml:"out_of_order_time_window,omitempty"`
	Retention            *RetentionConfig `yaml:"retention,omitempty"`
}

// RetentionConfig is how long and how much Prometheus keeps.
type RetentionConfig struct {
	Time string `yaml:"time,omitempty"`
	Size string `yaml:"size,omitempty"`
}

// ScrapeConfig is one scrape job.
type ScrapeConfig struct {
	JobName                  string              `yaml:"job_name"`
	HonorLabels              *bool               `yaml:"honor_labels,omitempty"`
	HonorTimestamps          *bool               `yaml:"honor_timestamps,omitempty"`
	TrackTimestampsStaleness *bool               `yaml:"track_timestamps_staleness,omitempty"`
	KubernetesSDConfigs      []*KubernetesSD     `yaml:"kubernetes_sd_configs,omitempty"`
	StaticConfigs            []*StaticConfig     `yaml:"static_configs,omitempty"`
	FileSDConfigs            []*FileSD           `yaml:"file_sd_configs,omitempty"`
	HTTPSDConfigs            []*HTTPSD           `yaml:"http_sd_configs,omitempty"`
	DNSSDConfigs             []*DNSSD            `yaml:"dns_sd_configs,omitempty"`
	ScrapeInterval           string              `yaml:"scrape_interval,omitempty"`
	ScrapeTimeout            string              `yaml:"scrape_timeout,omitempty"`
	ScrapeProtocols          []string            `yaml:"scrape_protocols,omitempty"`
	FallbackScrapeProtocol   string              `yaml:"fallback_scrape_protocol,omitempty"`
	MetricsPath              string              `yaml:"metrics_path,omitempty"`
	Params                   map[string][]string `yaml:"params,omitempty"`
	Scheme                   string              `yaml:"scheme,omitempty"`
	EnableCompression        *bool               `yaml:"enable_compression,omitempty"`
	HTTPClient               `yaml:",inline"`
	RelabelConfigs           []*RelabelConfig `yaml:"relabel_configs,omitempty"`
	MetricRelabelConfigs     []*RelabelConfig `yaml:"metric_relabel_configs,omitempty"`
	Limits                   `yaml:",inline"`
}

// Limits are a job's sample, target and label limits.
type Limits struct {
	SampleLimit                    *uint64  `yaml:"sample_limit,omitempty"`
	TargetLimit                    *uint64  `yaml:"target_limit,omitempty"`
	LabelLimit                     *uint64  `yaml:"label_limit,omitempty"`
	LabelNameLengthLimit           *uint64  `yaml:"label_name_length_limit,omitempty"`
	LabelValueLengthLimit          *uint64  `yaml:"label_value_length_limit,omitempty"`
	KeepDroppedTargets             *uint64  `yaml:"keep_dropped_targets,omitempty"`
	BodySizeLimit                  string   `yaml:"body_size_limit,omitempty"`
	NativeHistogramBucketLimit     *uint64  `yaml:"native_histogram_bucket_limit,omitempty"`
	NativeHistogramMinBucketFactor *float64 `yaml:"native_histogram_min_bucket_factor,omitempty"`
	ScrapeNativeHistograms         *bool    `yaml:"scrape_native_histograms,omitempty"`
	AlwaysScrapeClassicHistograms  *bool    `yaml:"always_scrape_classic_histograms,omitempty"`
	ConvertClassicHistogramsToNHCB *bool    `yaml:"convert_classic_histograms_to_nhcb,omitempty"`
}

// HTTPClient is Prometheus's HTTP client configuration: authentication,
// TLS and proxy.
type HTTPClient struct {
	BasicAuth       *BasicAuth     `yaml:"basic_auth,omitempty"`
	Authorization   *Authorization `yaml:"authorization,omitempty"`
	OAuth2          *OAuth2        `yaml:"oauth2,omitempty"`
	BearerTokenFile string         `yaml:"bearer_token_file,omitempty"`
	TLSConfig       *TLSConfig     `yaml:"tls_config,omitempty"`
	ProxyConfig     `yaml:",inline"`
	FollowRedirects *bool `yaml:"follow_redirects,omitempty"`
	EnableHTTP2     *bool `yaml:"enable_http2,omitempty"`
}

// ProxyConfig routes requests through a proxy.
type ProxyConfig struct {
	ProxyURL             string              `yaml:"proxy_url,omitempty"`
	NoProxy              string              `yaml:"no_proxy,omitempty"`
	ProxyFromEnvironment *bool               `yaml:"proxy_from_environment,omitempty"`
	ProxyConnectHeader   map[string][]string `yaml:"proxy_connect_header,omitempty"`
}

// BasicAuth is HTTP basic authentication.
type BasicAuth struct {
	Username string `yaml:"username,omitempty"`
	Password string `yaml:"password,omitempty"`
}

// Authorization sets the Authorization header.
type Authorization struct {
	Type            string `yaml:"type,omitempty"`
	Credentials     string `yaml:"credentials,omitempty"`
	CredentialsFile string `yaml:"credentials_file,omitempty"`
}

// OAuth2 is the client credentials flow.
type OAuth2 struct {
	ClientID       string            `yaml:"client_id"`
	ClientSecret   string            `yaml:"client_secret"`
	TokenURL       string            `yaml:"token_url"`
	Scopes         []string          `yaml:"scopes,omitempty"`
	EndpointParams map[string]string `yaml:"endpoint_params,omitempty"`
	TLSConfig      *TLSConfig        `yaml:"tls_config,omitempty"`
	ProxyConfig    `yaml:",inline"`
}

// TLSConfig is a TLS client configuration. Material from Secrets and
// ConfigMaps is written inline (ca, cert, key): the whole file lives in a
// Secret, and Prometheus then needs no second volume that could lag behind.
type TLSConfig struct {
	CA                 string `yaml:"ca,omitempty"`
	Cert               string `yaml:"cert,omitempty"`
	Key                string `yaml:"key,omitempty"`
	CAFile             string `yaml:"ca_file,omitempty"`
	CertFile           string `yaml:"cert_file,omitempty"`
	KeyFile            string `yaml:"key_file,omitempty"`
	ServerName         string `yaml:"server_name,omitempty"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify,omitempty"`
	MinVersion         string `yaml:"min_version,omitempty"`
	MaxVersion         string `yaml:"max_version,omitempty"`
}

// KubernetesSD is a kubernetes_sd_configs entry.
type KubernetesSD struct {
	APIServer      string                 `yaml:"api_server,omitempty"`
	Role           string                 `yaml:"role"`
	Namespaces     *KubernetesSDNames     `yaml:"namespaces,omitempty"`
	Selectors      []KubernetesSDSelector `yaml:"selectors,omitempty"`
	AttachMetadata *AttachMetadata        `yaml:"attach_metadata,omitempty"`
	HTTPClient     `yaml:",inline"`
}

// KubernetesSDNames lists the namespaces discovered.
type KubernetesSDNames struct {
	OwnNamespace *bool    `yaml:"own_namespace,omitempty"`
	Names        []string `yaml:"names,omitempty"`
}

// KubernetesSDSelector narrows what a role watches.
type KubernetesSDSelector struct {
	Role  string  `yaml:"role"`
	Label *string `yaml:"label,omitempty"`
	Field *string `yaml:"field,omitempty"`
}

// AttachMetadata adds node metadata to targets.
type AttachMetadata struct {
	Node bool `yaml:"node,omitempty"`
}

// StaticConfig is a static_configs entry.
type StaticConfig struct {
	Targets []string          `yaml:"targets"`
	Labels  map[string]string `yaml:"labels,omitempty"`
}

// FileSD is a file_sd_configs entry.
type FileSD struct {
	Files           []string `yaml:"files"`
	RefreshInterval string   `yaml:"refresh_interval,omitempty"`
}

// HTTPSD is an http_sd_configs entry.
type HTTPSD struct {
	URL             string `yaml:"url"`
	RefreshInterval string `yaml:"refresh_interval,omitempty"`
	HTTPClient      `yaml:",inline"`
}

// DNSSD is a dns_sd_configs entry.
type DNSSD struct {
	Names           []string `yaml:"names"`
	RefreshInterval string   `yaml:"refresh_interval,omitempty"`
	Type            string   `yaml:"type,omitempty"`
	Port            *int32   `yaml:"port,omitempty"`
}

// RelabelConfig is one relabel rule. Fields keep Prometheus Operator's order.
type RelabelConfig struct {
	Action       string   `yaml:"action,omitempty"`
	SourceLabels []string `yaml:"source_labels,omitempty,flow"`
	Separator    *string  `yaml:"separator,omitempty"`
	TargetLabel  string   `yaml:"target_label,omitempty"`
	Regex        string   `yaml:"regex,omitempty"`
	Modulus      uint64   `yaml:"modulus,omitempty"`
	Replacement  *string  `yaml:"replacement,omitempty"`
}

// AlertingConfig is the alerting section.
type AlertingConfig struct {
	// AlertRelabelConfigs holds *RelabelConfig, then the additional ones
	// as yaml.Node; Alertmanagers holds *AlertmanagerConfig, then the
	// additional ones as yaml.Node.
	AlertRelabelConfigs []any `yaml:"alert_relabel_configs,omitempty"`
	Alertmanagers       []any `yaml:"alertmanagers,omitempty"`
}

// AlertmanagerConfig is one set of Alertmanagers that alerts go to.
type AlertmanagerConfig struct {
	KubernetesSDConfigs []*KubernetesSD `yaml:"kubernetes_sd_configs,omitempty"`
	Scheme              string          `yaml:"scheme,omitempty"`
	PathPrefix          string          `yaml:"path_prefix,omitempty"`
	Timeout             string          `yaml:"timeout,omitempty"`
	APIVersion          string          `yaml:"api_version,omitempty"`
	HTTPClient          `yaml:",inline"`
	Sigv4               *Sigv4           `yaml:"sigv4,omitempty"`
	RelabelConfigs      []*RelabelConfig `yaml:"relabel_configs,omitempty"`
	AlertRelabelConfigs []*RelabelConfig `yaml:"alert_relabel_configs,omitempty"`
}

// RemoteWrite is a remote_write entry.
type RemoteWrite struct {
	URL                  string            `yaml:"url"`
	Name                 string            `yaml:"name,omitempty"`
	RemoteTimeout        string            `yaml:"remote_timeout,omitempty"`
	Headers              map[string]string `yaml:"headers,omitempty"`
	WriteRelabelConfigs  []*RelabelConfig  `yaml:"write_relabel_configs,omitempty"`
	SendExemplars        *bool             `yaml:"send_exemplars,omitempty"`
	SendNativeHistograms *bool             `yaml:"send_native_histograms,omitempty"`
	ProtobufMessage      string            `yaml:"protobuf_message,omitempty"`
	HTTPClient           `yaml:",inline"`
	Sigv4                *Sigv4          `yaml:"sigv4,omitempty"`
	AzureAD              *AzureAD        `yaml:"azuread,omitempty"`
	QueueConfig          *QueueConfig    `yaml:"queue_config,omitempty"`
	MetadataConfig       *MetadataConfig `yaml:"metadata_config,omitempty"`
}

// QueueConfig tunes a remote-write queue.
type QueueConfig struct {
	Capacity          *int32 `yaml:"capacity,omitempty"`
	MinShards         *int32 `yaml:"min_shards,omitempty"`
	MaxShards         *int32 `yaml:"max_shards,omitempty"`
	MaxSamplesPerSend *int32 `yaml:"max_samples_per_send,omitempty"`
	BatchSendDeadline string `yaml:"batch_send_deadline,omitempty"`
	MinBackoff        string `yaml:"min_backoff,omitempty"`
	MaxBackoff        string `yaml:"max_backoff,omitempty"`
	RetryOnRateLimit  *bool  `yaml:"retry_on_http_429,omitempty"`
	SampleAgeLimit    string `yaml:"sample_age_limit,omitempty"`
}

// AzureAD authenticates remote writes with Azure AD, one way of four.
type AzureAD struct {
	ManagedIdentity  *AzureManagedIdentity  `yaml:"managed_identity,omitempty"`
	WorkloadIdentity *AzureWorkloadIdentity `yaml:"workload_identity,omitempty"`
	OAuth            *AzureOAuth            `yaml:"oauth,omitempty"`
	SDK              *AzureSDK              `yaml:"sdk,omitempty"`
	Cloud            string                 `yaml:"cloud,omitempty"`
	Scope            string                 `yaml:"scope,omitempty"`
}

// AzureManagedIdentity is a managed identity; the system-assigned one
// without a client ID.
type AzureManagedIdentity struct {
	ClientID string `yaml:"client_id,omitempty"`
}

// AzureWorkloadIdentity is a Kubernetes workload identity.
type AzureWorkloadIdentity struct {
	ClientID string `yaml:"client_id"`
	TenantID string `yaml:"tenant_id"`
}

// AzureOAuth is an Azure AD application and its secret.
type AzureOAuth struct {
	ClientID     string `yaml:"client_id"`
	ClientSecret string `yaml:"client_secret"`
	TenantID     string `yaml:"tenant_id"`
}

// AzureSDK uses the Azure SDK's default credentials.
type AzureSDK struct {
	TenantID string `yaml:"tenant_id,omitempty"`
}

// MetadataConfig controls metadata sent by remote write.
type MetadataConfig struct {
	Send              *bool  `yaml:"send,omitempty"`
	SendInterval      string `yaml:"send_interval,omitempty"`
	MaxSamplesPerSend *int32 `yaml:"max_samples_per_send,omitempty"`
}

// RemoteRead is a remote_read entry.
type RemoteRead struct {
	URL                  string            `yaml:"url"`
	Name                 string            `yaml:"name,omitempty"`
	RequiredMatchers     map[string]string `yaml:"required_matchers,omitempty"`
	RemoteTimeout        string            `yaml:"remote_timeout,omitempty"`
	Headers              map[string]string `yaml:"headers,omitempty"`
	ReadRecent           *bool             `yaml:"read_recent,omitempty"`
	FilterExternalLabels *bool             `yaml:"filter_external_labels,omitempty"`
	HTTPClient           `yaml:",inline"`
}

// Sigv4 signs remote-write requests for AWS.
type Sigv4 struct {
	Region             string `yaml:"region,omitempty"`
	AccessKey          string `yaml:"access_key,omitempty"`
	SecretKey          string `yaml:"secret_key,omitempty"`
	Profile            string `yaml:"profile,omitempty"`
	RoleARN            string `yaml:"role_arn,omitempty"`
	ExternalID         string `yaml:"external_id,omitempty"`
	UseFIPSSTSEndpoint *bool  `yaml:"use_fips_sts_endpoint,omitempty"`
}
