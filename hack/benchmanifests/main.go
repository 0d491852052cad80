// benchmanifests writes the manifests the generator benchmarks run on
// (package internal/benchinput), one file per size:
//
//	go run ./hack/benchmanifests -o DIR 1000 10000   writes DIR/bench-1000.yaml and DIR/bench-10000.yaml
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/vigil-monitoring/vigil/internal/benchinput"
)

func main() {
	dir := flag.String("o", ".", "folder to write bench-<n>.yaml into")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: benchmanifests -o DIR N [N ...]")
		os.Exit(2)
	}
	for _, arg := range flag.Args() {
		n, err := strconv.Atoi(arg)
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "benchmanifests: %q is not a number of ServiceMonitors\n", arg)
			os.Exit(2)
		}
		path, err := benchinput.Write(*dir, n)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchmanifests:", err)
			os.Exit(1)
		}
		fmt.Println(path)
	}
}
