package v1alpha1

import (
	"errors"
	"fmt"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kjson "sigs.k8s.io/json"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// AlertmanagerConfig is a namespaced piece of Alertmanager configuration:
// a routing subtree, the receivers it notifies, inhibition rules and time
// intervals. Alertmanager objects select AlertmanagerConfigs and merge them
// into their alertmanager.yaml, each scoped to alerts from its own namespace.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:categories=prometheus-operator,shortName=amcfg
type AlertmanagerConfig struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the object's metadata.
	//
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the configuration to merge into the selecting Alertmanagers.
	//
	// +required
	Spec AlertmanagerConfigSpec `json:"spec"`

	// status lists the Alertmanagers that select this object and whether
	// each accepted it.
	//
	// +optional
	Status monitoringv1.ConfigResourceStatus `json:"status,omitempty,omitzero"`
}

// AlertmanagerConfigList is a list of AlertmanagerConfigs.
//
// +kubebuilder:object:root=true
type AlertmanagerConfigList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []AlertmanagerConfig `json:"items"`
}

func init() {
	SchemeBuilder.Register(&AlertmanagerConfig{}, &AlertmanagerConfigList{})
}

// AlertmanagerConfigSpec is the routing subtree, receivers, inhibition rules
// and time intervals of one AlertmanagerConfig. Unless the Alertmanager says
// otherwise, all of it only applies to alerts whose namespace label is the
// object's namespace.
//
// +kubebuilder:validation:XValidation:rule="!has(self.route) || (has(self.route.receiver) && size(self.route.receiver) > 0)",message="route.receiver is required on the top-level route"
// +kubebuilder:validation:XValidation:rule="!has(self.route) || !has(self.route.receiver) || size(self.route.receiver) == 0 || (has(self.receivers) && self.receivers.exists(r, r.name == self.route.receiver))",message="route.receiver must name one of receivers"
// +kubebuilder:validation:XValidation:rule="!has(self.route) || !has(self.route.muteTimeIntervals) || self.route.muteTimeIntervals.all(n, has(self.muteTimeIntervals) && self.muteTimeIntervals.exists(t, t.name == n))",message="route.muteTimeIntervals must name entries of muteTimeIntervals"
// +kubebuilder:validation:XValidation:rule="!has(self.route) || !has(self.route.activeTimeIntervals) || self.route.activeTimeIntervals.all(n, has(self.muteTimeIntervals) && self.muteTimeIntervals.exists(t, t.name == n))",message="route.activeTimeIntervals must name entries of muteTimeIntervals"
type AlertmanagerConfigSpec struct {
	// route is the top of this object's routing subtree. Vigil adds it as a
	// first-level route of the Alertmanager, matching the object's namespace,
	// with continue set.
	//
	// +optional
	Route *Route `json:"route,omitempty"`

	// receivers are the notification integrations the routes refer to by
	// name. Names are unique within the object.
	//
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=256
	Receivers []Receiver `json:"receivers,omitempty"`

	// inhibitRules mute alerts while other alerts fire. Both sides are
	// restricted to the object's namespace.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=256
	InhibitRules []InhibitRule `json:"inhibitRules,omitempty"`

	// muteTimeIntervals are named sets of time intervals that routes mute
	// (route.muteTimeIntervals) or are active in (route.activeTimeIntervals).
	//
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=64
	MuteTimeIntervals []MuteTimeInterval `json:"muteTimeIntervals,omitempty"`
}

