package workload

import (
	"fmt"
	"net/url"
	"path"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// Paths and names of the Prometheus pod, Prometheus Operator's.
const (
	prometheusDir          = "/etc/prometheus"
	prometheusConfigOutDir = "/etc/prometheus/config_out"
	prometheusEnvsubstFile = "prometheus.env.yaml"
	// PrometheusConfigKey is the key of the gzipped prometheus.yaml in the
	// configuration Secret.
	PrometheusConfigKey = "prometheus.yaml.gz"
	// PrometheusRulesDir is where the config-reloader writes the rule
	// ConfigMaps, one folder each, and where prometheus.yaml's rule_files
	// look for them.
	PrometheusRulesDir      = "/etc/prometheus/rules"
	prometheusStorageDir    = "/prometheus"
	prometheusWebConfigDir  = "/etc/prometheus/web_config"
	prometheusPort          = 9090
	prometheusGracePeriod   = int64(600)
	prometheusGoverningName = "prometheus-operated"
	prometheusMode          = "server"

	containerPrometheus = "prometheus"
	volumeConfigOut     = "config-out"
	volumeRules         = "rules"

	// LabelRuleConfigMapOwner and the managed-by label select the rule
	// ConfigMaps of one Prometheus (internal/rules puts them there).
	LabelRuleConfigMapOwner = "prometheus-name"
)

// PrometheusWorkload is everything that runs one Prometheus object besides
// its configuration: the StatefulSets, the web configuration file, and the
// permissions its config-reloader reads the configuration with.
type PrometheusWorkload struct {
	// StatefulSets has one StatefulSet per shard, shard 0 first.
	StatefulSets []*appsv1.StatefulSet
	// WebConfig holds the web configuration file the pods mount.
	WebConfig *corev1.Secret
	// Role lets the pods' service account read the configuration Secret
	// and the rule ConfigMaps; RoleBinding grants it.
	Role        *rbacv1.Role
	RoleBinding *rbacv1.RoleBinding
}

// PrometheusName is the prefixed name of a Prometheus's objects:
// prometheus-<name>, the configuration Secret's name and shard 0's
// StatefulSet's.
func PrometheusName(name string) string { return "prometheus-" + name }

// PrometheusStatefulSetName is the name of a shard's StatefulSet:
// prometheus-<name>, then prometheus-<name>-shard-<n>.
func PrometheusStatefulSetName(name string, shard int32) string {
	if shard == 0 {
		return PrometheusName(name)
	}
	return fmt.Sprintf("%s-shard-%d", PrometheusName(name), shard)
}

// PrometheusShards is the number of StatefulSets p runs: spec.shards, at
// least 1. StatefulSets of shards beyond it are the reconciler's to delete.
func PrometheusShards(p *monitoringv1.Prometheus) int32 {
	return max(deref(p.Spec.Shards, 1), 1)
}

// Prometheus builds the workload of p. An error (reason InvalidSpec) means
// p's own fields cannot make one: a version that is not a release number,
// an additional argument Vigil sets, a container patch that does not apply.
func Prometheus(p *monitoringv1.Prometheus, opts Options) (*PrometheusWorkload, error) {
	// A copy, so that what is built shares nothing with the caller's object.
	p = p.DeepCopy()
	b, err := newPrometheusBuilder(p, opts)
	if err != nil {
		return nil, err
	}
	w := &PrometheusWorkload{}
	for shard := range PrometheusShards(p) {
		sts, err := b.statefulSet(shard)
		if err != nil {
			return nil, err
		}
		// The shards share nothing either.
		w.StatefulSets = append(w.StatefulSets, sts.DeepCopy())
	}
	w.WebConfig = b.webConfigSecret()
	w.Role, w.RoleBinding = reloaderRBAC(rbacFor{
		kind:           "Prometheus",
		owner:          p,
		prefixedName:   PrometheusName(p.Name),
		appName:        "prometheus",
		serviceAccount: p.Spec.ServiceAccountName,
		configSecret:   PrometheusName(p.Name),
		ruleConfigMaps: true,
		opts:           opts,
	})
	for _, s := range w.StatefulSets {
		setInputHash(s)
	}
	setInputHash(w.WebConfig)
	setInputHash(w.Role)
	setInputHash(w.RoleBinding)
	return w, nil
}

type prometheusBuilder struct {
	p           *monitoringv1.Prometheus
	opts        Options
	v           version
	portName    string
	routePrefix string
	tls         bool
	web         webConfig
}

func newPrometheusBuilder(p *monitoringv1.Prometheus, opts Options) (*prometheusBuilder, error) {
	v, err := parseVersion(orDefault(p.Spec.Version, DefaultPrometheusVersion))
	if err != nil {
		return nil, rejection.Wrap(rejection.InvalidSpec, fmt.Errorf("spec.version: %w", err))
	}
	b := &prometheusBuilder{
		p:           p,
		opts:        opts,
		v:           v,
		portName:    orDefault(p.Spec.PortName, defaultPortName),
		routePrefix: orDefault(p.Spec.RoutePrefix, "/"),
	}
	var web *monitoringv1.WebConfigFileFields
	if p.Spec.Web != nil {
		web = &p.Spec.Web.WebConfigFileFields
		b.tls = p.Spec.Web.TLSConfig != nil
	}
	b.web = newWebConfig(prometheusWebConfigDir, PrometheusName(p.Name)+"-web-config", web)
	return b, nil
}

// selectorLabels select a shard's pods. They are part of the StatefulSet's
// selector, which cannot change: they are Prometheus Operator's, so that
// Vigil can take over its StatefulSets.
func (b *prometheusBuilder) selectorLabels(shard int32) map[string]string {
	name := b.p.Name
	return merged(map[string]string{
		LabelManagedBy:    ManagedByPrometheusOperator,
		LabelName:         "prometheus",
		LabelInstance:     name,
		LabelOperatorName: name,
		LabelPrometheus:   name,
		LabelShard:        strconv.Itoa(int(shard)),
	}, b.opts.Labels)
}

func (b *prometheusBuilder) statefulSet(shard int32) (*appsv1.StatefulSet, error) {
	spec := &b.p.Spec
	selector := b.selectorLabels(shard)
	st := storageFor(spec.Storage, PrometheusName(b.p.Name)+"-db", "prometheus-db")
	pod, err := b.podSpec(shard, selector, st)
	if err != nil {
		return nil, err
	}
	return statefulSet(statefulSetShape{
		meta: metav1.ObjectMeta{
			Name:            PrometheusStatefulSetName(b.p.Name, shard),
			Namespace:       b.p.Namespace,
			Labels:          merged(poManagedBy(), b.p.Labels, map[string]string{LabelMode: prometheusMode}, selector, b.opts.Labels),
			Annotations:     withoutKubectlAnnotations(merged(b.p.Annotations, b.opts.Annotations)),
			OwnerReferences: []metav1.OwnerReference{controllerRef("Prometheus", b.p)},
		},
		common:         &spec.CommonWorkloadFields,
		replicas:       replicas(spec.Replicas, 1),
		selector:       selector,
		governing:      prometheusGoverningName,
		podLabels:      map[string]string{LabelVersion: b.v.String()},
		podAnnotations: merged(map[string]string{annotationDefaultContainer: containerPrometheus}, podMetadata(&spec.CommonWorkloadFields).Annotations),
		st:             st,
		pod:            pod,
		opts:           b.opts,
	}), nil
}

// replicas is spec.replicas, def when unset, and def when negative as
// Prometheus Operator reads it for Prometheus.
func replicas(r *int32, def int32) int32 {
	if r == nil || *r < 0 {
		return def
	}
	return *r
}

func (b *prometheusBuilder) podSpec(shard int32, selector map[string]string, st storage) (corev1.PodSpec, error) {
	spec := &b.p.Spec

	userVols, userMounts := userSecretsAndConfigMaps(&spec.CommonWorkloadFields, prometheusDir)
	webVols, webMounts := b.web.volumes()
	volumes := []corev1.Volume{configOutVolume()}
	volumes = append(volumes, userVols...)
	volumes = append(volumes, corev1.Volume{Name: volumeRules, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}})
	volumes = append(volumes, webVols...)
	volumes = append(volumes, apiAccessVolume())

	mounts := []corev1.VolumeMount{
		{Name: volumeConfigOut, MountPath: prometheusConfigOutDir, ReadOnly: true},
		{Name: st.name, MountPath: prometheusStorageDir, SubPath: st.subPath},
	}
	mounts = append(mounts, spec.VolumeMounts...)
	mounts = append(mounts, userMounts...)
	mounts = append(mounts, corev1.VolumeMount{Name: volumeRules, MountPath: PrometheusRulesDir, ReadOnly: true})
	mounts = append(mounts, webMounts...)

	args, err := withAdditional(b.args(), spec.AdditionalArgs)
	if err != nil {
		return corev1.PodSpec{}, err
	}
	startup, readiness, liveness := b.probes()
	prom := corev1.Container{
		Name:                     containerPrometheus,
		Image:                    image(spec.Image, b.opts.prometheusBaseImage(), b.v),
		ImagePullPolicy:          spec.ImagePullPolicy,
		Args:                     args,
		VolumeMounts:             mounts,
		StartupProbe:             startup,
		ReadinessProbe:           readiness,
		LivenessProbe:            liveness,
		Resources:                *spec.Resources.DeepCopy(),
		SecurityContext:          containerSecurityContext(),
		TerminationMessagePolicy: corev1.TerminationMessageFallbackToLogsOnError,
	}
	if !spec.ListenLocal {
		prom.Ports = []corev1.ContainerPort{{Name: b.portName, ContainerPort: prometheusPort, Protocol: corev1.ProtocolTCP}}
	}
	sidecar, initReloader := b.opts.reloaderContainers(b.reloader(shard))

	pod, err := podWith(&spec.CommonWorkloadFields, prom, sidecar, initReloader, volumes)
	if err != nil {
		return corev1.PodSpec{}, err
	}
	pod.AutomountServiceAccountToken = ptr(deref(spec.AutomountServiceAccountToken, true))
	pod.ShareProcessNamespace = ptr(false)
	pod.TerminationGracePeriodSeconds = ptr(deref(spec.TerminationGracePeriodSeconds, prometheusGracePeriod))
	pod.TopologySpreadConstraints = topologySpread(spec.TopologySpreadConstraints, selector)
	return pod, nil
}

