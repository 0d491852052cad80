// Package sandbox runs a Kubernetes pod's containers as plain host processes
// in per-pod Linux namespaces, for Vigil's process-backed e2e node. It knows
// nothing about Kubernetes: the virtual-kubelet provider translates pods into
// the plain values used here.
//
// # Network
//
// A Network is a Linux bridge whose address is the pods' gateway and one named
// network namespace (/run/netns/<Prefix><id>, made with `ip netns add`) per
// pod, joined to the bridge by a veth pair whose pod end is eth0. Addresses
// come from the CIDR (first 10.213.1.1 in a /16) and are leased by files under
// /run/vigil-sandbox/net/<Bridge>/, created with O_EXCL so concurrent AddPod
// calls never share one. Only 10.213.0.0/16 may be configured; interfaces get
// no IPv6 link-local address; host routing, sysctls and firewall are left alone.
//
// # Containers
//
// Start re-executes the running binary (/proc/self/exe, argv[0]
// "vigil-sandbox-init") in new mount and UTS namespaces. Init, the first call
// in main, recognises that child, reads the Spec from a pipe and:
//
//  1. makes / rprivate, so nothing propagates to the host;
//  2. opens every mount source as an O_PATH descriptor;
//  3. builds a root on a private tmpfs at <StateDir>/<id>: each top-level host
//     entry rbind-mounted (directories), bound (files) or recreated (symlinks);
//  4. binds each source from /proc/self/fd/N. A missing target is created on
//     a filesystem the container owns: at the top level the tmpfs itself;
//     deeper down, its nearest existing ancestor (symlinks resolved inside the
//     root) is first covered by an overlayfs whose upper layer is on the tmpfs.
//     Nothing is ever created on the host outside the state directory;
//  5. remounts read-only mounts, joins the pod's network namespace on a locked
//     thread, sets the hostname, chroots, changes directory and execs the
//     target from that thread.
//
// Start moves the child into its cgroup (pids, memory, cpu and freezer under
// cgroup v1, /sys/fs/cgroup/<Name>/<group>/<id> under cgroup v2) before it
// sends the Spec, so every descendant of the target is tracked: Signal,
// KillGroup and Sweep act through cgroup.procs. A setup error travels back on
// a close-on-exec pipe and becomes Start's error.
//
// Start, KillGroup and Sweep act on Default (cgroup name "vigil", state in
// /run/vigil-sandbox/containers); a Runtime with another Name and StateDir
// keeps a second user (the tests) apart. When the main process exits, Wait
// kills what it left in its cgroup and removes the cgroup. Exec runs a command
// through nsenter in a container's mount, network and UTS namespaces and root,
// and moves it into the container's cgroups.
//
// # Crash recovery
//
// Namespaces, veths, cgroups and processes outlive a crashed node; container
// mounts live only in the containers' mount namespaces and vanish with them.
// Network.Sweep and Sweep remove all of it and every step is idempotent.
//
// # State on the host
//
//	/run/netns/<Prefix><id>                  pod network namespaces
//	/run/vigil-sandbox/net/<Bridge>/<IP>     address leases
//	/run/vigil-sandbox/containers/<id>/      empty mount points of running containers
//	/sys/fs/cgroup/<ctrl>/vigil/<group>/<id> container cgroups
package sandbox
