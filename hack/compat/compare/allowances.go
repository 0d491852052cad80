package compare

import (
	"regexp"

	amconfig "github.com/prometheus/alertmanager/config"
	commoncfg "github.com/prometheus/common/config"
	"github.com/prometheus/prometheus/config"
	"github.com/prometheus/prometheus/discovery"
	"github.com/prometheus/prometheus/discovery/http"
	"github.com/prometheus/prometheus/discovery/kubernetes"

	"github.com/vigil-monitoring/vigil/hack/compat/oracle"
)

// Allowance is one difference from Prometheus Operator that Vigil keeps on
// purpose: a normalisation applied to both sides before they are compared.
type Allowance struct {
	Name   string
	Reason string
	// normalize rewrites a loaded configuration so that the two forms of
	// the same setting compare equal.
	normalize func(*config.Config, Input) error
	// normalizeAlertmanager does the same for alertmanager.yaml.
	normalizeAlertmanager func(*amconfig.Config, AlertmanagerInput) error
	// leavesOut matches the reasons for which Vigil leaves out an object
	// that Prometheus Operator keeps; that object's jobs are then not
	// compared.
	leavesOut *regexp.Regexp
	// rewritePO rewrites the input Prometheus Operator gets into the form
	// it handles, meaning the same (see ForPrometheusOperator).
	rewritePO func(*oracle.Objects)
	// repairPOAlertmanager rewrites Prometheus Operator's alertmanager.yaml
	// where no input avoids its mistake.
	repairPOAlertmanager func([]byte) []byte
}

// Allowances are every difference the comparison accepts. The README's
// compatibility table lists the same entries, with the same reasons.
var Allowances = []Allowance{
	{
		Name: "TLS material inline",
		Reason: "Vigil writes CAs, certificates and keys inline into prometheus.yaml and alertmanager.yaml, which " +
			"live in Secrets, instead of a second tls-assets Secret mounted as files: one object, so the configuration " +
			"and its credentials are never out of step. A CA inline and the same CA in a file are the same setting.",
		normalize:             inlineTLSFiles,
		normalizeAlertmanager: inlineAlertmanagerTLSFiles,
	},
	{
		Name: "rule_files lists the rule ConfigMaps that exist",
		Reason: "Prometheus Operator always lists three rule ConfigMap globs, existing or not; Vigil lists " +
			"the ones it wrote. Prometheus loads the same rules either way.",
		normalize: existingRuleFiles,
	},
	{
		Name: "Objects Prometheus or Alertmanager would refuse are left out",
		Reason: "Vigil loads every object's jobs with Prometheus's own parser, and every AlertmanagerConfig's part " +
			"with Alertmanager's loader, and leaves out the ones they refuse (a duration or regex they cannot read, " +
			"a timeout over the interval) with the parser's message; Prometheus Operator writes them, and Prometheus " +
			"or Alertmanager then refuses the whole configuration, everyone's scrapes or notifications stopping at " +
			"the next reload.",
		leavesOut: regexp.MustCompile(`^invalid configuration: |Alertmanager would not load the configuration with this object|invalid regular expression`),
	},
	{
		Name: "TLS material and proxy URLs are checked when generating",
		Reason: "A CA, certificate or key that is not PEM, a certificate without its key, or a proxy URL Go's HTTP " +
			"client cannot use would fail every scrape of the object's targets; Vigil leaves the object out with the " +
			"reason, where Prometheus Operator writes a job that never succeeds.",
		leavesOut: regexp.MustCompile(`(no PEM (certificate|private key) found|the PEM (certificate|private key) does not parse|` +
			`certificate and key|without its (key|certificate)|proxyUrl (does not parse|has no scheme|scheme .* is not one of|has no host))`),
	},
	{
		Name: "PrometheusRules that do not parse are reported",
		Reason: "A PrometheusRule whose expression does not parse (or cannot take the enforced namespace label) " +
			"is left out by both; Vigil says so, with the parser's message, where Prometheus Operator drops it " +
			"without a word.",
		leavesOut: regexp.MustCompile(`could not parse expression`),
	},
	{
		Name: "YAML merge keys are done as YAML says",
		Reason: "additionalScrapeConfigs and the Alertmanager configuration Secret are the user's YAML; Vigil does " +
			"their anchors and merge keys (<<: *defaults, the entry's own keys winning) and writes plain YAML. " +
			"Prometheus Operator's round trip drops the values an additional scrape job takes through a merge key.",
		rewritePO: expandMergeKeys,
	},
	{
		Name: "Weekday names in any case",
		Reason: "Alertmanager reads weekday names case-insensitively, and so do Vigil's CRD and generator; " +
			"Prometheus Operator's CRD refuses \"Monday:Friday\" (case-insensitive before the colon only).",
		rewritePO: lowerCaseWeekdays,
	},
	{
		Name: "A day-of-month range without an end is that one day",
		Reason: "The CRD allows daysOfMonth with a start and no end; Vigil writes that one day, Prometheus " +
			"Operator reads the missing end as day 0 and refuses the whole AlertmanagerConfig.",
		rewritePO: closeDayOfMonthRanges,
	},
	{
		Name: "Receiver timeouts are written as Go durations",
		Reason: "Alertmanager reads a receiver's timeout as a Go duration; Vigil writes 1d as 24h0m0s, Prometheus " +
			"Operator writes it as given and Alertmanager then refuses its whole file.",
		repairPOAlertmanager: goDurationTimeouts,
	},
	{
		Name: "A top-level route's namespace matchers are replaced",
		Reason: "Prometheus Operator's API documents that the namespace matcher it adds to an AlertmanagerConfig's " +
			"top-level route replaces the object's own matchers on namespace; Vigil does that, v0.93.0 keeps both, " +
			"so that such a route never matches.",
		rewritePO: dropTopLevelNamespaceMatchers,
	},
	{
		Name: "enforcedBodySizeLimit 0 enforces no limit",
		Reason: "A body size limit of 0 means no limit, so an enforced limit of \"0\" caps nothing and a monitor's own " +
			"bodySizeLimit stays; Prometheus Operator takes \"0\" as the lowest limit and lifts every monitor's to none.",
		rewritePO: dropZeroEnforcedBodySizeLimit,
	},
}

