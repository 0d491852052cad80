package workload

import (
	"fmt"
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// prometheusDefaultRetention is kept when neither retention nor
// retentionSize is set, as Prometheus Operator does.
const prometheusDefaultRetention = "24h"

// args are Prometheus's flags, in Prometheus Operator's order, shaped to the
// version as it shapes them: flags a version does not have are left out.
func (b *prometheusBuilder) args() []arg {
	spec := &b.p.Spec
	a := []arg{argv("config.file", path.Join(prometheusConfigOutDir, prometheusEnvsubstFile))}
	if b.v.major == 2 {
		a = append(a, argv("web.console.templates", "/etc/prometheus/consoles"), argv("web.console.libraries", "/etc/prometheus/console_libraries"))
	}
	a = append(a, argn("web.enable-lifecycle"))
	if w := spec.Web; w != nil {
		if w.PageTitle != nil {
			a = append(a, argv("web.page-title", *w.PageTitle))
		}
		if w.MaxConnections != nil {
			a = append(a, argv("web.max-connections", fmt.Sprint(*w.MaxConnections)))
		}
	}
	a = append(a, b.receiverArgs()...)
	if len(spec.EnableFeatures) > 0 {
		fs := make([]string, len(spec.EnableFeatures))
		for i, f := range spec.EnableFeatures {
			fs[i] = string(f)
		}
		a = append(a, argv("enable-feature", strings.Join(fs, ",")))
	}
	if spec.ExternalURL != "" {
		a = append(a, argv("web.external-url", spec.ExternalURL))
	}
	a = append(a, argv("web.route-prefix", b.routePrefix))
	a = append(a, logArgs(string(spec.LogLevel), string(spec.LogFormat))...)
	if spec.ListenLocal {
		a = append(a, argv("web.listen-address", "127.0.0.1:9090"))
	}
	a = append(a, b.storageArgs()...)
	a = append(a, argv("web.config.file", b.web.path()))
	if spec.DisableCompaction {
		// Equal block durations turn compaction off.
		a = append(a, argv("storage.tsdb.max-block-duration", "2h"), argv("storage.tsdb.min-block-duration", "2h"))
	}
	return a
}

// receiverArgs turn on the remote write and OTLP receivers.
func (b *prometheusBuilder) receiverArgs() []arg {
	spec := &b.p.Spec
	var a []arg
	if spec.EnableRemoteWriteReceiver {
		a = append(a, argn("web.enable-remote-write-receiver"))
		if len(spec.RemoteWriteReceiverMessageVersions) > 0 && b.v.atLeast("2.54.0") {
			var msgs []string
			for _, v := range spec.RemoteWriteReceiverMessageVersions {
				msgs = append(msgs, protobufMessage(v))
			}
			a = append(a, argv("web.remote-write-receiver.accepted-protobuf-messages", strings.Join(msgs, ",")))
		}
	}
	// Before 3.4, remote write 2.0 needs metadata in the WAL, which was a
	// feature flag.
	if b.v.atLeast("2.54.0") && !b.v.atLeast("3.4.0") {
		for _, rw := range spec.RemoteWrite {
			if deref(rw.MessageVersion, monitoringv1.RemoteWriteMessageVersion1) == monitoringv1.RemoteWriteMessageVersion2 {
				a = append(a, argv("enable-feature", "metadata-wal-records"))
				break
			}
		}
	}
	if deref(spec.EnableOTLPReceiver, false) {
		if b.v.major >= 3 {
			a = append(a, argn("web.enable-otlp-receiver"))
		} else if b.v.atLeast("2.47.0") {
			a = append(a, argv("enable-feature", "otlp-write-receiver"))
		}
	}
	return a
}

func protobufMessage(v monitoringv1.RemoteWriteMessageVersion) string {
	if v == monitoringv1.RemoteWriteMessageVersion2 {
		return "io.prometheus.write.v2.Request"
	}
	return "prometheus.WriteRequest"
}

func logArgs(level, format string) []arg {
	var a []arg
	if level != "" && level != "info" {
		a = append(a, argv("log.level", level))
	}
	if format != "" && format != "logfmt" {
		a = append(a, argv("log.format", format))
	}
	return a
}

// storageArgs are the TSDB, admin API, rule engine and query engine flags.
// From Prometheus 3.11 retention is in prometheus.yaml instead.
func (b *prometheusBuilder) storageArgs() []arg {
	spec := &b.p.Spec
	var a []arg
	if !b.v.atLeast("3.11.0") {
		retention := string(spec.Retention)
		if retention == "" && spec.RetentionSize == "" {
			retention = prometheusDefaultRetention
		}
		if retention != "" {
			a = append(a, argv("storage.tsdb.retention.time", retention))
		}
		if spec.RetentionSize != "" {
			a = append(a, argv("storage.tsdb.retention.size", string(spec.RetentionSize)))
		}
	}
	a = append(a, argv("storage.tsdb.path", prometheusStorageDir))
	if spec.EnableAdminAPI {
		a = append(a, argn("web.enable-admin-api"))
	}
	if r := spec.Rules; r != nil && r.Alert != nil {
		for _, f := range []struct {
			name  string
			value monitoringv1.Duration
		}{
			{"rules.alert.for-outage-tolerance", r.Alert.ForOutageTolerance},
			{"rules.alert.for-grace-period", r.Alert.ForGracePeriod},
			{"rules.alert.resend-delay", r.Alert.ResendDelay},
		} {
			if f.value != "" {
				a = append(a, argv(f.name, string(f.value)))
			}
		}
	}
	if q := spec.Query; q != nil {
		if q.LookbackDelta != nil {
			a = append(a, argv("query.lookback-delta", string(*q.LookbackDelta)))
		}
		if deref(q.MaxSamples, 0) > 0 {
			a = append(a, argv("query.max-samples", fmt.Sprint(*q.MaxSamples)))
		}
		if deref(q.MaxConcurrency, 0) > 0 {
			a = append(a, argv("query.max-concurrency", fmt.Sprint(*q.MaxConcurrency)))
		}
		if q.Timeout != nil {
			a = append(a, argv("query.timeout", string(*q.Timeout)))
		}
	}
	if spec.WALCompression != nil {
		name := "no-storage.tsdb.wal-compression"
		if *spec.WALCompression {
			name = "storage.tsdb.wal-compression"
		}
		a = append(a, argn(name))
	}
	return a
}

// probes: the startup probe waits up to 15 minutes for /-/ready (the WAL
// replay can take that long), then readiness polls it; liveness polls
// /-/healthy, which answers as soon as the server runs.
func (b *prometheusBuilder) probes() (startup, readiness, liveness *corev1.Probe) {
	ready, healthy := b.probeHandler("/-/ready"), b.probeHandler("/-/healthy")
	startup = &corev1.Probe{ProbeHandler: ready, TimeoutSeconds: 3, PeriodSeconds: 15, FailureThreshold: 60}
	readiness = &corev1.Probe{ProbeHandler: *ready.DeepCopy(), TimeoutSeconds: 3, PeriodSeconds: 5, FailureThreshold: 3}
	liveness = &corev1.Probe{ProbeHandler: healthy, TimeoutSeconds: 3, PeriodSeconds: 5, FailureThreshold: 6}
	return startup, readiness, liveness
}

func (b *prometheusBuilder) probeHandler(p string) corev1.ProbeHandler {
	p = path.Clean(b.routePrefix + p)
	if b.p.Spec.ListenLocal {
		return execProbe("http://localhost:9090" + p)
	}
	h := &corev1.HTTPGetAction{Path: p, Port: intstr.FromString(b.portName)}
	if b.tls {
		h.Scheme = corev1.URISchemeHTTPS
	}
	return corev1.ProbeHandler{HTTPGet: h}
}

// execProbe fetches u from inside the container, with curl or wget
// (whichever the image has): a server listening on 127.0.0.1 cannot be
// probed by the kubelet.
// The URL holds spec.routePrefix, so it is quoted for the shell.
func execProbe(u string) corev1.ProbeHandler {
	q := "'" + strings.ReplaceAll(u, "'", `'\''`) + "'"
	return corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{
		"sh", "-c",
		fmt.Sprintf(`if [ -x "$(command -v curl)" ]; then exec curl --fail %s; elif [ -x "$(command -v wget)" ]; then exec wget -q -O /dev/null %s; else exit 1; fi`, q, q),
	}}}
}
