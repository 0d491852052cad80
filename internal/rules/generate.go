package rules

import (
	"errors"
	"fmt"

	"github.com/prometheus/prometheus/promql/parser"

	monitoringv1 "github.com/vigil-monitoring/vigil/api/v1"
	"github.com/vigil-monitoring/vigil/internal/rejection"
)

// KindPrometheusRule is the Kind of the objects Generate rejects.
const KindPrometheusRule = "PrometheusRule"

// Rejection is an object left out of the generated configuration, and why.
// The caller turns it into a status condition and an Event on the object.
type Rejection = rejection.Rejection

// Result is what Generate made of the selected PrometheusRules.
type Result struct {
	// Files maps each rule file name (FileName) to its content: one file per
	// accepted PrometheusRule, each loadable by Prometheus.
	Files map[string]string
	// Rejected lists the objects left out, sorted by namespace and name.
	Rejected []Rejection
}

// Generate renders the rule file of each PrometheusRule that p selected,
// enforcing p's enforcedNamespaceLabel, and checks each file with
// Prometheus's own parser. A nil p renders the files without enforcement and
// with Prometheus's default PromQL features. The output does not depend on
// the order of rules.
func Generate(p *monitoringv1.Prometheus, rules []monitoringv1.PrometheusRule) Result {
	var (
		enf = enforcementFor(p)
		prs = parser.NewParser(parserOptions(p))
		res = Result{Files: make(map[string]string, len(rules))}
	)
	byFile := make(map[string][]*monitoringv1.PrometheusRule, len(rules))
	for i := range rules {
		name := FileName(&rules[i])
		byFile[name] = append(byFile[name], &rules[i])
	}
	for name, objs := range byFile {
		if len(objs) > 1 {
			// Only objects without a UID, or one object passed twice, get
			// here. Keeping any one of them would make the output depend on
			// the input order.
			for _, r := range objs {
				res.Rejected = append(res.Rejected, rejectRule(r, rejection.Errorf(rejection.ConflictingCopies,
					"rule file name %q is shared by %d objects: each needs its own UID", name, len(objs))))
			}
			continue
		}
		content, reason, errs := render(objs[0], name, enf, prs)
		if len(errs) > 0 {
			res.Rejected = append(res.Rejected, rejectRule(objs[0], rejection.Wrap(reason, errors.New(describeAll(errs)))))
			continue
		}
		res.Files[name] = content
	}
	rejection.Sort(res.Rejected)
	return res
}

// render builds, enforces and checks the rule file of one object. When
// that fails, the reason says what kind of failure it is: what Prometheus
// would refuse to load, or a file that does not fit in a ConfigMap.
func render(r *monitoringv1.PrometheusRule, fileName string, enf enforcement, p parser.Parser) (string, rejection.Reason, []error) {
	f := fromSpec(r.Spec)
	if errs := checkFields(f); len(errs) > 0 {
		return "", rejection.RefusedByPrometheus, errs
	}
	if enf.appliesTo(r.Namespace, r.Name) {
		if errs := enf.enforce(&f, r.Namespace, p); len(errs) > 0 {
			return "", rejection.RefusedByPrometheus, errs
		}
	}
	content, err := f.marshal()
	if err != nil {
		return "", rejection.InvalidSpec, []error{err}
	}
	// Checked before parsing: a file that cannot be stored is rejected
	// whatever else is wrong with it, and parsing a huge file is the
	// expensive step.
	if size := dataSize(fileName, string(content)); size > MaxConfigMapDataSize {
		return "", rejection.InvalidSpec, []error{fmt.Errorf("the rule file is %d bytes, more than the %d bytes a rule ConfigMap holds",
			size, MaxConfigMapDataSize)}
	}
	if errs := load(content, p); len(errs) > 0 {
		return "", rejection.RefusedByPrometheus, errs
	}
	return string(content), "", nil
}

func rejectRule(r *monitoringv1.PrometheusRule, err error) Rejection {
	return rejection.New(KindPrometheusRule, r.Namespace, r.Name, err)
}

// parserOptions are the PromQL parser settings Prometheus starts with for
// p's feature flags, so that an expression is accepted exactly when the
// Prometheus that loads it would accept it.
func parserOptions(p *monitoringv1.Prometheus) parser.Options {
	var opts parser.Options
	if p == nil {
		return opts
	}
	for _, f := range p.Spec.EnableFeatures {
		switch f {
		case "promql-experimental-functions":
			opts.EnableExperimentalFunctions = true
		case "promql-binop-fill-modifiers":
			opts.EnableBinopFillModifiers = true
		case "promql-unquoted-utf8-names":
			opts.EnableUnquotedUTF8Names = true
		}
	}
	return opts
}
