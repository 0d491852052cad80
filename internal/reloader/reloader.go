package reloader

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	listerscorev1 "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
)

// SecretKey names one key of one Secret.
type SecretKey struct {
	Namespace, Name, Key string
}

// ConfigMaps names the ConfigMaps of one namespace a label selector takes.
type ConfigMaps struct {
	Namespace string
	Selector  labels.Selector
}

// Options say where the configuration comes from, where it goes and whom
// to tell.
type Options struct {
	// The configuration: a Secret's key, read through the API, or a file
	// (a mounted Secret). At most one; neither when only rules are kept.
	ConfigSecret *SecretKey
	ConfigFile   string
	// ConfigOutput is where the configuration is written, gunzipped and
	// with $(VAR) replaced.
	ConfigOutput string

	// Rules: ConfigMaps read through the API, each key written to
	// RulesDir/<ConfigMap name>/<key>; and folders (mounted ConfigMaps)
	// whose changes also call for a reload.
	RuleConfigMaps *ConfigMaps
	RulesDir       string
	WatchedDirs    []string

	// Client reads the Secret and ConfigMaps; needed when either is set.
	Client kubernetes.Interface

	// ReloadURL is called with POST after each change; "" calls nothing.
	ReloadURL string
	// ReloadTimeout bounds each call; RetryInterval is the first wait
	// before a failed call is retried, doubled each time up to
	// MaxRetryInterval.
	ReloadTimeout, RetryInterval, MaxRetryInterval time.Duration
	// WatchInterval is how often files and folders are read again (the API
	// sources are watched and need no polling).
	WatchInterval time.Duration

	// Once writes the configuration and rules and returns, without
	// reloading: the init container's mode, so that Prometheus starts with
	// a configuration.
	Once bool

	// Lookup reads the environment; nil is os.LookupEnv.
	Lookup  func(string) (string, bool)
	Metrics *Metrics
	Logger  *slog.Logger
}

