package node

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/vigil-monitoring/vigil/e2e/sandbox"
)

// volumes are a pod's volumes on the node's filesystem: a directory (or a
// host path) per volume, bind-mounted into each container at its mounts.
type volumes struct {
	r     *podRuntime
	paths map[string]string // volume name -> host path
	// written are the volumes whose files the node writes (Secret,
	// ConfigMap, projected, downward API), refreshed while the pod runs.
	written map[string]*writtenVolume
	tokens  tokenCache
}

type writtenVolume struct {
	vol  corev1.Volume
	dir  *atomicDir
	last map[string]file
}

// makeVolumes makes every volume of the pod; the first failure is returned
// as a kubelet words a failed mount.
func (r *podRuntime) makeVolumes() (*volumes, error) {
	v := &volumes{r: r, paths: map[string]string{}, written: map[string]*writtenVolume{}}
	for _, vol := range r.pod.Spec.Volumes {
		if err := v.make(vol); err != nil {
			return nil, fmt.Errorf("MountVolume.SetUp failed for volume %q: %w", vol.Name, err)
		}
	}
	return v, nil
}

func (v *volumes) dir(name string) string {
	return filepath.Join(v.r.dir, "volumes", name)
}

func (v *volumes) make(vol corev1.Volume) error {
	src := vol.VolumeSource
	switch {
	case src.EmptyDir != nil:
		d := v.dir(vol.Name)
		if err := os.MkdirAll(d, 0o777); err != nil {
			return err
		}
		v.paths[vol.Name] = d
		return os.Chmod(d, 0o777)
	case src.HostPath != nil:
		return v.hostPath(vol)
	case src.PersistentVolumeClaim != nil:
		return v.claim(vol)
	case src.Secret != nil, src.ConfigMap != nil, src.Projected != nil, src.DownwardAPI != nil:
		w := &writtenVolume{vol: vol, dir: &atomicDir{path: v.dir(vol.Name)}}
		files, err := v.files(context.Background(), vol)
		if err != nil {
			return err
		}
		if err := w.dir.write(files); err != nil {
			return err
		}
		w.last = files
		v.written[vol.Name] = w
		v.paths[vol.Name] = w.dir.path
		return nil
	}
	return fmt.Errorf("volume type not supported by this node")
}

func (v *volumes) hostPath(vol corev1.Volume) error {
	hp := vol.HostPath
	t := corev1.HostPathUnset
	if hp.Type != nil {
		t = *hp.Type
	}
	switch t {
	case corev1.HostPathDirectoryOrCreate:
		if err := os.MkdirAll(hp.Path, 0o755); err != nil {
			return err
		}
	case corev1.HostPathUnset:
	default:
		if _, err := os.Stat(hp.Path); err != nil {
			return fmt.Errorf("hostPath %s: %w", hp.Path, err)
		}
	}
	v.paths[vol.Name] = hp.Path
	return nil
}

// claim mounts the directory of the PersistentVolume a claim is bound to.
func (v *volumes) claim(vol corev1.Volume) error {
	ctx := context.Background()
	c := v.r.p.cfg.Client.CoreV1()
	pvc, err := c.PersistentVolumeClaims(v.r.namespace).Get(ctx, vol.PersistentVolumeClaim.ClaimName, metav1.GetOptions{})
	if err != nil {
		return err
	}
	if pvc.Spec.VolumeName == "" || pvc.Status.Phase != corev1.ClaimBound {
		return fmt.Errorf("persistentvolumeclaim %q is not bound", pvc.Name)
	}
	pv, err := c.PersistentVolumes().Get(ctx, pvc.Spec.VolumeName, metav1.GetOptions{})
	if err != nil {
		return err
	}
	var path string
	switch {
	case pv.Spec.HostPath != nil:
		path = pv.Spec.HostPath.Path
	case pv.Spec.Local != nil:
		path = pv.Spec.Local.Path
	default:
		return fmt.Errorf("persistentvolume %q is neither hostPath nor local", pv.Name)
	}
	if err := os.MkdirAll(path, 0o777); err != nil {
		return err
	}
	v.paths[vol.Name] = path
	return nil
}

// refresh rewrites the written volumes whose sources changed.
func (v *volumes) refresh(ctx context.Context) error {
	for _, w := range v.written {
		files, err := v.files(ctx, w.vol)
		if err != nil {
			// A source that went away keeps its last files, as a kubelet does.
			continue
		}
		if sameFiles(files, w.last) {
			continue
		}
		if err := w.dir.write(files); err != nil {
			return fmt.Errorf("volume %s: %w", w.vol.Name, err)
		}
		w.last = files
	}
	return nil
}

// mounts are a container's volumeMounts as bind mounts.
func (v *volumes) mounts(c *corev1.Container) ([]sandbox.Mount, error) {
	var out []sandbox.Mount
	for _, m := range c.VolumeMounts {
		src, ok := v.paths[m.Name]
		if !ok {
			return nil, fmt.Errorf("volumeMount %s: the pod has no volume %q", m.MountPath, m.Name)
		}
		if m.SubPath != "" || m.SubPathExpr != "" {
			sub := m.SubPath
			if m.SubPathExpr != "" {
				env, err := podSubPathEnv(v.r.pod)
				if err != nil {
					return nil, err
				}
				sub = expand(m.SubPathExpr, env)
			}
			if strings.Contains(sub, "..") || filepath.IsAbs(sub) {
				return nil, fmt.Errorf("volumeMount %s: subPath %q must be a relative path inside the volume", m.MountPath, sub)
			}
			p, err := subPath(src, sub)
			if err != nil {
				return nil, fmt.Errorf("volumeMount %s: %w", m.MountPath, err)
			}
			src = p
		}
		out = append(out, sandbox.Mount{Source: src, Target: m.MountPath, ReadOnly: m.ReadOnly})
	}
	return out, nil
}

// subPath resolves a subPath inside a volume, creating a missing directory
// as a kubelet does; a written volume's file is taken as it is now.
func subPath(volume, sub string) (string, error) {
	root, err := filepath.EvalSymlinks(volume)
	if err != nil {
		return "", err
	}
	p := filepath.Join(root, sub)
	resolved, err := filepath.EvalSymlinks(p)
	if os.IsNotExist(err) {
		return p, os.MkdirAll(p, 0o777)
	}
	if err != nil {
		return "", err
	}
	if resolved != root && !strings.HasPrefix(resolved, root+string(filepath.Separator)) {
		return "", fmt.Errorf("subPath %q leaves its volume", sub)
	}
	return resolved, nil
}

func podSubPathEnv(pod *corev1.Pod) (func(string) (string, bool), error) {
	vals := map[string]string{}
	for _, c := range pod.Spec.Containers {
		for _, e := range c.Env {
			if e.ValueFrom != nil && e.ValueFrom.FieldRef != nil {
				v, err := podField(pod, e.ValueFrom.FieldRef.FieldPath)
				if err != nil {
					return nil, err
				}
				vals[e.Name] = v
			} else {
				vals[e.Name] = e.Value
			}
		}
	}
	return func(n string) (string, bool) { v, ok := vals[n]; return v, ok }, nil
}
