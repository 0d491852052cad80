// Command crdfields prints how Vigil's CRDs differ from Prometheus Operator's,
// field path by field path. Run it from hack/compat:
//
//	go run ./crdfields/cmd/crdfields [-full]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/vigil-monitoring/vigil/hack/compat/crdfields"
)

func main() {
	vigilDir := flag.String("vigil-crds", "../../config/crd/bases", "directory of Vigil's CRD YAML files")
	allowFile := flag.String("allowlist", "crdfields/testdata/allowed-differences.txt", "differences Vigil keeps on purpose")
	full := flag.Bool("full", false, "list every unserved path instead of the tops of missing subtrees")
	flag.Parse()
	if err := run(*vigilDir, *allowFile, *full); err != nil {
		fmt.Fprintln(os.Stderr, "crdfields:", err)
		os.Exit(1)
	}
}

func run(vigilDir, allowFile string, full bool) error {
	po, err := crdfields.LoadPrometheusOperator()
	if err != nil {
		return err
	}
	vigil, err := crdfields.LoadDir(vigilDir)
	if err != nil {
		return err
	}
	f, err := os.Open(allowFile)
	if err != nil {
		return fmt.Errorf("opening the allowlist: %w", err)
	}
	defer f.Close()
	allow, err := crdfields.ParseAllowlist(f)
	if err != nil {
		return fmt.Errorf("%s: %w", allowFile, err)
	}
	return crdfields.WriteReport(os.Stdout, crdfields.Compare(po, vigil), allow, full)
}
