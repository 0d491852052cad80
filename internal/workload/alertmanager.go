package workload

import (
	"fmt"
	"net/url"
	"path"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// Paths and names of the Alertmanager pod, Prometheus Operator's.
const (
	alertmanagerDir          = "/etc/alertmanager"
	alertmanagerConfigDir    = "/etc/alertmanager/config"
	alertmanagerConfigOutDir = "/etc/alertmanager/config_out"
	alertmanagerEnvsubstFile = "alertmanager.env.yaml"
	// AlertmanagerConfigKey is the key of the gzipped alertmanager.yaml in
	// the generated configuration Secret.
	AlertmanagerConfigKey = "alertmanager.yaml.gz"
	// AlertmanagerTemplatesDir is where the templates of
	// spec.alertmanagerConfiguration are mounted, one file per key.
	AlertmanagerTemplatesDir    = "/etc/alertmanager/templates"
	alertmanagerStorageDir      = "/alertmanager"
	alertmanagerWebConfigDir    = "/etc/alertmanager/web_config"
	alertmanagerGracePeriod     = int64(120)
	alertmanagerGoverningName   = "alertmanager-operated"
	alertmanagerDefaultMemory   = "200Mi"
	alertmanagerReconnect       = "5m"
	containerAlertmanager       = "alertmanager"
	volumeAlertmanagerConfig    = "config-volume"
	volumeNotificationTemplates = "notification-templates"
)

// AlertmanagerWorkload is everything that runs one Alertmanager object
// besides its configuration.
type AlertmanagerWorkload struct {
	StatefulSet *appsv1.StatefulSet
	// WebConfig holds the web configuration file the pods mount; nil for
	// versions before 0.22, which have none.
	WebConfig *corev1.Secret
	// Role lets the pods' service account read the generated
	// configuration Secret; RoleBinding grants it.
	Role        *rbacv1.Role
	RoleBinding *rbacv1.RoleBinding
}

// AlertmanagerName is the prefixed name of an Alertmanager's objects:
// alertmanager-<name>, its StatefulSet's name.
func AlertmanagerName(name string) string { return "alertmanager-" + name }

// AlertmanagerGeneratedSecretName is the Secret the operator writes the
// generated alertmanager.yaml to (key AlertmanagerConfigKey).
func AlertmanagerGeneratedSecretName(name string) string {
	return AlertmanagerName(name) + "-generated"
}

// alertmanagerConfigSecretName is the user's configuration Secret; its
// other keys (notification templates) are mounted beside the
// configuration, as Prometheus Operator mounts them.
func alertmanagerConfigSecretName(am *monitoringv1.Alertmanager) string {
	return orDefault(am.Spec.ConfigSecret, AlertmanagerName(am.Name))
}

// Alertmanager builds the workload of am. An error (reason InvalidSpec)
// means am's own fields cannot make one.
func Alertmanager(am *monitoringv1.Alertmanager, opts Options) (*AlertmanagerWorkload, error) {
	// A copy, so that what is built shares nothing with the caller's object.
	am = am.DeepCopy()
	v, err := parseVersion(orDefault(am.Spec.Version, DefaultAlertmanagerVersion))
	if err != nil {
		return nil, rejection.Wrap(rejection.InvalidSpec, fmt.Errorf("spec.version: %w", err))
	}
	b := &alertmanagerBuilder{am: am, opts: opts, v: v, portName: orDefault(am.Spec.PortName, defaultPortName), routePrefix: orDefault(am.Spec.RoutePrefix, "/")}
	var web *monitoringv1.WebConfigFileFields
	if am.Spec.Web != nil {
		web = &am.Spec.Web.WebConfigFileFields
		// HTTPS from 0.22, which reads the web configuration file.
		b.tls = am.Spec.Web.TLSConfig != nil && b.hasWebConfig()
	}
	b.web = newWebConfig(alertmanagerWebConfigDir, AlertmanagerName(am.Name)+"-web-config", web)
	sts, err := b.statefulSet()
	if err != nil {
		return nil, err
	}
	w := &AlertmanagerWorkload{StatefulSet: sts}
	if b.hasWebConfig() {
		w.WebConfig = webConfigSecret(b.web, am.Namespace, controllerRef("Alertmanager", am), opts)
		setInputHash(w.WebConfig)
	}
	w.Role, w.RoleBinding = reloaderRBAC(rbacFor{
		kind:           "Alertmanager",
		owner:          am,
		prefixedName:   AlertmanagerName(am.Name),
		appName:        "alertmanager",
		serviceAccount: am.Spec.ServiceAccountName,
		configSecret:   AlertmanagerGeneratedSecretName(am.Name),
		opts:           opts,
	})
	setInputHash(w.StatefulSet)
	setInputHash(w.Role)
	setInputHash(w.RoleBinding)
	return w, nil
}

type alertmanagerBuilder struct {
	am          *monitoringv1.Alertmanager
	opts        Options
	v           version
	portName    string
	routePrefix string
	tls         bool
	web         webConfig
}

// hasWebConfig: Alertmanager reads a web configuration file from 0.22.
func (b *alertmanagerBuilder) hasWebConfig() bool { return b.v.atLeast("0.22.0") }

func (b *alertmanagerBuilder) selectorLabels() map[string]string {
	return merged(map[string]string{
		LabelManagedBy:    ManagedByPrometheusOperator,
		LabelName:         "alertmanager",
		LabelInstance:     b.am.Name,
		LabelAlertmanager: b.am.Name,
	}, b.opts.Labels)
}

func (b *alertmanagerBuilder) replicas() int32 {
	return max(deref(b.am.Spec.Replicas, 1), 0)
}

func (b *alertmanagerBuilder) statefulSet() (*appsv1.StatefulSet, error) {
	spec := &b.am.Spec
	selector := b.selectorLabels()
	st := storageFor(spec.Storage, AlertmanagerName(b.am.Name)+"-db", "alertmanager-db")
	pod, err := b.podSpec(st)
	if err != nil {
		return nil, err
	}
	return statefulSet(statefulSetShape{
		meta: metav1.ObjectMeta{
			Name:            AlertmanagerName(b.am.Name),
			Namespace:       b.am.Namespace,
			Labels:          merged(poManagedBy(), b.am.Labels, selector, b.opts.Labels),
			Annotations:     withoutKubectlAnnotations(merged(b.am.Annotations, b.opts.Annotations)),
			OwnerReferences: []metav1.OwnerReference{controllerRef("Alertmanager", b.am)},
		},
		common:         &spec.CommonWorkloadFields,
		replicas:       b.replicas(),
		selector:       selector,
		governing:      alertmanagerGoverningName,
		podLabels:      map[string]string{LabelVersion: b.v.String()},
		podAnnotations: merged(podMetadata(&spec.CommonWorkloadFields).Annotations, map[string]string{annotationDefaultContainer: containerAlertmanager}),
		st:             st,
		pod:            pod,
		opts:           b.opts,
	}), nil
}

func (b *alertmanagerBuilder) podSpec(st storage) (corev1.PodSpec, error) {
	spec := &b.am.Spec
	volumes, amMounts, reloaderMounts, watched := b.volumes(st)

	args, err := withAdditional(b.args(), spec.AdditionalArgs)
	if err != nil {
		return corev1.PodSpec{}, err
	}
	am := corev1.Container{
		Name:            containerAlertmanager,
		Image:           image(spec.Image, b.opts.alertmanagerBaseImage(), b.v),
		ImagePullPolicy: spec.ImagePullPolicy,
		Args:            args,
		Env:             []corev1.EnvVar{fieldEnv("POD_IP", "status.podIP")},
		Ports: []corev1.ContainerPort{
			{Name: meshTCPPortName, ContainerPort: alertmanagerMeshPort, Protocol: corev1.ProtocolTCP},
			{Name: meshUDPPortName, ContainerPort: alertmanagerMeshPort, Protocol: corev1.ProtocolUDP},
		},
		VolumeMounts:             amMounts,
		Resources:                b.resources(),
		SecurityContext:          containerSecurityContext(),
		TerminationMessagePolicy: corev1.TerminationMessageFallbackToLogsOnError,
	}
	if b.v.atLeast("0.30.0") {
		am.Env = append(am.Env, fieldEnv("POD_NAME", "metadata.name"))
	}
	if !spec.ListenLocal {
		am.Ports = append([]corev1.ContainerPort{{Name: b.portName, ContainerPort: alertmanagerWebPort, Protocol: corev1.ProtocolTCP}}, am.Ports...)
		am.LivenessProbe, am.ReadinessProbe = b.probes()
	}
	scheme := "http"
	if b.tls {
		scheme = "https"
	}
	sidecar, initReloader := b.opts.reloaderContainers(reloader{
		configSecret:    AlertmanagerGeneratedSecretName(b.am.Name),
		configSecretKey: AlertmanagerConfigKey,
		envsubstFile:    path.Join(alertmanagerConfigOutDir, alertmanagerEnvsubstFile),
		watchedDirs:     watched,
		server:          url.URL{Scheme: scheme, Host: "127.0.0.1:" + strconv.Itoa(alertmanagerWebPort)},
		routePrefix:     b.routePrefix,
		listenLocal:     spec.ListenLocal,
		shard:           "-1",
		logLevel:        string(spec.LogLevel),
		logFormat:       string(spec.LogFormat),
		pullPolicy:      spec.ImagePullPolicy,
		mounts:          reloaderMounts,
	})
	pod, err := podWith(&spec.CommonWorkloadFields, am, sidecar, initReloader, volumes)
	if err != nil {
		return corev1.PodSpec{}, err
	}
	pod.AutomountServiceAccountToken = spec.AutomountServiceAccountToken
	pod.TerminationGracePeriodSeconds = ptr(deref(spec.TerminationGracePeriodSeconds, alertmanagerGracePeriod))
	pod.TopologySpreadConstraints = spec.TopologySpreadConstraints
	return pod, nil
}

// resources are spec.resources with 200Mi of memory requested when no
// memory request is set, as Prometheus Operator does.
func (b *alertmanagerBuilder) resources() corev1.ResourceRequirements {
	r := *b.am.Spec.Resources.DeepCopy()
	if _, ok := r.Requests[corev1.ResourceMemory]; !ok {
		if r.Requests == nil {
			r.Requests = corev1.ResourceList{}
		}
		r.Requests[corev1.ResourceMemory] = resource.MustParse(alertmanagerDefaultMemory)
	}
	return r
}

// volumes of the pod, with the mounts of Alertmanager and of the
// config-reloader, and the folders whose changes call for a reload.
func (b *alertmanagerBuilder) volumes(st storage) (vols []corev1.Volume, amMounts, reloaderMounts []corev1.VolumeMount, watched []string) {
	spec := &b.am.Spec
	vols = []corev1.Volume{
		{Name: volumeAlertmanagerConfig, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
			SecretName: alertmanagerConfigSecretName(b.am),
			Optional:   ptr(true),
		}}},
		configOutVolume(),
	}
	amMounts = []corev1.VolumeMount{
		{Name: volumeAlertmanagerConfig, MountPath: alertmanagerConfigDir},
		{Name: volumeConfigOut, MountPath: alertmanagerConfigOutDir, ReadOnly: true},
		{Name: st.name, MountPath: alertmanagerStorageDir, SubPath: st.subPath},
	}
	reloaderMounts = []corev1.VolumeMount{
		{Name: volumeAlertmanagerConfig, MountPath: alertmanagerConfigDir, ReadOnly: true},
		{Name: volumeConfigOut, MountPath: alertmanagerConfigOutDir},
	}
	watched = []string{alertmanagerConfigDir}
	if t := b.templatesVolume(); t != nil {
		vols = append(vols, *t)
		m := corev1.VolumeMount{Name: volumeNotificationTemplates, MountPath: AlertmanagerTemplatesDir, ReadOnly: true}
		amMounts = append(amMounts, m)
		reloaderMounts = append(reloaderMounts, m)
		watched = append(watched, AlertmanagerTemplatesDir)
	}
	userVols, userMounts := userSecretsAndConfigMaps(&spec.CommonWorkloadFields, alertmanagerDir)
	vols = append(vols, userVols...)
	amMounts = append(amMounts, userMounts...)
	reloaderMounts = append(reloaderMounts, userMounts...)
	for _, m := range userMounts {
		watched = append(watched, m.MountPath)
	}
	amMounts = append(amMounts, spec.VolumeMounts...)
	if b.hasWebConfig() {
		webVols, webMounts := b.web.volumes()
		vols = append(vols, webVols...)
		amMounts = append(amMounts, webMounts...)
	}
	vols = append(vols, apiAccessVolume())
	return vols, amMounts, reloaderMounts, watched
}

