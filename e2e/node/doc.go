// Package node is a virtual-kubelet provider that runs a pod's containers
// as processes on this machine, for the local cluster of `make dev` and
// the end-to-end tests (there is no container runtime here).
//
// Each pod gets a network namespace on the node's bridge (package
// sandbox), its volumes as directories on the node (Secret, ConfigMap,
// projected service account token and downward API files written the way
// a kubelet's atomic writer does and kept current; emptyDir; hostPath;
// PersistentVolumeClaims bound to hostPath volumes that ProvisionVolumes
// creates), a hosts file naming the StatefulSet pods (there is no cluster
// DNS yet), and each container a mount and UTS namespace of its own with
// the volumes at their mountPaths. A container's image is mapped to a
// binary (Images); one that is not mapped leaves the container waiting
// with ErrImagePull. The environment (KUBERNETES_SERVICE_HOST and _PORT
// pointing at the API server, envFrom, env with the downward API and
// $(VAR) references) and the arguments are built as a kubelet builds them.
// Init containers run in order, each to success; containers restart as
// the pod's restartPolicy says, with a back-off; startup, readiness and
// liveness probes (HTTP, TCP, exec) decide Ready and restarts. The status
// (phase, conditions, IPs, container states, restart counts) goes to the
// API server through virtual-kubelet. `kubectl logs` (tail, previous,
// follow), `kubectl exec` and `kubectl port-forward` are served.
//
// Deleting a pod stops its containers (SIGTERM, SIGKILL after the grace
// period), removes its network namespace and files and then the pod
// itself. Shutdown stops every pod without removing them from the API;
// the node binary sweeps what a crashed run left behind before it starts.
package node
