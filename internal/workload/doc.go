// Package workload builds what runs Prometheus and Alertmanager, as
// Prometheus Operator v0.93 builds it, from one custom resource and the
// operator's Options:
//
//   - Prometheus: a StatefulSet per shard (prometheus-<name>, then
//     prometheus-<name>-shard-<n>), the web configuration Secret
//     prometheus-<name>-web-config, and the Role and RoleBinding
//     prometheus-<name>-config-reloader;
//   - Alertmanager: the StatefulSet alertmanager-<name>, its web
//     configuration Secret and its config-reloader's Role and RoleBinding;
//   - the governing Services prometheus-operated and alertmanager-operated,
//     one per namespace for all the objects of the kind there.
//
// It is pure: objects in, objects out. It reads no Secret and talks to no
// API server; the reconcilers apply what it returns. Every object carries
// an owner reference to its custom resource (as controller, except the
// shared governing Services) and the annotation vigil.dev/input-hash, a
// hash of the object as built, so that a reconcile whose input did not
// change writes nothing. The same input always gives the same objects.
//
// # What the pod honours
//
// Every spec field that shapes the pod is read the way Prometheus
// Operator's statefulset builders read it (pkg/prometheus/server,
// pkg/prometheus, pkg/alertmanager, pkg/k8s): the image from spec.image,
// else the operator's base image tagged with spec.version; resources;
// storage (emptyDir, ephemeral or volumeClaimTemplate, mounted in a
// sub-folder unless disableMountSubPath); the pod security context;
// scheduling (affinity, tolerations, nodeSelector, topologySpreadConstraints
// with additionalLabelSelectors, priorityClassName, schedulerName); the
// service account and its token; image pull secrets and policy; host
// aliases, network, users and DNS; podMetadata; secrets and configMaps
// mounted under /etc/<prometheus|alertmanager>/{secrets,configmaps}/<name>;
// volumes and volumeMounts; containers and initContainers merged by name
// with a strategic merge patch; replicas, shards, minReadySeconds,
// terminationGracePeriodSeconds, podManagementPolicy and
// persistentVolumeClaimRetentionPolicy; and every flag: retention and
// retentionSize (before Prometheus 3.11, which reads them from
// prometheus.yaml), walCompression, web (routePrefix, externalUrl,
// pageTitle, maxConnections, TLS and HTTP headers through the web
// configuration file), enableFeatures, listenLocal, logLevel, logFormat,
// the receivers, the admin API, compaction, query and rule engine settings,
// additionalArgs (refused when they repeat or negate a flag Vigil sets),
// and for Alertmanager retention, the cluster settings and its peers.
// Flags are shaped to the version as Prometheus Operator shapes them.
//
// # Labels
//
// The pods carry Prometheus Operator's labels, and the StatefulSets select
// on the same ones: app.kubernetes.io/name, app.kubernetes.io/instance,
// app.kubernetes.io/managed-by: prometheus-operator, prometheus: <name> or
// alertmanager: <name>, and for Prometheus operator.prometheus.io/name and
// operator.prometheus.io/shard; spec.podMetadata labels are added, Vigil's
// winning. kube-prometheus's Services, PodDisruptionBudgets and
// NetworkPolicies select on name, instance, component and part-of, never
// on managed-by (a test checks every one of their selectors). The
// managed-by value stays prometheus-operator all the same: it is part of
// the selector of the StatefulSets Prometheus Operator created, which the
// API server never lets change, so another value would force deleting
// every StatefulSet to switch. Objects only Vigil creates (the
// config-reloader's Role and RoleBinding) say app.kubernetes.io/managed-by:
// vigil, as the rule ConfigMaps do. Alertmanager pods get no
// operator.prometheus.io/name label, as with Prometheus Operator.
//
// # Differences from Prometheus Operator's pods
//
// The kube-prometheus tests compare, field path by field path after the
// API server's defaults, what this package builds (and, in controllers,
// what the reconcilers write) with what Prometheus Operator created for
// the same input; they accept exactly these differences, and the owner
// references' UIDs, listed once in package poref.
//
//	difference                                   why
//	-------------------------------------------  ------------------------------------------------------------
//	config-reloader reads the configuration      A change reaches Prometheus without waiting for the
//	Secret and rule ConfigMaps through the API   kubelet's volume sync (a minute or more). Its args are
//	(--config-secret, --config-secret-key,       Vigil's config-reloader's; the config Secret volume and
//	--rules-configmap-selector, --rules-dir);    the per-ConfigMap rule volumes are gone, so a rule
//	rules in one emptyDir, rules                 ConfigMap added or removed never changes the pod.
//	Role and RoleBinding                         The pods' service account needs get, list and watch on
//	<prefix>-<name>-config-reloader              the configuration Secret (by name) and, for Prometheus,
//	                                             list and watch on ConfigMaps: RBAC cannot limit a list
//	                                             to a label selector, so that is every ConfigMap of the
//	                                             namespace, and nothing else.
//	projected token volume reloader-api-access   The config-reloader reads the API also when the service
//	in the config-reloader containers only       account or spec turns token automounting off (as
//	                                             kube-prometheus's Alertmanager does), and Alertmanager
//	                                             does not get the token.
//	POD_NAMESPACE in the config-reloaders        The namespace it reads the Secret and ConfigMaps in.
//	reload URL http://127.0.0.1:<port>           127.0.0.1 is where the server listens with listenLocal
//	(not localhost)                              too; localhost may resolve to ::1 first.
//	init container = the sidecar's args plus     One command line for both; the init container writes the
//	--init, no port                              configuration once and serves nothing.
//	config-reloader image Vigil's, no command    ghcr.io/vigil-monitoring/config-reloader:<Vigil's version>
//	                                             (Options.ConfigReloaderImage), run by its entrypoint.
//	no tls-assets volume                         TLS material is written inline into the configuration.
//	input hash annotation vigil.dev/input-hash   A hash of the object built, so an unchanged reconcile
//	                                             writes nothing.
//	Alertmanager config-volume is the user's     Its other keys (notification templates that
//	configuration Secret, optional               alertmanager.yaml names under /etc/alertmanager/config)
//	                                             stay where they were; the generated configuration comes
//	                                             through the API.
//	no cluster-tls-config volume (Alertmanager)  Vigil's API has no spec.clusterTLS.
//	no --web-config-file in the Alertmanager     Vigil's config-reloader has no such flag; its metrics
//	config-reloader                              endpoint serves plain HTTP.
//
// Further differences the kube-prometheus input does not show:
//
//	difference                                   why
//	-------------------------------------------  ------------------------------------------------------------
//	unset securityContext runs as uid 1000,      What Vigil's API documents (and kube-prometheus sets);
//	fsGroup 2000, non-root                       Prometheus Operator 0.93 leaves the pod's unset.
//	the Alertmanager image tag is always         Prometheus Operator appends spec.version as written, so
//	v<version>                                   version 0.33.1 without an image names a tag that does
//	                                             not exist.
//	spec.storage with no source is an emptyDir   Prometheus Operator builds an empty claim template, which
//	                                             the API server refuses.
//	the names of the web TLS volumes end in a    Prometheus Operator's end in an xxhash; the names are
//	SHA-256 prefix of the Secret's name          Vigil's own and nothing refers to them.
//	the claim template keeps no status, kind or  Vigil's API ignores them.
//	apiVersion
//	listenLocal probe URLs are shell-quoted      spec.routePrefix goes into sh -c.
//
// Prometheus Operator fields that Vigil's API does not serve (baseImage,
// tag, sha, serviceName, updateStrategy, reloadStrategy, thanos,
// shardingStrategy, queryLogFile, maximumStartupDurationSeconds, Alertmanager
// limits and clusterTLS) are refused by the API server, so they never reach
// a pod.
package workload
