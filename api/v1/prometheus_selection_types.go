package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PrometheusSelection says which monitors, probes, scrape configs and rules
// a Prometheus takes, and the limits it imposes on them. PrometheusSpec
// embeds it inline.
//
// Resource selectors: empty ({}) selects every object, unset (null) selects
// none. Namespace selectors: empty selects every namespace, unset selects the
// Prometheus object's own namespace. Pointers keep the two apart.
type PrometheusSelection struct {
	// serviceMonitorSelector selects ServiceMonitors by label.
	//
	// +optional
	ServiceMonitorSelector *metav1.LabelSelector `json:"serviceMonitorSelector,omitempty"`

	// serviceMonitorNamespaceSelector selects the namespaces ServiceMonitors
	// are taken from.
	//
	// +optional
	ServiceMonitorNamespaceSelector *metav1.LabelSelector `json:"serviceMonitorNamespaceSelector,omitempty"`

	// podMonitorSelector selects PodMonitors by label.
	//
	// +optional
	PodMonitorSelector *metav1.LabelSelector `json:"podMonitorSelector,omitempty"`

	// podMonitorNamespaceSelector selects the namespaces PodMonitors are
	// taken from.
	//
	// +optional
	PodMonitorNamespaceSelector *metav1.LabelSelector `json:"podMonitorNamespaceSelector,omitempty"`

	// probeSelector selects Probes by label.
	//
	// +optional
	ProbeSelector *metav1.LabelSelector `json:"probeSelector,omitempty"`

	// probeNamespaceSelector selects the namespaces Probes are taken from.
	//
	// +optional
	ProbeNamespaceSelector *metav1.LabelSelector `json:"probeNamespaceSelector,omitempty"`

	// scrapeConfigSelector selects ScrapeConfigs by label.
	//
	// +optional
	ScrapeConfigSelector *metav1.LabelSelector `json:"scrapeConfigSelector,omitempty"`

	// scrapeConfigNamespaceSelector selects the namespaces ScrapeConfigs are
	// taken from.
	//
	// +optional
	ScrapeConfigNamespaceSelector *metav1.LabelSelector `json:"scrapeConfigNamespaceSelector,omitempty"`

	// ruleSelector selects PrometheusRules by label.
	//
	// +optional
	RuleSelector *metav1.LabelSelector `json:"ruleSelector,omitempty"`

	// ruleNamespaceSelector selects the namespaces PrometheusRules are taken
	// from.
	//
	// +optional
	RuleNamespaceSelector *metav1.LabelSelector `json:"ruleNamespaceSelector,omitempty"`

	// ignoreNamespaceSelectors makes every ServiceMonitor, PodMonitor and
	// Probe discover targets in its own namespace only, whatever its
	// namespaceSelector says.
	//
	// +optional
	IgnoreNamespaceSelectors bool `json:"ignoreNamespaceSelectors,omitempty"`

	// serviceDiscoveryRole is the Kubernetes discovery role used for
	// ServiceMonitors and Alertmanager endpoints; Endpoints when unset.
	//
	// +optional
	ServiceDiscoveryRole *ServiceDiscoveryRole `json:"serviceDiscoveryRole,omitempty"`

	// arbitraryFSAccessThroughSMs limits which ServiceMonitors may name
	// files in the Prometheus container (bearerTokenFile,
	// tlsConfig.caFile, ...).
	//
	// +optional
	ArbitraryFSAccessThroughSMs ArbitraryFSAccessThroughSMsConfig `json:"arbitraryFSAccessThroughSMs,omitempty,omitzero"`

	// enforcedNamespaceLabel, when set, is a label added to every series
	// scraped through a monitor, probe or scrape config and to every rule's
	// output and selectors, with the namespace of the object as its value,
	// so tenants cannot read or write each other's series. Names starting
	// with "__" are reserved by Prometheus (__name__ would rename every
	// metric) and refused.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:Pattern:="^([a-zA-Z_][a-zA-Z0-9_]*)?$"
	// +kubebuilder:validation:XValidation:rule="!self.startsWith('__')",message="label names starting with __ are reserved by Prometheus"
	EnforcedNamespaceLabel string `json:"enforcedNamespaceLabel,omitempty"`

	// excludedFromEnforcement are objects enforcedNamespaceLabel is not
	// applied to.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1000
	ExcludedFromEnforcement []ObjectReference `json:"excludedFromEnforcement,omitempty"`

	// enforcedSampleLimit caps the sampleLimit of every scrape; a monitor's
	// lower limit is kept.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	EnforcedSampleLimit *int64 `json:"enforcedSampleLimit,omitempty"`

	// enforcedTargetLimit caps the targetLimit of every scrape job.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	EnforcedTargetLimit *int64 `json:"enforcedTargetLimit,omitempty"`

	// enforcedLabelLimit caps the labelLimit of every scrape.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	EnforcedLabelLimit *int64 `json:"enforcedLabelLimit,omitempty"`

	// enforcedLabelNameLengthLimit caps the labelNameLengthLimit of every
	// scrape.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	EnforcedLabelNameLengthLimit *int64 `json:"enforcedLabelNameLengthLimit,omitempty"`

	// enforcedLabelValueLengthLimit caps the labelValueLengthLimit of every
	// scrape.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	EnforcedLabelValueLengthLimit *int64 `json:"enforcedLabelValueLengthLimit,omitempty"`

	// enforcedKeepDroppedTargets caps the keepDroppedTargets of every scrape
	// job.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	EnforcedKeepDroppedTargets *int64 `json:"enforcedKeepDroppedTargets,omitempty"`

	// enforcedBodySizeLimit caps the size of every scrape's uncompressed
	// response body, such as 10MB.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	EnforcedBodySizeLimit ByteSize `json:"enforcedBodySizeLimit,omitempty"`
}

// ArbitraryFSAccessThroughSMsConfig limits file references in
// ServiceMonitors.
type ArbitraryFSAccessThroughSMsConfig struct {
	// deny refuses ServiceMonitors' file references (bearerTokenFile,
	// tlsConfig caFile, certFile and keyFile) in every namespace, the
	// Prometheus object's own included: such a monitor is left out. Without
	// it they are honoured, unless the operator's --file-references policy
	// refuses them.
	//
	// +optional
	Deny bool `json:"deny,omitempty"`
}

// ObjectReference names a monitor, probe, scrape config or rule object, or
// all of them in a namespace.
type ObjectReference struct {
	// group of the object.
	//
	// +optional
	// +kubebuilder:default:="monitoring.coreos.com"
	// +kubebuilder:validation:Enum=monitoring.coreos.com
	Group string `json:"group,omitempty"`

	// resource is the object's plural resource name.
	//
	// +required
	// +kubebuilder:validation:Enum=prometheusrules;servicemonitors;podmonitors;probes;scrapeconfigs
	Resource string `json:"resource"`

	// namespace of the object.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Namespace string `json:"namespace"`

	// name of the object; unset means every object of the resource in the
	// namespace.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name,omitempty"`
}
