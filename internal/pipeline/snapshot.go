package pipeline

import (
	"sync"

	"k8s.io/apimachinery/pkg/types"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
	"github.com/vigil-monitoring/vigil/internal/assets"
	"github.com/vigil-monitoring/vigil/internal/inventory"
	"github.com/vigil-monitoring/vigil/internal/promconfig"
	"github.com/vigil-monitoring/vigil/internal/selection"
)

// Snapshot is what one reconcile sees: the objects an owner may select
// (the pipeline selects), the namespaces with their labels, and where
// Secret and ConfigMap values come from. vigilctl fills it from manifests,
// the operator from its caches.
type Snapshot struct {
	Namespaces          selection.Namespaces
	ServiceMonitors     []*monitoringv1.ServiceMonitor
	PodMonitors         []*monitoringv1.PodMonitor
	Probes              []*monitoringv1.Probe
	ScrapeConfigs       []*monitoringv1alpha1.ScrapeConfig
	PrometheusRules     []*monitoringv1.PrometheusRule
	AlertmanagerConfigs []*monitoringv1alpha1.AlertmanagerConfig
	// Values resolves Secret and ConfigMap keys; nil has none.
	Values assets.Source
	// FileReferences is the administrator's policy for the files of
	// Prometheus's and Alertmanager's containers that objects name.
	FileReferences assets.FileReferencePolicy
}

// FromInventory is the snapshot of objects read from manifests, as
// vigilctl reads them, with their Secrets and ConfigMaps as the values.
func FromInventory(inv *inventory.Inventory, files assets.FileReferencePolicy) Snapshot {
	return Snapshot{
		Namespaces:          inv.NamespaceLabels(),
		ServiceMonitors:     inv.ServiceMonitors,
		PodMonitors:         inv.PodMonitors,
		Probes:              inv.Probes,
		ScrapeConfigs:       inv.ScrapeConfigs,
		PrometheusRules:     inv.PrometheusRules,
		AlertmanagerConfigs: inv.AlertmanagerConfigs,
		Values:              assets.NewStore(inv.Secrets, inv.ConfigMaps),
		FileReferences:      files,
	}
}

// Caches keeps one generation cache per owner, keyed by its UID, so that
// a reconcile after an edit encodes and checks only the objects that
// changed. The operator drops an owner's cache when the owner is deleted.
// The zero value is not usable; use NewCaches.
type Caches struct {
	mu    sync.Mutex
	byUID map[types.UID]*promconfig.Cache
}

// NewCaches returns an empty set of caches.
func NewCaches() *Caches { return &Caches{byUID: map[types.UID]*promconfig.Cache{}} }

// of is the cache of the owner with uid, nil (no cache) when c is nil or
// the owner has no UID (it was not read from an API server).
func (c *Caches) of(uid types.UID) *promconfig.Cache {
	if c == nil || uid == "" {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cache, ok := c.byUID[uid]
	if !ok {
		cache = promconfig.NewCache()
		c.byUID[uid] = cache
	}
	return cache
}

// Drop forgets the cache of the owner with uid.
func (c *Caches) Drop(uid types.UID) {
	c.mu.Lock()
	delete(c.byUID, uid)
	c.mu.Unlock()
}

// Len is how many owners have a cache.
func (c *Caches) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byUID)
}
