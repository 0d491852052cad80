package workload

import (
	"net/url"
	"path"
	"slices"

	corev1 "k8s.io/api/core/v1"
)

// Names of the config-reloader containers, which spec.containers and
// spec.initContainers patch by name (Prometheus Operator's names).
const (
	containerReloader     = "config-reloader"
	containerInitReloader = "init-config-reloader"

	reloaderPort     = 8080
	reloaderPortName = "reloader-web"

	// volumeAPIAccess holds the service account token, CA and namespace the
	// config-reloader reads the API with.
	volumeAPIAccess = "reloader-api-access"
	apiAccessDir    = "/var/run/secrets/kubernetes.io/serviceaccount"
	// tokenExpirationSeconds: client-go reads the token file again before
	// it expires.
	tokenExpirationSeconds = 3600
)

// reloader is what one workload's config-reloader watches and reloads.
type reloader struct {
	configSecret    string
	configSecretKey string
	envsubstFile    string
	// rulesSelector and rulesDir: the rule ConfigMaps written as files;
	// empty for Alertmanager.
	rulesSelector string
	rulesDir      string
	// watchedDirs are mounted folders whose changes call for a reload.
	watchedDirs []string
	// server is the scheme, 127.0.0.1 and port of the server; routePrefix
	// its path prefix.
	server      url.URL
	routePrefix string
	listenLocal bool
	shard       string
	logLevel    string
	logFormat   string
	pullPolicy  corev1.PullPolicy
	mounts      []corev1.VolumeMount
}

// containers are the config-reloader sidecar and its init container,
// which writes the configuration once before the server starts. They read
// the configuration Secret and the rule ConfigMaps through the API, so a
// change does not wait for the kubelet to sync a volume.
func (o Options) reloaderContainers(r reloader) (sidecar, initContainer corev1.Container) {
	reload := r.server
	reload.Path = path.Clean(r.routePrefix + "/-/reload")
	args := []arg{
		argv("config-secret", r.configSecret),
		argv("config-secret-key", r.configSecretKey),
		argv("config-envsubst-file", r.envsubstFile),
	}
	if r.rulesSelector != "" {
		args = append(args, argv("rules-configmap-selector", r.rulesSelector), argv("rules-dir", r.rulesDir))
	}
	for _, d := range r.watchedDirs {
		args = append(args, argv("watched-dir", d))
	}
	listen := ":8080"
	if r.listenLocal {
		listen = "127.0.0.1:8080"
	}
	args = append(args, argv("reload-url", reload.String()), argv("listen-address", listen))
	if r.logLevel != "" && r.logLevel != "info" {
		args = append(args, argv("log-level", r.logLevel))
	}
	if r.logFormat != "" && r.logFormat != "logfmt" {
		args = append(args, argv("log-format", r.logFormat))
	}

	sidecar = corev1.Container{
		Name:            containerReloader,
		Image:           o.configReloaderImage(),
		ImagePullPolicy: r.pullPolicy,
		Args:            render(args),
		Env: []corev1.EnvVar{
			fieldEnv("POD_NAME", "metadata.name"),
			fieldEnv("POD_NAMESPACE", "metadata.namespace"),
			{Name: "SHARD", Value: r.shard},
		},
		Resources:                o.configReloaderResources(),
		SecurityContext:          containerSecurityContext(),
		TerminationMessagePolicy: corev1.TerminationMessageFallbackToLogsOnError,
		VolumeMounts:             append(slices.Clone(r.mounts), apiAccessMount()),
	}
	if !r.listenLocal {
		sidecar.Ports = []corev1.ContainerPort{{Name: reloaderPortName, ContainerPort: reloaderPort, Protocol: corev1.ProtocolTCP}}
	}
	initContainer = *sidecar.DeepCopy()
	initContainer.Name = containerInitReloader
	initContainer.Args = append(initContainer.Args, argn("init").String())
	initContainer.Ports = nil
	return sidecar, initContainer
}

func render(args []arg) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a.String()
	}
	return out
}

// apiAccessVolume is the service account token the config-reloader reads
// the API with, projected as the kubelet projects it for
// automountServiceAccountToken. It is mounted into the config-reloader
// containers only, so it works when the service account or the spec turns
// automounting off (kube-prometheus's Alertmanager does), without giving
// the token to Alertmanager.
func apiAccessVolume() corev1.Volume {
	return corev1.Volume{Name: volumeAPIAccess, VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
		Sources: []corev1.VolumeProjection{
			{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token", ExpirationSeconds: ptr(int64(tokenExpirationSeconds))}},
			{ConfigMap: &corev1.ConfigMapProjection{
				LocalObjectReference: corev1.LocalObjectReference{Name: "kube-root-ca.crt"},
				Items:                []corev1.KeyToPath{{Key: "ca.crt", Path: "ca.crt"}},
			}},
			{DownwardAPI: &corev1.DownwardAPIProjection{Items: []corev1.DownwardAPIVolumeFile{{
				Path:     "namespace",
				FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.namespace"},
			}}}},
		},
	}}}
}

func apiAccessMount() corev1.VolumeMount {
	return corev1.VolumeMount{Name: volumeAPIAccess, MountPath: apiAccessDir, ReadOnly: true}
}
