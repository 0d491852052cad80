package rejection

import (
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
