package oracle

import (
	"context"
	"fmt"
	"time"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	monitoringv1alpha1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1alpha1"
	monitoringfake "github.com/prometheus-operator/prometheus-operator/pkg/client/versioned/fake"
	poinformers "github.com/prometheus-operator/prometheus-operator/pkg/informers"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kubeinformers "k8s.io/client-go/informers"
	kubefake "k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/cache"
)

// cluster serves the objects to Prometheus Operator's code the way its
// operator reads a cluster: clientsets, and informers that have synced.
type cluster struct {
	kube       *kubefake.Clientset
	namespaces cache.SharedIndexInformer
	monitoring map[string]*poinformers.ForResource
	stop       chan struct{}
}

// newCluster starts informers over fake clientsets holding objs and waits
// until they have synced. Close stops them.
func newCluster(objs *Objects) (*cluster, error) {
	var kubeObjs []runtime.Object
	for _, ns := range objs.Namespaces {
		kubeObjs = append(kubeObjs, ns)
	}
	for _, s := range objs.Secrets {
		kubeObjs = append(kubeObjs, s)
	}
	for _, cm := range objs.ConfigMaps {
		kubeObjs = append(kubeObjs, cm)
	}
	var monObjs []runtime.Object
	for _, o := range objs.all() {
		if ro, ok := o.(runtime.Object); ok && isMonitoring(ro) {
			monObjs = append(monObjs, ro)
		}
	}
	c := &cluster{
		kube:       kubefake.NewClientset(kubeObjs...),
		monitoring: map[string]*poinformers.ForResource{},
		stop:       make(chan struct{}),
	}
	mon := monitoringfake.NewSimpleClientset(monObjs...)

	kf := kubeinformers.NewSharedInformerFactory(c.kube, 0)
	c.namespaces = kf.Core().V1().Namespaces().Informer()
	kf.Start(c.stop)

	factories := poinformers.NewMonitoringInformerFactories(map[string]struct{}{"": {}}, nil, mon, 0, nil)
	resources := []schema.GroupVersionResource{
		monitoringv1.SchemeGroupVersion.WithResource(monitoringv1.ServiceMonitorName),
		monitoringv1.SchemeGroupVersion.WithResource(monitoringv1.PodMonitorName),
		monitoringv1.SchemeGroupVersion.WithResource(monitoringv1.ProbeName),
		monitoringv1.SchemeGroupVersion.WithResource(monitoringv1.PrometheusRuleName),
		monitoringv1alpha1.SchemeGroupVersion.WithResource(monitoringv1alpha1.ScrapeConfigName),
		monitoringv1alpha1.SchemeGroupVersion.WithResource(monitoringv1alpha1.AlertmanagerConfigName),
	}
	synced := []cache.InformerSynced{c.namespaces.HasSynced}
	for _, r := range resources {
		inf, err := poinformers.NewInformersForResource(factories, r)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("informers for %s: %w", r.Resource, err)
		}
		inf.Start(c.stop)
		c.monitoring[r.Resource] = inf
		synced = append(synced, inf.HasSynced)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if !cache.WaitForCacheSync(ctx.Done(), synced...) {
		c.Close()
		return nil, fmt.Errorf("informers did not sync")
	}
	return c, nil
}

func (c *cluster) Close() { close(c.stop) }

func isMonitoring(o runtime.Object) bool {
	switch o.(type) {
	case *monitoringv1.ServiceMonitor, *monitoringv1.PodMonitor, *monitoringv1.Probe,
		*monitoringv1.PrometheusRule, *monitoringv1alpha1.ScrapeConfig, *monitoringv1alpha1.AlertmanagerConfig:
		return true
	}
	return false
}
