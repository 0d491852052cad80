package compare

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	monitoringv1alpha1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1alpha1"
	amconfig "github.com/prometheus/alertmanager/config"

	"github.com/vigil-monitoring/vigil/hack/compat/oracle"
)

// The API server Prometheus Operator's Alertmanager controller runs on:
// started by the first case with an Alertmanager, reused by the others,
// stopped by TestMain.
var (
	apiServerOnce    sync.Once
	apiServerStarted *oracle.APIServer
	apiServerErr     error
)

func apiServer(t *testing.T) *oracle.APIServer {
	t.Helper()
	apiServerOnce.Do(func() { apiServerStarted, apiServerErr = oracle.StartAPIServer() })
	if apiServerErr != nil {
		t.Fatal(apiServerErr)
	}
	return apiServerStarted
}

func stopAPIServer() error {
	if apiServerStarted == nil {
		return nil
	}
	return apiServerStarted.Stop()
}

// renderVigilAlertmanager runs `vigilctl render alertmanager` on paths. A
// configuration vigilctl refuses to generate is returned as refused, with
// its message.
func renderVigilAlertmanager(t *testing.T, paths []string, name string) (in AlertmanagerInput, refused string) {
	t.Helper()
	args := []string{"render", "alertmanager", "--name", name}
	for _, p := range paths {
		args = append(args, "-f", p)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(vigilctl, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
		return AlertmanagerInput{}, strings.TrimSpace(stderr.String())
	}
	if err != nil {
		t.Fatalf("vigilctl %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return AlertmanagerInput{Config: stdout.Bytes(), Rejected: vigilRejections(stderr.String())}, ""
}

// renderPOAlertmanager runs Prometheus Operator's Alertmanager controller
// on objs for the Alertmanager name. A reconcile that writes no
// configuration is returned as refused, with its error.
func renderPOAlertmanager(t *testing.T, objs *oracle.Objects, name string) (in AlertmanagerInput, refused string) {
	t.Helper()
	am, err := oracle.Pick(objs.Alertmanagers, name, "default")
	if err != nil {
		t.Fatal(err)
	}
	out, err := apiServer(t).Alertmanager(context.Background(), objs, am)
	if se := (*oracle.SyncError)(nil); errors.As(err, &se) {
		return AlertmanagerInput{}, se.Error()
	}
	if err != nil {
		t.Fatalf("Prometheus Operator: %v", err)
	}
	in = AlertmanagerInput{Config: out.Config, Files: map[string][]byte{}, Rejected: map[string]string{}}
	for n, data := range out.TLSAssets {
		in.Files[oracle.AlertmanagerCertsDir+n] = data
	}
	for _, r := range out.Rejected {
		in.Rejected[r.Kind+" "+r.Namespace+"/"+r.Name] = r.Reason
	}
	return in, ""
}

// onlyLeftOutBy lists the objects a leaves out and b keeps.
func onlyLeftOutBy(a, b map[string]string) map[string]bool {
	out := map[string]bool{}
	for obj := range a {
		if _, ok := b[obj]; !ok {
			out[obj] = true
		}
	}
	return out
}

// withoutAlertmanagerConfigs is objs without the AlertmanagerConfigs drop
// names ("AlertmanagerConfig namespace/name").
func withoutAlertmanagerConfigs(objs *oracle.Objects, drop map[string]bool) *oracle.Objects {
	out := *objs
	out.AlertmanagerConfigs = slices.DeleteFunc(slices.Clone(objs.AlertmanagerConfigs), func(c *monitoringv1alpha1.AlertmanagerConfig) bool {
		return drop["AlertmanagerConfig "+c.Namespace+"/"+c.Name]
	})
	return &out
}

// compareAlertmanagers compares every Alertmanager object of objs (read
// from paths) and returns one line per difference ("Alertmanager
// <namespace/name>: <section>") with the details for the log.
func compareAlertmanagers(t *testing.T, paths []string, objs *oracle.Objects) (lines []string, details []string) {
	t.Helper()
	for _, am := range objs.Alertmanagers {
		name := am.Namespace + "/" + am.Name
		prefix := "Alertmanager " + name + ": "
		po, poRefused := renderPOAlertmanager(t, objs, name)
		vigil, vigilRefused := renderVigilAlertmanager(t, paths, name)
		switch {
		case poRefused != "" && vigilRefused != "":
			continue
		case poRefused != "":
			lines = append(lines, prefix+"only Vigil writes a configuration")
			details = append(details, prefix+poRefused)
			continue
		case vigilRefused != "":
			lines = append(lines, prefix+"only Prometheus Operator writes a configuration")
			details = append(details, prefix+"Vigil: "+vigilRefused)
			continue
		}
		if _, err := amconfig.Load(string(po.Config)); err != nil {
			// Alertmanager would refuse Prometheus Operator's file as a
			// whole; the objects only Vigil leaves out are usually why.
			// Without them, the rest can still be compared; leaving them
			// out remains a difference.
			if drop := onlyLeftOutBy(vigil.Rejected, po.Rejected); len(drop) > 0 {
				po, poRefused = renderPOAlertmanager(t, withoutAlertmanagerConfigs(objs, drop), name)
				if poRefused != "" {
					t.Fatalf("%swithout %v, Prometheus Operator writes no configuration: %s", prefix, keys(drop), poRefused)
				}
			}
		}
		diffs, err := Alertmanager(vigil, po)
		if err != nil {
			lines = append(lines, prefix+"does not load")
			details = append(details, fmt.Sprintf("%s%v", prefix, err))
			continue
		}
		for _, d := range diffs {
			lines = append(lines, prefix+d.Job)
			details = append(details, prefix+d.String())
		}
	}
	return lines, details
}
