package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// PrometheusRule holds groups of recording and alerting rules for the
// Prometheus objects that select it. Vigil checks every expression with
// Prometheus's own parser and leaves an object whose rules do not load out
// of the rule files, saying why in its status.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:categories=prometheus-operator,shortName=promrule
type PrometheusRule struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the standard object metadata.
	//
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec holds the rule groups.
	//
	// +required
	Spec PrometheusRuleSpec `json:"spec"`

	// status lists the Prometheus objects that select these rules and
	// whether each loaded them.
	//
	// +optional
	Status ConfigResourceStatus `json:"status,omitempty,omitzero"`
}

// PrometheusRuleSpec holds the rule groups of a PrometheusRule.
type PrometheusRuleSpec struct {
	// groups of rules; names are unique within the object.
	//
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=1000
	Groups []RuleGroup `json:"groups,omitempty"`
}

// RuleGroup is a set of rules that Prometheus evaluates one after the
// other, at the same interval.
type RuleGroup struct {
	// name of the group, unique within the PrometheusRule.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Name string `json:"name"`

	// interval between two evaluations of the group; the Prometheus
	// object's evaluation interval when unset.
	//
	// +optional
	Interval *Duration `json:"interval,omitempty"`

	// query_offset shifts the evaluation timestamp of the group's queries
	// this far into the past, to wait for late samples.
	//
	// +optional
	QueryOffset *Duration `json:"query_offset,omitempty"`

	// limit is the number of alerts an alerting rule, or series a recording
	// rule, may produce before the evaluation fails; 0 is no limit.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	Limit *int32 `json:"limit,omitempty"`

	// labels are added to the output of every rule of the group; a rule's
	// own labels win. Prometheus 3.0 or later.
	//
	// +optional
	Labels map[string]string `json:"labels,omitempty"`

	// partial_response_strategy is read by Thanos Ruler only (abort or
	// warn); Prometheus ignores it.
	//
	// +optional
	// +kubebuilder:validation:Pattern="^(?i)(abort|warn)?$"
	// +kubebuilder:validation:MaxLength=5
	PartialResponseStrategy string `json:"partial_response_strategy,omitempty"`

	// rules of the group, evaluated in order. The bound, with the one on
	// groups, keeps the CEL rules on Rule within the API server's cost
	// budget.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=2000
	Rules []Rule `json:"rules,omitempty"`
}

// Rule is a recording rule (record) or an alerting rule (alert).
//
// +kubebuilder:validation:XValidation:rule="has(self.record) != has(self.alert)",message="exactly one of record and alert must be set"
// +kubebuilder:validation:XValidation:rule="has(self.alert) || !has(self.__for__)",message="for is only allowed on alerting rules (alert)",fieldPath=".for"
// +kubebuilder:validation:XValidation:rule="has(self.alert) || !has(self.keep_firing_for)",message="keep_firing_for is only allowed on alerting rules (alert)",fieldPath=".keep_firing_for"
// +kubebuilder:validation:XValidation:rule="has(self.alert) || !has(self.annotations)",message="annotations are only allowed on alerting rules (alert)",fieldPath=".annotations"
type Rule struct {
	// record is the name of the series a recording rule writes; it must be
	// a valid metric name.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Record string `json:"record,omitempty"`

	// alert is the name of the alerts an alerting rule fires.
	//
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Alert string `json:"alert,omitempty"`

	// expr is the PromQL expression to evaluate. A number is accepted as
	// the expression it spells.
	//
	// +required
	Expr intstr.IntOrString `json:"expr"`

	// for is how long the expression must keep returning a series before
	// its alert fires; pending until then.
	//
	// +optional
	For *Duration `json:"for,omitempty"`

	// keep_firing_for is how long an alert keeps firing after the
	// expression stopped returning its series.
	//
	// +optional
	KeepFiringFor *NonEmptyDuration `json:"keep_firing_for,omitempty"`

	// labels are added to the output, replacing labels of the same name.
	//
	// +optional
	Labels map[string]string `json:"labels,omitempty"`

	// annotations are added to each alert, as informational text such as a
	// summary or a runbook URL.
	//
	// +optional
	Annotations map[string]string `json:"annotations,omitempty"`
}

// PrometheusRuleList is a list of PrometheusRules.
//
// +kubebuilder:object:root=true
type PrometheusRuleList struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the standard list metadata.
	//
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`

	// items are the PrometheusRules.
	//
	// +required
	Items []PrometheusRule `json:"items"`
}

func init() {
	SchemeBuilder.Register(&PrometheusRule{}, &PrometheusRuleList{})
}
