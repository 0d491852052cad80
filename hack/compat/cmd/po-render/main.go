// po-render prints what Prometheus Operator v0.93.0 generates for a set of
// manifests, read as vigilctl reads them:
//
//	po-render prometheus -f DIR [-f FILE ...] [--name NS/NAME]   prometheus.yaml
//	po-render rules -f DIR --output-dir OUT                     one file per PrometheusRule
//	po-render alertmanager -f DIR [--name NS/NAME]              alertmanager.yaml
//
// Objects Prometheus Operator refuses are printed on stderr. TLS assets,
// which Prometheus Operator mounts as files, are written with
// --tls-assets-dir. alertmanager starts etcd and kube-apiserver (envtest:
// KUBEBUILDER_ASSETS, or where `make envtest-assets` builds them) and runs
// Prometheus Operator's Alertmanager controller on them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vigil-monitoring/vigil/hack/compat/oracle"
)

type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "po-render:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: po-render prometheus|rules|alertmanager -f PATH [--name NS/NAME]")
	}
	cmd := args[0]
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	var paths files
	fs.Var(&paths, "f", "manifest file or folder (repeatable)")
	namespace := fs.String("n", "default", "namespace of objects that do not name one")
	name := fs.String("name", "", "the Prometheus or Alertmanager object, as NAMESPACE/NAME")
	outDir := fs.String("output-dir", "", "folder for the rule files (rules)")
	tlsDir := fs.String("tls-assets-dir", "", "folder for the TLS assets (prometheus, alertmanager)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	objs, err := oracle.Load(paths, *namespace)
	if err != nil {
		return err
	}
	if cmd == "alertmanager" {
		return renderAlertmanager(objs, *name, *namespace, *tlsDir)
	}
	p, err := oracle.Pick(objs.Prometheuses, *name, *namespace)
	if err != nil {
		return err
	}
	out, err := oracle.Prometheus(objs, p)
	if err != nil {
		return err
	}
	for _, r := range out.Rejected {
		fmt.Fprintln(os.Stderr, "rejected:", r)
	}
	switch cmd {
	case "prometheus":
		if *tlsDir != "" {
			if err := writeFiles(*tlsDir, out.TLSAssets); err != nil {
				return err
			}
		}
		_, err = os.Stdout.Write(out.Config)
		return err
	case "rules":
		if *outDir == "" {
			return errors.New("rules needs --output-dir")
		}
		rules := map[string][]byte{}
		for n, content := range out.RuleFiles {
			rules[n] = []byte(content)
		}
		return writeFiles(*outDir, rules)
	}
	return fmt.Errorf("unknown command %q", cmd)
}

func renderAlertmanager(objs *oracle.Objects, name, namespace, tlsDir string) error {
	am, err := oracle.Pick(objs.Alertmanagers, name, namespace)
	if err != nil {
		return err
	}
	s, err := oracle.StartAPIServer()
	if err != nil {
		return err
	}
	out, err := s.Alertmanager(context.Background(), objs, am)
	if stopErr := s.Stop(); err == nil {
		err = stopErr
	}
	if out != nil {
		for _, r := range out.Rejected {
			fmt.Fprintln(os.Stderr, "rejected:", r)
		}
	}
	if err != nil {
		return err
	}
	if tlsDir != "" {
		if err := writeFiles(tlsDir, out.TLSAssets); err != nil {
			return err
		}
	}
	_, err = os.Stdout.Write(out.Config)
	return err
}

func writeFiles(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for n, data := range files {
		if err := os.WriteFile(filepath.Join(dir, n), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}
