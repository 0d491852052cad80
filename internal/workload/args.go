package workload

import (
	"strings"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// arg is a command-line flag: --name=value, or --name without a value.
type arg struct {
	name  string
	value string
	// emptyValue writes --name= , a flag set to the empty string.
	emptyValue bool
}

func argn(name string) arg        { return arg{name: name} }
func argv(name, value string) arg { return arg{name: name, value: value} }

func (a arg) String() string {
	if a.value == "" && !a.emptyValue {
		return "--" + a.name
	}
	return "--" + a.name + "=" + a.value
}

// withAdditional renders the flags Vigil sets, then spec.additionalArgs. A
// flag of additionalArgs that Vigil sets too, or its negation (--no-x for
// --x and the reverse), is refused, as Prometheus Operator refuses it: the
// program would see both.
func withAdditional(own []arg, additional []monitoringv1.Argument) ([]string, error) {
	set := map[string]bool{}
	for _, a := range own {
		set[a.name] = true
	}
	var conflicts []string
	for _, a := range additional {
		negated, found := strings.CutPrefix(a.Name, "no-")
		if !found {
			negated = "no-" + a.Name
		}
		switch {
		case set[a.Name]:
			conflicts = append(conflicts, a.Name)
		case set[negated]:
			conflicts = append(conflicts, negated)
		}
	}
	if len(conflicts) > 0 {
		return nil, rejection.Errorf(rejection.InvalidSpec, "spec.additionalArgs: Vigil already sets %s", strings.Join(conflicts, ", "))
	}
	out := make([]string, 0, len(own)+len(additional))
	for _, a := range own {
		out = append(out, a.String())
	}
	for _, a := range additional {
		out = append(out, argv(a.Name, a.Value).String())
	}
	return out, nil
}
