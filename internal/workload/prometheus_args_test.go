package workload

import (
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/rejection"
)

const (
	argConfig    = "--config.file=/etc/prometheus/config_out/prometheus.env.yaml"
	argLifecycle = "--web.enable-lifecycle"
	argPrefix    = "--web.route-prefix=/"
	argTSDB      = "--storage.tsdb.path=/prometheus"
	argWebConfig = "--web.config.file=/etc/prometheus/web_config/web-config.yaml"
)

// TestPrometheusArgs: Prometheus's command line for each field that
// shapes it, in Prometheus Operator's order (buildServerArgs and
// BuildCommonPrometheusArgs).
func TestPrometheusArgs(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(*monitoringv1.Prometheus)
		want []string
	}{
		{"defaults", nil, []string{argConfig, argLifecycle, argPrefix, argTSDB, argWebConfig}},
		{"retention is in prometheus.yaml from 3.11", func(p *monitoringv1.Prometheus) {
			p.Spec.Retention, p.Spec.RetentionSize = "15d", "10GB"
		}, []string{argConfig, argLifecycle, argPrefix, argTSDB, argWebConfig}},
		{"before 3.11, 24h retention by default", func(p *monitoringv1.Prometheus) { p.Spec.Version = "v3.10.0" },
			[]string{argConfig, argLifecycle, argPrefix, "--storage.tsdb.retention.time=24h", argTSDB, argWebConfig}},
		{"before 3.11, retention and retentionSize", func(p *monitoringv1.Prometheus) {
			p.Spec.Version, p.Spec.Retention, p.Spec.RetentionSize = "3.10.1", "15d", "10GB"
		}, []string{argConfig, argLifecycle, argPrefix, "--storage.tsdb.retention.time=15d", "--storage.tsdb.retention.size=10GB", argTSDB, argWebConfig}},
		{"before 3.11, retentionSize alone keeps no time limit", func(p *monitoringv1.Prometheus) {
			p.Spec.Version, p.Spec.RetentionSize = "3.10.1", "10GB"
		}, []string{argConfig, argLifecycle, argPrefix, "--storage.tsdb.retention.size=10GB", argTSDB, argWebConfig}},
		{"Prometheus 2 has console flags", func(p *monitoringv1.Prometheus) { p.Spec.Version = "v2.55.1" },
			[]string{argConfig, "--web.console.templates=/etc/prometheus/consoles", "--web.console.libraries=/etc/prometheus/console_libraries",
				argLifecycle, argPrefix, "--storage.tsdb.retention.time=24h", argTSDB, argWebConfig}},
		{"walCompression true", func(p *monitoringv1.Prometheus) { p.Spec.WALCompression = ptr(true) },
			[]string{argConfig, argLifecycle, argPrefix, argTSDB, "--storage.tsdb.wal-compression", argWebConfig}},
		{"walCompression false", func(p *monitoringv1.Prometheus) { p.Spec.WALCompression = ptr(false) },
			[]string{argConfig, argLifecycle, argPrefix, argTSDB, "--no-storage.tsdb.wal-compression", argWebConfig}},
		{"web fields, external URL, route prefix", func(p *monitoringv1.Prometheus) {
			p.Spec.Web = &monitoringv1.PrometheusWebSpec{PageTitle: ptr("Team A"), MaxConnections: ptr(int32(100))}
			p.Spec.ExternalURL = "https://prom.example.com/a/"
			p.Spec.RoutePrefix = "/a"
		}, []string{argConfig, argLifecycle, "--web.page-title=Team A", "--web.max-connections=100",
			"--web.external-url=https://prom.example.com/a/", "--web.route-prefix=/a", argTSDB, argWebConfig}},
		{"enableFeatures", func(p *monitoringv1.Prometheus) {
			p.Spec.EnableFeatures = []monitoringv1.EnableFeature{"exemplar-storage", "memory-snapshot-on-shutdown"}
		}, []string{argConfig, argLifecycle, "--enable-feature=exemplar-storage,memory-snapshot-on-shutdown", argPrefix, argTSDB, argWebConfig}},
		{"log level and format; the defaults are not written", func(p *monitoringv1.Prometheus) {
			p.Spec.LogLevel, p.Spec.LogFormat = "debug", "json"
		}, []string{argConfig, argLifecycle, argPrefix, "--log.level=debug", "--log.format=json", argTSDB, argWebConfig}},
		{"log level info and format logfmt are the defaults", func(p *monitoringv1.Prometheus) {
			p.Spec.LogLevel, p.Spec.LogFormat = "info", "logfmt"
		}, []string{argConfig, argLifecycle, argPrefix, argTSDB, argWebConfig}},
		{"listenLocal", func(p *monitoringv1.Prometheus) { p.Spec.ListenLocal = true },
			[]string{argConfig, argLifecycle, argPrefix, "--web.listen-address=127.0.0.1:9090", argTSDB, argWebConfig}},
		{"receivers", func(p *monitoringv1.Prometheus) {
			p.Spec.EnableRemoteWriteReceiver = true
			p.Spec.RemoteWriteReceiverMessageVersions = []monitoringv1.RemoteWriteMessageVersion{"V1.0", "V2.0"}
			p.Spec.EnableOTLPReceiver = ptr(true)
		}, []string{argConfig, argLifecycle, "--web.enable-remote-write-receiver",
			"--web.remote-write-receiver.accepted-protobuf-messages=prometheus.WriteRequest,io.prometheus.write.v2.Request",
			"--web.enable-otlp-receiver", argPrefix, argTSDB, argWebConfig}},
		{"remote write 2.0 before 3.4 needs metadata-wal-records", func(p *monitoringv1.Prometheus) {
			p.Spec.Version = "v3.3.0"
			p.Spec.RemoteWrite = []monitoringv1.RemoteWriteSpec{{MessageVersion: ptr(monitoringv1.RemoteWriteMessageVersion2)}}
		}, []string{argConfig, argLifecycle, "--enable-feature=metadata-wal-records", argPrefix, "--storage.tsdb.retention.time=24h", argTSDB, argWebConfig}},
		{"remote write 2.0 from 3.4 needs nothing", func(p *monitoringv1.Prometheus) {
			p.Spec.RemoteWrite = []monitoringv1.RemoteWriteSpec{{MessageVersion: ptr(monitoringv1.RemoteWriteMessageVersion2)}}
		}, []string{argConfig, argLifecycle, argPrefix, argTSDB, argWebConfig}},
		{"admin API, rules, query, compaction", func(p *monitoringv1.Prometheus) {
			p.Spec.EnableAdminAPI = true
			p.Spec.DisableCompaction = true
			p.Spec.Rules = &monitoringv1.PrometheusRulesSpec{Alert: &monitoringv1.PrometheusRulesAlert{ForOutageTolerance: "1h", ForGracePeriod: "10m", ResendDelay: "2m"}}
			p.Spec.Query = &monitoringv1.QuerySpec{LookbackDelta: ptr(monitoringv1.Duration("2m")), MaxConcurrency: ptr(int32(8)), MaxSamples: ptr(int32(1000)), Timeout: ptr(monitoringv1.Duration("1m"))}
		}, []string{argConfig, argLifecycle, argPrefix, argTSDB, "--web.enable-admin-api",
			"--rules.alert.for-outage-tolerance=1h", "--rules.alert.for-grace-period=10m", "--rules.alert.resend-delay=2m",
			"--query.lookback-delta=2m", "--query.max-samples=1000", "--query.max-concurrency=8", "--query.timeout=1m",
			argWebConfig, "--storage.tsdb.max-block-duration=2h", "--storage.tsdb.min-block-duration=2h"}},
		{"additionalArgs come last", func(p *monitoringv1.Prometheus) {
			p.Spec.AdditionalArgs = []monitoringv1.Argument{{Name: "storage.tsdb.head-chunks-write-queue-size", Value: "100"}, {Name: "auto-gomemlimit"}}
		}, []string{argConfig, argLifecycle, argPrefix, argTSDB, argWebConfig, "--storage.tsdb.head-chunks-write-queue-size=100", "--auto-gomemlimit"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := buildProm(t, prom(c.set), Options{})
			NewWithT(t).Expect(container(t, &w.StatefulSets[0].Spec.Template.Spec, "prometheus").Args).To(Equal(c.want))
		})
	}
}

