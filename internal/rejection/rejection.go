// Package rejection is the shared shape of "this object was left out of the
// generated configuration, and why", which the generators return and the
// controllers and vigilctl turn into status conditions, Events and lines on
// stderr.
package rejection

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"slices"
)

// Reason says in one CamelCase word why an object was left out. It is what
// a status condition's reason and an Event's reason carry; the error says
// the rest.
type Reason string

// The reasons. An error that carries none (see Error) is InvalidSpec.
const (
	// InvalidSpec: the object's own fields cannot make a configuration.
	InvalidSpec Reason = "InvalidSpec"
	// ReferenceNotFound: a Secret, ConfigMap or key the object names does
	// not exist.
	ReferenceNotFound Reason = "ReferenceNotFound"
	// InvalidTLSMaterial: a CA, certificate or key the object names is not
	// PEM, or a certificate comes without its key.
	InvalidTLSMaterial Reason = "InvalidTLSMaterial"
	// FileReferenceDenied: the object makes Prometheus use one of its own
	// files, which the file reference policy does not allow.
	FileReferenceDenied Reason = "FileReferenceDenied"
	// UnknownScrapeClass: the object names a scrape class the Prometheus
	// object does not define.
	UnknownScrapeClass Reason = "UnknownScrapeClass"
	// JobNameConflict: a job name of the object is already another's.
	JobNameConflict Reason = "JobNameConflict"
	// ConflictingCopies: the input holds copies of the object that differ.
	ConflictingCopies Reason = "ConflictingCopies"
	// RefusedByPrometheus: Prometheus's own parser refuses what the object
	// makes (its jobs or its rule file).
	RefusedByPrometheus Reason = "RefusedByPrometheus"
	// RefusedByAlertmanager: Alertmanager's loader refuses the
	// configuration with the object's part in it.
	RefusedByAlertmanager Reason = "RefusedByAlertmanager"
)

// Error is an error that says its Reason. Generators wrap the errors that
// have a reason of their own in it; ReasonOf finds it.
type Error struct {
	Reason Reason
	Err    error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Wrap gives err a reason. A nil err stays nil.
func Wrap(reason Reason, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Reason: reason, Err: err}
}

// Errorf is fmt.Errorf with a reason.
func Errorf(reason Reason, format string, args ...any) error {
	return &Error{Reason: reason, Err: fmt.Errorf(format, args...)}
}

// ReasonOf is the reason of the outermost Error in err's chain, and
// InvalidSpec when there is none.
func ReasonOf(err error) Reason {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Reason
	}
	return InvalidSpec
}

// Rejection is an object left out of a generated configuration.
type Rejection struct {
	Kind      string
	Namespace string
	Name      string
	Reason    Reason
	// Err is why, with the errors it wraps; its message is meant for
	// people (a condition's message, an Event's note, a line on stderr).
	Err error
}

// New is the rejection of one object for err; its reason is ReasonOf(err).
func New(kind, namespace, name string, err error) Rejection {
	return Rejection{Kind: kind, Namespace: namespace, Name: name, Reason: ReasonOf(err), Err: err}
}

// Message is the error's message, "" when there is none.
func (r Rejection) Message() string {
	if r.Err == nil {
		return ""
	}
	return r.Err.Error()
}

func (r Rejection) String() string {
	return fmt.Sprintf("%s %s/%s: %s", r.Kind, r.Namespace, r.Name, r.Message())
}

// Sort orders rejections by kind, namespace, name and message, so output
// and status do not depend on the order objects were listed in.
func Sort(rs []Rejection) {
	slices.SortFunc(rs, func(a, b Rejection) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Namespace, b.Namespace),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.Message(), b.Message()))
	})
}

// Keyed is an object named by its namespace and name.
type Keyed interface {
	GetNamespace() string
	GetName() string
}

// Distinct keeps one of each object of sorted, a list in which the copies
// of one object (same namespace and name) are next to each other. A
// cluster holds one of each, but manifests may repeat an object, or name
// one folder twice: equal copies count once. Copies that differ are all
// left out, as which to use could not be decided without depending on the
// order of the input; differ is called with the first and the number of
// copies, for the caller to say so.
func Distinct[T Keyed](sorted []T, differ func(first T, copies int)) []T {
	out := make([]T, 0, len(sorted))
	for i := 0; i < len(sorted); {
		first := sorted[i]
		n := 1
		for i+n < len(sorted) && sorted[i+n].GetNamespace() == first.GetNamespace() && sorted[i+n].GetName() == first.GetName() {
			n++
		}
		repeats := sorted[i+1 : i+n]
		i += n
		if slices.ContainsFunc(repeats, func(c T) bool { return !reflect.DeepEqual(c, first) }) {
			differ(first, n)
			continue
		}
		out = append(out, first)
	}
	return out
}
