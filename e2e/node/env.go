package node

import (
	"fmt"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	corev1listers "k8s.io/client-go/listers/core/v1"
)

// environment is a container's variables in the order they were defined;
// a later definition of a name replaces the earlier value in place.
type environment struct {
	names  []string
	values map[string]string
}

func (e *environment) set(name, value string) {
	if e.values == nil {
		e.values = map[string]string{}
	}
	if _, ok := e.values[name]; !ok {
		e.names = append(e.names, name)
	}
	e.values[name] = value
}

func (e *environment) lookup(name string) (string, bool) {
	v, ok := e.values[name]
	return v, ok
}

func (e *environment) list() []string {
	out := make([]string, 0, len(e.names))
	for _, n := range e.names {
		out = append(out, n+"="+e.values[n])
	}
	return out
}

// envSources are what a container's variables read besides the pod.
type envSources struct {
	secrets    corev1listers.SecretLister
	configMaps corev1listers.ConfigMapLister
	// apiHost and apiPort are where in-cluster clients find the API
	// server: there is no kube-proxy to route the kubernetes Service's IP.
	apiHost string
	apiPort int
	// nodeCPU and nodeMemory stand for a resource limit a container
	// does not set, as a kubelet uses the node's allocatable.
	nodeCPU, nodeMemory resource.Quantity
}

// containerEnv builds a container's environment as a kubelet does: the
// kubernetes Service's variables, then envFrom, then env, each value's
// $(VAR) references expanded against what was defined before it.
func (s envSources) containerEnv(pod *corev1.Pod, c *corev1.Container) ([]string, *environment, error) {
	var env environment
	env.set("KUBERNETES_SERVICE_HOST", s.apiHost)
	env.set("KUBERNETES_SERVICE_PORT", strconv.Itoa(s.apiPort))
	env.set("KUBERNETES_SERVICE_PORT_HTTPS", strconv.Itoa(s.apiPort))
	env.set("KUBERNETES_PORT", fmt.Sprintf("tcp://%s:%d", s.apiHost, s.apiPort))
	env.set("HOSTNAME", podHostname(pod))
	for _, from := range c.EnvFrom {
		if err := s.envFrom(pod.Namespace, from, &env); err != nil {
			return nil, nil, err
		}
	}
	for _, v := range c.Env {
		value := expand(v.Value, env.lookup)
		if v.ValueFrom != nil {
			var err error
			if value, err = s.valueFrom(pod, c, v.ValueFrom); err != nil {
				return nil, nil, fmt.Errorf("env %s: %w", v.Name, err)
			}
		}
		env.set(v.Name, value)
	}
	return env.list(), &env, nil
}

func (s envSources) envFrom(namespace string, from corev1.EnvFromSource, env *environment) error {
	optional := func(p *bool) bool { return p != nil && *p }
	var data map[string]string
	switch {
	case from.ConfigMapRef != nil:
		cm, err := s.configMaps.ConfigMaps(namespace).Get(from.ConfigMapRef.Name)
		if err != nil {
			if optional(from.ConfigMapRef.Optional) {
				return nil
			}
			return fmt.Errorf("envFrom configMap %s: %w", from.ConfigMapRef.Name, err)
		}
		data = cm.Data
	case from.SecretRef != nil:
		sec, err := s.secrets.Secrets(namespace).Get(from.SecretRef.Name)
		if err != nil {
			if optional(from.SecretRef.Optional) {
				return nil
			}
			return fmt.Errorf("envFrom secret %s: %w", from.SecretRef.Name, err)
		}
		data = map[string]string{}
		for k, v := range sec.Data {
			data[k] = string(v)
		}
	}
	for _, k := range sortedKeys(data) {
		env.set(from.Prefix+k, data[k])
	}
	return nil
}

