package v1

import (
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Endpoint is one port of the Services a ServiceMonitor selects, and how
// Prometheus scrapes it. Each endpoint becomes its own scrape job,
// serviceMonitor/<namespace>/<name>/<index>.
//
// +kubebuilder:validation:XValidation:rule="!has(self.bearerTokenFile) || self.bearerTokenFile.size() == 0 || !(has(self.basicAuth) || has(self.authorization) || has(self.oauth2) || has(self.bearerTokenSecret))",message="bearerTokenFile cannot be set together with basicAuth, authorization, oauth2 or bearerTokenSecret"
type Endpoint struct {
	// port is the name of the Service port to scrape (spec.ports[].name of
	// the Service). It wins over targetPort when both are set.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=63
	Port string `json:"port,omitempty"`

	// targetPort is the name or number of the container port to scrape, for
	// Services whose ports are not named.
	//
	// +optional
	TargetPort *intstr.IntOrString `json:"targetPort,omitempty"`

	// path is the HTTP path metrics are served on; Prometheus's default,
	// /metrics, when unset.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	Path string `json:"path,omitempty"`

	// scheme is http or https; http when unset.
	//
	// +optional
	Scheme *Scheme `json:"scheme,omitempty"`

	// params are added to the scrape URL's query string.
	//
	// +optional
	Params map[string][]string `json:"params,omitempty"`

	// interval between two scrapes; the Prometheus object's scrape interval
	// when unset.
	//
	// +optional
	Interval Duration `json:"interval,omitempty"`

	// scrapeTimeout is how long a scrape may take before it counts as
	// failed; the global timeout when unset. It cannot exceed interval.
	//
	// +optional
	ScrapeTimeout Duration `json:"scrapeTimeout,omitempty"`

	// tlsConfig is how Prometheus verifies the target and authenticates to
	// it over TLS. Its file fields (caFile, certFile, keyFile) are honoured
	// only for monitors the Prometheus object allows file access to.
	//
	// +optional
	TLSConfig *TLSConfig `json:"tlsConfig,omitempty"`

	// bearerTokenFile is the path, in the Prometheus container, of a file
	// holding a bearer token sent to the target. It is honoured only for
	// monitors the Prometheus object allows file access to.
	// Deprecated: use authorization.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=4096
	BearerTokenFile string `json:"bearerTokenFile,omitempty"`

	// honorLabels keeps the scraped series' labels when they clash with the
	// target's labels, instead of renaming them to exported_<name>.
	//
	// +optional
	HonorLabels bool `json:"honorLabels,omitempty"`

	// honorTimestamps keeps the timestamps the target exposes; true when
	// unset.
	//
	// +optional
	HonorTimestamps *bool `json:"honorTimestamps,omitempty"`

	// trackTimestampsStaleness marks series with explicit timestamps stale
	// when they disappear from a scrape. It has no effect when
	// honorTimestamps is false.
	//
	// +optional
	TrackTimestampsStaleness *bool `json:"trackTimestampsStaleness,omitempty"`

	// metricRelabelings are applied, in order, to every scraped sample
	// before it is stored.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1000
	MetricRelabelConfigs []RelabelConfig `json:"metricRelabelings,omitempty"`

	// relabelings are applied, in order, to the discovered target's labels
	// after the ones Vigil generates; the job name before relabeling is in
	// __tmp_prometheus_job_name.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1000
	RelabelConfigs []RelabelConfig `json:"relabelings,omitempty"`

	// filterRunning drops targets whose pod has finished (phase Succeeded
	// or Failed); true when unset.
	//
	// +optional
	FilterRunning *bool `json:"filterRunning,omitempty"`

	HTTPClientConfig `json:",inline"`
}

// NativeHistogramConfig says how Prometheus ingests native and classic
// histograms from a job's targets. ServiceMonitors, PodMonitors and Probes
// embed it.
type NativeHistogramConfig struct {
	// scrapeNativeHistograms ingests native histograms the target exposes.
	// Prometheus 3.8 or later.
	//
	// +optional
	ScrapeNativeHistograms *bool `json:"scrapeNativeHistograms,omitempty"`

	// scrapeClassicHistograms also ingests the classic form of a histogram
	// the target exposes in both forms (always_scrape_classic_histograms in
	// Prometheus's configuration).
	//
	// +optional
	ScrapeClassicHistograms *bool `json:"scrapeClassicHistograms,omitempty"`

	// nativeHistogramBucketLimit is the number of buckets a native histogram
	// may have; above it, buckets are merged.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	NativeHistogramBucketLimit *int64 `json:"nativeHistogramBucketLimit,omitempty"`

	// nativeHistogramMinBucketFactor is the smallest growth factor from one
	// bucket to the next; buckets are merged until it is reached.
	//
	// +optional
	NativeHistogramMinBucketFactor *resource.Quantity `json:"nativeHistogramMinBucketFactor,omitempty"`

	// convertClassicHistogramsToNHCB stores classic histograms as native
	// histograms with custom buckets. Prometheus 3.0 or later.
	//
	// +optional
	ConvertClassicHistogramsToNHCB *bool `json:"convertClassicHistogramsToNHCB,omitempty"`
}
