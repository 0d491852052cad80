package crdfields

import (
	"flag"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Not named "update": the repository's Makefile runs -update on every package
// with that variable, and this one belongs to a separate module.
var updateUnserved = flag.Bool("update", false, "rewrite testdata/unserved-fields.txt from the CRDs")

const (
	vigilCRDs     = "../../../config/crd/bases"
	unservedFile  = "testdata/unserved-fields.txt"
	allowlistFile = "testdata/allowed-differences.txt"
)

// loadDiffs compares the real CRDs once for all tests: decoding them is most
// of the package's test time.
var loadDiffs = sync.OnceValues(func() ([]Diff, error) {
	po, err := LoadPrometheusOperator()
	if err != nil {
		return nil, err
	}
	vigil, err := LoadDir(vigilCRDs)
	if err != nil {
		return nil, err
	}
	return Compare(po, vigil), nil
})

func compareCRDs(t *testing.T) []Diff {
	t.Helper()
	diffs, err := loadDiffs()
	if err != nil {
		t.Fatal(err)
	}
	return diffs
}

// TestUnservedFieldsList keeps testdata/unserved-fields.txt, the list of what
// Vigil does not serve yet, equal to what the CRDs say.
func TestUnservedFieldsList(t *testing.T) {
	got := FormatUnserved(compareCRDs(t))
	if *updateUnserved {
		if err := os.WriteFile(unservedFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(unservedFile)
	if err != nil {
		t.Fatalf("%v; run `go test ./crdfields -update` in hack/compat to create it", err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(got, "\n")); diff != "" {
		t.Errorf("%s differs from the CRDs (-file +CRDs):\n%s\n"+
			"If the change is intended (Vigil serves new fields, or Prometheus Operator's version changed),\n"+
			"run `go test ./crdfields -update` in hack/compat and commit the file.", unservedFile, diff)
	}
}

// TestVigilFieldsMatchPrometheusOperator fails on every path Vigil has that
// Prometheus Operator lacks and every type mismatch, unless
// testdata/allowed-differences.txt gives a reason; and on entries there that
// match nothing any more.
func TestVigilFieldsMatchPrometheusOperator(t *testing.T) {
	f, err := os.Open(allowlistFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	allow, err := ParseAllowlist(f)
	if err != nil {
		t.Fatalf("%s: %v", allowlistFile, err)
	}
	problems, stale := allow.Check(compareCRDs(t))
	if len(problems) > 0 {
		t.Errorf("Vigil's CRDs differ from Prometheus Operator's; a manifest using these would not work with Prometheus Operator.\n"+
			"Fix the API types, or add the path to %s with the reason:\n\t%s",
			allowlistFile, strings.Join(problems, "\n\t"))
	}
	if len(stale) > 0 {
		t.Errorf("These entries of %s match no difference any more; remove them:\n\t%s",
			allowlistFile, strings.Join(stale, "\n\t"))
	}
}