func (s envSources) valueFrom(pod *corev1.Pod, c *corev1.Container, from *corev1.EnvVarSource) (string, error) {
	switch {
	case from.FieldRef != nil:
		return podField(pod, from.FieldRef.FieldPath)
	case from.ResourceFieldRef != nil:
		return s.resourceField(c, from.ResourceFieldRef)
	case from.SecretKeyRef != nil:
		ref := from.SecretKeyRef
		sec, err := s.secrets.Secrets(pod.Namespace).Get(ref.Name)
		if err == nil {
			if v, ok := sec.Data[ref.Key]; ok {
				return string(v), nil
			}
			err = fmt.Errorf("secret %s has no key %s", ref.Name, ref.Key)
		}
		if ref.Optional != nil && *ref.Optional {
			return "", nil
		}
		return "", err
	case from.ConfigMapKeyRef != nil:
		ref := from.ConfigMapKeyRef
		cm, err := s.configMaps.ConfigMaps(pod.Namespace).Get(ref.Name)
		if err == nil {
			if v, ok := cm.Data[ref.Key]; ok {
				return v, nil
			}
			err = fmt.Errorf("configMap %s has no key %s", ref.Name, ref.Key)
		}
		if ref.Optional != nil && *ref.Optional {
			return "", nil
		}
		return "", err
	}
	return "", fmt.Errorf("unsupported valueFrom")
}

// podField is the downward API's value of a field path.
func podField(pod *corev1.Pod, path string) (string, error) {
	if key, ok := subscript(path, "metadata.labels"); ok {
		return pod.Labels[key], nil
	}
	if key, ok := subscript(path, "metadata.annotations"); ok {
		return pod.Annotations[key], nil
	}
	switch path {
	case "metadata.name":
		return pod.Name, nil
	case "metadata.namespace":
		return pod.Namespace, nil
	case "metadata.uid":
		return string(pod.UID), nil
	case "metadata.labels":
		return formatMap(pod.Labels), nil
	case "metadata.annotations":
		return formatMap(pod.Annotations), nil
	case "spec.nodeName":
		return pod.Spec.NodeName, nil
	case "spec.serviceAccountName":
		return pod.Spec.ServiceAccountName, nil
	case "status.hostIP", "status.hostIPs":
		return pod.Status.HostIP, nil
	case "status.podIP", "status.podIPs":
		return pod.Status.PodIP, nil
	}
	return "", fmt.Errorf("unsupported fieldPath %q", path)
}

// subscript reads "prefix['key']".
func subscript(path, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(path, prefix+"['")
	if !ok || !strings.HasSuffix(rest, "']") {
		return "", false
	}
	return strings.TrimSuffix(rest, "']"), true
}

func formatMap(m map[string]string) string {
	var b strings.Builder
	for _, k := range sortedKeys(m) {
		fmt.Fprintf(&b, "%s=%q\n", k, m[k])
	}
	return b.String()
}

func (s envSources) resourceField(c *corev1.Container, ref *corev1.ResourceFieldSelector) (string, error) {
	var q resource.Quantity
	var ok bool
	switch ref.Resource {
	case "limits.cpu":
		if q, ok = c.Resources.Limits[corev1.ResourceCPU]; !ok {
			q = s.nodeCPU
		}
	case "limits.memory":
		if q, ok = c.Resources.Limits[corev1.ResourceMemory]; !ok {
			q = s.nodeMemory
		}
	case "requests.cpu":
		q = c.Resources.Requests[corev1.ResourceCPU]
	case "requests.memory":
		q = c.Resources.Requests[corev1.ResourceMemory]
	default:
		return "", fmt.Errorf("unsupported resource %q", ref.Resource)
	}
	divisor := ref.Divisor
	if divisor.IsZero() {
		divisor = resource.MustParse("1")
	}
	if strings.HasSuffix(ref.Resource, ".cpu") {
		// Rounded up, in units of the divisor, as the kubelet does.
		v := (q.MilliValue() + divisor.MilliValue() - 1) / divisor.MilliValue()
		return strconv.FormatInt(v, 10), nil
	}
	v := (q.Value() + divisor.Value() - 1) / divisor.Value()
	return strconv.FormatInt(v, 10), nil
}

// expand replaces $(NAME) with NAME's value as Kubernetes does for env
// values, command and args: "$$" is a literal "$", and a reference to a
// name that is not defined is left as written.
func expand(s string, lookup func(string) (string, bool)) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			name := s[i+2 : i+2+end]
			if v, ok := lookup(name); ok {
				b.WriteString(v)
			} else {
				b.WriteString(s[i : i+3+end])
			}
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}
