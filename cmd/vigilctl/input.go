package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/inventory"
	"github.com/vigil-monitoring/vigil/internal/pipeline"
)

// inputFlags are the flags every command reads manifests with.
type inputFlags struct {
	files     []string
	namespace string
	name      string
	// fileReferences is the operator's --file-references policy, for the
	// commands that generate a Prometheus configuration.
	fileReferences assets.FileReferencePolicy
}

func (f *inputFlags) register(c *cobra.Command, nameHelp string) {
	c.Flags().StringArrayVarP(&f.files, "filename", "f", nil, "manifest file or folder (repeatable; folders are read recursively)")
	c.Flags().StringVarP(&f.namespace, "namespace", "n", "default", "namespace of objects that do not name one")
	if nameHelp != "" {
		c.Flags().StringVar(&f.name, "name", "", nameHelp)
	}
	_ = c.MarkFlagRequired("filename")
}

// registerFileReferences adds the operator's --file-references flag.
func (f *inputFlags) registerFileReferences(c *cobra.Command) {
	c.Flags().Var(&f.fileReferences, "file-references",
		"which objects may make Prometheus or Alertmanager use its own files (bearerTokenFile, tlsConfig caFile/certFile/keyFile, "+
			"fileSDConfigs, a Telegram botTokenFile), "+
			"as the operator's flag of that name: all (as Prometheus Operator), prometheus-namespace (only objects in the "+
			"Prometheus's or Alertmanager's own namespace) or none")
}

// load reads the manifests and prints every problem on stderr, one line
// each: file, kind, namespace/name, reason.
func (f *inputFlags) load(stderr io.Writer) (*inventory.Inventory, error) {
	inv, err := inventory.Load(f.files, f.namespace)
	if err != nil {
		return nil, err
	}
	for _, p := range inv.Problems {
		fmt.Fprintln(stderr, p)
	}
	return inv, nil
}

// snapshot is what the pipeline reads, from the manifests, with the
// file reference policy of the flags.
func (f *inputFlags) snapshot(inv *inventory.Inventory) pipeline.Snapshot {
	return pipeline.FromInventory(inv, f.fileReferences)
}

// pick chooses the object --name names (NS/NAME or NAME), or the only one.
func pick[T client.Object](kind string, objs []T, name, defaultNamespace string) (T, error) {
	var zero T
	if name == "" {
		switch len(objs) {
		case 1:
			return objs[0], nil
		case 0:
			return zero, fmt.Errorf("the input has no %s", kind)
		}
		var names []string
		for _, o := range objs {
			names = append(names, o.GetNamespace()+"/"+o.GetName())
		}
		return zero, fmt.Errorf("the input has %d %s objects (%s): choose one with --name", len(objs), kind, strings.Join(names, ", "))
	}
	ns, n, found := strings.Cut(name, "/")
	if !found {
		ns, n = defaultNamespace, name
	}
	for _, o := range objs {
		if o.GetNamespace() == ns && o.GetName() == n {
			return o, nil
		}
	}
	return zero, fmt.Errorf("%s %s/%s is not in the input", kind, ns, n)
}

// errNothingRendered is returned when nothing could be rendered; problems
// were already printed.
var errNothingRendered = errors.New("nothing could be rendered")
