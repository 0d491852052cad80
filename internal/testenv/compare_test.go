package testenv

import (
	"testing"

	. "github.com/onsi/gomega"
)

// TestContainedReportsDrops makes sure the comparison can fail.
func TestContainedReportsDrops(t *testing.T) {
	for _, tc := range []struct {
		name      string
		want, got any
		diffs     int
	}{
		{"equal", map[string]any{"a": []any{1.0, "x"}}, map[string]any{"a": []any{1.0, "x"}}, 0},
		{"default added", map[string]any{"a": 1.0}, map[string]any{"a": 1.0, "b": true}, 0},
		{"dropped key", map[string]any{"a": 1.0, "b": "x"}, map[string]any{"a": 1.0}, 1},
		{"changed value", map[string]any{"a": "30s"}, map[string]any{"a": "1m"}, 1},
		{"shorter list", []any{"a", "b"}, []any{"a"}, 1},
		{"nested drop", map[string]any{"a": []any{map[string]any{"x": 1.0}}}, map[string]any{"a": []any{map[string]any{}}}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			NewWithT(t).Expect(Contained("spec", tc.want, tc.got)).To(HaveLen(tc.diffs))
		})
	}
}
