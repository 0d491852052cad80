// Package v1alpha1 holds the monitoring.coreos.com/v1alpha1 API that Vigil
// serves: AlertmanagerConfig and ScrapeConfig, with the same kinds, plural and
// short names and JSON field names as Prometheus Operator, so manifests
// written for it apply unchanged.
//
// +kubebuilder:object:generate=true
// +groupName=monitoring.coreos.com
package v1alpha1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the group and version of every type in this package.
	GroupVersion = schema.GroupVersion{Group: "monitoring.coreos.com", Version: "v1alpha1"}

	// SchemeBuilder registers this package's types with a runtime.Scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: GroupVersion}

	// AddToScheme adds this package's types to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)
