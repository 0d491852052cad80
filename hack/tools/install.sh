#!/usr/bin/env bash
# install.sh NAME... builds the pinned real components that Vigil's tests run
# against. Each binary lands in the cache outside the repository, as
# $VIGIL_BIN/<name>-<version>, and a binary already there is not built again;
# a first-time build prints its go build line to stderr, and otherwise only
# errors are printed. Names: etcd kube-apiserver kube-controller-manager
# kube-scheduler kubectl controller-gen prometheus promtool alertmanager amtool
# node-exporter kube-state-metrics blackbox-exporter kube-rbac-proxy
# prometheus-adapter.
#
# Notes on the Prometheus and Alertmanager builds (see hack/tools/README.md):
# - Both report their version from github.com/prometheus/common/version, set
#   here through -ldflags as their release builds (promu) do; without it
#   `prometheus --version` prints an empty version.
# - Prometheus is built without the `builtinassets` tag: with it, web/ui needs
#   an embed.go that only the npm build of the UI generates, and the module has
#   neither. Without it the API, /metrics and /-/ready work, and the UI pages
#   (/, /query, ...) answer 500 "Error opening React index.html".
# - Alertmanager's ui package embeds ui/app/dist, which its module lacks, so it
#   does not compile as published. -overlay cannot add files under GOMODCACHE,
#   so a temporary copy of the module gets a placeholder UI and a temporary
#   go.mod (-modfile) replaces the module by that copy; the committed go.mod
#   and go.sum stay as they are.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=${VIGIL_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/vigil/bin}
mkdir -p "$bin"

k8s_version=v1.37.2
etcd_version=v3.7.3
controller_tools_version=v0.23.0
prometheus_version=v3.16.0 prometheus_module_version=v0.316.0
alertmanager_version=v0.35.0
node_exporter_version=v1.12.1
kube_state_metrics_version=v2.19.1
blackbox_exporter_version=v0.28.0
kube_rbac_proxy_version=v0.22.1
prometheus_adapter_version=v0.12.0

work=
trap '[ -z "$work" ] || rm -rf "$work"' EXIT

