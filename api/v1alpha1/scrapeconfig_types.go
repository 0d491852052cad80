package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// ScrapeConfig is a namespaced Prometheus scrape job: where targets come
// from (static lists or service discovery, see scrapeconfig_sd_types.go)
// and how they are scraped. Prometheus objects select ScrapeConfigs and add
// one job for each.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:categories=prometheus-operator,shortName=scfg
type ScrapeConfig struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the object's metadata.
	//
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the scrape job.
	//
	// +required
	Spec ScrapeConfigSpec `json:"spec"`

	// status lists the Prometheus objects that select this object and
	// whether each accepted it.
	//
	// +optional
	Status monitoringv1.ConfigResourceStatus `json:"status,omitempty,omitzero"`
}

// ScrapeConfigList is a list of ScrapeConfigs.
//
// +kubebuilder:object:root=true
type ScrapeConfigList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ScrapeConfig `json:"items"`
}

func init() {
	SchemeBuilder.Register(&ScrapeConfig{}, &ScrapeConfigList{})
}

// ScrapeConfigSpec is one scrape job: its target sources and its scrape
// settings.
//
// +kubebuilder:validation:XValidation:rule="[has(self.basicAuth), has(self.authorization), has(self.oauth2)].filter(x, x).size() <= 1",message="at most one of basicAuth, authorization and oauth2 may be set"
type ScrapeConfigSpec struct {
	// jobName is the default value of the job label of the scraped series.
	// The job's name in the Prometheus configuration is chosen by Vigil so
	// that it is unique; the job label is set by relabeling.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	JobName *string `json:"jobName,omitempty"`

	ScrapeConfigSources `json:",inline"`

	// relabelings rewrite each target's labels before it is scraped. The
	// name of the job Vigil generated is in the __tmp_prometheus_job_name
	// label.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=1000
	Relabelings []monitoringv1.RelabelConfig `json:"relabelings,omitempty"`

	// metricsPath is the HTTP path scraped; /metrics when unset.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	MetricsPath *string `json:"metricsPath,omitempty"`

	// scrapeInterval is the time between scrapes; the Prometheus object's
	// default when unset.
	//
	// +optional
	ScrapeInterval *monitoringv1.Duration `json:"scrapeInterval,omitempty"`

	// scrapeTimeout is how long a scrape may take; it must not exceed
	// scrapeInterval.
	//
	// +optional
	ScrapeTimeout *monitoringv1.Duration `json:"scrapeTimeout,omitempty"`

	// scrapeProtocols are the exposition formats Prometheus asks for, most
	// preferred first.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=5
	ScrapeProtocols []monitoringv1.ScrapeProtocol `json:"scrapeProtocols,omitempty"`

	// fallbackScrapeProtocol is the format assumed when a target answers
	// with a missing or unknown Content-Type.
	//
	// +optional
	FallbackScrapeProtocol *monitoringv1.ScrapeProtocol `json:"fallbackScrapeProtocol,omitempty"`

	// honorTimestamps keeps the timestamps targets expose (the default).
	//
	// +optional
	HonorTimestamps *bool `json:"honorTimestamps,omitempty"`

	// trackTimestampsStaleness marks series with explicit timestamps stale
	// when they disappear. It has no effect when honorTimestamps is false.
	//
	// +optional
	TrackTimestampsStaleness *bool `json:"trackTimestampsStaleness,omitempty"`

	// honorLabels keeps the target's labels when they collide with labels
	// Prometheus attaches, instead of renaming them exported_<name>.
	//
	// +optional
	HonorLabels *bool `json:"honorLabels,omitempty"`

	// params are the query parameters of the scrape request.
	//
	// +optional
	// +mapType=atomic
	Params map[string][]string `json:"params,omitempty"`

	// scheme of the scrape request; http when unset.
	//
	// +optional
	Scheme *monitoringv1.Scheme `json:"scheme,omitempty"`

	// enableCompression asks targets for a compressed response (the default).
	//
	// +optional
	EnableCompression *bool `json:"enableCompression,omitempty"`

	// enableHTTP2 allows HTTP/2 for scrapes.
	//
	// +optional
	EnableHTTP2 *bool `json:"enableHTTP2,omitempty"`

	// basicAuth authenticates scrapes with a user name and password.
	//
	// +optional
	BasicAuth *monitoringv1.BasicAuth `json:"basicAuth,omitempty"`

	// authorization sets the Authorization header of scrapes.
	//
	// +optional
	Authorization *monitoringv1.SafeAuthorization `json:"authorization,omitempty"`

	// oauth2 authenticates scrapes with the OAuth 2.0 client credentials flow.
	//
	// +optional
	OAuth2 *monitoringv1.OAuth2 `json:"oauth2,omitempty"`

	// tlsConfig is the TLS configuration of scrapes.
	//
	// +optional
	TLSConfig *monitoringv1.SafeTLSConfig `json:"tlsConfig,omitempty"`

	monitoringv1.ScrapeLimits `json:",inline"`

	monitoringv1.NativeHistogramConfig `json:",inline"`

	// bodySizeLimit is the largest uncompressed response body a scrape may
	// return before it fails, such as 10MB.
	//
	// +optional
	BodySizeLimit *monitoringv1.ByteSize `json:"bodySizeLimit,omitempty"`

	// metricRelabelings rewrite or drop scraped series before they are
	// stored.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=1000
	MetricRelabelings []monitoringv1.RelabelConfig `json:"metricRelabelings,omitempty"`

	monitoringv1.ProxyConfig `json:",inline"`

	// scrapeClass names one of the Prometheus object's scrape classes, whose
	// settings apply where this object leaves them unset.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	ScrapeClassName *string `json:"scrapeClass,omitempty"`
}