// reloader is what the config-reloader of a shard watches: the
// configuration Secret and the rule ConfigMaps the rules package labels
// with this Prometheus's name.
func (b *prometheusBuilder) reloader(shard int32) reloader {
	spec := &b.p.Spec
	return reloader{
		configSecret:    PrometheusName(b.p.Name),
		configSecretKey: PrometheusConfigKey,
		envsubstFile:    path.Join(prometheusConfigOutDir, prometheusEnvsubstFile),
		rulesSelector:   RuleConfigMapSelector(b.p.Name),
		rulesDir:        PrometheusRulesDir,
		server:          b.localURL(),
		routePrefix:     b.routePrefix,
		listenLocal:     spec.ListenLocal,
		shard:           strconv.Itoa(int(shard)),
		logLevel:        string(spec.LogLevel),
		logFormat:       string(spec.LogFormat),
		pullPolicy:      spec.ImagePullPolicy,
		mounts: []corev1.VolumeMount{
			{Name: volumeConfigOut, MountPath: prometheusConfigOutDir},
			{Name: volumeRules, MountPath: PrometheusRulesDir},
		},
	}
}

// RuleConfigMapSelector selects the rule ConfigMaps of the Prometheus
// object name: the labels internal/rules puts on them.
func RuleConfigMapSelector(name string) string {
	return LabelRuleConfigMapOwner + "=" + name + "," + LabelManagedBy + "=" + ManagedByVigil
}

