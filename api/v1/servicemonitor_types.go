package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ServiceMonitor tells the Prometheus objects that select it to scrape the
// endpoints behind a set of Services, found by label selector.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:categories=prometheus-operator,shortName=smon
type ServiceMonitor struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the standard object metadata.
	//
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec says which Services to scrape and how.
	//
	// +required
	Spec ServiceMonitorSpec `json:"spec"`

	// status lists the Prometheus objects that select this monitor and
	// whether each took it into its configuration.
	//
	// +optional
	Status ConfigResourceStatus `json:"status,omitempty,omitzero"`
}

// ServiceMonitorSpec says which Services a ServiceMonitor scrapes and how.
type ServiceMonitorSpec struct {
	// jobLabel is the name of a Service label whose value becomes the job
	// label of the scraped series. When it is unset, or the Service lacks
	// the label, the job label is the Service's name.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=317
	JobLabel string `json:"jobLabel,omitempty"`

	// targetLabels are Service labels copied onto the scraped series.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:MaxLength=317
	TargetLabels []string `json:"targetLabels,omitempty"`

	// podTargetLabels are labels of the endpoint's Pod copied onto the
	// scraped series.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:MaxLength=317
	PodTargetLabels []string `json:"podTargetLabels,omitempty"`

	// endpoints are the Service ports to scrape; each becomes a scrape job.
	//
	// +required
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	Endpoints []Endpoint `json:"endpoints"`

	// selector selects the Services whose endpoints are scraped. An empty
	// selector selects every Service in the selected namespaces.
	//
	// +required
	Selector metav1.LabelSelector `json:"selector"`

	// selectorMechanism is where selector is applied: in relabel rules
	// (RelabelConfig, the default) or by Kubernetes service discovery
	// itself (RoleSelector), which makes Prometheus watch fewer objects.
	//
	// +optional
	SelectorMechanism *SelectorMechanism `json:"selectorMechanism,omitempty"`

	// namespaceSelector is where the Services are looked for; the
	// ServiceMonitor's own namespace when unset.
	//
	// +optional
	NamespaceSelector NamespaceSelector `json:"namespaceSelector,omitzero"`

	// serviceDiscoveryRole is the Kubernetes discovery role that finds the
	// Services' endpoints, Endpoints or EndpointSlice; the Prometheus
	// object's choice when unset.
	//
	// +optional
	ServiceDiscoveryRole *ServiceDiscoveryRole `json:"serviceDiscoveryRole,omitempty"`

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

// ServiceMonitorList is a list of ServiceMonitors.
//
// +kubebuilder:object:root=true
type ServiceMonitorList struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the standard list metadata.
	//
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`

	// items are the ServiceMonitors.
	//
	// +required
	Items []ServiceMonitor `json:"items"`
}

func init() {
	SchemeBuilder.Register(&ServiceMonitor{}, &ServiceMonitorList{})
}
