package cluster

import (
	"context"
	"fmt"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	rbacv1ac "k8s.io/client-go/applyconfigurations/rbac/v1"
	"k8s.io/client-go/kubernetes"
)

const (
	nodeRBACName = "vigil:node"
	fieldManager = "vigil-e2e-cluster"
)

var readVerbs = []string{"get", "list", "watch"}

// nodeClusterRole is what vigil-node needs beyond the Node authorizer, which
// forbids the cluster-wide Secret and ConfigMap informers virtual-kubelet
// starts.
func nodeClusterRole() *rbacv1ac.ClusterRoleApplyConfiguration {
	rule := func(groups, resources, verbs []string) *rbacv1ac.PolicyRuleApplyConfiguration {
		return rbacv1ac.PolicyRule().WithAPIGroups(groups...).WithResources(resources...).WithVerbs(verbs...)
	}
	core, events := []string{""}, []string{"", "events.k8s.io"}
	return rbacv1ac.ClusterRole(nodeRBACName).WithRules(
		rule(core, []string{"secrets", "configmaps", "services", "namespaces", "pods", "persistentvolumeclaims"}, readVerbs),
		rule(core, []string{"persistentvolumes"}, append(readVerbs, "create", "delete")),
		rule(core, []string{"serviceaccounts/token"}, []string{"create"}),
		rule(events, []string{"events"}, []string{"create", "patch"}),
		rule(core, []string{"nodes", "nodes/status"}, append(readVerbs, "create", "update", "patch")),
		rule(core, []string{"pods/status"}, []string{"update", "patch"}),
		rule(core, []string{"pods"}, []string{"delete"}),
		// A ClusterRole rule cannot name a namespace; the binding for leases
		// is a RoleBinding in kube-node-lease (nodeLeaseRole).
	)
}

// nodeLeaseRole gives all verbs on leases in kube-node-lease.
func nodeLeaseRole() *rbacv1ac.RoleApplyConfiguration {
	return rbacv1ac.Role(nodeRBACName, "kube-node-lease").WithRules(
		rbacv1ac.PolicyRule().WithAPIGroups("coordination.k8s.io").WithResources("leases").WithVerbs("*"))
}

func nodeUser(nodeName string) *rbacv1ac.SubjectApplyConfiguration {
	return rbacv1ac.Subject().WithKind(rbacv1.UserKind).WithAPIGroup(rbacv1.GroupName).WithName("system:node:" + nodeName)
}

// applyNodeRBAC creates or updates the ClusterRole and ClusterRoleBinding
// vigil:node (and the lease Role and RoleBinding) for the node's user.
func applyNodeRBAC(ctx context.Context, cs kubernetes.Interface, nodeName string) error {
	opts := metav1.ApplyOptions{FieldManager: fieldManager, Force: true}
	rbac := cs.RbacV1()
	if _, err := rbac.ClusterRoles().Apply(ctx, nodeClusterRole(), opts); err != nil {
		return fmt.Errorf("node RBAC: %w", err)
	}
	crb := rbacv1ac.ClusterRoleBinding(nodeRBACName).
		WithRoleRef(rbacv1ac.RoleRef().WithAPIGroup(rbacv1.GroupName).WithKind("ClusterRole").WithName(nodeRBACName)).
		WithSubjects(nodeUser(nodeName))
	if _, err := rbac.ClusterRoleBindings().Apply(ctx, crb, opts); err != nil {
		return fmt.Errorf("node RBAC: %w", err)
	}
	if _, err := rbac.Roles("kube-node-lease").Apply(ctx, nodeLeaseRole(), opts); err != nil {
		return fmt.Errorf("node RBAC: %w", err)
	}
	rb := rbacv1ac.RoleBinding(nodeRBACName, "kube-node-lease").
		WithRoleRef(rbacv1ac.RoleRef().WithAPIGroup(rbacv1.GroupName).WithKind("Role").WithName(nodeRBACName)).
		WithSubjects(nodeUser(nodeName))
	if _, err := rbac.RoleBindings("kube-node-lease").Apply(ctx, rb, opts); err != nil {
		return fmt.Errorf("node RBAC: %w", err)
	}
	return nil
}