// inlineTLSFiles replaces every ca_file, cert_file and key_file by the
// file's content.
func inlineTLSFiles(c *config.Config, in Input) error {
	for _, tls := range tlsConfigs(c) {
		inlineTLS(tls, in.Files)
	}
	return nil
}

// inlineTLS replaces the CA, certificate and key files that files holds
// by their content.
func inlineTLS(tls *commoncfg.TLSConfig, files map[string][]byte) {
	for _, f := range []struct {
		file   *string
		inline *commoncfg.Secret
		plain  *string
	}{
		{&tls.CAFile, nil, &tls.CA},
		{&tls.CertFile, nil, &tls.Cert},
		{&tls.KeyFile, &tls.Key, nil},
	} {
		if *f.file == "" {
			continue
		}
		content, ok := files[*f.file]
		if !ok {
			// A file of the pod's own (a service account's CA): the
			// same on both sides.
			continue
		}
		if f.plain != nil {
			*f.plain = string(content)
		} else {
			*f.inline = commoncfg.Secret(content)
		}
		*f.file = ""
	}
}

// tlsConfigs lists every TLS block of the configuration: jobs (and their
// Kubernetes discovery), Alertmanagers, remote write and read.
func tlsConfigs(c *config.Config) []*commoncfg.TLSConfig {
	var out []*commoncfg.TLSConfig
	add := func(h *commoncfg.HTTPClientConfig) {
		out = append(out, &h.TLSConfig)
		if h.OAuth2 != nil {
			out = append(out, &h.OAuth2.TLSConfig)
		}
	}
	for _, j := range c.ScrapeConfigs {
		add(&j.HTTPClientConfig)
		for _, sd := range j.ServiceDiscoveryConfigs {
			if h, ok := sdHTTPClient(sd); ok {
				add(h)
			}
		}
	}
	for _, am := range c.AlertingConfig.AlertmanagerConfigs {
		add(&am.HTTPClientConfig)
	}
	for _, rw := range c.RemoteWriteConfigs {
		add(&rw.HTTPClientConfig)
	}
	for _, rr := range c.RemoteReadConfigs {
		add(&rr.HTTPClientConfig)
	}
	return out
}

// existingRuleFiles keeps, of rule_files, the entries of ConfigMaps that
// exist (Input.Files names them with the "rulefiles:" prefix).
func existingRuleFiles(c *config.Config, in Input) error {
	if in.RuleConfigMaps == nil {
		return nil
	}
	var kept []string
	for _, f := range c.RuleFiles {
		for _, cm := range in.RuleConfigMaps {
			if f == "/etc/prometheus/rules/"+cm+"/*.yaml" {
				kept = append(kept, f)
			}
		}
	}
	c.RuleFiles = kept
	return nil
}

// sdHTTPClient is the HTTP client of a Kubernetes or HTTP service
// discovery, the ones Vigil generates with TLS.
func sdHTTPClient(sd discovery.Config) (*commoncfg.HTTPClientConfig, bool) {
	switch c := sd.(type) {
	case *kubernetes.SDConfig:
		return &c.HTTPClientConfig, true
	case *http.SDConfig:
		return &c.HTTPClientConfig, true
	}
	return nil, false
}
