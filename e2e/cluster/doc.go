// Package cluster starts and stops a local Kubernetes cluster for Vigil's
// end-to-end tests, built from the real binaries that hack/tools/install.sh
// puts in $VIGIL_BIN: etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler and, optionally, a process-backed node (vigil-node).
//
// No container runtime is involved: each component is a child process in its
// own process group, killed with the test process (Pdeathsig), logging to
// Dir/logs/<component>.log. The API server binds and advertises the node
// bridge's address, 10.213.0.1:6443, so that pods reach it.
//
// Only one local cluster runs on a machine at a time (a flock on
// /run/vigil-localcluster.lock). The running cluster's processes are recorded
// under /run/vigil-localcluster/, so that a Start after a crash kills what the
// crashed run left behind and deletes its bridge before starting again.
//
// The PKI (Dir/pki) is generated once per Dir and reused while it is valid;
// etcd's data (Dir/etcd) is wiped at each Start, so each Start gives an empty
// cluster.
//
// Files:
//   - cluster.go: Start, Stop, Kill, Restart: the flow.
//   - components.go: each component's command line and readiness check.
//   - process.go: one child process: start, signal, wait, log tail.
//   - lock.go: the machine-wide lock and the record of running processes.
//   - network.go: the Network hook and the default bridge.
//   - pki.go, kubeconfig.go: certificates, keys and kubeconfigs.
//   - ready.go: polling with deadlines.
//   - rbac.go: the node's extra RBAC.
//   - testdata/fakenode: a stand-in for vigil-node (same flags, a Ready
//     Node) for this package's own e2e tests.
//
// Tests: unit tests (PKI, flags) run with go test; the e2e tests need root and
// the binaries: go test -tags e2e ./e2e/cluster/ (VIGIL_E2E_KEEP=1 keeps each
// test's Dir).
package cluster
