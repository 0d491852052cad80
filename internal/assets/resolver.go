package assets

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// Resolver reads what one object refers to, for the configuration of one
// owner (a Prometheus or an Alertmanager). Every generator resolves through
// it, so one rule set holds for Prometheus and Alertmanager configuration:
//
//   - The namespace is the object's own: a reference never crosses
//     namespaces, so a tenant cannot read another namespace's Secrets
//     through the operator.
//   - A nil reference is a field not set, and resolves to "". One without a
//     name or a key is an error.
//   - A missing Secret, ConfigMap or key is an error wrapping ErrNotFound
//     (rejection.ReferenceNotFound), unless the reference is optional: then
//     it resolves to "", as the kubelet treats an optional volume source.
//     Prometheus Operator ignores optional and fails.
//   - A file of the owner's container is honoured as the file reference
//     policy says (File).
//   - Every Secret value read is remembered, so that Redact can take it out
//     of a message before the message reaches a status or an Event.
type Resolver struct {
	source    Source
	namespace string
	owner     Owner
	secrets   []string
}

// Owner is the object whose configuration is generated, and the
// administrator's file reference policy for it.
type Owner struct {
	Kind, Namespace string
	Files           FileReferencePolicy
}

// NewResolver resolves the references of an object in namespace for owner.
// A nil source has no Secrets or ConfigMaps.
func NewResolver(source Source, namespace string, owner Owner) *Resolver {
	if source == nil {
		source = NewStore(nil, nil)
	}
	return &Resolver{source: source, namespace: namespace, owner: owner}
}

// Namespace is the namespace references are resolved in.
func (r *Resolver) Namespace() string { return r.namespace }

// Secret returns the value of the Secret key sel names. The caller says
// which field the reference is in when it reports the error.
func (r *Resolver) Secret(sel *corev1.SecretKeySelector) (string, error) {
	if sel == nil {
		return "", nil
	}
	if sel.Name == "" || sel.Key == "" {
		return "", errors.New("a secret reference needs name and key")
	}
	v, err := r.source.SecretKey(r.namespace, *sel)
	if err != nil {
		return missing(sel.Optional, err)
	}
	r.secrets = append(r.secrets, v)
	return v, nil
}

// ConfigMap returns the value of the ConfigMap key sel names.
func (r *Resolver) ConfigMap(sel *corev1.ConfigMapKeySelector) (string, error) {
	if sel == nil {
		return "", nil
	}
	if sel.Name == "" || sel.Key == "" {
		return "", errors.New("a configmap reference needs name and key")
	}
	v, err := r.source.ConfigMapKey(r.namespace, *sel)
	if err != nil {
		return missing(sel.Optional, err)
	}
	return v, nil
}

// missing is what a reference that cannot be resolved gives: "" when it
// is optional and what it names does not exist, err otherwise.
func missing(optional *bool, err error) (string, error) {
	if optional != nil && *optional && errors.Is(err, ErrNotFound) {
		return "", nil
	}
	return "", err
}

// SecretOrConfigMap returns the value of whichever of the two ref sets,
// and "" when it sets neither.
func (r *Resolver) SecretOrConfigMap(ref monitoringv1.SecretOrConfigMap) (string, error) {
	switch {
	case ref.Secret != nil && ref.ConfigMap != nil:
		return "", errors.New("secret and configMap are mutually exclusive")
	case ref.Secret != nil:
		return r.Secret(ref.Secret)
	case ref.ConfigMap != nil:
		return r.ConfigMap(ref.ConfigMap)
	}
	return "", nil
}

// Files says whether the object may make the owner use files of the
// owner's own container: nil, or an error wrapping ErrFileReference.
func (r *Resolver) Files() error {
	return r.owner.Files.Allows(r.namespace, r.owner.Kind, r.owner.Namespace)
}

// Redact replaces every Secret value read so far in msg with <secret>,
// also as Go and YAML quote it.
func (r *Resolver) Redact(msg string) string {
	return Redact(msg, r.secrets)
}

