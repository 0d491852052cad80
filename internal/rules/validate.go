package rules

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
)

// maxReasonErrors bounds how many problems a reason lists: one object can
// hold thousands of rules, and a condition message or an Event that long
// helps nobody (and the API server caps both).
const maxReasonErrors = 10

// checkFields finds what rulefmt would report only as a YAML error about a
// line of the generated file, and says it in terms of the user's object
// instead: durations Prometheus cannot read, and text that is not UTF-8
// (which the YAML encoder would write as base64 binary).
func checkFields(f ruleFile) []error {
	var errs []error
	for _, g := range f.Groups {
		gerrs := []error{
			checkDuration("interval", g.Interval),
			checkDuration("query_offset", g.QueryOffset),
			checkUTF8("name", g.Name),
		}
		gerrs = append(gerrs, checkMapUTF8("labels", g.Labels)...)
		for _, err := range gerrs {
			if err != nil {
				errs = append(errs, fmt.Errorf("group %q: %w", g.Name, err))
			}
		}
		for ri := range g.Rules {
			r := &g.Rules[ri]
			rerrs := []error{
				checkDuration("for", r.For),
				checkDuration("keep_firing_for", r.KeepFiringFor),
				checkUTF8("record", r.Record),
				checkUTF8("alert", r.Alert),
				checkUTF8("expr", r.Expr),
			}
			rerrs = append(rerrs, checkMapUTF8("labels", r.Labels)...)
			rerrs = append(rerrs, checkMapUTF8("annotations", r.Annotations)...)
			for _, err := range rerrs {
				if err != nil {
					errs = append(errs, ruleError(g.Name, ri, r, err))
				}
			}
		}
	}
	return errs
}

// checkDuration reads d as Prometheus reads durations in rule files.
func checkDuration(field, d string) error {
	if d == "" {
		return nil
	}
	if _, err := model.ParseDuration(d); err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	return nil
}

func checkUTF8(field, s string) error {
	if utf8.ValidString(s) {
		return nil
	}
	return fmt.Errorf("%s: %q is not valid UTF-8", field, s)
}

func checkMapUTF8(field string, m map[string]string) []error {
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if err := checkUTF8(field+" key", k); err != nil {
			errs = append(errs, err)
		}
		if err := checkUTF8(fmt.Sprintf("%s[%q]", field, k), m[k]); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// discard drops rulefmt's warning about multi-document files: Vigil writes
// exactly one document.
var discard = slog.New(slog.DiscardHandler)

// load parses content as Prometheus loads a rule file: unknown fields
// refused, UTF-8 metric and label names (Prometheus 3's default), PromQL
// parsed with the parser the Prometheus object's feature flags give, and
// alert templates parsed.
func load(content []byte, p parser.Parser) []error {
	_, errs := rulefmt.Parse(content, false, model.UTF8Validation, p, discard)
	return errs
}

// describeAll joins errors into one line for a condition message and an Event.
// rulefmt reports map-valued fields in map order, so messages are sorted to
// keep the reason (and with it the object's status) from changing between
// reconciles.
func describeAll(errs []error) string {
	msgs := make([]string, 0, len(errs))
	for _, err := range errs {
		msgs = append(msgs, describe(err))
	}
	slices.Sort(msgs)
	msgs = slices.Compact(msgs)
	if n := len(msgs) - maxReasonErrors; n > 0 {
		msgs = append(msgs[:maxReasonErrors], fmt.Sprintf("and %d more", n))
	}
	return strings.Join(msgs, "; ")
}

// position is the line:column prefix rulefmt puts on group errors.
var position = regexp.MustCompile(`^(\d+:\d+: )+`)

// describe drops the line and column rulefmt puts in front of an error:
// they point into the generated file, which the user never wrote. The group,
// rule number and rule name say where the problem is.
func describe(err error) string {
	var rerr *rulefmt.Error
	if errors.As(err, &rerr) {
		if inner := errors.Unwrap(&rerr.Err); inner != nil {
			return fmt.Sprintf("group %q, rule %d, %q: %v", rerr.Group, rerr.Rule, rerr.RuleName, inner)
		}
	}
	return position.ReplaceAllString(err.Error(), "")
}
