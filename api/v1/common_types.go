package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Duration is a Prometheus duration such as 30s, 1m30s or 1h; 0 means unset
// where a field allows it.
//
// +kubebuilder:validation:Pattern:="^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"
type Duration string

// NonEmptyDuration is a Duration that cannot be the empty string.
//
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:Pattern:="^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"
type NonEmptyDuration string

// GoDuration is a duration as Go's time.ParseDuration reads it, such as 1h30m.
//
// +kubebuilder:validation:Pattern:="^(0|(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?(([0-9]+)us)?(([0-9]+)ns)?)$"
type GoDuration string

// ByteSize is a size in bytes with a unit, such as 512MB or 1GiB.
//
// +kubebuilder:validation:Pattern:="^(0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B)$"
type ByteSize string

// LabelName is a Prometheus label name. Prometheus 3 accepts any UTF-8
// name (such as service.name from OpenTelemetry), so the schema only bounds
// its length.
//
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=1024
type LabelName string

// NamespaceSelector says which namespaces a monitor discovers targets in.
// With neither field set, the monitor's own namespace is used.
type NamespaceSelector struct {
	// any selects targets in every namespace; matchNames is ignored when set.
	//
	// +optional
	Any bool `json:"any,omitempty"`

	// matchNames lists the namespaces to discover targets in.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1000
	// +kubebuilder:validation:items:MaxLength=63
	MatchNames []string `json:"matchNames,omitempty"`
}

// AttachMetadata adds metadata of related objects to discovered targets.
type AttachMetadata struct {
	// node attaches the labels of the target's node as
	// __meta_kubernetes_node_label_* labels. Prometheus then needs to read
	// Nodes (get, list and watch on nodes).
	//
	// +optional
	Node *bool `json:"node,omitempty"`
}

// ScrapeProtocol is a protocol Prometheus may ask a target for, in the
// order of preference it is listed in.
//
// +kubebuilder:validation:Enum=PrometheusProto;OpenMetricsText0.0.1;OpenMetricsText1.0.0;PrometheusText0.0.4;PrometheusText1.0.0
type ScrapeProtocol string

// Scheme is the protocol used to scrape a target.
//
// +kubebuilder:validation:Enum=http;https;HTTP;HTTPS
type Scheme string

// ServiceDiscoveryRole is the Kubernetes service discovery role that finds
// the endpoints of a Service.
//
// +kubebuilder:validation:Enum=Endpoints;EndpointSlice
type ServiceDiscoveryRole string

const (
	// EndpointsRole discovers targets from Endpoints objects.
	EndpointsRole ServiceDiscoveryRole = "Endpoints"
	// EndpointSliceRole discovers targets from EndpointSlice objects.
	EndpointSliceRole ServiceDiscoveryRole = "EndpointSlice"
)

// SelectorMechanism says where a monitor's label selector is applied.
//
// +kubebuilder:validation:Enum=RelabelConfig;RoleSelector
type SelectorMechanism string

const (
	// SelectorMechanismRelabel filters discovered targets with relabel rules.
	SelectorMechanismRelabel SelectorMechanism = "RelabelConfig"
	// SelectorMechanismRole passes the selector to Kubernetes service
	// discovery, so Prometheus watches fewer objects.
	SelectorMechanismRole SelectorMechanism = "RoleSelector"
)

// ScrapeLimits are the per-scrape limits shared by monitors, probes and
// scrape configs. A Prometheus object's enforced limits cap them.
type ScrapeLimits struct {
	// sampleLimit is the number of samples a scrape may return before the
	// scrape fails.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	SampleLimit *uint64 `json:"sampleLimit,omitempty"`

	// targetLimit is the number of targets the job may have after relabeling
	// before all of them fail.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	TargetLimit *uint64 `json:"targetLimit,omitempty"`

	// labelLimit is the number of labels a sample may have.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	LabelLimit *uint64 `json:"labelLimit,omitempty"`

	// labelNameLengthLimit is the length a label name may have.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	LabelNameLengthLimit *uint64 `json:"labelNameLengthLimit,omitempty"`

	// labelValueLengthLimit is the length a label value may have.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	LabelValueLengthLimit *uint64 `json:"labelValueLengthLimit,omitempty"`

	// keepDroppedTargets is how many targets dropped by relabeling Prometheus
	// keeps in memory to show on its targets page; 0 keeps none.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	KeepDroppedTargets *uint64 `json:"keepDroppedTargets,omitempty"`
}

// EmbeddedObjectMetadata is the part of ObjectMeta that may be set on
// objects Vigil creates from a template (pods, volume claims).
type EmbeddedObjectMetadata struct {
	// name of the object; only used where the object is not named by Vigil.
	//
	// +optional
	Name string `json:"name,omitempty"`

	// labels to add to the object.
	//
	// +optional
	Labels map[string]string `json:"labels,omitempty"`

	// annotations to add to the object.
	//
	// +optional
	Annotations map[string]string `json:"annotations,omitempty"`
}

// Condition types reported in status.
const (
	// ConditionAvailable is true when the workload's pods are ready.
	ConditionAvailable = "Available"
	// ConditionReconciled is true when the desired configuration and
	// workload were written.
	ConditionReconciled = "Reconciled"
	// ConditionAccepted is true on a binding when the workload took the
	// resource into its configuration.
	ConditionAccepted = "Accepted"
)

// ConfigResourceStatus is the status of a resource that Prometheus or
// Alertmanager objects select: monitors, probes, rules and scrape configs.
type ConfigResourceStatus struct {
	// bindings lists the workloads that select this resource, and whether
	// each accepted it.
	//
	// +optional
	// +listType=map
	// +listMapKey=group
	// +listMapKey=resource
	// +listMapKey=namespace
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=1000
	Bindings []WorkloadBinding `json:"bindings,omitempty"`
}

// WorkloadBinding names a workload that selects a resource, and whether it
// accepted it.
type WorkloadBinding struct {
	// group of the workload.
	//
	// +required
	// +kubebuilder:validation:Enum=monitoring.coreos.com
	Group string `json:"group"`

	// resource is the workload's plural resource name.
	//
	// +required
	// +kubebuilder:validation:Enum=prometheuses;prometheusagents;alertmanagers;thanosrulers
	Resource string `json:"resource"`

	// name of the workload.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// namespace of the workload.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Namespace string `json:"namespace"`

	// conditions: Accepted, with a reason and message when it is False.
	//
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// WorkloadStatus is the status of a Prometheus or Alertmanager.
type WorkloadStatus struct {
	// paused mirrors spec.paused: Vigil leaves the workload alone.
	//
	// +optional
	Paused bool `json:"paused,omitempty"`

	// replicas is the number of pods the StatefulSets target.
	//
	// +optional
	Replicas int32 `json:"replicas,omitempty"`

	// updatedReplicas is the number of pods running the newest spec.
	//
	// +optional
	UpdatedReplicas int32 `json:"updatedReplicas,omitempty"`

	// availableReplicas is the number of pods ready for at least
	// minReadySeconds.
	//
	// +optional
	AvailableReplicas int32 `json:"availableReplicas,omitempty"`

	// unavailableReplicas is the number of pods not available.
	//
	// +optional
	UnavailableReplicas int32 `json:"unavailableReplicas,omitempty"`

	// selector is the label selector of the pods, for the scale subresource.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=4096
	Selector string `json:"selector,omitempty"`

	// conditions: Available and Reconciled.
	//
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}
