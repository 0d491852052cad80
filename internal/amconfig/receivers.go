package amconfig

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/common/model"
	corev1 "k8s.io/api/core/v1"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	monitoringv1alpha1 "github.com/vigil-monitoring/vigil/api/v1alpha1"
)

// receiver is an Alertmanager receiver, with its YAML names. Each kind's
// config type and conversion live in receiver_<kind>.go.
type receiver struct {
	Name             string             `yaml:"name"`
	EmailConfigs     []*emailConfig     `yaml:"email_configs,omitempty"`
	MSTeamsV2Configs []*msTeamsV2Config `yaml:"msteamsv2_configs,omitempty"`
	OpsGenieConfigs  []*opsGenieConfig  `yaml:"opsgenie_configs,omitempty"`
	PagerdutyConfigs []*pagerdutyConfig `yaml:"pagerduty_configs,omitempty"`
	SlackConfigs     []*slackConfig     `yaml:"slack_configs,omitempty"`
	TelegramConfigs  []*telegramConfig  `yaml:"telegram_configs,omitempty"`
	WebhookConfigs   []*webhookConfig   `yaml:"webhook_configs,omitempty"`
}

// receiverKind converts one kind of integration of a CRD receiver.
type receiverKind func(r *resolver, in *monitoringv1alpha1.Receiver, out *receiver) error

// receiverKinds are the integrations Vigil supports, one per file.
var receiverKinds = []receiverKind{
	addEmailConfigs,
	addMSTeamsV2Configs,
	addOpsGenieConfigs,
	addPagerdutyConfigs,
	addSlackConfigs,
	addTelegramConfigs,
	addWebhookConfigs,
}

func convertReceiver(r *resolver, in *monitoringv1alpha1.Receiver, prefix string) (*receiver, error) {
	out := &receiver{Name: prefix + in.Name}
	for _, add := range receiverKinds {
		if err := add(r, in, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// convertEach converts the configs of one kind, naming the failing one.
func convertEach[In, Out any](r *resolver, field string, in []In, conv func(*resolver, *In) (*Out, error)) ([]*Out, error) {
	var out []*Out
	for i := range in {
		o, err := conv(r, &in[i])
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", field, i, err)
		}
		out = append(out, o)
	}
	return out, nil
}

// secretURL reads a URL from a Secret. The value is trimmed, as Secrets
// made from files often end with a newline, and checked here with a
// message that does not repeat it: it may carry a credential.
func secretURL(r *resolver, field string, sel *corev1.SecretKeySelector) (string, error) {
	v, err := r.secret(sel)
	if err != nil {
		return "", fmt.Errorf("%s: %w", field, err)
	}
	v = strings.TrimSpace(v)
	r.Sensitive(v)
	if err := checkURL(v); err != nil {
		return "", fmt.Errorf("%s: the value of key %q of secret %q %w", field, sel.Key, sel.Name, err)
	}
	return v, nil
}

// checkURL applies the rules of Alertmanager's URL type.
func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return errors.New("is not a valid URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return errors.New("is not an http or https URL")
	}
	if u.Host == "" {
		return errors.New("has no host")
	}
	return nil
}

// goDuration converts a Prometheus-style duration (1d, 30s) into the form
// of Go's time.Duration, which is how Alertmanager reads receiver timeouts.
func goDuration(field string, d *monitoringv1.Duration) (string, error) {
	if d == nil || *d == "" {
		return "", nil
	}
	v, err := model.ParseDuration(string(*d))
	if err != nil {
		return "", fmt.Errorf("%s: %w", field, err)
	}
	return time.Duration(v).String(), nil
}

// keyValues turns a CRD key/value list into the map Alertmanager wants,
// refusing duplicate keys that a map would silently drop.
func keyValues(field string, in []monitoringv1alpha1.KeyValue, canonical func(string) string) (map[string]string, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(in))
	seen := make(map[string]bool, len(in))
	for _, kv := range in {
		k := kv.Key
		if canonical != nil {
			k = canonical(k)
		}
		if seen[k] {
			return nil, fmt.Errorf("%s: duplicate key %q", field, kv.Key)
		}
		seen[k] = true
		out[kv.Key] = kv.Value
	}
	return out, nil
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