// Run keeps the configuration in place until ctx ends.
func Run(ctx context.Context, o Options) error {
	if err := o.defaults(); err != nil {
		return err
	}
	r := &run{o: o, changed: make(chan struct{}, 1)}
	if err := r.startInformers(ctx); err != nil {
		return err
	}
	if o.Once {
		_, err := r.apply()
		return err
	}
	ticker := time.NewTicker(o.WatchInterval)
	defer ticker.Stop()
	var reloaded [sha256.Size]byte
	pending := true // the first pass reloads: Prometheus may have started with an older file
	for {
		state, err := r.apply()
		if err != nil {
			o.Logger.Error("applying the configuration", "err", err)
		} else if state != reloaded || pending {
			if r.reload(ctx) {
				reloaded, pending = state, false
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-r.changed:
		case <-ticker.C:
		}
	}
}

func (o *Options) defaults() error {
	if o.ConfigSecret != nil && o.ConfigFile != "" {
		return errors.New("the configuration comes from a Secret or a file, not both")
	}
	if (o.ConfigSecret != nil || o.ConfigFile != "") && o.ConfigOutput == "" {
		return errors.New("the configuration needs an output file")
	}
	if o.RuleConfigMaps != nil && o.RulesDir == "" {
		return errors.New("rule ConfigMaps need a rules folder")
	}
	if (o.ConfigSecret != nil || o.RuleConfigMaps != nil) && o.Client == nil {
		return errors.New("reading a Secret or ConfigMaps needs an API client")
	}
	if o.ReloadTimeout == 0 {
		o.ReloadTimeout = 30 * time.Second
	}
	if o.RetryInterval == 0 {
		o.RetryInterval = 5 * time.Second
	}
	if o.MaxRetryInterval == 0 {
		o.MaxRetryInterval = 2 * time.Minute
	}
	if o.WatchInterval == 0 {
		o.WatchInterval = 30 * time.Second
	}
	if o.Lookup == nil {
		o.Lookup = os.LookupEnv
	}
	if o.Metrics == nil {
		o.Metrics = NewMetrics(nil)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// run is one Run's state.
type run struct {
	o          Options
	changed    chan struct{}
	secrets    listerscorev1.SecretLister
	configMaps listerscorev1.ConfigMapLister
}

// notify wakes the loop; a wake-up already pending covers this one.
func (r *run) notify() {
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

// startInformers watches exactly the Secret and the ConfigMaps named, so
// that the sidecar's service account needs get, list and watch on nothing
// else.
func (r *run) startInformers(ctx context.Context) error {
	handler := cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { r.o.Metrics.watchEvents.Inc(); r.notify() },
		UpdateFunc: func(any, any) { r.o.Metrics.watchEvents.Inc(); r.notify() },
		DeleteFunc: func(any) { r.o.Metrics.watchEvents.Inc(); r.notify() },
	}
	var synced []cache.InformerSynced
	if s := r.o.ConfigSecret; s != nil {
		f := informers.NewSharedInformerFactoryWithOptions(r.o.Client, 0, informers.WithNamespace(s.Namespace),
			informers.WithTweakListOptions(func(lo *metav1.ListOptions) {
				lo.FieldSelector = fields.OneTermEqualSelector("metadata.name", s.Name).String()
			}))
		inf := f.Core().V1().Secrets()
		if _, err := inf.Informer().AddEventHandler(handler); err != nil {
			return err
		}
		r.secrets = inf.Lister()
		synced = append(synced, inf.Informer().HasSynced)
		f.Start(ctx.Done())
	}
	if c := r.o.RuleConfigMaps; c != nil {
		f := informers.NewSharedInformerFactoryWithOptions(r.o.Client, 0, informers.WithNamespace(c.Namespace),
			informers.WithTweakListOptions(func(lo *metav1.ListOptions) { lo.LabelSelector = c.Selector.String() }))
		inf := f.Core().V1().ConfigMaps()
		if _, err := inf.Informer().AddEventHandler(handler); err != nil {
			return err
		}
		r.configMaps = inf.Lister()
		synced = append(synced, inf.Informer().HasSynced)
		f.Start(ctx.Done())
	}
	if !cache.WaitForCacheSync(ctx.Done(), synced...) {
		return errors.New("the Secret and ConfigMap caches did not sync")
	}
	return nil
}

// apply writes the configuration and rules and returns a hash of
// everything Prometheus reads, rules folders included.
func (r *run) apply() ([sha256.Size]byte, error) {
	h := sha256.New()
	err := r.applyTo(h.Write)
	r.o.Metrics.applies.Inc()
	if err != nil {
		r.o.Metrics.applyFailures.Inc()
		return [sha256.Size]byte{}, err
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum, nil
}

func (r *run) applyTo(hash func([]byte) (int, error)) error {
	if raw, name, err := r.config(); err != nil {
		return err
	} else if raw != nil {
		data, err := gunzip(name, raw)
		if err != nil {
			return err
		}
		if data, err = substitute(data, r.o.Lookup); err != nil {
			return err
		}
		if _, err := writeAtomically(r.o.ConfigOutput, data); err != nil {
			return err
		}
		_, _ = hash(fmt.Appendf(nil, "config %d:", len(data)))
		_, _ = hash(data)
	}
	if r.configMaps != nil {
		files, err := r.ruleFiles()
		if err != nil {
			return err
		}
		if _, err := syncDir(r.o.RulesDir, files); err != nil {
			return err
		}
		hashFiles(hash, files)
	}
	for _, dir := range r.o.WatchedDirs {
		files, err := readDir(dir)
		if err != nil {
			return err
		}
		_, _ = hash(fmt.Appendf(nil, "dir %d:%s", len(dir), dir))
		hashFiles(hash, files)
	}
	return nil
}

// config reads the configuration and says what it is called (for .gz);
// nil when there is no configuration to keep.
func (r *run) config() ([]byte, string, error) {
	switch {
	case r.o.ConfigSecret != nil:
		s := r.o.ConfigSecret
		sec, err := r.secrets.Secrets(s.Namespace).Get(s.Name)
		if err != nil {
			return nil, "", fmt.Errorf("secret %s/%s: %w", s.Namespace, s.Name, err)
		}
		data, ok := sec.Data[s.Key]
		if !ok {
			return nil, "", fmt.Errorf("secret %s/%s has no key %q", s.Namespace, s.Name, s.Key)
		}
		return data, s.Key, nil
	case r.o.ConfigFile != "":
		data, err := os.ReadFile(r.o.ConfigFile)
		return data, r.o.ConfigFile, err
	}
	return nil, "", nil
}

// ruleFiles are the rule ConfigMaps' keys as files, <name>/<key>.
func (r *run) ruleFiles() (map[string][]byte, error) {
	cms, err := r.configMaps.ConfigMaps(r.o.RuleConfigMaps.Namespace).List(r.o.RuleConfigMaps.Selector)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, cm := range cms {
		for k, v := range cm.Data {
			files[filepath.Join(cm.Name, k)] = []byte(v)
		}
		for k, v := range cm.BinaryData {
			files[filepath.Join(cm.Name, k)] = v
		}
	}
	return files, nil
}

// hashFiles adds each file's name and content, each preceded by its
// length so that no two sets of files hash alike by shifting bytes.
func hashFiles(hash func([]byte) (int, error), files map[string][]byte) {
	for _, name := range slices.Sorted(maps.Keys(files)) {
		_, _ = hash(fmt.Appendf(nil, "%d:%s%d:", len(name), name, len(files[name])))
		_, _ = hash(files[name])
	}
}
