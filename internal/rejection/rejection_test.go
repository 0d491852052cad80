package rejection

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

type obj struct{ ns, name, spec string }

func (o obj) GetNamespace() string { return o.ns }
func (o obj) GetName() string      { return o.name }

func TestDistinct(t *testing.T) {
	a, a2, b, c := obj{"x", "a", "1"}, obj{"x", "a", "2"}, obj{"x", "b", "1"}, obj{"y", "a", "1"}
	for _, tc := range []struct {
		name   string
		sorted []obj
		kept   []obj
		differ []string
	}{
		{"none", nil, []obj{}, nil},
		{"each once", []obj{a, b, c}, []obj{a, b, c}, nil},
		{"equal copies count once", []obj{a, a, a, b}, []obj{a, b}, nil},
		{"differing copies are all left out", []obj{a, a2, a, b}, []obj{b}, []string{"x/a 3"}},
		{"same name in another namespace is another object", []obj{a, c}, []obj{a, c}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var differ []string
			kept := Distinct(tc.sorted, func(first obj, n int) {
				differ = append(differ, fmt.Sprintf("%s/%s %d", first.ns, first.name, n))
			})
			if !slices.Equal(kept, tc.kept) || !slices.Equal(differ, tc.differ) {
				t.Errorf("Distinct(%v) kept %v, differ %v; want %v, %v", tc.sorted, kept, differ, tc.kept, tc.differ)
			}
		})
	}
}

func TestReasonOf(t *testing.T) {
	sentinel := Wrap(ReferenceNotFound, errors.New("not found"))
	for _, tc := range []struct {
		name string
		err  error
		want Reason
	}{
		{"no reason given", errors.New("bad"), InvalidSpec},
		{"given", Errorf(JobNameConflict, "taken"), JobNameConflict},
		{"wrapped with context", fmt.Errorf("field: %w", sentinel), ReferenceNotFound},
		{"the outermost wins", Errorf(RefusedByPrometheus, "loader: %w", sentinel), RefusedByPrometheus},
		{"joined: the first wins", errors.Join(errors.New("plain"), sentinel), ReferenceNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ReasonOf(tc.err); got != tc.want {
				t.Errorf("ReasonOf(%v) = %s, want %s", tc.err, got, tc.want)
			}
			r := New("K", "ns", "n", tc.err)
			if r.Reason != tc.want || r.Message() != tc.err.Error() || !errors.Is(r.Err, tc.err) {
				t.Errorf("New gave %+v", r)
			}
		})
	}
	if Wrap(InvalidSpec, nil) != nil {
		t.Error("Wrap(nil) is not nil")
	}
}
