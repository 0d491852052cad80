package v1

// RelabelAction is what a relabel rule does. Both Prometheus's lower-case
// spelling and Prometheus Operator's capitalised one are accepted.
//
// +kubebuilder:validation:Enum=replace;Replace;keep;Keep;drop;Drop;hashmod;HashMod;labelmap;LabelMap;labeldrop;LabelDrop;labelkeep;LabelKeep;lowercase;Lowercase;uppercase;Uppercase;keepequal;KeepEqual;dropequal;DropEqual
type RelabelAction string

// RelabelConfig is a Prometheus relabel rule, applied to targets
// (relabelings) or to scraped samples (metricRelabelings).
//
// +kubebuilder:validation:XValidation:rule="!has(self.action) || !(self.action.lowerAscii() in ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal']) || has(self.targetLabel)",message="targetLabel is required for this action"
// +kubebuilder:validation:XValidation:rule="!has(self.action) || self.action.lowerAscii() != 'hashmod' || (has(self.modulus) && self.modulus > 0)",message="modulus is required and above 0 for action hashmod"
type RelabelConfig struct {
	// sourceLabels are the labels whose values, joined by separator, the
	// regex is matched against.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	SourceLabels []LabelName `json:"sourceLabels,omitempty"`

	// separator joins the source label values; ";" when unset.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=64
	Separator *string `json:"separator,omitempty"`

	// targetLabel is the label written by replace, hashmod, lowercase,
	// uppercase, keepequal and dropequal.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	TargetLabel string `json:"targetLabel,omitempty"`

	// regex is matched against the joined source labels; "(.*)" when unset.
	// An expression Prometheus cannot parse excludes the object that holds
	// it, with a status condition.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=65536
	Regex string `json:"regex,omitempty"`

	// modulus is the divisor of the hash for action hashmod.
	//
	// +optional
	// +kubebuilder:validation:Minimum=0
	Modulus uint64 `json:"modulus,omitempty"`

	// replacement is written to targetLabel; regex groups are referenced as
	// $1. "$1" when unset.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=4096
	Replacement *string `json:"replacement,omitempty"`

	// action to perform; replace when unset.
	//
	// +optional
	// +kubebuilder:default=replace
	Action RelabelAction `json:"action,omitempty"`
}
