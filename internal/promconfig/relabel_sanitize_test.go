package promconfig

import (
	"math/rand/v2"
	"testing"

	"github.com/prometheus/prometheus/util/strutil"
)

// TestSanitizeIsPrometheus: sanitize names a label key as Prometheus's
// Kubernetes discovery does (strutil.SanitizeLabelName), for ASCII,
// multi-byte and invalid UTF-8 keys.
func TestSanitizeIsPrometheus(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", "Z", "0", "_", "-", ".", "/", " ", "é", "日本", "\xff", "\xe2\x82", "app.kubernetes.io/name"}
	for range 5000 {
		var s string
		for range r.IntN(6) {
			s += pieces[r.IntN(len(pieces))]
		}
		if got, want := sanitize(s), strutil.SanitizeLabelName(s); got != want {
			t.Fatalf("sanitize(%q) = %q, Prometheus gives %q", s, got, want)
		}
	}
}
