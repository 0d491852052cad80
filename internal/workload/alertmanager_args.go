package workload

import (
	"fmt"
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

const alertmanagerDefaultRetention = "120h"

// args are Alertmanager's flags, in Prometheus Operator's order, shaped to
// the version as it shapes them.
func (b *alertmanagerBuilder) args() []arg {
	spec := &b.am.Spec
	a := []arg{
		argv("config.file", path.Join(alertmanagerConfigOutDir, alertmanagerEnvsubstFile)),
		argv("storage.path", alertmanagerStorageDir),
		argv("data.retention", orDefault(string(spec.Retention), alertmanagerDefaultRetention)),
	}
	if b.replicas() == 1 && !spec.ForceEnableClusterMode {
		// One Alertmanager alone: no cluster.
		a = append(a, arg{name: "cluster.listen-address", emptyValue: true})
	} else {
		a = append(a, argv("cluster.listen-address", "[$(POD_IP)]:9094"))
	}
	listen := ":9093"
	if spec.ListenLocal {
		listen = "127.0.0.1:9093"
	}
	a = append(a, argv("web.listen-address", listen))
	if spec.ExternalURL != "" {
		a = append(a, argv("web.external-url", spec.ExternalURL))
	}
	if len(spec.EnableFeatures) > 0 && b.v.atLeast("0.27.0") {
		a = append(a, argv("enable-feature", strings.Join(spec.EnableFeatures, ",")))
	}
	a = append(a, argv("web.route-prefix", b.routePrefix))
	if w := spec.Web; w != nil && b.v.atLeast("0.17.0") {
		if w.GetConcurrency != nil {
			a = append(a, argv("web.get-concurrency", fmt.Sprint(*w.GetConcurrency)))
		}
		if w.Timeout != nil {
			a = append(a, argv("web.timeout", fmt.Sprint(*w.Timeout)))
		}
	}
	// Notifications wait until the pod has been ready for minReadySeconds,
	// unless the user sets the delay.
	if spec.MinReadySeconds != nil && b.v.atLeast("0.30.0") && !b.hasAdditional("dispatch.start-delay") {
		a = append(a, argv("dispatch.start-delay", fmt.Sprintf("%ds", *spec.MinReadySeconds)))
	}
	if spec.LogLevel != "" && spec.LogLevel != "info" {
		a = append(a, argv("log.level", string(spec.LogLevel)))
	}
	if spec.LogFormat != "" && spec.LogFormat != "logfmt" && b.v.atLeast("0.16.0") {
		a = append(a, argv("log.format", string(spec.LogFormat)))
	}
	a = append(a, b.clusterArgs()...)
	if b.hasWebConfig() {
		a = append(a, argv("web.config.file", b.web.path()))
	}
	return a
}

// clusterArgs: the gossip settings, then every pod of the StatefulSet as a
// peer, then spec.additionalPeers.
func (b *alertmanagerBuilder) clusterArgs() []arg {
	spec := &b.am.Spec
	var a []arg
	for _, f := range []struct{ name, value string }{
		{"cluster.advertise-address", spec.ClusterAdvertiseAddress},
		{"cluster.gossip-interval", string(spec.ClusterGossipInterval)},
		{"cluster.pushpull-interval", string(spec.ClusterPushpullInterval)},
		{"cluster.peer-timeout", string(spec.ClusterPeerTimeout)},
	} {
		if f.value != "" {
			a = append(a, argv(f.name, f.value))
		}
	}
	if b.v.atLeast("0.30.0") {
		a = append(a, argv("cluster.peer-name", "$(POD_NAME)"))
	}
	// The label keeps an Alertmanager of another cluster, on a recycled pod
	// address, from joining.
	if b.v.atLeast("0.26.0") {
		a = append(a, argv("cluster.label", deref(spec.ClusterLabel, b.am.Namespace+"/"+b.am.Name)))
	}
	domain := alertmanagerGoverningName
	if d := b.opts.ClusterDomain; d != "" {
		domain = fmt.Sprintf("%s.%s.svc.%s.", alertmanagerGoverningName, b.am.Namespace, d)
	}
	for i := range b.replicas() {
		a = append(a, argv("cluster.peer", fmt.Sprintf("%s-%d.%s:9094", AlertmanagerName(b.am.Name), i, domain)))
	}
	for _, p := range spec.AdditionalPeers {
		a = append(a, argv("cluster.peer", p))
	}
	// A restarted peer comes back under the same name; forget the old one
	// after 5m instead of Alertmanager's 6h.
	return append(a, argv("cluster.reconnect-timeout", alertmanagerReconnect))
}

func (b *alertmanagerBuilder) hasAdditional(name string) bool {
	for _, a := range b.am.Spec.AdditionalArgs {
		if a.Name == name {
			return true
		}
	}
	return false
}

// probes poll /-/healthy and /-/ready on the web port.
func (b *alertmanagerBuilder) probes() (liveness, readiness *corev1.Probe) {
	get := func(p string) corev1.ProbeHandler {
		h := &corev1.HTTPGetAction{Path: path.Clean(b.routePrefix + p), Port: intstr.FromString(b.portName)}
		if b.tls {
			h.Scheme = corev1.URISchemeHTTPS
		}
		return corev1.ProbeHandler{HTTPGet: h}
	}
	liveness = &corev1.Probe{ProbeHandler: get("/-/healthy"), TimeoutSeconds: 3, FailureThreshold: 10}
	readiness = &corev1.Probe{ProbeHandler: get("/-/ready"), InitialDelaySeconds: 3, TimeoutSeconds: 3, PeriodSeconds: 5, FailureThreshold: 10}
	return liveness, readiness
}
