package v1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Probe tells the Prometheus objects that select it to probe a set of
// targets (static addresses or Ingresses) through a prober such as the
// blackbox exporter. Its scrape job is probe/<namespace>/<name>.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:categories=prometheus-operator,shortName=prb
type Probe struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the standard object metadata.
	//
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec says what to probe, through which prober, and how.
	//
	// +required
	Spec ProbeSpec `json:"spec"`

	// status lists the Prometheus objects that select this probe and
	// whether each took it into its configuration.
	//
	// +optional
	Status ConfigResourceStatus `json:"status,omitempty,omitzero"`
}

// ProbeSpec says what a Probe probes and how.
//
// +kubebuilder:validation:XValidation:rule="[has(self.basicAuth), has(self.authorization), has(self.oauth2), has(self.bearerTokenSecret)].filter(x, x).size() <= 1",message="at most one of basicAuth, authorization, oauth2 and bearerTokenSecret may be set"
type ProbeSpec struct {
	// jobName is the value of the job label of the probe's series; the
	// scrape job's name, probe/<namespace>/<name>, when unset.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=253
	JobName string `json:"jobName,omitempty"`

	// prober is the exporter that performs the probes, such as the
	// blackbox exporter; Prometheus scrapes it with each target as a
	// parameter.
	//
	// +required
	ProberSpec ProberSpec `json:"prober"`

	// module is the prober's module to probe with, such as http_2xx.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=256
	Module string `json:"module,omitempty"`

	// targets are what to probe: static addresses or Ingresses.
	//
	// +required
	Targets ProbeTargets `json:"targets"`

	// params are added to the prober URL's query string, beside module and
	// target.
	//
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=100
	Params []ProbeParam `json:"params,omitempty"`

	// interval between two probes; the Prometheus object's scrape interval
	// when unset.
	//
	// +optional
	Interval Duration `json:"interval,omitempty"`

	// scrapeTimeout is how long a probe may take before it counts as
	// failed; the global timeout when unset. It cannot exceed interval.
	//
	// +optional
	ScrapeTimeout Duration `json:"scrapeTimeout,omitempty"`

	// tlsConfig is how Prometheus verifies the prober and authenticates to
	// it over TLS.
	//
	// +optional
	TLSConfig *SafeTLSConfig `json:"tlsConfig,omitempty"`

	// basicAuth authenticates to the prober with a user name and password.
	//
	// +optional
	BasicAuth *BasicAuth `json:"basicAuth,omitempty"`

	// authorization sets the Authorization header sent to the prober.
	//
	// +optional
	Authorization *SafeAuthorization `json:"authorization,omitempty"`

	// oauth2 authenticates to the prober with the OAuth 2.0 client
	// credentials flow.
	//
	// +optional
	OAuth2 *OAuth2 `json:"oauth2,omitempty"`

	// bearerTokenSecret is the Secret key holding a bearer token sent to
	// the prober.
	// Deprecated: use authorization.
	//
	// +optional
	BearerTokenSecret *corev1.SecretKeySelector `json:"bearerTokenSecret,omitempty"`

	// followRedirects makes Prometheus follow HTTP 3xx redirects from the
	// prober (the default).
	//
	// +optional
	FollowRedirects *bool `json:"followRedirects,omitempty"`

	// enableHttp2 allows HTTP/2 to the prober (the default).
	//
	// +optional
	EnableHTTP2 *bool `json:"enableHttp2,omitempty"`

	// metricRelabelings are applied, in order, to every sample the prober
	// returns before it is stored.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1000
	MetricRelabelConfigs []RelabelConfig `json:"metricRelabelings,omitempty"`

	// scrapeProtocols are the exposition formats Prometheus asks the prober
	// for, most preferred first; Prometheus's default order when unset.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=16
	ScrapeProtocols []ScrapeProtocol `json:"scrapeProtocols,omitempty"`

	// fallbackScrapeProtocol is the format assumed when the prober answers
	// with a missing or unknown Content-Type.
	//
	// +optional
	FallbackScrapeProtocol *ScrapeProtocol `json:"fallbackScrapeProtocol,omitempty"`

	// scrapeClass names one of the Prometheus object's scrape classes,
	// whose settings apply to this probe; the default class when unset.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	ScrapeClassName *string `json:"scrapeClass,omitempty"`

	ScrapeLimits `json:",inline"`

	NativeHistogramConfig `json:",inline"`
}

// ProberSpec is the exporter that performs a Probe's probes.
type ProberSpec struct {
	// url is the prober's address as host:port, without a scheme, such as
	// blackbox-exporter.monitoring.svc:19115.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	URL string `json:"url"`

	// scheme is http or https; http when unset.
	//
	// +optional
	Scheme *Scheme `json:"scheme,omitempty"`

	// path is the prober's HTTP path for probes.
	//
	// +optional
	// +kubebuilder:default:="/probe"
	// +kubebuilder:validation:MaxLength=2048
	Path string `json:"path,omitempty"`

	ProxyConfig `json:",inline"`
}

// ProbeTargets are what a Probe probes. When both are set, staticConfig is
// used and ingress ignored, as in Prometheus Operator.
//
// +kubebuilder:validation:XValidation:rule="has(self.staticConfig) || has(self.ingress)",message="one of staticConfig and ingress is required"
type ProbeTargets struct {
	// staticConfig lists addresses to probe.
	//
	// +optional
	StaticConfig *ProbeTargetStaticConfig `json:"staticConfig,omitempty"`

	// ingress probes the hosts and paths of the selected Ingresses.
	//
	// +optional
	Ingress *ProbeTargetIngress `json:"ingress,omitempty"`
}

// ProbeTargetStaticConfig is a fixed list of addresses to probe.
type ProbeTargetStaticConfig struct {
	// static are the addresses to probe, such as https://example.com or
	// 10.0.0.1:53, passed to the prober as its target parameter.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=10000
	// +kubebuilder:validation:items:MaxLength=2048
	Targets []string `json:"static,omitempty"`

	// labels are added to the series of every static target.
	//
	// +optional
	Labels map[string]string `json:"labels,omitempty"`

	// relabelingConfigs are applied, in order, to the static targets'
	// labels.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1000
	RelabelConfigs []RelabelConfig `json:"relabelingConfigs,omitempty"`
}

// ProbeTargetIngress selects Ingresses whose rules are probed.
type ProbeTargetIngress struct {
	// selector selects the Ingresses. An empty selector selects every
	// Ingress in the selected namespaces.
	//
	// +optional
	Selector metav1.LabelSelector `json:"selector,omitempty"`

	// namespaceSelector is where the Ingresses are looked for; the Probe's
	// own namespace when unset.
	//
	// +optional
	NamespaceSelector NamespaceSelector `json:"namespaceSelector,omitzero"`

	// relabelingConfigs are applied, in order, to the Ingress targets'
	// labels.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1000
	RelabelConfigs []RelabelConfig `json:"relabelingConfigs,omitempty"`
}

// ProbeParam is a query parameter sent to the prober.
type ProbeParam struct {
	// name of the parameter.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	Name string `json:"name"`

	// values of the parameter; the parameter is repeated for each.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=4096
	Values []string `json:"values,omitempty"`
}

// ProbeList is a list of Probes.
//
// +kubebuilder:object:root=true
type ProbeList struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the standard list metadata.
	//
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`

	// items are the Probes.
	//
	// +required
	Items []Probe `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Probe{}, &ProbeList{})
}