// TestPrometheusInvalidSpec: what cannot make a pod is an InvalidSpec error.
func TestPrometheusInvalidSpec(t *testing.T) {
	for _, c := range []struct {
		name, err string
		set       func(*monitoringv1.Prometheus)
	}{
		{"an argument Vigil sets", "storage.tsdb.path", func(p *monitoringv1.Prometheus) {
			p.Spec.AdditionalArgs = []monitoringv1.Argument{{Name: "storage.tsdb.path", Value: "/data"}}
		}},
		{"the negation of one Vigil sets", "storage.tsdb.wal-compression", func(p *monitoringv1.Prometheus) {
			p.Spec.WALCompression = ptr(true)
			p.Spec.AdditionalArgs = []monitoringv1.Argument{{Name: "no-storage.tsdb.wal-compression"}}
		}},
		{"a version that is not a release", "spec.version", func(p *monitoringv1.Prometheus) { p.Spec.Version = "latest" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			_, err := Prometheus(prom(c.set), Options{})
			g.Expect(err).To(MatchError(ContainSubstring(c.err)))
			g.Expect(rejection.ReasonOf(err)).To(Equal(rejection.InvalidSpec))
		})
	}
}

func TestPrometheusProbes(t *testing.T) {
	g := NewWithT(t)
	pod := &buildProm(t, prom(), Options{}).StatefulSets[0].Spec.Template.Spec
	c := container(t, pod, "prometheus")
	get := func(path string) corev1.ProbeHandler {
		return corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: intstr.FromString("web")}}
	}
	g.Expect(c.StartupProbe).To(Equal(&corev1.Probe{ProbeHandler: get("/-/ready"), TimeoutSeconds: 3, PeriodSeconds: 15, FailureThreshold: 60}))
	g.Expect(c.ReadinessProbe).To(Equal(&corev1.Probe{ProbeHandler: get("/-/ready"), TimeoutSeconds: 3, PeriodSeconds: 5, FailureThreshold: 3}))
	g.Expect(c.LivenessProbe).To(Equal(&corev1.Probe{ProbeHandler: get("/-/healthy"), TimeoutSeconds: 3, PeriodSeconds: 5, FailureThreshold: 6}))

	// A route prefix moves the probes and the reload URL.
	pod = &buildProm(t, prom(func(p *monitoringv1.Prometheus) { p.Spec.RoutePrefix = "/prom/" }), Options{}).StatefulSets[0].Spec.Template.Spec
	g.Expect(container(t, pod, "prometheus").ReadinessProbe.HTTPGet.Path).To(Equal("/prom/-/ready"))
	g.Expect(container(t, pod, "config-reloader").Args).To(ContainElement("--reload-url=http://127.0.0.1:9090/prom/-/reload"))

	// listenLocal: no port, probes from inside the container.
	pod = &buildProm(t, prom(func(p *monitoringv1.Prometheus) { p.Spec.ListenLocal = true }), Options{}).StatefulSets[0].Spec.Template.Spec
	c = container(t, pod, "prometheus")
	g.Expect(c.Ports).To(BeEmpty())
	g.Expect(c.ReadinessProbe.HTTPGet).To(BeNil())
	g.Expect(c.ReadinessProbe.Exec.Command).To(Equal([]string{"sh", "-c",
		`if [ -x "$(command -v curl)" ]; then exec curl --fail 'http://localhost:9090/-/ready'; elif [ -x "$(command -v wget)" ]; then exec wget -q -O /dev/null 'http://localhost:9090/-/ready'; else exit 1; fi`}))
	r := container(t, pod, "config-reloader")
	g.Expect(r.Ports).To(BeEmpty())
	g.Expect(r.Args).To(ContainElement("--listen-address=127.0.0.1:8080"))

	// TLS: HTTPS probes and reload URL.
	pod = &buildProm(t, prom(func(p *monitoringv1.Prometheus) {
		p.Spec.Web = &monitoringv1.PrometheusWebSpec{WebConfigFileFields: monitoringv1.WebConfigFileFields{TLSConfig: &monitoringv1.WebTLSConfig{CertFile: ptr("/c"), KeyFile: ptr("/k")}}}
	}), Options{}).StatefulSets[0].Spec.Template.Spec
	g.Expect(container(t, pod, "prometheus").LivenessProbe.HTTPGet.Scheme).To(Equal(corev1.URISchemeHTTPS))
	g.Expect(container(t, pod, "config-reloader").Args).To(ContainElement("--reload-url=https://127.0.0.1:9090/-/reload"))
}
