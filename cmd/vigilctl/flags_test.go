package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	amconfig "github.com/prometheus/alertmanager/config"
)

const tokenFileNotice = "uses file reference endpoints[0].bearerTokenFile=/var/run/secrets/kubernetes.io/serviceaccount/token: " +
	"Prometheus sends the content of its own file as the bearer token to this object's targets"

// TestFileReferencesFlag: --file-references is the operator's policy;
// the notice is printed whatever the policy, and a refused object is left
// out with the reason, in render and in explain alike.
func TestFileReferencesFlag(t *testing.T) {
	for _, tc := range []struct {
		policy  string
		refused string
	}{
		{"all", ""},
		{"prometheus-namespace", `the operator's file reference policy (--file-references=prometheus-namespace) honours them only in the Prometheus object's namespace "monitoring"`},
		{"none", "the operator's file reference policy (--file-references=none) honours none"},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			g := NewWithT(t)
			stdout, stderr, err := run("render", "prometheus", "-f", cluster, "--file-references", tc.policy)
			g.Expect(err).NotTo(HaveOccurred())
			source := filepath.Join(cluster, "team-a.yaml") + ": ServiceMonitor team-a/token-file: "
			explained, _, err := run("explain", "smon", "team-a/token-file", "-f", cluster, "--file-references="+tc.policy)
			g.Expect(err).NotTo(HaveOccurred())
			if tc.refused == "" {
				g.Expect(stdout).To(ContainSubstring("job_name: serviceMonitor/team-a/token-file/0"))
				g.Expect(stderr).To(ContainSubstring(source + tokenFileNotice + "\n"))
				g.Expect(explained).To(ContainSubstring("selected and in the configuration\n    " + tokenFileNotice + "\n"))
				return
			}
			g.Expect(stdout).NotTo(ContainSubstring("token-file"))
			reason := "endpoints[0]: bearerTokenFile: file reference refused: " + tc.refused
			g.Expect(stderr).To(ContainSubstring(source + "left out of the configuration: " + reason + "\n"))
			g.Expect(stderr).To(ContainSubstring(source + tokenFileNotice + " (refused: file reference refused: " + tc.refused + ")\n"))
			g.Expect(explained).To(ContainSubstring("selected, but left out: " + reason + "\n    " + tokenFileNotice + " (refused: "))
		})
	}
}

// alertmanagerInput is an Alertmanager whose alertmanagerConfiguration
// names global, which it does not select (no label), beside a
// configuration Secret that would not load and a selected tenant object.
const alertmanagerInput = `apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata: {name: main, namespace: monitoring}
spec:
  alertmanagerConfigSelector: {matchLabels: {tenant: "true"}}
  alertmanagerConfigNamespaceSelector: {}
  alertmanagerConfiguration:
    name: global
    global: {resolveTimeout: 7m}
---
apiVersion: v1
kind: Secret
metadata: {name: alertmanager-main, namespace: monitoring}
stringData: {alertmanager.yaml: "not: [a configuration"}
---
apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata: {name: global, namespace: monitoring}
spec:
  route: {receiver: pager, groupBy: [alertname]}
  receivers: [{name: pager}]
---
apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata: {name: web, namespace: team-a, labels: {tenant: "true"}}
spec:
  route: {receiver: hook}
  receivers: [{name: hook}]
`

// TestRenderAlertmanagerConfiguration: spec.alertmanagerConfiguration
// replaces the configuration Secret with the AlertmanagerConfig it names,
// selected or not, as the operator does (and Prometheus Operator).
func TestRenderAlertmanagerConfiguration(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	g.Expect(os.WriteFile(filepath.Join(dir, "am.yaml"), []byte(alertmanagerInput), 0o644)).To(Succeed())
	stdout, stderr, err := run("render", "alertmanager", "-f", dir)
	g.Expect(err).NotTo(HaveOccurred(), stderr)
	g.Expect(stderr).To(BeEmpty())
	cfg, err := amconfig.Load(stdout)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(cfg.Route.Receiver).To(Equal("monitoring/global/pager"))
	g.Expect(cfg.Global.ResolveTimeout.String()).To(Equal("7m"))
	g.Expect(cfg.Route.Routes).To(HaveLen(1))
	g.Expect(cfg.Route.Routes[0].Receiver).To(Equal("team-a/web/hook"))

	// Without the named object there is nothing to build on.
	missing := strings.Replace(alertmanagerInput, "name: global, namespace: monitoring", "name: elsewhere, namespace: monitoring", 1)
	g.Expect(os.WriteFile(filepath.Join(dir, "am.yaml"), []byte(missing), 0o644)).To(Succeed())
	_, stderr, err = run("render", "alertmanager", "-f", dir)
	g.Expect(err).To(MatchError(ContainSubstring("spec.alertmanagerConfiguration names AlertmanagerConfig monitoring/global, which does not exist")))
	g.Expect(stderr).To(ContainSubstring("vigilctl: spec.alertmanagerConfiguration names"))
}

// TestEmptyInput: objects with nothing set render, and explain says there
// is nothing to explain against.
func TestEmptyInput(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	empty := "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: p}\n---\n" +
		"apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: a}\n---\n" +
		"apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: s}\n"
	g.Expect(os.WriteFile(filepath.Join(dir, "empty.yaml"), []byte(empty), 0o644)).To(Succeed())
	for _, args := range [][]string{
		{"render", "prometheus", "-f", dir},
		{"render", "alertmanager", "-f", dir},
		{"render", "rules", "-f", dir, "--output-dir", t.TempDir()},
		{"explain", "smon", "s", "-f", dir},
	} {
		_, stderr, err := run(args...)
		g.Expect(err).NotTo(HaveOccurred(), "%v: %s", args, stderr)
	}
	stdout, _, err := run("explain", "smon", "s", "-f", filepath.Join(dir, "empty.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(stdout).To(Equal("ServiceMonitor default/s\n  Prometheus default/p: not selected: the selector is not set, which selects nothing\n"))
}
