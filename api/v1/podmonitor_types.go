package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// PodMonitor tells the Prometheus objects that select it to scrape a set of
// Pods, found by label selector, without a Service in front of them.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:categories=prometheus-operator,shortName=pmon
type PodMonitor struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the standard object metadata.
	//
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec says which Pods to scrape and how.
	//
	// +required
	Spec PodMonitorSpec `json:"spec"`

	// status lists the Prometheus objects that select this monitor and
	// whether each took it into its configuration.
	//
	// +optional
	Status ConfigResourceStatus `json:"status,omitempty,omitzero"`
}

// PodMonitorSpec says which Pods a PodMonitor scrapes and how.
type PodMonitorSpec struct {
	// jobLabel is the name of a Pod label whose value becomes the job label
	// of the scraped series. When it is unset, or the Pod lacks the label,
	// the job label is <namespace>/<PodMonitor name>.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=317
	JobLabel string `json:"jobLabel,omitempty"`

	// podTargetLabels are Pod labels copied onto the scraped series.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:MaxLength=317
	PodTargetLabels []string `json:"podTargetLabels,omitempty"`

	// podMetricsEndpoints are the Pod ports to scrape; each becomes a
	// scrape job.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	PodMetricsEndpoints []PodMetricsEndpoint `json:"podMetricsEndpoints,omitempty"`

	// selector selects the Pods to scrape. An empty selector selects every
	// Pod in the selected namespaces.
	//
	// +required
	Selector metav1.LabelSelector `json:"selector"`

	// selectorMechanism is where selector is applied: in relabel rules
	// (RelabelConfig, the default) or by Kubernetes service discovery
	// itself (RoleSelector), which makes Prometheus watch fewer Pods.
	//
	// +optional
	SelectorMechanism *SelectorMechanism `json:"selectorMechanism,omitempty"`

	// namespaceSelector is where the Pods are looked for; the PodMonitor's
	// own namespace when unset.
	//
	// +optional
	NamespaceSelector NamespaceSelector `json:"namespaceSelector,omitzero"`

	// attachMetadata adds metadata of related objects to the targets.
	//
	// +optional
	AttachMetadata *AttachMetadata `json:"attachMetadata,omitempty"`

	// scrapeProtocols are the exposition formats Prometheus asks targets
	// for, most preferred first; Prometheus's default order when unset.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=16
	ScrapeProtocols []ScrapeProtocol `json:"scrapeProtocols,omitempty"`

	// fallbackScrapeProtocol is the format assumed when a target answers
	// with a missing or unknown Content-Type.
	//
	// +optional
	FallbackScrapeProtocol *ScrapeProtocol `json:"fallbackScrapeProtocol,omitempty"`

	// scrapeClass names one of the Prometheus object's scrape classes,
	// whose settings apply to this monitor; the default class when unset.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	ScrapeClassName *string `json:"scrapeClass,omitempty"`

	// bodySizeLimit is the largest uncompressed response body a scrape may
	// return before it fails.
	//
	// +optional
	BodySizeLimit *ByteSize `json:"bodySizeLimit,omitempty"`

	ScrapeLimits `json:",inline"`

	NativeHistogramConfig `json:",inline"`
}

// PodMetricsEndpoint is one port of the Pods a PodMonitor selects, and how
// Prometheus scrapes it. Each becomes its own scrape job,
// podMonitor/<namespace>/<name>/<index>. The port is chosen by port, else
// portNumber, else targetPort; with none of them, every container port of
// the Pod is a target.
type PodMetricsEndpoint struct {
	// port is the name of the container port to scrape.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=63
	Port *string `json:"port,omitempty"`

	// portNumber is the number of the container port to scrape.
	//
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	PortNumber *int32 `json:"portNumber,omitempty"`

	// targetPort is the name or number of the container port to scrape.
	// Deprecated: use port or portNumber.
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
	// it over TLS, with material from Secrets and ConfigMaps only.
	//
	// +optional
	TLSConfig *SafeTLSConfig `json:"tlsConfig,omitempty"`

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

	// filterRunning drops targets whose Pod has finished (phase Succeeded
	// or Failed); true when unset.
	//
	// +optional
	FilterRunning *bool `json:"filterRunning,omitempty"`

	HTTPClientConfig `json:",inline"`
}

// PodMonitorList is a list of PodMonitors.
//
// +kubebuilder:object:root=true
type PodMonitorList struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the standard list metadata.
	//
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`

	// items are the PodMonitors.
	//
	// +required
	Items []PodMonitor `json:"items"`
}

func init() {
	SchemeBuilder.Register(&PodMonitor{}, &PodMonitorList{})
}
