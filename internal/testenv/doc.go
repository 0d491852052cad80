// Package testenv starts a real control plane (etcd and kube-apiserver, built
// by hack/tools at pinned versions) for Vigil's integration tests and installs
// Vigil's CRDs into it with server-side apply, as a user would.
//
// The binaries are found through KUBEBUILDER_ASSETS, which `make test` sets;
// a test run without them fails with a message that says so rather than
// skipping, so a green run always means the tests ran.
package testenv
