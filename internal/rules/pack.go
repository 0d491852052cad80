package rules

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// MaxConfigMapDataSize is the most data one rule ConfigMap holds, counted as
// Kubernetes counts it: the length of every key plus the length of every
// value. Kubernetes allows 1 MiB per object; half of it, as Prometheus
// Operator uses, leaves room for metadata and for the last-applied
// annotations some tools write.
const MaxConfigMapDataSize = 512 * 1024

// Labels on every rule ConfigMap, so the operator can list the ConfigMaps of
// one Prometheus (and remove those it no longer needs). prometheus-name is
// the label Prometheus Operator puts there, kept for tools that select on it.
const (
	LabelPrometheusName = "prometheus-name"
	LabelManagedBy      = "app.kubernetes.io/managed-by"
	ManagedByValue      = "vigil"
)

// ErrFileTooLarge is the error for a rule file that does not fit in one
// ConfigMap on its own.
var ErrFileTooLarge = errors.New("rule file too large for a ConfigMap")

// ConfigMapName is the name of the n-th rule ConfigMap of the Prometheus
// object promName, as Prometheus Operator names it.
func ConfigMapName(promName string, n int) string {
	return fmt.Sprintf("prometheus-%s-rulefiles-%d", promName, n)
}

// Pack puts rule files (name to content) into ConfigMaps of at most
// MaxConfigMapDataSize bytes of data each. Files are taken in name order and
// a new ConfigMap is started when the next file does not fit, so the same
// files always give the same ConfigMaps. There is always at least one
// ConfigMap, empty when there are no files, so the volume Prometheus mounts
// exists. Only Name, Labels and Data are set; the caller sets the namespace
// and the owner reference.
//
// A file that alone exceeds the limit is an error wrapping ErrFileTooLarge;
// Generate never returns such a file, it rejects its object instead.
func Pack(promName string, files map[string]string) ([]corev1.ConfigMap, error) {
	names := slices.Sorted(maps.Keys(files))
	var (
		buckets = []map[string]string{{}}
		size    int
	)
	for _, name := range names {
		n := dataSize(name, files[name])
		if n > MaxConfigMapDataSize {
			return nil, fmt.Errorf("rule file %q is %d bytes, more than %d: %w", name, n, MaxConfigMapDataSize, ErrFileTooLarge)
		}
		if size+n > MaxConfigMapDataSize {
			buckets = append(buckets, map[string]string{})
			size = 0
		}
		buckets[len(buckets)-1][name] = files[name]
		size += n
	}
	cms := make([]corev1.ConfigMap, 0, len(buckets))
	for i, data := range buckets {
		cms = append(cms, corev1.ConfigMap{
			TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
			ObjectMeta: metav1.ObjectMeta{
				Name: ConfigMapName(promName, i),
				Labels: map[string]string{
					LabelPrometheusName: promName,
					LabelManagedBy:      ManagedByValue,
				},
			},
			Data: data,
		})
	}
	return cms, nil
}

// dataSize is what one file adds to a ConfigMap's size.
func dataSize(name, content string) int {
	return len(name) + len(content)
}
