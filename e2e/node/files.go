package node

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// file is one file of a written volume.
type file struct {
	data []byte
	mode os.FileMode
}

func sameFiles(a, b map[string]file) bool {
	if len(a) != len(b) {
		return false
	}
	for k, f := range a {
		g, ok := b[k]
		if !ok || g.mode != f.mode || !bytes.Equal(g.data, f.data) {
			return false
		}
	}
	return true
}

// files computes a Secret, ConfigMap, projected or downward API volume's
// files, by relative path.
func (v *volumes) files(ctx context.Context, vol corev1.Volume) (map[string]file, error) {
	out := map[string]file{}
	src := vol.VolumeSource
	switch {
	case src.Secret != nil:
		s := src.Secret
		return out, v.secretFiles(s.SecretName, s.Items, s.Optional, mode(s.DefaultMode), out)
	case src.ConfigMap != nil:
		c := src.ConfigMap
		return out, v.configMapFiles(c.Name, c.Items, c.Optional, mode(c.DefaultMode), out)
	case src.DownwardAPI != nil:
		return out, v.downwardFiles(src.DownwardAPI.Items, mode(src.DownwardAPI.DefaultMode), out)
	case src.Projected != nil:
		def := mode(src.Projected.DefaultMode)
		for i, p := range src.Projected.Sources {
			var err error
			switch {
			case p.Secret != nil:
				err = v.secretFiles(p.Secret.Name, p.Secret.Items, p.Secret.Optional, def, out)
			case p.ConfigMap != nil:
				err = v.configMapFiles(p.ConfigMap.Name, p.ConfigMap.Items, p.ConfigMap.Optional, def, out)
			case p.DownwardAPI != nil:
				err = v.downwardFiles(p.DownwardAPI.Items, def, out)
			case p.ServiceAccountToken != nil:
				var tok []byte
				tok, err = v.tokens.get(ctx, v.r, fmt.Sprintf("%s/%d", vol.Name, i), p.ServiceAccountToken)
				out[p.ServiceAccountToken.Path] = file{tok, 0o600}
			default:
				err = fmt.Errorf("projected source %d: not supported by this node", i)
			}
			if err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("not a written volume")
}

func mode(m *int32) os.FileMode {
	if m == nil {
		return 0o644
	}
	return os.FileMode(*m)
}

func itemMode(it corev1.KeyToPath, def os.FileMode) os.FileMode {
	if it.Mode != nil {
		return os.FileMode(*it.Mode)
	}
	return def
}

// keyFiles puts data's keys (all, or the items named) into out.
func keyFiles(kind, name string, data map[string][]byte, items []corev1.KeyToPath, optional bool, def os.FileMode, out map[string]file) error {
	if len(items) == 0 {
		for k, d := range data {
			out[k] = file{d, def}
		}
		return nil
	}
	for _, it := range items {
		d, ok := data[it.Key]
		if !ok {
			if optional {
				continue
			}
			return fmt.Errorf("%s %q has no key %q", kind, name, it.Key)
		}
		out[it.Path] = file{d, itemMode(it, def)}
	}
	return nil
}

func (v *volumes) secretFiles(name string, items []corev1.KeyToPath, optional *bool, def os.FileMode, out map[string]file) error {
	s, err := v.r.p.cfg.Secrets.Secrets(v.r.namespace).Get(name)
	if err != nil {
		if optional != nil && *optional {
			return nil
		}
		return fmt.Errorf("secret %q not found", name)
	}
	return keyFiles("secret", name, s.Data, items, optional != nil && *optional, def, out)
}

func (v *volumes) configMapFiles(name string, items []corev1.KeyToPath, optional *bool, def os.FileMode, out map[string]file) error {
	cm, err := v.r.p.cfg.ConfigMaps.ConfigMaps(v.r.namespace).Get(name)
	if err != nil {
		if optional != nil && *optional {
			return nil
		}
		return fmt.Errorf("configmap %q not found", name)
	}
	data := map[string][]byte{}
	for k, s := range cm.Data {
		data[k] = []byte(s)
	}
	for k, b := range cm.BinaryData {
		data[k] = b
	}
	return keyFiles("configmap", name, data, items, optional != nil && *optional, def, out)
}

func (v *volumes) downwardFiles(items []corev1.DownwardAPIVolumeFile, def os.FileMode, out map[string]file) error {
	v.r.mu.Lock()
	pod := v.r.pod.DeepCopy()
	pod.Status.PodIP = v.r.status.PodIP
	pod.Status.HostIP = v.r.status.HostIP
	v.r.mu.Unlock()
	for _, it := range items {
		m := def
		if it.Mode != nil {
			m = os.FileMode(*it.Mode)
		}
		var val string
		var err error
		switch {
		case it.FieldRef != nil:
			val, err = podField(pod, it.FieldRef.FieldPath)
		case it.ResourceFieldRef != nil:
			c := containerNamed(pod, it.ResourceFieldRef.ContainerName)
			if c == nil {
				return fmt.Errorf("downwardAPI %s: no container %q", it.Path, it.ResourceFieldRef.ContainerName)
			}
			val, err = v.r.p.env.resourceField(c, it.ResourceFieldRef)
		}
		if err != nil {
			return fmt.Errorf("downwardAPI %s: %w", it.Path, err)
		}
		out[it.Path] = file{[]byte(val), m}
	}
	return nil
}

func containerNamed(pod *corev1.Pod, name string) *corev1.Container {
	for i := range pod.Spec.Containers {
		if pod.Spec.Containers[i].Name == name {
			return &pod.Spec.Containers[i]
		}
	}
	return nil
}

// tokenCache holds the service account tokens of a pod's projected
// volumes, requested again when 80 % of their lifetime has passed, as a
// kubelet does.
type tokenCache struct {
	mu     sync.Mutex
	tokens map[string]cachedToken
}

type cachedToken struct {
	token   []byte
	refresh time.Time
}

func (tc *tokenCache) get(ctx context.Context, r *podRuntime, id string, src *corev1.ServiceAccountTokenProjection) ([]byte, error) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if t, ok := tc.tokens[id]; ok && time.Now().Before(t.refresh) {
		return t.token, nil
	}
	exp := int64(3600)
	if src.ExpirationSeconds != nil {
		exp = *src.ExpirationSeconds
	}
	req := &authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{
		ExpirationSeconds: &exp,
		BoundObjectRef:    &authenticationv1.BoundObjectReference{Kind: "Pod", APIVersion: "v1", Name: r.name, UID: r.uid()},
	}}
	if src.Audience != "" {
		req.Spec.Audiences = []string{src.Audience}
	}
	sa := r.pod.Spec.ServiceAccountName
	if sa == "" {
		sa = "default"
	}
	got, err := r.p.cfg.Client.CoreV1().ServiceAccounts(r.namespace).CreateToken(ctx, sa, req, metav1.CreateOptions{})
	if err != nil {
		return nil, fmt.Errorf("requesting a token for service account %q: %w", sa, err)
	}
	issued := time.Now()
	life := got.Status.ExpirationTimestamp.Sub(issued)
	if tc.tokens == nil {
		tc.tokens = map[string]cachedToken{}
	}
	tc.tokens[id] = cachedToken{[]byte(got.Status.Token), issued.Add(life * 8 / 10)}
	return []byte(got.Status.Token), nil
}

