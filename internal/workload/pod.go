package workload

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
)

// Pod defaults of Prometheus Operator, kept.
const (
	podManagementPolicyDefault = monitoringv1.ParallelPodManagement
	defaultPortName            = "web"
)

// defaultPodSecurityContext runs the pods as a non-root user whose files
// the volumes' group owns, as Vigil's API documents for an unset
// spec.securityContext (the values kube-prometheus sets).
func defaultPodSecurityContext() *corev1.PodSecurityContext {
	return &corev1.PodSecurityContext{
		RunAsUser:    ptr(int64(1000)),
		RunAsNonRoot: ptr(true),
		FSGroup:      ptr(int64(2000)),
	}
}

func podSecurityContext(sc *corev1.PodSecurityContext) *corev1.PodSecurityContext {
	if sc == nil {
		return defaultPodSecurityContext()
	}
	return sc.DeepCopy()
}

// containerSecurityContext is every generated container's: no privilege,
// no capability, a read-only root file system.
func containerSecurityContext() *corev1.SecurityContext {
	return &corev1.SecurityContext{
		AllowPrivilegeEscalation: ptr(false),
		ReadOnlyRootFilesystem:   ptr(true),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
}

// setDNS applies hostNetwork's DNS policy, then spec.dnsPolicy and
// spec.dnsConfig.
func setDNS(pod *corev1.PodSpec, c *monitoringv1.CommonWorkloadFields) {
	if c.HostNetwork {
		pod.DNSPolicy = corev1.DNSClusterFirstWithHostNet
	}
	if c.DNSPolicy != nil {
		pod.DNSPolicy = corev1.DNSPolicy(*c.DNSPolicy)
	}
	if cfg := c.DNSConfig; cfg != nil {
		out := &corev1.PodDNSConfig{Nameservers: cfg.Nameservers, Searches: cfg.Searches}
		for _, o := range cfg.Options {
			out.Options = append(out.Options, corev1.PodDNSConfigOption{Name: o.Name, Value: o.Value})
		}
		pod.DNSConfig = out
	}
}

func hostAliases(in []monitoringv1.HostAlias) []corev1.HostAlias {
	var out []corev1.HostAlias
	for _, h := range in {
		out = append(out, corev1.HostAlias{IP: h.IP, Hostnames: h.Hostnames})
	}
	return out
}

// commonPodSpec holds the pod fields Prometheus and Alertmanager take from
// spec the same way.
func commonPodSpec(c *monitoringv1.CommonWorkloadFields) corev1.PodSpec {
	pod := corev1.PodSpec{
		SecurityContext:    podSecurityContext(c.SecurityContext),
		ServiceAccountName: c.ServiceAccountName,
		NodeSelector:       c.NodeSelector,
		SchedulerName:      c.SchedulerName,
		PriorityClassName:  c.PriorityClassName,
		Tolerations:        c.Tolerations,
		Affinity:           c.Affinity,
		HostAliases:        hostAliases(c.HostAliases),
		HostNetwork:        c.HostNetwork,
		EnableServiceLinks: c.EnableServiceLinks,
		HostUsers:          c.HostUsers,
		ImagePullSecrets:   c.ImagePullSecrets,
	}
	setDNS(&pod, c)
	return pod
}

// storage is where the data directory comes from.
type storage struct {
	volume  *corev1.Volume                // emptyDir or ephemeral
	claim   *corev1.PersistentVolumeClaim // a volumeClaimTemplate
	name    string                        // of the volume or claim
	subPath string
}

// storageFor reads spec.storage: emptyDir, then ephemeral, then
// volumeClaimTemplate (Prometheus Operator's order); none of them, or no
// spec.storage, is an empty emptyDir. dbName is <prefix>-<name>-db,
// subPath the folder of the volume the data goes in unless
// disableMountSubPath is set.
func storageFor(s *monitoringv1.StorageSpec, dbName, subPath string) storage {
	if s == nil {
		return storage{volume: &corev1.Volume{Name: dbName, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}, name: dbName}
	}
	if s.DisableMountSubPath {
		subPath = ""
	}
	switch {
	case s.EmptyDir != nil:
		return storage{volume: &corev1.Volume{Name: dbName, VolumeSource: corev1.VolumeSource{EmptyDir: s.EmptyDir.DeepCopy()}}, name: dbName, subPath: subPath}
	case s.Ephemeral != nil:
		return storage{volume: &corev1.Volume{Name: dbName, VolumeSource: corev1.VolumeSource{Ephemeral: s.Ephemeral.DeepCopy()}}, name: dbName, subPath: subPath}
	case s.VolumeClaimTemplate != nil:
		t := s.VolumeClaimTemplate
		claim := &corev1.PersistentVolumeClaim{Spec: *t.Spec.DeepCopy()}
		claim.Name = orDefault(t.Metadata.Name, dbName)
		claim.Labels = t.Metadata.Labels
		claim.Annotations = t.Metadata.Annotations
		if claim.Spec.AccessModes == nil {
			claim.Spec.AccessModes = []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}
		}
		return storage{claim: claim, name: claim.Name, subPath: subPath}
	}
	return storage{volume: &corev1.Volume{Name: dbName, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}, name: dbName, subPath: subPath}
}

var invalidLabelChars = regexp.MustCompile("[^-a-z0-9]+")

// volumeName is Prometheus Operator's name for a volume of a user's
// Secret or ConfigMap: prefix-name, lower-cased, other characters replaced
// by dashes, cut to 63 characters. Users refer to these names in
// spec.containers, so they are kept.
func volumeName(prefix, name string) string {
	s := invalidLabelChars.ReplaceAllString(strings.ToLower(prefix+"-"+name), "-")
	s = strings.Trim(s, "-")
	if len(s) > 63 {
		s = strings.TrimRight(s[:63], "-")
	}
	return s
}

// uniqueVolumeName is volumeName cut to leave room for a hash of name, so
// that two long names that share their beginning differ.
func uniqueVolumeName(prefix, name string) string {
	sum := sha256.Sum256([]byte(name))
	s := volumeName(prefix, name)
	if len(s) > 54 {
		s = strings.TrimRight(s[:54], "-")
	}
	return s + "-" + hex.EncodeToString(sum[:4])
}

// userSecretsAndConfigMaps mounts spec.secrets and spec.configMaps read-only
// under dir/secrets/<name> and dir/configmaps/<name>.
func userSecretsAndConfigMaps(c *monitoringv1.CommonWorkloadFields, dir string) ([]corev1.Volume, []corev1.VolumeMount) {
	var vols []corev1.Volume
	var mounts []corev1.VolumeMount
	for _, s := range c.Secrets {
		name := volumeName("secret", s)
		vols = append(vols, corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: s}}})
		mounts = append(mounts, corev1.VolumeMount{Name: name, ReadOnly: true, MountPath: dir + "/secrets/" + s})
	}
	for _, cm := range c.ConfigMaps {
		name := volumeName("configmap", cm)
		vols = append(vols, corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: cm}}}})
		mounts = append(mounts, corev1.VolumeMount{Name: name, ReadOnly: true, MountPath: dir + "/configmaps/" + cm})
	}
	return vols, mounts
}

func fieldEnv(name, path string) corev1.EnvVar {
	return corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: path}}}
}

// configOutVolume is where the config-reloader writes the configuration
// for the server: memory, so that the credentials in it never reach a
// disk.
func configOutVolume() corev1.Volume {
	return corev1.Volume{Name: volumeConfigOut, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory}}}
}
