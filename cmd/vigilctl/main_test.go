package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	amconfig "github.com/prometheus/alertmanager/config"
	promconfig "github.com/prometheus/prometheus/config"
	_ "github.com/prometheus/prometheus/discovery/kubernetes"
)

// run runs vigilctl with args and returns stdout, stderr and the error
// main turns into exit code 1.
func run(args ...string) (string, string, error) {
	var stdout, stderr bytes.Buffer
	err := execute(args, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

const cluster = "testdata/cluster"

func TestRenderPrometheus(t *testing.T) {
	g := NewWithT(t)
	stdout, stderr, err := run("render", "prometheus", "-f", cluster)
	g.Expect(err).NotTo(HaveOccurred())

	cfg, err := promconfig.Load(stdout, slog.New(slog.DiscardHandler))
	g.Expect(err).NotTo(HaveOccurred(), "the output loads in Prometheus")
	var jobs []string
	for _, sc := range cfg.ScrapeConfigs {
		jobs = append(jobs, sc.JobName)
	}
	g.Expect(jobs).To(Equal([]string{"serviceMonitor/team-a/token-file/0", "serviceMonitor/team-a/web/0"}))
	g.Expect(cfg.RuleFiles).To(HaveLen(1))

	// One line per problem or notice: file, kind, namespace/name, reason.
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	g.Expect(lines).To(ConsistOf(
		HavePrefix(filepath.Join(cluster, "team-b.yaml")+": ServiceMonitor team-b/typo: unknown field"),
		Equal(filepath.Join(cluster, "team-a.yaml")+": ServiceMonitor team-a/token-file: uses file reference "+
			"endpoints[0].bearerTokenFile=/var/run/secrets/kubernetes.io/serviceaccount/token: "+
			"Prometheus sends the content of its own file as the bearer token to this object's targets"),
		And(HavePrefix(filepath.Join(cluster, "team-a.yaml")+": ServiceMonitor team-a/bad-regex: left out"), ContainSubstring("error parsing regexp")),
		And(HavePrefix(filepath.Join(cluster, "team-a.yaml")+": ServiceMonitor team-a/missing-secret: left out"), ContainSubstring(`secret "nowhere" in namespace "team-a": not found`)),
	))
}

func TestExplainServiceMonitor(t *testing.T) {
	for _, tc := range []struct {
		monitor string
		want    string
	}{
		{"team-a/web", "Prometheus monitoring/main: selected and in the configuration"},
		{"team-a/untagged", `not selected: labels do not match the selector "release=main"`},
		{"team-b/api", `not selected: namespace "team-b" does not match the namespace selector "monitoring=enabled"`},
		{"team-a/bad-regex", "selected, but left out: invalid configuration: error parsing regexp"},
		{"team-a/token-file", "Prometheus monitoring/main: selected and in the configuration\n" +
			"    uses file reference endpoints[0].bearerTokenFile=/var/run/secrets/kubernetes.io/serviceaccount/token: " +
			"Prometheus sends the content of its own file as the bearer token to this object's targets\n"},
		{"team-a/missing-secret", `selected, but left out: endpoints[0]: authorization.credentials: secret "nowhere" in namespace "team-a": not found`},
	} {
		t.Run(tc.monitor, func(t *testing.T) {
			g := NewWithT(t)
			stdout, _, err := run("explain", "servicemonitor", tc.monitor, "-f", cluster)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(stdout).To(HavePrefix("ServiceMonitor " + tc.monitor + "\n"))
			g.Expect(stdout).To(ContainSubstring(tc.want))
		})
	}
}

// ignoreNamespaceSelectors leaves selection to the namespace selector and
// keeps discovery to the monitor's namespace, as Prometheus Operator does
// (pkg/prometheus/promcfg.go:2437-2446, pkg/prometheus/resource_selector.go:111).
func TestExplainIgnoreNamespaceSelectors(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	isolated := []byte(`apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: isolated, namespace: monitoring}
spec:
  ignoreNamespaceSelectors: true
  serviceMonitorSelector: {matchLabels: {release: main}}
  serviceMonitorNamespaceSelector: {matchLabels: {monitoring: enabled}}
`)
	g.Expect(os.WriteFile(filepath.Join(dir, "isolated.yaml"), isolated, 0o644)).To(Succeed())
	for _, tc := range []struct {
		monitor string
		want    string
	}{
		{"team-a/web", `Prometheus monitoring/isolated: selected and in the configuration; ignoreNamespaceSelectors: it discovers targets in namespace "team-a" only`},
		{"team-b/api", `Prometheus monitoring/isolated: not selected: namespace "team-b" does not match the namespace selector "monitoring=enabled"`},
	} {
		stdout, _, err := run("explain", "servicemonitor", tc.monitor, "-f", cluster, "-f", dir)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(stdout).To(ContainSubstring(tc.want), tc.monitor)
		g.Expect(stdout).To(ContainSubstring("Prometheus monitoring/main: "), tc.monitor)
	}
}

func TestRenderAlertmanager(t *testing.T) {
	g := NewWithT(t)
	stdout, _, err := run("render", "alertmanager", "-f", cluster)
	g.Expect(err).NotTo(HaveOccurred())
	cfg, err := amconfig.Load(stdout)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(cfg.Route.Routes).To(HaveLen(1))
	g.Expect(cfg.Route.Routes[0].Receiver).To(Equal("team-a/web/hook"))
}

func TestRenderRules(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	stdout, _, err := run("render", "rules", "-f", cluster, "--output-dir", dir)
	g.Expect(err).NotTo(HaveOccurred())
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(files).To(HaveLen(1))
	g.Expect(stdout).To(ContainSubstring(files[0]))
	content, err := os.ReadFile(files[0])
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(content)).To(ContainSubstring("alert: WebDown"))
}

// TestErrors: every error is printed on stderr, once, and makes the exit
// code non-zero.
func TestErrors(t *testing.T) {
	dir := t.TempDir()
	// A file the walk lists but cannot read: a link to a folder.
	if err := os.Symlink(t.TempDir(), filepath.Join(dir, "linked.yaml")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no input", []string{"render", "prometheus"}, `required flag(s) "filename" not set`},
		{"missing file", []string{"render", "prometheus", "-f", "testdata/nope"}, "no such file"},
		{"missing file among good ones", []string{"render", "rules", "-f", cluster, "-f", "testdata/nope", "--output-dir", t.TempDir()}, "no such file"},
		{"unreadable file", []string{"render", "alertmanager", "-f", dir}, "is a directory"},
		{"unknown prometheus", []string{"render", "prometheus", "-f", cluster, "--name", "monitoring/other"}, "Prometheus monitoring/other is not in the input"},
		{"unknown prometheus in the default namespace", []string{"render", "rules", "-f", cluster, "--name", "main", "--output-dir", t.TempDir()},
			"Prometheus default/main is not in the input"},
		{"unknown alertmanager", []string{"render", "alertmanager", "-f", cluster, "--name", "monitoring/other"}, "Alertmanager monitoring/other is not in the input"},
		{"no prometheus", []string{"render", "prometheus", "-f", filepath.Join(cluster, "team-b.yaml")}, "the input has no Prometheus"},
		{"unknown kind", []string{"explain", "deployment", "a/b", "-f", cluster}, `unknown kind "deployment"`},
		{"unknown monitor", []string{"explain", "smon", "team-a/nope", "-f", cluster}, "ServiceMonitor team-a/nope is not in the input"},
		{"unknown flag", []string{"render", "prometheus", "-f", cluster, "--nope"}, "unknown flag: --nope"},
		{"unknown file reference policy", []string{"render", "prometheus", "-f", cluster, "--file-references", "some"},
			`unknown file reference policy "some"`},
		{"missing argument", []string{"explain", "smon", "-f", cluster}, "accepts 2 arg(s), received 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			_, stderr, err := run(tc.args...)
			g.Expect(err).To(MatchError(ContainSubstring(tc.want)))
			g.Expect(strings.Count(stderr, "vigilctl: ")).To(Equal(1), "stderr:\n%s", stderr)
			g.Expect(stderr).To(ContainSubstring("vigilctl: " + err.Error()))
		})
	}
}