// atomicDir writes a volume's files the way a kubelet's atomic writer
// does, so a reader never sees half of an update: the files go into a new
// timestamped directory, "..data" is switched to it by a rename, and each
// top-level name is a symlink through "..data".
type atomicDir struct {
	path string
}

func (a *atomicDir) write(files map[string]file) error {
	if err := os.MkdirAll(a.path, 0o755); err != nil {
		return err
	}
	gen := "..gen." + time.Now().UTC().Format("2006_01_02_15_04_05.000000000")
	genDir := filepath.Join(a.path, gen)
	for rel, f := range files {
		if strings.Contains(rel, "..") || filepath.IsAbs(rel) {
			return fmt.Errorf("path %q must be relative and stay inside the volume", rel)
		}
		p := filepath.Join(genDir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.data, f.mode); err != nil {
			return err
		}
		if err := os.Chmod(p, f.mode); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(genDir, 0o755); err != nil {
		return err
	}
	old, _ := os.Readlink(filepath.Join(a.path, "..data"))
	tmp := filepath.Join(a.path, "..data_tmp")
	_ = os.Remove(tmp)
	if err := os.Symlink(gen, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(a.path, "..data")); err != nil {
		return err
	}
	top := map[string]bool{}
	for rel := range files {
		top[strings.SplitN(rel, "/", 2)[0]] = true
	}
	entries, err := os.ReadDir(a.path)
	if err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, "..") && !top[n] {
			_ = os.Remove(filepath.Join(a.path, n))
		}
	}
	for _, n := range sortedKeys(top) {
		link := filepath.Join(a.path, n)
		if target, err := os.Readlink(link); err == nil && target == filepath.Join("..data", n) {
			continue
		}
		_ = os.Remove(link)
		if err := os.Symlink(filepath.Join("..data", n), link); err != nil {
			return err
		}
	}
	if old != "" && old != gen {
		return os.RemoveAll(filepath.Join(a.path, old))
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
