package main

import (
	"context"
	"fmt"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/benchinput"
	"github.com/vigil-monitoring/vigil/internal/manifest"
	"github.com/vigil-monitoring/vigil/internal/testenv"
)

// input is benchinput's manifest for n ServiceMonitors, decoded, and a
// Service for each ServiceMonitor, which its selector picks.
type input struct {
	prometheus *monitoringv1.Prometheus
	namespaces []*corev1.Namespace
	monitors   []*monitoringv1.ServiceMonitor
	services   []*corev1.Service
}

func newInput(n int) (*input, error) {
	docs, err := manifest.Documents(benchinput.Manifest(n))
	if err != nil {
		return nil, err
	}
	decode := serializer.NewCodecFactory(testenv.Scheme()).UniversalDeserializer()
	in := &input{}
	for _, doc := range docs {
		obj, _, err := decode.Decode(doc, nil, nil)
		if err != nil {
			return nil, fmt.Errorf("decoding benchinput's manifest: %w", err)
		}
		switch o := obj.(type) {
		case *monitoringv1.Prometheus:
			in.prometheus = o
		case *corev1.Namespace:
			in.namespaces = append(in.namespaces, o)
		case *monitoringv1.ServiceMonitor:
			in.monitors = append(in.monitors, o)
			in.services = append(in.services, service(o))
		default:
			return nil, fmt.Errorf("benchinput's manifest holds a %T", obj)
		}
	}
	if in.prometheus == nil || len(in.monitors) != n {
		return nil, fmt.Errorf("benchinput's manifest holds no Prometheus or not %d ServiceMonitors", n)
	}
	return in, nil
}

// service is the Service m selects, with the two ports its endpoints name.
func service(m *monitoringv1.ServiceMonitor) *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Namespace: m.Namespace, Name: m.Name, Labels: m.Spec.Selector.MatchLabels},
		Spec: corev1.ServiceSpec{
			Selector: map[string]string{"app": m.Name},
			Ports: []corev1.ServicePort{
				{Name: "web", Port: 8080, TargetPort: intstr.FromInt32(8080)},
				{Name: "admin", Port: 9090, TargetPort: intstr.FromInt32(9090)},
			},
		},
	}
}

// createBase creates the namespaces (once) and the Prometheus object.
func (c *cluster) createBase(ctx context.Context, in *input) error {
	for _, ns := range in.namespaces {
		if err := c.client.Create(ctx, ns.DeepCopy()); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("creating namespace %s: %w", ns.Name, err)
		}
	}
	return c.client.Create(ctx, in.prometheus.DeepCopy())
}

// createMonitors creates each Service and its ServiceMonitor, by 16 at a
// time, as a deployment tool applying many charts would.
func (c *cluster) createMonitors(ctx context.Context, in *input) error {
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
		work  = make(chan int)
	)
	for range 16 {
		wg.Go(func() {
			for i := range work {
				for _, o := range []client.Object{in.services[i].DeepCopy(), in.monitors[i].DeepCopy()} {
					if err := c.client.Create(ctx, o); err != nil {
						once.Do(func() { first = fmt.Errorf("creating %s/%s: %w", o.GetNamespace(), o.GetName(), err) })
					}
				}
			}
		})
	}
	for i := range in.monitors {
		work <- i
	}
	close(work)
	wg.Wait()
	return first
}