// Route is a node of the routing tree.
//
// +kubebuilder:validation:XValidation:rule="!has(self.groupBy) || !('...' in self.groupBy) || size(self.groupBy) == 1",message="'...' must be the only entry of groupBy"
type Route struct {
	// receiver is the name of the receiver that alerts matching this route
	// go to. Required on the top-level route; a child route without one
	// inherits its parent's.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=253
	Receiver string `json:"receiver,omitempty"`

	// groupBy lists the labels alerts are grouped by. "..." alone groups by
	// every label, which disables grouping.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=1024
	GroupBy []string `json:"groupBy,omitempty"`

	// groupWait is how long a new group waits for more alerts before the
	// first notification, such as 30s.
	//
	// +optional
	GroupWait *monitoringv1.NonEmptyDuration `json:"groupWait,omitempty"`

	// groupInterval is how long to wait before notifying about alerts added
	// to a group that was already notified, such as 5m.
	//
	// +optional
	GroupInterval *monitoringv1.NonEmptyDuration `json:"groupInterval,omitempty"`

	// repeatInterval is how long to wait before notifying again about a group
	// that has not changed, such as 4h.
	//
	// +optional
	RepeatInterval *monitoringv1.NonEmptyDuration `json:"repeatInterval,omitempty"`

	// matchers select the alerts this route takes. On the top-level route
	// Vigil replaces any matcher on the namespace label with one on the
	// object's namespace.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	Matchers []Matcher `json:"matchers,omitempty"`

	// continue lets an alert that matched this route go on to match its
	// later siblings. Always true on the top-level route.
	//
	// +optional
	Continue bool `json:"continue,omitempty"`

	// routes are the child routes, each shaped like this Route. They are
	// stored as raw JSON because a CRD schema cannot refer to itself, so the
	// API server cannot check them; Vigil decodes them strictly (see
	// ChildRoutes) and refuses the object, with a status condition, when one
	// does not decode.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=128
	Routes []apiextensionsv1.JSON `json:"routes,omitempty"`

	// muteTimeIntervals names entries of spec.muteTimeIntervals during which
	// this route sends no notifications.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MaxLength=253
	MuteTimeIntervals []string `json:"muteTimeIntervals,omitempty"`

	// activeTimeIntervals names entries of spec.muteTimeIntervals outside of
	// which this route sends no notifications.
	//
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MaxLength=253
	ActiveTimeIntervals []string `json:"activeTimeIntervals,omitempty"`
}

// ChildRoutes decodes r.Routes as the API server decodes objects: field
// names match case-sensitively, and unknown or duplicate fields are errors,
// so a typo in a nested route is refused rather than silently ignored.
func (r *Route) ChildRoutes() ([]Route, error) {
	children := make([]Route, 0, len(r.Routes))
	for i, raw := range r.Routes {
		var child Route
		strictErrs, err := kjson.UnmarshalStrict(raw.Raw, &child)
		if err == nil {
			err = errors.Join(strictErrs...)
		}
		if err != nil {
			return nil, fmt.Errorf("routes[%d]: %w", i, err)
		}
		children = append(children, child)
	}
	return children, nil
}

// MatchType is how a Matcher compares a label value.
//
// +kubebuilder:validation:Enum="=";"!=";"=~";"!~"
type MatchType string

const (
	// MatchEqual matches a label equal to the value.
	MatchEqual MatchType = "="
	// MatchNotEqual matches a label not equal to the value.
	MatchNotEqual MatchType = "!="
	// MatchRegexp matches a label the value's regular expression matches
	// in full.
	MatchRegexp MatchType = "=~"
	// MatchNotRegexp matches a label the value's regular expression does
	// not match.
	MatchNotRegexp MatchType = "!~"
)

// Matcher matches one label of an alert.
type Matcher struct {
	// name is the label to match.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Name string `json:"name"`

	// value is compared with the label's value as matchType says; an empty
	// value with "=" matches alerts without the label.
	//
	// +optional
	// +kubebuilder:validation:MaxLength=16384
	Value string `json:"value,omitempty"`

	// matchType is the comparison; "=" when unset (or "=~" when regex is
	// true). It takes precedence over regex.
	//
	// +optional
	MatchType MatchType `json:"matchType,omitempty"`

	// regex makes an unset matchType mean "=~".
	// Deprecated: use matchType.
	//
	// +optional
	Regex bool `json:"regex,omitempty"`
}

// InhibitRule mutes the alerts matching targetMatch while an alert matching
// sourceMatch fires with the same values of the equal labels.
type InhibitRule struct {
	// targetMatch selects the alerts to mute.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	TargetMatch []Matcher `json:"targetMatch,omitempty"`

	// sourceMatch selects the alerts whose firing mutes the targets.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	SourceMatch []Matcher `json:"sourceMatch,omitempty"`

	// equal lists the labels that must have the same value on the source
	// and the target alert.
	//
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MaxLength=1024
	Equal []string `json:"equal,omitempty"`
}

// KeyValue is a key and its value, for receiver fields that Alertmanager
// models as maps.
type KeyValue struct {
	// key of the pair.
	//
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Key string `json:"key"`

	// value of the pair; it may be a notification template.
	//
	// +required
	// +kubebuilder:validation:MaxLength=16384
	Value string `json:"value"`
}

// URL is an absolute http or https URL.
//
// +kubebuilder:validation:MaxLength=2048
// +kubebuilder:validation:Pattern=`^https?://.+$`
type URL string