// Redact replaces each of secrets in msg with <secret>, also as Go quotes
// it (loaders often quote values, escaping some characters). Values shorter
// than minRedacted are left: replacing every "u" of a message would leave
// nothing to read, and so short a value guards nothing.
func Redact(msg string, secrets []string) string {
	var all []string
	for _, s := range secrets {
		if len(s) < minRedacted {
			continue
		}
		q := strconv.Quote(s)
		all = append(all, s, q[1:len(q)-1])
	}
	// Longest first, so that a secret containing another is fully redacted.
	slices.SortFunc(all, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	for _, s := range all {
		msg = strings.ReplaceAll(msg, s, "<secret>")
	}
	return msg
}

// Sensitive adds v to the values Redact replaces, for a value derived from
// a Secret's (trimmed, say).
func (r *Resolver) Sensitive(v string) { r.secrets = append(r.secrets, v) }

// minRedacted is the length of the shortest value Redact replaces.
const minRedacted = 4

// Secrets are the Secret values read so far.
func (r *Resolver) Secrets() []string { return r.secrets }

// FileReferencePolicy says which objects may make the owner (Prometheus or
// Alertmanager) use files of its own container: a bearer token file, a CA,
// certificate or key file, a file of targets. A bearer token file is
// usually the owner's service-account token, which it then sends to the
// object's endpoints. The owner's own settings are its owner's and always
// honoured. It is a flag value (pflag.Value) for the operator and vigilctl.
type FileReferencePolicy string

const (
	// FileReferencesAll honours them as Prometheus Operator does: from
	// every namespace. The zero value means this.
	FileReferencesAll FileReferencePolicy = "all"
	// FileReferencesOwnerNamespace honours them only for objects in the
	// owner's namespace.
	FileReferencesOwnerNamespace FileReferencePolicy = "prometheus-namespace"
	// FileReferencesNone honours none.
	FileReferencesNone FileReferencePolicy = "none"
)

// FileReferencePolicies are the policies, for help text and checks.
var FileReferencePolicies = []FileReferencePolicy{FileReferencesAll, FileReferencesOwnerNamespace, FileReferencesNone}

// ErrFileReference is wrapped by every refusal of a file reference. Its
// reason is rejection.FileReferenceDenied.
var ErrFileReference error = &rejection.Error{Reason: rejection.FileReferenceDenied, Err: errors.New("file reference refused")}

// String returns the policy's name, "all" for the zero value.
func (p *FileReferencePolicy) String() string {
	if p == nil || *p == "" {
		return string(FileReferencesAll)
	}
	return string(*p)
}

// Set reads a policy's name.
func (p *FileReferencePolicy) Set(s string) error {
	if !slices.Contains(FileReferencePolicies, FileReferencePolicy(s)) {
		return fmt.Errorf("unknown file reference policy %q: use all, prometheus-namespace or none", s)
	}
	*p = FileReferencePolicy(s)
	return nil
}

// Type names the flag's value in help text.
func (p *FileReferencePolicy) Type() string { return "all|prometheus-namespace|none" }

// Valid says whether p is a known policy (the zero value is).
func (p FileReferencePolicy) Valid() error {
	if p != "" && !slices.Contains(FileReferencePolicies, p) {
		return fmt.Errorf("unknown file reference policy %q", p)
	}
	return nil
}

// Allows says whether an object in namespace may make an owner of
// ownerKind in ownerNamespace use its files: nil, or an error wrapping
// ErrFileReference that says which policy refuses it.
func (p FileReferencePolicy) Allows(namespace, ownerKind, ownerNamespace string) error {
	switch {
	case p == FileReferencesNone:
		return fmt.Errorf("%w: the operator's file reference policy (--file-references=none) honours none", ErrFileReference)
	case p == FileReferencesOwnerNamespace && namespace != ownerNamespace:
		return fmt.Errorf("%w: the operator's file reference policy (--file-references=prometheus-namespace) honours them only in the %s object's namespace %q",
			ErrFileReference, ownerKind, ownerNamespace)
	}
	return nil
}
