package v1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Prometheus runs Prometheus as one StatefulSet per shard, configured from
// the ServiceMonitors, PodMonitors, Probes, ScrapeConfigs and PrometheusRules
// its selectors pick.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:subresource:scale:specpath=.spec.shards,statuspath=.status.shards,selectorpath=.status.selector
// +kubebuilder:resource:categories=prometheus-operator,shortName=prom
// +kubebuilder:printcolumn:name="Version",type="string",JSONPath=".spec.version",description="The version of Prometheus"
// +kubebuilder:printcolumn:name="Desired",type="integer",JSONPath=".spec.replicas",description="The number of desired replicas per shard"
// +kubebuilder:printcolumn:name="Ready",type="integer",JSONPath=".status.availableReplicas",description="The number of ready replicas"
// +kubebuilder:printcolumn:name="Reconciled",type="string",JSONPath=".status.conditions[?(@.type == 'Reconciled')].status"
// +kubebuilder:printcolumn:name="Available",type="string",JSONPath=".status.conditions[?(@.type == 'Available')].status"
// +kubebuilder:printcolumn:name="Age",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:printcolumn:name="Paused",type="boolean",JSONPath=".status.paused",description="Whether reconciliation is paused",priority=1
type Prometheus struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the object's metadata.
	//
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the desired Prometheus deployment.
	//
	// +required
	Spec PrometheusSpec `json:"spec"`

	// status is what Vigil last observed.
	//
	// +optional
	Status PrometheusStatus `json:"status,omitempty,omitzero"`
}

