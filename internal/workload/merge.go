package workload

import (
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/strategicpatch"

	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// mergeContainers applies the user's containers to the generated ones, as
// Prometheus Operator does: a user container named like a generated one is
// a strategic merge patch of it (lists merge by their keys: env by name,
// ports by containerPort, volumeMounts by mountPath), the others are
// added after the generated ones, in the user's order. field names the
// spec field in errors.
func mergeContainers(field string, generated, user []corev1.Container) ([]corev1.Container, error) {
	patches := map[string]corev1.Container{}
	for _, c := range user {
		patches[c.Name] = c
	}
	out := make([]corev1.Container, 0, len(generated)+len(user))
	for _, c := range generated {
		p, ok := patches[c.Name]
		if !ok {
			out = append(out, c)
			continue
		}
		m, err := patchContainer(c, p)
		if err != nil {
			return nil, rejection.Errorf(rejection.InvalidSpec, "%s: container %s: %w", field, c.Name, err)
		}
		out = append(out, m)
		delete(patches, c.Name)
	}
	for _, c := range user {
		if _, ok := patches[c.Name]; ok {
			out = append(out, *c.DeepCopy())
		}
	}
	return out, nil
}

func patchContainer(base, patch corev1.Container) (corev1.Container, error) {
	b, err := json.Marshal(base)
	if err != nil {
		return corev1.Container{}, err
	}
	p, err := json.Marshal(patch)
	if err != nil {
		return corev1.Container{}, err
	}
	res, err := strategicpatch.StrategicMergePatch(b, p, corev1.Container{})
	if err != nil {
		return corev1.Container{}, fmt.Errorf("strategic merge: %w", err)
	}
	var out corev1.Container
	if err := json.Unmarshal(res, &out); err != nil {
		return corev1.Container{}, err
	}
	// A probe patched with another kind of handler (exec for httpGet)
	// would have two, which the API refuses: the patch's replaces ours.
	for _, pr := range []struct{ merged, patch *corev1.Probe }{
		{out.StartupProbe, patch.StartupProbe},
		{out.ReadinessProbe, patch.ReadinessProbe},
		{out.LivenessProbe, patch.LivenessProbe},
	} {
		if pr.merged != nil && pr.patch != nil && handlers(pr.merged.ProbeHandler) > 1 {
			pr.merged.ProbeHandler = pr.patch.ProbeHandler
		}
	}
	return out, nil
}

func handlers(h corev1.ProbeHandler) int {
	n := 0
	for _, set := range []bool{h.Exec != nil, h.HTTPGet != nil, h.TCPSocket != nil, h.GRPC != nil} {
		if set {
			n++
		}
	}
	return n
}
