package amconfig

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/prometheus/alertmanager/config"
	"go.yaml.in/yaml/v3"

	"github.com/vigil-monitoring/vigil/internal/yamlnode"
)

// DefaultConfig is the configuration used when the base configuration is
// missing or empty, as Prometheus Operator does: every alert goes to a
// receiver that notifies no one.
const DefaultConfig = `route:
  receiver: "null"
receivers:
- name: "null"
`

// loadBase checks the base configuration with Alertmanager's loader and
// returns what to build on.
func loadBase(raw []byte) ([]byte, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = []byte(DefaultConfig)
	}
	if _, err := config.Load(string(raw)); err != nil {
		return nil, err
	}
	return raw, nil
}

// assemble adds fragments to the base configuration. The base is handled as
// a YAML node tree rather than decoded into types, so that everything it
// says, including fields Vigil has no type for and secrets Alertmanager's
// own types would print as <secret>, is written back exactly as it was.
func assemble(base []byte, frags []*fragment) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(base, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, errors.New("the base configuration is not a YAML document")
	}
	// Without anchors and merge keys, at every depth: a key added here is
	// neither shadowed by a merged one nor shadows one, and the file means
	// what YAML says (see yamlnode.Resolve).
	root := yamlnode.Resolve(doc.Content[0])
	doc.Content[0] = root
	if root.Kind != yaml.MappingNode {
		return nil, errors.New("the base configuration is not a mapping")
	}

	var routes, receivers, inhibitRules, timeIntervals []any
	for _, f := range frags {
		if f.route != nil {
			routes = append(routes, f.route)
		}
		for _, r := range f.receivers {
			receivers = append(receivers, r)
		}
		for _, r := range f.inhibitRules {
			inhibitRules = append(inhibitRules, r)
		}
		for _, t := range f.timeIntervals {
			timeIntervals = append(timeIntervals, t)
		}
	}

	if len(routes) > 0 {
		routeNode := mapValue(root, "route")
		if routeNode == nil || routeNode.Kind != yaml.MappingNode {
			return nil, errors.New("the base configuration has no route")
		}
		// First-level routes of AlertmanagerConfigs go before the base's
		// own: they all continue, so alerts then reach the base routes.
		if err := addToSequence(routeNode, "routes", routes, true); err != nil {
			return nil, fmt.Errorf("route.routes: %w", err)
		}
	}
	for _, s := range []struct {
		key   string
		items []any
	}{
		{"receivers", receivers},
		{"inhibit_rules", inhibitRules},
		{"time_intervals", timeIntervals},
	} {
		if err := addToSequence(root, s.key, s.items, false); err != nil {
			return nil, fmt.Errorf("%s: %w", s.key, err)
		}
	}

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// addToSequence adds items, encoded from their types, to the sequence under
// key in mapping m, creating it when there is none.
func addToSequence(m *yaml.Node, key string, items []any, prepend bool) error {
	if len(items) == 0 {
		return nil
	}
	nodes := make([]*yaml.Node, 0, len(items))
	for _, it := range items {
		var n yaml.Node
		if err := n.Encode(it); err != nil {
			return err
		}
		nodes = append(nodes, &n)
	}
	seq := mapValue(m, key)
	switch {
	case seq == nil:
		seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, seq)
	case seq.Kind == yaml.ScalarNode && seq.Tag == "!!null":
		*seq = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	case seq.Kind != yaml.SequenceNode:
		return errors.New("not a list")
	}
	// Block style, so that multi-line values such as templates stay readable.
	seq.Style &^= yaml.FlowStyle
	if prepend {
		seq.Content = append(nodes, seq.Content...)
	} else {
		seq.Content = append(seq.Content, nodes...)
	}
	return nil
}

// mapValue returns the value under key in mapping m.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == yaml.ScalarNode && m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
