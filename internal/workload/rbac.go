package workload

import (
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// rbacFor says whose config-reloader the Role is for.
type rbacFor struct {
	kind           string // Prometheus or Alertmanager
	owner          metav1.Object
	prefixedName   string // prometheus-<name>
	appName        string // prometheus or alertmanager
	serviceAccount string
	configSecret   string
	ruleConfigMaps bool
	opts           Options
}

// ReloaderRoleName is the name of the Role and RoleBinding of a workload's
// config-reloader: <prometheus|alertmanager>-<name>-config-reloader.
func ReloaderRoleName(prefixedName string) string { return prefixedName + "-config-reloader" }

// reloaderRBAC lets the pods' service account read what the
// config-reloader watches: the configuration Secret by name, and for
// Prometheus the rule ConfigMaps.
func reloaderRBAC(f rbacFor) (*rbacv1.Role, *rbacv1.RoleBinding) {
	meta := metav1.ObjectMeta{
		Name:      ReloaderRoleName(f.prefixedName),
		Namespace: f.owner.GetNamespace(),
		Labels: merged(map[string]string{
			LabelName:      f.appName,
			LabelInstance:  f.owner.GetName(),
			LabelManagedBy: ManagedByVigil,
		}, f.opts.Labels),
		Annotations:     merged(f.opts.Annotations),
		OwnerReferences: []metav1.OwnerReference{controllerRef(f.kind, f.owner)},
	}
	rules := []rbacv1.PolicyRule{{
		// The config-reloader lists and watches the Secret with a
		// metadata.name field selector, which resourceNames allows.
		APIGroups:     []string{""},
		Resources:     []string{"secrets"},
		ResourceNames: []string{f.configSecret},
		Verbs:         []string{"get", "list", "watch"},
	}}
	if f.ruleConfigMaps {
		// The rule ConfigMaps are selected by label, and RBAC cannot
		// restrict a list or watch to a label selector: this allows every
		// ConfigMap of the namespace, and no more.
		rules = append(rules, rbacv1.PolicyRule{
			APIGroups: []string{""},
			Resources: []string{"configmaps"},
			Verbs:     []string{"list", "watch"},
		})
	}
	role := &rbacv1.Role{
		TypeMeta:   metav1.TypeMeta{APIVersion: rbacv1.SchemeGroupVersion.String(), Kind: "Role"},
		ObjectMeta: meta,
		Rules:      rules,
	}
	binding := &rbacv1.RoleBinding{
		TypeMeta:   metav1.TypeMeta{APIVersion: rbacv1.SchemeGroupVersion.String(), Kind: "RoleBinding"},
		ObjectMeta: *meta.DeepCopy(),
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: meta.Name},
		Subjects: []rbacv1.Subject{{
			Kind:      rbacv1.ServiceAccountKind,
			Name:      orDefault(f.serviceAccount, "default"),
			Namespace: f.owner.GetNamespace(),
		}},
	}
	return role, binding
}