// localURL is Prometheus's address inside the pod: 127.0.0.1, which it
// listens on with listenLocal too (localhost could resolve to ::1 first).
func (b *prometheusBuilder) localURL() url.URL {
	scheme := "http"
	if b.tls {
		scheme = "https"
	}
	return url.URL{Scheme: scheme, Host: "127.0.0.1:" + strconv.Itoa(prometheusPort)}
}

// topologySpread adds the pods' labels to the constraints that ask for
// them: all of the shard's selector labels (OnShard), or all but the
// shard (OnResource), which spreads every pod of the object.
func topologySpread(in []monitoringv1.TopologySpreadConstraint, selector map[string]string) []corev1.TopologySpreadConstraint {
	var out []corev1.TopologySpreadConstraint
	for _, c := range in {
		tsc := *c.TopologySpreadConstraint.DeepCopy()
		if c.AdditionalLabelSelectors != nil {
			if tsc.LabelSelector == nil {
				tsc.LabelSelector = &metav1.LabelSelector{}
			}
			add := merged(selector)
			if *c.AdditionalLabelSelectors == monitoringv1.ResourceNameLabelSelector {
				delete(add, LabelShard)
			}
			tsc.LabelSelector.MatchLabels = merged(tsc.LabelSelector.MatchLabels, add)
		}
		out = append(out, tsc)
	}
	return out
}

func (b *prometheusBuilder) webConfigSecret() *corev1.Secret {
	return webConfigSecret(b.web, b.p.Namespace, controllerRef("Prometheus", b.p), b.opts)
}