// templatesVolume projects the templates of spec.alertmanagerConfiguration,
// one file per key; of two with the same key, the first is kept.
func (b *alertmanagerBuilder) templatesVolume() *corev1.Volume {
	c := b.am.Spec.AlertmanagerConfiguration
	if c == nil || len(c.Templates) == 0 {
		return nil
	}
	var sources []corev1.VolumeProjection
	seen := map[string]bool{}
	for _, t := range c.Templates {
		switch {
		case t.ConfigMap != nil && !seen[t.ConfigMap.Key]:
			seen[t.ConfigMap.Key] = true
			sources = append(sources, corev1.VolumeProjection{ConfigMap: &corev1.ConfigMapProjection{
				LocalObjectReference: t.ConfigMap.LocalObjectReference,
				Items:                []corev1.KeyToPath{{Key: t.ConfigMap.Key, Path: t.ConfigMap.Key}},
			}})
		case t.Secret != nil && !seen[t.Secret.Key]:
			seen[t.Secret.Key] = true
			sources = append(sources, corev1.VolumeProjection{Secret: &corev1.SecretProjection{
				LocalObjectReference: t.Secret.LocalObjectReference,
				Items:                []corev1.KeyToPath{{Key: t.Secret.Key, Path: t.Secret.Key}},
			}})
		}
	}
	return &corev1.Volume{Name: volumeNotificationTemplates, VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{Sources: sources}}}
}