# build DIR OUT PKG [LDFLAGS [GOFLAG]] builds PKG inside the tools module DIR
# into OUT.
build() {
	local dir=$1 out=$2 pkg=$3 ldflags=${4:-} goflag=${5:-}
	[ -x "$out" ] && return 0
	echo "Building $(basename "$out") (first time only): (cd hack/tools/$dir && CGO_ENABLED=0 go build -trimpath $goflag -ldflags \"-s -w $ldflags\" $pkg)" >&2
	(cd "$here/$dir" && CGO_ENABLED=0 go build -trimpath $goflag -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg")
	mv "$out.tmp" "$out"
}

# pinned DIR MODULE VERSION stops unless DIR's go.mod pins MODULE at VERSION,
# the version install.sh stamps.
pinned() {
	grep -Eq "^(require)?[[:space:]]+$2 $3( |$)" "$here/$1/go.mod" || {
		echo "install.sh: hack/tools/$1/go.mod does not pin $2 $3" >&2
		exit 1
	}
}

# prometheus_ldflags DIR MODULE VERSION [MODULE_VERSION] stamps VERSION (as
# 3.16.0) the way Prometheus's release builds (promu) do, after checking that
# DIR's go.mod pins MODULE at MODULE_VERSION (default VERSION).
prometheus_ldflags() {
	local dir=$1 module=$2 version=$3 module_version=${4:-$3}
	pinned "$dir" "$module" "$module_version"
	local v=github.com/prometheus/common/version
	echo "-X $v.Version=${version#v} -X $v.Revision=$module_version -X $v.Branch=HEAD" \
		"-X $v.BuildUser=$(id -un)@${HOSTNAME:-localhost} -X $v.BuildDate=$(date -u +%Y%m%d-%H:%M:%S)"
}

# alertmanager_source makes, once per run, $work/alertmanager: a copy of the
# Alertmanager module with a placeholder UI (hack/tools/alertmanager/
# placeholder.html), and $work/go.mod: the tools module's go.mod replacing the
# module by that copy.
alertmanager_source() {
	[ -z "$work" ] || return 0
	work=$(mktemp -d)
	local src
	src=$(cd "$here/alertmanager" && go mod download -json github.com/prometheus/alertmanager |
		sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
	cp -R "$src" "$work/alertmanager"
	chmod -R u+w "$work/alertmanager"
	for ui in elm mantine; do
		mkdir -p "$work/alertmanager/ui/app/dist/$ui"
		cp "$here/alertmanager/placeholder.html" "$work/alertmanager/ui/app/dist/$ui/index.html"
		gzip -n -k "$work/alertmanager/ui/app/dist/$ui/index.html" # what it serves for index.html
	done
	cp "$here/alertmanager/go.sum" "$work/go.sum"
	{ cat "$here/alertmanager/go.mod"; echo "replace github.com/prometheus/alertmanager => $work/alertmanager"; } >"$work/go.mod"
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
	prometheus | promtool)
		[ -x "$bin/$name-$prometheus_version" ] && continue
		ldflags=$(prometheus_ldflags prometheus github.com/prometheus/prometheus $prometheus_version $prometheus_module_version)
		build prometheus "$bin/$name-$prometheus_version" "github.com/prometheus/prometheus/cmd/$name" "$ldflags" ;;
	alertmanager | amtool)
		[ -x "$bin/$name-$alertmanager_version" ] && continue
		ldflags=$(prometheus_ldflags alertmanager github.com/prometheus/alertmanager $alertmanager_version)
		alertmanager_source
		build alertmanager "$bin/$name-$alertmanager_version" "github.com/prometheus/alertmanager/cmd/$name" \
			"$ldflags" "-modfile=$work/go.mod" ;;
	node-exporter)
		[ -x "$bin/$name-$node_exporter_version" ] && continue
		ldflags=$(prometheus_ldflags node-exporter github.com/prometheus/node_exporter $node_exporter_version)
		build node-exporter "$bin/$name-$node_exporter_version" github.com/prometheus/node_exporter "$ldflags" ;;
	blackbox-exporter)
		[ -x "$bin/$name-$blackbox_exporter_version" ] && continue
		ldflags=$(prometheus_ldflags blackbox-exporter github.com/prometheus/blackbox_exporter $blackbox_exporter_version)
		build blackbox-exporter "$bin/$name-$blackbox_exporter_version" github.com/prometheus/blackbox_exporter "$ldflags" ;;
	kube-state-metrics)
		# Its Makefile: prometheus/common/version with the tag as is (v2.19.1),
		# and pkg/app.ClientGoVersion, client-go's module version.
		[ -x "$bin/$name-$kube_state_metrics_version" ] && continue
		ldflags=$(prometheus_ldflags kube-state-metrics k8s.io/kube-state-metrics/v2 $kube_state_metrics_version)
		ldflags="${ldflags/Version=${kube_state_metrics_version#v}/Version=$kube_state_metrics_version}"
		ldflags+=" -X k8s.io/kube-state-metrics/v2/pkg/app.ClientGoVersion=$(cd "$here/kube-state-metrics" && go list -m -f '{{.Version}}' k8s.io/client-go)"
		build kube-state-metrics "$bin/$name-$kube_state_metrics_version" k8s.io/kube-state-metrics/v2 "$ldflags" ;;
	kube-rbac-proxy)
		# Its Makefile: component-base's gitVersion (and gitCommit, which the
		# module does not give) and verflag's programName.
		pinned kube-rbac-proxy github.com/brancz/kube-rbac-proxy $kube_rbac_proxy_version
		build kube-rbac-proxy "$bin/$name-$kube_rbac_proxy_version" github.com/brancz/kube-rbac-proxy/cmd/kube-rbac-proxy \
			"-X k8s.io/component-base/version.gitVersion=$kube_rbac_proxy_version -X k8s.io/component-base/version/verflag.programName=kube-rbac-proxy" ;;
	prometheus-adapter)
		# Its release build stamps nothing; component-base's gitVersion is what
		# its /version and kubernetes_build_info report.
		pinned prometheus-adapter sigs.k8s.io/prometheus-adapter $prometheus_adapter_version
		v=${prometheus_adapter_version#v}
		build prometheus-adapter "$bin/$name-$prometheus_adapter_version" sigs.k8s.io/prometheus-adapter/cmd/adapter \
			"-X k8s.io/component-base/version.gitVersion=$prometheus_adapter_version -X k8s.io/component-base/version.gitMajor=${v%%.*} -X k8s.io/component-base/version.gitMinor=$(echo "$v" | cut -d. -f2)" ;;
	*)
		echo "install.sh: unknown tool $name" >&2
		exit 2 ;;
	esac
done