func TestSeveralPrometheusesNeedName(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	second := []byte("apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: other, namespace: monitoring}\nspec: {}\n")
	g.Expect(os.WriteFile(filepath.Join(dir, "other.yaml"), second, 0o644)).To(Succeed())
	_, _, err := run("render", "prometheus", "-f", cluster, "-f", dir)
	g.Expect(err).To(MatchError(ContainSubstring("choose one with --name")))
	stdout, _, err := run("render", "prometheus", "-f", cluster, "-f", dir, "--name", "monitoring/other")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(stdout).NotTo(ContainSubstring("job_name"), "other selects no monitors")
}

// A Prometheus that sets none of the four monitor selectors leaves its
// configuration to its user, as Prometheus Operator does
// (pkg/prometheus/server/operator.go:1463): nothing is rendered, and stderr
// says why.
func TestRenderPrometheusUnmanaged(t *testing.T) {
	g := NewWithT(t)
	stdout, stderr, err := run("render", "prometheus", "-f", "../../internal/promconfig/testdata/cases/minimal.yaml")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(stdout).To(BeEmpty())
	g.Expect(stderr).To(ContainSubstring("Prometheus monitoring/empty sets no serviceMonitorSelector, podMonitorSelector, probeSelector or scrapeConfigSelector: its prometheus.yaml is left to you"))
}