// PrometheusList is a list of Prometheus objects.
//
// +kubebuilder:object:root=true
type PrometheusList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Prometheus `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Prometheus{}, &PrometheusList{})
}

// PrometheusSpec is the desired state of a Prometheus deployment.
//
// +kubebuilder:validation:XValidation:rule="(has(self.replicaExternalLabelName) ? self.replicaExternalLabelName : 'prometheus_replica').size() == 0 || (has(self.replicaExternalLabelName) ? self.replicaExternalLabelName : 'prometheus_replica') != (has(self.prometheusExternalLabelName) ? self.prometheusExternalLabelName : 'prometheus')",message="replicaExternalLabelName and prometheusExternalLabelName must differ"
// +kubebuilder:validation:XValidation:rule="!has(self.scrapeTimeout) || !has(self.scrapeInterval) || !self.scrapeTimeout.matches('^([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$') || !self.scrapeInterval.matches('^([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$') || self.scrapeTimeout.size() == 0 || self.scrapeInterval.size() == 0 || duration(self.scrapeTimeout) <= duration(self.scrapeInterval)",message="scrapeTimeout must not be greater than scrapeInterval"
type PrometheusSpec struct {
	CommonWorkloadFields `json:",inline"`
	PrometheusSelection  `json:",inline"`

	// replicas is the number of pods of each shard; 1 when unset. The pods
	// of a shard scrape the same targets, for high availability.
	//
	// +optional
	// +kubebuilder:default=1
	// +kubebuilder:validation:Minimum=0
	Replicas *int32 `json:"replicas,omitempty"`

	// shards is the number of StatefulSets the targets are spread over, by a
	// hash of their address. Scaling down does not move data off the
	// removed shards. This is the scale subresource's replica count.
	//
	// +optional
	// +kubebuilder:default=1
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=1000
	Shards *int32 `json:"shards,omitempty"`

	// retention is how long samples are kept; 24h when neither retention
	// nor retentionSize is set.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	Retention Duration `json:"retention,omitempty"`

	// retentionSize is the disk space the blocks may use before the oldest
	// are deleted, such as 50GB.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	RetentionSize ByteSize `json:"retentionSize,omitempty"`

	// topologySpreadConstraints of the pods.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	TopologySpreadConstraints []TopologySpreadConstraint `json:"topologySpreadConstraints,omitempty"`

	// externalLabels are added to every series and alert that leaves
	// Prometheus (remote write, federation, Alertmanager).
	// replicaExternalLabelName and prometheusExternalLabelName win over
	// labels of the same name here.
	//
	// +optional
	// +kubebuilder:validation:MaxProperties=64
	ExternalLabels map[string]string `json:"externalLabels,omitempty"`

	// replicaExternalLabelName is the external label holding the pod name,
	// prometheus_replica when unset; empty adds no such label.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:Pattern:="^([a-zA-Z_][a-zA-Z0-9_]*)?$"
	ReplicaExternalLabelName *string `json:"replicaExternalLabelName,omitempty"`

	// prometheusExternalLabelName is the external label holding
	// <namespace>/<name> of this object, prometheus when unset; empty adds
	// no such label.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:Pattern:="^([a-zA-Z_][a-zA-Z0-9_]*)?$"
	PrometheusExternalLabelName *string `json:"prometheusExternalLabelName,omitempty"`

	// scrapeInterval is the default interval between scrapes.
	//
	// +optional
	// +kubebuilder:default:="30s"
	// +kubebuilder:validation:MaxLength=64
	ScrapeInterval Duration `json:"scrapeInterval,omitempty"`

	// scrapeTimeout is the default scrape timeout; it may not exceed
	// scrapeInterval.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	ScrapeTimeout Duration `json:"scrapeTimeout,omitempty"`

	// evaluationInterval is the default interval between rule evaluations.
	//
	// +optional
	// +kubebuilder:default:="30s"
	// +kubebuilder:validation:MaxLength=64
	EvaluationInterval Duration `json:"evaluationInterval,omitempty"`

	// ruleQueryOffset delays rule evaluation by this much, so late samples
	// are included.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	RuleQueryOffset *Duration `json:"ruleQueryOffset,omitempty"`

	// scrapeProtocols are the exposition formats Prometheus asks targets for,
	// most preferred first; Prometheus's default when unset.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=5
	ScrapeProtocols []ScrapeProtocol `json:"scrapeProtocols,omitempty"`

	// enableFeatures are Prometheus feature flags (--enable-feature).
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=64
	EnableFeatures []EnableFeature `json:"enableFeatures,omitempty"`

	// alerting says which Alertmanagers receive the alerts.
	//
	// +optional
	Alerting *AlertingSpec `json:"alerting,omitempty"`

	// additionalAlertRelabelConfigs is a Secret key holding alert relabel
	// rules in Prometheus's YAML format, appended to the generated ones.
	// Vigil checks them with Prometheus's parser before use.
	//
	// +optional
	AdditionalAlertRelabelConfigs *corev1.SecretKeySelector `json:"additionalAlertRelabelConfigs,omitempty"`

	// additionalAlertManagerConfigs is a Secret key holding Prometheus
	// alertmanager_config entries, appended to the generated ones.
	//
	// +optional
	AdditionalAlertManagerConfigs *corev1.SecretKeySelector `json:"additionalAlertManagerConfigs,omitempty"`

	// additionalScrapeConfigs is a Secret key holding Prometheus
	// scrape_config entries, appended to the generated jobs.
	//
	// +optional
	AdditionalScrapeConfigs *corev1.SecretKeySelector `json:"additionalScrapeConfigs,omitempty"`

	// remoteWrite lists the endpoints samples are sent to.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:XValidation:rule="self.all(x, !has(x.name) || x.name.size() == 0 || self.exists_one(y, has(y.name) && y.name == x.name))",message="remoteWrite names must be unique"
	RemoteWrite []RemoteWriteSpec `json:"remoteWrite,omitempty"`

	// remoteRead lists the endpoints queries also read from.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:XValidation:rule="self.all(x, !has(x.name) || x.name.size() == 0 || self.exists_one(y, has(y.name) && y.name == x.name))",message="remoteRead names must be unique"
	RemoteRead []RemoteReadSpec `json:"remoteRead,omitempty"`

	// enableRemoteWriteReceiver lets Prometheus accept remote writes at
	// /api/v1/write. Meant for low volumes, not as a replacement for scraping.
	//
	// +optional
	EnableRemoteWriteReceiver bool `json:"enableRemoteWriteReceiver,omitempty"`

	// remoteWriteReceiverMessageVersions are the remote write message
	// versions the receiver accepts.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=2
	RemoteWriteReceiverMessageVersions []RemoteWriteMessageVersion `json:"remoteWriteReceiverMessageVersions,omitempty"`

	// enableOTLPReceiver lets Prometheus accept OTLP metrics at
	// /api/v1/otlp/v1/metrics.
	//
	// +optional
	EnableOTLPReceiver *bool `json:"enableOTLPReceiver,omitempty"`

	// enableAdminAPI enables Prometheus's TSDB admin API, which can delete
	// data and snapshot it. Protect it before turning it on.
	//
	// +optional
	EnableAdminAPI bool `json:"enableAdminAPI,omitempty"`

	// disableCompaction turns off block compaction, as a Thanos sidecar
	// uploading blocks needs.
	//
	// +optional
	DisableCompaction bool `json:"disableCompaction,omitempty"`

	// walCompression compresses the write-ahead log (Prometheus's default).
	//
	// +optional
	WALCompression *bool `json:"walCompression,omitempty"`

	// web configures Prometheus's HTTP server.
	//
	// +optional
	Web *PrometheusWebSpec `json:"web,omitempty"`

	// query configures the query engine.
	//
	// +optional
	Query *QuerySpec `json:"query,omitempty"`

	// rules configures the rule engine.
	//
	// +optional
	Rules *PrometheusRulesSpec `json:"rules,omitempty"`

	// tsdb configures the parts of the time series database that can change
	// without a restart.
	//
	// +optional
	TSDB *TSDBSpec `json:"tsdb,omitempty"`

	// scrapeClasses are named sets of scrape settings that monitors,
	// Probes and ScrapeConfigs select with their scrapeClass field; the
	// default class applies to those that name none. An object naming a
	// class not listed here is left out of the configuration.
	//
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:XValidation:rule="self.filter(c, has(c.default) && c.default).size() <= 1",message="at most one scrape class may be the default"
	ScrapeClasses []ScrapeClass `json:"scrapeClasses,omitempty"`
}

// EnableFeature is the name of a Prometheus feature flag.
//
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=256
type EnableFeature string

// AdditionalLabelSelectors says which of Vigil's pod labels are added to a
// topology spread constraint's label selector.
//
// +kubebuilder:validation:Enum=OnResource;OnShard
type AdditionalLabelSelectors string

const (
	// ResourceNameLabelSelector selects every pod of the Prometheus object.
	ResourceNameLabelSelector AdditionalLabelSelectors = "OnResource"
	// ShardAndResourceNameLabelSelector selects the pods of the same shard.
	ShardAndResourceNameLabelSelector AdditionalLabelSelectors = "OnShard"
)

// TopologySpreadConstraint is a pod topology spread constraint whose label
// selector Vigil can complete with its own pod labels.
type TopologySpreadConstraint struct {
	corev1.TopologySpreadConstraint `json:",inline"`

	// additionalLabelSelectors adds the labels of this object's pods
	// (OnResource) or of the shard's pods (OnShard) to labelSelector.
	//
	// +optional
	AdditionalLabelSelectors *AdditionalLabelSelectors `json:"additionalLabelSelectors,omitempty"`
}

// PrometheusWebSpec configures Prometheus's HTTP server.
type PrometheusWebSpec struct {
	WebConfigFileFields `json:",inline"`

	// pageTitle is the title of the web UI's pages.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=256
	PageTitle *string `json:"pageTitle,omitempty"`

	// maxConnections is the most simultaneous connections the server
	// accepts; 0 accepts none.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	MaxConnections *int32 `json:"maxConnections,omitempty"`
}

// QuerySpec configures Prometheus's query engine.
type QuerySpec struct {
	// lookbackDelta is how far back a query looks for the latest sample of
	// a series; 5m when unset.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	LookbackDelta *Duration `json:"lookbackDelta,omitempty"`

	// maxConcurrency is the number of queries run at once.
	//
	// +optional
	// +kubebuilder:validation:Minimum=1
	MaxConcurrency *int32 `json:"maxConcurrency,omitempty"`

	// maxSamples is the number of samples one query may load into memory.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	MaxSamples *int32 `json:"maxSamples,omitempty"`

	// timeout is how long a query may run before it is aborted.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	Timeout *Duration `json:"timeout,omitempty"`
}

// PrometheusRulesSpec configures Prometheus's rule engine.
type PrometheusRulesSpec struct {
	// alert configures how alerts are kept and resent.
	//
	// +optional
	Alert *PrometheusRulesAlert `json:"alert,omitempty"`
}

// PrometheusRulesAlert configures how Prometheus keeps and resends alerts.
// Changing it restarts the pods.
type PrometheusRulesAlert struct {
	// forOutageTolerance is the longest Prometheus outage after which the
	// "for" state of alerts is still restored.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	ForOutageTolerance Duration `json:"forOutageTolerance,omitempty"`

	// forGracePeriod is the least time between an alert's start and its
	// restored "for" state.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	ForGracePeriod Duration `json:"forGracePeriod,omitempty"`

	// resendDelay is the least time before a firing alert is sent to
	// Alertmanager again.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	ResendDelay Duration `json:"resendDelay,omitempty"`
}

// TSDBSpec configures the parts of the TSDB that reload without a restart.
type TSDBSpec struct {
	// outOfOrderTimeWindow is how far behind the newest sample a sample may
	// be and still be ingested.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	OutOfOrderTimeWindow *Duration `json:"outOfOrderTimeWindow,omitempty"`
}

// PrometheusStatus is what Vigil last observed of a Prometheus deployment.
type PrometheusStatus struct {
	WorkloadStatus `json:",inline"`

	// shards is the number of shards last observed; the scale subresource
	// reads it.
	//
	// +optional
	Shards int32 `json:"shards,omitempty"`

	// shardStatuses has one entry per shard.
	//
	// +optional
	// +listType=map
	// +listMapKey=shardID
	// +kubebuilder:validation:MaxItems=1000
	ShardStatuses []ShardStatus `json:"shardStatuses,omitempty"`
}

// ShardStatus is the state of one shard's pods.
type ShardStatus struct {
	// shardID is the shard's number, from 0.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=8
	ShardID string `json:"shardID"`

	// replicas is the number of pods of the shard.
	//
	// +required
	Replicas int32 `json:"replicas"`

	// updatedReplicas is the number of the shard's pods running the newest
	// spec.
	//
	// +required
	UpdatedReplicas int32 `json:"updatedReplicas"`

	// availableReplicas is the number of the shard's pods ready for at
	// least minReadySeconds.
	//
	// +required
	AvailableReplicas int32 `json:"availableReplicas"`

	// unavailableReplicas is the number of the shard's pods not available.
	//
	// +required
	UnavailableReplicas int32 `json:"unavailableReplicas"`
}
