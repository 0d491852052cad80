#!/usr/bin/env bash
# install.sh NAME... builds the pinned real components that Vigil's tests run
# against and prints nothing but errors. Each binary lands in the cache outside
# the repository, as $VIGIL_BIN/<name>-<version>, and a binary already there is
# not built again. Names: etcd kube-apiserver kube-controller-manager
# kube-scheduler kubectl controller-gen.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=${VIGIL_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/vigil/bin}
mkdir -p "$bin"

k8s_version=v1.37.2
etcd_version=v3.7.3
controller_tools_version=v0.23.0

# build DIR OUT PKG [LDFLAGS] builds PKG inside the tools module DIR into OUT.
build() {
	local dir=$1 out=$2 pkg=$3 ldflags=${4:-}
	[ -x "$out" ] && return 0
	echo "Building $(basename "$out") (first time only)" >&2
	(cd "$here/$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg")
	mv "$out.tmp" "$out"
}

k8s_ldflags="-X k8s.io/component-base/version.gitVersion=$k8s_version -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=37"

for name in "$@"; do
	case $name in
	etcd)
		build etcd "$bin/etcd-$etcd_version" . ;;
	kube-apiserver | kube-controller-manager | kube-scheduler | kubectl)
		build kubernetes "$bin/$name-$k8s_version" "k8s.io/kubernetes/cmd/$name" "$k8s_ldflags" ;;
	controller-gen)
		build controller-gen "$bin/controller-gen-$controller_tools_version" \
			sigs.k8s.io/controller-tools/cmd/controller-gen ;;
	*)
		echo "install.sh: unknown tool $name" >&2
		exit 2 ;;
	esac
done
